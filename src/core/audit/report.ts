// Per-certificate reports: what hover renders and what the CLI prints under `certificates`.
import { certificateRef, type CertificateRef, type Span } from '../findings/finding';
import type { ChainProblemCode, ChainVerdict } from '../x509/chain';
import type { Certificate } from '../x509/model';

/** Where the trust anchor of a verdict came from. */
export type AnchorSource = 'cluster-ca' | 'extra-anchor' | 'input';

export interface ChainReport {
  /** The context pairing the user with the cluster whose CA was used (kubeconfig client certs). */
  readonly context?: string;
  readonly cluster?: string;
  readonly verified: boolean;
  /** The CA that verified it. */
  readonly anchor?: CertificateRef;
  readonly anchorSource?: AnchorSource;
  /** CAs tried, when none verified it. */
  readonly tried: readonly CertificateRef[];
  readonly problems: readonly {
    readonly code: ChainProblemCode;
    readonly certificate: CertificateRef;
    readonly ca?: CertificateRef;
  }[];
}

export interface CertificateReport {
  /** Where the certificate is written: the kubeconfig value or the PEM block in a file. */
  readonly file: string;
  readonly span: Span;
  /** The file holding the bytes when it differs from `file` (kubeconfig path references). */
  readonly origin?: string;
  readonly field?: string;
  readonly cluster?: string;
  readonly user?: string;
  /** 0-based position in its bundle. */
  readonly index: number;
  readonly certificate: Certificate;
  readonly chains: readonly ChainReport[];
}

export function chainReport(
  verdict: ChainVerdict,
  tried: readonly Certificate[],
  sourceOf: (anchor: Certificate) => AnchorSource,
  scope: { context?: string; cluster?: string } = {},
): ChainReport {
  return {
    ...scope,
    verified: verdict.verified,
    ...(verdict.anchor
      ? { anchor: certificateRef(verdict.anchor), anchorSource: sourceOf(verdict.anchor) }
      : {}),
    tried: tried.map(certificateRef),
    problems: verdict.problems.map((p) => ({
      code: p.code,
      certificate: certificateRef(p.certificate),
      ...(p.ca ? { ca: certificateRef(p.ca) } : {}),
    })),
  };
}

/** JSON form of a certificate (the CLI's `certificates[]` contract): fields, fingerprints, SPKI pin. */
export function certificateJson(cert: Certificate): Record<string, unknown> {
  return {
    subject: cert.subject.display,
    issuer: cert.issuer.display,
    serialHex: cert.serialHex,
    version: cert.version,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sans: cert.sans,
    publicKey: {
      algorithm: cert.publicKey.algorithm,
      ...(cert.publicKey.bits !== undefined ? { bits: cert.publicKey.bits } : {}),
      ...(cert.publicKey.curve !== undefined ? { curve: cert.publicKey.curve } : {}),
      spkiSha256: cert.spkiPin.replace(/^sha256:/, ''),
    },
    signatureAlgorithm: cert.signatureAlgorithm.name,
    keyUsage: cert.keyUsage ?? null,
    extKeyUsage: cert.extKeyUsage ?? null,
    basicConstraints: cert.basicConstraints ?? null,
    subjectKeyId: cert.subjectKeyId ?? null,
    authorityKeyId: cert.authorityKeyId ?? null,
    sha256Fingerprint: cert.sha256Fingerprint,
    sha1Fingerprint: cert.sha1Fingerprint,
    spkiPin: cert.spkiPin,
    identity: cert.identity,
    isSelfIssued: cert.isSelfIssued,
  };
}
