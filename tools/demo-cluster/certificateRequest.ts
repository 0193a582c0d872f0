// PKCS#10 requests as the API server and the signers see them: one PEM block, a self-signature
// that verifies, and the subject and SANs the signer rules look at.
import { Buffer } from 'node:buffer';
import { x509 } from '../../src/core/x509/peculiar';

export interface ParsedRequest {
  readonly csr: x509.Pkcs10CertificateRequest;
  readonly commonName: string;
  readonly organizations: readonly string[];
  readonly dns: readonly string[];
  readonly ip: readonly string[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const SAN_OID = '2.5.29.17';
/** Go's crypto/x509 wording, which the API server passes through. */
const VERIFY_FAILURE: Record<string, string> = {
  'RSASSA-PKCS1-v1_5': 'crypto/rsa: verification error',
  ECDSA: 'x509: ECDSA verification failure',
  Ed25519: 'x509: Ed25519 verification failure',
};

/** Parses `spec.request` (base64 of PEM); the error text is what the API server reports. */
export async function parseRequest(requestBase64: string): Promise<ParsedRequest> {
  const pem = Buffer.from(requestBase64, 'base64').toString('latin1');
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length === 0 || blocks[0][1] !== 'CERTIFICATE REQUEST') {
    throw new Error('PEM block type must be CERTIFICATE REQUEST');
  }
  if (blocks.length > 1) throw new Error('must contain exactly one PEM block');
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(Buffer.from(blocks[0][2].replace(/\s+/g, ''), 'base64'));
  } catch {
    throw new Error('x509: malformed certificate request');
  }
  let verified = false;
  try {
    verified = await csr.verify();
  } catch {
    verified = false;
  }
  if (!verified)
    throw new Error(VERIFY_FAILURE[csr.publicKey.algorithm.name] ?? 'x509: signature verification failure');

  const names = (csr.getExtension(SAN_OID) as x509.SubjectAlternativeNameExtension | null)?.names.items ?? [];
  return {
    csr,
    // The last CN, as Go's crypto/x509 reads the subject.
    commonName: csr.subjectName.getField('CN').at(-1) ?? '',
    organizations: csr.subjectName.getField('O'),
    dns: names.filter((n) => n.type === 'dns').map((n) => n.value),
    ip: names.filter((n) => n.type === 'ip').map((n) => n.value),
    email: names.filter((n) => n.type === 'email').map((n) => n.value),
    uri: names.filter((n) => n.type === 'url').map((n) => n.value),
  };
}
