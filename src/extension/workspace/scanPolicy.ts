// Which workspace files the audit reads, as data: the budgets and the name pre-filter. A file is a
// kubeconfig or a certificate file by its content (see fileAudit.ts); names only rule out files that
// cannot be one (sources, images, archives), so the scan never reads a whole repository.
// vscode-free: the bench and unit tests use it as the extension does.
import * as path from 'node:path';

/** Larger files are not read: the largest kubeconfigs seen in the field are a few MB. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** At most this many files are listed per scan; beyond it the scan says so in the log. */
export const MAX_LISTED_FILES = 50_000;
/** Folders never listed, whatever files.exclude and .gitignore say: large and never hold a kubeconfig of the project. */
export const NEVER_LISTED: readonly string[] = ['**/node_modules/**'];

/**
 * Extensions of files that may hold a kubeconfig or certificates. No extension: `config`,
 * `kubeconfig`, kubectl's own files; `.conf`: kubeadm's; YAML/JSON: kubeconfigs and manifests.
 */
const CANDIDATE_EXTENSIONS: ReadonlySet<string> = new Set([
  '',
  '.conf',
  '.config',
  '.kubeconfig',
  '.yaml',
  '.yml',
  '.json',
  '.pem',
  '.crt',
  '.cer',
  '.cert',
  '.der',
]);

export function isCandidateFile(file: string): boolean {
  return CANDIDATE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/**
 * The exclude glob for the workspace listing: the enabled `files.exclude` patterns (VS Code applies
 * them only when no exclude is given, so they are repeated here) and NEVER_LISTED. Patterns with a
 * `when` clause depend on sibling files and are left to the listing's post-filter (they rarely matter).
 */
export function excludeGlob(filesExclude: Readonly<Record<string, unknown>> | undefined): string {
  const patterns = Object.entries(filesExclude ?? {})
    .filter(([, on]) => on === true)
    .map(([pattern]) => pattern.replace(/[{},]/g, (c) => `\\${c}`));
  return `{${[...patterns, ...NEVER_LISTED].join(',')}}`;
}
