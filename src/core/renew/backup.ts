// Backups written next to a renewed file: `<file>.<YYYYMMDDHHMMSS>.bak` (UTC), e.g.
// `apiserver.crt.20250301120000.bak`. The `.bak` ending is what kubeadm users and the PKI view
// recognise as "not the live file".

export const RENEWAL_BACKUP_PATTERN = /^(?<file>.+)\.(?<stamp>\d{14})(?:-(?<n>\d+))?\.bak$/;

export function backupTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The backup name for `fileName` at `now`; `attempt` > 0 disambiguates two renewals in one second. */
export function backupFileName(fileName: string, now: Date, attempt = 0): string {
  return `${fileName}.${backupTimestamp(now)}${attempt > 0 ? `-${attempt}` : ''}.bak`;
}

/** The live file name a renewal backup belongs to, or undefined when `fileName` is not one. */
export function backedUpFileName(fileName: string): string | undefined {
  return RENEWAL_BACKUP_PATTERN.exec(fileName)?.groups?.file;
}
