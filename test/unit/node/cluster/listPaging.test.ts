// listCsrs pages like kubectl get (limit 500, then continue) and returns one list.
import assert from 'node:assert/strict';
import type { Csr } from '../../../../src/core/csr/model';
import { ClusterClient } from '../../../../src/node/cluster/client';

function csr(name: string): Csr {
  return { metadata: { name }, spec: { request: '', signerName: 'x', usages: [] } } as unknown as Csr;
}

describe('ClusterClient.listCsrs paging', () => {
  it('follows continue tokens with limit=500 and keeps the snapshot version', async () => {
    const asked: string[] = [];
    const pages: Record<string, unknown> = {
      '': { items: [csr('a'), csr('b')], metadata: { resourceVersion: '7', continue: 'tok/1' } },
      'tok/1': { items: [csr('c')], metadata: { resourceVersion: '7', continue: 'tok 2' } },
      'tok 2': { items: [csr('d')], metadata: { resourceVersion: '7' } },
    };
    const client = Object.create(ClusterClient.prototype) as ClusterClient;
    Object.assign(client, {
      getJson: async (path: string) => {
        asked.push(path);
        const token = new URL('http://x' + path).searchParams.get('continue') ?? '';
        return pages[token];
      },
    });
    const list = await client.listCsrs();
    assert.deepEqual(
      list.items.map((c) => c.metadata.name),
      ['a', 'b', 'c', 'd'],
    );
    assert.equal(list.resourceVersion, '7');
    const base = '/apis/certificates.k8s.io/v1/certificatesigningrequests?limit=500';
    assert.deepEqual(asked, [base, `${base}&continue=tok%2F1`, `${base}&continue=tok%202`]);
  });
});
