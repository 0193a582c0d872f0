// CIS Kubernetes Benchmark file checks (section 1.1 control plane, 4.1 worker node) as data. Each
// finding names the item and the benchmark revision: the revisions disagree (1.1.20, `*.crt`, is
// 600 in v1.10.0 and 644 in v1.12.0), so the revision in force is an option.
import { makeFinding, type Finding } from '../findings/finding';
import { globToRegExp, isBackupPath } from './layout';
import type { PkiFileStat } from './source';

export type CisRevision = 'v1.10.0' | 'v1.12.0';

export const DEFAULT_CIS_REVISION: CisRevision = 'v1.12.0';

export interface CisFileCheck {
  readonly item: string;
  /** Logical path glob (see layout.ts). */
  readonly glob: string;
  readonly type: 'file' | 'directory' | 'any';
  /** "or more restrictive": no permission bit outside this mask. */
  readonly maxMode?: number;
  readonly owner?: 'root:root';
}

const CONTROL_PLANE: readonly CisFileCheck[] = [
  { item: '1.1.1', glob: 'manifests/kube-apiserver.yaml', type: 'file', maxMode: 0o600 },
  { item: '1.1.2', glob: 'manifests/kube-apiserver.yaml', type: 'file', owner: 'root:root' },
  { item: '1.1.3', glob: 'manifests/kube-controller-manager.yaml', type: 'file', maxMode: 0o600 },
  { item: '1.1.4', glob: 'manifests/kube-controller-manager.yaml', type: 'file', owner: 'root:root' },
  { item: '1.1.5', glob: 'manifests/kube-scheduler.yaml', type: 'file', maxMode: 0o600 },
  { item: '1.1.6', glob: 'manifests/kube-scheduler.yaml', type: 'file', owner: 'root:root' },
  { item: '1.1.7', glob: 'manifests/etcd.yaml', type: 'file', maxMode: 0o600 },
  { item: '1.1.8', glob: 'manifests/etcd.yaml', type: 'file', owner: 'root:root' },
  { item: '1.1.13', glob: 'admin.conf', type: 'file', maxMode: 0o600 },
  { item: '1.1.13', glob: 'super-admin.conf', type: 'file', maxMode: 0o600 },
  { item: '1.1.14', glob: 'admin.conf', type: 'file', owner: 'root:root' },
  { item: '1.1.14', glob: 'super-admin.conf', type: 'file', owner: 'root:root' },
  { item: '1.1.15', glob: 'scheduler.conf', type: 'file', maxMode: 0o600 },
  { item: '1.1.16', glob: 'scheduler.conf', type: 'file', owner: 'root:root' },
  { item: '1.1.17', glob: 'controller-manager.conf', type: 'file', maxMode: 0o600 },
  { item: '1.1.18', glob: 'controller-manager.conf', type: 'file', owner: 'root:root' },
  { item: '1.1.19', glob: 'pki', type: 'directory', owner: 'root:root' },
  { item: '1.1.19', glob: 'pki/**', type: 'any', owner: 'root:root' },
  { item: '1.1.21', glob: 'pki/**/*.key', type: 'file', maxMode: 0o600 },
  { item: '4.1.5', glob: 'kubelet.conf', type: 'file', maxMode: 0o600 },
  { item: '4.1.6', glob: 'kubelet.conf', type: 'file', owner: 'root:root' },
];

export const CIS_FILE_CHECKS: Readonly<Record<CisRevision, readonly CisFileCheck[]>> = {
  'v1.10.0': [...CONTROL_PLANE, { item: '1.1.20', glob: 'pki/**/*.crt', type: 'file', maxMode: 0o600 }],
  'v1.12.0': [...CONTROL_PLANE, { item: '1.1.20', glob: 'pki/**/*.crt', type: 'file', maxMode: 0o644 }],
};

export interface CisOptions {
  readonly revision: CisRevision;
  /** Ownership means something only on the node itself (the scanned folder belongs to root). */
  readonly checkOwnership: boolean;
}

const compiled = new Map<string, RegExp>();

function matches(glob: string, path: string): boolean {
  let re = compiled.get(glob);
  if (!re) compiled.set(glob, (re = globToRegExp(glob)));
  return re.test(path);
}

export function benchmarkName(revision: CisRevision): string {
  return `CIS Kubernetes Benchmark ${revision}`;
}

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(3, '0');
}

/** One finding per file and code: the first failing item of each kind is named. */
export function cisFindings(stats: readonly PkiFileStat[], options: CisOptions): Finding[] {
  const benchmark = benchmarkName(options.revision);
  const findings: Finding[] = [];
  for (const stat of stats) {
    if (isBackupPath(stat.path)) continue;
    let modeReported = false;
    let ownerReported = false;
    for (const check of CIS_FILE_CHECKS[options.revision]) {
      if (check.type !== 'any' && check.type !== stat.type) continue;
      if (!matches(check.glob, stat.path)) continue;
      if (check.maxMode !== undefined && !modeReported && (stat.mode & ~check.maxMode & 0o7777) !== 0) {
        modeReported = true;
        findings.push(
          finding('cis-file-permissions', stat, {
            mode: octal(stat.mode),
            expected: octal(check.maxMode),
            item: check.item,
            benchmark,
          }),
        );
      }
      if (check.owner && options.checkOwnership && !ownerReported && (stat.uid !== 0 || stat.gid !== 0)) {
        ownerReported = true;
        findings.push(
          finding('cis-file-ownership', stat, {
            owner: `${stat.uid}:${stat.gid}`,
            item: check.item,
            benchmark,
          }),
        );
      }
    }
  }
  return findings;
}

function finding(
  code: 'cis-file-permissions' | 'cis-file-ownership',
  stat: PkiFileStat,
  params: Record<string, string>,
): Finding {
  return makeFinding(
    code,
    { file: stat.absolutePath, span: { start: 0, end: 0 } },
    { path: stat.absolutePath, ...params },
  );
}
