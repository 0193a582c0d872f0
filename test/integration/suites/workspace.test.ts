// The whole-workspace audit in a real extension host: Problems for files nobody opened, a file
// created on disk picked up by the watcher, problems kept when a file closes, PKI findings on the
// file they concern, and the `kubecerts.diagnostics.scope` setting.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import * as vscode from 'vscode';
import { buildKubeconfig } from '../../../src/core/kubeconfig/build';
import { issueCertificate } from '../../../src/core/x509/issue';
import { WORKSPACE_PKI } from '../../fixtures/workspace';
import { waitFor } from '../wait';
import { activatedExtension, workspaceUri } from '../workspace';

const DAY = 24 * 60 * 60 * 1000;

function codes(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'kubecerts')
    .map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
}

const isOpen = (uri: vscode.Uri) =>
  vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());

/** Waits (up to 60 s: the first scan starts after activation) until `uri` has `code` in Problems. */
function problemWith(uri: vscode.Uri, code: string): Promise<string[]> {
  return waitFor(`${code} on ${uri.fsPath}`, () => (codes(uri).includes(code) ? codes(uri) : undefined), {
    timeoutMs: 60_000,
  });
}

/** A kubeconfig whose client certificate expired 5 days ago. */
async function expiredKubeconfig(): Promise<string> {
  const now = Date.now();
  const ca = await issueCertificate({
    subject: { commonName: 'created-ca' },
    notBefore: new Date(now - 400 * DAY),
    notAfter: new Date(now + 3000 * DAY),
    basicConstraints: { ca: true },
    keyUsage: ['digitalSignature', 'keyCertSign'],
  });
  const client = await issueCertificate({
    subject: { commonName: 'created-user' },
    notBefore: new Date(now - 370 * DAY),
    notAfter: new Date(now - 5 * DAY),
    keyUsage: ['digitalSignature'],
    extKeyUsage: ['clientAuth'],
    issuer: ca,
  });
  return buildKubeconfig({
    clusterName: 'c',
    server: 'https://127.0.0.1:6443',
    caPem: ca.certPem,
    userName: 'u',
    client,
  });
}

async function setScope(value: 'open' | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('kubecerts')
    .update('diagnostics.scope', value, vscode.ConfigurationTarget.Global);
}

describe('whole workspace audit', () => {
  before(activatedExtension);

  it('lists the expired certificate of a PKI folder in Problems without opening it', async () => {
    const uri = workspaceUri(`${WORKSPACE_PKI.folder}/${WORKSPACE_PKI.expired.file}`);
    assert.ok(!isOpen(uri));
    await problemWith(uri, 'cert-expired');
  });

  it('puts a missing PKI file on its path and wiring findings on the manifest', async () => {
    const missing = workspaceUri(`${WORKSPACE_PKI.folder}/${WORKSPACE_PKI.missing.files[0]}`);
    await problemWith(missing, 'pki-missing');
  });

  it('picks up a kubeconfig created on disk, by content, and drops it when deleted', async () => {
    // No kubeconfig-like name: the content decides.
    const uri = workspaceUri('created-by-test');
    fs.writeFileSync(uri.fsPath, await expiredKubeconfig());
    try {
      await problemWith(uri, 'cert-expired');
      assert.ok(!isOpen(uri), 'found without opening it');
    } finally {
      fs.rmSync(uri.fsPath, { force: true });
    }
    await waitFor(
      'the problems of the deleted file to go',
      () => (codes(uri).length === 0 ? true : undefined),
      {
        timeoutMs: 30_000,
      },
    );
  });

  it('keeps the problems of a file when it is closed', async () => {
    // A file no other suite opened, opened as the Explorer does: documents an extension opens stay
    // loaded for minutes after their editor closes, an editor's own document closes with it.
    const uri = workspaceUri('closed-by-test.kubeconfig');
    fs.writeFileSync(uri.fsPath, await expiredKubeconfig());
    try {
      await vscode.commands.executeCommand('vscode.open', uri);
      const doc = await waitFor('the document to open', () =>
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()),
      );
      await problemWith(uri, 'cert-expired');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await waitFor('the document to close', () => (doc.isClosed ? true : undefined), { timeoutMs: 60_000 });
      // Give a clear-on-close every chance to happen before looking.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.ok(codes(uri).includes('cert-expired'), `after closing: ${codes(uri).join(',')}`);
    } finally {
      fs.rmSync(uri.fsPath, { force: true });
    }
  });

  it('shows open files only when kubecerts.diagnostics.scope is "open"', async () => {
    const uri = workspaceUri(`${WORKSPACE_PKI.folder}/${WORKSPACE_PKI.expired.file}`);
    await problemWith(uri, 'cert-expired');
    try {
      await setScope('open');
      await waitFor('Problems of files not open to go', () => (codes(uri).length === 0 ? true : undefined));
    } finally {
      await setScope(undefined);
    }
    await problemWith(uri, 'cert-expired');
  });
});
