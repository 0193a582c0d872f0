import assert from 'node:assert/strict';
import { auditCertificateFiles, certificateBlockSpans } from '../../../../src/core/audit/files';
import { addDays, bundle, makeCa, makeLeaf, makeRegeneratedCa, type TestCert } from '../../../fixtures/certs';

const NOW = new Date('2025-06-01T00:00:00Z');
const dates = { notBefore: addDays(NOW, -10), notAfter: addDays(NOW, 300) };
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

describe('certificate file audit', () => {
  let ca: TestCert;
  let leaf: TestCert;
  let expired: TestCert;
  before(async () => {
    ca = await makeCa({ cn: 'etcd-ca', ...dates });
    leaf = await makeLeaf({ issuer: ca, cn: 'kube-etcd-healthcheck-client', eku: ['clientAuth'], ...dates });
    expired = await makeLeaf({
      issuer: ca,
      cn: 'old',
      notBefore: addDays(NOW, -400),
      notAfter: addDays(NOW, -1),
    });
  });

  it('uses the CA of a bundle as anchor for its leaves and locates each block', () => {
    const text = bundle(ca, leaf, expired);
    const audit = auditCertificateFiles([{ file: '/b.pem', bytes: bytes(text) }], { now: NOW });
    assert.deepEqual(
      audit.findings.map((f) => f.code),
      ['cert-expired'],
    );
    const spans = certificateBlockSpans(text);
    assert.equal(spans.length, 3);
    assert.deepEqual(audit.findings[0].span, spans[2]);
    assert.equal(audit.findings[0].certificate?.subject, 'CN=old');
    const report = audit.certificates.find((c) => c.certificate.subject.display.includes('healthcheck'));
    assert.equal(report?.chains[0].verified, true);
    assert.equal(report?.chains[0].anchor?.subject, 'CN=etcd-ca');
    assert.equal(report?.chains[0].anchorSource, 'input');
  });

  it('catches a leaf next to a regenerated CA of the same name (never OK)', async () => {
    const regenerated = await makeRegeneratedCa(ca, dates);
    const audit = auditCertificateFiles(
      [
        { file: '/pki/ca.crt', bytes: bytes(regenerated.certPem) },
        { file: '/pki/leaf.crt', bytes: bytes(leaf.certPem) },
      ],
      { now: NOW },
    );
    assert.deepEqual(
      audit.findings.map((f) => [f.code, f.file]),
      [['bad-signature', '/pki/leaf.crt']],
    );
  });

  it('does not judge a lone leaf whose CA is not among the inputs', () => {
    const audit = auditCertificateFiles([{ file: '/leaf.crt', bytes: bytes(leaf.certPem) }], { now: NOW });
    assert.deepEqual(audit.findings, []);
    assert.deepEqual(audit.certificates[0].chains, []);
  });

  it('reports a file without certificates or keys, inside the file', () => {
    const garbage = 'hello\nworld\n';
    const audit = auditCertificateFiles([{ file: '/x.crt', bytes: bytes(garbage) }], { now: NOW });
    assert.equal(audit.findings.length, 1);
    assert.ok(['invalid-pem', 'invalid-base64'].includes(audit.findings[0].code));
    assert.ok(audit.findings[0].span.end <= garbage.length);
    const broken = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const pem = auditCertificateFiles([{ file: '/y.crt', bytes: bytes(broken) }], { now: NOW });
    assert.deepEqual(
      pem.findings.map((f) => f.code),
      ['invalid-pem'],
    );
  });
});
