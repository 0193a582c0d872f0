import type { Translate } from '../core/findings/finding';
import type { CliIo } from './io';

export interface CliContext {
  readonly io: CliIo;
  readonly t: Translate;
  readonly version: string;
}

export interface CliCommand {
  /** One line for `kubecerts --help` (already translated). */
  summary(): string;
  /** Full help of the command (already translated). */
  help(): string;
  /** Returns the exit code; throws UsageError / InputError for exit code 2. */
  run(args: readonly string[], ctx: CliContext): Promise<number>;
}
