// The PKI inventory: from a scanned folder (stats + decoded contents), the CAs with the certificates
// they signed, the service-account key pair, the kubeconfigs and the backups, each with a state and
// its findings. kubeadm's catalog gives names, expected files and MISSING rows; certificates the
// catalog does not know are grouped under the CA whose key verifies their signature, never by name.
// Pure and synchronous: the scanner feeds it from its decode cache, so a rebuild re-decodes nothing.
import { certificateFindings, chainFindings, type CheckContext } from '../audit/checks';
import { FINDING_CATALOG, RELATED_MESSAGES, type FindingCode } from '../findings/catalog';
import { certificateRef, type Finding, type FindingParams } from '../findings/finding';
import { verifyChain, verifySignature, type ChainProblem } from '../x509/chain';
import { keyMatchesCertificate } from '../x509/keys';
import type { Certificate } from '../x509/model';
import {
  KUBEADM_CAS,
  KUBEADM_CERTS,
  KUBEADM_KUBECONFIGS,
  SERVICE_ACCOUNT_KEY,
  caEntry,
  certPath,
  keyPath,
  type CaName,
} from './catalog';
import { DEFAULT_CIS_REVISION, cisFindings, type CisRevision } from './cis';
import type { KubeconfigContent, PemContent, PkiContent } from './content';
import { displayName, fileRole, isBackupPath, keyPathFor } from './layout';
import type { PkiFileStat } from './source';
import { sameBytes, wiringFindings, type ResolvedFile } from './wiring';

export type PkiItemState =
  | 'ok'
  | 'expiring'
  | 'expired'
  | 'not-yet-valid'
  | 'mis-signed'
  | 'key-mismatch'
  | 'invalid'
  | 'missing'
  | 'externally-managed';

export type PkiItemKind = 'ca' | 'cert' | 'kubeconfig' | 'key-pair' | 'backup';

export interface PkiItem {
  /** Stable across rescans: kind + logical path. */
  readonly id: string;
  readonly kind: PkiItemKind;
  /** kubeadm's name (`apiserver`, `admin.conf`, `ca`) or the file's display name. */
  readonly name: string;
  readonly longName?: string;
  /** From kubeadm's catalog (MISSING rows are only shown for these). */
  readonly catalog: boolean;
  /** Logical path of the main file (the expected one when missing). */
  readonly path: string;
  readonly absolutePath: string;
  readonly keyPath?: string;
  readonly keyAbsolutePath?: string;
  /** Id of the CA item the item hangs under. */
  readonly caId?: string;
  /** Name of that CA as kubeadm prints it (`ca`, `etcd-ca`) or its display name. */
  readonly caName?: string;
  /** The CA certificate the signature was checked with, when one was (domain.md §7: say which). */
  readonly checkedWith?: { readonly name: string; readonly path: string };
  readonly state: PkiItemState;
  readonly externallyManaged: boolean;
  readonly rotatedByKubelet: boolean;
  readonly certificate?: Certificate;
  /** English, no secrets: why the state is missing/invalid/mis-signed (shown in the tooltip). */
  readonly reason?: string;
  readonly findings: readonly Finding[];
  /** Changes whenever anything shown for the item changes: the view refreshes only such items. */
  readonly version: string;
}

export interface PkiCaGroup {
  readonly ca: PkiItem;
  readonly children: readonly PkiItem[];
}

export type PkiLayout = 'kubeadm' | 'kubeadm-node' | 'cfssl' | 'generic';

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
}

export interface InventoryOptions {
  readonly now: Date;
  readonly warnDays: number;
  /** Where the tree lives on the node: manifests and kubeconfigs name files under it. */
  readonly nodeConfigDir?: string;
  readonly cisRevision?: CisRevision;
  /** CIS ownership items; see cis.ts. Default: the root folder belongs to root. */
  readonly checkOwnership?: boolean;
  readonly enabled?: (code: FindingCode) => boolean;
}

export const DEFAULT_NODE_CONFIG_DIR = '/etc/kubernetes';

const SIGNING_PROBLEMS = new Set([
  'not-signed-by-ca',
  'bad-signature',
  'issuer-not-ca',
  'path-length-exceeded',
]);
const DAY_MS = 86_400_000;
const FILE_START = { start: 0, end: 0 };

// Signature checks are the only costly step left once contents are cached; decoded certificates
// keep their identity across rebuilds, so a WeakMap keyed by them survives exactly as long as they do.
const signatureCache = new WeakMap<Certificate, Map<string, boolean>>();

function signatureVerifies(cert: Certificate, ca: Certificate): boolean {
  let byCa = signatureCache.get(cert);
  if (!byCa) signatureCache.set(cert, (byCa = new Map()));
  let ok = byCa.get(ca.sha256Fingerprint);
  if (ok === undefined) byCa.set(ca.sha256Fingerprint, (ok = verifySignature(cert, ca)));
  return ok;
}

interface Builder {
  readonly input: InventoryInput;
  readonly options: InventoryOptions;
  readonly ctx: CheckContext;
  readonly claimed: Set<string>;
}

export function buildInventory(input: InventoryInput, options: InventoryOptions): PkiInventory {
  const enabled = options.enabled ?? (() => true);
  const b: Builder = {
    input,
    options,
    ctx: { now: options.now, warnDays: options.warnDays, enabled },
    claimed: new Set(),
  };
  const layout = detectLayout(input.files);
  const kubeadm = layout === 'kubeadm' || layout === 'kubeadm-node';
  const externalEtcd =
    !input.files.has('pki/etcd/ca.crt') &&
    !input.files.has('manifests/etcd.yaml') &&
    input.files.has('manifests/kube-apiserver.yaml');
  const inScope = (caName: CaName): boolean =>
    layout === 'kubeadm'
      ? !(externalEtcd && caName === 'etcd-ca')
      : layout === 'kubeadm-node' && caName === 'ca';

  // CAs: the catalog's first, then any other CA certificate of the folder.
  const groups: { ca: PkiItem; children: PkiItem[] }[] = [];
  const caCerts: { item: PkiItem; cert: Certificate }[] = [];
  if (kubeadm) {
    for (const entry of KUBEADM_CAS) {
      if (!inScope(entry.name)) continue;
      // A worker node never has ca.key: that is not "externally managed" worth a finding.
      const item = caItem(
        b,
        certPath(entry.baseName),
        keyPath(entry.baseName),
        entry.name,
        true,
        entry.longName,
        layout === 'kubeadm',
      );
      groups.push({ ca: item, children: [] });
      if (item.certificate) caCerts.push({ item, cert: item.certificate });
    }
  }
  for (const [path, file] of sortedFiles(input.files)) {
    const content = unclaimedCertificateFile(b, path, file);
    if (!content) continue;
    const cert = content.certificates[0];
    if (!cert?.basicConstraints?.ca) continue;
    const item = caItem(b, path, keyPathFor(path), displayName(path), false);
    groups.push({ ca: item, children: [] });
    caCerts.push({ item, cert });
  }
  const groupOf = (caId: string | undefined) => groups.find((g) => g.ca.id === caId);
  // An intermediate CA names the CA that signed it.
  for (const group of groups) {
    const cert = group.ca.certificate;
    if (!cert || cert.isSelfIssued) continue;
    const parent = caCerts.find((c) => c.cert !== cert && signatureVerifies(cert, c.cert));
    if (parent) group.ca = finish({ ...group.ca, caId: parent.item.id, caName: parent.item.name });
  }

  // Leaves of the catalog, under their catalog CA whatever signed them (a wrong signer is the finding).
  if (kubeadm) {
    for (const entry of KUBEADM_CERTS) {
      if (layout !== 'kubeadm' || !inScope(entry.caName)) continue;
      const ca = groups.find((g) => g.ca.id === caId(certPath(caEntry(entry.caName).baseName)));
      const item = leafItem(
        b,
        certPath(entry.baseName),
        keyPath(entry.baseName),
        entry.name,
        ca?.ca,
        true,
        entry.longName,
      );
      ca?.children.push(item);
    }
  }

  // Any other certificate: under the CA whose key verifies it.
  const unknownIssuer: PkiItem[] = [];
  for (const [path, file] of sortedFiles(input.files)) {
    const content = unclaimedCertificateFile(b, path, file);
    if (!content) continue;
    const cert = content.certificates[0];
    if (!cert) {
      if (content.problems.length)
        unknownIssuer.push(leafItem(b, path, keyPathFor(path), displayName(path), undefined, false));
      continue;
    }
    const signer = caCerts.find((c) => signatureVerifies(cert, c.cert));
    if (signer) {
      groupOf(signer.item.id)?.children.push(
        leafItem(b, path, keyPathFor(path), displayName(path), signer.item, false),
      );
    } else {
      unknownIssuer.push(
        leafItem(b, path, keyPathFor(path), displayName(path), undefined, false, undefined, caCerts),
      );
    }
  }

  const clusterCa = caCerts.find((c) => c.item.id === caId(certPath('ca')));
  const kubeconfigs: PkiItem[] = [];
  if (kubeadm && input.hasConfigDir) {
    for (const entry of KUBEADM_KUBECONFIGS) {
      if (layout === 'kubeadm-node' && !entry.rotatedByKubelet) continue;
      kubeconfigs.push(
        kubeconfigItem(
          b,
          entry.name,
          clusterCa,
          true,
          entry.rotatedByKubelet,
          entry.longName,
          entry.optional === true,
        ),
      );
    }
  }
  for (const [path, file] of sortedFiles(input.files)) {
    if (b.claimed.has(path) || isBackupPath(path) || file.content.kind !== 'kubeconfig') continue;
    if (!file.content.client.certificate && !file.content.client.certificatePath) continue;
    kubeconfigs.push(kubeconfigItem(b, path, clusterCa, false, false));
  }

  const keyPairs: PkiItem[] = [];
  if (
    layout === 'kubeadm' ||
    input.files.has(SERVICE_ACCOUNT_KEY.privateKey) ||
    input.files.has(SERVICE_ACCOUNT_KEY.publicKey)
  ) {
    keyPairs.push(serviceAccountItem(b));
  }

  const backups: PkiItem[] = [];
  for (const [path, file] of sortedFiles(input.files)) {
    if (!isBackupPath(path)) continue;
    const cert =
      file.content.kind === 'pem'
        ? file.content.certificates[0]
        : file.content.kind === 'kubeconfig'
          ? file.content.client.certificate
          : undefined;
    if (!cert) continue;
    backups.push(
      finish({
        id: `backup:${path}`,
        kind: 'backup',
        name: path,
        catalog: false,
        path,
        absolutePath: file.stat.absolutePath,
        state: dateState(cert, options),
        externallyManaged: false,
        rotatedByKubelet: false,
        certificate: cert,
        findings: [],
      }),
    );
  }

  const items = new Map<string, PkiItem>();
  const all: PkiItem[] = [
    ...groups.flatMap((g) => [g.ca, ...g.children]),
    ...unknownIssuer,
    ...kubeconfigs,
    ...keyPairs,
    ...backups,
  ];
  for (const item of all) items.set(item.id, item);

  const findings: Finding[] = all.flatMap((item) => item.findings);
  const texts = new Map<string, string>();
  const resolve = resolver(input, options);
  for (const [, file] of sortedFiles(input.files)) {
    if (isBackupPath(file.stat.path)) continue;
    if (file.content.kind === 'manifest') {
      texts.set(file.stat.absolutePath, file.content.manifest.text);
      findings.push(...wiringFindings(file.content.manifest, { resolve, enabled }));
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
        enabled,
      },
    ),
  );

  return {
    root: input.root,
    now: options.now,
    layout,
    groups,
    unknownIssuer,
    keyPairs,
    kubeconfigs,
    backups,
    findings,
    texts,
    items,
  };
}

function detectLayout(files: ReadonlyMap<string, InventoryFile>): PkiLayout {
  const catalogFiles = [
    ...KUBEADM_CAS.map((e) => certPath(e.baseName)),
    ...KUBEADM_CERTS.map((e) => certPath(e.baseName)),
    ...KUBEADM_KUBECONFIGS.map((e) => e.name),
    'manifests/kube-apiserver.yaml',
  ];
  const controlPlane = [
    'manifests/kube-apiserver.yaml',
    certPath('apiserver'),
    'admin.conf',
    keyPath('ca'),
  ].some((p) => files.has(p));
  if (controlPlane) return 'kubeadm';
  if (catalogFiles.some((p) => files.has(p))) return 'kubeadm-node';
  if (files.has('pki/ca.pem')) return 'cfssl';
  return 'generic';
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

function caId(path: string): string {
  return `ca:${path}`;
}

function pemAt(b: Builder, path: string | undefined): { file?: InventoryFile; pem?: PemContent } {
  if (path === undefined) return {};
  const file = b.input.files.get(path);
  return { file, pem: file?.content.kind === 'pem' ? file.content : undefined };
}

function place(absolutePath: string) {
  return { file: absolutePath, span: FILE_START };
}

function finding(
  code: FindingCode,
  file: string,
  params: FindingParams,
  extra: Partial<Finding> = {},
): Finding {
  return { code, severity: FINDING_CATALOG[code].severity, params, file, span: FILE_START, ...extra };
}

function dateState(cert: Certificate, options: InventoryOptions): PkiItemState {
  const now = options.now.getTime();
  if (cert.notAfter.getTime() < now) return 'expired';
  if (cert.notBefore.getTime() > now) return 'not-yet-valid';
  if (cert.notAfter.getTime() - now <= options.warnDays * DAY_MS) return 'expiring';
  return 'ok';
}

/** Worst first: what the icon shows. */
const STATE_ORDER: readonly PkiItemState[] = [
  'missing',
  'invalid',
  'mis-signed',
  'key-mismatch',
  'expired',
  'not-yet-valid',
  'expiring',
  'externally-managed',
  'ok',
];

export function worstState(states: readonly PkiItemState[]): PkiItemState {
  return STATE_ORDER.find((s) => states.includes(s)) ?? 'ok';
}

type Draft = Omit<PkiItem, 'version'>;

function finish(draft: Draft): PkiItem {
  const version = [
    draft.state,
    draft.certificate?.sha256Fingerprint ?? '',
    draft.externallyManaged,
    draft.caId ?? '',
    draft.reason ?? '',
    draft.findings.map((f) => `${f.code}:${JSON.stringify(f.params)}`).join(','),
  ].join('|');
  return { ...draft, version };
}

function caItem(
  b: Builder,
  path: string,
  key: string | undefined,
  name: string,
  catalog: boolean,
  longName?: string,
  reportKeyMissing = true,
): PkiItem {
  const { file, pem } = pemAt(b, path);
  const keyFile = pemAt(b, key);
  b.claimed.add(path);
  if (key) b.claimed.add(key);
  const absolutePath = file?.stat.absolutePath ?? b.input.absolutePath(path);
  const keyAbsolutePath = key ? (keyFile.file?.stat.absolutePath ?? b.input.absolutePath(key)) : undefined;
  const base = {
    id: caId(path),
    kind: 'ca' as const,
    name,
    longName,
    catalog,
    path,
    absolutePath,
    keyPath: key,
    keyAbsolutePath,
    rotatedByKubelet: false,
  };
  if (!file) {
    return finish({
      ...base,
      state: 'missing',
      externallyManaged: false,
      reason: 'certificate file missing',
      findings: b.ctx.enabled('pki-missing')
        ? [finding('pki-missing', absolutePath, { path: absolutePath, name })]
        : [],
    });
  }
  const cert = pem?.certificates[0];
  if (!cert) return invalidItem(b, base, pem);
  const findings = certificateFindings(cert, { ...place(absolutePath), role: 'ca' }, b.ctx);
  const externallyManaged = !keyFile.file;
  let keyMismatch = false;
  if (externallyManaged) {
    if (reportKeyMissing && b.ctx.enabled('pki-ca-key-missing') && keyAbsolutePath) {
      findings.push(
        finding(
          'pki-ca-key-missing',
          absolutePath,
          { name, path: keyAbsolutePath },
          { certificate: certificateRef(cert) },
        ),
      );
    }
  } else {
    keyMismatch = keyMismatchFinding(b, cert, keyFile.pem, absolutePath, keyAbsolutePath!, findings);
  }
  const dates = dateState(cert, b.options);
  return finish({
    ...base,
    state: keyMismatch ? 'key-mismatch' : dates === 'ok' && externallyManaged ? 'externally-managed' : dates,
    externallyManaged,
    certificate: cert,
    findings,
  });
}

function invalidItem(
  b: Builder,
  base: Omit<Draft, 'state' | 'externallyManaged' | 'findings'>,
  pem: PemContent | undefined,
): PkiItem {
  const reason = pem?.problems[0]?.message ?? 'no certificate in the file';
  return finish({
    ...base,
    state: 'invalid',
    externallyManaged: false,
    reason,
    findings: b.ctx.enabled('invalid-pem')
      ? [finding('invalid-pem', base.absolutePath, { field: base.absolutePath })]
      : [],
  });
}

/** Adds pki-key-mismatch (or pki-missing for a catalog key) and says whether the pair is broken. */
function keyMismatchFinding(
  b: Builder,
  cert: Certificate,
  keyPem: PemContent | undefined,
  absolutePath: string,
  keyAbsolutePath: string,
  findings: Finding[],
): boolean {
  if (!keyPem?.privateKeys.length) return false;
  if (keyPem.privateKeys.some((k) => keyMatchesCertificate(k, cert))) return false;
  if (b.ctx.enabled('pki-key-mismatch')) {
    findings.push(
      finding(
        'pki-key-mismatch',
        absolutePath,
        { keyPath: keyAbsolutePath, path: absolutePath, subject: cert.subject.display },
        { certificate: certificateRef(cert) },
      ),
    );
  }
  return true;
}

function leafItem(
  b: Builder,
  path: string,
  key: string | undefined,
  name: string,
  ca: PkiItem | undefined,
  catalog: boolean,
  longName?: string,
  /** Only for leaves no CA verifies: CAs whose name matches the issuer (the regenerated-CA trap). */
  namesakes: readonly { item: PkiItem; cert: Certificate }[] = [],
): PkiItem {
  const { file, pem } = pemAt(b, path);
  const keyFile = pemAt(b, key);
  b.claimed.add(path);
  if (key && keyFile.file) b.claimed.add(key);
  if (catalog && key) b.claimed.add(key);
  const absolutePath = file?.stat.absolutePath ?? b.input.absolutePath(path);
  const keyAbsolutePath = key ? (keyFile.file?.stat.absolutePath ?? b.input.absolutePath(key)) : undefined;
  const base = {
    id: `cert:${path}`,
    kind: 'cert' as const,
    name,
    longName,
    catalog,
    path,
    absolutePath,
    keyPath: key && (catalog || keyFile.file) ? key : undefined,
    keyAbsolutePath: key && (catalog || keyFile.file) ? keyAbsolutePath : undefined,
    caId: ca?.id,
    caName: ca?.name,
    rotatedByKubelet: false,
  };
  if (!file) {
    return finish({
      ...base,
      state: 'missing',
      externallyManaged: ca?.externallyManaged ?? false,
      reason: 'certificate file missing',
      findings: b.ctx.enabled('pki-missing')
        ? [finding('pki-missing', absolutePath, { path: absolutePath, name })]
        : [],
    });
  }
  const cert = pem?.certificates[0];
  if (!cert) return invalidItem(b, base, pem);

  const findings = certificateFindings(cert, { ...place(absolutePath), role: 'file' }, b.ctx);
  let misSigned = false;
  let checkedWith: PkiItem['checkedWith'];
  const caCert = ca?.certificate;
  const checkAgainst = caCert
    ? [{ item: ca!, cert: caCert }]
    : namesakes.filter((n) => n.cert.subject.derHex === cert.issuer.derHex);
  for (const anchor of checkAgainst) {
    checkedWith = { name: anchor.item.name, path: anchor.item.absolutePath };
    const problems = signingProblems(cert, anchor.cert, b.options.now);
    if (!problems.length) continue;
    misSigned = true;
    findings.push(
      ...chainFindings(cert, problems, [anchor.cert], place(absolutePath), b.ctx, new Set(), [
        {
          file: anchor.item.absolutePath,
          span: FILE_START,
          message: RELATED_MESSAGES.pkiCaChecked,
          params: { ca: anchor.item.name, path: anchor.item.absolutePath },
        },
      ]),
    );
  }
  if (!ca && !misSigned && !cert.isSelfIssued && b.ctx.enabled('pki-issuer-unknown')) {
    findings.push(
      finding(
        'pki-issuer-unknown',
        absolutePath,
        { subject: cert.subject.display, path: absolutePath, issuer: cert.issuer.display },
        { certificate: certificateRef(cert) },
      ),
    );
  }

  let keyBroken = false;
  if (base.keyPath && keyAbsolutePath) {
    if (!keyFile.file) {
      keyBroken = true;
      if (b.ctx.enabled('pki-missing'))
        findings.push(
          finding('pki-missing', keyAbsolutePath, { path: keyAbsolutePath, name: `${name} key` }),
        );
    } else {
      keyBroken = keyMismatchFinding(b, cert, keyFile.pem, absolutePath, keyAbsolutePath, findings);
    }
  }
  const dates = dateState(cert, b.options);
  const state: PkiItemState = misSigned
    ? 'mis-signed'
    : keyBroken
      ? keyFile.file
        ? 'key-mismatch'
        : 'missing'
      : dates;
  return finish({
    ...base,
    state,
    externallyManaged: ca?.externallyManaged ?? false,
    checkedWith,
    reason: misSigned
      ? `not verified by ${checkedWith?.name ?? 'its CA'}`
      : keyBroken && !keyFile.file
        ? 'key file missing'
        : undefined,
    certificate: cert,
    findings,
  });
}

function signingProblems(cert: Certificate, ca: Certificate, now: Date): ChainProblem[] {
  return verifyChain(cert, { anchors: [ca] }, now).problems.filter((p) => SIGNING_PROBLEMS.has(p.code));
}

function kubeconfigItem(
  b: Builder,
  path: string,
  clusterCa: { item: PkiItem; cert: Certificate } | undefined,
  catalog: boolean,
  rotatedByKubelet: boolean,
  longName?: string,
  optional = false,
): PkiItem {
  const file = b.input.files.get(path);
  b.claimed.add(path);
  const absolutePath = file?.stat.absolutePath ?? b.input.absolutePath(path);
  const base = {
    id: `kubeconfig:${path}`,
    kind: 'kubeconfig' as const,
    name: catalog ? path : displayName(path),
    longName,
    catalog,
    path,
    absolutePath,
    caId: clusterCa?.item.id,
    caName: clusterCa ? clusterCa.item.name : undefined,
    rotatedByKubelet,
  };
  const externallyManaged = clusterCa?.item.externallyManaged ?? false;
  if (!file || file.content.kind !== 'kubeconfig') {
    return finish({
      ...base,
      state: 'missing',
      externallyManaged,
      reason: 'kubeconfig missing',
      findings:
        !optional && b.ctx.enabled('pki-missing')
          ? [finding('pki-missing', absolutePath, { path: absolutePath, name: base.name })]
          : [],
    });
  }
  const content: KubeconfigContent = file.content;
  const { cert, reference } = clientCertificate(b, content);
  if (!cert) {
    return finish({
      ...base,
      state: reference?.status === 'missing' ? 'missing' : 'invalid',
      externallyManaged,
      reason:
        reference?.status === 'missing'
          ? `client certificate ${reference.absolutePath} not found`
          : (content.client.problems[0] ?? 'no client certificate in the current context'),
      findings: [],
    });
  }
  const userField = content.document.users.find((u) => u.name === content.client.user)?.fields;
  const span =
    userField?.['client-certificate-data']?.span ?? userField?.['client-certificate']?.span ?? FILE_START;
  const where = {
    file: absolutePath,
    span,
    ...(content.client.user !== undefined ? { user: content.client.user } : {}),
  };
  const findings = certificateFindings(cert, { ...where, role: 'client' }, b.ctx);
  // kubeadm's kubeconfigs come from the cluster CA; otherwise the kubeconfig's own CA is the reference.
  const anchor =
    clusterCa ??
    (content.client.clusterCas[0] ? { item: undefined, cert: content.client.clusterCas[0] } : undefined);
  let misSigned = false;
  let checkedWith: PkiItem['checkedWith'];
  if (anchor) {
    const caLabel = anchor.item
      ? anchor.item.name
      : `${content.client.cluster ?? ''} (certificate-authority-data)`;
    const caPath = anchor.item ? anchor.item.absolutePath : absolutePath;
    checkedWith = { name: caLabel, path: caPath };
    const problems = signingProblems(cert, anchor.cert, b.options.now);
    if (problems.length) {
      misSigned = true;
      findings.push(
        ...chainFindings(cert, problems, [anchor.cert], where, b.ctx, new Set(), [
          {
            file: caPath,
            span: FILE_START,
            message: RELATED_MESSAGES.pkiCaChecked,
            params: { ca: caLabel, path: caPath },
          },
        ]),
      );
    }
  }
  return finish({
    ...base,
    state: misSigned ? 'mis-signed' : dateState(cert, b.options),
    externallyManaged,
    checkedWith,
    reason: misSigned ? `not verified by ${checkedWith?.name ?? 'its CA'}` : undefined,
    certificate: cert,
    findings,
  });
}

function clientCertificate(
  b: Builder,
  content: KubeconfigContent,
): { cert?: Certificate; reference?: ResolvedFile } {
  if (content.client.certificate) return { cert: content.client.certificate };
  const ref = content.client.certificatePath;
  if (!ref) return {};
  const reference = resolver(b.input, b.options)(ref.resolved);
  if (reference.status === 'present') return { cert: reference.pem?.certificates[0], reference };
  if (reference.status === 'outside') {
    const external = b.input.external.get(ref.resolved);
    return external
      ? {
          cert: external.certificates[0],
          reference: { status: 'present', absolutePath: ref.resolved, pem: external },
        }
      : { reference: { status: 'missing', absolutePath: ref.resolved } };
  }
  return { reference };
}

function serviceAccountItem(b: Builder): PkiItem {
  const privatePath = SERVICE_ACCOUNT_KEY.privateKey;
  const publicPath = SERVICE_ACCOUNT_KEY.publicKey;
  const priv = pemAt(b, privatePath);
  const pub = pemAt(b, publicPath);
  b.claimed.add(privatePath);
  b.claimed.add(publicPath);
  const absolutePath = priv.file?.stat.absolutePath ?? b.input.absolutePath(privatePath);
  const keyAbsolutePath = pub.file?.stat.absolutePath ?? b.input.absolutePath(publicPath);
  const base = {
    id: `key-pair:${privatePath}`,
    kind: 'key-pair' as const,
    name: 'sa',
    longName: 'service account token signing key pair',
    catalog: true,
    path: privatePath,
    absolutePath,
    keyPath: publicPath,
    keyAbsolutePath,
    rotatedByKubelet: false,
    externallyManaged: false,
  };
  const findings: Finding[] = [];
  const missing = [!priv.file ? absolutePath : undefined, !pub.file ? keyAbsolutePath : undefined].filter(
    (p): p is string => p !== undefined,
  );
  if (missing.length) {
    if (b.ctx.enabled('pki-missing'))
      for (const p of missing) findings.push(finding('pki-missing', p, { path: p, name: 'sa' }));
    return finish({ ...base, state: 'missing', reason: `${missing.join(', ')} missing`, findings });
  }
  const privateSpkis = priv.pem?.privateKeySpkis ?? [];
  const publicSpkis = pub.pem?.publicKeySpkis ?? [];
  if (!privateSpkis.length || !publicSpkis.length) {
    return finish({
      ...base,
      state: 'invalid',
      reason: !privateSpkis.length ? 'sa.key holds no private key' : 'sa.pub holds no public key',
      findings,
    });
  }
  if (!publicSpkis.some((p) => privateSpkis.some((k) => sameBytes(k, p)))) {
    if (b.ctx.enabled('sa-key-mismatch')) {
      findings.push(
        finding('sa-key-mismatch', keyAbsolutePath, {
          publicPath: keyAbsolutePath,
          privatePath: absolutePath,
        }),
      );
    }
    return finish({
      ...base,
      state: 'key-mismatch',
      reason: 'sa.pub is not the public half of sa.key',
      findings,
    });
  }
  return finish({ ...base, state: 'ok', findings });
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

function resolver(input: InventoryInput, options: InventoryOptions): (nodePath: string) => ResolvedFile {
  const rootAbsolute = input.absolutePath('');
  return (nodePath) => {
    const logical = toLogicalPath(nodePath, rootAbsolute, options.nodeConfigDir);
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
