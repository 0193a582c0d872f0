// The rule tables of the demo cluster, signer rules and authorization, each against upstream
// behaviour (apimachinery.test.ts has the printers, selectors, patches and protobuf).
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
import { signerRule, signerValidationError } from '../../../tools/demo-cluster/signers';
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
});
