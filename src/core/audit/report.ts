// Per-certificate reports: what hover renders and what the CLI prints under `certificates`.
import type { Span } from '../findings/finding';
import type { ChainReport } from '../verdict/chainVerdict';
import type { Certificate } from '../x509/model';

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
  /** The verdict against each set of anchors it was checked with (see src/core/verdict). */
  readonly chains: readonly ChainReport[];
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
