import { strict as assert } from 'node:assert';
import { Buffer } from 'node:buffer';
import { KUBEADM_CERTS, caEntry, certPath } from '../../../../src/core/pki/catalog';
import { generateKubeadmPki, type GeneratedTree } from '../../../../src/core/pki/generate';
import { englishTemplate } from '../../../../src/core/findings/finding';
import { RENEWABLE_NAMES, kubeadmTarget, kubeadmTargetForPath } from '../../../../src/core/renew/targets';
import { planLocalRenewal, podsToRestart, type LocalRenewalInput } from '../../../../src/core/renew/plan';
import { renderPreview } from '../../../../src/core/renew/preview';
import { renderRefusal, renderWarning } from '../../../../src/core/renew/messages';
import { decodeFileContent } from '../../../../src/core/x509/decode';
import { issueCertificate, type IssuedCertificate } from '../../../../src/core/x509/issue';
import type { Certificate } from '../../../../src/core/x509/model';

const NOW = new Date('2026-03-01T12:00:00Z');
const YEAR = 8760 * 3600 * 1000;

function certOf(pem: string): Certificate {
  const cert = decodeFileContent(Buffer.from(pem)).certificates[0]?.cert;
  assert.ok(cert, 'a certificate');
  return cert;
}

describe('planLocalRenewal', () => {
  let tree: GeneratedTree;
  const file = (path: string) => {
    const f = tree.get(path);
    assert.ok(f, path);
    return f.contents;
  };
  const input = (name: string, overrides: Partial<LocalRenewalInput> = {}): LocalRenewalInput => {
    const target = kubeadmTarget(name);
    assert.ok(target && target.kind === 'cert');
    const caPath = certPath(caEntry(target.caName).baseName);
    return {
      target,
      current: certOf(file(certPath(target.baseName))),
      ca: certOf(file(caPath)),
      caKeyPresent: true,
      ...overrides,
    };
  };

  before(async () => {
    tree = await generateKubeadmPki({
      now: new Date('2025-03-01T12:00:00Z'),
      key: { algorithm: 'EC', curve: 'P-256' },
    });
  });

  it('keeps subject DER, SANs and usages of every catalog certificate; new validity from now', () => {
    for (const entry of KUBEADM_CERTS) {
      const decision = planLocalRenewal(input(entry.name), { now: NOW });
      assert.ok(decision.ok, entry.name);
      const { request, warnings } = decision.plan;
      const current = input(entry.name).current!;
      assert.ok('der' in request.subject);
      assert.equal(Buffer.from(request.subject.der).toString('hex'), current.subject.derHex);
      assert.deepEqual(request.sans, current.sans);
      assert.deepEqual(request.keyUsage, current.keyUsage);
      assert.deepEqual(request.extKeyUsage, [...entry.extKeyUsage]);
      assert.deepEqual(request.key, { algorithm: 'EC', curve: 'P-256' });
      assert.equal(request.notBefore.getTime(), NOW.getTime() - 5 * 60 * 1000);
      assert.equal(request.notAfter.getTime(), NOW.getTime() + YEAR);
      assert.deepEqual(warnings, []);
    }
  });

  it('re-issues what it planned, field for field', async () => {
    const decision = planLocalRenewal(input('apiserver'), { now: NOW });
    assert.ok(decision.ok);
    const issued: IssuedCertificate = await issueCertificate({
      ...decision.plan.request,
      issuer: { certPem: file('pki/ca.crt'), keyPem: file('pki/ca.key') },
    });
    const renewed = certOf(issued.certPem);
    const old = input('apiserver').current!;
    assert.equal(renewed.subject.derHex, old.subject.derHex);
    assert.deepEqual(renewed.sans, old.sans);
    assert.deepEqual(renewed.keyUsage, old.keyUsage);
    assert.deepEqual(renewed.extKeyUsage, old.extKeyUsage);
    assert.notEqual(renewed.spkiPin, old.spkiPin);
  });

  it('caps validity at the CA expiry with a warning', () => {
    const caEnd = new Date(NOW.getTime() + 30 * 24 * 3600 * 1000);
    const ca = { ...input('apiserver').ca!, notAfter: caEnd };
    const decision = planLocalRenewal(input('apiserver', { ca }), { now: NOW });
    assert.ok(decision.ok);
    assert.equal(decision.plan.request.notAfter.getTime(), caEnd.getTime());
    assert.deepEqual(
      decision.plan.warnings.map((w) => w.code),
      ['capped-by-ca'],
    );
    assert.match(
      renderWarning(decision.plan.warnings[0]!, englishTemplate),
      /ca CA expires on 2026-03-31T12:00:00Z/,
    );
  });

  it('refuses CAs, kubelet.conf, missing files, external and expired CAs', () => {
    const refusal = (i: LocalRenewalInput) => {
      const decision = planLocalRenewal(i, { now: NOW });
      assert.ok(!decision.ok);
      return decision.refusal;
    };
    const ca = kubeadmTarget('ca')!;
    assert.equal(refusal({ target: ca, caKeyPresent: true }).code, 'ca-certificate');
    const kubelet = refusal({ target: kubeadmTarget('kubelet.conf')!, caKeyPresent: true });
    assert.equal(kubelet.code, 'rotated-by-kubelet');
    assert.match(renderRefusal(kubelet, englishTemplate), /rotates itself.*kubectl get csr/s);
    assert.equal(refusal(input('apiserver', { current: undefined })).code, 'certificate-missing');
    assert.equal(refusal(input('apiserver', { ca: undefined })).code, 'ca-missing');
    const external = refusal(input('etcd-peer', { caKeyPresent: false }));
    assert.equal(external.code, 'external-ca');
    assert.equal(
      renderRefusal(external, englishTemplate),
      'The etcd-ca CA is externally managed (its key pki/etcd/ca.key is not present), so nothing it signs can be renewed locally. Ask whoever holds that CA to re-issue etcd-peer.',
    );
    const expiredCa = { ...input('apiserver').ca!, notAfter: new Date(NOW.getTime() - 1000) };
    assert.equal(refusal(input('apiserver', { ca: expiredCa })).code, 'ca-expired');
  });

  it('previews old versus new', () => {
    const decision = planLocalRenewal(input('apiserver'), { now: NOW });
    assert.ok(decision.ok);
    const lines = renderPreview(decision.plan.preview, englishTemplate);
    assert.match(
      lines.find((l) => l.startsWith('Subject:'))!,
      /CN=kube-apiserver \(unchanged\)$/,
    );
    assert.match(
      lines.find((l) => l.startsWith('Not after:'))!,
      /2026-03-01T12:00:00Z → 2027-03-01T12:00:00Z$/,
    );
    assert.match(
      lines.find((l) => l.startsWith('Key:'))!,
      /EC P-256 → EC P-256 \(new key\)$/,
    );
    assert.match(
      lines.find((l) => l.startsWith('Subject alternative names:'))!,
      /DNS:kubernetes.default.svc.cluster.local.*IP:10\.96\.0\.1/,
    );
  });

  it('names the static pods to restart, once each', () => {
    assert.deepEqual(podsToRestart(RENEWABLE_NAMES), [
      'kube-apiserver',
      'etcd',
      'kube-controller-manager',
      'kube-scheduler',
    ]);
    assert.deepEqual(podsToRestart(['admin.conf']), []);
  });

  it('maps files to catalog entries', () => {
    assert.equal(kubeadmTargetForPath('pki/etcd/server.key')?.name, 'etcd-server');
    assert.equal(kubeadmTargetForPath('admin.conf')?.name, 'admin.conf');
    assert.equal(kubeadmTargetForPath('pki/front-proxy-ca.crt')?.kind, 'ca');
    assert.equal(kubeadmTargetForPath('pki/sa.key'), undefined);
  });
});
