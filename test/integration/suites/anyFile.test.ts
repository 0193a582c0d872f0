// Certificates outside kubeconfigs (a Secret and a webhook in one manifest) and the CodeLens and
// details document every certificate field gets: hover, lens text, the decoded document, and the
// Secret's tls.key, which never shows up in any of them.
import { strict as assert } from 'node:assert';
import { Buffer } from 'node:buffer';
import * as vscode from 'vscode';
import { WORKSPACE_MANIFEST } from '../../fixtures/manifests';
import { brokenKeyPem } from '../../fixtures/secrets';
import { CLUSTER_CA_COMMON_NAME, WORKSPACE_FILES } from '../../fixtures/workspace';
import { waitFor } from '../wait';
import { activatedExtension, openWorkspaceFile } from '../workspace';

const DETAILS = 'kubecerts.showCertificateDetails';

function hoverStrings(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    .replace(/\\(.)/g, '$1');
}

/** Offset just inside the value of `key:` (its first occurrence). */
function valueOffset(doc: vscode.TextDocument, key: string): number {
  const at = doc.getText().indexOf(`${key}: `);
  assert.ok(at >= 0, `${key} in ${doc.fileName}`);
  return at + key.length + 2 + 4;
}

async function lenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return waitFor(
    `CodeLenses in ${doc.fileName}`,
    async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        doc.uri,
      );
      return found.filter((l) => l.command?.command === DETAILS);
    },
    { until: (found) => found.length > 0 },
  );
}

function lensOnKey(doc: vscode.TextDocument, found: readonly vscode.CodeLens[], key: string): string {
  const line = doc.positionAt(doc.getText().indexOf(`${key}:`)).line;
  const lens = found.find((l) => l.range.start.line === line);
  assert.ok(lens?.command, `a CodeLens on the ${key} line`);
  return lens.command.title;
}

async function detailsOf(arg?: unknown): Promise<string> {
  const uri = await vscode.commands.executeCommand<string | undefined>(DETAILS, ...(arg ? [arg] : []));
  assert.ok(uri, 'the command opens a details document');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  assert.equal(doc.uri.scheme, 'kubecerts-details');
  return doc.getText();
}

describe('codelens: certificates in any file, at a glance', () => {
  before(activatedExtension);

  it('codelens: hover on a Secret manifest shows its expired tls.crt', async () => {
    const m = WORKSPACE_MANIFEST;
    const { document: doc } = await openWorkspaceFile(m.file);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      doc.positionAt(valueOffset(doc, 'tls.crt')),
    );
    const text = hoverStrings(hovers);
    assert.ok(text.includes(`CN=${m.commonName}`), text);
    assert.match(text, new RegExp(`expired ${m.expiredDays} days ago`));
    assert.ok(text.includes('cert-expired'), text);
    assert.ok(text.includes(`CN=${CLUSTER_CA_COMMON_NAME}`), 'signed by the ca.crt of the Secret');
    assert.ok(text.includes(`command:${DETAILS}`), 'a link to the details');
  });

  it('codelens: one line above each certificate field, in manifests and kubeconfigs', async () => {
    const m = WORKSPACE_MANIFEST;
    const { document: doc } = await openWorkspaceFile(m.file);
    const found = await lenses(doc);
    assert.equal(
      lensOnKey(doc, found, 'tls.crt'),
      `CN=${m.commonName} · ✗ expired ${m.expiredDays} days ago · signed by CN=${CLUSTER_CA_COMMON_NAME}`,
    );
    assert.equal(
      lensOnKey(doc, found, 'ca.crt'),
      `CN=${CLUSTER_CA_COMMON_NAME} · expires in 8 years · root CA`,
    );
    assert.equal(
      lensOnKey(doc, found, 'caBundle'),
      `CN=${CLUSTER_CA_COMMON_NAME} · expires in 8 years · root CA`,
    );

    const admin = WORKSPACE_FILES.admin;
    const { document: kubeconfig } = await openWorkspaceFile(admin.file);
    assert.match(
      lensOnKey(kubeconfig, await lenses(kubeconfig), 'client-certificate-data'),
      new RegExp(`^CN=${admin.commonName} · expires in \\d+ months · ✓ signed by cluster CA$`),
    );

    const config = vscode.workspace.getConfiguration('kubecerts');
    await config.update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      const none = await waitFor(
        'no CodeLens once turned off',
        async () => {
          const all = await vscode.commands.executeCommand<vscode.CodeLens[]>(
            'vscode.executeCodeLensProvider',
            doc.uri,
          );
          return all.filter((l) => l.command?.command === DETAILS);
        },
        { until: (all) => all.length === 0 },
      );
      assert.equal(none.length, 0);
    } finally {
      await config.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('codelens: the details document decodes the certificate as openssl does, with our verdict', async () => {
    const m = WORKSPACE_MANIFEST;
    const { document: doc } = await openWorkspaceFile(m.file);
    const lens = (await lenses(doc)).find(
      (l) => l.range.start.line === doc.positionAt(doc.getText().indexOf('tls.crt:')).line,
    );
    const text = await detailsOf(lens?.command?.arguments?.[0]);
    for (const expected of [
      `data.tls.crt (Secret ${m.secret.namespace}/${m.secret.name})`,
      `✗ expired ${m.expiredDays} days ago`,
      `✓ Signed by CN=${CLUSTER_CA_COMMON_NAME}`,
      '[cert-expired]',
      'Certificate:',
      `        Subject: CN = ${m.commonName}`,
      `        Issuer: CN = ${CLUSTER_CA_COMMON_NAME}`,
      '            Not After : ',
      '            X509v3 Subject Alternative Name:',
      `                DNS:${m.commonName}`,
      '                TLS Web Server Authentication',
      '    Signature Value:',
    ])
      assert.ok(text.includes(expected), `${expected} in\n${text}`);

    // From the palette: the cursor on the webhook's caBundle, then a selection of the tls.crt value.
    const editor = await openWorkspaceFile(m.file);
    const at = doc.positionAt(valueOffset(doc, 'caBundle'));
    editor.selection = new vscode.Selection(at, at);
    assert.match(await detailsOf(), new RegExp(`Subject: CN = ${CLUSTER_CA_COMMON_NAME}\\n`));
    const again = await openWorkspaceFile(m.file);
    const start = doc.getText().indexOf('tls.crt: ') + 'tls.crt: '.length;
    const end = doc.getText().indexOf('\n', start);
    again.selection = new vscode.Selection(doc.positionAt(start), doc.positionAt(end));
    const selected = await detailsOf();
    assert.ok(selected.includes('(selection)'), selected.slice(0, 200));
    assert.ok(selected.includes(`Subject: CN = ${m.commonName}`), selected.slice(0, 400));
  });

  it("codelens: the Secret's tls.key never reaches a hover, CodeLens or details document", async function () {
    this.timeout(120_000);
    const m = WORKSPACE_MANIFEST;
    const { document: doc } = await openWorkspaceFile(m.file);
    const keyBase64 = Buffer.from(brokenKeyPem(m.keyMarker)).toString('base64');
    assert.ok(doc.getText().includes(keyBase64), 'the fixture holds the key');
    const forbidden = [m.keyMarker, keyBase64.slice(0, 32), keyBase64.slice(-40, -8), 'PRIVATE KEY'];
    const said: string[] = [];
    for (let line = 0; line < doc.lineCount; line++) {
      const text = doc.lineAt(line).text;
      for (const column of new Set([0, text.indexOf(': ') + 2, Math.floor(text.length / 2), text.length])) {
        const position = new vscode.Position(line, column);
        said.push(
          hoverStrings(
            await vscode.commands.executeCommand<vscode.Hover[]>(
              'vscode.executeHoverProvider',
              doc.uri,
              position,
            ),
          ),
        );
      }
      const value = doc.offsetAt(new vscode.Position(line, text.indexOf(': ') + 2));
      said.push(await detailsOf({ uri: doc.uri.toString(), offset: value }).catch(() => ''));
    }
    said.push(...(await lenses(doc)).map((l) => l.command?.title ?? ''));
    const keyHover = hoverStrings(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        doc.positionAt(valueOffset(doc, 'tls.key')),
      ),
    );
    assert.ok(keyHover.includes('invalid-pem'), `the key's own problem is said: ${keyHover}`);
    for (const secret of forbidden)
      assert.ok(!said.some((s) => s.includes(secret)), `${secret} reached a surface`);
  });
});
