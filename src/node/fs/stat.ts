// Questions about a path that "nothing there" answers, instead of an exception.
import { promises as fs, type Stats } from 'node:fs';

/** Whether the path can be reached (fs.access); a missing or unreachable path is false. */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Whether the path is a directory; a missing path, or one that cannot be stat'ed, is not. */
export async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** fs.stat, or undefined when nothing is there; any other failure (EACCES, …) is thrown. */
export async function statIfExists(file: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
