// A served verdict as findings on the place that names the server (a kubeconfig's `server:`
// value): one row per code, in the order Go checks (dates, name, chain), plus the stale-serving
// comparison with the file the server is configured to serve.
import type { FindingCode } from '../findings/catalog';
import {
  certificateRef,
  makeFinding,
  withoutDisabled,
  type EnabledCodes,
  type Finding,
  type FindingParams,
  type Span,
} from '../findings/finding';
import type { Certificate } from '../x509/model';
import { chainError, type ProbeObservation, type ProbeTrust, type ServedVerdict } from './verdict';

export interface ProbePlace {
  readonly file: string;
  readonly span: Span;
  readonly cluster?: string;
}

/** The certificate a component is configured to serve, read from disk. */
export interface ConfiguredServing {
  readonly component: string;
  readonly path: string;
  readonly certificate: Certificate;
  /** When the file was written (its mtime); kubeadm back-dates notBefore, so that says less. */
  readonly renewedAt?: Date;
}

export interface ProbeFindingOptions {
  readonly warnDays: number;
  readonly enabled?: EnabledCodes;
}

function isoDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Is the served leaf an older issue of the configured certificate? Same subject and issuer (the same
 * component's identity from the same CA), another certificate, and the file's is not the older one.
 */
export function staleServing(served: Certificate, configured: Certificate): boolean {
  return (
    served.sha256Fingerprint !== configured.sha256Fingerprint &&
    served.subject.derHex === configured.subject.derHex &&
    served.issuer.derHex === configured.issuer.derHex &&
    configured.notAfter.getTime() >= served.notAfter.getTime()
  );
}

export function probeFindings(
  observation: ProbeObservation,
  trust: ProbeTrust,
  verdict: ServedVerdict,
  place: ProbePlace,
  options: ProbeFindingOptions,
  configured?: ConfiguredServing,
): Finding[] {
  return withoutDisabled(
    allProbeFindings(observation, trust, verdict, place, options, configured),
    options.enabled,
  );
}

function allProbeFindings(
  observation: ProbeObservation,
  trust: ProbeTrust,
  verdict: ServedVerdict,
  place: ProbePlace,
  options: ProbeFindingOptions,
  configured?: ConfiguredServing,
): Finding[] {
  const server = observation.target.server;
  const out: Finding[] = [];
  const add = (code: FindingCode, params: FindingParams, cert?: Certificate): void => {
    out.push(
      makeFinding(
        code,
        {
          file: place.file,
          span: place.span,
          ...(place.cluster !== undefined ? { cluster: place.cluster } : {}),
        },
        params,
        cert ? { certificate: certificateRef(cert) } : {},
      ),
    );
  };
  const leaf = verdict.leaf;
  if (!verdict.reachable || !leaf) {
    add('server-unreachable', { server, error: observation.error ?? 'no certificate presented' });
    return out;
  }
  const subject = leaf.subject.display || '—';
  const days = verdict.daysLeft ?? 0;
  if (verdict.expiry === 'expired') {
    add('server-cert-expired', { server, subject, notAfter: isoDate(leaf.notAfter), days: -days - 1 }, leaf);
  } else if (verdict.expiry === 'expiring') {
    add(
      'server-cert-expiring',
      { server, subject, notAfter: isoDate(leaf.notAfter), days, threshold: options.warnDays },
      leaf,
    );
  }
  if (verdict.hostname && !verdict.hostname.ok) {
    add(
      'server-name-mismatch',
      { server, name: observation.target.verifyName, reason: verdict.hostname.error },
      leaf,
    );
  }
  // An expired leaf is its own finding; untrusted means no path holds for another reason.
  const chainProblems = verdict.chain?.problems.filter(
    (p) =>
      !(
        p.certificate.sha256Fingerprint === leaf.sha256Fingerprint &&
        (p.code === 'cert-expired' || p.code === 'cert-not-yet-valid')
      ),
  );
  if (verdict.chain && !verdict.chain.verified && (chainProblems?.length ?? 0) > 0) {
    add(
      'server-cert-untrusted',
      { server, subject, trust: trust.label, reason: chainError(verdict.chain) },
      leaf,
    );
  }
  if (configured && staleServing(leaf, configured.certificate)) {
    add(
      'served-cert-stale',
      {
        component: configured.component,
        renewed: isoDate(configured.renewedAt ?? configured.certificate.notBefore),
        path: configured.path,
        diskSerial: configured.certificate.serialHex,
        servedSerial: leaf.serialHex,
        servedNotAfter: isoDate(leaf.notAfter),
      },
      leaf,
    );
  }
  return out;
}
