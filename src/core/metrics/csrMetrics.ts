// `kubecerts csr list --format prometheus`: per context, whether its API server answered, how many
// CSRs wait for a decision and which of them carry error-level risks. Labels name contexts, CSRs,
// signers and requesters (user names the API server recorded), never a credential.
import type { MetricFamily, MetricSample } from './exposition';

export interface ContextCsrMetrics {
  readonly context: string;
  /** False when the CSRs could not be listed (unreachable, timed out, refused). */
  readonly listed: boolean;
  readonly csrs: readonly {
    readonly name: string;
    readonly state: string;
    readonly signerName: string;
    readonly requester?: string;
    readonly risks: readonly { readonly code: string; readonly severity: string }[];
  }[];
}

export function csrMetricFamilies(contexts: readonly ContextCsrMetrics[]): MetricFamily[] {
  const up: MetricSample[] = contexts.map((c) => ({
    labels: { context: c.context },
    value: c.listed ? 1 : 0,
  }));
  const listed = contexts.filter((c) => c.listed);
  const pending: MetricSample[] = listed.map((c) => ({
    labels: { context: c.context },
    value: c.csrs.filter((csr) => csr.state === 'pending').length,
  }));
  const risky: MetricSample[] = listed.flatMap((c) =>
    c.csrs.flatMap((csr) => {
      const errors = csr.risks.filter((r) => r.severity === 'error').map((r) => r.code);
      if (csr.state !== 'pending' || !errors.length) return [];
      return [
        {
          labels: {
            context: c.context,
            csr: csr.name,
            signer_name: csr.signerName,
            requestor: csr.requester ?? '',
            risks: [...new Set(errors)].sort().join(','),
          },
          value: errors.length,
        },
      ];
    }),
  );
  return [
    {
      name: 'kubecerts_cluster_up',
      help: '1 when the CSRs of the context could be listed, 0 when its API server was unreachable, timed out or refused.',
      type: 'gauge',
      labels: ['context'],
      samples: up,
    },
    {
      name: 'kubecerts_csr_pending',
      help: 'Number of certificate signing requests waiting for approval or denial.',
      type: 'gauge',
      labels: ['context'],
      samples: pending,
    },
    {
      name: 'kubecerts_csr_pending_risky',
      help: 'Number of error-level risks of a pending certificate signing request (risks lists their codes); absent when it has none.',
      type: 'gauge',
      labels: ['context', 'csr', 'signer_name', 'requestor', 'risks'],
      samples: risky,
    },
  ];
}
