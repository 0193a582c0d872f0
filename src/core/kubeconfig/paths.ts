// Path references resolve against the directory of the kubeconfig that holds them (client-go's
// ResolvePaths). Pure string work: whether the file exists is the caller's business.
import * as path from 'node:path';

const WINDOWS_PATH = /^(?:[A-Za-z]:[\\/]|\\\\)/;

function flavourOf(file: string): path.PlatformPath {
  return WINDOWS_PATH.test(file) ? path.win32 : path.posix;
}

export function resolveReference(kubeconfigFile: string, reference: string): string {
  if (reference === '') return reference;
  if (WINDOWS_PATH.test(reference)) return path.win32.normalize(reference);
  if (reference.startsWith('/')) return path.posix.normalize(reference);
  const flavour = flavourOf(kubeconfigFile);
  return flavour.join(flavour.dirname(kubeconfigFile), reference);
}

/** Splits a KUBECONFIG value: ':' on Unix, ';' on Windows; empty parts are skipped like kubectl does. */
export function splitKubeconfigEnv(value: string, platform: NodeJS.Platform): string[] {
  const separator = platform === 'win32' ? ';' : ':';
  const seen = new Set<string>();
  const files: string[] = [];
  for (const part of value.split(separator)) {
    if (part === '' || seen.has(part)) continue;
    seen.add(part);
    files.push(part);
  }
  return files;
}
