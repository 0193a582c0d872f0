import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_WARN_DAYS } from '../../../../src/core/audit/checks';
import { analyzeCertificateText } from '../../../../src/core/manifest/certificates';
import { decodePemText } from '../../../../src/core/x509/decode';
import { lensTitle } from '../../../../src/extension/codelens/lensText';
import { detailsText } from '../../../../src/extension/details/detailsText';
import { opensslText } from '../../../../src/extension/details/opensslText';
import { addDays, base64Data, makeCa, makeLeaf, RSA_2048, type TestCert } from '../../../fixtures/certs';
import { englishHover, zhCnHover } from '../hover/helpers';

const NOW = new Date('2026-06-01T12:00:00Z');
const ctx = { now: NOW, warnDays: DEFAULT_WARN_DAYS, enabled: () => true };

/** What openssl itself prints, trailing blanks dropped (openssl leaves one after extension names). */
function openssl(pem: string): string {
  return execFileSync('openssl', ['x509', '-text', '-noout'], { input: pem, encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

describe('extension/details: the certificate details document and the CodeLens line', () => {
  let dir: string;
  let ca: TestCert;
  let leaf: TestCert;
  let expired: TestCert;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecerts-details-'));
    ca = await makeCa({ cn: 'web-ca', notBefore: addDays(NOW, -400), notAfter: addDays(NOW, 3000) });
    leaf = await makeLeaf({
      issuer: ca,
      cn: 'web.example.com',
      o: ['acme'],
      sans: { dns: ['web.example.com'], ip: ['10.0.0.1', '::1'] },
      eku: ['serverAuth', 'clientAuth'],
      markNotCa: true,
      notBefore: addDays(NOW, -30),
      notAfter: addDays(NOW, 275),
    });
    expired = await makeLeaf({
      issuer: ca,
      cn: 'old.example.com',
      notBefore: addDays(NOW, -400),
      notAfter: addDays(NOW, -3),
    });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('decodes a certificate line for line as openssl x509 -text does (EC and RSA, issued by us)', async () => {
    const rsa = await makeCa({ cn: 'rsa-root', key: RSA_2048, notBefore: NOW, notAfter: addDays(NOW, 10) });
    for (const cert of [leaf, ca, rsa]) assert.equal(opensslText(cert.cert), openssl(cert.certPem));
  });

  it('prints policies, AIA, CRL distribution points and criticality as openssl does', () => {
    const key = path.join(dir, 'k.pem');
    const out = path.join(dir, 'c.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-384',
        '-nodes',
        '-keyout',
        key,
        '-out',
        out,
        '-days',
        '30',
        '-subj',
        '/CN=policy.example.com/O=acme/emailAddress=a@example.com',
        '-addext',
        'subjectAltName=DNS:policy.example.com,email:a@example.com,URI:spiffe://example.com/ns/web',
        '-addext',
        'keyUsage=critical,digitalSignature',
        '-addext',
        'certificatePolicies=2.23.140.1.2.1',
        '-addext',
        'authorityInfoAccess=OCSP;URI:http://ocsp.example.com,caIssuers;URI:http://ca.example.com/ca.crt',
        '-addext',
        'crlDistributionPoints=URI:http://crl.example.com/ca.crl',
        '-addext',
        'basicConstraints=critical,CA:TRUE,pathlen:0',
      ],
      { stdio: 'ignore' },
    );
    const pem = fs.readFileSync(out, 'utf8');
    const cert = decodePemText(pem).certificates[0].cert;
    assert.equal(opensslText(cert), openssl(pem));
  });

  it('sums a field up in one CodeLens line: subject, expiry, who signed it', () => {
    const ok = analyzeCertificateText({ file: '/r/ok.pem', text: ca.certPem + leaf.certPem }, ctx);
    const okLeaf = ok.certificates[1];
    assert.equal(
      lensTitle([okLeaf], ok.findings, NOW, englishHover),
      'CN=web.example.com · expires in 9 months · ✓ signed by CN=web-ca',
    );
    assert.equal(
      lensTitle([ok.certificates[0]], ok.findings, NOW, englishHover),
      'CN=web-ca · expires in 8 years · root CA',
    );
    const old = analyzeCertificateText({ file: '/r/old.pem', text: ca.certPem + expired.certPem }, ctx);
    assert.equal(
      lensTitle([old.certificates[1]], old.findings, NOW, englishHover),
      'CN=old.example.com · ✗ expired 3 days ago · signed by CN=web-ca',
    );
    assert.match(
      lensTitle([old.certificates[1]], old.findings, NOW, zhCnHover),
      /^CN=old\.example\.com · ✗ .*3天前/,
    );
    const broken = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: b}',
      'data:',
      '  tls.crt: "not base64!"',
      '',
    ].join('\n');
    const bad = analyzeCertificateText({ file: '/r/b.yaml', text: broken }, ctx);
    assert.equal(lensTitle([], bad.findings, NOW, englishHover), '✗ invalid-base64');
  });

  it('writes the verdict above the decoding, and nothing of a private key', async () => {
    const other = await makeLeaf({ issuer: ca, cn: 'other', notBefore: NOW, notAfter: addDays(NOW, 5) });
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: web-tls',
      '  namespace: web',
      'data:',
      `  tls.crt: ${base64Data(leaf.certPem)}`,
      `  tls.key: ${base64Data(other.keyPem)}`,
      `  ca.crt: ${base64Data(ca.certPem)}`,
      '',
    ].join('\n');
    const analysis = analyzeCertificateText({ file: '/r/web.yaml', text }, ctx);
    const certificates = analysis.certificates.filter((c) => c.field === 'data.tls.crt');
    const field = {
      span: certificates[0].site.span,
      label: 'data.tls.crt (Secret web/web-tls)',
      certificates,
      findings: analysis.findings,
    };
    const doc = detailsText(field, 'web.yaml:7', NOW, englishHover);
    assert.match(doc, /^# web\.yaml:7 — data\.tls\.crt \(Secret web\/web-tls\)$/m);
    assert.match(
      doc,
      /^✗ tls\.key of Secret web\/web-tls is not the private key of its tls\.crt \(CN=web\.example\.com, O=acme\)\. \[tls-key-mismatch\]$/m,
    );
    assert.match(doc, /^ {4}✓ Signed by CN=web-ca$/m);
    assert.match(doc, /^ {4}✓ expires in 9 months$/m);
    assert.match(doc, /^ {4}SPKI pin: sha256:[0-9a-f]{64}$/m);
    assert.ok(doc.includes(opensslText(leaf.cert)));
    for (const line of other.keyPem.split('\n').slice(1, -2)) assert.ok(!doc.includes(line.slice(0, 20)));
    assert.ok(!doc.includes(base64Data(other.keyPem).slice(0, 40)));
  });
});
