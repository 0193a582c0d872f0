import { strict as assert } from 'node:assert';
import { KubeconfigEditError, replaceUserCredentialData } from '../../../../src/core/kubeconfig/edit';

const HAND_WRITTEN = `# maintained by hand — keep this comment
apiVersion: v1
kind: Config
clusters:
- name: prod   # the production cluster
  cluster:
    server: https://prod.example:6443
    certificate-authority-data: Q0EtREFUQQ==
users:
  # the admin user
  - name: admin
    user:
      client-key-data: "T0xELUtFWQ=="     # quoted on purpose
      client-certificate-data: T0xELUNFUlQ=
  - name: other
    user: {client-certificate-data: T1RIRVI=, client-key-data: 'T1RIRVIta2V5'}
contexts:
- name: prod
  context: {cluster: prod, user: admin}
current-context: prod
`;

function changedLines(before: string, after: string): number[] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'line count');
  return a.flatMap((line, i) => (line === b[i] ? [] : [i]));
}

describe('replaceUserCredentialData', () => {
  it('changes only the two values, keeping comments, order, indentation and quoting', () => {
    const { text, changed } = replaceUserCredentialData(HAND_WRITTEN, 'admin', {
      'client-certificate-data': 'TkVXLUNFUlQ=',
      'client-key-data': 'TkVXLUtFWQ==',
    });
    assert.deepEqual(changedLines(HAND_WRITTEN, text), [12, 13]);
    const lines = text.split('\n');
    assert.equal(lines[12], '      client-key-data: "TkVXLUtFWQ=="     # quoted on purpose');
    assert.equal(lines[13], '      client-certificate-data: TkVXLUNFUlQ=');
    assert.deepEqual(
      changed.map((span) => text.slice(span.start, span.end)),
      ['"TkVXLUtFWQ=="', 'TkVXLUNFUlQ='],
    );
  });

  it('edits flow-style users in place and keeps single quotes', () => {
    const { text } = replaceUserCredentialData(HAND_WRITTEN, 'other', {
      'client-certificate-data': 'QQ==',
      'client-key-data': 'Qg==',
    });
    assert.deepEqual(changedLines(HAND_WRITTEN, text), [15]);
    assert.equal(text.split('\n')[15], "    user: {client-certificate-data: QQ==, client-key-data: 'Qg=='}");
  });

  it('replaces a block scalar by a plain value on the key line', () => {
    const input =
      'users:\n- name: u\n  user:\n    client-key-data: |\n      QUJD\n      REVG\n    token-file: x\n';
    const { text } = replaceUserCredentialData(input, 'u', { 'client-key-data': 'WFla' });
    assert.equal(text, 'users:\n- name: u\n  user:\n    client-key-data: WFla\n    token-file: x\n');
  });

  it('refuses a missing user, a missing field, duplicates and non-base64 values', () => {
    assert.throws(
      () => replaceUserCredentialData(HAND_WRITTEN, 'nobody', { 'client-key-data': 'QQ==' }),
      KubeconfigEditError,
    );
    assert.throws(
      () =>
        replaceUserCredentialData('users:\n- name: u\n  user:\n    token: t\n', 'u', {
          'client-key-data': 'QQ==',
        }),
      /has no client-key-data/,
    );
    const dup =
      'users:\n- name: u\n  user: {client-key-data: QQ==}\n- name: u\n  user: {client-key-data: Qg==}\n';
    assert.throws(
      () => replaceUserCredentialData(dup, 'u', { 'client-key-data': 'QQ==' }),
      /defined 2 times/,
    );
    assert.throws(
      () => replaceUserCredentialData(HAND_WRITTEN, 'admin', { 'client-key-data': 'a b\nc' }),
      /base64/,
    );
  });
});
