// Issuing certificates and building PKCS#10 requests. Used by renewal, the demo cluster's signer
// and the test fixtures, so every knob a fixture needs (dates, weak keys, SHA-1, odd constraints)
// is an explicit field rather than a special case elsewhere.
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { x509, webcrypto } from './peculiar';

export type KeySpec =
  | { readonly algorithm: 'RSA'; readonly bits: number }
  | { readonly algorithm: 'EC'; readonly curve: 'P-256' | 'P-384' | 'P-521' }
  | { readonly algorithm: 'Ed25519' };

/** PEM flavour of the written private key; kubeadm writes PKCS#1 for RSA and SEC1 for EC. */
export type KeyFormat = 'pkcs1' | 'pkcs8' | 'sec1';

export type SignatureHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** A subject built from the usual Kubernetes attributes, or the exact DER of an existing name. */
export type SubjectSpec =
  | {
      readonly commonName?: string;
      readonly organizations?: readonly string[];
      readonly organizationalUnits?: readonly string[];
      readonly country?: string;
    }
  | { readonly der: Uint8Array };

export interface SanSpec {
  readonly dns?: readonly string[];
  readonly ip?: readonly string[];
  readonly email?: readonly string[];
  readonly uri?: readonly string[];
}

export interface SignerSpec {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface IssueRequest {
  readonly subject: SubjectSpec;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly sans?: SanSpec;
  /** Key usage bit names, e.g. ['digitalSignature', 'keyEncipherment']. */
  readonly keyUsage?: readonly KeyUsageName[];
  /** Extended key usage names ('serverAuth', 'clientAuth', …) or dotted OIDs. */
  readonly extKeyUsage?: readonly string[];
  /** Present: a basicConstraints extension (critical) is written. */
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLen?: number };
  /** The key of the new certificate: generate one (KeySpec) or reuse an existing PEM key. */
  readonly key?: KeySpec | { readonly pem: string };
  readonly keyFormat?: KeyFormat;
  /** Absent: self-signed. */
  readonly issuer?: SignerSpec;
  readonly signatureHash?: SignatureHash;
  /** Hex serial; random 16 bytes (positive) when absent. */
  readonly serialHex?: string;
}

export interface IssuedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly der: Uint8Array;
}

const KEY_USAGE_FLAGS = {
  digitalSignature: 1,
  nonRepudiation: 2,
  keyEncipherment: 4,
  dataEncipherment: 8,
  keyAgreement: 16,
  keyCertSign: 32,
  cRLSign: 64,
  encipherOnly: 128,
  decipherOnly: 256,
} as const;
export type KeyUsageName = keyof typeof KEY_USAGE_FLAGS;

const EXT_KEY_USAGE_OIDS: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  any: '2.5.29.37.0',
};

const DEFAULT_KEY: KeySpec = { algorithm: 'EC', curve: 'P-256' };

interface SigningMaterial {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly algorithm: KeySpec['algorithm'];
}

export async function generateKey(spec: KeySpec = DEFAULT_KEY): Promise<KeyObject> {
  const pair = await webcrypto.subtle.generateKey(webcryptoKeyAlgorithm(spec, 'SHA-256'), true, [
    'sign',
    'verify',
  ]);
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', (pair as CryptoKeyPair).privateKey);
  return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
}

/** Writes a private key as PEM in the requested flavour (falls back to PKCS#8 where a flavour does not apply). */
export function privateKeyToPem(key: KeyObject, format?: KeyFormat): string {
  const type = key.asymmetricKeyType;
  const wanted = format ?? (type === 'rsa' ? 'pkcs1' : type === 'ec' ? 'sec1' : 'pkcs8');
  const usable =
    (wanted === 'pkcs1' && type === 'rsa') || (wanted === 'sec1' && type === 'ec') ? wanted : 'pkcs8';
  return key.export({ format: 'pem', type: usable }).toString();
}

export async function issueCertificate(req: IssueRequest): Promise<IssuedCertificate> {
  const subjectKey = await subjectKeyObject(req.key);
  const subjectMaterial = await signingMaterial(subjectKey, req.signatureHash ?? 'SHA-256');
  const issuerCert = req.issuer ? new x509.X509Certificate(req.issuer.certPem) : undefined;
  const issuerMaterial = req.issuer
    ? await signingMaterial(createPrivateKey(req.issuer.keyPem), req.signatureHash ?? 'SHA-256')
    : subjectMaterial;

  const extensions: x509.Extension[] = [];
  if (req.basicConstraints) {
    extensions.push(
      new x509.BasicConstraintsExtension(req.basicConstraints.ca, req.basicConstraints.pathLen, true),
    );
  }
  if (req.keyUsage?.length) {
    const flags = req.keyUsage.reduce((acc, name) => acc | KEY_USAGE_FLAGS[name], 0);
    extensions.push(new x509.KeyUsagesExtension(flags, true));
  }
  if (req.extKeyUsage?.length) {
    extensions.push(
      new x509.ExtendedKeyUsageExtension(req.extKeyUsage.map((u) => EXT_KEY_USAGE_OIDS[u] ?? u)),
    );
  }
  const sanNames = sanGeneralNames(req.sans);
  if (sanNames.length) extensions.push(new x509.SubjectAlternativeNameExtension(sanNames));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(subjectMaterial.publicKey));
  if (issuerCert) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey));
  }

  const subjectName = toName(req.subject);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: req.serialHex ?? randomSerialHex(),
    subject: subjectName,
    issuer: issuerCert ? new x509.Name(issuerCert.subjectName.toArrayBuffer()) : subjectName,
    notBefore: req.notBefore,
    notAfter: req.notAfter,
    publicKey: subjectMaterial.publicKey,
    signingKey: issuerMaterial.privateKey,
    signingAlgorithm: webcryptoSigningAlgorithm(issuerMaterial.algorithm, req.signatureHash ?? 'SHA-256'),
    extensions,
  });
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem: privateKeyToPem(subjectKey, req.keyFormat),
    der: new Uint8Array(cert.rawData),
  };
}

export interface CertificateRequestSpec {
  readonly subject: SubjectSpec;
  readonly sans?: SanSpec;
  readonly keyPem: string;
  readonly signatureHash?: SignatureHash;
}

/** Builds a PEM PKCS#10 request signed by `keyPem` (proof of possession). */
export async function buildCertificateRequest(spec: CertificateRequestSpec): Promise<string> {
  const material = await signingMaterial(createPrivateKey(spec.keyPem), spec.signatureHash ?? 'SHA-256');
  const sanNames = sanGeneralNames(spec.sans);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: toName(spec.subject),
    keys: { privateKey: material.privateKey, publicKey: material.publicKey },
    signingAlgorithm: webcryptoSigningAlgorithm(material.algorithm, spec.signatureHash ?? 'SHA-256'),
    extensions: sanNames.length ? [new x509.SubjectAlternativeNameExtension(sanNames)] : [],
  });
  return csr.toString('pem') + '\n';
}

function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // keep the INTEGER positive
  bytes[0] |= 0x10; // and 16 bytes long, so it never needs a leading zero
  return bytes.toString('hex');
}

async function subjectKeyObject(key: IssueRequest['key']): Promise<KeyObject> {
  if (key && 'pem' in key) return createPrivateKey(key.pem);
  return generateKey(key ?? DEFAULT_KEY);
}

function keySpecOf(key: KeyObject): KeySpec {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { algorithm: 'RSA', bits: details.modulusLength ?? 2048 };
    case 'ec': {
      const curve = ({ prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' } as const)[
        details.namedCurve as 'prime256v1' | 'secp384r1' | 'secp521r1'
      ];
      if (!curve) throw new Error(`unsupported EC curve ${details.namedCurve ?? '?'}`);
      return { algorithm: 'EC', curve };
    }
    case 'ed25519':
      return { algorithm: 'Ed25519' };
    default:
      throw new Error(`unsupported key type ${key.asymmetricKeyType ?? '?'}`);
  }
}

async function signingMaterial(key: KeyObject, hash: SignatureHash): Promise<SigningMaterial> {
  const spec = keySpecOf(key);
  const algorithm = webcryptoKeyAlgorithm(spec, hash);
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']);
  return { privateKey, publicKey, algorithm: spec.algorithm };
}

function webcryptoKeyAlgorithm(
  spec: KeySpec,
  hash: SignatureHash,
): RsaHashedKeyGenParams | EcKeyGenParams | Algorithm {
  switch (spec.algorithm) {
    case 'RSA':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: spec.bits,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash,
      } as RsaHashedKeyGenParams;
    case 'EC':
      return { name: 'ECDSA', namedCurve: spec.curve } as EcKeyGenParams;
    case 'Ed25519':
      return { name: 'Ed25519' };
  }
}

function webcryptoSigningAlgorithm(
  algorithm: KeySpec['algorithm'],
  hash: SignatureHash,
): Algorithm | EcdsaParams {
  switch (algorithm) {
    case 'RSA':
      return { name: 'RSASSA-PKCS1-v1_5', hash } as Algorithm;
    case 'EC':
      return { name: 'ECDSA', hash } as EcdsaParams;
    case 'Ed25519':
      return { name: 'Ed25519' };
  }
}

function toName(subject: SubjectSpec): x509.Name {
  if ('der' in subject) return new x509.Name(new Uint8Array(subject.der));
  const parts: x509.JsonAttributeAndObjectValue[] = [];
  if (subject.country) parts.push({ C: [nameValue(subject.country)] });
  for (const o of subject.organizations ?? []) parts.push({ O: [nameValue(o)] });
  for (const ou of subject.organizationalUnits ?? []) parts.push({ OU: [nameValue(ou)] });
  if (subject.commonName !== undefined) parts.push({ CN: [nameValue(subject.commonName)] });
  return new x509.Name(parts);
}

// An explicit string type: given a bare string, peculiar reads quotes and a leading '#' as syntax
// and silently alters the value. PrintableString when possible, as Go (kubeadm) encodes names.
function nameValue(value: string): x509.JsonAttributeObject {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value) ? { printableString: value } : { utf8String: value };
}

function sanGeneralNames(sans: SanSpec | undefined): x509.JsonGeneralName[] {
  if (!sans) return [];
  return [
    ...(sans.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(sans.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(sans.email ?? []).map((value) => ({ type: 'email' as const, value })),
    ...(sans.uri ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
}
