// The hover on `server:` in the real extension host: a TLS server on loopback whose certificate
// does not cover 127.0.0.1. Opening the kubeconfig does not connect (kubecerts.probe.onSave is off
// by default); hovering does, shows the chain and Go's verdict, then the finding is in the Problems
// panel; a second hover reuses the result; "Check again" connects again.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import * as vscode from 'vscode';
import { addDays, base64Data, makeCa, makeLeaf } from '../../fixtures/certs';
import { waitFor } from '../wait';
import { activatedExtension } from '../workspace';

const CLUSTER = 'served-demo';

function serverValuePosition(doc: vscode.TextDocument): vscode.Position {
  const at = doc.getText().indexOf('server: ');
  assert.ok(at >= 0);
  return doc.positionAt(at + 'server: '.length + 4);
}

async function hoverText(doc: vscode.TextDocument): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    serverValuePosition(doc),
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    .replace(/\\(.)/g, '$1');
}

describe('served certificate (hover on server:)', function () {
  this.timeout(60_000);
  let dir: string;
  let server: tls.Server;
  let connections = 0;
  const sockets = new Set<Socket>();
  let doc: vscode.TextDocument;

  before(async function () {
    await activatedExtension();
    if (!vscode.workspace.isTrusted) this.skip();
    const now = new Date();
    const ca = await makeCa({ cn: 'served-ca', notBefore: addDays(now, -1), notAfter: addDays(now, 3650) });
    const leaf = await makeLeaf({
      cn: 'kube-apiserver',
      issuer: ca,
      notBefore: addDays(now, -1),
      notAfter: addDays(now, 200),
      sans: { dns: ['kubernetes'], ip: ['10.96.0.1'] },
      eku: ['serverAuth'],
    });
    server = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem });
    server.on('secureConnection', (s: tls.TLSSocket) => s.end());
    // Counted on accept: the probe closes as soon as it has the chain.
    server.on('connection', (s: Socket) => {
      connections++;
      sockets.add(s);
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-served-'));
    const file = join(dir, 'served.kubeconfig');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- cluster:',
        `    certificate-authority-data: ${base64Data(ca.certPem)}`,
        `    server: https://127.0.0.1:${port}`,
        `  name: ${CLUSTER}`,
        'contexts: []',
        'users: []',
        '',
      ].join('\n'),
    );
    doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
  });

  after(() => {
    sockets.forEach((s) => s.destroy());
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('does not connect on open while kubecerts.probe.onSave is off', async () => {
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(connections, 0);
    const served = vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => String(d.code).startsWith('server-'));
    assert.deepEqual(served, []);
  });

  it('connects on hover: the presented certificate, the name verdict in Go words, Check again', async () => {
    const text = await hoverText(doc);
    assert.ok(text.includes('Served certificate'), text);
    assert.ok(text.includes('CN=kube-apiserver'), text);
    assert.ok(text.includes('Chain verifies against'), text);
    assert.match(text, /`?127\.0\.0\.1`? is not covered/);
    assert.ok(text.includes('x509: certificate is valid for 10.96.0.1, not 127.0.0.1'), text);
    assert.ok(text.includes('server-name-mismatch'), text);
    assert.ok(text.includes('command:kubecerts.probe.checkAgain'), text);
    assert.equal(connections, 1);
  });

  it('then shows the finding in the Problems panel on the server: value', async () => {
    const [diagnostic] = await waitFor(
      'the server-name-mismatch diagnostic',
      () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'server-name-mismatch'),
      { until: (found) => found.length === 1 },
    );
    assert.equal(doc.getText(diagnostic.range).startsWith('https://127.0.0.1:'), true);
  });

  it('reuses the cached result on the next hover, and Check again connects', async () => {
    await hoverText(doc);
    assert.equal(connections, 1);
    await vscode.commands.executeCommand('kubecerts.probe.checkAgain', doc.uri.toString(), CLUSTER);
    assert.equal(connections, 2);
  });
});
