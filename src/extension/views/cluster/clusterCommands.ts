// The Cluster Certificates view's commands, one table (ids in contributes.commands). Targets come
// from a tree click (an object or certificate row), a row's `k8s://` reference, or a pick among
// the rows. Nothing here writes to the cluster.
import * as vscode from 'vscode';
import type { InventoryRow, RowCertificate } from '../../../core/cluster/inventoryRow';
import { toPem } from '../../../core/x509/pem';
import type { CommandTable } from '../../commands';
import { showYaml, switchContext } from '../sessionView';
import { certificateDocumentUri } from './clusterCertificate';
import { commonName, fieldLabel, objectTitle, primaryCertificate } from './clusterRows';
import type { ClusterTreeNode } from './clusterTree';
import type { ClusterView } from './clusterView';

interface Target {
  readonly row: InventoryRow;
  /** Index in row.certificates: the certificate row clicked, else the row's primary certificate. */
  readonly index?: number;
}

/** The row (and certificate) a command is about: from a tree click, a reference, or a pick. */
async function target(view: ClusterView, args: readonly unknown[]): Promise<Target | undefined> {
  const [first, second] = args;
  if (typeof first === 'string') {
    const row = view.tree.row(first);
    return row && { row, ...(typeof second === 'number' ? { index: second } : {}) };
  }
  const node = first as ClusterTreeNode | undefined;
  if (node?.kind === 'object' || node?.kind === 'certificate') {
    const row = view.tree.row(node.uri);
    return row && { row, ...(node.kind === 'certificate' ? { index: node.index } : {}) };
  }
  const rows = view.tree.allRows();
  if (!rows.length) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('The Cluster Certificates view shows no object.'),
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    rows.map((row) => ({ label: objectTitle(row), description: row.ref.kind, row })),
    { placeHolder: vscode.l10n.t('Objects of the Cluster Certificates view') },
  );
  return picked && { row: picked.row };
}

function certificateOf({ row, index }: Target): { cert: RowCertificate; index: number } | undefined {
  const cert = index !== undefined ? row.certificates[index] : primaryCertificate(row);
  if (!cert) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} holds no certificate.', objectTitle(row)));
    return undefined;
  }
  return { cert, index: row.certificates.indexOf(cert) };
}

async function openYaml(view: ClusterView, args: readonly unknown[]): Promise<void> {
  const picked = await target(view, args);
  const uri = picked && view.yamlUri(picked.row.uri);
  if (!uri) return;
  await showYaml(uri);
}

async function showCertificate(view: ClusterView, args: readonly unknown[]): Promise<void> {
  const picked = await target(view, args);
  const found = picked && certificateOf(picked);
  if (!picked || !found) return;
  const uri = certificateDocumentUri(picked.row.uri, found.index);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
}

async function copyCertificate(view: ClusterView, args: readonly unknown[]): Promise<void> {
  const picked = await target(view, args);
  const found = picked && certificateOf(picked);
  if (!picked || !found) return;
  await vscode.env.clipboard.writeText(toPem('CERTIFICATE', found.cert.certificate.der));
  void vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Copied the certificate {0} ({1}) of {2}.',
      commonName(found.cert),
      fieldLabel(found.cert),
      objectTitle(picked.row),
    ),
  );
}

async function copySpkiPin(view: ClusterView, args: readonly unknown[]): Promise<void> {
  const picked = await target(view, args);
  const found = picked && certificateOf(picked);
  if (!found) return;
  // A public-key hash, not a secret: the kubeadm join --discovery-token-ca-cert-hash form.
  await vscode.env.clipboard.writeText(found.cert.certificate.spkiPin);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Copied SPKI pin {0}', found.cert.certificate.spkiPin),
  );
}

/** The view's commands; ids match contributes.commands. */
export const COMMANDS: CommandTable<ClusterView> = {
  'kubecerts.cluster.refresh': (view) => () => view.refresh(),
  'kubecerts.cluster.switchContext': (view) => (name) =>
    switchContext(view, name, vscode.l10n.t('Context for the Cluster Certificates view')),
  'kubecerts.cluster.openYaml':
    (view) =>
    (...args) =>
      openYaml(view, args),
  'kubecerts.cluster.showCertificate':
    (view) =>
    (...args) =>
      showCertificate(view, args),
  'kubecerts.cluster.copyCertificate':
    (view) =>
    (...args) =>
      copyCertificate(view, args),
  'kubecerts.cluster.copySpkiPin':
    (view) =>
    (...args) =>
      copySpkiPin(view, args),
};
