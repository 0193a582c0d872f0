// How "Kube Certs: Show Certificate Details" is invoked: from the palette (no argument: the active
// editor's selection or cursor), or from a CodeLens or hover link with `{uri, offset}`. vscode-free.

export const SHOW_DETAILS_COMMAND = 'kubecerts.showCertificateDetails';

export interface ShowDetailsArgs {
  readonly uri: string;
  readonly offset: number;
}

export function showDetailsArgs(arg: unknown): ShowDetailsArgs | undefined {
  if (arg === null || typeof arg !== 'object') return undefined;
  const { uri, offset } = arg as Record<string, unknown>;
  return typeof uri === 'string' && typeof offset === 'number' && Number.isInteger(offset) && offset >= 0
    ? { uri, offset }
    : undefined;
}
