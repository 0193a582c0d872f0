// `kubecerts audit --probe --all-contexts`: the served certificate of every context's cluster, at
// most --parallel contexts at a time, each within --timeout, every finding carrying its context
// (a JSON field, a metrics label). A server that does not answer in time is a
// `server-unreachable` finding like a refused one: the run goes on with the other contexts.
import type { Finding } from '../../core/findings/finding';
import { makeFinding } from '../../core/findings/finding';
import type { KubeconfigModel } from '../../core/kubeconfig/model';
import { redactSecrets } from '../../core/redact';
import { probeClusters, type ClusterProbeOptions } from '../../node/probe/kubeconfig';
import { forEachContext, type ContextRun } from './contexts';

export async function probeContexts(
  model: KubeconfigModel,
  options: Omit<ClusterProbeOptions, 'clusters' | 'timeoutMs'>,
  fleet: ContextRun,
): Promise<Finding[]> {
  const clusterOf = (context: string) => {
    const name = model.contexts.get(context)?.fields.cluster?.value;
    return name !== undefined ? model.clusters.get(name) : undefined;
  };
  // A context naming no cluster is the audit's dangling-reference finding, nothing to connect to.
  const contexts = [...model.contexts.keys()].filter((c) => clusterOf(c)?.fields.server).sort();
  const outcomes = await forEachContext(contexts, fleet, async (context) => {
    const cluster = clusterOf(context)!;
    const probed = await probeClusters(model, {
      ...options,
      clusters: new Set([cluster.name]),
      timeoutMs: fleet.timeoutMs,
    });
    return probed.flatMap((p) => p.findings.map((f) => ({ ...f, context })));
  });
  return outcomes.flatMap((outcome) => {
    if (outcome.ok) return outcome.value;
    const cluster = clusterOf(outcome.context)!;
    const server = cluster.fields.server!;
    const error = outcome.timedOut
      ? `no answer within ${fleet.timeoutMs} ms`
      : redactSecrets(
          outcome.error instanceof Error ? outcome.error.message.split('\n')[0] : String(outcome.error),
        );
    return [
      makeFinding(
        'server-unreachable',
        { file: cluster.file, span: server.span, cluster: cluster.name, context: outcome.context },
        { server: server.value, error },
      ),
    ];
  });
}
