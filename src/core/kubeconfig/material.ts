// Certificates and keys behind kubeconfig values, decoded on demand and memoized per value, so
// a hover decodes only the line under the cursor and repeated hovers cost nothing.
import { decodeBase64Data, decodeFileContent, type DecodeResult } from '../x509/decode';
import type { ClusterEntry, Field, UserEntry } from './model';

const byField = new WeakMap<Field, DecodeResult>();
const byBytes = new WeakMap<Uint8Array, DecodeResult>();
const referencedByBytes = new WeakMap<Uint8Array, DecodeResult>();

export function decodeDataField(field: Field<string>): DecodeResult {
  let result = byField.get(field);
  if (!result) {
    result = decodeBase64Data(field.value);
    byField.set(field, result);
  }
  return result;
}

export function decodeFileBytes(bytes: Uint8Array): DecodeResult {
  let result = byBytes.get(bytes);
  if (!result) {
    result = decodeFileContent(bytes);
    byBytes.set(bytes, result);
  }
  return result;
}

/** A file a kubeconfig names, read as client-go reads it: PEM only, Go's certificate blocks and keys. */
export function decodeReferencedFile(bytes: Uint8Array): DecodeResult {
  let result = referencedByBytes.get(bytes);
  if (!result) {
    result = decodeFileContent(bytes, { asKubectl: true });
    referencedByBytes.set(bytes, result);
  }
  return result;
}

/** What a path names when it is no file: kubectl fails with "read PATH: is a directory". */
export const DIRECTORY = 'directory';

/**
 * Resolved path → file bytes, `null` when nothing exists there, DIRECTORY for a directory. A path
 * absent from the map was not looked up.
 */
export type FileContents = ReadonlyMap<string, Uint8Array | null | typeof DIRECTORY>;

export type MaterialRole = 'ca' | 'client-certificate' | 'client-key';

/** The data/path pair behind each role, data first: kubectl prefers the embedded data. */
export const MATERIAL_FIELDS = {
  ca: { data: 'certificate-authority-data', path: 'certificate-authority' },
  'client-certificate': { data: 'client-certificate-data', path: 'client-certificate' },
  'client-key': { data: 'client-key-data', path: 'client-key' },
} as const;

export interface Material {
  readonly role: MaterialRole;
  /** The field kubectl uses: the data field when set, else the path field. */
  readonly field: Field<string>;
  /** Set when the value comes from a file. */
  readonly path?: string;
  /** Undefined when the file was not looked up or does not exist. */
  readonly decoded?: DecodeResult;
  /** True when the path names a file that does not exist. */
  readonly missing: boolean;
  /** True when the path names a directory. */
  readonly directory: boolean;
}

/** The material kubectl would use for one role of an entry, or undefined when the entry has none. */
export function materialOf(
  entry: ClusterEntry | UserEntry,
  role: MaterialRole,
  files?: FileContents,
): Material | undefined {
  const names = MATERIAL_FIELDS[role];
  const fields = entry.fields as Record<string, Field<string> | undefined>;
  const data = fields[names.data];
  if (data && data.value !== '')
    return { role, field: data, decoded: decodeDataField(data), missing: false, directory: false };
  const path = fields[names.path];
  if (!path || path.value === '' || path.resolvedPath === undefined) return undefined;
  const bytes = files?.get(path.resolvedPath);
  return {
    role,
    field: path,
    path: path.resolvedPath,
    decoded: bytes instanceof Uint8Array ? decodeReferencedFile(bytes) : undefined,
    missing: bytes === null,
    directory: bytes === DIRECTORY,
  };
}

export interface FileReference {
  readonly path: string;
  /** False for tokenFile: only its existence matters, its content is a secret. */
  readonly needsContent: boolean;
}

/** Every file the path fields of these entries reference, for the caller to read before auditing. */
export function referencedFiles(entries: Iterable<ClusterEntry | UserEntry>): FileReference[] {
  const refs = new Map<string, boolean>();
  for (const entry of entries) {
    for (const field of Object.values(entry.fields) as Field[]) {
      if (!field.resolvedPath) continue;
      refs.set(field.resolvedPath, (refs.get(field.resolvedPath) ?? false) || field.key !== 'tokenFile');
    }
  }
  return [...refs].map(([path, needsContent]) => ({ path, needsContent }));
}
