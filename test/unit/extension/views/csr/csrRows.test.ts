// CSR rows at the side bar's default width: the verdict comes first and stays a few words, in
// English and in zh-cn; state, counts and details go to the icon, badge and tooltip.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Csr } from '../../../../../src/core/csr/model';
import { CSR_RISK_CATALOG, CSR_RISK_CODES } from '../../../../../src/core/csr/riskCatalog';
import { englishTemplate } from '../../../../../src/core/findings/finding';
import { csrRow } from '../../../../../src/extension/views/csr/csrRows';

const english = { t: englishTemplate };
const zh = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../../../l10n/bundle.l10n.zh-cn.json'), 'utf8'),
) as Record<string, string>;

const csr: Csr = {
  metadata: { name: 'a-rather-long-name-for-a-request', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: { request: '', signerName: 'kubernetes.io/kubelet-serving', username: 'system:node:node-1' },
};
const now = new Date('2025-01-01T00:05:30Z');

describe('CSR rows', () => {
  it('keeps every risk verdict to a few words (English and zh-cn)', () => {
    for (const code of CSR_RISK_CODES) {
      const label = CSR_RISK_CATALOG[code].label;
      assert.ok(label.length <= 20, `${code}: "${label}" is too long for a 300 px side bar`);
      assert.ok((zh[label] ?? '').length <= 10, `${code}: zh-cn "${zh[label]}"`);
    }
  });

  it('says reviewing, then the worst risk (+ how many more of that severity), then kubectl AGE', () => {
    assert.deepEqual(csrRow({ csr }, now, english), {
      description: 'reviewing… · 5m30s',
      icon: ['loading~spin'],
      contextValue: 'csr-pending',
    });
    const review = {
      findings: [
        { code: 'weak-signature', severity: 'warning', params: { algorithm: 'SHA-1' } },
        { code: 'privileged-group', severity: 'error', params: { group: 'system:masters' } },
        { code: 'weak-key', severity: 'error', params: { algorithm: 'RSA', bits: 1024, minimum: 2048 } },
      ],
    } as const;
    const risky = csrRow({ csr, review }, now, english);
    assert.equal(risky.description, 'privileged group +1 · 5m30s');
    assert.deepEqual(risky.icon, ['error', 'problemsErrorIcon.foreground']);
    const warned = csrRow({ csr, review: { findings: [review.findings[0]] } }, now, english);
    assert.equal(warned.description, 'weak signature · 5m30s');
    assert.deepEqual(warned.icon, ['warning', 'problemsWarningIcon.foreground']);
    const info = {
      findings: [{ code: 'pending-near-gc', severity: 'info', params: { age: '23h' } }],
    } as const;
    assert.equal(csrRow({ csr, review: info }, now, english).description, 'no risk found · 5m30s');
  });

  it('says the outcome of a decision', () => {
    const withConditions = (types: string[], certificate?: string): Csr => ({
      ...csr,
      status: { conditions: types.map((type) => ({ type, status: 'True' })), certificate },
    });
    const verdict = (c: Csr) => csrRow({ csr: c, review: { findings: [] } }, now, english);
    assert.equal(verdict(withConditions(['Approved'], 'LS0t')).description, 'issued · 5m30s');
    assert.equal(verdict(withConditions(['Approved'])).description, 'approved, not issued yet · 5m30s');
    assert.equal(verdict(withConditions(['Denied'])).description, 'denied · 5m30s');
    assert.equal(verdict(withConditions(['Approved', 'Failed'])).description, 'signer refused · 5m30s');
    assert.equal(verdict(withConditions(['Approved'], 'LS0t')).contextValue, 'csr-issued');
  });
});
