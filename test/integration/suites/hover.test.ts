import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { CLUSTER_CA_COMMON_NAME, REDACTED_FILE, WORKSPACE_FILES, PLAIN_FILE } from '../../fixtures/workspace';
import { activatedExtension, openWorkspaceFile } from '../workspace';

/** The position just inside the value of `key:` on its first occurrence. */
function valuePosition(doc: vscode.TextDocument, key: string): vscode.Position {
  const text = doc.getText();
  const at = text.indexOf(`${key}: `);
  assert.ok(at >= 0, `${key} in ${doc.fileName}`);
  return doc.positionAt(at + key.length + 2 + 4);
}

async function hoverText(file: string, key: string): Promise<string> {
  const editor = await openWorkspaceFile(file);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    editor.document.uri,
    valuePosition(editor.document, key),
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    .replace(/\\(.)/g, '$1');
}

function keyBase64(doc: vscode.TextDocument): string {
  const match = /client-key-data: (\S+)/.exec(doc.getText());
  assert.ok(match);
  return match[1];
}

describe('hover', () => {
  before(activatedExtension);

  it('decodes client-certificate-data: subject, identity, chain verdict, pin', async () => {
    const admin = WORKSPACE_FILES.admin;
    const text = await hoverText(admin.file, 'client-certificate-data');
    assert.ok(text.includes(`CN=${admin.commonName}`), text);
    assert.ok(text.includes(admin.organizations[0]), text);
    assert.match(text, /expires in \d+ (days|months)/);
    assert.ok(text.includes(`Signed by cluster's CA`), text);
    assert.ok(text.includes(`CN=${CLUSTER_CA_COMMON_NAME}`), text);
    assert.match(text, /sha256:[0-9a-f]{64}/);
    assert.ok(text.includes('command:kubecerts.copySpkiPin'), 'copy pin link');
  });

  it('says how long ago an expired certificate expired', async () => {
    const text = await hoverText(WORKSPACE_FILES.expired.file, 'client-certificate-data');
    assert.match(text, /expired 10 days ago/);
    assert.ok(text.includes('cert-expired'), text);
  });

  it('describes the cluster CA', async () => {
    const text = await hoverText(WORKSPACE_FILES.admin.file, 'certificate-authority-data');
    assert.ok(text.includes(`CN=${CLUSTER_CA_COMMON_NAME}`), text);
    assert.match(text, /\| CA \| yes/);
  });

  it('shows only type, size and match for client-key-data, never the key', async () => {
    const editor = await openWorkspaceFile(WORKSPACE_FILES.admin.file);
    const text = await hoverText(WORKSPACE_FILES.admin.file, 'client-key-data');
    assert.match(text, /Private key/);
    assert.match(text, /Key matches certificate: yes/);
    const key = keyBase64(editor.document);
    assert.ok(!text.includes(key.slice(0, 24)), 'the hover must not contain key material');
    assert.ok(!/PRIVATE KEY-----/.test(text), 'no PEM key in the hover');
  });

  it('turns kubectl config view placeholders into a finding, not a crash', async () => {
    const text = await hoverText(REDACTED_FILE, 'client-certificate-data');
    assert.ok(text.includes('redacted-data'), text);
  });

  it('gives no hover on files that are not kubeconfigs', async () => {
    const editor = await openWorkspaceFile(PLAIN_FILE);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(0, 3),
    );
    const ours = hovers
      .flatMap((h) => h.contents)
      .filter((c) => typeof c !== 'string' && /SPKI|Certificate/.test(c.value));
    assert.equal(ours.length, 0);
  });
});
