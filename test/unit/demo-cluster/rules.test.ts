// The data tables of the demo cluster: signer rules, authorization, printers, selectors, patches
// and the protobuf decoder, each against upstream behaviour.
import { strict as assert } from 'node:assert';
import {
  BINDINGS,
  authorize,
  authorizedForSigner,
  forbidden,
  type Binding,
} from '../../../tools/demo-cluster/authz';
import { parseRequest } from '../../../tools/demo-cluster/certificateRequest';
import { applyUpdate } from '../../../tools/demo-cluster/csrApi';
import { applyPatch } from '../../../tools/demo-cluster/patch';
import { decodeProtobuf } from '../../../tools/demo-cluster/protobuf';
import {
  fieldsMatch,
  labelsMatch,
  parseFieldSelector,
  parseLabelSelector,
} from '../../../tools/demo-cluster/selectors';
import { signerRule, signerValidationError } from '../../../tools/demo-cluster/signers';
import { csrCondition, humanDuration } from '../../../tools/demo-cluster/table';
import type { Csr } from '../../../tools/demo-cluster/types';
import {
  buildCertificateRequest,
  generateKey,
  privateKeyToPem,
  type SanSpec,
} from '../../../src/core/x509/issue';

const ADMIN = { name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };
const VIEWER = { name: 'kubecerts-viewer', groups: ['kubecerts:viewers', 'system:authenticated'] };
const NODE = { name: 'system:node:node-1', groups: ['system:nodes', 'system:authenticated'] };
const CSRS = { apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests' };

describe('demo cluster rules', () => {
  let keyPem: string;
  before(async () => {
    keyPem = privateKeyToPem(await generateKey({ algorithm: 'EC', curve: 'P-256' }));
  });
  const request = async (commonName: string, organizations: string[], sans?: SanSpec) =>
    parseRequest(
      Buffer.from(
        await buildCertificateRequest({ subject: { commonName, organizations }, sans, keyPem }),
      ).toString('base64'),
    );

  describe('signer rules', () => {
    const serving = signerRule('kubernetes.io/kubelet-serving')!;
    const kubeletClient = signerRule('kubernetes.io/kube-apiserver-client-kubelet')!;
    const client = signerRule('kubernetes.io/kube-apiserver-client')!;

    it('kubelet-serving: O system:nodes, CN system:node:*, a DNS or IP SAN, server auth', async () => {
      const ok = await request('system:node:n1', ['system:nodes'], { dns: ['n1'], ip: ['10.0.0.1'] });
      assert.equal(signerValidationError(serving, ok, ['digital signature', 'server auth']), undefined);
      assert.equal(
        signerValidationError(serving, ok, ['digital signature', 'key encipherment', 'server auth']),
        undefined,
      );
      const cases: [Awaited<ReturnType<typeof request>>, string[], string][] = [
        [
          await request('system:node:n1', ['other'], { dns: ['n1'] }),
          ['server auth'],
          'subject organization is not system:nodes',
        ],
        [
          await request('system:node:n1', ['system:nodes']),
          ['digital signature', 'server auth'],
          'DNS or IP subjectAltName is required',
        ],
        [
          await request('system:node:n1', ['system:nodes'], { dns: ['n1'], email: ['a@b.c'] }),
          ['server auth'],
          'Email subjectAltNames are not allowed',
        ],
        [
          await request('system:node:n1', ['system:nodes'], { dns: ['n1'], uri: ['spiffe://x'] }),
          ['server auth'],
          'URI subjectAltNames are not allowed',
        ],
        [
          ok,
          ['server auth', 'client auth'],
          'usages did not match [digital signature key encipherment server auth]',
        ],
        [
          await request('n1', ['system:nodes'], { dns: ['n1'] }),
          ['digital signature', 'server auth'],
          'subject common name does not begin with system:node:',
        ],
      ];
      for (const [req, usages, message] of cases)
        assert.equal(signerValidationError(serving, req, usages), message);
    });

    it('kube-apiserver-client-kubelet: no SANs at all, client auth', async () => {
      const ok = await request('system:node:n1', ['system:nodes']);
      assert.equal(
        signerValidationError(kubeletClient, ok, ['digital signature', 'key encipherment', 'client auth']),
        undefined,
      );
      const withDns = await request('system:node:n1', ['system:nodes'], { dns: ['n1'] });
      assert.equal(
        signerValidationError(kubeletClient, withDns, ['digital signature', 'client auth']),
        'DNS subjectAltNames are not allowed',
      );
      const withIp = await request('system:node:n1', ['system:nodes'], { ip: ['10.0.0.1'] });
      assert.equal(
        signerValidationError(kubeletClient, withIp, ['digital signature', 'client auth']),
        'IP subjectAltNames are not allowed',
      );
    });

    it('kube-apiserver-client: client auth required, only signing usages besides', async () => {
      const ok = await request('jane', ['devs']);
      assert.equal(signerValidationError(client, ok, ['client auth']), undefined);
      assert.equal(
        signerValidationError(client, ok, ['digital signature']),
        'missing required usage for client certificate: client auth',
      );
      assert.equal(
        signerValidationError(client, ok, ['client auth', 'server auth']),
        'invalid usage for client certificate: server auth',
      );
    });

    it('has no rule for legacy-unknown or custom signers', () => {
      assert.equal(signerRule('kubernetes.io/legacy-unknown'), undefined);
      assert.equal(signerRule('example.com/custom'), undefined);
    });

    it('reads subject and SANs from the request', async () => {
      const parsed = await request('system:node:n1', ['system:nodes'], {
        dns: ['n1', 'n1.local'],
        ip: ['10.0.0.1'],
      });
      assert.deepEqual(
        [parsed.commonName, parsed.organizations, parsed.dns, parsed.ip],
        ['system:node:n1', ['system:nodes'], ['n1', 'n1.local'], ['10.0.0.1']],
      );
      await assert.rejects(
        parseRequest(Buffer.from('not pem').toString('base64')),
        /PEM block type must be CERTIFICATE REQUEST/,
      );
    });
  });

  describe('authorization', () => {
    it('admins everything, viewers read, nodes create and read their own', () => {
      assert.equal(authorize(ADMIN, { ...CSRS, verb: 'delete', name: 'x' }), 'allow');
      assert.equal(authorize(VIEWER, { ...CSRS, verb: 'watch' }), 'allow');
      assert.equal(authorize(VIEWER, { ...CSRS, verb: 'update', subresource: 'approval' }), 'deny');
      assert.equal(authorize(NODE, { ...CSRS, verb: 'create' }), 'allow');
      assert.equal(authorize(NODE, { ...CSRS, verb: 'get', name: 'x' }), 'own-objects-only');
      assert.equal(authorize(NODE, { ...CSRS, verb: 'delete', name: 'x' }), 'deny');
      assert.equal(authorize(VIEWER, { verb: 'get', path: '/apis/certificates.k8s.io/v1' }), 'allow');
      assert.equal(authorize(VIEWER, { verb: 'get', path: '/metrics' }), 'deny');
    });

    it('approving needs approve on the signer or its domain wildcard', () => {
      assert.equal(authorizedForSigner(ADMIN, 'approve', 'kubernetes.io/kubelet-serving'), true);
      assert.equal(authorizedForSigner(VIEWER, 'approve', 'kubernetes.io/kubelet-serving'), false);
      const bindings: Binding[] = [
        {
          name: 'b',
          subjects: [{ kind: 'User', name: 'u' }],
          rules: [
            {
              verbs: ['approve'],
              apiGroups: ['certificates.k8s.io'],
              resources: ['signers'],
              resourceNames: ['example.com/*'],
            },
          ],
        },
      ];
      const user = { name: 'u', groups: [] };
      assert.equal(
        authorize(
          user,
          { verb: 'approve', apiGroup: 'certificates.k8s.io', resource: 'signers', name: 'example.com/*' },
          bindings,
        ),
        'allow',
      );
      assert.equal(
        authorize(
          user,
          { verb: 'approve', apiGroup: 'certificates.k8s.io', resource: 'signers', name: 'kubernetes.io/*' },
          bindings,
        ),
        'deny',
      );
    });

    it('bootstrappers of the kubeadm token may have node client CSRs auto-approved, nodes their renewals', () => {
      const bootstrapper = {
        name: 'system:bootstrap:abcdef',
        groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token'],
      };
      assert.equal(authorize(bootstrapper, { ...CSRS, verb: 'create', subresource: 'nodeclient' }), 'allow');
      assert.equal(authorize(NODE, { ...CSRS, verb: 'create', subresource: 'nodeclient' }), 'deny');
      assert.equal(authorize(NODE, { ...CSRS, verb: 'create', subresource: 'selfnodeclient' }), 'allow');
      assert.ok(BINDINGS.every((b) => b.subjects.length && b.rules.length));
    });

    it('an approval without approve on the signer is refused by admission, worded as upstream', () => {
      const csr = {
        metadata: { name: 'x', uid: 'u', resourceVersion: '1', creationTimestamp: '2026-03-01T10:00:00Z' },
        spec: { signerName: 'kubernetes.io/kubelet-serving', request: '', usages: [] },
        status: {},
      } as unknown as Csr;
      const incoming = { status: { conditions: [{ type: 'Approved', status: 'True' }] } };
      assert.throws(() => applyUpdate('approval', csr, incoming, VIEWER, new Date()), {
        code: 403,
        message:
          'certificatesigningrequests.certificates.k8s.io "x" is forbidden: user not permitted to approve requests with signerName "kubernetes.io/kubelet-serving"',
      });
      const approved = applyUpdate('approval', csr, incoming, ADMIN, new Date('2026-03-01T10:05:00Z'));
      assert.equal(approved.status.conditions?.[0].lastTransitionTime, '2026-03-01T10:05:00Z');
    });

    it('words denials as the API server', () => {
      const err = forbidden(VIEWER, { ...CSRS, verb: 'list' });
      assert.equal(err.code, 403);
      assert.equal(
        err.message,
        'certificatesigningrequests.certificates.k8s.io is forbidden: User "kubecerts-viewer" cannot list resource "certificatesigningrequests" in API group "certificates.k8s.io" at the cluster scope',
      );
      assert.equal(
        forbidden(VIEWER, { verb: 'get', path: '/metrics' }).message,
        'forbidden: User "kubecerts-viewer" cannot get path "/metrics"',
      );
    });
  });

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
});
