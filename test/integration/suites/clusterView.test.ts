// The Cluster Certificates view in a real extension host against the demo cluster. Needs
// KUBECERTS_DEMO_DIR: the directory of a freshly seeded demo cluster (`npm run demo-cluster -- --dir
// DIR --seed`), running for the whole suite; kubectl on PATH. Each seeded problem (the demo's
// SEEDED_PROBLEMS, written out here) must be on its row; a TLS Secret with planted markers must
// leave no marker and no window of its key in what the view shows or the YAML document it opens.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { ClusterViewSnapshot } from '../../../src/extension/views/cluster/clusterView';
import { markerTlsSecret } from '../../fixtures/clusterMarkers';
import { waitFor } from '../wait';
import { activatedExtension } from '../workspace';

const DEMO_DIR = process.env.KUBECERTS_DEMO_DIR;
const run = promisify(execFile);

type Row = ClusterViewSnapshot['groups'][number]['rows'][number];

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', path.join(DEMO_DIR!, 'admin.conf'), ...args]);
  return stdout;
}

async function snapshot(): Promise<ClusterViewSnapshot> {
  return (await vscode.commands.executeCommand('kubecerts.cluster.refresh')) as ClusterViewSnapshot;
}

function find(snap: ClusterViewSnapshot, kind: string, name: string, namespace?: string): Row | undefined {
  return snap.groups
    .flatMap((g) => g.rows)
    .find((r) => r.kind === kind && r.name === name && r.namespace === namespace);
}

function row(snap: ClusterViewSnapshot, kind: string, name: string, namespace?: string): Row {
  const found = find(snap, kind, name, namespace);
  assert.ok(
    found,
    `${kind} ${namespace ?? ''}/${name} is in the view (${snap.problem?.detail ?? 'no problem'})`,
  );
  return found;
}

async function settings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('kubecerts');
  for (const [key, value] of Object.entries(values))
    await config.update(key, value, vscode.ConfigurationTarget.Global);
}

/** Markdown escapes removed: what the reader sees. */
const plain = (text: string) => text.replace(/\\(.)/g, '$1');

describe('Cluster Certificates view (demo cluster)', function () {
  this.timeout(90_000);
  // The user's own values (the e2e runner writes a kubeconfig for the UI tests), restored after.
  let previous: { kubeconfig?: string; readSecrets?: boolean } = {};

  before(async function () {
    if (!DEMO_DIR) this.skip();
    await activatedExtension();
    const config = vscode.workspace.getConfiguration('kubecerts');
    previous = {
      kubeconfig: config.inspect<string>('kubeconfig')?.globalValue,
      readSecrets: config.inspect<boolean>('cluster.readSecrets')?.globalValue,
    };
    await settings({ kubeconfig: path.join(DEMO_DIR!, 'admin.conf') });
    await vscode.commands.executeCommand('kubecerts.clusterView.focus');
  });

  after(async () => {
    if (DEMO_DIR)
      await settings({ kubeconfig: previous.kubeconfig, 'cluster.readSecrets': previous.readSecrets });
  });

  it('shows each seeded problem on its row, verdict first', async () => {
    const snap = await waitFor('the seeded objects', async () => {
      const s = await snapshot();
      return find(s, 'Secret', 'api-example-com-tls', 'ingress-nginx') ? s : undefined;
    });
    assert.equal(snap.context, 'kubernetes-admin@kubecerts-demo');
    // kind, name, namespace, the findings, the description, the icon.
    const expect: [string, string, string | undefined, string[], RegExp, string][] = [
      ['Secret', 'shop-example-com-tls', 'ingress-nginx', ['cert-expiring'], /^1[12]d · /, 'warning'],
      ['Secret', 'api-example-com-tls', 'ingress-nginx', ['tls-key-mismatch'], /^wrong key · /, 'error'],
      ['Secret', 'grafana-tls', 'monitoring', ['tls-ca-mismatch'], /^wrong CA · /, 'error'],
      [
        'ValidatingWebhookConfiguration',
        'policy-validator',
        undefined,
        ['cert-expired'],
        /^expired · 10d ago · /,
        'error',
      ],
      ['ConfigMap', 'kube-root-ca.crt', 'monitoring', ['kube-root-ca-mismatch'], /^stale CA · /, 'warning'],
      ['Secret', 'widgets-webhook-tls', 'cert-manager', [], /^\d+d · /, 'verified'],
      ['APIService', 'v1beta1.metrics.k8s.io', undefined, [], /^\d+[dy] · /, 'shield'],
      ['ConfigMap', 'cluster-info', 'kube-public', [], /^\d+y · /, 'shield'],
    ];
    for (const [kind, name, namespace, codes, description, icon] of expect) {
      const r = row(snap, kind, name, namespace);
      for (const code of codes) assert.ok(r.findings.includes(code), `${name}: ${r.findings.join()}`);
      if (!codes.length) assert.deepEqual(r.findings, [], name);
      assert.match(r.description, description, `${name}: "${r.description}"`);
      assert.equal(r.icon, icon, name);
    }
    const crd = row(snap, 'CustomResourceDefinition', 'widgets.example.com');
    assert.ok(crd.certManager.injectCaFrom, 'cert-manager.io/inject-ca-from is shown');
    assert.match(plain(crd.tooltip), /cert-manager\.io\/inject-ca-from: `/);
    // Findings are in the row's tooltip, in words and by code.
    assert.match(
      plain(row(snap, 'Secret', 'api-example-com-tls', 'ingress-nginx').tooltip),
      /`tls-key-mismatch`/,
    );
  });

  it('expands a bundle into its certificates, each in the hover layout', async () => {
    const snap = await snapshot();
    const secret = row(snap, 'Secret', 'widgets-webhook-tls', 'cert-manager');
    assert.ok(secret.certificates.length >= 2, 'tls.crt and ca.crt');
    assert.match(secret.certificates[0].description, / · tls\.crt$/);
    const layout = plain(secret.certificates[0].tooltip);
    assert.match(layout, /\*\*Certificate\*\*/);
    assert.match(layout, /SPKI pin \| `sha256:[0-9a-f]{64}`/);
    assert.match(layout, /Signed by CA given as input/);
  });

  it('copies a certificate PEM and its SPKI pin; shows it in the detailed layout', async () => {
    const snap = await snapshot();
    const secret = row(snap, 'Secret', 'widgets-webhook-tls', 'cert-manager');
    await vscode.commands.executeCommand('kubecerts.cluster.copyCertificate', secret.uri, 0);
    assert.match(
      await vscode.env.clipboard.readText(),
      /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/,
    );
    await vscode.commands.executeCommand('kubecerts.cluster.copySpkiPin', secret.uri, 0);
    assert.equal(await vscode.env.clipboard.readText(), secret.certificates[0].spkiPin);
    await vscode.commands.executeCommand('kubecerts.cluster.showCertificate', secret.uri, 0);
    const doc = await waitFor('the certificate document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'kubecerts-cluster-certificate'),
    );
    assert.ok(doc.getText().includes(secret.certificates[0].spkiPin));
  });

  it('opens a TLS Secret as read-only YAML with tls.key redacted', async () => {
    const snap = await snapshot();
    await vscode.commands.executeCommand(
      'kubecerts.cluster.openYaml',
      row(snap, 'Secret', 'api-example-com-tls', 'ingress-nginx').uri,
    );
    const doc = await waitFor('the YAML editor', () => {
      const d = vscode.window.activeTextEditor?.document;
      return d?.uri.scheme === 'kubecerts-cluster' ? d : undefined;
    });
    assert.equal(doc.languageId, 'yaml');
    const text = doc.getText();
    assert.match(text, /name: api-example-com-tls/);
    assert.match(text, /tls\.key: REDACTED/);
    const key = (
      await kubectl(
        'get',
        'secret',
        '-n',
        'ingress-nginx',
        'api-example-com-tls',
        '-o',
        'jsonpath={.data.tls\\.key}',
      )
    ).trim();
    assert.ok(key.length > 40 && !text.includes(key.slice(0, 40)), 'no part of tls.key');
  });

  it('planted markers in tls.key and other Secret data reach neither the view nor the YAML', async () => {
    const planted = await markerTlsSecret('default', 'marker-tls');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kubecerts-marker-')), 'marker-tls.json');
    writeFileSync(file, planted.manifest);
    await kubectl('create', '-f', file);
    const snap = await waitFor('marker-tls in the view', async () => {
      const s = await snapshot();
      return find(s, 'Secret', 'marker-tls', 'default') ? s : undefined;
    });
    const shown = JSON.stringify(snap);
    await vscode.commands.executeCommand(
      'kubecerts.cluster.openYaml',
      row(snap, 'Secret', 'marker-tls', 'default').uri,
    );
    const yaml = await waitFor('the marker-tls YAML', () => {
      const d = vscode.window.activeTextEditor?.document;
      return d?.uri.path.includes('marker-tls') ? d.getText() : undefined;
    });
    assert.match(yaml, /password: REDACTED/);
    assert.match(yaml, /last-applied-configuration: REDACTED/);
    for (const secret of planted.forbidden) {
      assert.ok(!shown.includes(secret), `"${secret}" is in what the view shows`);
      assert.ok(!yaml.includes(secret), `"${secret}" is in the YAML document`);
    }
    await kubectl('delete', 'secret', '-n', 'default', 'marker-tls');
  });

  it('as the viewer: a row says Secrets may not be listed; the rest is shown', async () => {
    await settings({ kubeconfig: path.join(DEMO_DIR!, 'viewer.conf') });
    const snap = await waitFor('the viewer context', async () => {
      const s = await snapshot();
      return s.context.includes('viewer') && s.groups.length ? s : undefined;
    });
    const secrets = snap.groups.find((g) => g.id === 'tls-secrets');
    assert.deepEqual(secrets?.access, [{ resource: 'secrets', verb: 'list', forbidden: true }]);
    assert.ok(find(snap, 'ValidatingWebhookConfiguration', 'policy-validator'));
    await settings({ kubeconfig: path.join(DEMO_DIR!, 'admin.conf') });
  });

  it('with kubecerts.cluster.readSecrets off, lists no Secret and says so', async () => {
    await settings({ 'cluster.readSecrets': false });
    const snap = await waitFor('Secrets skipped', async () => {
      const s = await snapshot();
      return s.groups.find((g) => g.id === 'tls-secrets')?.skipped ? s : undefined;
    });
    assert.deepEqual(snap.groups.find((g) => g.id === 'tls-secrets')?.rows, []);
    await settings({ 'cluster.readSecrets': previous.readSecrets });
  });
});
