// Backups (kubeadm's tmp folder, *.bak, …): shown apart with their dates, never checked further.
import type { InventoryFile } from '../inventory';
import { dateState, finishItem, type PkiItem } from '../item';
import type { Builder } from './builder';

export function backupItem(b: Builder, path: string, file: InventoryFile): PkiItem | undefined {
  const content = file.content;
  const cert =
    content.kind === 'pem'
      ? content.certificates[0]
      : content.kind === 'kubeconfig'
        ? content.client.certificate
        : undefined;
  if (!cert) return undefined;
  return finishItem({
    id: `backup:${path}`,
    kind: 'backup',
    name: path,
    catalog: false,
    path,
    absolutePath: file.stat.absolutePath,
    state: dateState(cert, b.ctx.now, b.ctx.warnDays),
    externallyManaged: false,
    rotatedByKubelet: false,
    certificate: cert,
    missingFiles: [],
    findings: [],
  });
}
