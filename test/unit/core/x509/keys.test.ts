import { strict as assert } from 'node:assert';
import { createPrivateKey } from 'node:crypto';
import { inspect } from 'node:util';
import { decodeFileContent } from '../../../../src/core/x509/decode';
import {
  KeyParseError,
  keyMatchesCertificate,
  parsePrivateKey,
  type PrivateKeyHandle,
} from '../../../../src/core/x509/keys';
import {
  ED25519,
  P_384,
  RSA_2048,
  makeCa,
  makeLeaf,
  type KeyChoice,
  type TestCert,
} from '../../../fixtures/certs';
import type { KeyFormat } from '../../../../src/core/x509/issue';

const dates = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-01-01T00:00:00Z') };
const utf8 = (s: string) => new TextEncoder().encode(s);

function onlyKey(pem: string): PrivateKeyHandle {
  const result = decodeFileContent(utf8(pem));
  assert.deepEqual(result.problems, [], pem.split('\n')[0] + pem.length);
  assert.equal(result.privateKeys.length, 1);
  return result.privateKeys[0];
}

describe('private keys', () => {
  let ca: TestCert;
  const leaves: Record<string, TestCert> = {};
  const cases: {
    name: string;
    key?: KeyChoice;
    keyFormat: KeyFormat;
    expect: Omit<PrivateKeyHandle, never>;
  }[] = [
    {
      name: 'RSA PKCS#1',
      key: RSA_2048,
      keyFormat: 'pkcs1',
      expect: { algorithm: 'RSA', bits: 2048, format: 'pkcs1' },
    },
    {
      name: 'EC P-256 SEC1',
      keyFormat: 'sec1',
      expect: { algorithm: 'EC', bits: 256, curve: 'P-256', format: 'sec1' },
    },
    {
      name: 'EC P-256 PKCS#8',
      keyFormat: 'pkcs8',
      expect: { algorithm: 'EC', bits: 256, curve: 'P-256', format: 'pkcs8' },
    },
    {
      name: 'EC P-384 SEC1',
      key: P_384,
      keyFormat: 'sec1',
      expect: { algorithm: 'EC', bits: 384, curve: 'P-384', format: 'sec1' },
    },
    {
      name: 'Ed25519 PKCS#8',
      key: ED25519,
      keyFormat: 'pkcs8',
      expect: { algorithm: 'Ed25519', format: 'pkcs8' },
    },
  ];

  before(async function () {
    this.timeout(60_000);
    ca = await makeCa({ cn: 'ca', ...dates });
    for (const c of cases)
      leaves[c.name] = await makeLeaf({
        issuer: ca,
        cn: c.name,
        key: c.key,
        keyFormat: c.keyFormat,
        ...dates,
      });
    // The RSA key again, as PKCS#8, to check that the format does not change the match.
    const rsa = leaves['RSA PKCS#1'];
    leaves['RSA PKCS#8'] = {
      ...rsa,
      keyPem: createPrivateKey(rsa.keyPem).export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    cases.push({
      name: 'RSA PKCS#8',
      keyFormat: 'pkcs8',
      expect: { algorithm: 'RSA', bits: 2048, format: 'pkcs8' },
    });
  });

  it('describes each key format and matches it to its own certificate only', () => {
    for (const c of cases) {
      const t = leaves[c.name];
      const handle = onlyKey(t.keyPem);
      assert.deepEqual({ ...handle }, c.expect, c.name);
      assert.equal(keyMatchesCertificate(handle, t.cert), true, `${c.name} matches its certificate`);
      for (const other of cases) {
        if (leaves[other.name].cert === t.cert) continue;
        assert.equal(
          keyMatchesCertificate(handle, leaves[other.name].cert),
          false,
          `${c.name} vs ${other.name}`,
        );
      }
      assert.equal(keyMatchesCertificate(handle, ca.cert), false);
    }
  });

  it('reads DER keys of every format without a label', () => {
    for (const c of cases) {
      const key = createPrivateKey(leaves[c.name].keyPem);
      const der = key.export({ type: c.keyFormat, format: 'der' } as never) as Buffer;
      const result = decodeFileContent(new Uint8Array(der));
      assert.deepEqual(result.problems, [], c.name);
      assert.equal(result.privateKeys[0].format, c.keyFormat);
      assert.equal(keyMatchesCertificate(result.privateKeys[0], leaves[c.name].cert), true);
    }
  });

  it('matches an EC key without its embedded public point through node:crypto', () => {
    const t = leaves['EC P-256 SEC1'];
    const der = createPrivateKey(t.keyPem).export({ type: 'sec1', format: 'der' });
    // SEC1 P-256: 30 77 | 02 01 01 | 04 20 <32> | a0 0a <curve> | a1 44 <point>: drop the point.
    assert.equal(der[1], 0x77);
    const inner = der.subarray(2, 2 + 3 + 34 + 12);
    const withoutPoint = new Uint8Array([0x30, inner.length, ...inner]);
    const handle = parsePrivateKey(withoutPoint, 'sec1');
    assert.deepEqual({ ...handle }, { algorithm: 'EC', bits: 256, curve: 'P-256', format: 'sec1' });
    assert.equal(keyMatchesCertificate(handle, t.cert), true);
    assert.equal(keyMatchesCertificate(handle, leaves['EC P-256 PKCS#8'].cert), false);
  });

  it('keeps the key material out of every rendering of the handle', () => {
    const t = leaves['EC P-256 SEC1'];
    const handle = onlyKey(t.keyPem);
    const secret = createPrivateKey(t.keyPem).export({ format: 'jwk' }).d as string;
    const secretHex = Buffer.from(secret, 'base64url').toString('hex');
    for (const text of [
      JSON.stringify(handle),
      inspect(handle, { showHidden: true, depth: 10 }),
      String(handle),
    ]) {
      assert.ok(!text.includes(secret) && !text.includes(secretHex), text);
    }
    assert.deepEqual(Object.keys(handle).sort(), ['algorithm', 'bits', 'curve', 'format']);
    assert.ok(Object.isFrozen(handle));
  });

  it('refuses a key whose structure does not fit its label, without quoting it', () => {
    const pkcs1Body = leaves['RSA PKCS#1'].keyPem.replace(/RSA PRIVATE KEY/g, 'PRIVATE KEY');
    const result = decodeFileContent(utf8(pkcs1Body));
    assert.equal(result.privateKeys.length, 0);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].kind, 'invalid-der');
    assert.match(result.problems[0].message, /not a valid PKCS#8 private key/);
    const body = pkcs1Body.split('\n')[1];
    assert.ok(!result.problems[0].message.includes(body.slice(0, 16)));
    assert.throws(() => parsePrivateKey(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])), KeyParseError);
  });

  it('reports encrypted and OpenSSH keys as problems', () => {
    const key = createPrivateKey(leaves['EC P-256 PKCS#8'].keyPem);
    const encrypted = key
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
      .toString();
    const legacy = key
      .export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
      .toString();
    const openssh =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    for (const [pem, message] of [
      [encrypted, /encrypted/],
      [legacy, /encrypted/],
      [openssh, /OpenSSH/],
    ] as const) {
      const result = decodeFileContent(utf8(pem));
      assert.equal(result.privateKeys.length, 0);
      assert.equal(result.problems.length, 1);
      assert.equal(result.problems[0].kind, 'invalid-pem');
      assert.match(result.problems[0].message, message);
    }
  });
});
