// The CLI as a function of (argv, io) → exit code, so tests run it in-process.
import * as l10n from '@vscode/l10n';
import packageJson from '../../package.json';
import { COMMANDS } from './commands';
import { InputError, UsageError, type CliIo } from './io';
import { CLI_LANGUAGES, pickLanguage, translator } from './l10n';

export const CLI_VERSION: string = packageJson.version;

/** Loads every command for its summary: help is the one place that needs them all. */
async function mainHelp(): Promise<string> {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const commands = await Promise.all(names.map((name) => COMMANDS[name]()));
  return (
    [
      l10n.t('Usage: kubecerts <command> [options]'),
      '',
      l10n.t('Commands:'),
      ...names.map((name, i) => `  ${name.padEnd(width)}  ${commands[i].summary()}`),
      '',
      l10n.t('Global options:'),
      '  --help             ' + l10n.t('show help (also after a command)'),
      '  --version          ' + l10n.t('print the version'),
      '  --lang en|zh-cn    ' + l10n.t('language of the output (default from LC_ALL / LANG)'),
    ].join('\n') + '\n'
  );
}

/** Pulls the global --lang option out of argv, wherever it stands. */
function extractLang(argv: readonly string[]): { lang?: string; rest: string[] } {
  const rest: string[] = [];
  let lang: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--lang') {
      if (i + 1 >= argv.length) throw new UsageError('--lang needs a value (en or zh-cn)');
      lang = argv[++i];
    } else if (arg.startsWith('--lang=')) lang = arg.slice('--lang='.length);
    else rest.push(arg);
  }
  return lang !== undefined ? { lang, rest } : { rest };
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { lang, rest } = extractLang(argv);
    const language = pickLanguage(lang, io.env);
    if (!language) throw new UsageError(`--lang must be one of ${CLI_LANGUAGES.join(', ')}`);
    const t = translator(language);
    const [name, ...args] = rest;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(await mainHelp());
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(CLI_VERSION + '\n');
      return 0;
    }
    const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) throw new UsageError(`unknown command "${name}"`);
    const command = await load();
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(command.help());
      return 0;
    }
    return await command.run(args, { io, t, version: CLI_VERSION });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`kubecerts: ${error.message} (see kubecerts --help)\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr.write(`kubecerts: ${error.message}\n`);
      return 2;
    }
    // An internal error: one line, no stack trace, and never the input's content.
    io.stderr.write(
      `kubecerts: internal error: ${error instanceof Error ? error.name : 'unknown'}; please report it\n`,
    );
    return 2;
  }
}
