// The built-in signers of kube-controller-manager, as data: what each accepts (the rules of
// pkg/apis/certificates/helpers ValidateKubeletServingCSR / ValidateKubeletClientCSR and the
// apiserver-client usage check), and how an accepted request is signed with the cluster CA.
import { createPrivateKey, randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { x509, webcrypto } from '../../src/core/x509/peculiar';
import type { ParsedRequest } from './certificateRequest';

export interface UsageRule {
  /** The usages must equal one of these sets exactly… */
  readonly exactly?: readonly (readonly string[])[];
  /** …or include all of `required` and nothing outside required ∪ optional. */
  readonly required?: readonly string[];
  readonly optional?: readonly string[];
}

export interface SignerRule {
  readonly signerName: string;
  /** Subject O must be exactly this list. */
  readonly organizations?: readonly string[];
  readonly commonNamePrefix?: string;
  readonly sans: 'none' | 'dns-or-ip-required' | 'any';
  readonly usages: UsageRule;
  /** Usage errors read differently per signer upstream. */
  readonly usageError: 'client' | 'set';
}

const SYSTEM_NODES = ['system:nodes'];

export const SIGNER_RULES: readonly SignerRule[] = [
  {
    signerName: 'kubernetes.io/kube-apiserver-client',
    sans: 'any',
    usages: { required: ['client auth'], optional: ['digital signature', 'key encipherment'] },
    usageError: 'client',
  },
  {
    signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
    organizations: SYSTEM_NODES,
    commonNamePrefix: 'system:node:',
    sans: 'none',
    usages: {
      exactly: [
        ['client auth', 'digital signature', 'key encipherment'],
        ['client auth', 'digital signature'],
      ],
    },
    usageError: 'set',
  },
  {
    signerName: 'kubernetes.io/kubelet-serving',
    organizations: SYSTEM_NODES,
    commonNamePrefix: 'system:node:',
    sans: 'dns-or-ip-required',
    usages: {
      exactly: [
        ['digital signature', 'key encipherment', 'server auth'],
        ['digital signature', 'server auth'],
      ],
    },
    usageError: 'set',
  },
];

export function signerRule(signerName: string): SignerRule | undefined {
  return SIGNER_RULES.find((rule) => rule.signerName === signerName);
}

/** Why the signer refuses this request, worded as upstream; undefined when it is acceptable. */
export function signerValidationError(
  rule: SignerRule,
  req: ParsedRequest,
  usages: readonly string[],
): string | undefined {
  if (rule.organizations && !sameList(rule.organizations, req.organizations)) {
    return `subject organization is not ${rule.organizations.join(',')}`;
  }
  if (rule.sans !== 'any') {
    if (req.email.length) return 'Email subjectAltNames are not allowed';
    if (req.uri.length) return 'URI subjectAltNames are not allowed';
  }
  if (rule.sans === 'none') {
    if (req.dns.length) return 'DNS subjectAltNames are not allowed';
    if (req.ip.length) return 'IP subjectAltNames are not allowed';
  }
  if (rule.sans === 'dns-or-ip-required' && !req.dns.length && !req.ip.length) {
    return 'DNS or IP subjectAltName is required';
  }
  const usageError = checkUsages(rule, usages);
  if (usageError) return usageError;
  if (rule.commonNamePrefix && !req.commonName.startsWith(rule.commonNamePrefix)) {
    return `subject common name does not begin with ${rule.commonNamePrefix}`;
  }
  return undefined;
}

function checkUsages(rule: SignerRule, usages: readonly string[]): string | undefined {
  const { exactly, required = [], optional = [] } = rule.usages;
  if (exactly) {
    return exactly.some((set) => sameSet(set, usages))
      ? undefined
      : `usages did not match [${[...exactly[0]].sort().join(' ')}]`;
  }
  const stray = usages.find((u) => !required.includes(u) && !optional.includes(u));
  if (stray) return `invalid usage for client certificate: ${stray}`;
  const missing = required.find((u) => !usages.includes(u));
  return missing ? `missing required usage for client certificate: ${missing}` : undefined;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  new Set(a).size === new Set(b).size && a.every((x) => b.includes(x));
const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const KEY_USAGE_BITS: Record<string, number> = {
  signing: x509.KeyUsageFlags.digitalSignature,
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly,
  'decipher only': x509.KeyUsageFlags.decipherOnly,
};

const EXT_KEY_USAGE_OIDS: Record<string, string> = {
  any: '2.5.29.37.0',
  'server auth': '1.3.6.1.5.5.7.3.1',
  'client auth': '1.3.6.1.5.5.7.3.2',
  'code signing': '1.3.6.1.5.5.7.3.3',
  'email protection': '1.3.6.1.5.5.7.3.4',
  's/mime': '1.3.6.1.5.5.7.3.4',
  'ipsec end system': '1.3.6.1.5.5.7.3.5',
  'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
  'ipsec user': '1.3.6.1.5.5.7.3.7',
  timestamping: '1.3.6.1.5.5.7.3.8',
  'ocsp signing': '1.3.6.1.5.5.7.3.9',
  'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
  'netscape sgc': '2.16.840.1.113730.4.1',
};

/** kube-controller-manager backdates certificates to tolerate clock skew. */
const BACKDATE_MS = 5 * 60 * 1000;

export interface ClusterCa {
  readonly certPem: string;
  readonly cert: x509.X509Certificate;
  readonly signingKey: CryptoKey;
  readonly signingAlgorithm: Algorithm | EcdsaParams;
}

export async function loadClusterCa(certPem: string, keyPem: string): Promise<ClusterCa> {
  const key = createPrivateKey(keyPem);
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const type = key.asymmetricKeyType;
  const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[
    String(key.asymmetricKeyDetails?.namedCurve)
  ];
  const [importAlgorithm, signingAlgorithm] =
    type === 'rsa'
      ? [
          { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        ]
      : type === 'ec'
        ? [
            { name: 'ECDSA', namedCurve: curve },
            { name: 'ECDSA', hash: 'SHA-256' },
          ]
        : [{ name: 'Ed25519' }, { name: 'Ed25519' }];
  const signingKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, importAlgorithm as Algorithm, false, [
    'sign',
  ]);
  return { certPem, cert: new x509.X509Certificate(certPem), signingKey, signingAlgorithm };
}

export interface SignOptions {
  readonly now: Date;
  readonly usages: readonly string[];
  readonly expirationSeconds?: number;
  /** --cluster-signing-duration (default one year). */
  readonly signingDurationMs: number;
}

/** Signs the request's key and names with the cluster CA; returns the certificate PEM. */
export async function signRequest(ca: ClusterCa, req: ParsedRequest, options: SignOptions): Promise<string> {
  const requested = options.expirationSeconds ? options.expirationSeconds * 1000 : Infinity;
  const durationMs = Math.min(requested, options.signingDurationMs);
  const notBefore = new Date(options.now.getTime() - Math.min(BACKDATE_MS, durationMs / 2));
  const notAfter = new Date(Math.min(options.now.getTime() + durationMs, ca.cert.notAfter.getTime()));
  const keyUsage = options.usages.reduce((bits, u) => bits | (KEY_USAGE_BITS[u] ?? 0), 0);
  const extKeyUsage = options.usages.map((u) => EXT_KEY_USAGE_OIDS[u]).filter((oid): oid is string => !!oid);
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (keyUsage) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  if (extKeyUsage.length) extensions.push(new x509.ExtendedKeyUsageExtension(extKeyUsage));
  const san = req.csr.getExtension('2.5.29.17');
  if (san) extensions.push(san);
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey));
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x10;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString('hex'),
    subject: new x509.Name(req.csr.subjectName.toArrayBuffer()),
    issuer: new x509.Name(ca.cert.subjectName.toArrayBuffer()),
    notBefore,
    notAfter,
    publicKey: req.csr.publicKey,
    signingKey: ca.signingKey,
    signingAlgorithm: ca.signingAlgorithm,
    extensions,
  });
  return cert.toString('pem') + '\n';
}

export function pemToBase64(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}
