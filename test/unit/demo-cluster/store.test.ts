import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CsrStore, TooOldResourceVersionError, type StoreEvent } from '../../../tools/demo-cluster/store';
import type { Csr } from '../../../tools/demo-cluster/types';

const NOW = new Date('2026-03-01T10:00:00Z');

function csr(name: string): Csr {
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name, uid: '', resourceVersion: '', creationTimestamp: '' },
    spec: {
      request: 'cmVx',
      signerName: 'example.com/s',
      usages: ['client auth'],
      username: 'u',
      groups: [],
    },
    status: {},
  };
}

describe('CsrStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubecerts-store-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('assigns increasing resourceVersions, uid and creation time', async () => {
    const store = await CsrStore.open(dir, { fsync: false });
    const a = await store.create(csr('a'), NOW);
    const b = await store.create(csr('b'), NOW);
    assert.equal(a.metadata.resourceVersion, '1');
    assert.equal(b.metadata.resourceVersion, '2');
    assert.match(a.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.equal(a.metadata.creationTimestamp, '2026-03-01T10:00:00Z');
    await assert.rejects(store.create(csr('a'), NOW), { reason: 'AlreadyExists', code: 409 });
  });

  it('refuses a stale update with 409 and skips no-op updates', async () => {
    const store = await CsrStore.open(dir, { fsync: false });
    const a = await store.create(csr('a'), NOW);
    const updated = await store.update('a', a.metadata.resourceVersion, (c) => ({
      ...c,
      metadata: { ...c.metadata, labels: { x: 'y' } },
    }));
    assert.equal(updated.metadata.resourceVersion, '2');
    await assert.rejects(
      store.update('a', a.metadata.resourceVersion, (c) => c),
      (err: { reason: string; message: string }) =>
        err.reason === 'Conflict' && /the object has been modified/.test(err.message),
    );
    const same = await store.update('a', undefined, (c) => c);
    assert.equal(same.metadata.resourceVersion, '2');
    await assert.rejects(
      store.update('zzz', undefined, (c) => c),
      { reason: 'NotFound' },
    );
  });

  it('lists in name order and reloads everything after a restart, never reusing a resourceVersion', async () => {
    const store = await CsrStore.open(dir);
    for (const name of ['c', 'a', 'b']) await store.create(csr(name), NOW);
    await store.delete('c');
    assert.deepEqual(
      store.list().map((c) => c.metadata.name),
      ['a', 'b'],
    );
    const reopened = await CsrStore.open(dir);
    assert.deepEqual(reopened.list(), store.list());
    assert.equal(reopened.resourceVersion, 4, 'the delete bumped the revision, and it was kept');
    const d = await reopened.create(csr('d'), NOW);
    assert.equal(d.metadata.resourceVersion, '5');
  });

  it('ignores the temp file of an interrupted write', async () => {
    const store = await CsrStore.open(dir);
    await store.create(csr('a'), NOW);
    await fs.writeFile(path.join(dir, 'certificatesigningrequests', '.a.json.123.tmp'), '{"half');
    assert.equal((await CsrStore.open(dir)).size, 1);
  });

  it('watch replays history after a resourceVersion, then follows; older than the history is Gone', async () => {
    const store = await CsrStore.open(dir, { fsync: false });
    await store.create(csr('a'), NOW);
    await store.create(csr('b'), NOW);
    const seen: StoreEvent[] = [];
    const stop = store.watch(1, (e) => seen.push(e));
    await store.delete('a');
    stop();
    await store.create(csr('c'), NOW);
    assert.deepEqual(
      seen.map((e) => [e.type, e.object.metadata.name, e.resourceVersion]),
      [
        ['ADDED', 'b', 2],
        ['DELETED', 'a', 3],
      ],
    );
    const reopened = await CsrStore.open(dir, { fsync: false });
    assert.throws(() => reopened.watch(1, () => undefined), TooOldResourceVersionError);
    assert.doesNotThrow(() => reopened.watch(reopened.resourceVersion, () => undefined)());
  });

  it('delete honours preconditions', async () => {
    const store = await CsrStore.open(dir, { fsync: false });
    const a = await store.create(csr('a'), NOW);
    await assert.rejects(store.delete('a', { uid: 'other' }), { reason: 'Conflict' });
    await assert.rejects(store.delete('a', { resourceVersion: '99' }), { reason: 'Conflict' });
    await store.delete('a', { uid: a.metadata.uid, resourceVersion: a.metadata.resourceVersion });
    assert.equal(store.size, 0);
  });
});
