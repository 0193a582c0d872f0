// The shapes kubecerts.renewCert and kubecerts.renewAll are invoked with: nothing (palette), a file
// Uri (explorer), a PKI tree item, a hover or quick-fix argument `{file, offset}`, or a scripted call
// that also names the way and skips the confirmation (tests). vscode-free, so it is unit-tested.

export interface RenewCertArgs {
  readonly file?: string;
  /** Offset in a kubeconfig: only the user there is offered. */
  readonly offset?: number;
  /** Take this way without asking when it is possible. */
  readonly method?: 'local' | 'csr';
  /** The caller already confirmed (scripted use); the preview is then only logged. */
  readonly confirmed?: boolean;
}

export interface RenewAllArgs {
  readonly configDir?: string;
  readonly confirmed?: boolean;
}

type Loose = Record<string, unknown>;

const asObject = (value: unknown): Loose | undefined =>
  value !== null && typeof value === 'object' ? (value as Loose) : undefined;
const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** A file path from a Uri (`file:` only), a PKI item (`absolutePath`), a tree node wrapping one, or `file`. */
function fileOf(arg: Loose | undefined): string | undefined {
  if (!arg) return undefined;
  if (typeof arg.scheme === 'string') return arg.scheme === 'file' ? asString(arg.fsPath) : undefined;
  return (
    asString(arg.file) ??
    asString(arg.absolutePath) ??
    fileOf(asObject(arg.resourceUri)) ??
    fileOf(asObject(arg.item))
  );
}

export function renewCertArgs(arg: unknown): RenewCertArgs {
  const object = asObject(arg);
  const file = fileOf(object);
  const offset = object?.offset;
  const method = object?.method;
  return {
    ...(file ? { file } : {}),
    ...(typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? { offset } : {}),
    ...(method === 'local' || method === 'csr' ? { method } : {}),
    ...(object?.confirmed === true ? { confirmed: true } : {}),
  };
}

export function renewAllArgs(arg: unknown): RenewAllArgs {
  const object = asObject(arg);
  // A PKI view root node carries its folder.
  const configDir = asString(object?.configDir) ?? asString(object?.folder);
  return { ...(configDir ? { configDir } : {}), ...(object?.confirmed === true ? { confirmed: true } : {}) };
}

/** A `command:` link for hovers (the Markdown must enable kubecerts.renewCert in isTrusted). */
export function renewCommandLink(file: string, offset?: number): string {
  const args: RenewCertArgs = offset === undefined ? { file } : { file, offset };
  return `command:kubecerts.renewCert?${encodeURIComponent(JSON.stringify([args]))}`;
}
