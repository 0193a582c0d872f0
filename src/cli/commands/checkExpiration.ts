// `kubecerts check-expiration`: kubeadm's `certs check-expiration` on a local folder, with the same
// table and the same -o json|yaml object, so scripts written for kubeadm keep working. What kubeadm
// does not check (signatures, key pairs, wiring, permissions) goes to stderr in table mode and under
// fields of our own in json/yaml. Exit code 0 like kubeadm; 2 for wrong arguments or no such folder.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { compareFindings, renderFindingMessage } from '../../core/findings/finding';
import {
  expirationInfo,
  renderExpirationJson,
  renderExpirationTable,
  renderExpirationYaml,
  type CertificateExpirationInfo,
} from '../../core/pki/expiration';
import { DEFAULT_NODE_CONFIG_DIR, type PkiInventory } from '../../core/pki/inventory';
import { PkiScanner } from '../../core/pki/scanner';
import { LineIndex } from '../../core/text/lineIndex';
import { systemClock } from '../../node/clock';
import { isDirectory } from '../../node/fs/stat';
import { FsPkiTreeSource } from '../../node/pki/fsSource';
import { parseCommandArgs, parseNow } from '../args';
import type { CliCommand, CliContext } from '../command';
import { InputError, UsageError } from '../io';

const OUTPUTS = ['table', 'text', 'json', 'yaml'] as const;
const DEFAULT_WARN_DAYS = 30;

export interface CheckExpirationArgs {
  readonly configDir: string;
  readonly certDir?: string;
  readonly output: (typeof OUTPUTS)[number];
  readonly now?: Date;
}

export function parseCheckExpirationArgs(args: readonly string[], cwd: string): CheckExpirationArgs {
  const parsed = parseCommandArgs(
    args,
    {
      'cert-dir': { type: 'string' },
      'config-dir': { type: 'string' },
      output: { type: 'string', short: 'o', default: 'table' },
      now: { type: 'string' },
    },
    false,
  );
  const values = parsed.values;
  const output = values.output;
  if (!(OUTPUTS as readonly string[]).includes(output))
    throw new UsageError(`-o must be one of table, json, yaml (got "${output}")`);
  return {
    configDir: path.resolve(cwd, values['config-dir'] ?? DEFAULT_NODE_CONFIG_DIR),
    ...(values['cert-dir'] !== undefined ? { certDir: path.resolve(cwd, values['cert-dir']) } : {}),
    output: output as CheckExpirationArgs['output'],
    ...(values.now !== undefined ? { now: parseNow(values.now) } : {}),
  };
}

/** Scans the folders the arguments name; the config dir is optional when --cert-dir is given (as with kubeadm). */
export async function scanForExpiration(args: CheckExpirationArgs, now: Date): Promise<PkiInventory> {
  const hasConfig = await isDirectory(args.configDir);
  if (args.certDir !== undefined && !(await isDirectory(args.certDir)))
    throw new InputError(`--cert-dir ${args.certDir} is not a folder`);
  if (!hasConfig && args.certDir === undefined) {
    throw new InputError(`${args.configDir} is not a folder; pass --config-dir or --cert-dir`);
  }
  const source = new FsPkiTreeSource({
    ...(hasConfig ? { configDir: args.configDir } : {}),
    ...(args.certDir !== undefined && args.certDir !== path.join(args.configDir, 'pki')
      ? { certDir: args.certDir }
      : {}),
  });
  return new PkiScanner(source).scan({
    now,
    warnDays: DEFAULT_WARN_DAYS,
    nodeConfigDir: DEFAULT_NODE_CONFIG_DIR,
  });
}

interface ExtraFinding {
  readonly code: string;
  readonly severity: string;
  readonly file: string;
  /** 1-based, when the finding points into a text file. */
  readonly line?: number;
  readonly message: string;
}

/** kubeadm's object plus `findings`, a field kubeadm does not have. */
export function expirationReport(
  inventory: PkiInventory,
  ctx: Pick<CliContext, 't'>,
): CertificateExpirationInfo & { findings: ExtraFinding[] } {
  const indexes = new Map<string, LineIndex>();
  const findings = [...inventory.findings].sort(compareFindings).map((f) => {
    const text = inventory.texts.get(f.file);
    let line: number | undefined;
    if (text !== undefined && f.span.end > 0) {
      let index = indexes.get(f.file);
      if (!index) indexes.set(f.file, (index = new LineIndex(text)));
      line = index.positionAt(f.span.start).line + 1;
    }
    return {
      code: f.code,
      severity: f.severity,
      file: f.file,
      ...(line !== undefined ? { line } : {}),
      message: renderFindingMessage(f, ctx.t),
    };
  });
  return { ...expirationInfo(inventory), findings };
}

export const checkExpirationCommand: CliCommand = {
  summary: () =>
    l10n.t(
      'Check certificate expiration like kubeadm certs check-expiration (plus signatures, wiring and permissions).',
    ),
  help: () =>
    [
      l10n.t(
        'Usage: kubecerts check-expiration [--config-dir DIR] [--cert-dir DIR] [-o table|json|yaml] [--now ISO-8601]',
      ),
      '',
      l10n.t(
        'Prints the table of kubeadm certs check-expiration for a local kubeadm folder, or the same CertificateExpirationInfo object with -o json|yaml.',
      ),
      l10n.t(
        'Problems kubeadm does not check (signatures, key pairs, static pod wiring, CIS file permissions) are listed on stderr.',
      ),
      '',
      '  --config-dir DIR   ' +
        l10n.t('kubeadm config dir with the kubeconfigs and manifests (default /etc/kubernetes)'),
      '  --cert-dir DIR     ' + l10n.t('certificate dir (default <config-dir>/pki)'),
      '  -o, --output FMT   ' + l10n.t('table (default), json or yaml'),
      '  --now ISO-8601     ' + l10n.t('check at this instant instead of now'),
      '',
    ].join('\n'),
  async run(args, ctx) {
    const parsed = parseCheckExpirationArgs(args, ctx.io.cwd);
    const inventory = await scanForExpiration(parsed, parsed.now ?? systemClock());
    const report = expirationReport(inventory, ctx);
    if (parsed.output === 'json') {
      ctx.io.stdout.write(renderExpirationJson(report));
    } else if (parsed.output === 'yaml') {
      ctx.io.stdout.write(renderExpirationYaml(report));
    } else {
      ctx.io.stdout.write(renderExpirationTable(report));
      for (const f of report.findings) {
        if (f.severity === 'info') continue;
        ctx.io.stderr.write(
          `${f.severity}: ${f.file}${f.line !== undefined ? `:${f.line}` : ''}: ${f.message} [${f.code}]\n`,
        );
      }
    }
    return 0;
  },
};
