// The watcher's reconnect logic with a scripted source: 410 → relist, failures → one error and backoff.
import assert from 'node:assert/strict';
import type { Csr } from '../../../../src/core/csr/model';
import type { CsrList, WatchEvent } from '../../../../src/node/cluster/client';
import { CsrWatcher, type CsrSource } from '../../../../src/node/cluster/csrWatch';
import { ClusterError } from '../../../../src/node/cluster/errors';
import { waitFor } from '../../../fixtures/demoCluster';

const csr = (name: string, rv: string): Csr => ({
  metadata: { name, resourceVersion: rv },
  spec: { request: '', signerName: 'x' },
});

class ScriptedSource implements CsrSource {
  lists: (CsrList | ClusterError)[] = [];
  listCalls = 0;
  watchFrom: string[] = [];
  emit: ((e: WatchEvent) => void) | undefined;
  close: ((err?: ClusterError) => void) | undefined;
  /** The next watches fail as they open (the server is down), each with this error. */
  failingWatches: ClusterError[] = [];

  async listCsrs(): Promise<CsrList> {
    this.listCalls++;
    const next = this.lists.shift() ?? { items: [], resourceVersion: '1' };
    if (next instanceof ClusterError) throw next;
    return next;
  }

  async watchCsrs(
    rv: string,
    onEvent: (e: WatchEvent) => void,
    onClose: (err?: ClusterError) => void,
  ): Promise<() => void> {
    this.watchFrom.push(rv);
    this.emit = onEvent;
    this.close = onClose;
    const failure = this.failingWatches.shift();
    if (failure) onClose(failure);
    return () => undefined;
  }
}

describe('CsrWatcher', () => {
  it('applies events, follows resourceVersions and relists on 410 Gone', async () => {
    const source = new ScriptedSource();
    source.lists = [
      { items: [csr('a', '5')], resourceVersion: '10' },
      { items: [csr('b', '30')], resourceVersion: '31' },
    ];
    const watcher = new CsrWatcher(source, { onChange: () => undefined, onError: () => undefined });
    watcher.start();
    try {
      await waitFor(() => source.watchFrom.length === 1, 'the first watch');
      assert.deepEqual(source.watchFrom, ['10']);
      source.emit!({ type: 'ADDED', object: csr('c', '11') });
      source.emit!({ type: 'DELETED', object: csr('a', '12') });
      assert.deepEqual([...watcher.items.keys()], ['c']);
      // A dropped stream resumes from the last version seen, without a list.
      source.close!();
      await waitFor(() => source.watchFrom.length === 2, 'the second watch');
      assert.deepEqual(source.watchFrom, ['10', '12']);
      assert.equal(source.listCalls, 1);
      // 410: the version is gone, list again; the list replaces everything (c vanished meanwhile).
      source.emit!({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
      await waitFor(() => source.watchFrom.length === 3, 'the watch after the relist');
      assert.equal(source.listCalls, 2);
      assert.deepEqual(source.watchFrom[2], '31');
      assert.deepEqual([...watcher.items.keys()], ['b']);
    } finally {
      watcher.stop();
    }
  });

  it('reports a failing list once, retries with backoff, and clears the error when back', async () => {
    const source = new ScriptedSource();
    const down = new ClusterError('unreachable', 'down');
    source.lists = [down, down, down, { items: [csr('a', '1')], resourceVersion: '2' }];
    const errors: (ClusterError | undefined)[] = [];
    const watcher = new CsrWatcher(source, {
      onChange: () => undefined,
      onError: (e) => errors.push(e),
      initialBackoffMs: 5,
      maxBackoffMs: 20,
    });
    watcher.start();
    try {
      await waitFor(() => source.watchFrom.length === 1, 'the watch after recovery');
      assert.equal(source.listCalls, 4);
      assert.deepEqual(errors, [down, undefined]);
      assert.equal(watcher.error, undefined);
    } finally {
      watcher.stop();
    }
  });

  it('retries a failed stream once silently, reports it failing again, clears it when back', async () => {
    const source = new ScriptedSource();
    const down = new ClusterError('unreachable', 'connect ECONNREFUSED');
    const errors: (ClusterError | undefined)[] = [];
    const watcher = new CsrWatcher(source, {
      onChange: () => undefined,
      onError: (e) => errors.push(e),
      initialBackoffMs: 5,
      maxBackoffMs: 20,
    });
    watcher.start();
    try {
      await waitFor(() => source.watchFrom.length === 1, 'the first watch');
      source.close!(down);
      await waitFor(() => source.watchFrom.length === 2, 'the silent retry');
      assert.deepEqual(errors, []);
      // The server went away: the stream drops, and the retry fails as it opens.
      source.failingWatches = [down];
      source.close!(down);
      await waitFor(() => source.watchFrom.length === 4, 'the retry after the reported failure');
      await waitFor(() => errors.length === 2, 'the error cleared');
      assert.deepEqual(errors, [down, undefined]);
      assert.equal(source.listCalls, 1, 'resumed from the last version, no list');
    } finally {
      watcher.stop();
    }
  });
});
