// Checks what the static pod manifests wire together: every file flag names a file that exists,
// each certificate goes with its key, is signed by the CA the manifest pairs it with, and a
// serving certificate covers the addresses the manifest advertises. The pairings are data.
import { RELATED_MESSAGES, type FindingCode } from '../findings/catalog';
import {
  certificateRef,
  makeFinding,
  type Finding,
  type FindingParams,
  type RelatedLocation,
} from '../findings/finding';
import { verifySignature } from '../x509/chain';
import { keyMatchesCertificate } from '../x509/keys';
import type { Certificate } from '../x509/model';
import type { PemContent } from './content';
import type { ManifestFlag, StaticPodManifest } from './manifest';

/** Flags that name a file: `--*-file`, `--*-cafile`, `--*-certificate`, `--*-key`, `--*-certfile`, `--*-keyfile`, `--*kubeconfig`. */
export const FILE_FLAG = /^--(?:[a-z0-9-]+-)?(?:file|cafile|certificate|key|certfile|keyfile|kubeconfig)$/;

/** Where a serving certificate's expected addresses come from. */
export interface AdvertisedBy {
  readonly flag: string;
  /** `address`: the value is a host; `urls`: a comma-separated list of URLs. */
  readonly kind: 'address' | 'urls';
}

export interface WiringPair {
  /** A certificate flag, or (for the service-account pair) a public-key flag. */
  readonly cert: string;
  readonly key: string;
  /** The flag of the CA that must have signed `cert`. */
  readonly ca?: string;
  readonly advertisedBy?: readonly AdvertisedBy[];
  /** `cert` may hold a bare public key (service-account keys). */
  readonly publicKey?: boolean;
}

export const WIRING_PAIRS: readonly WiringPair[] = [
  // kube-apiserver (and the secure port of controller-manager/scheduler when set)
  {
    cert: '--tls-cert-file',
    key: '--tls-private-key-file',
    ca: '--client-ca-file',
    advertisedBy: [{ flag: '--advertise-address', kind: 'address' }],
  },
  { cert: '--etcd-certfile', key: '--etcd-keyfile', ca: '--etcd-cafile' },
  // The kubelet checks this client cert against its own --client-ca-file: the cluster CA, which the apiserver also trusts.
  { cert: '--kubelet-client-certificate', key: '--kubelet-client-key', ca: '--client-ca-file' },
  { cert: '--proxy-client-cert-file', key: '--proxy-client-key-file', ca: '--requestheader-client-ca-file' },
  { cert: '--service-account-key-file', key: '--service-account-signing-key-file', publicKey: true },
  // kube-controller-manager
  { cert: '--cluster-signing-cert-file', key: '--cluster-signing-key-file' },
  // etcd
  {
    cert: '--cert-file',
    key: '--key-file',
    ca: '--trusted-ca-file',
    advertisedBy: [{ flag: '--advertise-client-urls', kind: 'urls' }],
  },
  {
    cert: '--peer-cert-file',
    key: '--peer-key-file',
    ca: '--peer-trusted-ca-file',
    advertisedBy: [{ flag: '--initial-advertise-peer-urls', kind: 'urls' }],
  },
];

/** A path named by a manifest, mapped onto the scanned folder. */
export type ResolvedFile =
  /** Outside the scanned folder (e.g. /var/lib/kubelet): cannot be checked. */
  | { readonly status: 'outside' }
  | { readonly status: 'missing'; readonly absolutePath: string }
  | { readonly status: 'present'; readonly absolutePath: string; readonly pem?: PemContent };

export interface WiringOptions {
  readonly resolve: (nodePath: string) => ResolvedFile;
}

export function wiringFindings(manifest: StaticPodManifest, options: WiringOptions): Finding[] {
  const findings: Finding[] = [];
  const report = (
    code: FindingCode,
    flag: ManifestFlag,
    params: FindingParams,
    extra: Partial<Finding> = {},
  ): void => {
    findings.push(makeFinding(code, { file: manifest.file, span: flag.span }, params, extra));
  };

  const byName = new Map<string, { flag: ManifestFlag; file: ResolvedFile }>();
  for (const flag of manifest.flags) {
    if (!FILE_FLAG.test(flag.name) || flag.value === '') continue;
    const file = options.resolve(flag.value);
    byName.set(flag.name, { flag, file });
    if (file.status === 'missing') report('wiring-file-missing', flag, { flag: flag.name, path: flag.value });
  }

  for (const pair of WIRING_PAIRS) {
    const cert = byName.get(pair.cert);
    if (!cert || cert.file.status !== 'present' || !cert.file.pem) continue;
    const pem = cert.file.pem;
    const leaf = pem.certificates[0];

    const key = byName.get(pair.key);
    if (
      key &&
      key.file.status === 'present' &&
      key.file.pem &&
      !pairMatches(pem, key.file.pem, pair.publicKey === true)
    ) {
      report(
        'wiring-key-mismatch',
        cert.flag,
        { keyFlag: pair.key, keyPath: key.flag.value, certFlag: pair.cert, certPath: cert.flag.value },
        { related: [related(manifest.file, key.flag, RELATED_MESSAGES.wiringKey, { keyFlag: pair.key })] },
      );
    }
    if (!leaf) continue;

    const ca = pair.ca ? byName.get(pair.ca) : undefined;
    const caCerts = ca?.file.status === 'present' ? (ca.file.pem?.certificates ?? []) : [];
    if (ca && caCerts.length && !caCerts.some((c) => signedBy(leaf, c))) {
      report(
        'wiring-wrong-ca',
        cert.flag,
        {
          certFlag: pair.cert,
          subject: leaf.subject.display,
          caFlag: ca.flag.name,
          ca: caCerts.map((c) => c.subject.display).join('; '),
        },
        {
          certificate: certificateRef(leaf),
          related: [related(manifest.file, ca.flag, RELATED_MESSAGES.wiringCa, { caFlag: ca.flag.name })],
        },
      );
    }

    for (const source of pair.advertisedBy ?? []) {
      const advertised = manifest.flags.find((f) => f.name === source.flag);
      if (!advertised) continue;
      for (const host of advertisedHosts(advertised.value, source.kind)) {
        if (coversHost(leaf, host)) continue;
        report(
          'wiring-san-missing',
          cert.flag,
          { certFlag: pair.cert, subject: leaf.subject.display, address: host, sourceFlag: source.flag },
          { certificate: certificateRef(leaf) },
        );
      }
    }
  }
  return findings;
}

function related(file: string, flag: ManifestFlag, message: string, params: FindingParams): RelatedLocation {
  return { file, span: flag.span, message, params };
}

function pairMatches(certSide: PemContent, keySide: PemContent, publicKey: boolean): boolean {
  if (!publicKey) {
    const cert = certSide.certificates[0];
    return (
      !cert || !keySide.privateKeys.length || keySide.privateKeys.some((k) => keyMatchesCertificate(k, cert))
    );
  }
  // --service-account-key-file may hold public keys, private keys or certificates: any one matching is enough.
  const publics = [
    ...certSide.publicKeySpkis,
    ...certSide.privateKeySpkis,
    ...certSide.certificates.map((c) => c.publicKey.spkiDer),
  ];
  if (!publics.length || !keySide.privateKeySpkis.length) return true;
  return keySide.privateKeySpkis.some((k) => publics.some((p) => sameBytes(k, p)));
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Issued by `ca`: names match and the signature verifies (what a TLS peer checks; dates are reported elsewhere). */
function signedBy(cert: Certificate, ca: Certificate): boolean {
  return cert.issuer.derHex === ca.subject.derHex && verifySignature(cert, ca);
}

export function advertisedHosts(value: string, kind: AdvertisedBy['kind']): string[] {
  if (kind === 'address') return value.trim() ? [value.trim()] : [];
  const hosts: string[] = [];
  for (const part of value.split(',')) {
    try {
      const host = new URL(part.trim()).hostname.replace(/^\[|\]$/g, '');
      if (host && !hosts.includes(host)) hosts.push(host);
    } catch {
      // Not a URL: etcd would refuse to start; nothing to match against.
    }
  }
  return hosts;
}

export function coversHost(cert: Certificate, host: string): boolean {
  const ip = normalizeIp(host);
  if (ip) return cert.sans.ip.some((candidate) => normalizeIp(candidate) === ip);
  const name = host.toLowerCase().replace(/\.$/, '');
  return cert.sans.dns.some((pattern) => dnsMatches(pattern.toLowerCase().replace(/\.$/, ''), name));
}

function dnsMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  if (!pattern.startsWith('*.')) return false;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot + 1) === pattern.slice(2);
}

/** Canonical text of an IPv4 or IPv6 address; undefined for host names. */
export function normalizeIp(text: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    return parts.every((p) => p <= 255) ? parts.join('.') : undefined;
  }
  if (!text.includes(':')) return undefined;
  const [head, tail, extra] = text.toLowerCase().split('::');
  if (extra !== undefined) return undefined;
  const groups = (s: string | undefined): string[] | undefined => {
    if (!s) return [];
    const out: string[] = [];
    for (const g of s.split(':')) {
      const mapped = normalizeIp(g);
      if (mapped && g.includes('.')) {
        const [a, b, c, d] = mapped.split('.').map(Number);
        out.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
      } else if (/^[0-9a-f]{1,4}$/.test(g)) {
        out.push(parseInt(g, 16).toString(16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const left = groups(head);
  const right = groups(tail);
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].join(':');
}
