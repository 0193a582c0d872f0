// `kubecerts audit --format prometheus` and `--output`: checked by promtool and against openssl's
// reading of the same files, on a generated kubeadm tree (PKI + kubeconfigs) and a kubeconfig whose
// user certificate comes from another CA.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, base64Data, makeCa, makeLeaf } from '../../fixtures/certs';
import { writeKubeadmTree } from '../../fixtures/kubeadm';
import { kubeconfigYaml } from '../../fixtures/kubeconfig';
import { cli, parseExposition, type Sample } from './prometheusHelpers';

const GENERATED = new Date('2025-06-01T00:00:00Z');
const NOW = '2025-07-01T00:00:00Z';
const TOKEN = 'tok-SECRET-MARKER-5d1e0b';
const EC = { algorithm: 'EC', curve: 'P-256' } as const;

function openssl(file: string): { notAfter: number; notBefore: number; serial: string; cn: string } {
  const out = execFileSync(
    'openssl',
    [
      'x509',
      '-in',
      file,
      '-noout',
      '-enddate',
      '-startdate',
      '-serial',
      '-dateopt',
      'iso_8601',
      '-nameopt',
      'RFC2253',
      '-subject',
    ],
    { encoding: 'utf8' },
  );
  const field = (name: string): string => new RegExp(`^${name}=(.*)$`, 'm').exec(out)![1];
  return {
    notAfter: Date.parse(field('notAfter').replace(' ', 'T')) / 1000,
    notBefore: Date.parse(field('notBefore').replace(' ', 'T')) / 1000,
    serial: BigInt('0x' + field('serial')).toString(),
    cn: /CN=([^,]*)/.exec(field('subject'))![1],
  };
}

function find(samples: readonly Sample[], name: string, labels: Record<string, string>): Sample[] {
  return samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

describe('kubecerts audit --format prometheus', () => {
  let dir: string;
  let etc: string;
  let text: string;
  let samples: Sample[];
  let code: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-prom-'));
    etc = join(dir, 'etc-kubernetes');
    await writeKubeadmTree(
      {
        now: GENERATED,
        key: EC,
        // Expired at NOW; the rest of the tree is valid for a year.
        validity: { 'apiserver-etcd-client': { notBefore: GENERATED, notAfter: addDays(GENERATED, 10) } },
      },
      etc,
    );
    const clusterCa = await makeCa({
      cn: 'kubernetes',
      notBefore: GENERATED,
      notAfter: addDays(GENERATED, 3650),
      key: EC,
    });
    const otherCa = await makeCa({
      cn: 'kubernetes',
      notBefore: GENERATED,
      notAfter: addDays(GENERATED, 3650),
      key: EC,
    });
    const ops = await makeLeaf({
      issuer: otherCa,
      cn: 'ops',
      eku: ['clientAuth'],
      notBefore: GENERATED,
      notAfter: addDays(GENERATED, 365),
      key: EC,
    });
    writeFileSync(
      join(dir, 'fleet.conf'),
      kubeconfigYaml({
        clusters: [{ name: 'prod', caData: base64Data(clusterCa.certPem) }],
        users: [
          { name: 'ops', certData: base64Data(ops.certPem), keyData: base64Data(ops.keyPem) },
          { name: 'robot', token: TOKEN },
          { name: 'pasted', certData: 'REDACTED', keyData: 'REDACTED' },
        ],
        contexts: [
          { name: 'prod-ops', cluster: 'prod', user: 'ops' },
          { name: 'prod-robot', cluster: 'prod', user: 'robot' },
        ],
        currentContext: 'prod-ops',
      }),
    );
    ({ code, stdout: text } = await cli(
      ['audit', etc, 'fleet.conf', '--now', NOW, '--format', 'prometheus'],
      dir,
    ));
    samples = parseExposition(text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is valid for promtool check metrics, with HELP and TYPE for every family', () => {
    execFileSync('promtool', ['check', 'metrics'], { input: text });
    const names = new Set(samples.map((s) => s.name));
    for (const name of [...names, 'x509_cert_not_before', 'kubecerts_finding', 'kubecerts_chain_verified']) {
      assert.match(text, new RegExp(`^# HELP ${name} \\S`, 'm'), name);
      assert.match(text, new RegExp(`^# TYPE ${name} gauge$`, 'm'), name);
    }
  });

  it('gives every PKI certificate the dates and decimal serial openssl reads from the file', () => {
    const files = [
      'ca.crt',
      'apiserver.crt',
      'apiserver-etcd-client.crt',
      'etcd/server.crt',
      'front-proxy-ca.crt',
    ];
    for (const relative of files) {
      const file = join(etc, 'pki', relative);
      const expected = openssl(file);
      const [after] = find(samples, 'x509_cert_not_after', { filepath: file });
      assert.ok(after, `no x509_cert_not_after for ${file}`);
      assert.equal(after.value, expected.notAfter, file);
      assert.equal(after.labels.serial_number, expected.serial, file);
      assert.equal(after.labels.subject_CN, expected.cn, file);
      assert.equal(after.labels.filename, relative.split('/').pop());
      assert.equal(after.labels.embedded_kind, '');
      assert.equal(
        find(samples, 'x509_cert_not_before', { filepath: file })[0].value,
        expected.notBefore,
        file,
      );
      const expired = Date.parse(NOW) / 1000 > expected.notAfter ? 1 : 0;
      assert.equal(find(samples, 'x509_cert_expired', { filepath: file })[0].value, expired, file);
    }
    assert.equal(
      find(samples, 'x509_cert_expired', { filepath: join(etc, 'pki/apiserver-etcd-client.crt') })[0].value,
      1,
    );
    assert.equal(
      find(samples, 'kubecerts_finding', {
        code: 'cert-expired',
        severity: 'error',
        filepath: join(etc, 'pki/apiserver-etcd-client.crt'),
      }).length,
      1,
    );
    assert.equal(code, 1, 'the exit code follows --fail-on as with the other formats');
  });

  it('labels kubeconfig material with embedded_kind and embedded_key, and reports chain verdicts', () => {
    const admin = join(etc, 'admin.conf');
    const user = find(samples, 'x509_cert_not_after', { filepath: admin, embedded_kind: 'user' });
    assert.deepEqual(
      user.map((s) => [s.labels.embedded_key, s.labels.subject_CN, s.labels.issuer_CN]),
      [['kubernetes-admin', 'kubernetes-admin', 'kubernetes']],
    );
    assert.equal(
      find(samples, 'x509_cert_not_after', {
        filepath: admin,
        embedded_kind: 'cluster',
        embedded_key: 'kubernetes',
      }).length,
      1,
    );
    assert.deepEqual(
      find(samples, 'kubecerts_chain_verified', { filepath: admin, embedded_key: 'kubernetes-admin' }).map(
        (s) => s.value,
      ),
      [1],
    );
    const [ops] = find(samples, 'kubecerts_chain_verified', {
      filepath: join(dir, 'fleet.conf'),
      embedded_key: 'ops',
    });
    assert.equal(ops.value, 0);
    assert.equal(ops.labels.context, 'prod-ops');
    assert.notEqual(ops.labels.problem, '');
    assert.ok(find(samples, 'x509_read_errors', {})[0].value >= 1, 'the REDACTED user is a read error');
  });

  it('keeps secrets out and prints the same bytes twice', async () => {
    assert.ok(!text.includes(TOKEN));
    assert.ok(!/PRIVATE KEY|BEGIN/.test(text));
    const again = await cli(['audit', etc, 'fleet.conf', '--now', NOW, '--format', 'prometheus'], dir);
    assert.equal(again.stdout, text);
    const series = samples.map((s) => s.name + JSON.stringify(s.labels));
    assert.equal(new Set(series).size, series.length, 'no series twice (the textfile collector refuses it)');
  });

  it('escapes label values and keeps two certificates that share every label apart', async () => {
    const odd = join(dir, 'odd');
    execFileSync('mkdir', ['-p', odd]);
    const ca = await makeCa({
      cn: 'odd-ca',
      notBefore: GENERATED,
      notAfter: addDays(GENERATED, 3650),
      key: EC,
    });
    const twin = (days: number) =>
      makeLeaf({
        issuer: ca,
        cn: 'twin "quoted" \\ name',
        serialHex: '0A',
        notBefore: GENERATED,
        notAfter: addDays(GENERATED, days),
        key: EC,
      });
    const [a, b] = [await twin(100), await twin(200)];
    const file = join(odd, 'we"ird\\name.pem');
    writeFileSync(file, a.certPem + b.certPem);
    const { stdout } = await cli(['audit', file, '--now', NOW, '--format', 'prometheus'], dir);
    execFileSync('promtool', ['check', 'metrics'], { input: stdout });
    const twins = find(parseExposition(stdout), 'x509_cert_not_after', { filepath: file });
    assert.equal(twins.length, 2, stdout);
    assert.deepEqual(new Set(twins.map((t) => t.labels.subject_CN)), new Set(['twin "quoted" \\ name']));
    assert.equal(twins[0].labels.serial_number, '10');
    assert.equal(twins[0].labels.filename, 'we"ird\\name.pem', 'a backslash is part of a Linux file name');
    assert.notEqual(twins[0].labels.discriminator, twins[1].labels.discriminator);
    assert.deepEqual(
      twins.map((t) => t.value).sort(),
      [a, b].map((c) => c.cert.notAfter.getTime() / 1000).sort(),
    );
  });

  it('--output replaces the file atomically, keeps its mode and leaves no temp file', async () => {
    const out = join(dir, 'textfile');
    rmSync(out, { recursive: true, force: true });
    execFileSync('mkdir', [out]);
    const target = join(out, 'kubecerts.prom');
    const first = await cli(['audit', etc, '--now', NOW, '--format', 'prometheus', '--output', target], dir);
    assert.equal(first.stdout, '');
    assert.equal(statSync(target).mode & 0o777, 0o644, 'readable by node_exporter');
    const firstInode = statSync(target).ino;
    chmodSync(target, 0o640);
    await cli(
      [
        'audit',
        etc,
        'fleet.conf',
        '--now',
        NOW,
        '--format',
        'prometheus',
        '--output',
        'textfile/kubecerts.prom',
      ],
      dir,
    );
    assert.equal(readFileSync(target, 'utf8'), text);
    assert.notEqual(statSync(target).ino, firstInode, 'a new file renamed over the old one');
    assert.equal(statSync(target).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(out), ['kubecerts.prom']);
    const missing = await cli(
      ['audit', etc, '--format', 'prometheus', '--output', join(dir, 'nowhere', 'x.prom')],
      dir,
    );
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot write .*x\.prom \(ENOENT\)/);
  });
});
