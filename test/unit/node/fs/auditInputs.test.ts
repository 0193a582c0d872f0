// Path references read as client-go reads them: a directory is an error of its own
// (kubectl 1.32: "read /etc/kubernetes/pki: is a directory"), a missing file another.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeKubeconfig } from '../../../../src/core/audit/kubeconfig';
import { DIRECTORY } from '../../../../src/core/kubeconfig/material';
import { mergeKubeconfigs } from '../../../../src/core/kubeconfig/merge';
import { parseKubeconfig } from '../../../../src/core/kubeconfig/parse';
import { readReferencedFiles } from '../../../../src/node/fs/auditInputs';

describe('readReferencedFiles', () => {
  let dir: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubecerts-inputs-'));
    await fs.mkdir(path.join(dir, 'pki'));
    await fs.writeFile(path.join(dir, 'token'), 'secret\n');
  });

  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('marks a directory, a missing file and a present one apart; audits each as kubectl fails', async () => {
    const text = [
      'clusters:',
      '- name: c',
      '  cluster:',
      '    server: https://127.0.0.1:6443',
      '    certificate-authority: pki',
      'users:',
      '- name: u',
      '  user:',
      `    client-certificate: ${path.join(dir, 'nope.crt')}`,
      `    client-key: ${path.join(dir, 'pki')}/`,
      '    tokenFile: token',
      '- name: v',
      '  user:',
      '    tokenFile: pki',
      '',
    ].join('\n');
    const doc = parseKubeconfig(text, path.join(dir, 'config'));
    const files = await readReferencedFiles([{ documents: [doc] }]);
    assert.equal(files.get(path.join(dir, 'pki')), DIRECTORY);
    assert.equal(files.get(path.join(dir, 'nope.crt')), null);
    assert.ok(files.get(path.join(dir, 'token')) instanceof Uint8Array);
    const audit = analyzeKubeconfig(mergeKubeconfigs([doc]), { now: new Date(), files });
    const found = audit.findings
      .filter((f) => f.code === 'path-is-directory' || f.code === 'file-not-found')
      .map((f) => [f.code, f.params.field, f.cluster ?? f.user])
      .sort();
    assert.deepEqual(found, [
      ['file-not-found', 'client-certificate', 'u'],
      ['path-is-directory', 'certificate-authority', 'c'],
      ['path-is-directory', 'client-key', 'u'],
      ['path-is-directory', 'tokenFile', 'v'],
    ]);
  });
});
