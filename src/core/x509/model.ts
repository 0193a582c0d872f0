// The certificate model shared by every part of kubecerts. Produced by the lean DER decoder
// (fast path, used by audit, hover and diagnostics); @peculiar/x509 is only used for issuance,
// CSR building and cross-checking.

/** One attribute of a relative distinguished name, in certificate order. */
export interface NameAttribute {
  /** Dotted OID, e.g. "2.5.4.3". */
  readonly oid: string;
  /** Short name when known (CN, O, OU, C, ST, L, emailAddress, ...), else the OID. */
  readonly type: string;
  readonly value: string;
}

export interface DistinguishedName {
  /** Ordered RDNs as they appear in the DER (most significant first). */
  readonly rdns: readonly (readonly NameAttribute[])[];
  /** RFC 4514-like display string, most significant first: "CN=kube-apiserver, O=…". */
  readonly display: string;
  /** Hex of the DER encoding: names compare exactly by this. */
  readonly derHex: string;
}

export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly ip: readonly string[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
}

export type KeyAlgorithm = 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'unknown';

export interface PublicKeyInfo {
  readonly algorithm: KeyAlgorithm;
  /** RSA modulus size or EC field size, in bits. */
  readonly bits?: number;
  /** Named curve for EC keys: "P-256", "P-384", "P-521", or the OID. */
  readonly curve?: string;
  /** DER of the SubjectPublicKeyInfo. */
  readonly spkiDer: Uint8Array;
}

export interface SignatureAlgorithm {
  readonly oid: string;
  /** e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256", "Ed25519". */
  readonly name: string;
  /** Digest: "SHA-1", "SHA-256", "MD5", …; undefined for Ed25519/Ed448. */
  readonly hash?: string;
}

/** A nameConstraints extension as Go reads it (RFC 5280 §4.2.1.10; DNS, IP, email and URI subtrees). */
export interface NameConstraints {
  readonly critical: boolean;
  readonly permitted: NameSubtrees;
  readonly excluded: NameSubtrees;
}

export interface NameSubtrees {
  readonly dns: readonly string[];
  /** Address and mask bytes, each 4 or 16 long. */
  readonly ip: readonly { readonly ip: Uint8Array; readonly mask: Uint8Array }[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
}

export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLen?: number;
}

/** What Kubernetes grants the holder of a client certificate. */
export interface Identity {
  readonly user: string;
  readonly groups: readonly string[];
}

export interface Certificate {
  readonly der: Uint8Array;
  /** DER of tbsCertificate: the signed bytes. */
  readonly tbsDer: Uint8Array;
  readonly signatureValue: Uint8Array;
  readonly version: number;
  /** Lower-case hex, no separators, leading zero bytes stripped as openssl prints them. */
  readonly serialHex: string;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly sans: SubjectAltNames;
  readonly publicKey: PublicKeyInfo;
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** Key usage bit names (digitalSignature, keyEncipherment, keyCertSign, …); undefined when absent. */
  readonly keyUsage?: readonly string[];
  /** Extended key usage names (serverAuth, clientAuth, …) or OIDs; undefined when absent. */
  readonly extKeyUsage?: readonly string[];
  readonly basicConstraints?: BasicConstraints;
  /** Lower-case hex. */
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
  /** Lower-case hex without separators. */
  readonly sha256Fingerprint: string;
  readonly sha1Fingerprint: string;
  /** "sha256:<hex>" over the SPKI DER, as kubeadm join's --discovery-token-ca-cert-hash. */
  readonly spkiPin: string;
  readonly identity: Identity;
  readonly isSelfIssued: boolean;
  /**
   * Set when Go 1.23's x509.ParseCertificate refuses these bytes (negative serial, critical AKI/SKI,
   * critical or malformed AIA, explicit EC parameters, malformed SAN or name constraints, …): the
   * fields above are still shown, but Kubernetes cannot load the certificate, so it never verifies.
   * The text is the reason, in Go's words.
   */
  readonly goRejects?: string;
  /** Dotted OIDs of critical extensions Go does not handle (its UnhandledCriticalExtensions). */
  readonly unhandledCriticalExtensions?: readonly string[];
  readonly nameConstraints?: NameConstraints;
  /** Hex of the subjectAltName extension's value: Go compares it to detect loops in path building. */
  readonly sanExtensionHex?: string;
}
