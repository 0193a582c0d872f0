// Crash-safe file replacement: readers see either the old content or the new, never a torn file.
// Used for the demo cluster's state and by certificate renewal, so it keeps the mode and owner of
// the file it replaces (a 0600 root:root key must stay 0600 root:root).
import { promises as fs, constants as fsConstants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { statIfExists } from './stat';

/** The points between the steps of a write, in order; tests inject a failure at each one. */
export type AtomicWriteStep = 'temp-created' | 'temp-written' | 'temp-synced' | 'renamed' | 'dir-synced';

export interface AtomicWriteOptions {
  /** Mode for a file that does not exist yet (an existing file keeps its own). Default 0o600. */
  readonly mode?: number;
  /**
   * false: skip the fsyncs. The replacement stays atomic for readers and survives the process
   * being killed, but not a power loss; for bulk writes of data that can be rebuilt. Default true.
   */
  readonly fsync?: boolean;
  /** Called after each step; throwing aborts the write there, as a crash would. */
  readonly onStep?: (step: AtomicWriteStep, tempPath: string) => void | Promise<void>;
}

const DEFAULT_MODE = 0o600;

export async function atomicWriteFile(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(target);
  const existing = await statIfExists(target);
  const mode = existing ? existing.mode & 0o7777 : (options.mode ?? DEFAULT_MODE);
  const durable = options.fsync ?? true;
  const tempPath = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const step = async (name: AtomicWriteStep): Promise<void> => {
    await options.onStep?.(name, tempPath);
  };

  let renamed = false;
  const handle = await fs.open(
    tempPath,
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL,
    mode,
  );
  try {
    try {
      await step('temp-created');
      await handle.writeFile(data);
      // The umask may have narrowed the mode given to open(); set it exactly.
      await handle.chmod(mode);
      if (existing && (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.())) {
        await handle.chown(existing.uid, existing.gid);
      }
      await step('temp-written');
      if (durable) await handle.sync();
      await step('temp-synced');
    } finally {
      await handle.close();
    }
    await fs.rename(tempPath, target);
    renamed = true;
    await step('renamed');
    if (durable) await syncDirectory(dir);
    await step('dir-synced');
  } catch (err) {
    if (!renamed) await fs.rm(tempPath, { force: true });
    throw err;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; the rename is as durable as it gets there.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, fsConstants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
