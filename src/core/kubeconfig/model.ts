// The kubeconfig model: every value keeps the 0-based offsets of its key and value in the text
// of the file it came from, so hover, diagnostics and the CLI can point at it.
import type { Finding, Span } from '../findings/finding';

/** How a kubeconfig field is read; the tables below are the list of fields we understand. */
export type FieldKind = 'string' | 'path' | 'boolean' | 'exec' | 'auth-provider';

export interface ExecInfo {
  readonly command?: string;
  readonly apiVersion?: string;
}

export interface AuthProviderInfo {
  readonly name?: string;
}

interface KindValue {
  string: string;
  path: string;
  boolean: boolean;
  exec: ExecInfo;
  'auth-provider': AuthProviderInfo;
}

export interface Field<T = unknown> {
  /** The kubeconfig key, e.g. "client-certificate-data". */
  readonly key: string;
  readonly value: T;
  readonly keySpan: Span;
  readonly span: Span;
  /** Path fields only: the value resolved against the directory of the file holding it. */
  readonly resolvedPath?: string;
}

export const CLUSTER_FIELDS = {
  server: 'string',
  'certificate-authority': 'path',
  'certificate-authority-data': 'string',
  'insecure-skip-tls-verify': 'boolean',
  'tls-server-name': 'string',
  'proxy-url': 'string',
} as const satisfies Record<string, FieldKind>;

export const USER_FIELDS = {
  'client-certificate': 'path',
  'client-certificate-data': 'string',
  'client-key': 'path',
  'client-key-data': 'string',
  token: 'string',
  tokenFile: 'path',
  username: 'string',
  password: 'string',
  exec: 'exec',
  'auth-provider': 'auth-provider',
} as const satisfies Record<string, FieldKind>;

export const CONTEXT_FIELDS = {
  cluster: 'string',
  user: 'string',
  namespace: 'string',
} as const satisfies Record<string, FieldKind>;

type FieldsOf<T extends Record<string, FieldKind>> = { readonly [K in keyof T]?: Field<KindValue[T[K]]> };

export type ClusterFields = FieldsOf<typeof CLUSTER_FIELDS>;
export type UserFields = FieldsOf<typeof USER_FIELDS>;
export type ContextFields = FieldsOf<typeof CONTEXT_FIELDS>;

export type EntryKind = 'cluster' | 'user' | 'context';

interface EntryBase {
  /** The kubeconfig file the entry comes from. */
  readonly file: string;
  readonly name: string;
  /** The name value, or the start of the item when it has no name. */
  readonly nameSpan: Span;
  /** The whole list item. */
  readonly span: Span;
}

export interface ClusterEntry extends EntryBase {
  readonly kind: 'cluster';
  readonly fields: ClusterFields;
}

export interface UserEntry extends EntryBase {
  readonly kind: 'user';
  readonly fields: UserFields;
}

export interface ContextEntry extends EntryBase {
  readonly kind: 'context';
  readonly fields: ContextFields;
}

/** One parsed file, entries in document order (duplicates included). */
export interface KubeconfigDocument {
  readonly file: string;
  readonly text: string;
  /** `kind:` at the top level ("Config" for a kubeconfig). */
  readonly kind?: Field<string>;
  readonly clusters: readonly ClusterEntry[];
  readonly users: readonly UserEntry[];
  readonly contexts: readonly ContextEntry[];
  readonly currentContext?: Field<string>;
  /** Structural problems: invalid-yaml, invalid-field, duplicate-name. */
  readonly findings: readonly Finding[];
}

/** The effective configuration of one or more files (KUBECONFIG merge). */
export interface KubeconfigModel {
  readonly documents: readonly KubeconfigDocument[];
  readonly clusters: ReadonlyMap<string, ClusterEntry>;
  readonly users: ReadonlyMap<string, UserEntry>;
  readonly contexts: ReadonlyMap<string, ContextEntry>;
  /** The first non-empty current-context, with the file that set it. */
  readonly currentContext?: { readonly file: string; readonly field: Field<string> };
}
