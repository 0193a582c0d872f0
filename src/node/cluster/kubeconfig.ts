// Which kubeconfig the cluster client uses, and loading it with kubectl's merge rules: the setting,
// else KUBECONFIG (several files, the first file that defines a name or current-context wins),
// else ~/.kube/config. @kubernetes/client-node's own loadFromDefault lets the last file win and
// throws on a name defined twice, so files are loaded one by one and merged here.
import { existsSync, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as ClientNodeModule from '@kubernetes/client-node';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { splitKubeconfigEnv } from '../../core/kubeconfig/paths';
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

export interface MergedKubeconfig {
  readonly files: readonly string[];
  readonly clusters: ReadonlyMap<string, Cluster>;
  readonly users: ReadonlyMap<string, { readonly user: User; readonly file: string }>;
  readonly contexts: ReadonlyMap<string, Context>;
  /** The first non-empty current-context of the files, '' when none sets one. */
  readonly currentContext: string;
}

/** Reads every file of the location and merges them, first definition wins. */
export function readKubeconfigs(
  k8s: typeof ClientNodeModule,
  location: KubeconfigLocation,
): MergedKubeconfig {
  const { files } = kubeconfigFiles(location);
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, { user: User; file: string }>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const file of files) {
    if (!existsSync(file)) throw new ClusterError('config', `Kubeconfig ${file} does not exist.`);
    const one = new k8s.KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (err) {
      throw new ClusterError(
        'config',
        `Kubeconfig ${file} cannot be loaded: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    for (const c of one.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.getUsers()) if (!users.has(u.name)) users.set(u.name, { user: u, file });
    for (const c of one.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext && one.getCurrentContext()) currentContext = one.getCurrentContext();
  }
  return { files, clusters, users, contexts, currentContext };
}

export function loadKubeconfig(k8s: typeof ClientNodeModule, options: LoadOptions): LoadedKubeconfig {
  const { files, clusters, users, contexts, currentContext } = readKubeconfigs(k8s, options);

  const contextName = options.context ?? currentContext;
  if (!contextName)
    throw new ClusterError('config', `No current-context is set in ${files.join(', ')}; choose a context.`);
  const context = contexts.get(contextName);
  if (!context)
    throw new ClusterError('config', `Context ${contextName} is not defined in ${files.join(', ')}.`);
  const cluster = clusters.get(context.cluster);
  if (!cluster)
    throw new ClusterError(
      'config',
      `Context ${contextName} refers to cluster ${context.cluster}, which is not defined.`,
    );
  const userEntry = users.get(context.user);
  if (!userEntry)
    throw new ClusterError(
      'config',
      `Context ${contextName} refers to user ${context.user}, which is not defined.`,
    );

  const runsProgram = Boolean(userEntry.user.exec || userEntry.user.authProvider);
  if (runsProgram && options.untrustedRoots?.some((root) => isInside(userEntry.file, root))) {
    throw new ClusterError(
      'exec-refused',
      `User ${userEntry.user.name} in ${userEntry.file} runs a credential plugin, and this workspace is not trusted; trust the workspace or use a kubeconfig outside it.`,
    );
  }

  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()].map((u) => u.user),
    contexts: [...contexts.values()],
    currentContext: contextName,
  });
  return {
    kc,
    files,
    contexts: [...contexts.keys()],
    context: contextName,
    cluster,
    user: userEntry.user,
    userFile: userEntry.file,
  };
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
