import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import {
  decodeBase64Data,
  decodeFileContent,
  decodePemText,
  type DecodeResult,
} from '../../../../src/core/x509/decode';
import { keyMatchesCertificate } from '../../../../src/core/x509/keys';
import { decodeBase64, findPemBlocks, toPem } from '../../../../src/core/x509/pem';
import { base64Data, bundle, makeCa, makeLeaf, type TestCert } from '../../../fixtures/certs';

const dates = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-01-01T00:00:00Z') };
const utf8 = (s: string) => new TextEncoder().encode(s);

function fingerprints(result: DecodeResult): string[] {
  return result.certificates.map((c) => c.cert.sha256Fingerprint);
}

describe('decoding certificates and keys', () => {
  let ca: TestCert;
  let leaf: TestCert;
  let other: TestCert;
  let expected: string[];

  before(async () => {
    ca = await makeCa({ cn: 'kubernetes', ...dates });
    leaf = await makeLeaf({ issuer: ca, cn: 'kube-apiserver', ...dates });
    other = await makeLeaf({ issuer: ca, cn: 'front-proxy-client', ...dates });
    expected = [leaf, ca, other].map((t) => t.cert.sha256Fingerprint);
  });

  it('decodes a PEM bundle in order, with bundle positions', () => {
    const result = decodeFileContent(utf8(bundle(leaf, ca, other)));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(fingerprints(result), expected);
    assert.deepEqual(
      result.certificates.map((c) => c.index),
      [0, 1, 2],
    );
  });

  it('decodes the kubeconfig *-data form, single line or wrapped with line breaks (LF, CRLF)', () => {
    const pem = bundle(leaf, ca, other);
    for (const value of [base64Data(pem), base64Data(pem, 76), base64Data(pem, 64, '\r\n')]) {
      const result = decodeBase64Data(value);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(fingerprints(result), expected);
    }
  });

  // kubectl 1.32: "illegal base64 data at input byte 60" for a folded (`>`) or wrapped plain value.
  it('refuses spaces and tabs in *-data as Go does: only line breaks are skipped', () => {
    const pem = bundle(leaf, ca, other);
    for (const [value, at, what] of [
      [base64Data(pem, 60, ' '), 60, 'a space'],
      [`  ${base64Data(pem, 76)}\n`, 0, 'a space'],
      [base64Data(pem, 64, '\t'), 64, 'a tab'],
    ] as const) {
      const result = decodeBase64Data(value);
      assert.deepEqual(fingerprints(result), []);
      assert.equal(result.problems.length, 1);
      const [problem] = result.problems;
      assert.equal(problem.kind, 'invalid-base64');
      assert.equal(problem.start, at);
      assert.match(problem.message, new RegExp(`^${what} at character ${at + 1}: .*line breaks only`));
      assert.match(problem.message, /"\|" literal block/);
    }
  });

  it('tolerates CRLF, comments and openssl -text output around the blocks', () => {
    const text =
      `# kube-apiserver serving cert\r\nCertificate:\r\n    Data: ...\r\n` +
      leaf.certPem.replace(/\n/g, '\r\n') +
      '\r\n   \r\n' +
      `subject=CN = kubernetes\n` +
      ca.certPem;
    const result = decodeFileContent(utf8(text));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(fingerprints(result), expected.slice(0, 2));
  });

  it('decodes a file holding the certificate and its key, and a key in *-data form', () => {
    const result = decodeFileContent(utf8(leaf.certPem + leaf.keyPem));
    assert.deepEqual(result.problems, []);
    assert.equal(result.certificates.length, 1);
    assert.equal(result.privateKeys.length, 1);
    assert.equal(keyMatchesCertificate(result.privateKeys[0], result.certificates[0].cert), true);
    const keyData = decodeBase64Data(base64Data(other.keyPem));
    assert.deepEqual(keyData.problems, []);
    assert.equal(keyMatchesCertificate(keyData.privateKeys[0], other.cert), true);
    assert.equal(keyMatchesCertificate(keyData.privateKeys[0], leaf.cert), false);
  });

  it('reads DER files, DER bundles, base64 text files and openssl TRUSTED CERTIFICATE', () => {
    assert.deepEqual(fingerprints(decodeFileContent(leaf.der)), expected.slice(0, 1));
    assert.deepEqual(
      fingerprints(decodeFileContent(new Uint8Array([...leaf.der, ...ca.der]))),
      expected.slice(0, 2),
    );
    assert.deepEqual(
      fingerprints(decodeFileContent(utf8(base64Data(leaf.certPem, 76) + '\n'))),
      expected.slice(0, 1),
    );
    const trusted = execFileSync('openssl', ['x509', '-trustout', '-addtrust', 'serverAuth'], {
      input: ca.certPem,
    }).toString();
    assert.match(trusted, /BEGIN TRUSTED CERTIFICATE/);
    const result = decodeFileContent(utf8(trusted));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(fingerprints(result), [ca.cert.sha256Fingerprint]);
  });

  it('flags DER inside *-data: kubectl wants PEM there', () => {
    const result = decodeBase64Data(Buffer.from(leaf.der).toString('base64'));
    assert.deepEqual(fingerprints(result), expected.slice(0, 1));
    assert.deepEqual(
      result.problems.map((p) => p.kind),
      ['invalid-pem'],
    );
  });

  it('turns kubectl config view placeholders into redacted-data', () => {
    for (const value of ['DATA+OMITTED', 'REDACTED', '  DATA+OMITTED\n']) {
      const result = decodeBase64Data(value);
      assert.equal(result.certificates.length, 0);
      assert.deepEqual(
        result.problems.map((p) => p.kind),
        ['redacted-data'],
      );
      assert.match(result.problems[0].message, /--raw/);
    }
    assert.deepEqual(
      decodeFileContent(utf8('REDACTED\n')).problems.map((p) => p.kind),
      ['redacted-data'],
    );
  });

  it('reports bad base64 with its position, and never throws on garbage', () => {
    const good = base64Data(leaf.certPem);
    const broken = good.slice(0, 40) + '!' + good.slice(41);
    const result = decodeBase64Data(broken);
    assert.deepEqual(
      result.problems.map((p) => [p.kind, p.start, p.end]),
      [['invalid-base64', 40, 41]],
    );
    assert.equal(decodeBase64Data(good.slice(0, -3)).problems[0].kind, 'invalid-base64');
    assert.equal(decodeBase64Data('aGVsbG8gd29ybGQ=').problems[0].kind, 'invalid-pem');
    assert.equal(decodeBase64Data('').problems[0].kind, 'empty');
    assert.equal(decodeFileContent(new Uint8Array()).problems[0].kind, 'empty');
    assert.equal(decodeFileContent(utf8('hello, world')).problems[0].kind, 'invalid-pem');
    assert.equal(decodeFileContent(new Uint8Array([0x30, 0x82, 0x01])).problems[0].kind, 'invalid-der');
    for (let seed = 1; seed < 300; seed++) {
      const noise = new Uint8Array(seed % 97).map((_, i) => (i * 131 + seed * 17) & 0xff);
      const r = decodeFileContent(noise);
      assert.ok(r.problems.length > 0 || r.certificates.length + r.privateKeys.length > 0);
      decodeBase64Data(Buffer.from(noise).toString('latin1'));
    }
  });

  it('reports broken PEM blocks at their offsets and keeps the good ones', () => {
    const corrupted = ca.certPem.replace(/\n(.{10})/, '\n$1*');
    const text = leaf.certPem + corrupted + '-----BEGIN CERTIFICATE-----\nMIIB\n' + other.certPem;
    const result = decodePemText(text);
    assert.deepEqual(fingerprints(result), [leaf.cert.sha256Fingerprint, other.cert.sha256Fingerprint]);
    assert.deepEqual(
      result.certificates.map((c) => c.index),
      [0, 3],
    );
    assert.deepEqual(
      result.problems.map((p) => p.kind),
      ['invalid-pem', 'invalid-pem'],
    );
    assert.equal(result.problems[0].start, leaf.certPem.length);
    assert.equal(result.problems[0].end, leaf.certPem.length + corrupted.trimEnd().length);
    assert.match(result.problems[1].message, /no END line/);
    const mismatched = decodePemText('-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----\n');
    assert.match(mismatched.problems[0].message, /different END line/);
    const notDer = decodePemText(toPem('CERTIFICATE', utf8('definitely not DER')));
    assert.deepEqual(
      notDer.problems.map((p) => p.kind),
      ['invalid-der'],
    );
    assert.match(notDer.problems[0].message, /certificate #1: not a valid X.509 certificate/);
  });

  it('ignores companion blocks (public keys, EC parameters, CSRs) and flags unknown ones', () => {
    const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
    const ok = decodeFileContent(utf8(params + leaf.keyPem + leaf.certPem));
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.privateKeys.length, 1);
    const odd = decodeFileContent(utf8('-----BEGIN CERTIFICATES-----\nMIIB\n-----END CERTIFICATES-----\n'));
    assert.match(odd.problems[0].message, /unexpected PEM block "CERTIFICATES"/);
  });

  it('decodes base64 as the strict rules say, on random mixes of alphabet, padding, whitespace and junk', () => {
    const alphabet = 'AQgw+/z9='.split('').concat([' ', '\n', '\r\n', '\t', '\f', '\u00a0', '-', '.']);
    let seed = 42;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 3000; i++) {
      const text = Array.from(
        { length: Math.floor(next() * 14) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      ).join('');
      const clean = text.replace(/[ \t\n\r\v\f]/g, '');
      const valid = /^[A-Za-z0-9+/]*={0,2}$/.test(clean) && clean.length % 4 === 0;
      const result = decodeBase64(`xx${text}yy`, 2, 2 + text.length);
      assert.equal(result.ok, valid, JSON.stringify(text));
      if (result.ok) assert.deepEqual(Buffer.from(result.bytes), Buffer.from(clean, 'base64'));
      else assert.ok(result.offset >= 2 && result.offset <= 2 + text.length, JSON.stringify(text));
    }
  });

  it('parses PEM headers and strict base64', () => {
    const [block] = findPemBlocks(
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----',
    );
    assert.deepEqual(block.headers, { 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-256-CBC,00' });
    assert.deepEqual(block.bytes, new Uint8Array([0, 0, 0]));
    assert.deepEqual(decodeBase64('QQ==\n'), { ok: true, bytes: new Uint8Array([0x41]) });
    assert.equal(decodeBase64('QQ=A').ok, false);
    assert.equal(decodeBase64('QQ').ok, false);
    assert.equal(decodeBase64('Q-Q=').ok, false);
  });
});
