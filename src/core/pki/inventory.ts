// The PKI inventory: from a scanned folder (stats + decoded contents), the CAs with the certificates
// they signed, the service-account key pair, the kubeconfigs and the backups, each with a state and
// its findings. kubeadm's catalog, filtered by scope.ts, gives names, expected files and MISSING rows;
// certificates the catalog does not know are grouped under the CA whose key verifies their
// signature, never by name. One builder per kind of item in items/.
// Pure and synchronous: the scanner feeds it from its decode cache, so a rebuild re-decodes nothing.
import { withoutDisabled, type EnabledCodes, type Finding } from '../findings/finding';
import { certPath, keyPath, caEntry } from './catalog';
import { DEFAULT_CIS_REVISION, cisFindings, type CisRevision } from './cis';
import type { PemContent, PkiContent } from './content';
import { finishItem, type PkiCaGroup, type PkiItem } from './item';
import { backupItem } from './items/backup';
import type { Builder } from './items/builder';
import { caItem, caItemId } from './items/ca';
import { certItem, type CaCertificate } from './items/cert';
import { serviceAccountItem } from './items/keyPair';
import { kubeconfigItem } from './items/kubeconfig';
import { kubeletItem } from './items/kubelet';
import { KUBELET_CERTS, KUBELET_CONFIG_FILE, type KubeletConfig } from './kubelet';
import type { StaticPodManifest } from './manifest';
import { displayName, fileRole, isBackupPath, keyPathFor } from './layout';
import { catalogScope, type PkiLayout } from './scope';
import { SignatureCache } from './signatures';
import type { PkiFileStat } from './source';
import { wiringFindings, type ResolvedFile } from './wiring';

export interface PkiInventory {
  readonly root: string;
  readonly now: Date;
  readonly layout: PkiLayout;
  readonly groups: readonly PkiCaGroup[];
  /** Leaves that no CA of the folder verifies (self-signed ones included). */
  readonly unknownIssuer: readonly PkiItem[];
  readonly keyPairs: readonly PkiItem[];
  readonly kubeconfigs: readonly PkiItem[];
  readonly backups: readonly PkiItem[];
  /** The kubelet's client and serving certificates (a /var/lib/kubelet folder). */
  readonly kubelet: readonly PkiItem[];
  /** Static pod manifests and the kubelet's config.yaml: where the components listen. */
  readonly manifests: readonly StaticPodManifest[];
  readonly kubeletConfig?: KubeletConfig;
  /** The scanned folder on disk, and where it lives on the node: manifests name files under it. */
  readonly rootAbsolute: string;
  readonly nodeConfigDir?: string;
  /** Served-certificate findings of no row (components serving no file of the folder). */
  readonly servedChecks: readonly Finding[];
  /** Every finding: items, wiring, CIS. */
  readonly findings: readonly Finding[];
  /** Text of the files findings point into with a span (manifests, kubeconfigs), by absolute path. */
  readonly texts: ReadonlyMap<string, string>;
  readonly items: ReadonlyMap<string, PkiItem>;
}

export interface InventoryFile {
  readonly stat: PkiFileStat;
  readonly content: PkiContent;
}

export interface InventoryInput {
  readonly root: string;
  /** Logical path → file; folders too (their content is 'ignored'). */
  readonly files: ReadonlyMap<string, InventoryFile>;
  /** Files outside the root named by kubeconfigs, by absolute path. */
  readonly external: ReadonlyMap<string, PemContent>;
  /** Where a logical path would be on disk (for MISSING rows). */
  readonly absolutePath: (logicalPath: string) => string;
  /** False when only a cert dir was scanned: kubeconfigs are then not expected. */
  readonly hasConfigDir: boolean;
  /** Kept by the caller across rebuilds (the scanner does); a fresh one otherwise. */
  readonly signatures?: SignatureCache;
}

export interface InventoryOptions {
  readonly now: Date;
  readonly warnDays: number;
  /** Where the tree lives on the node: manifests and kubeconfigs name files under it. */
  readonly nodeConfigDir?: string;
  readonly cisRevision?: CisRevision;
  /** CIS ownership items; see cis.ts. Default: the root folder belongs to root. */
  readonly checkOwnership?: boolean;
  readonly enabled?: EnabledCodes;
}

export const DEFAULT_NODE_CONFIG_DIR = '/etc/kubernetes';

export function buildInventory(input: InventoryInput, options: InventoryOptions): PkiInventory {
  const b: Builder = {
    input,
    ctx: { now: options.now, warnDays: options.warnDays },
    claimed: new Set(),
    signatures: input.signatures ?? new SignatureCache(),
    resolve: resolver(input, options.nodeConfigDir),
  };
  const files = sortedFiles(input.files);
  const scope = catalogScope((path) => input.files.has(path), input.hasConfigDir);
  const configContent = input.files.get(KUBELET_CONFIG_FILE)?.content;
  const kubeletConfig = configContent?.kind === 'kubelet-config' ? configContent.config : undefined;
  // First, so that the generic passes below leave the kubelet's files to these rows.
  const kubelet: PkiItem[] =
    scope.layout === 'kubelet' ? KUBELET_CERTS.map((entry) => kubeletItem(b, entry, kubeletConfig)) : [];

  // CAs: the catalog's first, then any other CA certificate of the folder.
  const groups: { ca: PkiItem; children: PkiItem[] }[] = [];
  const caCerts: CaCertificate[] = [];
  const addCa = (item: PkiItem): void => {
    groups.push({ ca: item, children: [] });
    if (item.certificate) caCerts.push({ item, cert: item.certificate });
  };
  for (const entry of scope.cas) {
    addCa(
      caItem(b, {
        path: certPath(entry.baseName),
        keyPath: keyPath(entry.baseName),
        name: entry.name,
        longName: entry.longName,
        catalog: true,
        reportKeyMissing: scope.caKeysExpected,
      }),
    );
  }
  for (const [path, file] of files) {
    const cert = unclaimedCertificateFile(b, path, file)?.certificates[0];
    if (cert?.basicConstraints?.ca)
      addCa(
        caItem(b, {
          path,
          keyPath: keyPathFor(path),
          name: displayName(path),
          catalog: false,
          reportKeyMissing: true,
        }),
      );
  }
  // An intermediate CA names the CA that signed it.
  for (const group of groups) {
    const cert = group.ca.certificate;
    if (!cert || cert.isSelfIssued) continue;
    const parent = caCerts.find((c) => c.cert !== cert && b.signatures.verifies(cert, c.cert));
    if (parent) group.ca = finishItem({ ...group.ca, caId: parent.item.id, caName: parent.item.name });
  }
  const groupOf = (caId: string) => groups.find((g) => g.ca.id === caId);

  // Leaves of the catalog, under their catalog CA whatever signed them (a wrong signer is the finding).
  for (const entry of scope.certs) {
    const group = groupOf(caItemId(certPath(caEntry(entry.caName).baseName)));
    const item = certItem(b, {
      path: certPath(entry.baseName),
      keyPath: keyPath(entry.baseName),
      name: entry.name,
      longName: entry.longName,
      catalog: true,
      ca: group?.ca,
    });
    group?.children.push(item);
  }

  // Any other certificate: under the CA whose key verifies it.
  const unknownIssuer: PkiItem[] = [];
  for (const [path, file] of files) {
    const content = unclaimedCertificateFile(b, path, file);
    if (!content) continue;
    const leaf = { path, keyPath: keyPathFor(path), name: displayName(path), catalog: false };
    const cert = content.certificates[0];
    if (!cert) {
      if (content.problems.length) unknownIssuer.push(certItem(b, leaf));
      continue;
    }
    const signer = caCerts.find((c) => b.signatures.verifies(cert, c.cert));
    if (signer) groupOf(signer.item.id)?.children.push(certItem(b, { ...leaf, ca: signer.item }));
    else unknownIssuer.push(certItem(b, { ...leaf, namesakes: caCerts }));
  }

  const clusterCa = caCerts.find((c) => c.item.id === caItemId(certPath('ca')));
  const kubeconfigs: PkiItem[] = scope.kubeconfigs.map((entry) =>
    kubeconfigItem(b, {
      path: entry.name,
      clusterCa,
      catalog: true,
      rotatedByKubelet: entry.rotatedByKubelet,
      longName: entry.longName,
      optional: entry.optional,
    }),
  );
  for (const [path, file] of files) {
    if (b.claimed.has(path) || isBackupPath(path) || file.content.kind !== 'kubeconfig') continue;
    if (!file.content.client.certificate && !file.content.client.certificatePath) continue;
    kubeconfigs.push(kubeconfigItem(b, { path, clusterCa, catalog: false, rotatedByKubelet: false }));
  }

  const keyPairs: PkiItem[] = scope.serviceAccountKey ? [serviceAccountItem(b)] : [];
  const backups = files.flatMap(([path, file]) =>
    isBackupPath(path) && !b.claimed.has(path) ? (backupItem(b, path, file) ?? []) : [],
  );

  const all: PkiItem[] = [
    ...kubelet,
    ...groups.flatMap((g) => [g.ca, ...g.children]),
    ...unknownIssuer,
    ...kubeconfigs,
    ...keyPairs,
    ...backups,
  ];
  const findings: Finding[] = all.flatMap((item) => item.findings);
  const texts = new Map<string, string>();
  const manifests: StaticPodManifest[] = [];
  if (kubeletConfig) texts.set(kubeletConfig.file, kubeletConfig.text);
  for (const [path, file] of files) {
    if (isBackupPath(path)) continue;
    if (file.content.kind === 'manifest') {
      manifests.push(file.content.manifest);
      texts.set(file.stat.absolutePath, file.content.manifest.text);
      findings.push(...wiringFindings(file.content.manifest, { resolve: b.resolve }));
    } else if (file.content.kind === 'kubeconfig') {
      texts.set(file.stat.absolutePath, file.content.document.text);
    }
  }
  // The config dir, or the cert dir when scanned alone.
  const rootStat = input.files.get('') ?? input.files.get('pki');
  findings.push(
    ...cisFindings(
      [...input.files.values()].map((f) => f.stat),
      {
        revision: options.cisRevision ?? DEFAULT_CIS_REVISION,
        checkOwnership: options.checkOwnership ?? (rootStat ? rootStat.stat.uid === 0 : false),
      },
    ),
  );

  return reportedInventory(options.enabled, {
    root: input.root,
    now: options.now,
    layout: scope.layout,
    groups,
    unknownIssuer,
    keyPairs,
    kubeconfigs,
    backups,
    kubelet,
    manifests,
    ...(kubeletConfig ? { kubeletConfig } : {}),
    rootAbsolute: input.absolutePath(''),
    ...(options.nodeConfigDir !== undefined ? { nodeConfigDir: options.nodeConfigDir } : {}),
    servedChecks: [],
    findings,
    texts,
    items: new Map(all.map((item) => [item.id, item])),
  });
}

/** The inventory as the surfaces show it: `withoutDisabled` on each row and on the folder's findings. */
function reportedInventory(enabled: EnabledCodes | undefined, inventory: PkiInventory): PkiInventory {
  if (!enabled) return inventory;
  const items = new Map<string, PkiItem>();
  for (const [id, item] of inventory.items) {
    const findings = withoutDisabled(item.findings, enabled);
    items.set(id, findings.length === item.findings.length ? item : finishItem({ ...item, findings }));
  }
  return { ...withItems(inventory, items), findings: withoutDisabled(inventory.findings, enabled) };
}

/** The inventory with `items` in place of the rows of the same id, in every list that holds them. */
export function withItems(inventory: PkiInventory, items: ReadonlyMap<string, PkiItem>): PkiInventory {
  const swap = (item: PkiItem): PkiItem => items.get(item.id) ?? item;
  return {
    ...inventory,
    groups: inventory.groups.map((g) => ({ ca: swap(g.ca), children: g.children.map(swap) })),
    unknownIssuer: inventory.unknownIssuer.map(swap),
    keyPairs: inventory.keyPairs.map(swap),
    kubeconfigs: inventory.kubeconfigs.map(swap),
    backups: inventory.backups.map(swap),
    kubelet: inventory.kubelet.map(swap),
    items: new Map([...inventory.items, ...items]),
  };
}

/** The PEM content of a certificate file that no item has claimed yet (backups aside), else undefined. */
function unclaimedCertificateFile(b: Builder, path: string, file: InventoryFile): PemContent | undefined {
  if (b.claimed.has(path) || isBackupPath(path) || fileRole(path) !== 'certificate') return undefined;
  return file.content.kind === 'pem' ? file.content : undefined;
}

function sortedFiles(files: ReadonlyMap<string, InventoryFile>): [string, InventoryFile][] {
  return [...files]
    .filter(([, f]) => f.stat.type === 'file')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A path as the node sees it (manifests, kubeconfigs) as a logical path of the scanned folder; undefined outside it. */
export function toLogicalPath(
  nodePath: string,
  rootAbsolute: string,
  nodeConfigDir = DEFAULT_NODE_CONFIG_DIR,
): string | undefined {
  for (const dir of [nodeConfigDir, rootAbsolute]) {
    const prefix = dir.replace(/\/+$/, '') + '/';
    if (nodePath.startsWith(prefix)) return nodePath.slice(prefix.length);
  }
  return undefined;
}

function resolver(
  input: InventoryInput,
  nodeConfigDir: string | undefined,
): (nodePath: string) => ResolvedFile {
  const rootAbsolute = input.absolutePath('');
  return (nodePath) => {
    const logical = toLogicalPath(nodePath, rootAbsolute, nodeConfigDir);
    if (logical === undefined) return { status: 'outside' };
    const file = input.files.get(logical);
    if (!file) return { status: 'missing', absolutePath: input.absolutePath(logical) };
    return {
      status: 'present',
      absolutePath: file.stat.absolutePath,
      pem: file.content.kind === 'pem' ? file.content : undefined,
    };
  };
}
