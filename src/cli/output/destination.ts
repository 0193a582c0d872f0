// `--output FILE`: the report replaces FILE atomically (a temp file in the same directory, then a
// rename), as node_exporter's textfile collector requires: a scrape never reads half a file, and
// the temp name (".NAME.<random>.tmp") does not end in .prom, so the collector skips it.
import * as path from 'node:path';
import { atomicWriteFile } from '../../node/fs/atomicWrite';
import { InputError, type CliIo } from '../io';

/** A new report file is world-readable (the collector runs as another user); it holds no secret. */
const REPORT_MODE = 0o644;

export async function writeReport(io: CliIo, text: string, output: string | undefined): Promise<void> {
  if (output === undefined) {
    io.stdout.write(text);
    return;
  }
  const target = path.resolve(io.cwd, output);
  try {
    await atomicWriteFile(target, text, { mode: REPORT_MODE });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    throw new InputError(`cannot write ${target} (${code})`);
  }
}
