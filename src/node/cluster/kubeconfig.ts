// Which kubeconfig the cluster client uses, and loading it: the setting, else KUBECONFIG (several
// files), else ~/.kube/config. The files are parsed and merged by core (kubectl's rules: the first
// file that defines a name or current-context wins), so listing contexts needs no Kubernetes
// client; @kubernetes/client-node's KubeConfig is then built from the merged model, for the chosen
// context only.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Cluster, KubeConfig, User } from '@kubernetes/client-node';
import { mergeKubeconfigs } from '../../core/kubeconfig/merge';
import type { ClusterEntry, KubeconfigModel, UserEntry } from '../../core/kubeconfig/model';
import { parseKubeconfig } from '../../core/kubeconfig/parse';
import { splitKubeconfigEnv } from '../../core/kubeconfig/paths';
import type { ClientNode } from './clientNode';
import { ClusterError } from './errors';

export interface KubeconfigLocation {
  /** An explicit file (the kubecerts.kubeconfig setting or --kubeconfig); wins over the environment. */
  readonly kubeconfig?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly homeDir?: string;
  readonly platform?: NodeJS.Platform;
}

export interface KubeconfigFiles {
  readonly files: readonly string[];
  readonly origin: 'explicit' | 'env' | 'default';
}

export function kubeconfigFiles(location: KubeconfigLocation = {}): KubeconfigFiles {
  if (location.kubeconfig) return { files: [location.kubeconfig], origin: 'explicit' };
  const env = location.env ?? process.env;
  const value = env.KUBECONFIG;
  if (value) {
    // kubectl skips KUBECONFIG entries that do not exist.
    const files = splitKubeconfigEnv(value, location.platform ?? process.platform).filter((f) =>
      existsSync(f),
    );
    if (files.length) return { files, origin: 'env' };
  }
  return { files: [path.join(location.homeDir ?? os.homedir(), '.kube', 'config')], origin: 'default' };
}

/** A context as Switch Context lists it. */
export interface ContextRef {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
}

export interface MergedKubeconfig {
  readonly files: readonly string[];
  readonly model: KubeconfigModel;
  readonly contexts: ReadonlyMap<string, ContextRef>;
  /** The first non-empty current-context of the files, '' when none sets one. */
  readonly currentContext: string;
}

/** Structural problems for which client-go refuses the whole file. */
const REFUSED = new Set(['invalid-yaml', 'invalid-field']);

/** Reads every file of the location and merges them (core's merge). Loads no Kubernetes client. */
export function readKubeconfigs(location: KubeconfigLocation): MergedKubeconfig {
  const { files } = kubeconfigFiles(location);
  const documents = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      throw new ClusterError(
        'config',
        missing
          ? `Kubeconfig ${file} does not exist.`
          : `Kubeconfig ${file} cannot be read: ${(err as Error).message}`,
      );
    }
    const document = parseKubeconfig(text, file);
    const refused = document.findings.find((f) => REFUSED.has(f.code));
    if (refused)
      throw new ClusterError(
        'config',
        `Kubeconfig ${file} cannot be loaded: ${refused.code} ${JSON.stringify(refused.params)}`,
      );
    return document;
  });
  const model = mergeKubeconfigs(documents);
  const contexts = new Map<string, ContextRef>();
  for (const [name, entry] of model.contexts)
    contexts.set(name, {
      name,
      cluster: entry.fields.cluster?.value ?? '',
      user: entry.fields.user?.value ?? '',
    });
  return { files, model, contexts, currentContext: model.currentContext?.field.value ?? '' };
}

export interface LoadOptions extends KubeconfigLocation {
  /** Context to use instead of current-context. */
  readonly context?: string;
  /**
   * Untrusted workspace: folders whose kubeconfigs may not run programs. A user entry with an exec
   * credential plugin (or an auth-provider, which can run one) defined in a file under one of them
   * is refused before anything runs.
   */
  readonly untrustedRoots?: readonly string[];
}

export interface LoadedKubeconfig {
  readonly kc: KubeConfig;
  readonly files: readonly string[];
  readonly contexts: readonly string[];
  readonly context: string;
  readonly cluster: Cluster;
  readonly user: User;
  /** The file that defines the user entry in use. */
  readonly userFile: string;
}

export function loadKubeconfig(k8s: ClientNode, options: LoadOptions): LoadedKubeconfig {
  const { files, model, contexts, currentContext } = readKubeconfigs(options);

  const contextName = options.context ?? currentContext;
  if (!contextName)
    throw new ClusterError('config', `No current-context is set in ${files.join(', ')}; choose a context.`);
  const context = contexts.get(contextName);
  if (!context)
    throw new ClusterError('config', `Context ${contextName} is not defined in ${files.join(', ')}.`);
  const clusterEntry = model.clusters.get(context.cluster);
  if (!clusterEntry)
    throw new ClusterError(
      'config',
      `Context ${contextName} refers to cluster ${context.cluster}, which is not defined.`,
    );
  const userEntry = model.users.get(context.user);
  if (!userEntry)
    throw new ClusterError(
      'config',
      `Context ${contextName} refers to user ${context.user}, which is not defined.`,
    );

  const runsProgram = Boolean(userEntry.fields.exec || userEntry.fields['auth-provider']);
  if (runsProgram && options.untrustedRoots?.some((root) => isInside(userEntry.file, root))) {
    throw new ClusterError(
      'exec-refused',
      `User ${userEntry.name} in ${userEntry.file} runs a credential plugin, and this workspace is not trusted; trust the workspace or use a kubeconfig outside it.`,
    );
  }

  const cluster = clientCluster(clusterEntry);
  const user = clientUser(k8s, userEntry, runsProgram);
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [user],
    contexts: [{ ...context, namespace: model.contexts.get(contextName)?.fields.namespace?.value }],
    currentContext: contextName,
  });
  return {
    kc,
    files,
    contexts: [...contexts.keys()],
    context: contextName,
    cluster,
    user,
    userFile: userEntry.file,
  };
}

function clientCluster(entry: ClusterEntry): Cluster {
  const f = entry.fields;
  return {
    name: entry.name,
    server: f.server?.value ?? '',
    caData: f['certificate-authority-data']?.value,
    caFile: f['certificate-authority']?.resolvedPath,
    skipTLSVerify: f['insecure-skip-tls-verify']?.value ?? false,
    tlsServerName: f['tls-server-name']?.value,
    proxyUrl: f['proxy-url']?.value,
  };
}

function clientUser(k8s: ClientNode, entry: UserEntry, runsProgram: boolean): User {
  const f = entry.fields;
  const tokenFile = f.tokenFile?.resolvedPath;
  const user: User = {
    name: entry.name,
    certData: f['client-certificate-data']?.value,
    certFile: f['client-certificate']?.resolvedPath,
    keyData: f['client-key-data']?.value,
    keyFile: f['client-key']?.resolvedPath,
    // client-go reads tokenFile (trimmed) when no token is set; client-node only knows `token-file`.
    token: f.token?.value ?? (tokenFile ? readTokenFile(entry, tokenFile) : undefined),
    username: f.username?.value,
    password: f.password?.value,
  };
  if (!runsProgram) return user;
  // The model keeps only what the audit reads of a credential plugin (command, apiVersion): its
  // arguments, environment and provider config are decoded by the client, from the file that won.
  const own = new k8s.KubeConfig();
  try {
    own.loadFromFile(entry.file);
  } catch (err) {
    throw new ClusterError(
      'config',
      `Kubeconfig ${entry.file} cannot be loaded: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const decoded = own.getUser(entry.name);
  return { ...user, exec: decoded?.exec, authProvider: decoded?.authProvider };
}

function readTokenFile(entry: UserEntry, file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ClusterError(
      'config',
      `User ${entry.name} in ${entry.file}: tokenFile ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
}

function isInside(file: string, root: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const relative = path.relative(real(root), real(file));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
