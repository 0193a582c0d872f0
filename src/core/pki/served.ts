// "Renewed on disk, not yet served": where each component of a PKI folder listens (read from the
// static pod manifests and the kubelet's config.yaml, as a table), which file of the folder it is
// configured to serve, and — once kubecerts connected (src/node/probe/pkiServed.ts) — the findings
// comparing the two. A component reads its certificate at start, so a renewed file is served only
// after a restart; until then the serials differ (`served-cert-stale`).
import type { FindingCode } from '../findings/catalog';
import { withoutDisabled, type EnabledCodes, type Finding, type Span } from '../findings/finding';
import { probeFindings, type ConfiguredServing } from '../probe/findings';
import { probeTarget, type ProbeTarget } from '../probe/target';
import { servedVerdict, type ProbeObservation } from '../probe/verdict';
import { finishItem, type PkiItem, type ServedFacts } from './item';
import { DEFAULT_NODE_CONFIG_DIR, toLogicalPath, withItems, type PkiInventory } from './inventory';
import { kubeletListen } from './kubelet';
import type { StaticPodManifest } from './manifest';
import { FILE_START } from './items/builder';

/** How a static pod says where it listens and what it serves. */
interface ServingRule {
  readonly component: string;
  /** metadata.name of the manifest. */
  readonly manifest: string;
  /** host: the first of these flags that is set, else `defaultHost`; port: `portFlag`, else `defaultPort`. */
  readonly hostFlags?: readonly string[];
  readonly defaultHost?: string;
  readonly portFlag?: string;
  readonly defaultPort?: number;
  /** Or a comma-separated list of URLs (etcd); the first is probed. */
  readonly urlsFlag?: string;
  /** The certificate it serves; without it the component makes its own at start (scheduler, controller-manager). */
  readonly certFlag: string;
}

export const SERVING_RULES: readonly ServingRule[] = [
  {
    component: 'kube-apiserver',
    manifest: 'kube-apiserver',
    hostFlags: ['--advertise-address', '--bind-address'],
    defaultHost: '0.0.0.0',
    portFlag: '--secure-port',
    defaultPort: 6443,
    certFlag: '--tls-cert-file',
  },
  { component: 'etcd', manifest: 'etcd', urlsFlag: '--listen-client-urls', certFlag: '--cert-file' },
  { component: 'etcd', manifest: 'etcd', urlsFlag: '--listen-peer-urls', certFlag: '--peer-cert-file' },
  {
    component: 'kube-scheduler',
    manifest: 'kube-scheduler',
    hostFlags: ['--bind-address'],
    defaultHost: '0.0.0.0',
    portFlag: '--secure-port',
    defaultPort: 10259,
    certFlag: '--tls-cert-file',
  },
  {
    component: 'kube-controller-manager',
    manifest: 'kube-controller-manager',
    hostFlags: ['--bind-address'],
    defaultHost: '0.0.0.0',
    portFlag: '--secure-port',
    defaultPort: 10257,
    certFlag: '--tls-cert-file',
  },
];

export interface ServedEndpoint {
  /** Stable across scans: the component and where it listens. */
  readonly key: string;
  readonly component: string;
  readonly target: ProbeTarget;
  /** The row of the file it is configured to serve, when that file is in the folder. */
  readonly itemId?: string;
  /** Where the address was read (manifest or config.yaml) and the flag's span. */
  readonly file: string;
  readonly span: Span;
}

/** Listening on every address: kubecerts runs on the node, so it connects over loopback. */
function connectHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

function urlOf(host: string, port: number): string {
  return host.includes(':') ? `https://[${host}]:${port}` : `https://${host}:${port}`;
}

function manifestEndpoint(
  manifest: StaticPodManifest,
  rule: ServingRule,
  itemOf: (nodePath: string) => PkiItem | undefined,
): ServedEndpoint | undefined {
  const flag = (name: string) => manifest.flags.find((f) => f.name === name);
  let server: string | undefined;
  let span: Span = FILE_START;
  if (rule.urlsFlag) {
    const urls = flag(rule.urlsFlag);
    const first = urls?.value.split(',')[0]?.trim();
    if (!urls || !first) return undefined;
    try {
      const url = new URL(first);
      if (url.protocol !== 'https:') return undefined;
      server = urlOf(connectHost(url.hostname.replace(/^\[|\]$/g, '')), Number(url.port || 443));
    } catch {
      return undefined;
    }
    span = urls.span;
  } else {
    const hostFlag = rule.hostFlags?.map(flag).find((f) => f !== undefined && f.value !== '');
    const portFlag = rule.portFlag ? flag(rule.portFlag) : undefined;
    const port = portFlag && /^\d{1,5}$/.test(portFlag.value) ? Number(portFlag.value) : rule.defaultPort;
    // --secure-port=0 switches the secure port off.
    if (!port) return undefined;
    server = urlOf(connectHost(hostFlag?.value ?? rule.defaultHost ?? ''), port);
    span = hostFlag?.span ?? portFlag?.span ?? FILE_START;
  }
  const target = probeTarget(server);
  if (!target.ok) return undefined;
  const cert = flag(rule.certFlag);
  const item = cert ? itemOf(cert.value) : undefined;
  return {
    key: `${rule.component}|${target.target.host}:${target.target.port}`,
    component: rule.component,
    target: target.target,
    ...(item ? { itemId: item.id } : {}),
    file: manifest.file,
    span,
  };
}

/** Every endpoint of the folder's components, in the table's order. */
export function servedEndpoints(inventory: PkiInventory): ServedEndpoint[] {
  const byPath = new Map<string, PkiItem>();
  for (const item of inventory.items.values()) if (item.kind !== 'backup') byPath.set(item.path, item);
  const itemOf = (nodePath: string): PkiItem | undefined => {
    const logical = toLogicalPath(
      nodePath,
      inventory.rootAbsolute,
      inventory.nodeConfigDir ?? DEFAULT_NODE_CONFIG_DIR,
    );
    return logical === undefined ? undefined : byPath.get(logical);
  };
  const out: ServedEndpoint[] = [];
  for (const rule of SERVING_RULES) {
    for (const manifest of inventory.manifests) {
      if (manifest.component !== rule.manifest) continue;
      const endpoint = manifestEndpoint(manifest, rule, itemOf);
      if (endpoint && !out.some((e) => e.key === endpoint.key)) out.push(endpoint);
    }
  }
  const serving = inventory.kubelet.find((i) => i.kubelet?.role === 'serving');
  if (serving) {
    const config = inventory.kubeletConfig;
    const listen = kubeletListen(config);
    const target = probeTarget(urlOf(connectHost(listen.host), listen.port));
    if (target.ok)
      out.push({
        key: `kubelet|${target.target.host}:${target.target.port}`,
        component: 'kubelet',
        target: target.target,
        itemId: serving.id,
        file: config?.file ?? serving.absolutePath,
        span: config?.port?.span ?? config?.address?.span ?? FILE_START,
      });
  }
  return out;
}

export interface ServedOptions {
  readonly now: Date;
  readonly warnDays: number;
  readonly enabled?: EnabledCodes;
}

export interface ServedRow {
  readonly endpoint: ServedEndpoint;
  readonly observation: ProbeObservation;
  readonly item?: PkiItem;
  readonly findings: readonly Finding[];
  readonly facts: ServedFacts;
}

/** Without a CA of the folder behind the file, trust and names say nothing (a self-made certificate is expected). */
const WITHOUT_CA: ReadonlySet<FindingCode> = new Set([
  'server-cert-expired',
  'server-cert-expiring',
  'server-unreachable',
  'served-cert-stale',
]);
/** The bind address is not a name clients use: the SAN check is `wiring-san-missing`'s, on disk. */
const NOT_FOR_PKI: ReadonlySet<FindingCode> = new Set(['server-name-mismatch']);

/** The findings of each observed endpoint, against the folder's files as they are now. */
export function servedRows(
  inventory: PkiInventory,
  observations: ReadonlyMap<string, ProbeObservation>,
  options: ServedOptions,
): ServedRow[] {
  const rows: ServedRow[] = [];
  for (const endpoint of servedEndpoints(inventory)) {
    const observation = observations.get(endpoint.key);
    if (!observation) continue;
    const item = endpoint.itemId !== undefined ? inventory.items.get(endpoint.itemId) : undefined;
    const ca = item?.caId !== undefined ? inventory.items.get(item.caId)?.certificate : undefined;
    const trust = {
      anchors: ca ? [ca] : [],
      source: 'ca-file' as const,
      label: item?.caId !== undefined ? (inventory.items.get(item.caId)?.absolutePath ?? '') : '',
    };
    const verdict = servedVerdict(observation, trust, options.now, options.warnDays);
    const configured: ConfiguredServing | undefined = item?.certificate
      ? {
          component: endpoint.component,
          path: item.absolutePath,
          certificate: item.certificate,
          ...(item.modifiedMs !== undefined
            ? { renewedAt: new Date(Math.floor(item.modifiedMs / 1000) * 1000) }
            : {}),
        }
      : undefined;
    const relevant = probeFindings(
      observation,
      trust,
      verdict,
      item ? { file: item.absolutePath, span: FILE_START } : { file: endpoint.file, span: endpoint.span },
      { warnDays: options.warnDays },
      configured,
    ).filter((f) => !NOT_FOR_PKI.has(f.code) && (ca !== undefined || WITHOUT_CA.has(f.code)));
    // `stale` marks the row as the finding does: a disabled served-cert-stale marks nothing.
    const findings = withoutDisabled(relevant, options.enabled);
    const leaf = verdict.leaf;
    rows.push({
      endpoint,
      observation,
      ...(item ? { item } : {}),
      findings,
      facts: {
        component: endpoint.component,
        server: endpoint.target.server,
        at: observation.at,
        ...(leaf ? { serialHex: leaf.serialHex, notAfter: leaf.notAfter } : {}),
        ...(observation.error !== undefined ? { error: observation.error } : {}),
        stale: findings.some((f) => f.code === 'served-cert-stale'),
      },
    });
  }
  return rows;
}

/** The inventory with each row's served findings on it, and those of no row in `servedChecks`. */
export function withServed(inventory: PkiInventory, rows: readonly ServedRow[]): PkiInventory {
  if (!rows.length) return inventory;
  const items = new Map(inventory.items);
  const loose: Finding[] = [];
  for (const row of rows) {
    const current = row.item ? items.get(row.item.id) : undefined;
    if (!current) {
      loose.push(...row.findings);
      continue;
    }
    items.set(
      current.id,
      finishItem({ ...current, findings: [...current.findings, ...row.findings], served: row.facts }),
    );
  }
  return {
    ...withItems(inventory, items),
    servedChecks: loose,
    findings: [...inventory.findings, ...rows.flatMap((r) => r.findings)],
  };
}
