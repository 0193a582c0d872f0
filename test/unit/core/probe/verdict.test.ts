// The served verdict and its findings: Go's order of checks (dates, then the name, then the chain),
// insecure-skip-tls-verify, and stale serving after a renewal on disk.
import assert from 'node:assert/strict';
import { probeFindings, staleServing } from '../../../../src/core/probe/findings';
import { probeTarget } from '../../../../src/core/probe/target';
import { servedVerdict, type ProbeObservation, type ProbeTrust } from '../../../../src/core/probe/verdict';
import { addDays, makeCa, makeLeaf, type TestCert } from '../../../fixtures/certs';

const now = new Date('2026-06-01T00:00:00Z');

function observe(server: string, leaf: TestCert, name?: string): ProbeObservation {
  const target = probeTarget(server, name);
  assert.ok(target.ok);
  return { target: target.target, at: now, presented: [leaf.cert] };
}

function codes(obs: ProbeObservation, trust: ProbeTrust): string[] {
  const verdict = servedVerdict(obs, trust, now, 30);
  return probeFindings(
    obs,
    trust,
    verdict,
    { file: 'k', span: { start: 0, end: 0 } },
    { warnDays: 30, enabled: () => true },
  ).map((f) => f.code);
}

describe('probe: served verdict', () => {
  let ca: TestCert;
  let other: TestCert;
  let expired: TestCert;
  let good: TestCert;
  let trust: ProbeTrust;

  before(async () => {
    ca = await makeCa({ cn: 'kubernetes', notBefore: addDays(now, -400), notAfter: addDays(now, 3000) });
    other = await makeCa({ cn: 'other', notBefore: addDays(now, -400), notAfter: addDays(now, 3000) });
    const leaf = (notAfter: number, issuer = ca) =>
      makeLeaf({
        cn: 'kube-apiserver',
        issuer,
        notBefore: addDays(now, -365),
        notAfter: addDays(now, notAfter),
        sans: { dns: ['kubernetes'], ip: ['10.0.0.1'] },
        eku: ['serverAuth'],
      });
    expired = await leaf(-2);
    good = await leaf(200);
    trust = { anchors: [ca.cert], source: 'cluster-ca', label: 'certificate-authority-data' };
  });

  it('an expired leaf is reported first, as Go checks dates before the name', () => {
    const obs = observe('https://api.example.com', expired);
    const verdict = servedVerdict(obs, trust, now, 30);
    assert.match(
      verdict.goError ?? '',
      /^x509: certificate has expired or is not yet valid: current time 2026-06-01T00:00:00Z is after /,
    );
    assert.deepEqual(codes(obs, trust), ['server-cert-expired', 'server-name-mismatch']);
  });

  it("a certificate from another CA is untrusted, with Go's unknown-authority error", async () => {
    const foreign = await makeLeaf({
      cn: 'kube-apiserver',
      issuer: other,
      notBefore: addDays(now, -1),
      notAfter: addDays(now, 200),
      sans: { ip: ['10.0.0.1'] },
      eku: ['serverAuth'],
    });
    const obs = observe('https://10.0.0.1:6443', foreign);
    assert.equal(servedVerdict(obs, trust, now, 30).goError, 'x509: certificate signed by unknown authority');
    assert.deepEqual(codes(obs, trust), ['server-cert-untrusted']);
  });

  it('a serving certificate without serverAuth is refused for the usage', async () => {
    const client = await makeLeaf({
      cn: 'kube-apiserver',
      issuer: ca,
      notBefore: addDays(now, -1),
      notAfter: addDays(now, 200),
      sans: { ip: ['10.0.0.1'] },
      eku: ['clientAuth'],
    });
    const obs = observe('https://10.0.0.1:6443', client);
    assert.equal(
      servedVerdict(obs, trust, now, 30).goError,
      'x509: certificate specifies an incompatible key usage',
    );
  });

  it('tls-server-name decides the name: covered by a DNS SAN while the URL is an IP', () => {
    assert.deepEqual(codes(observe('https://192.168.0.9:6443', good, 'kubernetes'), trust), []);
    assert.deepEqual(codes(observe('https://192.168.0.9:6443', good), trust), ['server-name-mismatch']);
  });

  it('insecure-skip-tls-verify: neither chain nor name is judged, dates still are', () => {
    const insecure = { ...trust, anchors: [], insecure: true };
    assert.deepEqual(codes(observe('https://192.168.0.9', good), insecure), []);
    assert.deepEqual(codes(observe('https://192.168.0.9', expired), insecure), ['server-cert-expired']);
  });

  it('stale serving: same subject and issuer, another certificate, the file not older', () => {
    assert.equal(staleServing(expired.cert, good.cert), true);
    assert.equal(staleServing(good.cert, expired.cert), false);
    assert.equal(staleServing(good.cert, good.cert), false);
    const obs = observe('https://10.0.0.1', expired);
    const verdict = servedVerdict(obs, trust, now, 30);
    const stale = probeFindings(
      obs,
      trust,
      verdict,
      { file: 'k', span: { start: 0, end: 0 } },
      { warnDays: 30, enabled: (c) => c === 'served-cert-stale' },
      {
        component: 'kube-apiserver',
        path: '/etc/kubernetes/pki/apiserver.crt',
        certificate: good.cert,
        renewedAt: now,
      },
    );
    assert.equal(stale.length, 1);
    assert.equal(stale[0].params.servedSerial, expired.cert.serialHex);
    assert.equal(stale[0].params.diskSerial, good.cert.serialHex);
    assert.equal(stale[0].params.renewed, '2026-06-01T00:00:00Z');
  });
});
