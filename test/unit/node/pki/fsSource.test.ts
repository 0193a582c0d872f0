import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pkiAuditFindings } from '../../../../src/node/pki/audit';
import { FsPkiTreeSource, folderLooksLikePki, openPkiFolder } from '../../../../src/node/pki/fsSource';
import { removeTree, writePkiVariant } from '../../../fixtures/pkiVariants';

describe('FsPkiTreeSource', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach(removeTree));

  it('maps a config dir as is, and a separate cert dir under pki/', async () => {
    const config = mkdtempSync(join(tmpdir(), 'kubecerts-src-'));
    const certs = mkdtempSync(join(tmpdir(), 'kubecerts-src-'));
    dirs.push(config, certs);
    writeFileSync(join(config, 'admin.conf'), 'x', { mode: 0o600 });
    mkdirSync(join(config, 'pki'));
    writeFileSync(join(config, 'pki/ignored.crt'), 'x');
    writeFileSync(join(certs, 'ca.crt'), 'x');
    chmodSync(join(certs, 'ca.crt'), 0o644);
    const source = new FsPkiTreeSource({ configDir: config, certDir: certs });
    const listed = (await source.list()).map((s) => [s.path, s.type]);
    assert.deepEqual(listed, [
      ['', 'directory'],
      ['admin.conf', 'file'],
      ['pki', 'directory'],
      ['pki/ca.crt', 'file'],
    ]);
    assert.equal((await source.stat('pki/ca.crt'))?.mode, 0o644);
    assert.equal(source.absolutePath('pki/ca.crt'), join(certs, 'ca.crt'));
    assert.equal(source.logicalPath(join(certs, 'ca.crt')), 'pki/ca.crt');
    assert.equal(source.logicalPath(join(config, 'admin.conf')), 'admin.conf');
    assert.equal(source.logicalPath('/elsewhere/x'), undefined);
    assert.equal(await source.stat('pki/nope.crt'), undefined);
  });

  it('mounts a bare cert dir as pki/, follows file symlinks, and reads files outside the root', async () => {
    const certs = mkdtempSync(join(tmpdir(), 'kubecerts-src-'));
    dirs.push(certs);
    writeFileSync(join(certs, 'ca.crt'), 'ca');
    writeFileSync(join(certs, 'real.pem'), 'pem');
    symlinkSync(join(certs, 'real.pem'), join(certs, 'current.pem'));
    const source = await openPkiFolder(certs);
    assert.equal(source.hasConfigDir, false);
    assert.ok((await source.list()).some((s) => s.path === 'pki/current.pem' && s.type === 'file'));
    assert.equal(new TextDecoder().decode(await source.readExternal(join(certs, 'real.pem'))), 'pem');
    assert.equal(await source.readExternal(join(certs, 'none')), undefined);
  });

  it('gives the audit the PKI findings of a folder, and nothing for a folder that is no PKI', async () => {
    const { root } = await writePkiVariant('missing-file', new Date());
    dirs.push(root);
    assert.ok(await folderLooksLikePki(root));
    const result = await pkiAuditFindings(root, { now: new Date(), warnDays: 30 });
    assert.ok(result?.findings.some((f) => f.code === 'pki-missing'));
    assert.ok(!result?.findings.some((f) => f.code === 'system-masters'), 'left to the kubeconfig audit');
    assert.ok(result?.texts.has(join(root, 'manifests/kube-apiserver.yaml')));
    const empty = mkdtempSync(join(tmpdir(), 'kubecerts-src-'));
    dirs.push(empty);
    assert.equal(await pkiAuditFindings(empty, { now: new Date(), warnDays: 30 }), undefined);
  });
});
