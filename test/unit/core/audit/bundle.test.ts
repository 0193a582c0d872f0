// Issue 13, defect 14: a CA rotation keeps the expired old CA in certificate-authority-data next to
// the new one. client-go trusts every certificate of that data, so the kubeconfig works: a warning
// (bundle-ca-expired), exit code 0. When every CA of the bundle is expired it stays cert-expired.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeEntry, analyzeKubeconfig } from '../../../../src/core/audit/kubeconfig';
import { mergeKubeconfigs } from '../../../../src/core/kubeconfig/merge';
import { parseKubeconfig } from '../../../../src/core/kubeconfig/parse';
import { addDays, base64Data, bundle, makeCa, makeLeaf, type TestCert } from '../../../fixtures/certs';
import { kubeconfigYaml } from '../../../fixtures/kubeconfig';
import { cli } from '../../extension/hover/helpers';

const NOW = new Date('2025-06-01T00:00:00Z');

describe('CA rotation bundle with an expired old CA (issue 13 #14)', () => {
  let dir: string;
  let oldCa: TestCert;
  let newCa: TestCert;
  let byNew: TestCert;
  let byOld: TestCert;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-bundle-'));
    oldCa = await makeCa({ cn: 'kubernetes', notBefore: addDays(NOW, -3650), notAfter: addDays(NOW, -10) });
    newCa = await makeCa({
      cn: 'kubernetes-2025',
      notBefore: addDays(NOW, -60),
      notAfter: addDays(NOW, 3000),
    });
    const dates = { notBefore: addDays(NOW, -30), notAfter: addDays(NOW, 300) };
    byNew = await makeLeaf({ issuer: newCa, cn: 'admin', eku: ['clientAuth'], ...dates });
    byOld = await makeLeaf({
      issuer: oldCa,
      cn: 'old-admin',
      eku: ['clientAuth'],
      notBefore: addDays(NOW, -400),
      notAfter: addDays(NOW, 30 + 300),
    });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  function kubeconfig(caPem: string, user: TestCert): string {
    return kubeconfigYaml({
      clusters: [{ name: 'prod', caData: base64Data(caPem) }],
      users: [{ name: 'admin', certData: base64Data(user.certPem), keyData: base64Data(user.keyPem) }],
      contexts: [{ name: 'prod', cluster: 'prod', user: 'admin' }],
      currentContext: 'prod',
    });
  }

  function audit(text: string) {
    const model = mergeKubeconfigs([parseKubeconfig(text, join(dir, 'config'))]);
    return { model, audit: analyzeKubeconfig(model, { now: NOW }) };
  }

  it('reports the expired CA of a working bundle as bundle-ca-expired (warning), not cert-expired', () => {
    const { audit: result } = audit(kubeconfig(bundle(oldCa, newCa), byNew));
    assert.deepEqual(
      result.findings.map((f) => [f.code, f.severity, f.certificate?.subject]),
      [['bundle-ca-expired', 'warning', 'CN=kubernetes']],
    );
    assert.match(JSON.stringify(result.findings[0].params), /"days":10/);
    const chain = result.certificates.find((c) => c.user === 'admin')!.chains[0];
    assert.equal(chain.status, 'verified');
    assert.equal(chain.anchor?.subject, 'CN=kubernetes-2025');
  });

  it('keeps cert-expired when every CA of the bundle is expired', async () => {
    const older = await makeCa({ cn: 'older', notBefore: addDays(NOW, -4000), notAfter: addDays(NOW, -100) });
    const { audit: result } = audit(kubeconfig(bundle(older, oldCa), byOld));
    const codes = result.findings.map((f) => [f.code, f.certificate?.subject]);
    assert.deepEqual(
      codes.filter(([c]) => c === 'bundle-ca-expired'),
      [],
    );
    assert.deepEqual(
      codes.filter(([c]) => c === 'cert-expired'),
      [
        ['cert-expired', 'CN=older'],
        ['cert-expired', 'CN=kubernetes'],
      ],
    );
  });

  it('still fails a client certificate that only the expired CA signed', () => {
    const { model, audit: result } = audit(kubeconfig(bundle(oldCa, newCa), byOld));
    const onUser = result.findings.filter((f) => f.user === 'admin');
    assert.deepEqual(
      onUser.map((f) => [f.code, f.severity, f.params.subject]),
      [['cert-expired', 'error', 'CN=kubernetes']],
    );
    const chain = result.certificates.find((c) => c.user === 'admin')!.chains[0];
    assert.equal(chain.status, 'signed');
    assert.equal(chain.anchor?.subject, 'CN=kubernetes');
    // The hover analyses the user alone and must say the same.
    const entry = analyzeEntry(model, model.users.get('admin')!, { now: NOW });
    assert.deepEqual(
      entry.findings.map((f) => [f.code, f.params.subject]),
      [['cert-expired', 'CN=kubernetes']],
    );
  });

  it('exit code says whether the file works', async () => {
    writeFileSync(join(dir, 'works.conf'), kubeconfig(bundle(oldCa, newCa), byNew));
    writeFileSync(join(dir, 'broken.conf'), kubeconfig(bundle(oldCa), byOld));
    const works = await cli(['audit', 'works.conf', '--now', NOW.toISOString()], dir);
    assert.equal(works.code, 0, works.stdout);
    assert.match(works.stdout, /warning\s+bundle-ca-expired/);
    assert.equal(
      (await cli(['audit', 'works.conf', '--now', NOW.toISOString(), '--fail-on', 'warning'], dir)).code,
      1,
    );
    const broken = await cli(['audit', 'broken.conf', '--now', NOW.toISOString()], dir);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /error\s+cert-expired/);
  });
});
