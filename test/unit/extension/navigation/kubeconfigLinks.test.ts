import { strict as assert } from 'node:assert';
import { parseKubeconfig } from '../../../../src/core/kubeconfig/parse';
import {
  definitionAt,
  nameAt,
  outline,
  referencesAt,
} from '../../../../src/extension/navigation/kubeconfigLinks';

// Written by hand, as kubectl users write them: two contexts share one cluster.
const TEXT = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: prod',
  '  cluster:',
  '    server: https://prod:6443',
  '- name: staging',
  '  cluster:',
  '    server: https://staging:6443',
  'users:',
  '- name: alice',
  '  user:',
  '    token: t',
  'contexts:',
  '- name: alice@prod',
  '  context:',
  '    cluster: prod',
  '    user: alice',
  '- context:',
  '    cluster: prod',
  '    user: bob',
  '  name: bob@prod',
  'current-context: alice@prod',
  '',
].join('\n');

const doc = parseKubeconfig(TEXT, '/tmp/config');
/** Offset of the `nth` occurrence of `needle` (+ `shift`). */
function at(needle: string, nth = 0, shift = 1): number {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = TEXT.indexOf(needle, index + 1);
  assert.notEqual(index, -1, needle);
  return index + shift;
}
const textOf = (span: { start: number; end: number } | undefined) =>
  span ? TEXT.slice(span.start, span.end) : undefined;
const lineOf = (span: { start: number }) => TEXT.slice(0, span.start).split('\n').length;

describe('kubeconfig navigation', () => {
  it('goes from a context cluster: value to the cluster entry name', () => {
    const span = definitionAt(doc, at('cluster: prod', 0, 'cluster: '.length + 1));
    assert.equal(textOf(span), 'prod');
    assert.equal(lineOf(span!), 4);
  });

  it('goes from user: and current-context: to their entries', () => {
    assert.equal(lineOf(definitionAt(doc, at('user: alice', 0, 7))!), 11);
    assert.equal(lineOf(definitionAt(doc, at('current-context: alice@prod', 0, 18))!), 15);
  });

  it('has no definition for a name no entry declares (user bob)', () => {
    assert.equal(nameAt(doc, at('user: bob', 0, 7))?.name, 'bob');
    assert.equal(definitionAt(doc, at('user: bob', 0, 7)), undefined);
  });

  it('finds every context that uses a cluster, from its name or from a use', () => {
    const fromName = referencesAt(doc, at('name: prod', 0, 7), true).map(lineOf);
    assert.deepEqual(fromName, [4, 17, 20]);
    const fromUse = referencesAt(doc, at('cluster: prod', 1, 10), false).map(lineOf);
    assert.deepEqual(fromUse, [17, 20]);
    assert.deepEqual(referencesAt(doc, at('name: staging', 0, 7), false), []);
  });

  it('does not mix kinds: a user named like a cluster is not a reference to it', () => {
    const other = parseKubeconfig(TEXT.replace('- name: alice\n', '- name: prod\n'), '/tmp/config');
    const uses = referencesAt(other, at('name: prod', 0, 7), false).map(lineOf);
    assert.deepEqual(uses, [17, 20]);
  });

  it('outlines clusters, users and contexts by name in document order', () => {
    const groups = outline(doc);
    assert.deepEqual(
      groups.map((g) => [g.key, g.entries.map((e) => e.name)]),
      [
        ['clusters', ['prod', 'staging']],
        ['users', ['alice']],
        ['contexts', ['alice@prod', 'bob@prod']],
      ],
    );
    const contexts = groups[2];
    assert.equal(lineOf(contexts.span), 15);
    assert.equal(textOf(contexts.entries[1].nameSpan), 'bob@prod');
  });
});
