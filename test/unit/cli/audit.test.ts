import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { FINDING_CODES } from '../../../src/core/findings/catalog';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/run';
import { addDays, base64Data, bundle, makeCa, makeLeaf, type TestCert } from '../../fixtures/certs';
import { kubeconfigYaml } from '../../fixtures/kubeconfig';

const NOW = '2025-06-01T00:00:00Z';
const now = new Date(NOW);
const TOKEN = 'tok-SECRET-MARKER-7f3a9c';
const PASSWORD = 'pw-SECRET-MARKER-41be07';
const BOOTSTRAP = 'abcdef.secretmarker0042';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  options: { cwd: string; env?: Record<string, string>; tty?: boolean },
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? { LANG: 'C' },
    cwd: options.cwd,
    platform: 'linux',
    homedir: join(options.cwd, 'home'),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('kubecerts audit (CLI)', () => {
  let dir: string;
  let ca: TestCert;
  let admin: TestCert;
  let expired: TestCert;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-cli-'));
    const dates = { notBefore: addDays(now, -30), notAfter: addDays(now, 300) };
    ca = await makeCa({ cn: 'kubernetes', ...dates, notAfter: addDays(now, 3000) });
    admin = await makeLeaf({
      issuer: ca,
      cn: 'kubernetes-admin',
      o: ['kubeadm:cluster-admins'],
      eku: ['clientAuth'],
      ...dates,
    });
    expired = await makeLeaf({
      issuer: ca,
      cn: 'old-admin',
      eku: ['clientAuth'],
      notBefore: addDays(now, -400),
      notAfter: addDays(now, -3),
    });
    const pair = (cert: TestCert) => ({
      certData: base64Data(cert.certPem),
      keyData: base64Data(cert.keyPem),
    });
    writeFileSync(
      join(dir, 'clean.conf'),
      kubeconfigYaml({
        clusters: [{ name: 'kind', caData: base64Data(ca.certPem) }],
        users: [{ name: 'admin', ...pair(admin) }],
        contexts: [{ name: 'kind-admin', cluster: 'kind', user: 'admin' }],
        currentContext: 'kind-admin',
      }),
    );
    writeFileSync(
      join(dir, 'broken.conf'),
      kubeconfigYaml({
        clusters: [{ name: 'kind', caData: base64Data(ca.certPem), insecure: true }],
        users: [
          { name: 'old', ...pair(expired) },
          { name: 'mismatch', certData: base64Data(admin.certPem), keyData: base64Data(expired.keyPem) },
          { name: 'tok', token: TOKEN },
          { name: 'basic', username: 'bob', password: PASSWORD },
          { name: 'boot', token: BOOTSTRAP },
        ],
        contexts: [
          { name: 'old', cluster: 'kind', user: 'old' },
          { name: 'mismatch', cluster: 'kind', user: 'mismatch' },
        ],
        currentContext: 'old',
      }),
    );
    writeFileSync(join(dir, 'warn-only.conf'), kubeconfigYaml({ clusters: [{ name: 'c', insecure: true }] }));
    mkdirSync(join(dir, 'pki'));
    writeFileSync(join(dir, 'pki', 'bundle.pem'), bundle(ca, admin, expired));
    writeFileSync(join(dir, 'pki', 'admin.key'), admin.keyPem);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on a clean kubeconfig and 1 when an error is found', async () => {
    assert.equal((await cli(['audit', 'clean.conf', '--now', NOW], { cwd: dir })).code, 0);
    const broken = await cli(['audit', 'broken.conf', '--now', NOW], { cwd: dir });
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /cert-expired\s+broken\.conf:\d+:\d+/);
  });

  it('honours --fail-on', async () => {
    assert.equal((await cli(['audit', 'warn-only.conf', '--now', NOW], { cwd: dir })).code, 0);
    assert.equal(
      (await cli(['audit', 'warn-only.conf', '--now', NOW, '--fail-on', 'warning'], { cwd: dir })).code,
      1,
    );
    assert.equal(
      (await cli(['audit', 'broken.conf', '--now', NOW, '--fail-on', 'never'], { cwd: dir })).code,
      0,
    );
  });

  for (const [label, argv, pattern] of [
    ['an unknown option', ['audit', '--colour'], /Unknown option/],
    ['a bad --now', ['audit', '--now', 'yesterday'], /--now must be an ISO-8601 date/],
    ['a bad --format', ['audit', '--format', 'xml'], /--format must be one of/],
    ['a bad --warn-days', ['audit', '--warn-days', '-3'], /--warn-days|Unknown option|argument/i],
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['a missing file', ['audit', 'nope.conf'], /nope\.conf: no such file or directory/],
  ] as const) {
    it(`exits 2 with a one-line message on ${label}`, async () => {
      const run = await cli([...argv], { cwd: dir });
      assert.equal(run.code, 2);
      assert.match(run.stderr, pattern);
      assert.equal(run.stderr.trim().split('\n').length, 1);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    });
  }

  it('prints JSON with the contracted field names', async () => {
    const run = await cli(['audit', 'broken.conf', 'pki', '--format', 'json', '--now', NOW], { cwd: dir });
    const out = JSON.parse(run.stdout);
    const expiredFinding = out.findings.find(
      (f: { code: string; file: string }) => f.code === 'cert-expired' && f.file === 'broken.conf',
    );
    assert.deepEqual(Object.keys(expiredFinding).slice(0, 9), [
      'code',
      'severity',
      'message',
      'file',
      'range',
      'cluster',
      'user',
      'context',
      'certificate',
    ]);
    assert.equal(expiredFinding.user, 'old');
    assert.equal(expiredFinding.severity, 'error');
    assert.match(expiredFinding.message, /CN=old-admin expired on 2025-05-29T/);
    assert.deepEqual(Object.keys(expiredFinding.range.start), ['line', 'character']);
    assert.deepEqual(expiredFinding.certificate, {
      subject: 'CN=old-admin',
      serialHex: expired.cert.serialHex,
      sha256: expired.cert.sha256Fingerprint,
    });
    const codes = new Set(out.findings.map((f: { code: string }) => f.code));
    for (const code of [
      'insecure-skip-tls-verify',
      'key-mismatch',
      'plaintext-token',
      'plaintext-password',
      'bootstrap-token',
      'cert-expired',
    ]) {
      assert.ok(codes.has(code), code);
    }
    const fromBundle = out.certificates.filter((c: { file: string }) => c.file === 'pki/bundle.pem');
    assert.equal(fromBundle.length, 3);
    const adminCert = fromBundle.find((c: { subject: string }) =>
      c.subject.startsWith('CN=kubernetes-admin'),
    );
    assert.equal(adminCert.spkiPin, admin.cert.spkiPin);
    assert.equal(adminCert.sha256Fingerprint, admin.cert.sha256Fingerprint);
    assert.equal(adminCert.chains[0].anchor.subject, 'CN=kubernetes');
    assert.deepEqual(adminCert.identity, { user: 'kubernetes-admin', groups: ['kubeadm:cluster-admins'] });
  });

  it('prints SARIF 2.1.0 with catalog rules and 1-based regions', async () => {
    const run = await cli(['audit', 'broken.conf', '--format', 'sarif', '--now', NOW], { cwd: dir });
    const sarif = JSON.parse(run.stdout);
    assert.equal(sarif.version, '2.1.0');
    const { driver } = sarif.runs[0].tool;
    assert.equal(driver.name, 'kubecerts');
    assert.deepEqual(
      driver.rules.map((r: { id: string }) => r.id),
      FINDING_CODES,
    );
    for (const result of sarif.runs[0].results) {
      assert.equal(driver.rules[result.ruleIndex].id, result.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(result.level));
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      assert.equal(artifactLocation.uri, 'broken.conf');
      assert.ok(region.startLine >= 1 && region.startColumn >= 1);
    }
    const json = JSON.parse(
      (await cli(['audit', 'broken.conf', '--format', 'json', '--now', NOW], { cwd: dir })).stdout,
    );
    assert.equal(sarif.runs[0].results.length, json.findings.length);
    assert.equal(
      sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine,
      json.findings[0].range.start.line + 1,
    );
  });

  it('colours the table only on a terminal', async () => {
    const plain = await cli(['audit', 'broken.conf', '--now', NOW], { cwd: dir });
    const tty = await cli(['audit', 'broken.conf', '--now', NOW], { cwd: dir, tty: true });
    assert.doesNotMatch(plain.stdout, /\x1b\[/);
    assert.match(tty.stdout, /\x1b\[31m/);
  });

  it('speaks Simplified Chinese with --lang zh-cn or LANG=zh_CN.UTF-8', async () => {
    const flag = await cli(['audit', 'broken.conf', '--format', 'json', '--now', NOW, '--lang', 'zh-cn'], {
      cwd: dir,
    });
    assert.match(
      JSON.parse(flag.stdout).findings.find((f: { code: string }) => f.code === 'plaintext-token').message,
      /令牌以明文保存/,
    );
    const env = await cli(['audit', 'broken.conf', '--now', NOW], { cwd: dir, env: { LANG: 'zh_CN.UTF-8' } });
    assert.match(env.stdout, /个错误/);
    const english = await cli(['audit', 'broken.conf', '--now', NOW], {
      cwd: dir,
      env: { LANG: 'en_US.UTF-8' },
    });
    assert.match(english.stdout, /errors,/);
  });

  it('defaults to the KUBECONFIG merge, else ~/.kube/config', async () => {
    const env = {
      LANG: 'C',
      KUBECONFIG: `${join(dir, 'absent.conf')}:${join(dir, 'warn-only.conf')}:${join(dir, 'clean.conf')}`,
    };
    const run = await cli(['audit', '--format', 'json', '--now', NOW], { cwd: dir, env });
    const files = new Set(JSON.parse(run.stdout).findings.map((f: { file: string }) => f.file));
    assert.deepEqual([...files], ['warn-only.conf']);
    const none = await cli(['audit'], { cwd: dir, env: { LANG: 'C' } });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /home\/\.kube\/config: no such file/);
  });

  it('never prints a planted secret in any format', async () => {
    const keyBody = (pem: string): string[] => pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    const secrets = [
      TOKEN,
      PASSWORD,
      BOOTSTRAP.split('.')[1],
      ...keyBody(expired.keyPem),
      ...keyBody(admin.keyPem),
      base64Data(expired.keyPem).slice(0, 40),
    ];
    for (const format of ['table', 'json', 'sarif']) {
      for (const lang of ['en', 'zh-cn']) {
        const run = await cli(
          ['audit', 'broken.conf', 'pki', '--format', format, '--now', NOW, '--lang', lang],
          { cwd: dir },
        );
        for (const secret of secrets) {
          assert.ok(
            !run.stdout.includes(secret) && !run.stderr.includes(secret),
            `${format}/${lang} leaked ${secret.slice(0, 12)}…`,
          );
        }
      }
    }
  });

  it('prints help and version', async () => {
    const help = await cli(['--help'], { cwd: dir });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /audit/);
    assert.match((await cli(['audit', '--help'], { cwd: dir })).stdout, /--fail-on/);
    assert.match((await cli(['--version'], { cwd: dir })).stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('works as the bundled dist/cli.js', async function () {
    this.timeout(60_000);
    const outfile = join(dir, 'cli.js');
    await build({
      entryPoints: ['src/cli/main.ts'],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile,
      logLevel: 'silent',
    });
    const out = execFileSync(
      process.execPath,
      [outfile, 'audit', 'clean.conf', '--format', 'json', '--now', NOW],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.deepEqual(JSON.parse(out).findings, []);
    let code = 0;
    try {
      execFileSync(process.execPath, [outfile, 'audit', 'broken.conf', '--now', NOW], {
        cwd: dir,
        stdio: 'pipe',
      });
    } catch (error) {
      code = (error as { status: number }).status;
    }
    assert.equal(code, 1);
  });
});
