// The JSON shape client-go decodes a kubeconfig into (k8s.io/client-go/tools/clientcmd/api/v1,
// kubectl 1.32): after YAML → JSON, a value of the wrong JSON type anywhere in it makes kubectl
// refuse the whole file ("json: cannot unmarshal bool into Go struct field …"). Keys are matched
// case-sensitively; unknown keys and null values are ignored.

export type JsonType =
  | 'string'
  | 'boolean'
  /** []byte: a base64 string (its content is checked where the data is decoded). */
  | 'bytes'
  /** runtime.RawExtension: any JSON. */
  | 'any'
  | { readonly object: Readonly<Record<string, JsonType>> }
  | { readonly list: JsonType }
  /** map[string]T */
  | { readonly dictionary: JsonType };

const NAMED_EXTENSIONS: JsonType = { list: { object: { name: 'string', extension: 'any' } } };

export const CLUSTER_SCHEMA: JsonType = {
  object: {
    server: 'string',
    'tls-server-name': 'string',
    'insecure-skip-tls-verify': 'boolean',
    'certificate-authority': 'string',
    'certificate-authority-data': 'bytes',
    'proxy-url': 'string',
    'disable-compression': 'boolean',
    extensions: NAMED_EXTENSIONS,
  },
};

export const USER_SCHEMA: JsonType = {
  object: {
    'client-certificate': 'string',
    'client-certificate-data': 'bytes',
    'client-key': 'string',
    'client-key-data': 'bytes',
    token: 'string',
    tokenFile: 'string',
    as: 'string',
    'as-uid': 'string',
    'as-groups': { list: 'string' },
    'as-user-extra': { dictionary: { list: 'string' } },
    username: 'string',
    password: 'string',
    'auth-provider': { object: { name: 'string', config: { dictionary: 'string' } } },
    exec: {
      object: {
        command: 'string',
        args: { list: 'string' },
        env: { list: { object: { name: 'string', value: 'string' } } },
        apiVersion: 'string',
        installHint: 'string',
        provideClusterInfo: 'boolean',
        interactiveMode: 'string',
      },
    },
    extensions: NAMED_EXTENSIONS,
  },
};

export const CONTEXT_SCHEMA: JsonType = {
  object: { cluster: 'string', user: 'string', namespace: 'string', extensions: NAMED_EXTENSIONS },
};

/** The top level, lists and entries excepted (parse.ts reads those with their names for scope). */
export const CONFIG_SCHEMA: Readonly<Record<string, JsonType>> = {
  kind: 'string',
  apiVersion: 'string',
  preferences: { object: { colors: 'boolean', extensions: NAMED_EXTENSIONS } },
  'current-context': 'string',
  extensions: NAMED_EXTENSIONS,
};

/** kind and apiVersion values the clientcmd scheme knows; empty means the default (v1 Config). */
export const KNOWN_VERSION_KIND = { kind: ['', 'Config'], apiVersion: ['', 'v1'] } as const;
