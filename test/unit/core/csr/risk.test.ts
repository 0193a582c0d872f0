import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import type { Csr, KubeNode } from '../../../../src/core/csr/model';
import { csrRiskFindings, reviewCsr, type CsrRiskOptions } from '../../../../src/core/csr/risk';
import {
  CSR_RISK_CATALOG,
  CSR_RISK_CODES,
  renderRiskMessage,
  worstSeverity,
  type CsrRiskCode,
} from '../../../../src/core/csr/riskCatalog';
import { englishTemplate } from '../../../../src/core/findings/finding';
import { corruptSignedBytes, makeCsr, type CsrSpec } from '../../../fixtures/csr';

const NOW = new Date('2025-01-01T01:00:00Z');
const SERVING = 'kubernetes.io/kubelet-serving';
const CLIENT_KUBELET = 'kubernetes.io/kube-apiserver-client-kubelet';
const CLIENT = 'kubernetes.io/kube-apiserver-client';
const NODE_GROUPS = ['system:nodes', 'system:authenticated'];

const NODE_1: KubeNode = {
  metadata: { name: 'node-1' },
  status: {
    addresses: [
      { type: 'InternalIP', address: '10.0.0.11' },
      { type: 'Hostname', address: 'node-1' },
    ],
  },
};

const OPTIONS: CsrRiskOptions = { now: NOW, policy: {}, node: NODE_1 };

/** A kubelet-serving request from node-1 for its own addresses: no findings at all. */
const GOOD_SERVING: CsrSpec = {
  signerName: SERVING,
  commonName: 'system:node:node-1',
  organizations: ['system:nodes'],
  sans: { dns: ['node-1'], ip: ['10.0.0.11'] },
  usages: ['digital signature', 'server auth'],
  username: 'system:node:node-1',
  groups: NODE_GROUPS,
};

const GOOD_CLIENT: CsrSpec = {
  signerName: CLIENT,
  commonName: 'jane',
  organizations: ['developers'],
  usages: ['digital signature', 'key encipherment', 'client auth'],
  username: 'jane',
};

async function codesOf(
  spec: Partial<CsrSpec>,
  base: CsrSpec = GOOD_SERVING,
  options: CsrRiskOptions = OPTIONS,
): Promise<CsrRiskCode[]> {
  return csrRiskFindings(await makeCsr({ ...base, ...spec }), options).map((f) => f.code);
}

describe('csrRiskFindings', () => {
  it('finds nothing in a well-formed node serving request for its own addresses', async () => {
    assert.deepEqual(await codesOf({}), []);
  });

  it('finds nothing in a client request by the user it names', async () => {
    assert.deepEqual(await codesOf({}, GOOD_CLIENT), []);
  });

  it('request-invalid: spec.request that is not PKCS#10', async () => {
    const csr = await makeCsr(GOOD_SERVING);
    const broken: Csr = { ...csr, spec: { ...csr.spec, request: Buffer.from('hello').toString('base64') } };
    const review = reviewCsr(broken, OPTIONS);
    assert.equal(review.request, undefined);
    assert.deepEqual(
      review.findings.map((f) => f.code),
      ['request-invalid'],
    );
  });

  it('signature-invalid: a request altered after signing', async () => {
    assert.deepEqual(await codesOf({ tamper: corruptSignedBytes }), ['signature-invalid']);
  });

  it('requester-not-subject: node-2 asking for node-1', async () => {
    const codes = await codesOf({ username: 'system:node:node-2' });
    assert.deepEqual(codes, ['requester-not-subject']);
  });

  it('requester-not-subject: a non-node user asking for a node identity', async () => {
    assert.ok(
      (await codesOf({ username: 'mallory', groups: ['system:authenticated'] })).includes(
        'requester-not-subject',
      ),
    );
  });

  it('bootstrap tokens may request node client certificates', async () => {
    const spec: CsrSpec = {
      signerName: CLIENT_KUBELET,
      commonName: 'system:node:node-3',
      organizations: ['system:nodes'],
      usages: ['digital signature', 'key encipherment', 'client auth'],
      username: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers', 'system:authenticated'],
    };
    assert.deepEqual(await codesOf({}, spec), []);
    // but not serving certificates
    assert.ok(
      (await codesOf({ username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] })).includes(
        'requester-not-subject',
      ),
    );
  });

  it('requester-differs: an administrator requesting a client certificate for someone else', async () => {
    const findings = csrRiskFindings(
      await makeCsr({ ...GOOD_CLIENT, username: 'kubernetes-admin' }),
      OPTIONS,
    );
    assert.deepEqual(
      findings.map((f) => f.code),
      ['requester-differs'],
    );
    assert.equal(findings[0].severity, 'warning');
    assert.deepEqual(findings[0].params, { requester: 'kubernetes-admin', identity: 'jane' });
  });

  it('usage-missing: kube-apiserver-client without client auth', async () => {
    assert.deepEqual(await codesOf({ usages: ['digital signature', 'key encipherment'] }, GOOD_CLIENT), [
      'usage-missing',
    ]);
  });

  it('usage-missing and usage-not-allowed: kubelet-serving asking for client auth only', async () => {
    assert.deepEqual(await codesOf({ usages: ['client auth'] }), ['usage-missing', 'usage-not-allowed']);
  });

  it('san-missing: kubelet-serving without DNS or IP SAN', async () => {
    assert.deepEqual(await codesOf({ sans: {} }), ['san-missing']);
  });

  it('san-not-allowed: kubelet-serving with email and URI SANs', async () => {
    const findings = csrRiskFindings(
      await makeCsr({
        ...GOOD_SERVING,
        sans: { dns: ['node-1'], email: ['a@example.com'], uri: ['spiffe://x/y'] },
      }),
      OPTIONS,
    );
    assert.deepEqual(
      findings.map((f) => [f.code, f.params.kind, f.params.values]),
      [
        ['san-not-allowed', 'email', 'a@example.com'],
        ['san-not-allowed', 'URI', 'spiffe://x/y'],
      ],
    );
  });

  const kubeletClient: CsrSpec = {
    signerName: CLIENT_KUBELET,
    commonName: 'system:node:node-1',
    organizations: ['system:nodes'],
    usages: ['digital signature', 'key encipherment', 'client auth'],
    username: 'system:node:node-1',
    groups: NODE_GROUPS,
  };

  it('san-not-allowed: kube-apiserver-client-kubelet with any SAN', async () => {
    assert.deepEqual(await codesOf({ sans: { dns: ['node-1'] } }, kubeletClient), ['san-not-allowed']);
  });

  it('organization-not-allowed: kube-apiserver-client-kubelet with O other than system:nodes', async () => {
    assert.deepEqual(await codesOf({ organizations: ['system:nodes', 'ops'] }, kubeletClient), [
      'organization-not-allowed',
    ]);
  });

  it('common-name-not-allowed: kube-apiserver-client-kubelet with a CN that is not system:node:*', async () => {
    assert.deepEqual(
      await codesOf(
        { commonName: 'kubelet', username: 'kubelet', groups: ['system:authenticated'] },
        kubeletClient,
      ),
      ['common-name-not-allowed', 'nodes-group-from-non-node'],
    );
  });

  it('san-not-node-address: kubelet-serving naming addresses the node does not have', async () => {
    const findings = csrRiskFindings(
      await makeCsr({ ...GOOD_SERVING, sans: { dns: ['node-1', 'kubernetes.default'], ip: ['10.0.0.99'] } }),
      OPTIONS,
    );
    assert.deepEqual(
      findings.map((f) => f.code),
      ['san-not-node-address'],
    );
    assert.equal(findings[0].params.values, 'kubernetes.default, 10.0.0.99');
  });

  it('node-addresses-unchecked when the node could not be read', async () => {
    const codes = await codesOf({}, GOOD_SERVING, { now: NOW, policy: {}, nodeUnavailable: 'forbidden' });
    assert.deepEqual(codes, ['node-addresses-unchecked']);
  });

  it('privileged-group: system:masters and kubeadm:cluster-admins', async () => {
    const findings = csrRiskFindings(
      await makeCsr({ ...GOOD_CLIENT, organizations: ['system:masters', 'kubeadm:cluster-admins'] }),
      OPTIONS,
    );
    assert.deepEqual(
      findings.map((f) => [f.code, f.params.group]),
      [
        ['privileged-group', 'system:masters'],
        ['privileged-group', 'kubeadm:cluster-admins'],
      ],
    );
  });

  it('nodes-group-from-non-node: a user asking for system:nodes', async () => {
    assert.deepEqual(await codesOf({ organizations: ['system:nodes'] }, GOOD_CLIENT), [
      'nodes-group-from-non-node',
    ]);
  });

  it('legacy-unknown-signer', async () => {
    assert.deepEqual(await codesOf({ signerName: 'kubernetes.io/legacy-unknown' }, GOOD_CLIENT), [
      'legacy-unknown-signer',
    ]);
  });

  it('weak-key: RSA 1024', async () => {
    const findings = csrRiskFindings(
      await makeCsr({ ...GOOD_CLIENT, key: { algorithm: 'RSA', bits: 1024 } }),
      OPTIONS,
    );
    assert.deepEqual(
      findings.map((f) => [f.code, f.params.bits]),
      [['weak-key', 1024]],
    );
  });

  it('weak-signature: SHA-1', async () => {
    assert.deepEqual(await codesOf({ signatureHash: 'SHA-1' }, GOOD_CLIENT), ['weak-signature']);
  });

  it('duration-above-policy', async () => {
    const policy = { maxExpirationSeconds: 86400 };
    assert.deepEqual(await codesOf({ expirationSeconds: 86400 }, GOOD_CLIENT, { ...OPTIONS, policy }), []);
    const findings = csrRiskFindings(await makeCsr({ ...GOOD_CLIENT, expirationSeconds: 86401 }), {
      ...OPTIONS,
      policy,
    });
    assert.deepEqual(
      findings.map((f) => [f.code, f.params.requested, f.params.maximum]),
      [['duration-above-policy', '24h1s', '24h']],
    );
  });

  it('pending-near-gc: a request pending for 20 hours, not once approved', async () => {
    const late = { ...OPTIONS, now: new Date('2025-01-01T20:00:00Z') };
    assert.deepEqual(await codesOf({}, GOOD_CLIENT, late), ['pending-near-gc']);
    const csr = await makeCsr(GOOD_CLIENT);
    const approved: Csr = { ...csr, status: { conditions: [{ type: 'Approved', status: 'True' }] } };
    assert.deepEqual(csrRiskFindings(approved, late), []);
  });

  it('every code has a message whose parameters the checks provide', () => {
    for (const code of CSR_RISK_CODES) {
      const message = renderRiskMessage({ code, params: {} }, englishTemplate);
      assert.ok(message.length > 10, code);
      assert.ok(['error', 'warning', 'info'].includes(CSR_RISK_CATALOG[code].severity));
    }
  });

  it('renders messages with their parameters and ranks severities', async () => {
    const findings = csrRiskFindings(
      await makeCsr({ ...GOOD_SERVING, username: 'system:node:node-2', signatureHash: 'SHA-1' }),
      OPTIONS,
    );
    assert.equal(worstSeverity(findings), 'error');
    assert.equal(
      renderRiskMessage(
        findings.find((f) => f.code === 'requester-not-subject')!,
        englishTemplate,
      ),
      'system:node:node-2 asks for the identity system:node:node-1, which is not its own.',
    );
    assert.equal(worstSeverity([]), undefined);
  });
});
