// Writing renewed files: every old file is first copied to a timestamped backup next to it, then
// each file is replaced atomically (atomicWrite keeps mode and owner). A crash at any point leaves
// each file either old or new, and the old content always survives in a backup.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { backupFileName } from '../../core/renew/backup';
import { atomicWriteFile, type AtomicWriteStep } from '../fs/atomicWrite';
import { pathExists, statIfExists } from '../fs/stat';

export interface WriteStepEvent {
  readonly file: string;
  /** `backup`: writing the copy of the old file; `replace`: writing the new content over it. */
  readonly phase: 'backup' | 'replace';
  readonly step: AtomicWriteStep;
}

export interface WriteHooks {
  /** Fault injection for tests: throwing aborts the renewal at that point, as a crash would. */
  readonly onStep?: (event: WriteStepEvent) => void | Promise<void>;
}

export interface FileChange {
  readonly file: string;
  readonly data: string;
  /** Mode when the file does not exist yet; an existing file keeps its own. */
  readonly modeIfNew: number;
}

export interface WrittenFiles {
  readonly files: readonly string[];
  readonly backups: readonly string[];
}

export const KEY_FILE_MODE = 0o600;
export const CERT_FILE_MODE = 0o644;

/** Backs up every existing file of `changes`, then replaces them in order. */
export async function replaceWithBackups(
  changes: readonly FileChange[],
  now: Date,
  hooks: WriteHooks = {},
): Promise<WrittenFiles> {
  const backups: string[] = [];
  for (const change of changes) {
    const backup = await backupFile(change.file, now, hooks);
    if (backup) backups.push(backup);
  }
  for (const change of changes) {
    await atomicWriteFile(change.file, change.data, {
      mode: change.modeIfNew,
      onStep: (step) => hooks.onStep?.({ file: change.file, phase: 'replace', step }),
    });
  }
  return { files: changes.map((c) => c.file), backups };
}

/** Copies `file` to `<file>.<stamp>.bak` with the same mode (and owner, when we may set it). */
async function backupFile(file: string, now: Date, hooks: WriteHooks): Promise<string | undefined> {
  const stat = await statIfExists(file);
  if (!stat) return undefined;
  const content = await fs.readFile(file);
  const target = await freeBackupPath(file, now);
  await atomicWriteFile(target, content, {
    mode: stat.mode & 0o7777,
    onStep: (step) => hooks.onStep?.({ file, phase: 'backup', step }),
  });
  // Only root can give a file away; otherwise the backup belongs to whoever renews, same mode.
  if (process.getuid?.() === 0 && (stat.uid !== 0 || stat.gid !== 0))
    await fs.chown(target, stat.uid, stat.gid);
  return target;
}

async function freeBackupPath(file: string, now: Date): Promise<string> {
  const dir = path.dirname(file);
  for (let attempt = 0; ; attempt++) {
    const candidate = path.join(dir, backupFileName(path.basename(file), now, attempt));
    if (!(await pathExists(candidate))) return candidate;
  }
}
