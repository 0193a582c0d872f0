import { strict as assert } from 'node:assert';
import { createPublicKey } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { englishTemplate } from '../../../../src/core/findings/finding';
import { KUBEADM_CERTS, certPath, keyPath } from '../../../../src/core/pki/catalog';
import type { GeneratedTree } from '../../../../src/core/pki/generate';
import { backedUpFileName } from '../../../../src/core/renew/backup';
import { renderRefusal, renderWarning } from '../../../../src/core/renew/messages';
import { decodeFileContent } from '../../../../src/core/x509/decode';
import type { Certificate } from '../../../../src/core/x509/model';
import type { WriteStepEvent } from '../../../../src/node/renew/files';
import { renewKubeadm, type KubeadmRenewal } from '../../../../src/node/renew/kubeadm';
import { opensslVerifyEntry, removeTree, writeKubeadmTree } from '../../../fixtures/kubeadm';
import { embeddedCredentials } from '../../../fixtures/kubeconfig';

const GENERATED = new Date('2025-02-01T12:00:00Z');
const NOW = new Date('2026-03-01T12:00:00Z'); // every leaf generated a year before has expired
const YEAR_MS = 8760 * 3600 * 1000;
const EC = { algorithm: 'EC', curve: 'P-256' } as const;

function certOf(pem: string | Uint8Array): Certificate {
  const cert = decodeFileContent(typeof pem === 'string' ? Buffer.from(pem) : pem).certificates[0]?.cert;
  assert.ok(cert, 'a certificate');
  return cert;
}

function spkiOfKey(keyPem: string): string {
  return createPublicKey(keyPem).export({ format: 'der', type: 'spki' }).toString('hex');
}

function renewed(results: KubeadmRenewal[], name: string) {
  const result = results.find((r) => r.name === name);
  assert.ok(
    result && result.outcome === 'renewed',
    `${name} renewed: ${JSON.stringify(result && 'refusal' in result ? result.refusal : result?.outcome)}`,
  );
  return result;
}

function backupsOf(file: string): string[] {
  return readdirSync(dirname(file))
    .filter((name) => backedUpFileName(name) === basename(file))
    .map((name) => join(dirname(file), name));
}

describe('renewKubeadm', function () {
  this.timeout(120_000);
  let pristine = '';
  let tree: GeneratedTree;
  const scratch: string[] = [];

  /** A fresh copy of the generated tree (modes kept), removed after the suite. */
  function copyTree(): string {
    const dir = mkdtempSync(join(tmpdir(), 'kubecerts-renew-'));
    cpSync(pristine, dir, { recursive: true, preserveTimestamps: true });
    for (const [relative, file] of tree) chmodSync(join(dir, relative), file.mode);
    scratch.push(dir);
    return dir;
  }

  before(async () => {
    ({ root: pristine, tree } = await writeKubeadmTree({ now: GENERATED, key: EC }));
  });
  after(() => {
    removeTree(pristine);
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  describe('renew all on an expired tree', () => {
    let root = '';
    let results: KubeadmRenewal[] = [];
    const HAND_EDITED_PREFIX = '# admin kubeconfig, copied to ~/.kube/config by hand\n';

    before(async () => {
      root = copyTree();
      chmodSync(join(root, 'pki/apiserver.crt'), 0o640);
      writeFileSync(
        join(root, 'admin.conf'),
        HAND_EDITED_PREFIX + readFileSync(join(root, 'admin.conf'), 'utf8'),
      );
      results = await renewKubeadm(['all'], { configDir: root, now: NOW });
    });

    it('renews every certificate keeping subject, SANs and usages; new validity; new matching key', () => {
      for (const entry of KUBEADM_CERTS) {
        renewed(results, entry.name);
        const old = certOf(tree.get(certPath(entry.baseName))!.contents);
        const next = certOf(readFileSync(join(root, certPath(entry.baseName))));
        assert.equal(next.subject.derHex, old.subject.derHex, `${entry.name} subject`);
        assert.equal(next.subject.display, old.subject.display, `${entry.name} subject`);
        assert.deepEqual(next.sans, old.sans, `${entry.name} SANs`);
        assert.deepEqual(next.keyUsage, old.keyUsage, `${entry.name} key usage`);
        assert.deepEqual(next.extKeyUsage, old.extKeyUsage, `${entry.name} extended key usage`);
        assert.deepEqual(next.basicConstraints, old.basicConstraints, `${entry.name} basic constraints`);
        assert.equal(next.issuer.derHex, old.issuer.derHex, `${entry.name} issuer`);
        assert.equal(next.notAfter.getTime(), NOW.getTime() + YEAR_MS, `${entry.name} notAfter`);
        assert.ok(next.notBefore.getTime() <= NOW.getTime(), `${entry.name} notBefore`);
        assert.notEqual(next.serialHex, old.serialHex);
        assert.equal(next.publicKey.curve, 'P-256');

        const keyPem = readFileSync(join(root, keyPath(entry.baseName)), 'utf8');
        assert.notEqual(keyPem, tree.get(keyPath(entry.baseName))!.contents, `${entry.name} has a new key`);
        assert.equal(
          spkiOfKey(keyPem),
          Buffer.from(next.publicKey.spkiDer).toString('hex'),
          `${entry.name} key matches`,
        );
        assert.match(keyPem, /BEGIN EC PRIVATE KEY/, 'the key keeps its SEC1 format');
      }
    });

    it('verifies each renewed certificate with openssl at the renewal instant', () => {
      for (const entry of KUBEADM_CERTS)
        assert.match(opensslVerifyEntry(root, entry, NOW), /: OK/, entry.name);
    });

    it('keeps a backup of every old file with its mode, and keeps the modes of the live files', () => {
      for (const entry of KUBEADM_CERTS) {
        for (const rel of [certPath(entry.baseName), keyPath(entry.baseName)]) {
          const live = join(root, rel);
          const backups = backupsOf(live);
          assert.equal(backups.length, 1, `one backup of ${rel}`);
          assert.equal(
            readFileSync(backups[0]!, 'utf8'),
            tree.get(rel)!.contents,
            `backup of ${rel} is the old file`,
          );
          const expectedMode = rel === 'pki/apiserver.crt' ? 0o640 : tree.get(rel)!.mode;
          assert.equal(statSync(live).mode & 0o777, expectedMode, `${rel} mode`);
          assert.equal(statSync(backups[0]!).mode & 0o777, expectedMode, `${rel} backup mode`);
        }
      }
    });

    it('re-embeds the kubeconfigs, changing only the two credential lines, comments intact', () => {
      for (const name of ['admin.conf', 'super-admin.conf', 'controller-manager.conf', 'scheduler.conf']) {
        renewed(results, name);
        const before = (name === 'admin.conf' ? HAND_EDITED_PREFIX : '') + tree.get(name)!.contents;
        const after = readFileSync(join(root, name), 'utf8');
        const a = before.split('\n');
        const b = after.split('\n');
        assert.equal(a.length, b.length);
        const changed = a.flatMap((line, i) => (line === b[i] ? [] : [line.trim().split(':')[0]]));
        assert.deepEqual(changed, ['client-certificate-data', 'client-key-data'], name);
        if (name === 'admin.conf') assert.ok(after.startsWith(HAND_EDITED_PREFIX));

        const old = embeddedCredentials(before).cert;
        const { cert, keyPem } = embeddedCredentials(after);
        assert.equal(cert.subject.derHex, old.subject.derHex);
        assert.deepEqual(cert.extKeyUsage, old.extKeyUsage);
        assert.equal(spkiOfKey(keyPem), Buffer.from(cert.publicKey.spkiDer).toString('hex'));
        assert.equal(cert.notAfter.getTime(), NOW.getTime() + YEAR_MS);
        assert.equal(statSync(join(root, name)).mode & 0o777, 0o600);
        assert.equal(backupsOf(join(root, name)).length, 1);
      }
    });

    it('never touches kubelet.conf or the CAs, and names the pods to restart', () => {
      assert.equal(
        results.find((r) => r.name === 'kubelet.conf'),
        undefined,
        'renew all skips kubelet.conf',
      );
      assert.equal(readFileSync(join(root, 'kubelet.conf'), 'utf8'), tree.get('kubelet.conf')!.contents);
      for (const ca of ['pki/ca.crt', 'pki/ca.key', 'pki/etcd/ca.crt', 'pki/front-proxy-ca.crt']) {
        assert.equal(readFileSync(join(root, ca), 'utf8'), tree.get(ca)!.contents, ca);
      }
      assert.deepEqual(renewed(results, 'apiserver').plan.restart, ['kube-apiserver']);
      assert.deepEqual(renewed(results, 'scheduler.conf').plan.restart, ['kube-scheduler']);
    });
  });

  it('refuses kubelet.conf and CAs by name, explaining why', async () => {
    const root = copyTree();
    const results = await renewKubeadm(['kubelet.conf', 'ca', 'nonsense'], { configDir: root, now: NOW });
    assert.deepEqual(
      results.map((r) => (r.outcome === 'refused' ? r.refusal.code : r.outcome)),
      ['rotated-by-kubelet', 'ca-certificate', 'unknown-name'],
    );
    const kubelet = results[0];
    assert.ok(kubelet?.outcome === 'refused');
    assert.match(renderRefusal(kubelet.refusal, englishTemplate), /kubelet rotates itself/);
    assert.equal(readFileSync(join(root, 'kubelet.conf'), 'utf8'), tree.get('kubelet.conf')!.contents);
  });

  it('refuses what an externally managed CA signed and renews the rest', async () => {
    const root = copyTree();
    rmSync(join(root, 'pki/etcd/ca.key'));
    const results = await renewKubeadm(['etcd-server', 'apiserver-etcd-client', 'front-proxy-client'], {
      configDir: root,
      now: NOW,
    });
    assert.deepEqual(
      results.map((r) => (r.outcome === 'refused' ? r.refusal.code : r.outcome)),
      ['external-ca', 'external-ca', 'renewed'],
    );
    assert.equal(
      readFileSync(join(root, 'pki/etcd/server.crt'), 'utf8'),
      tree.get('pki/etcd/server.crt')!.contents,
    );
    assert.deepEqual(backupsOf(join(root, 'pki/etcd/server.crt')), []);
  });

  it('caps validity at the CA expiry, with a warning', async () => {
    const caEnd = new Date(NOW.getTime() + 40 * 24 * 3600 * 1000);
    const { root } = await writeKubeadmTree({
      now: GENERATED,
      key: EC,
      validity: { 'front-proxy-ca': { notBefore: GENERATED, notAfter: caEnd } },
    });
    scratch.push(root);
    const [result] = await renewKubeadm(['front-proxy-client'], { configDir: root, now: NOW });
    assert.ok(result?.outcome === 'renewed');
    assert.equal(result.renewed.notAfter.getTime(), caEnd.getTime());
    assert.equal(
      certOf(readFileSync(join(root, 'pki/front-proxy-client.crt'))).notAfter.getTime(),
      caEnd.getTime(),
    );
    assert.deepEqual(
      result.plan.warnings.map((w) => w.code),
      ['capped-by-ca'],
    );
    assert.match(
      renderWarning(result.plan.warnings[0]!, englishTemplate),
      /front-proxy-ca CA expires on 2026-04-10T12:00:00Z/,
    );
  });

  it('writes nothing on a dry run', async () => {
    const root = copyTree();
    const results = await renewKubeadm(['all'], { configDir: root, now: NOW, dryRun: true });
    assert.ok(results.every((r) => r.outcome === 'planned'));
    for (const [relative, file] of tree)
      assert.equal(readFileSync(join(root, relative), 'utf8'), file.contents, relative);
    assert.deepEqual(
      readdirSync(join(root, 'pki')).filter((n) => n.endsWith('.bak')),
      [],
    );
  });

  it('honours a separate --cert-dir', async () => {
    const root = copyTree();
    const certDir = join(root, 'elsewhere');
    cpSync(join(root, 'pki'), certDir, { recursive: true });
    rmSync(join(root, 'pki'), { recursive: true });
    const [result] = await renewKubeadm(['apiserver'], { configDir: root, certDir, now: NOW });
    assert.ok(result?.outcome === 'renewed');
    assert.equal(
      certOf(readFileSync(join(certDir, 'apiserver.crt'))).notAfter.getTime(),
      NOW.getTime() + YEAR_MS,
    );
  });

  describe('killed at each step', () => {
    class Crash extends Error {}

    async function stepsOf(name: string): Promise<WriteStepEvent[]> {
      const events: WriteStepEvent[] = [];
      await renewKubeadm([name], { configDir: copyTree(), now: NOW, onStep: (e) => void events.push(e) });
      return events;
    }

    /** Each file is the old one or a complete new one; a second run then leaves a matching pair. */
    async function crashAndRecover(
      name: string,
      files: readonly string[],
      check: (root: string, rel: string) => void,
    ) {
      const steps = await stepsOf(name);
      assert.ok(steps.length >= 10, `${name}: ${steps.length} steps`);
      for (let i = 0; i < steps.length; i++) {
        const root = copyTree();
        let seen = 0;
        await assert.rejects(
          renewKubeadm([name], {
            configDir: root,
            now: NOW,
            onStep: () => {
              if (seen++ === i) throw new Crash(`crash at ${JSON.stringify(steps[i])}`);
            },
          }),
          Crash,
        );
        for (const rel of files) {
          const content = readFileSync(join(root, rel), 'utf8');
          if (content !== tree.get(rel)!.contents) check(root, rel);
          const leftovers = readdirSync(dirname(join(root, rel))).filter((n) => n.endsWith('.tmp'));
          assert.deepEqual(leftovers, [], `no temp files after ${JSON.stringify(steps[i])}`);
        }
        const [again] = await renewKubeadm([name], { configDir: root, now: NOW });
        assert.equal(again?.outcome, 'renewed', `recovers after ${JSON.stringify(steps[i])}`);
      }
    }

    it('a certificate and its key: each file old or new, never torn', async () => {
      await crashAndRecover('apiserver', ['pki/apiserver.crt', 'pki/apiserver.key'], (root, rel) => {
        const content = readFileSync(join(root, rel), 'utf8');
        if (rel.endsWith('.crt'))
          assert.equal(certOf(content).notAfter.getTime(), NOW.getTime() + YEAR_MS, rel);
        else assert.ok(spkiOfKey(content), rel);
      });
    });

    it('a kubeconfig: old or new, never torn', async () => {
      await crashAndRecover('admin.conf', ['admin.conf'], (root, rel) => {
        const { cert, keyPem } = embeddedCredentials(readFileSync(join(root, rel), 'utf8'));
        assert.equal(spkiOfKey(keyPem), Buffer.from(cert.publicKey.spkiDer).toString('hex'));
        assert.equal(cert.notAfter.getTime(), NOW.getTime() + YEAR_MS);
      });
    });
  });

  it('re-running after a crash between key and certificate leaves a matching pair', async () => {
    const root = copyTree();
    await assert.rejects(
      renewKubeadm(['etcd-peer'], {
        configDir: root,
        now: NOW,
        onStep: (e) => {
          if (e.phase === 'replace' && e.file.endsWith('.crt') && e.step === 'temp-created')
            throw new Error('killed');
        },
      }),
    );
    const keyPem = readFileSync(join(root, 'pki/etcd/peer.key'), 'utf8');
    const cert = certOf(readFileSync(join(root, 'pki/etcd/peer.crt')));
    assert.notEqual(
      spkiOfKey(keyPem),
      Buffer.from(cert.publicKey.spkiDer).toString('hex'),
      'new key, old certificate',
    );
    await renewKubeadm(['etcd-peer'], { configDir: root, now: NOW });
    const fixedCert = certOf(readFileSync(join(root, 'pki/etcd/peer.crt')));
    assert.equal(
      spkiOfKey(readFileSync(join(root, 'pki/etcd/peer.key'), 'utf8')),
      Buffer.from(fixedCert.publicKey.spkiDer).toString('hex'),
    );
    assert.ok(existsSync(join(root, 'pki/etcd')));
  });
});
