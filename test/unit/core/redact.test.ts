import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { redactSecrets } from '../../../src/core/redact';

describe('redactSecrets', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'sec1' }).toString();
  const keyBody = pem.split('\n')[1];

  it('removes PEM private keys, also cut off', () => {
    const out = redactSecrets(`bad input: ${pem} and ${pem.slice(0, 60)}`);
    assert.ok(!out.includes(keyBody.slice(0, 20)), out);
    assert.ok(!out.includes('PRIVATE KEY-----'), out);
  });

  it('removes base64-encoded private keys (client-key-data) wherever they are', () => {
    const b64 = Buffer.from(pem).toString('base64');
    const out = redactSecrets(`unexpected token near "${b64}"`);
    assert.ok(!out.includes(b64.slice(0, 40)), out);
  });

  it('keeps base64 certificates, which are public', () => {
    const cert = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB' + 'A'.repeat(80)).toString('base64');
    assert.equal(redactSecrets(cert), cert);
  });

  const fields: [string, string][] = [
    ['token: abc123secret', 'abc123secret'],
    ['"password": "hunter2"', 'hunter2'],
    ["client-key-data: 'c2VjcmV0'", 'c2VjcmV0'],
    ['Authorization: Bearer sEcReT-t0ken', 'sEcReT-t0ken'],
    ['id-token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', 'eyJzdWIiOiJ4In0'],
    ['join with abcdef.0123456789abcdef', '0123456789abcdef'],
    ['jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl in text', 'c2lnbmF0dXJl'],
  ];
  for (const [input, secret] of fields) {
    it(`redacts ${input.split(/[:= ]/)[0]}`, () => {
      const out = redactSecrets(input);
      assert.ok(!out.includes(secret), out);
      assert.ok(out.includes('[redacted]'), out);
    });
  }

  it('leaves ordinary messages alone', () => {
    const msg = 'tokenFile: /var/run/token (file not found), user kubernetes-admin, context kind-demo';
    assert.equal(redactSecrets(msg), msg);
  });
});
