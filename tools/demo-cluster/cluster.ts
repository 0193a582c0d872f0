// Starts a demo cluster in-process: files, store, controllers and the TLS server on 127.0.0.1.
// `main.ts` wraps it for the command line; tests, the CSR view and the bench call it directly.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { KeySpec } from '../../src/core/x509/issue';
import { ApiHandler } from './api';
import { prepareClusterFiles, pointKubeconfigsAt } from './clusterFiles';
import { CertificateControllers, UPSTREAM_GC_POLICY, type GcPolicy } from './controllers';
import { buildNodes } from './nodes';
import { ObjectRegistry } from './objectRegistry';
import { seedCsrs } from './seed';
import { ensureSystemNamespaces, seedObjects } from './seedObjects';
import {
  apiserverServingPair,
  readApiserverPair,
  startKubeletStandIn,
  type KubeletStandIn,
  type ServingMode,
} from './serving';
import { loadClusterCa } from './signers';
import { CsrStore, Database } from './store';

export interface DemoClusterOptions {
  readonly dir: string;
  /** 0 (default) = any free port. */
  readonly port?: number;
  readonly seed?: boolean;
  /** A fixed time or a clock; default the system clock. */
  readonly now?: Date | (() => Date);
  /** Key type of a new PKI; kubeadm's RSA-2048 by default, tests use EC P-256 to stay fast. */
  readonly key?: KeySpec;
  /** kube-controller-manager's --cluster-signing-duration; default one year. */
  readonly signingDurationMs?: number;
  /** Enables the CSR cleaner; `true` = upstream ages, checked every minute. */
  readonly gc?: boolean | ({ readonly intervalMs: number } & GcPolicy);
  /**
   * false: state writes skip fsync (still atomic, lost only on power failure); for benchmarks
   * that create thousands of CSRs. Default true.
   */
  readonly fsync?: boolean;
  /** Request and error log lines (never bodies). */
  readonly log?: (line: string) => void;
  /** What the apiserver serves (see serving.ts); default `current`. */
  readonly serving?: ServingMode;
  /** Start node-1's kubelet stand-in; a number is its port (0 = any free port). */
  readonly kubelet?: boolean | number;
}

export interface DemoCluster {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Path of a kubeconfig in the cluster directory: `admin.conf`, `viewer.conf`, `node-1.conf`, … */
  kubeconfig(name: string): string;
  readonly caFile: string;
  /** node-1's kubelet stand-in, when started. */
  readonly kubelet?: KubeletStandIn;
  /** Loads pki/apiserver.crt/.key again, as restarting kube-apiserver does. */
  restartApiserver(): Promise<void>;
  /** Resolves once the controllers have handled every pending change. */
  idle(): Promise<void>;
  /** Runs one garbage-collection pass now; returns the deleted CSR names. */
  collectGarbage(policy?: GcPolicy): Promise<string[]>;
  stop(): Promise<void>;
}

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

export async function startDemoCluster(options: DemoClusterOptions): Promise<DemoCluster> {
  const dir = path.resolve(options.dir);
  const fixed = options.now;
  const now: () => Date =
    typeof fixed === 'function' ? fixed : fixed ? () => new Date(fixed.getTime()) : () => new Date();
  const keySpec: KeySpec = options.key ?? { algorithm: 'RSA', bits: 2048 };
  const files = await prepareClusterFiles(dir, now(), keySpec);
  const db = await Database.open(path.join(dir, 'state'), { fsync: options.fsync });
  const store = await CsrStore.in(db);
  const objects = await ObjectRegistry.open(db, files.caCertPem);
  const ca = await loadClusterCa(files.caCertPem, files.caKeyPem);
  const gc = options.gc === true ? { intervalMs: 60_000, ...UPSTREAM_GC_POLICY } : options.gc || undefined;
  const controllers = new CertificateControllers({
    store,
    ca,
    now,
    signingDurationMs: options.signingDurationMs ?? ONE_YEAR_MS,
    gc,
    onError: (err) => options.log?.(`controller error: ${(err as Error)?.message ?? String(err)}`),
  });

  let port = 0;
  const api = new ApiHandler({
    store,
    objects,
    nodes: buildNodes(files.createdAt),
    now,
    tokens: files.tokens,
    serverAddress: () => `127.0.0.1:${port}`,
    log: options.log,
  });
  const caPair = { certPem: files.caCertPem, keyPem: files.caKeyPem };
  const serving = await apiserverServingPair(dir, options.serving ?? 'current', caPair, now(), keySpec);
  const server: Server = createServer(
    {
      cert: serving.certPem,
      key: serving.keyPem,
      ca: files.caCertPem,
      requestCert: true,
      // Anonymous callers get a 401 Status from the handler instead of a TLS alert.
      rejectUnauthorized: false,
    },
    api.handle,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  let kubelet: KubeletStandIn | undefined;
  try {
    if (options.kubelet !== undefined && options.kubelet !== false) {
      kubelet = await startKubeletStandIn({
        dir,
        nodeName: 'node-1',
        now: now(),
        key: keySpec,
        port: typeof options.kubelet === 'number' ? options.kubelet : 0,
      });
    }
    await pointKubeconfigsAt(dir, url);
    await ensureSystemNamespaces(objects, files.createdAt);
    controllers.start();
    if (options.seed) {
      await seedCsrs({ store, now: now(), bootstrapTokenId: files.tokens[0].id, controllers });
      await seedObjects({
        objects,
        now: now(),
        clusterCaPem: files.caCertPem,
        server: url,
        bootstrapToken: files.tokens[0],
      });
    }
    await controllers.idle();
  } catch (err) {
    server.close();
    await kubelet?.stop();
    await controllers.stop();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    dir,
    kubeconfig: (name) => path.join(dir, name),
    caFile: path.join(dir, 'pki/ca.crt'),
    ...(kubelet ? { kubelet } : {}),
    restartApiserver: async () => {
      const pair = await readApiserverPair(dir);
      server.setSecureContext({ cert: pair.certPem, key: pair.keyPem, ca: files.caCertPem });
      // A restarted process drops its connections: clients reconnect and see the new certificate.
      server.closeAllConnections();
    },
    idle: () => controllers.idle(),
    collectGarbage: (policy) => controllers.collectGarbage(policy),
    stop: () =>
      (stopping ??= (async () => {
        api.closeWatches();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await kubelet?.stop();
        await controllers.stop();
        await store.flush();
        await closed;
      })()),
  };
}
