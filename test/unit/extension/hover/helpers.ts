// What the hover and CLI tests share: the hover's text in English and Chinese without VS Code, and
// the CLI run in-process with a captured stdout.
import { join } from 'node:path';
import zhCn from '../../../../l10n/bundle.l10n.zh-cn.json';
import type { CliIo } from '../../../../src/cli/io';
import { runCli } from '../../../../src/cli/run';
import { englishTemplate, type FindingParams } from '../../../../src/core/findings/finding';
import type { HoverText } from '../../../../src/extension/hover/markdown';

function positional(message: string, args: readonly (string | number)[]): string {
  return message.replace(/\{(\d+)\}/g, (whole, i: string) =>
    args[+i] !== undefined ? String(args[+i]) : whole,
  );
}

function hoverIn(bundle: Readonly<Record<string, string>>, language: string): HoverText {
  const lookup = (message: string): string => bundle[message] ?? message;
  return {
    l10n: { t: (message, ...args) => positional(lookup(message), args) },
    language,
    translate: (template: string, params: FindingParams) => englishTemplate(lookup(template), params),
  };
}

export const englishHover = hoverIn({}, 'en');
export const zhCnHover = hoverIn(zhCn as Record<string, string>, 'zh-cn');

export async function cli(
  argv: readonly string[],
  cwd: string,
  lang = 'C',
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LANG: lang },
    cwd,
    platform: 'linux',
    homedir: join(cwd, 'home'),
  };
  const code = await runCli([...argv], io);
  return { code, stdout, stderr };
}
