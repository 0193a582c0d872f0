// PKI findings for `kubecerts audit DIR`: the inventory's findings for a folder that looks like a
// PKI, without the per-certificate findings on kubeconfigs that the kubeconfig audit already reports.
import type { FindingCode } from '../../core/findings/catalog';
import type { Finding } from '../../core/findings/finding';
import { PkiScanner } from '../../core/pki/scanner';
import { servedEndpoints, servedRows, withServed } from '../../core/pki/served';
import type { Env } from '../../core/probe/proxy';
import { observeEndpoints } from '../probe/pkiServed';
import { folderLooksLikePki, openPkiFolder } from './fsSource';

/** Raised by the kubeconfig audit for every client certificate it reads. */
export const KUBECONFIG_AUDIT_CODES: ReadonlySet<string> = new Set([
  'cert-expired',
  'cert-expiring',
  'cert-not-yet-valid',
  'weak-key',
  'weak-signature',
  'client-auth-missing',
  'system-masters',
]);

export interface PkiAuditOptions {
  readonly now: Date;
  readonly warnDays: number;
  readonly enabled?: (code: FindingCode) => boolean;
  /** `--probe`: also connect to the components the folder configures and compare what they serve. */
  readonly probe?: { readonly env: Env; readonly timeoutMs?: number };
}

export interface PkiAuditResult {
  readonly findings: readonly Finding[];
  /** Texts of the files the findings point into with a span (for line numbers). */
  readonly texts: ReadonlyMap<string, string>;
}

/** undefined when `dir` does not look like a PKI (no ca.crt / ca.pem / pki folder). */
export async function pkiAuditFindings(
  dir: string,
  options: PkiAuditOptions,
): Promise<PkiAuditResult | undefined> {
  if (!(await folderLooksLikePki(dir))) return undefined;
  const scanned = await new PkiScanner(await openPkiFolder(dir)).scan(options);
  const inventory = options.probe
    ? withServed(
        scanned,
        servedRows(scanned, await observeEndpoints(servedEndpoints(scanned), options.probe), options),
      )
    : scanned;
  const kubeconfigFiles = new Set(inventory.kubeconfigs.map((k) => k.absolutePath));
  const findings = inventory.findings.filter(
    (f) => !(kubeconfigFiles.has(f.file) && KUBECONFIG_AUDIT_CODES.has(f.code)),
  );
  return { findings, texts: inventory.texts };
}
