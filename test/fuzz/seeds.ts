// Valid inputs the fuzzer mutates: certificates (PEM, DER, bundles), keys of every format, PKCS#10
// requests, kubeconfigs and a kubeadm PKI tree. Generated once per process with fixed dates; no
// key material is ever written to disk or kept in the corpus.
import { Buffer } from 'node:buffer';
import { generateKubeadmPki, type GeneratedTree } from '../../src/core/pki/generate';
import { toPem } from '../../src/core/x509/pem';
import { generateKey, privateKeyToPem } from '../../src/core/x509/issue';
import { base64Data, makeCa, makeLeaf, type TestCert } from '../fixtures/certs';
import { requestPem } from '../fixtures/csr';
import { kubeconfigYaml } from '../fixtures/kubeconfig';

/** The instant every property audits at; certificates are valid around it. */
export const FUZZ_NOW = new Date('2026-03-01T00:00:00Z');

export interface Seeds {
  readonly root: TestCert;
  readonly intermediate: TestCert;
  readonly leaf: TestCert;
  /** PEM texts: single certificates, a bundle, cert + key together, each key format. */
  readonly pemTexts: readonly string[];
  /** DER encodings: certificates and keys. */
  readonly ders: readonly Uint8Array[];
  readonly keyPems: readonly string[];
  readonly csrPems: readonly string[];
  readonly kubeconfigs: readonly string[];
  readonly pki: GeneratedTree;
}

let seeds: Promise<Seeds> | undefined;

/** Built once per process: a few EC keys, one small RSA key, one Ed25519 key. */
export function loadSeeds(): Promise<Seeds> {
  seeds ??= build();
  return seeds;
}

async function build(): Promise<Seeds> {
  const dates = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') };
  const root = await makeCa({ cn: 'fuzz-root', ...dates, pathLen: 1 });
  const intermediate = await makeCa({ cn: 'fuzz-intermediate', issuer: root, ...dates });
  const leaf = await makeLeaf({
    issuer: intermediate,
    cn: 'fuzz-user',
    o: ['system:masters'],
    eku: ['clientAuth'],
    sans: { dns: ['fuzz.example'], ip: ['10.0.0.1', '::1'], email: ['a@b.c'], uri: ['spiffe://x/y'] },
    ...dates,
  });
  // RSA 1024 here only to cover PKCS#1 parsing cheaply; the weak size is part of the point.
  const rsa = await generateKey({ algorithm: 'RSA', bits: 1024 });
  const ed = await generateKey({ algorithm: 'Ed25519' });
  const keyPems = [
    leaf.keyPem,
    privateKeyToPem(rsa, 'pkcs1'),
    privateKeyToPem(rsa, 'pkcs8'),
    privateKeyToPem(ed, 'pkcs8'),
    root.keyPem,
  ];
  const csrPems = [
    await requestPem({
      commonName: 'system:node:n1',
      organizations: ['system:nodes'],
      sans: { dns: ['n1'], ip: ['10.0.0.2'] },
    }),
    await requestPem({ commonName: 'alice', organizations: ['dev'], key: { algorithm: 'Ed25519' } }),
  ];
  const pemTexts = [
    root.certPem,
    leaf.certPem + leaf.keyPem,
    leaf.certPem + intermediate.certPem + root.certPem,
    ...keyPems,
    ...csrPems,
  ];
  const ders = [root.der, leaf.der, intermediate.der, ...keyPems.map(pemBody)];
  const kubeconfigs = [
    kubeconfigYaml({
      clusters: [{ name: 'c1', caData: base64Data(root.certPem + intermediate.certPem) }],
      users: [
        { name: 'u1', certData: base64Data(leaf.certPem), keyData: base64Data(leaf.keyPem) },
        { name: 'u2', token: 'abcdef.0123456789abcdef' },
        { name: 'u3', username: 'admin', password: 'not-a-real-password', execCommand: 'aws' },
        { name: 'u4', certPath: 'client.crt', keyPath: '/nowhere/client.key', tokenFile: 'tok' },
      ],
      contexts: [
        { name: 'ctx1', cluster: 'c1', user: 'u1' },
        { name: 'ctx2', cluster: 'missing', user: 'u2' },
      ],
      currentContext: 'ctx1',
    }),
    kubeconfigYaml({
      clusters: [{ name: 'c2', caData: 'DATA+OMITTED', insecure: true }],
      users: [{ name: 'u1', certData: 'REDACTED', keyData: 'REDACTED' }],
      contexts: [{ name: 'x', cluster: 'c2', user: 'u1' }],
      currentContext: 'nowhere',
    }),
  ];
  const pki = await generateKubeadmPki({ now: FUZZ_NOW, key: { algorithm: 'EC', curve: 'P-256' } });
  return { root, intermediate, leaf, pemTexts, ders, keyPems, csrPems, kubeconfigs, pki };
}

function pemBody(pem: string): Uint8Array {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

/** A PEM block around arbitrary DER (to feed mutated DER through the PEM path too). */
export function pemOf(label: string, der: Uint8Array): string {
  return toPem(label, der);
}
