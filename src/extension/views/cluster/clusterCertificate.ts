// "Show Certificate Details": one certificate of a row in the hover's detailed layout
// (hover/markdown.ts renders it, as for a kubeconfig), opened as a read-only Markdown preview. The
// document is rendered from what the view holds; it reads nothing from the cluster itself.
import * as vscode from 'vscode';
import { certificateMarkdown } from '../../hover/markdown';
import { translate } from '../../l10n';
import { certificateReport, fieldLabel, objectTitle } from './clusterRows';
import type { ClusterTreeProvider } from './clusterTree';

export const CERTIFICATE_URI_SCHEME = 'kubecerts-cluster-certificate';

/** The hover's theme icons, as characters the Markdown preview shows. */
const ICON_TEXT: Readonly<Record<string, string>> = {
  pass: '✔',
  error: '✖',
  warning: '⚠',
  info: 'ℹ',
  sync: '↻',
};

export function certificateDocumentUri(rowUri: string, index: number): vscode.Uri {
  return vscode.Uri.from({
    scheme: CERTIFICATE_URI_SCHEME,
    path: `/${encodeURIComponent(rowUri)}/${index}.md`,
  });
}

export function certificateDocument(uri: vscode.Uri, tree: ClusterTreeProvider, now: Date): string {
  const [rowUri, file] = uri.path.replace(/^\//, '').split('/');
  const index = Number(file?.replace(/\.md$/, ''));
  const row = rowUri ? tree.row(decodeURIComponent(rowUri)) : undefined;
  const cert = row?.certificates[index];
  if (!row || !cert) return vscode.l10n.t('This certificate is no longer in the Cluster Certificates view.');
  const { report, total, findings } = certificateReport(row, index);
  const text = { l10n: vscode.l10n, language: vscode.env.language, translate };
  const body = certificateMarkdown(report, total, findings, now, text).replace(
    /\$\(([a-z-]+)\)/g,
    (m, id: string) => ICON_TEXT[id] ?? m,
  );
  return `# ${row.ref.kind} ${objectTitle(row)} · ${fieldLabel(cert)}\n\n${body}`;
}
