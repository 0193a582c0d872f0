import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { runCli } from '../../../src/cli/run';
import { removeTree, writePkiVariant } from '../../fixtures/pkiVariants';

const GENERATED = new Date('2026-03-01T12:00:00Z');
const CHECKED = '2026-03-01T13:00:00Z';

// What kubeadm v1.32 prints for this tree (tabwriter minwidth 10, padding 3; `%-8v` pads yes/no).
const KUBEADM_TABLE = `CERTIFICATE                    EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
admin.conf                     Mar 01, 2027 12:00 UTC   364d            ca                      no      
apiserver                      Mar 01, 2027 12:00 UTC   364d            ca                      no      
apiserver-etcd-client          Mar 01, 2027 12:00 UTC   364d            etcd-ca                 no      
apiserver-kubelet-client       Mar 01, 2027 12:00 UTC   364d            ca                      no      
controller-manager.conf        Mar 01, 2027 12:00 UTC   364d            ca                      no      
etcd-healthcheck-client        Mar 01, 2027 12:00 UTC   364d            etcd-ca                 no      
etcd-peer                      Mar 01, 2027 12:00 UTC   364d            etcd-ca                 no      
etcd-server                    Mar 01, 2027 12:00 UTC   364d            etcd-ca                 no      
!MISSING! front-proxy-client                                                                    
scheduler.conf                 Mar 01, 2027 12:00 UTC   364d            ca                      no      
super-admin.conf               Mar 01, 2027 12:00 UTC   364d            ca                      no      

CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED
ca                      Feb 27, 2036 12:00 UTC   9y              no      
etcd-ca                 Feb 27, 2036 12:00 UTC   9y              no      
front-proxy-ca          Feb 27, 2036 12:00 UTC   9y              no      
`;

function io(cwd: string) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: { LANG: 'C' },
      cwd,
      platform: 'linux' as const,
      homedir: '/root',
    },
  };
}

describe('kubecerts check-expiration', () => {
  let root = '';
  before(async () => {
    ({ root } = await writePkiVariant('missing-file', GENERATED));
  });
  after(() => removeTree(root));

  it("prints kubeadm's table byte for byte, MISSING row included, kubelet.conf left out", async () => {
    const { out, io: cliIo } = io(root);
    assert.equal(await runCli(['check-expiration', '--config-dir', root, '--now', CHECKED], cliIo), 0);
    assert.equal(out.stdout, KUBEADM_TABLE);
    assert.match(out.stderr, /wiring-file-missing/);
  });

  it("gives -o json kubeadm's CertificateExpirationInfo with its field names, ours added under new ones", async () => {
    const { out, io: cliIo } = io(root);
    await runCli(['check-expiration', '--config-dir', root, '--now', CHECKED, '-o', 'json'], cliIo);
    assert.match(
      out.stdout,
      /^{\n {4}"kind": "CertificateExpirationInfo",\n {4}"apiVersion": "output.kubeadm.k8s.io\/v1alpha3",/,
    );
    const info = JSON.parse(out.stdout);
    const apiserver = info.certificates.find((c: { name: string }) => c.name === 'apiserver');
    assert.deepEqual(Object.keys(apiserver).slice(0, 6), [
      'name',
      'expirationDate',
      'residualTime',
      'externallyManaged',
      'caName',
      'missing',
    ]);
    assert.equal(apiserver.expirationDate, '2027-03-01T12:00:00Z');
    assert.equal(apiserver.residualTime, 365 * 86400 - 3600);
    assert.equal(apiserver.caName, 'ca');
    assert.equal(apiserver.verdict, 'ok');
    const missing = info.certificates.find((c: { name: string }) => c.name === 'front-proxy-client');
    assert.deepEqual(
      {
        expirationDate: missing.expirationDate,
        residualTime: missing.residualTime,
        missing: missing.missing,
        verdict: missing.verdict,
      },
      { expirationDate: null, residualTime: 0, missing: true, verdict: 'missing' },
    );
    // CAs carry no caName (omitempty in kubeadm).
    assert.ok(info.certificateAuthorities.every((c: object) => !('caName' in c)));
    assert.deepEqual(
      info.certificateAuthorities.map((c: { name: string }) => c.name),
      ['ca', 'etcd-ca', 'front-proxy-ca'],
    );
    assert.ok(
      info.findings.some(
        (f: { code: string; line?: number }) => f.code === 'wiring-file-missing' && f.line === 26,
      ),
    );
  });

  it('gives -o yaml the same object, keys sorted like kubeadm', async () => {
    const { out, io: cliIo } = io(root);
    await runCli(['check-expiration', '--config-dir', root, '--now', CHECKED, '-o', 'yaml'], cliIo);
    assert.match(
      out.stdout,
      /^apiVersion: output\.kubeadm\.k8s\.io\/v1alpha3\ncertificateAuthorities:\n- expirationDate: "2036-02-27T12:00:00Z"\n/,
    );
    const info = parse(out.stdout);
    assert.equal(info.kind, 'CertificateExpirationInfo');
    assert.equal(info.certificates.length, 11);
  });

  it('takes --cert-dir alone, and refuses bad arguments with exit code 2', async () => {
    const { out, io: cliIo } = io(root);
    assert.equal(
      await runCli(
        [
          'check-expiration',
          '--config-dir',
          `${root}/nowhere`,
          '--cert-dir',
          `${root}/pki`,
          '--now',
          CHECKED,
        ],
        cliIo,
      ),
      0,
    );
    assert.match(out.stdout, /^apiserver {2}/m);
    assert.doesNotMatch(out.stdout, /admin\.conf/, 'no kubeconfig is expected without a config dir');
    assert.equal(await runCli(['check-expiration', '--config-dir', root, '-o', 'xml'], cliIo), 2);
    assert.equal(await runCli(['check-expiration', '--config-dir', root, '--now', 'yesterday'], cliIo), 2);
    assert.equal(await runCli(['check-expiration', '--config-dir', `${root}/nowhere`], cliIo), 2);
  });
});
