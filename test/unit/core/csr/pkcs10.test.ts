import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { csrAge, csrState, conditionSummary, type Csr } from '../../../../src/core/csr/model';
import { CsrDecodeError, decodeCsrPem, decodeCsrRequest } from '../../../../src/core/csr/pkcs10';
import { formatSeconds } from '../../../../src/core/csr/riskCatalog';
import { x509 } from '../../../../src/core/x509/peculiar';
import { buildCertificateRequest } from '../../../../src/core/x509/issue';
import { corruptSignedBytes, requestPem, testKeyPem } from '../../../fixtures/csr';

describe('decodeCsrPem', () => {
  it('takes the last CN as the user, as Go and the API server read a subject', async () => {
    const subject = new x509.Name([{ CN: ['system:node:innocent'] }, { CN: ['system:node:node-1'] }]);
    const pem = await buildCertificateRequest({
      subject: { der: new Uint8Array(subject.toArrayBuffer()) },
      keyPem: await testKeyPem(),
    });
    assert.equal(decodeCsrPem(pem).commonName, 'system:node:node-1');
  });

  it('decodes subject, SANs, key and signature like @peculiar/x509 does', async () => {
    const pem = await requestPem({
      commonName: 'system:node:node-1',
      organizations: ['system:nodes'],
      sans: {
        dns: ['node-1', 'node-1.example'],
        ip: ['10.0.0.11', 'fd00::1'],
        email: ['ops@example.com'],
        uri: ['spiffe://c/n'],
      },
    });
    const req = decodeCsrPem(pem);
    const reference = new x509.Pkcs10CertificateRequest(pem);
    assert.equal(req.commonName, 'system:node:node-1');
    assert.deepEqual(req.organizations, ['system:nodes']);
    assert.equal(req.subject.display, 'O=system:nodes, CN=system:node:node-1');
    assert.equal(reference.subject, 'O=system:nodes, CN=system:node:node-1');
    assert.deepEqual(req.sans, {
      dns: ['node-1', 'node-1.example'],
      ip: ['10.0.0.11', 'fd00::1'],
      email: ['ops@example.com'],
      uri: ['spiffe://c/n'],
    });
    assert.deepEqual(
      { ...req.publicKey, spkiDer: undefined },
      { algorithm: 'EC', curve: 'P-256', bits: 256, spkiDer: undefined },
    );
    assert.deepEqual(Buffer.from(req.publicKey.spkiDer), Buffer.from(reference.publicKey.rawData));
    assert.equal(req.signatureAlgorithm.name, 'ecdsa-with-SHA256');
    assert.equal(req.signatureValid, true);
    assert.equal(await reference.verify(), true);
  });

  it('reads RSA key sizes and flags a broken self-signature', async () => {
    const pem = await requestPem({ commonName: 'jane', key: { algorithm: 'RSA', bits: 1024 } });
    const req = decodeCsrPem(pem);
    assert.equal(req.publicKey.algorithm, 'RSA');
    assert.equal(req.publicKey.bits, 1024);
    assert.equal(req.signatureValid, true);
    assert.equal(decodeCsrPem(corruptSignedBytes(pem)).signatureValid, false);
  });

  it('decodes spec.request (base64 of PEM) and refuses other data', async () => {
    const pem = await requestPem({ commonName: 'jane' });
    assert.equal(decodeCsrRequest(Buffer.from(pem).toString('base64')).commonName, 'jane');
    assert.throws(() => decodeCsrRequest(Buffer.from('not a request').toString('base64')), CsrDecodeError);
    const garbage = `-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n`;
    assert.throws(() => decodeCsrPem(garbage), CsrDecodeError);
  });
});

describe('CSR model helpers', () => {
  const base: Csr = {
    metadata: { name: 'a', creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { request: '', signerName: 's' },
  };

  it('derives the view state and kubectl condition column', () => {
    assert.equal(csrState(base), 'pending');
    assert.equal(conditionSummary(base), 'Pending');
    const issued: Csr = {
      ...base,
      status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'Zm9v' },
    };
    assert.equal(csrState(issued), 'approved');
    assert.equal(conditionSummary(issued), 'Approved,Issued');
    const failed: Csr = {
      ...base,
      status: {
        conditions: [
          { type: 'Approved', status: 'True' },
          { type: 'Failed', status: 'True' },
        ],
      },
    };
    assert.equal(csrState(failed), 'failed');
    assert.equal(conditionSummary(failed), 'Approved,Failed');
    assert.equal(
      csrState({ ...base, status: { conditions: [{ type: 'Denied', status: 'True' }] } }),
      'denied',
    );
  });

  it("prints ages as kubectl's AGE column (HumanDuration)", () => {
    assert.equal(csrAge(base, new Date('2025-01-01T00:00:45Z')), '45s');
    assert.equal(csrAge(base, new Date('2025-01-01T00:05:30Z')), '5m30s');
    assert.equal(csrAge(base, new Date('2025-01-01T02:30:00Z')), '150m');
    assert.equal(csrAge(base, new Date('2025-01-01T05:00:00Z')), '5h');
    assert.equal(csrAge(base, new Date('2025-01-04T00:00:00Z')), '3d');
    assert.equal(csrAge({ ...base, metadata: { name: 'x' } }, new Date()), '<unknown>');
  });

  it('prints exact durations in risk messages', () => {
    assert.equal(formatSeconds(600), '10m');
    assert.equal(formatSeconds(31536000), '8760h');
  });
});
