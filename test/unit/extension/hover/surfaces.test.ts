// One verdict, every surface (issue 13): each fixture goes through the hover's renderer (its
// vscode-free part, fed as the extension feeds it) and through `kubecerts audit` as table, JSON and
// SARIF; all must say the same thing about each certificate: the same verdict, the same CA, the same
// codes, the same findings. The expected verdict of each fixture is written from Go's behaviour
// (domain.md §8), not read back from the code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeEntry } from '../../../../src/core/audit/kubeconfig';
import type { CertificateReport } from '../../../../src/core/audit/report';
import type { Finding } from '../../../../src/core/findings/finding';
import { mergeKubeconfigs } from '../../../../src/core/kubeconfig/merge';
import { parseKubeconfig } from '../../../../src/core/kubeconfig/parse';
import { generateKubeadmPki } from '../../../../src/core/pki/generate';
import { headlineOf, type ChainReport, type ChainStatus } from '../../../../src/core/verdict/chainVerdict';
import { certificateMarkdown, verdictLines } from '../../../../src/extension/hover/markdown';
import { verdictText } from '../../../../src/cli/output/table';
import { kubeadmAnchors } from '../../../../src/node/fs/auditInputs';
import { openPkiFolder } from '../../../../src/node/pki/fsSource';
import { PkiScanner } from '../../../../src/core/pki/scanner';
import { pkiItemHeadline } from '../../../../src/core/verdict/pkiVerdict';
import {
  addDays,
  base64Data,
  bundle,
  makeCa,
  makeIntermediate,
  makeLeaf,
  makeRegeneratedCa,
  type TestCert,
} from '../../../fixtures/certs';
import { writeTree } from '../../../fixtures/kubeadm';
import { kubeconfigYaml } from '../../../fixtures/kubeconfig';
import { cli, englishHover } from './helpers';

const NOW = new Date('2026-12-02T12:00:00Z');

interface Expected {
  readonly status: ChainStatus;
  readonly anchor?: string;
  /** Who signed it when no chain leads on to an anchor. */
  readonly issuedBy?: string;
  readonly codes: readonly string[];
}

interface Fixture {
  /** File name, relative to the fixture directory. */
  readonly file: string;
  /** User name → the verdict Go gives its client certificate. */
  readonly users: Readonly<Record<string, Expected>>;
}

interface JsonFinding {
  code: string;
  severity: string;
  file: string;
  range: { start: { line: number; character: number } };
  user: string | null;
  certificate?: { sha256: string };
}
interface JsonCertificate {
  file: string;
  range: { start: { line: number } };
  field: string | null;
  user: string | null;
  subject: string;
  sha256Fingerprint: string;
  chains: ChainReport[];
}

describe('one verdict on every surface: hover, table, JSON, SARIF (issue 13)', function () {
  this.timeout(120_000);
  let dir: string;
  const fixtures: Fixture[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-surfaces-'));
    const kubeadmDir = join(dir, 'kubeadm');
    // kubeadm: scheduler.conf expired (CA valid), admin.conf expiring in 10 days, the rest healthy.
    writeTree(
      kubeadmDir,
      await generateKubeadmPki({
        now: NOW,
        key: { algorithm: 'EC', curve: 'P-256' },
        validity: {
          'scheduler.conf': {
            notBefore: new Date('2020-03-01T00:00:00Z'),
            notAfter: new Date('2021-03-01T00:00:00Z'),
          },
          'admin.conf': { notBefore: addDays(NOW, -355), notAfter: addDays(NOW, 10) },
          apiserver: { notBefore: addDays(NOW, -400), notAfter: addDays(NOW, -2) },
        },
      }),
    );
    const kubeadmCa: Expected = { status: 'verified', anchor: 'CN=kubernetes', codes: [] };
    fixtures.push(
      {
        file: 'kubeadm/scheduler.conf',
        users: { 'system:kube-scheduler': { ...kubeadmCa, status: 'signed', codes: ['cert-expired'] } },
      },
      { file: 'kubeadm/admin.conf', users: { 'kubernetes-admin': kubeadmCa } },
      { file: 'kubeadm/controller-manager.conf', users: { 'system:kube-controller-manager': kubeadmCa } },
    );

    const valid = { notBefore: addDays(NOW, -30), notAfter: addDays(NOW, 300) };
    const ca = await makeCa({
      cn: 'kubernetes',
      notBefore: addDays(NOW, -365),
      notAfter: addDays(NOW, 3000),
    });
    const other = await makeCa({ cn: 'other-ca', ...valid });
    const regenerated = await makeRegeneratedCa(ca, {
      notBefore: addDays(NOW, -1),
      notAfter: addDays(NOW, 3000),
    });
    const oldCa = await makeCa({
      cn: 'kubernetes-2016',
      notBefore: addDays(NOW, -3650),
      notAfter: addDays(NOW, -10),
    });
    const root = await makeCa({ cn: 'root-ca', notBefore: addDays(NOW, -365), notAfter: addDays(NOW, 3000) });
    const intermediate = await makeIntermediate({ cn: 'intermediate-ca', issuer: root, ...valid });
    const expiredIntermediate = await makeIntermediate({
      cn: 'expired-intermediate',
      issuer: root,
      notBefore: addDays(NOW, -400),
      notAfter: addDays(NOW, -2),
    });
    const client = (issuer: TestCert, cn: string, dates = valid) =>
      makeLeaf({ issuer, cn, eku: ['clientAuth'], ...dates });
    const users: [string, TestCert[], Expected][] = [
      ['valid', [await client(ca, 'valid')], { status: 'verified', anchor: 'CN=kubernetes', codes: [] }],
      [
        'expired',
        [await client(ca, 'expired', { notBefore: addDays(NOW, -400), notAfter: addDays(NOW, -40) })],
        { status: 'signed', anchor: 'CN=kubernetes', codes: ['cert-expired'] },
      ],
      [
        'expiring',
        [await client(ca, 'expiring', { notBefore: addDays(NOW, -300), notAfter: addDays(NOW, 5) })],
        { status: 'verified', anchor: 'CN=kubernetes', codes: [] },
      ],
      [
        'not-yet-valid',
        [await client(ca, 'future', { notBefore: addDays(NOW, 2), notAfter: addDays(NOW, 300) })],
        { status: 'signed', anchor: 'CN=kubernetes', codes: ['cert-not-yet-valid'] },
      ],
      [
        'mis-signed',
        [await client(other, 'mis-signed')],
        { status: 'not-signed', codes: ['not-signed-by-ca'] },
      ],
      [
        'regenerated',
        [await client(regenerated, 'regenerated')],
        { status: 'not-signed', codes: ['bad-signature'] },
      ],
    ];
    const chainUsers: [string, TestCert[], Expected][] = [
      [
        'via-intermediate',
        [await client(intermediate, 'via-intermediate'), intermediate],
        { status: 'verified', anchor: 'CN=root-ca', codes: [] },
      ],
      [
        'intermediate-missing',
        [await client(intermediate, 'intermediate-missing')],
        { status: 'not-signed', codes: ['not-signed-by-ca'] },
      ],
      [
        'intermediate-expired',
        [await client(expiredIntermediate, 'intermediate-expired'), expiredIntermediate],
        { status: 'signed', anchor: 'CN=root-ca', codes: ['cert-expired'] },
      ],
    ];
    // Signed by an intermediate that no chain leads on from to this cluster's CA.
    users.push([
      'foreign-chain',
      [await client(intermediate, 'foreign-chain'), intermediate],
      { status: 'not-signed', issuedBy: 'CN=intermediate-ca', codes: ['not-signed-by-ca'] },
    ]);
    const rotationUsers: [string, TestCert[], Expected][] = [
      ['by-new', [await client(ca, 'by-new')], { status: 'verified', anchor: 'CN=kubernetes', codes: [] }],
      [
        'by-old',
        [await client(oldCa, 'by-old', { notBefore: addDays(NOW, -400), notAfter: addDays(NOW, 100) })],
        { status: 'signed', anchor: 'CN=kubernetes-2016', codes: ['cert-expired'] },
      ],
    ];
    const write = (file: string, caPem: string, list: [string, TestCert[], Expected][]): void => {
      writeFileSync(
        join(dir, file),
        kubeconfigYaml({
          clusters: [{ name: 'c', caData: base64Data(caPem) }],
          users: list.map(([name, certs]) => ({
            name,
            certData: base64Data(bundle(...certs)),
            keyData: base64Data(certs[0].keyPem),
          })),
          contexts: list.map(([name]) => ({ name: `ctx-${name}`, cluster: 'c', user: name })),
          currentContext: `ctx-${list[0][0]}`,
        }),
      );
      fixtures.push({ file, users: Object.fromEntries(list.map(([name, , expected]) => [name, expected])) });
    };
    write('users.conf', ca.certPem, users);
    write('chains.conf', root.certPem, chainUsers);
    write('rotation.conf', bundle(oldCa, ca), rotationUsers);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the PKI tooltip says what the CLI says about each kubeadm certificate and kubeconfig', async () => {
    const kubeadmDir = join(dir, 'kubeadm');
    const json = JSON.parse(
      (await cli(['audit', 'kubeadm', '--format', 'json', '--now', NOW.toISOString()], dir)).stdout,
    ) as { certificates: JsonCertificate[] };
    const inventory = await new PkiScanner(await openPkiFolder(kubeadmDir)).scan({ now: NOW, warnDays: 30 });
    const seen: string[] = [];
    for (const item of inventory.items.values()) {
      const headline = pkiItemHeadline(item);
      if (!headline || !item.certificate) continue;
      const cert = json.certificates.find(
        (c) => c.sha256Fingerprint === item.certificate!.sha256Fingerprint && c.chains.length === 1,
      );
      assert.ok(cert, item.name);
      const chain = cert.chains[0];
      assert.deepEqual(
        { status: headline.status, codes: headline.codes },
        { status: chain.status, codes: [...new Set(chain.problems.map((p) => p.code))] },
        item.name,
      );
      const ca = [...inventory.items.values()].find((i) => i.absolutePath === item.checkedWith?.path);
      assert.equal(ca?.certificate?.subject.display, chain.anchor?.subject, item.name);
      seen.push(`${item.name}:${headline.status}`);
    }
    for (const expected of [
      'apiserver:signed',
      'scheduler.conf:signed',
      'admin.conf:verified',
      'etcd-server:verified',
    ])
      assert.ok(seen.includes(expected), `${expected} in ${seen.join(', ')}`);
  });

  /** What the hover shows on each certificate field of a user, built as hoverProvider builds it. */
  async function hovers(
    file: string,
  ): Promise<Map<string, { report: CertificateReport; md: string; findings: Finding[] }>> {
    const path = join(dir, file);
    const { readFileSync } = await import('node:fs');
    const model = mergeKubeconfigs([parseKubeconfig(readFileSync(path, 'utf8'), path)]);
    const extraAnchors = await kubeadmAnchors([path]);
    const out = new Map<string, { report: CertificateReport; md: string; findings: Finding[] }>();
    for (const user of model.users.values()) {
      const entry = analyzeEntry(model, user, { now: NOW, extraAnchors });
      const reports = entry.certificates.filter((r) => r.field === 'client-certificate-data');
      const leaf = reports[0];
      const findings = entry.findings.filter(
        (f) =>
          f.file === leaf.file &&
          f.span.start < leaf.span.end &&
          f.span.end > leaf.span.start &&
          f.certificate?.sha256 === leaf.certificate.sha256Fingerprint,
      );
      out.set(user.name, {
        report: leaf,
        md: certificateMarkdown(leaf, reports.length, findings, NOW, englishHover),
        findings,
      });
    }
    return out;
  }

  it('every fixture: hover, table, JSON and SARIF agree, and match what Go says', async () => {
    let checked = 0;
    for (const fixture of fixtures) {
      const args = [fixture.file, '--now', NOW.toISOString()];
      const table = (await cli(['audit', ...args], dir)).stdout;
      const json = JSON.parse((await cli(['audit', ...args, '--format', 'json'], dir)).stdout) as {
        findings: JsonFinding[];
        certificates: JsonCertificate[];
      };
      const sarif = JSON.parse((await cli(['audit', ...args, '--format', 'sarif'], dir)).stdout);
      const results: {
        ruleId: string;
        locations: {
          physicalLocation: {
            artifactLocation: { uri: string };
            region: { startLine: number; startColumn: number };
          };
        }[];
        properties?: {
          certificate?: { sha256: string };
          chains?: { status: string; anchor?: string; codes: string[] }[];
        };
      }[] = sarif.runs[0].results;
      const hover = await hovers(fixture.file);

      for (const [user, expected] of Object.entries(fixture.users)) {
        const where = `${fixture.file} user ${user}`;
        const cert = json.certificates.find((c) => c.user === user && c.field === 'client-certificate-data');
        assert.ok(cert, where);
        assert.equal(cert.chains.length, 1, where);
        const chain = cert.chains[0];
        // JSON against Go's expected verdict.
        assert.deepEqual(
          {
            status: chain.status,
            anchor: chain.anchor?.subject,
            codes: [...new Set(chain.problems.map((p) => p.code))],
          },
          { status: expected.status, anchor: expected.anchor, codes: expected.codes },
          where,
        );
        assert.equal(chain.verified, expected.status === 'verified', where);
        if (expected.issuedBy) assert.equal(chain.signedBy?.subject, expected.issuedBy, where);

        // Hover: the same verdict lines as the JSON verdict renders to, and the CA named in them.
        const h = hover.get(user)!;
        const lines = verdictLines(headlineOf(chain), englishHover);
        assert.deepEqual(verdictLines(headlineOf(h.report.chains[0]), englishHover), lines, where);
        for (const line of lines) assert.ok(h.md.includes(line), `${where}: hover lacks ${line}`);
        if (expected.anchor) assert.match(lines[0], /Signed by/, where);
        else assert.match(lines[0], /Not signed by the CA it is paired with/, where);
        assert.equal(/Not signed/.test(h.md), expected.status === 'not-signed', where);

        // Table: the certificate's line carries the same verdict.
        const tableLine = table.split('\n').find((l) => l.startsWith(`  ${cert.subject}  `));
        assert.ok(tableLine, `${where}: no table line`);
        assert.ok(tableLine.includes(verdictText(headlineOf(chain), false)), `${where}: ${tableLine}`);
        assert.ok(
          tableLine.includes(expected.anchor ? `signed by ${expected.anchor}` : 'NOT signed by'),
          tableLine,
        );
        if (expected.issuedBy) {
          assert.ok(tableLine.includes(`issued by ${expected.issuedBy}`), tableLine);
          assert.ok(lines[0].includes(`issued by \`${expected.issuedBy}\``), lines[0]);
        }

        // Findings about this certificate: the same codes in the hover, JSON, SARIF and table.
        const line = cert.range.start.line;
        const jsonCodes = json.findings
          .filter((f) => f.certificate?.sha256 === cert.sha256Fingerprint && f.range.start.line === line)
          .map((f) => f.code)
          .sort();
        assert.deepEqual(h.findings.map((f) => f.code).sort(), jsonCodes, `${where}: hover findings`);
        const sarifHere = results.filter(
          (r) =>
            r.properties?.certificate?.sha256 === cert.sha256Fingerprint &&
            r.locations[0].physicalLocation.region.startLine === line + 1,
        );
        assert.deepEqual(sarifHere.map((r) => r.ruleId).sort(), jsonCodes, `${where}: SARIF results`);
        for (const r of sarifHere)
          assert.deepEqual(r.properties?.chains, [
            {
              context: chain.context,
              cluster: chain.cluster,
              status: chain.status,
              ...(chain.anchor ? { anchor: chain.anchor.subject } : {}),
              codes: expected.codes,
            },
          ]);
        for (const code of jsonCodes)
          assert.match(
            table,
            new RegExp(`${code}\\s+${fixture.file.replace(/[./]/g, '\\$&')}:${line + 1}:`),
            `${where}: table row ${code}`,
          );
        // Every code of the verdict is a finding: on this certificate, or on the certificate it is about.
        for (const p of chain.problems)
          assert.ok(
            json.findings.some(
              (f) =>
                f.code === p.code &&
                [cert.sha256Fingerprint, p.certificate.sha256].includes(f.certificate?.sha256 ?? ''),
            ),
            `${where}: no finding for ${p.code}`,
          );
        checked++;
      }
    }
    assert.equal(
      checked,
      fixtures.reduce((n, f) => n + Object.keys(f.users).length, 0),
    );
    assert.ok(checked >= 14, String(checked));
  });
});
