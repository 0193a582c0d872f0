// kubeadm-style renewal planning: decide whether the local CA can renew a catalog entry and, if
// so, what the new certificate is — the old subject (exact DER), SANs, key usages and extended key
// usages, a new key of the old algorithm and size, validity from `now` for the requested duration,
// never beyond the CA's own notAfter. Pure: the node layer reads the files and issues.
import { Buffer } from 'node:buffer';
import { RESTART_AFTER_RENEWAL, type CertEntry, type KubeconfigEntry } from '../pki/catalog';
import type { IssueRequest, KeyFormat, KeySpec, KeyUsageName } from '../x509/issue';
import { verifyChain } from '../x509/chain';
import type { Certificate } from '../x509/model';
import { DEFAULT_RENEWAL_DURATION_MS, formatGoDuration } from './duration';
import type { Refusal, RenewalWarning } from './messages';
import { describeKeySpec, isoSeconds, previewRows, summarizeCertificate, type PreviewRow } from './preview';
import { signingCa, targetFiles, type KubeadmTarget } from './targets';

/** kubeadm back-dates notBefore by five minutes so a node with a slightly slow clock accepts the cert. */
export const CERTIFICATE_BACKDATE_MS = 5 * 60 * 1000;

export interface LocalRenewalInput {
  readonly target: KubeadmTarget;
  /** The certificate in place now; undefined when its file does not exist. */
  readonly current?: Certificate;
  /** PEM flavour of the current key, kept for the new one (kubeadm: PKCS#1 / SEC1). */
  readonly keyFormat?: KeyFormat;
  /** The signing CA's certificate; undefined when its file does not exist. */
  readonly ca?: Certificate;
  readonly caKeyPresent: boolean;
}

export interface RenewalOptions {
  readonly now: Date;
  readonly durationMs?: number;
}

export interface LocalRenewalPlan {
  readonly target: CertEntry | KubeconfigEntry;
  /** Everything but the issuer, which the executor adds from the CA files. */
  readonly request: Omit<IssueRequest, 'issuer'>;
  readonly warnings: readonly RenewalWarning[];
  readonly preview: readonly PreviewRow[];
  /** Static pods that read the renewed files and must be restarted. */
  readonly restart: readonly string[];
}

export type Decision<P> =
  { readonly ok: true; readonly plan: P } | { readonly ok: false; readonly refusal: Refusal };

/** Every key usage name issue.ts can write; anything else in a certificate is not reproducible. */
const KEY_USAGE_NAMES = {
  digitalSignature: true,
  nonRepudiation: true,
  keyEncipherment: true,
  dataEncipherment: true,
  keyAgreement: true,
  keyCertSign: true,
  cRLSign: true,
  encipherOnly: true,
  decipherOnly: true,
} as const satisfies Record<KeyUsageName, true>;

const EC_CURVES = ['P-256', 'P-384', 'P-521'] as const;

export function planLocalRenewal(
  input: LocalRenewalInput,
  options: RenewalOptions,
): Decision<LocalRenewalPlan> {
  const { target, current, ca } = input;
  const name = target.name;
  const caEntry = signingCa(target);
  const refuse = (refusal: Refusal): Decision<LocalRenewalPlan> => ({ ok: false, refusal });

  if (target.kind === 'ca' || current?.basicConstraints?.ca) {
    return refuse({ code: 'ca-certificate', params: { name } });
  }
  if (target.kind === 'kubeconfig' && target.rotatedByKubelet) {
    return refuse({ code: 'rotated-by-kubelet', params: { name } });
  }
  if (!current)
    return refuse({ code: 'certificate-missing', params: { name, file: targetFiles(target).cert } });
  const caFiles = targetFiles(caEntry);
  if (!ca) return refuse({ code: 'ca-missing', params: { name, ca: caEntry.name, caCert: caFiles.cert } });
  if (!input.caKeyPresent) {
    return refuse({ code: 'external-ca', params: { name, ca: caEntry.name, caKey: caFiles.key ?? '' } });
  }
  if (ca.notAfter.getTime() <= options.now.getTime()) {
    return refuse({ code: 'ca-expired', params: { ca: caEntry.name, caNotAfter: isoSeconds(ca.notAfter) } });
  }
  const key = keySpecOf(current);
  if (!key)
    return refuse({ code: 'unsupported-key', params: { name, algorithm: current.publicKey.algorithm } });

  const warnings: RenewalWarning[] = [];
  const durationMs = options.durationMs ?? DEFAULT_RENEWAL_DURATION_MS;
  // Certificates carry whole seconds: plan in whole seconds so the issued dates are the planned ones.
  const now = Math.floor(options.now.getTime() / 1000) * 1000;
  const requested = new Date(Math.floor((now + durationMs) / 1000) * 1000);
  let notAfter = requested;
  if (ca.notAfter.getTime() < requested.getTime()) {
    notAfter = ca.notAfter;
    warnings.push({
      code: 'capped-by-ca',
      params: {
        name,
        ca: caEntry.name,
        caNotAfter: isoSeconds(ca.notAfter),
        requested: `${isoSeconds(requested)} (${formatGoDuration(durationMs)})`,
      },
    });
  }
  if (current.issuer.derHex !== ca.subject.derHex) {
    warnings.push({
      code: 'issuer-differs',
      params: { name, issuer: current.issuer.display, ca: caEntry.name },
    });
  }
  const notBefore = new Date(now - CERTIFICATE_BACKDATE_MS);

  const request: Omit<IssueRequest, 'issuer'> = {
    subject: { der: new Uint8Array(Buffer.from(current.subject.derHex, 'hex')) },
    notBefore,
    notAfter,
    sans: current.sans,
    keyUsage: (current.keyUsage ?? []).filter((usage): usage is KeyUsageName => usage in KEY_USAGE_NAMES),
    extKeyUsage: current.extKeyUsage ?? [],
    basicConstraints: current.basicConstraints ? { ca: false } : undefined,
    key,
    keyFormat: input.keyFormat,
  };
  const old = summarizeCertificate(current);
  const preview = previewRows(old, {
    ...old,
    notBefore,
    notAfter,
    issuer: ca.subject.display,
    key: describeKeySpec(key),
  });
  return {
    ok: true,
    plan: { target, request, warnings, preview, restart: RESTART_AFTER_RENEWAL[name] ?? [] },
  };
}

/** The same algorithm and size as the old key; undefined for keys issue.ts cannot generate. */
export function keySpecOf(cert: Certificate): KeySpec | undefined {
  const { algorithm, bits, curve } = cert.publicKey;
  if (algorithm === 'RSA' && bits) return { algorithm: 'RSA', bits };
  if (algorithm === 'EC') {
    const known = EC_CURVES.find((c) => c === curve);
    return known ? { algorithm: 'EC', curve: known } : undefined;
  }
  if (algorithm === 'Ed25519') return { algorithm: 'Ed25519' };
  return undefined;
}

/** The static pods to restart after renewing `names`, in first-seen order without repeats. */
export function podsToRestart(names: readonly string[]): string[] {
  return [...new Set(names.flatMap((name) => RESTART_AFTER_RENEWAL[name] ?? []))];
}

/**
 * What differs between the planned and the issued certificate, or why it does not chain to the CA:
 * empty when the renewed certificate may replace the old one.
 */
export function checkRenewedCertificate(
  plan: LocalRenewalPlan,
  old: Certificate,
  renewed: Certificate,
  ca: Certificate,
  now: Date,
): string[] {
  const problems: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${what} differs from the old certificate`);
  };
  same('subject', renewed.subject.derHex, old.subject.derHex);
  same('subjectAltName', renewed.sans, old.sans);
  same('keyUsage', renewed.keyUsage ?? [], old.keyUsage ?? []);
  same('extKeyUsage', renewed.extKeyUsage ?? [], old.extKeyUsage ?? []);
  if (renewed.notAfter.getTime() !== plan.request.notAfter.getTime())
    problems.push('notAfter is not the planned one');
  const verdict = verifyChain(renewed, { anchors: [ca] }, now);
  if (!verdict.verified) problems.push(...verdict.problems.map((p) => p.detail));
  return problems;
}
