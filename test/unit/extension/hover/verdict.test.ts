// Issue 13, defect 1: a kubeadm scheduler.conf whose client certificate expired in 2021 while the
// CA is valid. The CA did sign it: every surface must say "signed by CN=kubernetes" and, apart,
// that the chain is not valid now (cert-expired). "Not signed" only when no signature verifies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeEntry } from '../../../../src/core/audit/kubeconfig';
import { mergeKubeconfigs } from '../../../../src/core/kubeconfig/merge';
import { parseKubeconfig } from '../../../../src/core/kubeconfig/parse';
import { generateKubeadmPki } from '../../../../src/core/pki/generate';
import { headlineOf } from '../../../../src/core/verdict/chainVerdict';
import { certificateMarkdown, verdictLines } from '../../../../src/extension/hover/markdown';
import { writeTree } from '../../../fixtures/kubeadm';
import { cli, englishHover, zhCnHover } from './helpers';

const NOW = new Date('2026-12-02T12:00:00Z');

describe('hover verdict of an expired certificate its CA signed (issue 13 #1)', () => {
  let dir: string;
  let text: string;

  before(async () => {
    const tree = await generateKubeadmPki({
      now: NOW,
      key: { algorithm: 'EC', curve: 'P-256' },
      validity: {
        'scheduler.conf': {
          notBefore: new Date('2020-03-01T00:00:00Z'),
          notAfter: new Date('2021-03-01T00:00:00Z'),
        },
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-verdict-'));
    writeTree(dir, tree);
    text = tree.get('scheduler.conf')!.contents;
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  function hover(hoverText = englishHover) {
    const model = mergeKubeconfigs([parseKubeconfig(text, join(dir, 'scheduler.conf'))]);
    const user = [...model.users.values()][0];
    const entry = analyzeEntry(model, user, { now: NOW });
    const report = entry.certificates.find((c) => c.field === 'client-certificate-data')!;
    const findings = entry.findings.filter(
      (f) => f.certificate?.sha256 === report.certificate.sha256Fingerprint,
    );
    return { report, md: certificateMarkdown(report, 1, findings, NOW, hoverText) };
  }

  it('says who signed it and, apart, that it is not valid now', () => {
    const { report, md } = hover();
    assert.equal(report.chains.length, 1);
    assert.deepEqual(verdictLines(headlineOf(report.chains[0]), englishHover), [
      "$(pass) Signed by cluster's CA `CN=kubernetes` (context system:kube\\-scheduler@kubernetes)",
      '$(error) **Not valid now**: `cert-expired`',
    ]);
    assert.doesNotMatch(md, /Not signed/);
    assert.match(md, /expired 5 years ago/);
    assert.match(md, /Certificate CN=system:kube\\-scheduler expired on 2021\\-03\\-01T00:00:00Z/);
  });

  it('says the same in Chinese', () => {
    const { md } = hover(zhCnHover);
    assert.match(md, /由集群 CA `CN=kubernetes` 签发/);
    assert.match(md, /当前无效/);
    assert.doesNotMatch(md, /并非由与其配对的 CA 签发/);
  });

  it('agrees with the CLI table and JSON', async () => {
    const table = await cli(['audit', 'scheduler.conf', '--now', NOW.toISOString()], dir);
    assert.equal(table.code, 1);
    assert.match(table.stdout, /signed by CN=kubernetes, not valid now \(cert-expired\)/);
    const json = JSON.parse(
      (await cli(['audit', 'scheduler.conf', '--format', 'json', '--now', NOW.toISOString()], dir)).stdout,
    );
    const chain = json.certificates.find((c: { field: string }) => c.field === 'client-certificate-data')
      .chains[0];
    assert.equal(chain.verified, false);
    assert.equal(chain.status, 'signed');
    assert.equal(chain.anchor.subject, 'CN=kubernetes');
    assert.equal(chain.signedBy.subject, 'CN=kubernetes');
    assert.deepEqual(
      chain.problems.map((p: { code: string }) => p.code),
      ['cert-expired'],
    );
    const zh = await cli(['audit', 'scheduler.conf', '--now', NOW.toISOString()], dir, 'zh_CN.UTF-8');
    assert.match(zh.stdout, /由 CN=kubernetes 签发，当前无效（cert-expired）/);
  });
});
