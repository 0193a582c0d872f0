import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate, pssParameters } from '../../../../src/core/x509/certificate';
import { decodeFileContent } from '../../../../src/core/x509/decode';
import { verifyChain, verifySignature, type ChainProblemCode } from '../../../../src/core/x509/chain';
import type { Certificate } from '../../../../src/core/x509/model';
import { toPem } from '../../../../src/core/x509/pem';
import {
  ED25519,
  RSA_2048,
  addDays,
  bundle,
  makeCa,
  makeIntermediate,
  makeLeaf,
  makeRegeneratedCa,
  type TestCert,
} from '../../../fixtures/certs';

const now = new Date('2025-06-01T12:00:00Z');
const valid = { notBefore: addDays(now, -100), notAfter: addDays(now, 265) };

interface Scenario {
  readonly name: string;
  readonly leaf: TestCert;
  readonly anchors: readonly TestCert[];
  readonly intermediates?: readonly TestCert[];
  /** Expected problem codes in order; [] = verified. */
  readonly codes: readonly ChainProblemCode[];
  /** The anchor the path must end at, when one is found. */
  readonly anchor?: TestCert;
  /** openssl verify (not the oracle) answers otherwise. */
  readonly opensslDiffers?: boolean;
}

let dir: string;
let fileCount = 0;

function writeTemp(pem: string): string {
  const path = join(dir, `f${fileCount++}.pem`);
  writeFileSync(path, pem);
  return path;
}

/** openssl's verdict for the same inputs: true when it prints OK. */
function opensslVerifies(s: Scenario): boolean {
  const args = ['verify', '-no-CApath', '-no-CAstore', '-attime', String(Math.floor(now.getTime() / 1000))];
  args.push('-CAfile', writeTemp(bundle(...s.anchors)));
  if (s.intermediates?.length) args.push('-untrusted', writeTemp(bundle(...s.intermediates)));
  args.push(writeTemp(s.leaf.certPem));
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return result.status === 0 && /: OK\s*$/.test(result.stdout);
}

function verify(s: Scenario) {
  return verifyChain(
    s.leaf.cert,
    { anchors: s.anchors.map((a) => a.cert), intermediates: s.intermediates?.map((i) => i.cert) },
    now,
  );
}

function tamperSignature(t: TestCert): TestCert {
  const der = new Uint8Array(t.der);
  der[der.length - 5] ^= 0x01;
  const cert = parseCertificate(der);
  return { ...t, der, cert, certPem: toPem('CERTIFICATE', der) };
}

describe('verifyChain', () => {
  const scenarios: Scenario[] = [];

  before(async function () {
    this.timeout(120_000);
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-chain-'));
    const root = await makeCa({ cn: 'kubernetes', ...valid });
    const leaf = await makeLeaf({
      issuer: root,
      cn: 'kubernetes-admin',
      o: ['kubeadm:cluster-admins'],
      eku: ['clientAuth'],
      ...valid,
    });
    const regenerated = await makeRegeneratedCa(root, valid);
    const expiredRoot = await makeCa({
      cn: 'old-ca',
      notBefore: addDays(now, -3650),
      notAfter: addDays(now, -1),
    });
    const underExpiredRoot = await makeLeaf({
      issuer: expiredRoot,
      cn: 'client',
      notBefore: addDays(now, -10),
      notAfter: addDays(now, 10),
    });
    const future = await makeLeaf({
      issuer: root,
      cn: 'tomorrow',
      notBefore: addDays(now, 1),
      notAfter: addDays(now, 366),
    });
    const expiredLeaf = await makeLeaf({
      issuer: root,
      cn: 'yesterday',
      notBefore: addDays(now, -366),
      notAfter: addDays(now, -1),
    });
    const intermediate = await makeIntermediate({ cn: 'etcd-intermediate', issuer: root, ...valid });
    const underIntermediate = await makeLeaf({ issuer: intermediate, cn: 'etcd-peer', ...valid });
    const notCa = await makeLeaf({ issuer: root, cn: 'not-a-ca', markNotCa: true, ...valid });
    const underNotCa = await makeLeaf({ issuer: notCa, cn: 'signed-by-a-leaf', ...valid });
    const noCertSign = await makeCa({
      cn: 'no-keycertsign',
      keyUsage: ['digitalSignature', 'cRLSign'],
      ...valid,
    });
    const underNoCertSign = await makeLeaf({ issuer: noCertSign, cn: 'x', ...valid });
    const strictRoot = await makeCa({ cn: 'pathlen-0', pathLen: 0, ...valid });
    const strictIntermediate = await makeIntermediate({ cn: 'too-deep', issuer: strictRoot, ...valid });
    const tooDeep = await makeLeaf({ issuer: strictIntermediate, cn: 'leaf', ...valid });
    const rsaRoot = await makeCa({ cn: 'rsa-ca', key: RSA_2048, ...valid });
    const rsaLeaf = await makeLeaf({ issuer: rsaRoot, cn: 'rsa-leaf', ...valid });
    const edRoot = await makeCa({ cn: 'ed-ca', key: ED25519, ...valid });
    const edLeaf = await makeLeaf({ issuer: edRoot, cn: 'ed-leaf', key: ED25519, ...valid });
    const sha1Leaf = await makeLeaf({ issuer: rsaRoot, cn: 'sha1', signatureHash: 'SHA-1', ...valid });
    const pathLenOk = await makeCa({ cn: 'pathlen-1', pathLen: 1, ...valid });
    const pathLenOkInter = await makeIntermediate({ cn: 'inter', issuer: pathLenOk, pathLen: 0, ...valid });
    const pathLenOkLeaf = await makeLeaf({ issuer: pathLenOkInter, cn: 'leaf', ...valid });

    scenarios.push(
      { name: 'good: leaf signed by the CA', leaf, anchors: [root], codes: [], anchor: root },
      { name: 'good: RSA-2048 CA', leaf: rsaLeaf, anchors: [rsaRoot], codes: [], anchor: rsaRoot },
      { name: 'good: Ed25519 CA', leaf: edLeaf, anchors: [edRoot], codes: [], anchor: edRoot },
      {
        // Go 1.23 refuses SHA-1 in Verify (openssl 3 at security level 1 still accepts it).
        name: 'SHA-1 signature: Go refuses it',
        leaf: sha1Leaf,
        anchors: [rsaRoot],
        codes: ['weak-signature'],
        anchor: rsaRoot,
        opensslDiffers: true,
      },
      {
        name: 'good: through an intermediate',
        leaf: underIntermediate,
        anchors: [root],
        intermediates: [intermediate],
        codes: [],
        anchor: root,
      },
      {
        name: 'good: pathLen 1 then 0',
        leaf: pathLenOkLeaf,
        anchors: [pathLenOk],
        intermediates: [pathLenOkInter],
        codes: [],
        anchor: pathLenOk,
      },
      {
        name: 'good: the right CA among same-name CAs',
        leaf,
        anchors: [regenerated, rsaRoot, root],
        codes: [],
        anchor: root,
      },
      { name: 'intermediate missing', leaf: underIntermediate, anchors: [root], codes: ['not-signed-by-ca'] },
      {
        name: 'regenerated CA with the same name',
        leaf,
        anchors: [regenerated],
        codes: ['bad-signature'],
      },
      { name: 'unrelated CA', leaf, anchors: [rsaRoot, edRoot], codes: ['not-signed-by-ca'] },
      { name: 'tampered signature', leaf: tamperSignature(leaf), anchors: [root], codes: ['bad-signature'] },
      {
        name: 'expired CA',
        leaf: underExpiredRoot,
        anchors: [expiredRoot],
        codes: ['cert-expired'],
        anchor: expiredRoot,
      },
      {
        name: 'leaf not yet valid',
        leaf: future,
        anchors: [root],
        codes: ['cert-not-yet-valid'],
        anchor: root,
      },
      { name: 'leaf expired', leaf: expiredLeaf, anchors: [root], codes: ['cert-expired'], anchor: root },
      {
        name: 'issuer is not a CA',
        leaf: underNotCa,
        anchors: [root],
        intermediates: [notCa],
        codes: ['issuer-not-ca'],
        anchor: root,
      },
      {
        name: 'CA without keyCertSign',
        leaf: underNoCertSign,
        anchors: [noCertSign],
        codes: ['issuer-not-ca'],
        anchor: noCertSign,
      },
      {
        name: 'pathLen exceeded',
        leaf: tooDeep,
        anchors: [strictRoot],
        intermediates: [strictIntermediate],
        codes: ['path-length-exceeded'],
        anchor: strictRoot,
      },
    );
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the expected verdict for every scenario, and openssl verify agrees', () => {
    assert.ok(scenarios.length >= 15);
    for (const s of scenarios) {
      const verdict = verify(s);
      assert.deepEqual(
        verdict.problems.map((p) => p.code),
        s.codes,
        `${s.name}: ${verdict.problems.map((p) => p.detail).join('; ')}`,
      );
      assert.equal(verdict.verified, s.codes.length === 0, s.name);
      assert.equal(verdict.anchor?.sha256Fingerprint, s.anchor?.cert.sha256Fingerprint, s.name);
      if (s.anchor) {
        assert.equal(verdict.path[0], s.leaf.cert);
        assert.equal(
          verdict.path[verdict.path.length - 1].sha256Fingerprint,
          s.anchor.cert.sha256Fingerprint,
        );
      }
      assert.equal(
        opensslVerifies(s) !== !!s.opensslDiffers,
        verdict.verified,
        `openssl disagrees on: ${s.name}`,
      );
    }
  });

  it('names the CA that was tried and why it failed', () => {
    const regenerated = scenarios.find((s) => s.name === 'regenerated CA with the same name')!;
    const [problem] = verify(regenerated).problems;
    assert.equal(problem.certificate, regenerated.leaf.cert);
    assert.equal(problem.ca, regenerated.anchors[0].cert);
    assert.match(problem.detail, /right name but another key/);
    const expired = scenarios.find((s) => s.name === 'expired CA')!;
    assert.equal(verify(expired).problems[0].certificate, expired.anchors[0].cert);
    const tampered = scenarios.find((s) => s.name === 'tampered signature')!;
    assert.equal(verify(tampered).problems[0].ca, tampered.anchors[0].cert);
  });

  it('accepts an anchor as its own chain and checks signatures without names', () => {
    const good = scenarios[0];
    const verdict = verifyChain(good.anchors[0].cert, { anchors: [good.anchors[0].cert] }, now);
    assert.deepEqual(verdict, {
      verified: true,
      anchor: good.anchors[0].cert,
      path: [good.anchors[0].cert],
      problems: [],
      signedBy: good.anchors[0].cert,
    });
    assert.equal(verifySignature(good.leaf.cert, good.anchors[0].cert), true);
    assert.equal(verifySignature(good.anchors[0].cert, good.anchors[0].cert), true);
    const unrelated = scenarios.find((s) => s.name === 'unrelated CA')!;
    for (const a of unrelated.anchors) assert.equal(verifySignature(good.leaf.cert, a.cert), false);
  });

  it('verifies openssl-made RSA-PSS signatures and version 1 roots as openssl does', () => {
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const read = (name: string) => decodeFileContent(readFileSync(join(dir, name))).certificates[0].cert;
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'pss.key',
      '-subj',
      '/CN=pss-ca',
      '-days',
      '1',
    );
    openssl(
      'req',
      '-x509',
      '-key',
      'pss.key',
      '-subj',
      '/CN=pss-ca',
      '-days',
      '1',
      '-sha256',
      '-out',
      'pss.crt',
      '-sigopt',
      'rsa_padding_mode:pss',
      '-sigopt',
      'rsa_pss_saltlen:32',
    );
    const pss = read('pss.crt');
    assert.deepEqual(pss.signatureAlgorithm, {
      oid: '1.2.840.113549.1.1.10',
      name: 'rsassaPss',
      hash: 'SHA-256',
    });
    assert.deepEqual(pssParameters(pss), { hash: 'SHA-256', saltLength: 32 });
    assert.equal(verifySignature(pss, pss), true);
    const tampered = parseCertificate(
      new Uint8Array([...pss.der.subarray(0, -1), pss.der[pss.der.length - 1] ^ 1]),
    );
    assert.equal(verifySignature(tampered, pss), false);

    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'v1.key');
    openssl('req', '-new', '-key', 'v1.key', '-subj', '/CN=v1-root', '-out', 'v1.csr');
    openssl('x509', '-req', '-in', 'v1.csr', '-key', 'v1.key', '-days', '10', '-out', 'v1.crt');
    openssl('req', '-new', '-key', 'pss.key', '-subj', '/CN=v1-leaf', '-out', 'leaf.csr');
    openssl(
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'v1.crt',
      '-CAkey',
      'v1.key',
      '-days',
      '5',
      '-out',
      'leaf.crt',
    );
    const root = read('v1.crt');
    const leaf = read('leaf.crt');
    assert.equal(root.version, 1);
    assert.equal(root.basicConstraints, undefined);
    const at = new Date();
    assert.equal(verifyChain(leaf, { anchors: [root] }, at).verified, true);
    const cli = spawnSync(
      'openssl',
      ['verify', '-no-CApath', '-no-CAstore', '-CAfile', 'v1.crt', 'leaf.crt'],
      { cwd: dir },
    );
    assert.equal(cli.status, 0);
  });

  it('never lets a regenerated CA verify, even when the key ids are absent', () => {
    // Strip AKI/SKI from the model: the signature check alone must still refuse the new CA.
    const s = scenarios.find((x) => x.name === 'regenerated CA with the same name')!;
    const strip = (c: Certificate): Certificate => ({
      ...c,
      authorityKeyId: undefined,
      subjectKeyId: undefined,
    });
    const verdict = verifyChain(strip(s.leaf.cert), { anchors: [strip(s.anchors[0].cert)] }, now);
    assert.deepEqual(
      verdict.problems.map((p) => p.code),
      ['bad-signature'],
    );
    assert.equal(verdict.verified, false);
  });
});
