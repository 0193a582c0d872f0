import { strict as assert } from 'node:assert';
import { apiGroupOf, findCertificateFields } from '../../../../src/core/objects/certificateFields';

describe('certificate fields of Kubernetes objects', () => {
  it('finds tls.crt, ca.crt and tls.key in a Secret, pairing the key with its certificate', () => {
    const found = findCertificateFields({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'Y3J0', 'tls.key': 'a2V5', 'ca.crt': 'Y2E=', other: 'eA==' },
    });
    assert.deepEqual(
      found.map((f) => [f.path.join('/'), f.field.role, f.field.encoding]),
      [
        ['data/tls.crt', 'certificate', 'base64'],
        ['data/ca.crt', 'ca-bundle', 'base64'],
        ['data/tls.key', 'private-key', 'base64'],
      ],
    );
    assert.deepEqual(found[2].field.pairedWith, ['data', 'tls.crt']);
  });

  it('reads stringData as PEM text', () => {
    const found = findCertificateFields({
      apiVersion: 'v1',
      kind: 'Secret',
      stringData: { 'tls.crt': '-----BEGIN' },
    });
    assert.deepEqual(
      found.map((f) => [f.path.join('/'), f.field.encoding]),
      [['stringData/tls.crt', 'text']],
    );
  });

  it('finds every webhook caBundle with its index and skips webhooks without one', () => {
    const found = findCertificateFields({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      webhooks: [
        { clientConfig: { caBundle: 'QQ==' } },
        { clientConfig: {} },
        { clientConfig: { caBundle: 'Qg==' } },
      ],
    });
    assert.deepEqual(
      found.map((f) => f.path),
      [
        ['webhooks', 0, 'clientConfig', 'caBundle'],
        ['webhooks', 2, 'clientConfig', 'caBundle'],
      ],
    );
  });

  it('finds APIService and CRD conversion caBundles and kube-root-ca.crt', () => {
    assert.equal(
      findCertificateFields({
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        spec: { caBundle: 'QQ==' },
      }).length,
      1,
    );
    const crd = findCertificateFields({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      spec: { conversion: { strategy: 'Webhook', webhook: { clientConfig: { caBundle: 'QQ==' } } } },
    });
    assert.deepEqual(crd[0].path, ['spec', 'conversion', 'webhook', 'clientConfig', 'caBundle']);
    const root = findCertificateFields({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { 'ca.crt': '-----BEGIN' },
    });
    assert.equal(root[0].field.role, 'ca-bundle');
  });

  it('ignores other kinds, other groups, empty and non-string values', () => {
    assert.deepEqual(
      findCertificateFields({ apiVersion: 'example.com/v1', kind: 'Secret', data: { 'tls.crt': 'QQ==' } }),
      [],
    );
    assert.deepEqual(
      findCertificateFields({ apiVersion: 'v1', kind: 'Pod', data: { 'tls.crt': 'QQ==' } }),
      [],
    );
    assert.deepEqual(
      findCertificateFields({ apiVersion: 'v1', kind: 'Secret', data: { 'tls.crt': '', 'ca.crt': 7 } }),
      [],
    );
    assert.deepEqual(findCertificateFields(null), []);
    assert.deepEqual(findCertificateFields(['Secret']), []);
  });

  it('splits apiVersion like the API machinery', () => {
    assert.equal(apiGroupOf('v1'), '');
    assert.equal(apiGroupOf('apiregistration.k8s.io/v1'), 'apiregistration.k8s.io');
  });
});
