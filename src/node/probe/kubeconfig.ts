// Probing the clusters of a kubeconfig: one handshake per distinct server (in parallel, cached),
// the verdict, and the findings on each cluster's `server:` value. A kubeconfig inside a kubeadm
// configuration directory (/etc/kubernetes/admin.conf) is also compared with the apiserver
// certificate that directory holds (pki/apiserver.crt): renewed on disk but not served yet.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FindingCode } from '../../core/findings/catalog';
import type { Finding } from '../../core/findings/finding';
import { decodeFileBytes, type FileContents } from '../../core/kubeconfig/material';
import type { KubeconfigModel } from '../../core/kubeconfig/model';
import { probeFindings, type ConfiguredServing } from '../../core/probe/findings';
import { needsSystemRoots, planClusterProbes, type ClusterProbePlan } from '../../core/probe/kubeconfig';
import type { Env } from '../../core/probe/proxy';
import { servedVerdict, type ProbeObservation, type ServedVerdict } from '../../core/probe/verdict';
import { observationKey, observeServer, systemRoots, type ProbeCache } from './probe';

export interface ClusterProbeOptions {
  readonly env: Env;
  readonly now: Date;
  readonly warnDays: number;
  readonly enabled?: (code: FindingCode) => boolean;
  readonly files?: FileContents;
  /** Only clusters defined in this file (the open document). */
  readonly file?: string;
  /** Only these clusters, by name. */
  readonly clusters?: ReadonlySet<string>;
  readonly timeoutMs?: number;
  readonly cache?: ProbeCache;
  /** Connect even when the cache holds a fresh result ("Check again"). */
  readonly refresh?: boolean;
  /** Use only what the cache holds, whatever its age; never connect (diagnostics after an edit). */
  readonly cachedOnly?: boolean;
}

export interface ClusterProbeResult {
  readonly plan: ClusterProbePlan;
  readonly key: string;
  readonly observation: ProbeObservation;
  readonly verdict: ServedVerdict;
  readonly configured?: ConfiguredServing;
  readonly findings: Finding[];
}

/** The apiserver certificate of the kubeadm directory holding this kubeconfig, if there is one. */
export async function configuredApiserver(kubeconfigFile: string): Promise<ConfiguredServing | undefined> {
  if (!path.isAbsolute(kubeconfigFile)) return undefined;
  const file = path.join(path.dirname(kubeconfigFile), 'pki', 'apiserver.crt');
  const [bytes, stat] = await Promise.all([
    fs.readFile(file).catch(() => undefined),
    fs.stat(file).catch(() => undefined),
  ]);
  const cert = bytes ? decodeFileBytes(new Uint8Array(bytes)).certificates[0]?.cert : undefined;
  if (!cert) return undefined;
  return {
    component: 'kube-apiserver',
    path: file,
    certificate: cert,
    ...(stat ? { renewedAt: new Date(Math.floor(stat.mtimeMs / 1000) * 1000) } : {}),
  };
}

export async function probeClusters(
  model: KubeconfigModel,
  options: ClusterProbeOptions,
): Promise<ClusterProbeResult[]> {
  const roots = needsSystemRoots(model, options.files)
    ? await systemRoots(options.env)
    : { certificates: [] };
  const plans = planClusterProbes(model, {
    roots,
    ...(options.files ? { files: options.files } : {}),
    ...(options.file !== undefined ? { file: options.file } : {}),
  }).filter((p) => !options.clusters || options.clusters.has(p.cluster.name));

  // Several clusters often name the same server: one handshake each.
  const pending = new Map<string, Promise<ProbeObservation | undefined>>();
  const observe = (plan: ClusterProbePlan, key: string): Promise<ProbeObservation | undefined> => {
    let running = pending.get(key);
    if (!running) {
      const cached = options.refresh ? undefined : options.cache?.[options.cachedOnly ? 'peek' : 'get'](key);
      running =
        cached || options.cachedOnly
          ? Promise.resolve(cached)
          : observeServer(plan.target, {
              env: options.env,
              ...(plan.proxyUrl ? { proxyUrl: plan.proxyUrl } : {}),
              ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
            }).then((observation) => {
              options.cache?.set(key, observation);
              return observation;
            });
      pending.set(key, running);
    }
    return running;
  };

  const results = await Promise.all(
    plans.map(async (plan): Promise<ClusterProbeResult | undefined> => {
      const key = observationKey(plan.target, plan.proxyUrl);
      const [observation, configured] = await Promise.all([
        observe(plan, key),
        configuredApiserver(plan.cluster.file),
      ]);
      if (!observation) return undefined;
      const verdict = servedVerdict(observation, plan.trust, options.now, options.warnDays);
      const findings = probeFindings(
        observation,
        plan.trust,
        verdict,
        { file: plan.cluster.file, span: plan.server.span, cluster: plan.cluster.name },
        { warnDays: options.warnDays, ...(options.enabled ? { enabled: options.enabled } : {}) },
        configured,
      );
      return { plan, key, observation, verdict, ...(configured ? { configured } : {}), findings };
    }),
  );
  return results.filter((r): r is ClusterProbeResult => r !== undefined);
}
