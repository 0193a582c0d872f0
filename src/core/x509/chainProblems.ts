// What a failed verification says: Go's reasons (Failure), turned into the problems the verdict
// lists, with the finding catalog's parameters.
import type { Certificate } from './model';
import type { SignatureFailure } from './signature';

export type ChainProblemCode =
  | 'not-signed-by-ca'
  | 'bad-signature'
  | 'issuer-not-ca'
  | 'path-length-exceeded'
  | 'cert-expired'
  | 'cert-not-yet-valid'
  | 'unhandled-critical-extension'
  | 'name-constraint-violation'
  | 'incompatible-key-usage'
  | 'chain-too-complex'
  | 'weak-signature'
  | 'invalid-certificate';

/** The extended key usage the chain is verified for (Go's VerifyOptions.KeyUsages). */
export type ChainUsage = 'clientAuth' | 'serverAuth' | 'any';

export interface ChainProblem {
  code: ChainProblemCode;
  /** The link with the problem (leaf or CA). */
  certificate: Certificate;
  /** The CA tried, if any. */
  ca?: Certificate;
  detail: string;
  /**
   * Values for the finding catalog's template of `code` ({subject, ca, usage, allowed, name,
   * extension, limit, algorithm, reason, …}); callers pass them through.
   */
  params?: Record<string, string | number>;
}

/** Go's maxChainSignatureChecks. */
export const MAX_SIGNATURE_CHECKS = 100;

export type Role = 'leaf' | 'intermediate' | 'root';

/** One reason Go gives up, with the certificates it concerns. */
export type Failure =
  | { readonly kind: 'parse'; readonly cert: Certificate }
  | { readonly kind: 'expired' | 'not-yet-valid' | 'critical'; readonly cert: Certificate }
  | { readonly kind: 'not-ca'; readonly ca: Certificate; readonly child: Certificate }
  | {
      readonly kind: 'path-length';
      readonly ca: Certificate;
      readonly child: Certificate;
      readonly limit: number;
    }
  | {
      readonly kind: 'name';
      readonly ca: Certificate;
      readonly cert: Certificate;
      readonly name: string;
      readonly why: string;
    }
  | {
      readonly kind: 'signature';
      readonly ca: Certificate;
      readonly child: Certificate;
      readonly failure: SignatureFailure;
    }
  | { readonly kind: 'no-issuer'; readonly cert: Certificate }
  | { readonly kind: 'budget'; readonly cert: Certificate }
  | {
      readonly kind: 'usage';
      readonly cert: Certificate;
      readonly ca: Certificate;
      readonly usage: ChainUsage;
    };

export function dedupe(problems: ChainProblem[]): ChainProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}|${p.certificate.sha256Fingerprint}|${p.ca?.sha256Fingerprint ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const USAGE_NAMES: Readonly<Record<ChainUsage, string>> = {
  clientAuth: 'client authentication (clientAuth)',
  serverAuth: 'server authentication (serverAuth)',
  any: 'any usage',
};

export function toProblem(f: Failure, anchors: readonly Certificate[]): ChainProblem {
  switch (f.kind) {
    case 'parse':
      return {
        code: 'invalid-certificate',
        certificate: f.cert,
        detail: `Go cannot parse "${f.cert.subject.display}": ${f.cert.goRejects ?? ''}`,
        params: { subject: f.cert.subject.display, reason: f.cert.goRejects ?? '' },
      };
    case 'expired':
      return {
        code: 'cert-expired',
        certificate: f.cert,
        detail: `"${f.cert.subject.display}" expired at ${f.cert.notAfter.toISOString()}`,
        params: { subject: f.cert.subject.display, notAfter: f.cert.notAfter.toISOString() },
      };
    case 'not-yet-valid':
      return {
        code: 'cert-not-yet-valid',
        certificate: f.cert,
        detail: `"${f.cert.subject.display}" is not valid before ${f.cert.notBefore.toISOString()}`,
        params: { subject: f.cert.subject.display, notBefore: f.cert.notBefore.toISOString() },
      };
    case 'critical': {
      const extension = (f.cert.unhandledCriticalExtensions ?? []).join(', ');
      return {
        code: 'unhandled-critical-extension',
        certificate: f.cert,
        detail: `"${f.cert.subject.display}" has critical extension(s) Go does not handle: ${extension}`,
        params: { subject: f.cert.subject.display, extension },
      };
    }
    case 'not-ca':
      return {
        code: 'issuer-not-ca',
        certificate: f.child,
        ca: f.ca,
        detail: `"${f.ca.subject.display}" signed "${f.child.subject.display}" but is not a CA (basicConstraints CA:TRUE missing)`,
        params: { subject: f.child.subject.display, ca: f.ca.subject.display },
      };
    case 'path-length':
      return {
        code: 'path-length-exceeded',
        certificate: f.child,
        ca: f.ca,
        detail: `"${f.child.subject.display}" exceeds the path length limit of "${f.ca.subject.display}" (pathLen ${f.limit}: at most ${f.limit} intermediate CA(s) below it)`,
        params: { subject: f.child.subject.display, ca: f.ca.subject.display, limit: f.limit },
      };
    case 'name':
      return {
        code: 'name-constraint-violation',
        certificate: f.cert,
        ca: f.ca,
        detail: `"${f.cert.subject.display}" names ${f.name}, which the name constraints of "${f.ca.subject.display}" do not permit (${f.why})`,
        params: { subject: f.cert.subject.display, name: f.name, ca: f.ca.subject.display },
      };
    case 'usage': {
      const allowed = (f.ca.extKeyUsage ?? []).join(', ');
      return {
        code: 'incompatible-key-usage',
        certificate: f.cert,
        ca: f.ca,
        detail: `"${f.cert.subject.display}" cannot be used for ${USAGE_NAMES[f.usage]}: "${f.ca.subject.display}" limits extended key usage to ${allowed}`,
        params: { subject: f.cert.subject.display, usage: f.usage, ca: f.ca.subject.display, allowed },
      };
    }
    case 'budget':
      return {
        code: 'chain-too-complex',
        certificate: f.cert,
        detail: `path building for "${f.cert.subject.display}" needs more than ${MAX_SIGNATURE_CHECKS} signature checks`,
        params: { subject: f.cert.subject.display, limit: MAX_SIGNATURE_CHECKS },
      };
    case 'no-issuer': {
      const names = anchors.map((a) => a.subject.display).join('; ');
      return {
        code: 'not-signed-by-ca',
        certificate: f.cert,
        detail: `no CA with the subject "${f.cert.issuer.display}" among the certificates given`,
        params: {
          subject: f.cert.subject.display,
          issuer: f.cert.issuer.display,
          ca: names || f.cert.issuer.display,
        },
      };
    }
    case 'signature':
      return signatureProblem(f.child, f.ca, f.failure);
  }
}

function signatureProblem(child: Certificate, ca: Certificate, failure: SignatureFailure): ChainProblem {
  const subject = child.subject.display;
  const caName = ca.subject.display;
  switch (failure.kind) {
    case 'cannot-sign':
      return {
        code: 'issuer-not-ca',
        certificate: child,
        ca,
        detail: `"${caName}" may not sign certificates: ${failure.why}`,
        params: { subject, ca: caName },
      };
    case 'insecure':
      return {
        code: 'weak-signature',
        certificate: child,
        ca,
        detail: `"${subject}" is signed with ${failure.algorithm}, which Go refuses in chains (InsecureAlgorithmError)`,
        params: { subject, algorithm: failure.algorithm },
      };
    case 'unsupported':
      return {
        code: 'bad-signature',
        certificate: child,
        ca,
        detail: `"${subject}" is signed with ${failure.algorithm}, which Go cannot verify`,
        params: { subject, issuer: child.issuer.display, ca: caName },
      };
    case 'bad-signature': {
      const keyIds =
        child.authorityKeyId && ca.subjectKeyId && child.authorityKeyId !== ca.subjectKeyId
          ? ` (authority key id ${child.authorityKeyId}, CA key id ${ca.subjectKeyId})`
          : '';
      return {
        code: child.issuer.derHex === ca.subject.derHex ? 'bad-signature' : 'not-signed-by-ca',
        certificate: child,
        ca,
        detail: `the CA "${caName}" has the right name but another key${keyIds}: the signature does not verify (was the CA regenerated?)`,
        params: { subject, issuer: child.issuer.display, ca: caName },
      };
    }
  }
}
