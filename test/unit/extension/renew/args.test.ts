import { strict as assert } from 'node:assert';
import { renewAllArgs, renewCertArgs, renewCommandLink } from '../../../../src/extension/renew/args';

describe('renew command arguments', () => {
  it('reads every way the command is invoked', () => {
    assert.deepEqual(renewCertArgs(undefined), {});
    assert.deepEqual(renewCertArgs({ scheme: 'file', fsPath: '/etc/kubernetes/admin.conf' }), {
      file: '/etc/kubernetes/admin.conf',
    });
    assert.deepEqual(renewCertArgs({ scheme: 'untitled', fsPath: 'Untitled-1' }), {});
    const pkiNode = {
      kind: 'item',
      item: { absolutePath: '/etc/kubernetes/pki/apiserver.crt', kind: 'cert' },
    };
    assert.deepEqual(renewCertArgs(pkiNode), { file: '/etc/kubernetes/pki/apiserver.crt' });
    assert.deepEqual(renewCertArgs({ file: '/k/config', offset: 120, method: 'csr', confirmed: true }), {
      file: '/k/config',
      offset: 120,
      method: 'csr',
      confirmed: true,
    });
    assert.deepEqual(renewCertArgs({ file: '/k/config', offset: -1, method: 'other', confirmed: 'yes' }), {
      file: '/k/config',
    });
    assert.deepEqual(renewAllArgs({ kind: 'root', folder: '/etc/kubernetes' }), {
      configDir: '/etc/kubernetes',
    });
    assert.deepEqual(renewAllArgs({ configDir: '/x', confirmed: true }), {
      configDir: '/x',
      confirmed: true,
    });
  });

  it('builds hover links that round-trip', () => {
    const link = renewCommandLink('/k/my config', 42);
    assert.match(link, /^command:kubecerts\.renewCert\?/);
    const [args] = JSON.parse(decodeURIComponent(link.slice(link.indexOf('?') + 1))) as unknown[];
    assert.deepEqual(renewCertArgs(args), { file: '/k/my config', offset: 42 });
  });
});
