// The demo cluster's copies of apimachinery behaviour, each against upstream: kubectl's table
// columns (ages, CSR conditions), label and field selectors, merge and JSON patches, and the
// protobuf body kubectl sends.
import { strict as assert } from 'node:assert';
import { Buffer } from 'node:buffer';
import { applyPatch } from '../../../tools/demo-cluster/patch';
import { decodeProtobuf } from '../../../tools/demo-cluster/protobuf';
import {
  fieldsMatch,
  labelsMatch,
  parseFieldSelector,
  parseLabelSelector,
} from '../../../tools/demo-cluster/selectors';
import { csrCondition, humanDuration } from '../../../tools/demo-cluster/table';
import type { Csr } from '../../../tools/demo-cluster/types';

describe('printing', () => {
  it('humanDuration as apimachinery', () => {
    const s = 1000;
    const cases: [number, string][] = [
      [-5 * s, '<invalid>'],
      [-1 * s, '0s'],
      [0, '0s'],
      [119 * s, '119s'],
      [120 * s, '2m'],
      [125 * s, '2m5s'],
      [600 * s, '10m'],
      [179 * 60 * s, '179m'],
      [3 * 3600 * s, '3h'],
      [3.5 * 3600 * s, '3h30m'],
      [8 * 3600 * s, '8h'],
      [47 * 3600 * s, '47h'],
      [48 * 3600 * s, '2d'],
      [50 * 3600 * s, '2d2h'],
      [8 * 86400 * s, '8d'],
      [400 * 86400 * s, '400d'],
      [730 * 86400 * s, '2y'],
      [740 * 86400 * s, '2y10d'],
      [9 * 365 * 86400 * s, '9y'],
    ];
    for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms}`);
  });

  it('condition column as kubectl', () => {
    const with_ = (types: string[], certificate?: string) =>
      csrCondition({
        status: { conditions: types.map((type) => ({ type, status: 'True' })), certificate },
      } as Csr);
    assert.equal(with_([]), 'Pending');
    assert.equal(with_(['Approved'], 'x'), 'Approved,Issued');
    assert.equal(with_(['Approved', 'Failed']), 'Approved,Failed');
    assert.equal(with_(['Denied']), 'Denied');
  });
});

describe('selectors', () => {
  it('label selectors: equality and set-based', () => {
    const labels = { app: 'web', tier: 'front' };
    const match = (text: string) => labelsMatch(parseLabelSelector(text), labels);
    assert.ok(match('app=web,tier==front'));
    assert.ok(!match('app!=web'));
    assert.ok(match('app in (web, api),!missing,tier'));
    assert.ok(!match('tier notin (front)'));
    assert.throws(() => parseLabelSelector('a=(b'), /unable to parse requirement/);
  });

  it('field selectors accept only supported fields', () => {
    const reqs = parseFieldSelector('metadata.name=a,spec.signerName!=x', [
      'metadata.name',
      'spec.signerName',
    ]);
    assert.ok(fieldsMatch(reqs, { 'metadata.name': 'a', 'spec.signerName': 'y' }));
    assert.throws(
      () => parseFieldSelector('spec.username=a', ['metadata.name']),
      /field label not supported: spec.username/,
    );
  });
});

describe('patches', () => {
  it('merge patch (RFC 7386) and JSON patch (RFC 6902)', () => {
    const doc = { metadata: { labels: { a: '1', b: '2' } }, list: [1, 2] };
    assert.deepEqual(
      applyPatch('application/merge-patch+json', doc, {
        metadata: { labels: { a: null, c: '3' } },
        list: [3],
      }),
      {
        metadata: { labels: { b: '2', c: '3' } },
        list: [3],
      },
    );
    assert.deepEqual(
      applyPatch('application/json-patch+json', doc, [
        { op: 'add', path: '/list/-', value: 3 },
        { op: 'replace', path: '/metadata/labels/a', value: 'x' },
        { op: 'remove', path: '/metadata/labels/b' },
        { op: 'test', path: '/list/2', value: 3 },
      ]),
      { metadata: { labels: { a: 'x' } }, list: [1, 2, 3] },
    );
    assert.deepEqual(doc.list, [1, 2], 'the input is not modified');
    assert.throws(
      () => applyPatch('application/json-patch+json', doc, [{ op: 'test', path: '/list/0', value: 9 }]),
      /testing value/,
    );
    assert.throws(() => applyPatch('application/apply-patch+yaml', doc, {}), {
      reason: 'UnsupportedMediaType',
    });
  });
});

describe('protobuf', () => {
  // Minimal encoder for the test: tag, length-delimited fields.
  const varint = (n: number): number[] => {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n);
    return out;
  };
  const field = (num: number, payload: Buffer | string): Buffer => {
    const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    return Buffer.from([...varint((num << 3) | 2), ...varint(bytes.length), ...bytes]);
  };
  const intField = (num: number, value: number) => Buffer.from([...varint(num << 3), ...varint(value)]);

  it('decodes a CertificateSigningRequest as kubectl sends it', () => {
    const time = Buffer.concat([intField(1, Date.parse('2026-03-01T10:00:00Z') / 1000)]);
    const condition = Buffer.concat([
      field(1, 'Approved'),
      field(6, 'True'),
      field(2, 'KubectlApprove'),
      field(4, time),
    ]);
    const csr = Buffer.concat([
      field(
        1,
        Buffer.concat([
          field(1, 'x'),
          field(6, '42'),
          field(11, Buffer.concat([field(1, 'k'), field(2, 'v')])),
        ]),
      ),
      field(
        2,
        Buffer.concat([
          field(1, 'PEM'),
          field(7, 'kubernetes.io/kube-apiserver-client'),
          intField(8, 3600),
          field(5, 'client auth'),
          field(5, 'digital signature'),
          field(15, 'unknown'),
        ]),
      ),
      field(3, Buffer.concat([field(1, condition), field(2, 'CERT')])),
    ]);
    const envelope = Buffer.concat([
      Buffer.from('k8s\0', 'latin1'),
      field(1, Buffer.concat([field(1, 'certificates.k8s.io/v1'), field(2, 'CertificateSigningRequest')])),
      field(2, csr),
    ]);
    assert.deepEqual(decodeProtobuf(envelope), {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'x', resourceVersion: '42', labels: { k: 'v' } },
      spec: {
        request: Buffer.from('PEM').toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        expirationSeconds: 3600,
        usages: ['client auth', 'digital signature'],
      },
      status: {
        conditions: [
          {
            type: 'Approved',
            status: 'True',
            reason: 'KubectlApprove',
            lastUpdateTime: '2026-03-01T10:00:00Z',
          },
        ],
        certificate: Buffer.from('CERT').toString('base64'),
      },
    });
    assert.throws(() => decodeProtobuf(Buffer.from('{}')), /missing protobuf magic/);
    assert.throws(
      () => decodeProtobuf(Buffer.concat([Buffer.from('k8s\0', 'latin1'), field(2, csr).subarray(0, 10)])),
      /truncated/,
    );
  });
});
