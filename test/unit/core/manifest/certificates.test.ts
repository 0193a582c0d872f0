import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { DEFAULT_WARN_DAYS, type CheckContext } from '../../../../src/core/audit/checks';
import {
  analyzeCertificateText,
  type CertificateTextAnalysis,
} from '../../../../src/core/manifest/certificates';
import { certificateTextKind } from '../../../../src/core/manifest/sites';
import { addDays, base64Data, makeCa, makeLeaf, type TestCert } from '../../../fixtures/certs';

const NOW = new Date('2026-06-01T12:00:00Z');
const ctx: CheckContext = { now: NOW, warnDays: DEFAULT_WARN_DAYS, enabled: () => true };

function codes(analysis: CertificateTextAnalysis): string[] {
  return analysis.findings.map((f) => f.code).sort();
}

/** `text` indented by `n` spaces on every line (a YAML `|` block's body). */
function indent(text: string, n: number): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => ' '.repeat(n) + line)
    .join('\n');
}

describe('core/manifest: certificates in any text', () => {
  let ca: TestCert;
  let otherCa: TestCert;
  let valid: TestCert;
  let expired: TestCert;

  before(async () => {
    ca = await makeCa({ cn: 'web-ca', notBefore: addDays(NOW, -400), notAfter: addDays(NOW, 3000) });
    otherCa = await makeCa({ cn: 'other-ca', notBefore: addDays(NOW, -400), notAfter: addDays(NOW, 3000) });
    valid = await makeLeaf({
      issuer: ca,
      cn: 'web.example.com',
      sans: { dns: ['web.example.com'] },
      eku: ['serverAuth'],
      notBefore: addDays(NOW, -30),
      notAfter: addDays(NOW, 270),
    });
    expired = await makeLeaf({
      issuer: ca,
      cn: 'old.example.com',
      eku: ['serverAuth'],
      notBefore: addDays(NOW, -400),
      notAfter: addDays(NOW, -3),
    });
  });

  function tlsSecret(name: string, crt: TestCert, key: string, caCert?: TestCert): string {
    return [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      `  name: ${name}`,
      '  namespace: web',
      'type: kubernetes.io/tls',
      'data:',
      `  tls.crt: ${base64Data(crt.certPem)}`,
      `  tls.key: ${base64Data(key)}`,
      ...(caCert ? [`  ca.crt: ${base64Data(caCert.certPem)}`] : []),
      '',
    ].join('\n');
  }

  it('finds each field of a multi-document file with the exact span of its value', () => {
    const webhook = [
      'apiVersion: admissionregistration.k8s.io/v1',
      'kind: ValidatingWebhookConfiguration',
      'metadata:',
      '  name: policy',
      'webhooks:',
      '- name: policy.example.com',
      '  clientConfig:',
      `    caBundle: ${base64Data(ca.certPem)}`,
      '',
    ].join('\n');
    const text = `${tlsSecret('old-tls', expired, expired.keyPem, ca)}---\n${webhook}`;
    const analysis = analyzeCertificateText({ file: '/repo/web.yaml', text }, ctx);
    assert.deepEqual(
      analysis.sites.map((s) => `${s.object?.kind}:${s.field}:${s.role}`),
      [
        'Secret:data.tls.crt:certificate',
        'Secret:data.ca.crt:ca-bundle',
        'Secret:data.tls.key:private-key',
        'ValidatingWebhookConfiguration:webhooks.0.clientConfig.caBundle:ca-bundle',
      ],
    );
    const crt = analysis.certificates.find((c) => c.field === 'data.tls.crt')!;
    assert.equal(text.slice(crt.span.start, crt.span.end), base64Data(expired.certPem));
    assert.equal(text.slice(crt.site.keySpan.start, crt.site.keySpan.end), 'tls.crt');
    const bundle = analysis.certificates.find((c) => c.field === 'webhooks.0.clientConfig.caBundle')!;
    assert.equal(text.slice(bundle.span.start, bundle.span.end), base64Data(ca.certPem));
    assert.ok(bundle.span.start > text.indexOf('---'), 'the second document keeps file offsets');
    assert.deepEqual(codes(analysis), ['cert-expired']);
    const finding = analysis.findings[0];
    assert.deepEqual(finding.span, crt.span);
    assert.equal(finding.params.days, 3);
  });

  it("verifies a Secret's tls.crt against its own ca.crt: signed, or not", () => {
    const good = analyzeCertificateText(
      { file: '/r/a.yaml', text: tlsSecret('web-tls', valid, valid.keyPem, ca) },
      ctx,
    );
    assert.deepEqual(codes(good), []);
    const leaf = good.certificates.find((c) => c.field === 'data.tls.crt')!;
    assert.equal(leaf.chains[0].status, 'verified');
    assert.equal(leaf.chains[0].anchor?.subject, 'CN=web-ca');
    assert.equal(good.keys[0].key?.matchesCertificate, true);

    const wrong = analyzeCertificateText(
      { file: '/r/b.yaml', text: tlsSecret('web-tls', valid, valid.keyPem, otherCa) },
      ctx,
    );
    assert.deepEqual(codes(wrong), ['not-signed-by-ca']);
    assert.equal(wrong.certificates.find((c) => c.field === 'data.tls.crt')!.chains[0].status, 'not-signed');
  });

  it('reads PEM written in stringData, each certificate with the span of its own block', () => {
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: chain',
      'stringData:',
      '  tls.crt: |',
      indent(valid.certPem + ca.certPem, 4),
      '  tls.key: |',
      indent(valid.keyPem, 4),
      '',
    ].join('\n');
    const analysis = analyzeCertificateText({ file: '/r/s.yaml', text }, ctx);
    assert.deepEqual(codes(analysis), []);
    const certs = analysis.certificates;
    assert.deepEqual(
      certs.map((c) => c.certificate.subject.display),
      ['CN=web.example.com', 'CN=web-ca'],
    );
    for (const c of certs) {
      const written = text.slice(c.span.start, c.span.end);
      assert.match(written, /^-----BEGIN CERTIFICATE-----\n/);
      assert.match(written, /-----END CERTIFICATE-----$/);
    }
    assert.equal(analysis.keys[0].key?.matchesCertificate, true);
    // The key's PEM block is no certificate of the file: it is never decoded for display.
    assert.equal(certs.length, 2);
  });

  it('decodes DER inside base64 and says kubectl wants PEM there', () => {
    const der = Buffer.from(valid.der).toString('base64');
    const text = [
      'apiVersion: apiregistration.k8s.io/v1',
      'kind: APIService',
      'metadata:',
      '  name: v1beta1.metrics.k8s.io',
      'spec:',
      `  caBundle: ${der}`,
      '',
    ].join('\n');
    const analysis = analyzeCertificateText({ file: '/r/api.yaml', text }, ctx);
    assert.equal(analysis.certificates.length, 1);
    assert.equal(analysis.certificates[0].certificate.subject.display, 'CN=web.example.com');
    assert.deepEqual(codes(analysis), ['invalid-pem']);
  });

  it('a broken base64 value is one clear finding on the value', () => {
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: broken',
      'data:',
      '  ca.crt: LS0tLS1CRUdJTi!!!',
      '',
    ].join('\n');
    const analysis = analyzeCertificateText({ file: '/r/x.yaml', text }, ctx);
    assert.deepEqual(codes(analysis), ['invalid-base64']);
    const f = analysis.findings[0];
    assert.equal(text.slice(f.span.start, f.span.end), 'LS0tLS1CRUdJTi!!!');
    assert.equal(f.params.field, 'data.ca.crt (Secret broken)');
    assert.match(String(f.params.reason), /invalid base64 character/);
  });

  it('a tls.key that is not the key of tls.crt is tls-key-mismatch; the key itself goes nowhere', () => {
    const text = tlsSecret('mixed', valid, expired.keyPem, ca);
    const analysis = analyzeCertificateText({ file: '/r/m.yaml', text }, ctx);
    assert.deepEqual(codes(analysis), ['tls-key-mismatch']);
    const f = analysis.findings[0];
    const crt = analysis.certificates.find((c) => c.field === 'data.tls.crt')!;
    assert.deepEqual(f.span, crt.site.span);
    assert.deepEqual([f.params.namespace, f.params.name], ['web', 'mixed']);
    assert.equal(analysis.keys[0].key?.matchesCertificate, false);
    const said = JSON.stringify(analysis, (_k, v: unknown) => (v instanceof Uint8Array ? undefined : v));
    const body = expired.keyPem.split('\n')[1];
    for (const secret of [body.slice(0, 24), base64Data(expired.keyPem).slice(40, 80)])
      assert.ok(!said.includes(secret), 'no part of the key is in the analysis');
  });

  it('reads PEM blocks anywhere in any text and leaves templated values alone', () => {
    const text = `# Our CA\n\nSee below.\n\n${ca.certPem}\nand an expired one:\n${expired.certPem}`;
    assert.equal(certificateTextKind('/r/README.md', text), 'pem');
    const analysis = analyzeCertificateText({ file: '/r/README.md', text }, ctx);
    assert.deepEqual(
      analysis.certificates.map((c) => c.certificate.subject.display),
      ['CN=web-ca', 'CN=old.example.com'],
    );
    assert.deepEqual(codes(analysis), ['cert-expired']);
    assert.equal(analysis.certificates[1].chains[0].status, 'signed');

    const helm = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: templated',
      'data:',
      '  tls.crt: {{ .Values.tls.crt | b64enc }}',
      '',
    ].join('\n');
    assert.equal(certificateTextKind('/r/templates/secret.yaml', helm), 'manifest');
    assert.deepEqual(
      analyzeCertificateText({ file: '/r/templates/secret.yaml', text: helm }, ctx).findings,
      [],
    );
    assert.equal(certificateTextKind('/r/notes.txt', 'nothing here'), undefined);
  });

  it('honours the enabled codes and the warning threshold', () => {
    const text = tlsSecret('old-tls', expired, expired.keyPem, ca);
    const off = analyzeCertificateText(
      { file: '/r/o.yaml', text },
      { ...ctx, enabled: (code) => code !== 'cert-expired' },
    );
    assert.deepEqual(codes(off), []);
    const soon = analyzeCertificateText(
      { file: '/r/o.yaml', text: tlsSecret('web', valid, valid.keyPem, ca) },
      { ...ctx, warnDays: 300 },
    );
    assert.deepEqual(codes(soon), ['cert-expiring']);
  });
});
