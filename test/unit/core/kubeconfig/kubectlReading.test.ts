// How client-go (kubectl 1.32) reads a kubeconfig, each rule as kubectl showed it: YAML 1.1
// scalars, `<<` merge keys, repeated keys, the first document only, and the JSON types of the
// Config struct. The expected values come from kubectl's answers, quoted next to each case.
import assert from 'node:assert/strict';
import { parseKubeconfig, parseWithYaml } from '../../../../src/core/kubeconfig/parse';
import { resolvePlainYaml11, resolveScalarYaml11 } from '../../../../src/core/kubeconfig/yaml11';
import { spanOf } from '../../../fixtures/kubeconfig';

const codes = (text: string): string[] => parseKubeconfig(text, '/k').findings.map((f) => f.code);

/** Both readers (the scanner, when it takes the text, and `yaml`) must say the same. */
function parseBoth(text: string) {
  const fast = parseKubeconfig(text, '/k');
  assert.deepEqual(fast, parseWithYaml(text, '/k'));
  return fast;
}

const cluster = (fields: string): string =>
  `clusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n${fields}`;

describe('kubeconfig read as client-go reads it', () => {
  it('reads YAML 1.1 booleans in every spelling go-yaml v2 accepts, and only those', () => {
    // kubectl: insecure-skip-tls-verify: yes → "specifying a root certificates file with the insecure flag"; yEs → "cannot unmarshal string".
    for (const word of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'])
      assert.equal(resolvePlainYaml11(word), true, word);
    for (const word of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'])
      assert.equal(resolvePlainYaml11(word), false, word);
    for (const word of ['yEs', 'oN', 'tRUE', 'nO', 'Y ', 'yes please'])
      assert.equal(resolvePlainYaml11(word), word, word);
    for (const spelling of ['yes', 'On', 'Y']) {
      const doc = parseBoth(cluster(`    insecure-skip-tls-verify: ${spelling}\n`));
      assert.equal(doc.clusters[0].fields['insecure-skip-tls-verify']?.value, true, spelling);
      assert.deepEqual(doc.findings, []);
    }
    // Quoted, it is a string: "json: cannot unmarshal string into … of type bool".
    assert.deepEqual(codes(cluster('    insecure-skip-tls-verify: "yes"\n')), ['invalid-field']);
  });

  it('reads numbers as go-yaml v2 does: where a string belongs, kubectl refuses them', () => {
    for (const number of [
      '123',
      '0x1F',
      '0o17',
      '010',
      '08',
      '1_000',
      '1.5',
      '1e3',
      '.5',
      '+1',
      '1.',
      '0b101',
    ])
      assert.equal(typeof resolvePlainYaml11(number), 'number', number);
    // kubectl loads these names: no sexagesimal, timestamps stay text, no leading `_`.
    for (const text of ['1:20', '2001-01-01', '_1', '0x', '1e999', '1.2.3'])
      assert.equal(resolvePlainYaml11(text), text, text);
    for (const name of ['on', '123', '0x10', '1_000', '1e3']) {
      // "json: cannot unmarshal bool/number into Go struct field NamedCluster.clusters.name of type string"
      const found = parseBoth(`clusters:\n- name: ${name}\n  cluster:\n    server: https://s\n`).findings;
      assert.deepEqual(
        found.map((f) => [f.code, f.params.field]),
        [['invalid-field', 'name of an item of clusters']],
        name,
      );
    }
    assert.deepEqual(codes('contexts:\n- name: "on"\n  context:\n    cluster: c\n'), []);
    assert.deepEqual(codes('clusters:\n- name: 1:20\n  cluster:\n    server: 2001-01-01\n'), []);
    assert.deepEqual(codes(cluster('    tls-server-name: off\n')), ['invalid-field']);
  });

  it('refuses infinity and NaN anywhere, and values their tag does not fit', () => {
    // "json: unsupported value: NaN", even outside the fields kubecerts reads.
    assert.deepEqual(codes(`${cluster('')}foo: .nan\n`), ['invalid-yaml']);
    assert.deepEqual(codes(`${cluster('')}foo: [-.inf]\n`), ['invalid-yaml']);
    assert.deepEqual(codes(cluster('    insecure-skip-tls-verify: !!bool yes\n')), []);
    assert.deepEqual(codes(cluster('    server: !!str 123\n')), []);
    assert.throws(() => resolveScalarYaml11('maybe', true, 'tag:yaml.org,2002:bool'));
    assert.deepEqual(codes(cluster('    insecure-skip-tls-verify: !!bool maybe\n')), ['invalid-yaml']);
  });

  it('applies `<<` merge keys as go-yaml v2 does, spans on the real text', () => {
    const text = [
      'base: &base',
      '  server: https://base',
      '  insecure-skip-tls-verify: true',
      'other: &other',
      '  server: https://other',
      '  tls-server-name: o',
      'clusters:',
      '- name: a',
      '  cluster:',
      '    server: https://explicit-before',
      '    <<: *base',
      '- name: b',
      '  cluster:',
      '    <<: *base',
      '    server: https://explicit-after',
      '- name: c',
      '  cluster:',
      '    <<: [*other, *base]',
      '- name: d',
      '  cluster: *base',
      '- name: e',
      '  cluster:',
      '    <<: *base',
      '    <<: *other',
      '',
    ].join('\n');
    const doc = parseBoth(text);
    // kubectl config view: a=https://base,true; b=https://explicit-after,true; c=https://other,true,o; d=base; e=other,true,o
    const seen = doc.clusters.map((c) => [
      c.name,
      c.fields.server?.value,
      c.fields['insecure-skip-tls-verify']?.value,
      c.fields['tls-server-name']?.value,
    ]);
    assert.deepEqual(seen, [
      ['a', 'https://base', true, undefined],
      ['b', 'https://explicit-after', true, undefined],
      ['c', 'https://other', true, 'o'],
      ['d', 'https://base', true, undefined],
      ['e', 'https://other', true, 'o'],
    ]);
    assert.deepEqual(doc.findings, []);
    // An inherited field points at the anchor's text.
    assert.deepEqual(doc.clusters[0].fields.server?.span, spanOf(text, 'https://base'));
    assert.deepEqual(doc.clusters[1].fields.server?.span, spanOf(text, 'https://explicit-after'));
  });

  it('inherits credentials through `<<` in users, and refuses a merge of a non-map', () => {
    const text =
      'creds: &creds\n  client-certificate-data: Y2VydA==\n  client-key-data: a2V5\n' +
      'users:\n- name: u\n  user:\n    <<: *creds\n    token: t\n';
    const doc = parseBoth(text);
    assert.equal(doc.users[0].fields['client-certificate-data']?.value, 'Y2VydA==');
    assert.equal(doc.users[0].fields['client-key-data']?.value, 'a2V5');
    assert.deepEqual(codes('x: &x 1\nusers:\n- name: u\n  user:\n    <<: *x\n'), ['invalid-yaml']);
    assert.deepEqual(codes('users:\n- name: u\n  user:\n    token: *nowhere\n'), ['invalid-yaml']);
    // A quoted "<<" is an ordinary key.
    assert.deepEqual(codes('x: &x {token: t}\nusers:\n- name: u\n  user:\n    "<<": *x\n'), []);
  });

  it('takes the last of repeated keys, as kubectl does, and reports nothing', () => {
    const doc = parseBoth(cluster('    server: https://one\n    server: https://two\n'));
    assert.equal(doc.clusters[0].fields.server?.value, 'https://two');
    assert.deepEqual(doc.findings, []);
    const top = parseBoth(
      'clusters:\n- name: a\n  cluster: {server: https://1}\nclusters:\n- name: b\n  cluster: {server: https://2}\n',
    );
    assert.deepEqual(
      top.clusters.map((c) => c.name),
      ['b'],
    );
    // A wrong type overridden by a right one is no error, and the other way round is.
    assert.deepEqual(codes(cluster('    server: [x]\n    server: https://s\n')), []);
    assert.deepEqual(codes(cluster('    server: https://s\n    server: [x]\n')), ['invalid-field']);
  });

  it('reads the first document only; a later one, even broken, is ignored', () => {
    const doc = parseBoth('clusters:\n- name: a\n  cluster:\n    server: https://1\n---\n: : bad [\n');
    assert.deepEqual(
      doc.clusters.map((c) => c.name),
      ['a'],
    );
    assert.deepEqual(doc.findings, []);
    assert.deepEqual(codes('---\n---\nclusters:\n- name: a\n'), []);
    assert.deepEqual(codes('clusters:\n- name: a\n  cluster:\n\tserver: https://1\n'), ['invalid-yaml']);
    assert.deepEqual(codes('clusters:\n- name: a\n  cluster:\n    server:\thttps://1\n'), []);
  });

  it('checks the JSON types of the whole Config struct, not only the fields it reads', () => {
    // Each line: kubectl's "json: cannot unmarshal …" or "no kind … is registered".
    for (const text of [
      'preferences: x\n',
      'users:\n- name: u\n  user:\n    exec:\n      command: x\n      args: x\n',
      'users:\n- name: u\n  user:\n    as-groups: x\n',
      'clusters:\n- name: c\n  cluster:\n    extensions: x\n',
      'kind: 1\n',
      'kind: Foo\n',
      'kind: config\n',
      'apiVersion: v2\n',
      '- a\n',
      'clusters: {}\n',
      'contexts:\n- name: x\n  context:\n    namespace: on\n',
    ])
      assert.deepEqual(codes(text), ['invalid-field'], text);
    // Loaded by kubectl: an item without a name (one), null values, unknown keys, other case.
    for (const text of [
      'clusters:\n- cluster:\n    server: https://1\n',
      'clusters:\n- name: null\n  cluster: ~\n',
      'kind: Config\napiVersion: v1\nClusters: 5\nunknown: [1]\n',
      'kind: ""\n',
      '',
      '# only a comment\n',
    ])
      assert.deepEqual(codes(text), [], text);
    // Two items without a name: "duplicate name "" in list".
    assert.deepEqual(codes('clusters:\n- cluster: {}\n- cluster: {}\n'), ['duplicate-name']);
  });
});
