import assert from 'node:assert/strict';
import { fieldAt } from '../../../../src/core/kubeconfig/locate';
import { mergeKubeconfigs } from '../../../../src/core/kubeconfig/merge';
import { parseKubeconfig } from '../../../../src/core/kubeconfig/parse';
import { resolveReference, splitKubeconfigEnv } from '../../../../src/core/kubeconfig/paths';
import { kubeconfigYaml, spanOf } from '../../../fixtures/kubeconfig';

describe('kubeconfig model', () => {
  const text = kubeconfigYaml({
    clusters: [{ name: 'prod', server: 'https://prod:6443', caPath: 'pki/ca.crt', insecure: true }],
    users: [{ name: 'admin', certPath: '../certs/admin.crt', token: 'abc' }],
    contexts: [{ name: 'prod-admin', cluster: 'prod', user: 'admin', namespace: 'kube-system' }],
    currentContext: 'prod-admin',
  });

  it('keeps the offsets of keys and values', () => {
    const doc = parseKubeconfig(text, '/home/u/.kube/config');
    const cluster = doc.clusters[0];
    assert.equal(cluster.name, 'prod');
    assert.deepEqual(cluster.fields.server?.span, spanOf(text, 'https://prod:6443'));
    assert.deepEqual(
      cluster.fields['insecure-skip-tls-verify']?.keySpan,
      spanOf(text, 'insecure-skip-tls-verify'),
    );
    assert.equal(cluster.fields['insecure-skip-tls-verify']?.value, true);
    assert.deepEqual(doc.currentContext?.span, spanOf(text, 'prod-admin', text.indexOf('current-context')));
    assert.equal(doc.contexts[0].fields.namespace?.value, 'kube-system');
    assert.deepEqual(doc.findings, []);
  });

  it('resolves relative paths against the kubeconfig directory', () => {
    const doc = parseKubeconfig(text, '/home/u/.kube/config');
    assert.equal(doc.clusters[0].fields['certificate-authority']?.resolvedPath, '/home/u/.kube/pki/ca.crt');
    assert.equal(doc.users[0].fields['client-certificate']?.resolvedPath, '/home/u/certs/admin.crt');
    assert.equal(resolveReference('C:\\Users\\u\\.kube\\config', 'ca.crt'), 'C:\\Users\\u\\.kube\\ca.crt');
    assert.equal(resolveReference('/x/config', '/etc/kubernetes/pki/ca.crt'), '/etc/kubernetes/pki/ca.crt');
  });

  it('finds the field under an offset', () => {
    const doc = parseKubeconfig(text, '/k');
    const inValue = spanOf(text, 'https://prod:6443').start + 3;
    assert.equal(fieldAt(doc, inValue)?.field.key, 'server');
    assert.equal(fieldAt(doc, inValue)?.entry?.name, 'prod');
    assert.equal(fieldAt(doc, spanOf(text, 'token').start)?.entry?.name, 'admin');
    assert.equal(fieldAt(doc, 0), undefined);
  });

  for (const [label, bad] of [
    ['broken YAML', 'clusters:\n- name: a\n  cluster: {server: [\n'],
    [
      'wrong types',
      'clusters: 3\nusers:\n- name: [1]\n  user: "x"\ncontexts:\n- 7\ncurrent-context: {a: b}\n',
    ],
    ['a scalar document', 'just text'],
    ['deep nesting', '['.repeat(20000)],
    ['an alias bomb', 'a: &a [x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nusers: *c\n'],
    ['tabs and a BOM', '\ufeffclusters:\n\t- name: a\n'],
  ] as const) {
    it(`turns ${label} into findings inside the document, never an exception`, () => {
      const doc = parseKubeconfig(bad, '/bad');
      assert.ok(doc.findings.length > 0 || label === 'an alias bomb', 'expected a finding');
      for (const f of doc.findings) {
        assert.ok(
          f.span.start >= 0 && f.span.end <= bad.length && f.span.start <= f.span.end,
          JSON.stringify(f.span),
        );
        assert.ok(['invalid-yaml', 'invalid-field'].includes(f.code), f.code);
      }
    });
  }

  it('reports wrong field types as invalid-field on the value', () => {
    const bad = 'clusters:\n- name: c\n  cluster:\n    server: [1, 2]\n';
    const doc = parseKubeconfig(bad, '/bad');
    assert.equal(doc.findings[0].code, 'invalid-field');
    assert.deepEqual(doc.findings[0].span, spanOf(bad, '[1, 2]'));
  });

  it('splits KUBECONFIG with the platform separator', () => {
    assert.deepEqual(splitKubeconfigEnv('/a:/b::/a', 'linux'), ['/a', '/b']);
    assert.deepEqual(splitKubeconfigEnv('C:\\a;D:\\b', 'win32'), ['C:\\a', 'D:\\b']);
  });

  it('merges files: first file wins per name and for current-context, origin kept', () => {
    const first = parseKubeconfig(
      kubeconfigYaml({
        clusters: [{ name: 'shared', server: 'https://first' }],
        contexts: [{ name: 'x', cluster: 'shared', user: 'u1' }],
      }),
      '/one',
    );
    const second = parseKubeconfig(
      kubeconfigYaml({
        clusters: [
          { name: 'shared', server: 'https://second' },
          { name: 'only-second', server: 'https://s2' },
        ],
        users: [{ name: 'u1', token: 't' }],
        currentContext: 'x',
      }),
      '/two',
    );
    const model = mergeKubeconfigs([first, second]);
    assert.equal(model.clusters.get('shared')?.fields.server?.value, 'https://first');
    assert.equal(model.clusters.get('shared')?.file, '/one');
    assert.equal(model.clusters.get('only-second')?.file, '/two');
    assert.equal(model.users.get('u1')?.file, '/two');
    assert.equal(model.currentContext?.file, '/two');
    assert.equal(model.currentContext?.field.value, 'x');
  });
});
