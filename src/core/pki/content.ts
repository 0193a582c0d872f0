// Decodes one file of a PKI folder into what the inventory needs, once per file version (the
// scanner caches the result by path + size + mtime). Private keys are kept as opaque handles plus
// the public half's SPKI, which is all pairing needs; no key material is stored here.
import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KubeconfigDocument } from '../kubeconfig/model';
import { parseKubeconfig } from '../kubeconfig/parse';
import { decodeBase64Data, decodeFileContent, type DecodeProblem } from '../x509/decode';
import type { PrivateKeyHandle } from '../x509/keys';
import type { Certificate } from '../x509/model';
import { findPemBlocks } from '../x509/pem';
import { PRIVATE_KEY_LABELS } from '../x509/keys';
import { parseKubeletConfig, type KubeletConfig } from './kubelet';
import { fileRole } from './layout';
import { parseStaticPodManifest, type StaticPodManifest } from './manifest';
import { pkiReason, type PkiReason } from './reasons';

export interface PemContent {
  readonly kind: 'pem';
  readonly certificates: readonly Certificate[];
  readonly privateKeys: readonly PrivateKeyHandle[];
  /** SPKI DER of each private key's public half, then of each PUBLIC KEY block. */
  readonly privateKeySpkis: readonly Uint8Array[];
  readonly publicKeySpkis: readonly Uint8Array[];
  readonly problems: readonly DecodeProblem[];
}

/** The client certificate of a kubeconfig's current context, as kubeadm reads it. */
export interface KubeconfigClient {
  readonly context?: string;
  readonly user?: string;
  readonly cluster?: string;
  /** Embedded `client-certificate-data`, first certificate. */
  readonly certificate?: Certificate;
  /** `client-certificate` path as written and resolved against the kubeconfig's folder. */
  readonly certificatePath?: { readonly written: string; readonly resolved: string };
  readonly clusterCas: readonly Certificate[];
  /** Why there is no client certificate to show, first reason first. */
  readonly problems: readonly PkiReason[];
}

export interface KubeconfigContent {
  readonly kind: 'kubeconfig';
  readonly document: KubeconfigDocument;
  readonly client: KubeconfigClient;
}

export interface ManifestContent {
  readonly kind: 'manifest';
  readonly manifest: StaticPodManifest;
}

export interface KubeletConfigContent {
  readonly kind: 'kubelet-config';
  readonly config: KubeletConfig;
}

export type PkiContent =
  PemContent | KubeconfigContent | ManifestContent | KubeletConfigContent | { readonly kind: 'ignored' };

const textDecoder = new TextDecoder('utf-8');

/** `absolutePath` is where the file really is: kubeconfig path references resolve against it. */
export function decodePkiFile(logicalPath: string, absolutePath: string, bytes: Uint8Array): PkiContent {
  switch (fileRole(logicalPath)) {
    case 'manifest':
      return { kind: 'manifest', manifest: parseStaticPodManifest(textDecoder.decode(bytes), absolutePath) };
    case 'kubelet-config':
      return { kind: 'kubelet-config', config: parseKubeletConfig(textDecoder.decode(bytes), absolutePath) };
    case 'kubeconfig':
      return decodeKubeconfig(textDecoder.decode(bytes), absolutePath);
    case 'certificate':
    case 'private-key':
    case 'public-key':
      return decodePem(bytes);
    case 'ignored':
      return { kind: 'ignored' };
  }
}

export function decodePem(bytes: Uint8Array): PemContent {
  const decoded = decodeFileContent(bytes);
  const privateKeySpkis: Uint8Array[] = [];
  const publicKeySpkis: Uint8Array[] = [];
  const text = bytes[0] === 0x30 ? '' : textDecoder.decode(bytes);
  for (const block of findPemBlocks(text)) {
    if (block.error || !block.bytes) continue;
    const der = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
    try {
      if (PRIVATE_KEY_LABELS[block.label]) {
        // The public half only; the private KeyObject is dropped at once.
        const type = PRIVATE_KEY_LABELS[block.label];
        privateKeySpkis.push(
          new Uint8Array(
            createPublicKey(createPrivateKey({ key: der, format: 'der', type })).export({
              type: 'spki',
              format: 'der',
            }),
          ),
        );
      } else if (block.label === 'PUBLIC KEY') {
        publicKeySpkis.push(
          new Uint8Array(
            createPublicKey({ key: der, format: 'der', type: 'spki' }).export({
              type: 'spki',
              format: 'der',
            }),
          ),
        );
      } else if (block.label === 'RSA PUBLIC KEY') {
        publicKeySpkis.push(
          new Uint8Array(
            createPublicKey({ key: der, format: 'der', type: 'pkcs1' }).export({
              type: 'spki',
              format: 'der',
            }),
          ),
        );
      }
    } catch {
      // decodeFileContent already reports unreadable private keys; a bad public key is reported by the pairing check.
    }
  }
  const problems = decoded.problems.filter(
    // A lone PUBLIC KEY (sa.pub) is not a problem here even though it holds no certificate.
    (p) => !(publicKeySpkis.length && p.kind === 'invalid-pem' && !decoded.certificates.length),
  );
  return {
    kind: 'pem',
    certificates: decoded.certificates.map((c) => c.cert),
    privateKeys: decoded.privateKeys,
    privateKeySpkis,
    publicKeySpkis,
    problems,
  };
}

function decodeKubeconfig(text: string, file: string): KubeconfigContent {
  const document = parseKubeconfig(text, file);
  const contextName = document.currentContext?.value;
  const context = document.contexts.find((c) => c.name === contextName);
  const userName = context?.fields.user?.value;
  const clusterName = context?.fields.cluster?.value;
  const user = document.users.find((u) => u.name === userName);
  const cluster = document.clusters.find((c) => c.name === clusterName);
  const problems: PkiReason[] = [];
  if (!context)
    problems.push(
      contextName
        ? pkiReason('context-not-defined', { context: contextName })
        : pkiReason('no-current-context'),
    );

  let certificate: Certificate | undefined;
  const data = user?.fields['client-certificate-data']?.value;
  if (data !== undefined) {
    const decoded = decodeBase64Data(data);
    certificate = decoded.certificates[0]?.cert;
    problems.push(
      ...decoded.problems.map((p) => pkiReason('client-certificate-data-unreadable', { detail: p.message })),
    );
  }
  const pathField = user?.fields['client-certificate'];
  const certificatePath =
    data === undefined && pathField
      ? { written: pathField.value, resolved: pathField.resolvedPath ?? pathField.value }
      : undefined;

  const caData = cluster?.fields['certificate-authority-data']?.value;
  const clusterCas = caData !== undefined ? decodeBase64Data(caData).certificates.map((c) => c.cert) : [];
  return {
    kind: 'kubeconfig',
    document,
    client: {
      context: contextName,
      user: userName,
      cluster: clusterName,
      certificate,
      certificatePath,
      clusterCas,
      problems,
    },
  };
}
