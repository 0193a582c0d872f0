// `kubecerts audit [PATH…]`: kubeconfigs, certificate files and directories → findings.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { prepareCertificateAudit } from '../../core/audit/files';
import { analyzeKubeconfig } from '../../core/audit/kubeconfig';
import type { CertificateReport } from '../../core/audit/report';
import { compareFindings, severityAtLeast, type Finding } from '../../core/findings/finding';
import type { Severity } from '../../core/findings/catalog';
import { mergeKubeconfigs } from '../../core/kubeconfig/merge';
import { splitKubeconfigEnv } from '../../core/kubeconfig/paths';
import { fileText } from '../../core/x509/decode';
import {
  caCertificates,
  collectAuditInputs,
  InputReadError,
  kubeadmAnchors,
} from '../../node/fs/auditInputs';
import { systemClock } from '../../node/clock';
import { pkiAuditFindings } from '../../node/pki/audit';
import { SignaturePool } from '../../node/pool/signaturePool';
import { probeClusters } from '../../node/probe/kubeconfig';
import { FLEET_OPTIONS, parseFleet, type ContextRun } from '../fleet/contexts';
import { probeContexts } from '../fleet/probeFleet';
import { ProbeCache } from '../../node/probe/probe';
import { FAIL_ON, oneOf, parseCommandArgs, parseNow, parseWarnDays } from '../args';
import type { CliCommand, CliContext } from '../command';
import { InputError, UsageError, type OutputStream } from '../io';
import { formatJson, jsonChunks } from '../output/json';
import { SourceTexts } from '../output/locations';
import { renderFindings, type AuditResult } from '../output/report';
import { writeReport } from '../output/destination';
import { formatPrometheus } from '../output/prometheus';
import { formatSarif } from '../output/sarif';
import { formatTable } from '../output/table';

const FORMATS = ['table', 'json', 'sarif', 'prometheus'] as const;
/** About 400 PEM certificates: below this a second thread costs more than it saves. */
const PARALLEL_BYTES = 512 * 1024;

export interface AuditArgs {
  readonly paths: string[];
  readonly format: (typeof FORMATS)[number];
  readonly warnDays: number;
  readonly now?: Date;
  readonly failOn: (typeof FAIL_ON)[number];
  /** Write the report to this file (atomically) instead of stdout. */
  readonly output?: string;
  /** Also connect to each cluster's server and check the certificate it presents. */
  readonly probe?: boolean;
  /** With probe: every context of each kubeconfig, `fleet.parallel` at a time (src/cli/fleet). */
  readonly allContexts?: boolean;
  readonly fleet?: ContextRun;
}

export function parseAuditArgs(args: readonly string[]): AuditArgs {
  const parsed = parseCommandArgs(args, {
    format: { type: 'string', default: 'table' },
    'warn-days': { type: 'string', default: '30' },
    now: { type: 'string' },
    'fail-on': { type: 'string', default: 'error' },
    output: { type: 'string' },
    probe: { type: 'boolean', default: false },
    ...FLEET_OPTIONS,
  });
  const { format, 'warn-days': warnDays, now, 'fail-on': failOn, output } = parsed.values;
  const checkedFormat = oneOf('--format', format, FORMATS);
  const checkedFailOn = oneOf('--fail-on', failOn, FAIL_ON);
  const checkedWarnDays = parseWarnDays(warnDays);
  if (parsed.values['all-contexts'] && !parsed.values.probe)
    throw new UsageError('--all-contexts applies to audit --probe only');
  return {
    paths: parsed.positionals,
    format: checkedFormat,
    warnDays: checkedWarnDays,
    ...(now !== undefined ? { now: parseNow(now) } : {}),
    failOn: checkedFailOn,
    ...(output !== undefined ? { output } : {}),
    ...(parsed.values.probe ? { probe: true } : {}),
    ...(parsed.values['all-contexts']
      ? {
          allContexts: true,
          fleet: parseFleet(parsed.values),
        }
      : {}),
  };
}

export async function runAudit(args: AuditArgs, ctx: CliContext): Promise<number> {
  const { io } = ctx;
  const now = args.now ?? systemClock();
  const resolve = (p: string): string => path.resolve(io.cwd, p);
  let inputs;
  try {
    inputs = await collectAuditInputs(args.paths.map(resolve), {
      kubeconfigEnv: splitKubeconfigEnv(io.env.KUBECONFIG ?? '', io.platform).map(resolve),
      defaultKubeconfig: path.join(io.homedir, '.kube', 'config'),
    });
  } catch (error) {
    if (error instanceof InputReadError) throw new InputError(error.message);
    throw error;
  }
  const sources = new SourceTexts(io.cwd);
  const findings: Finding[] = [];
  const certificates: CertificateReport[] = [];

  // Bundles of hundreds of certificates check their signatures on every core; the helper thread
  // starts while the files are decoded.
  const bytes = inputs.certificateFiles.reduce((sum, f) => sum + f.bytes.length, 0);
  const pool = signaturePool(io.env.KUBECERTS_AUDIT_THREADS, bytes);
  const prepared = prepareCertificateAudit(inputs.certificateFiles, { now, warnDays: args.warnDays });
  if (pool) {
    await pool.answer(prepared.signaturePairs);
    pool.close();
  }
  const fileAudit = prepared.finish();
  for (const input of inputs.certificateFiles) sources.add(input.file, fileText(input.bytes));
  // CAs given as files also anchor the kubeconfigs' client certificates.
  const inputCas = caCertificates(inputs.certificateFiles.map((f) => f.bytes));
  // Texts and certificates are all that is used from here on: let the file bytes go (10 MB for a
  // 10,000-certificate bundle).
  inputs.certificateFiles.length = 0;
  // Kubeconfigs of one cluster name the same server: one handshake for all of them.
  const probeCache = new ProbeCache(Number.POSITIVE_INFINITY);
  for (const kubeconfig of inputs.kubeconfigs) {
    for (const doc of kubeconfig.documents) sources.add(doc.file, doc.text);
    const extraAnchors = [...inputCas, ...(await kubeadmAnchors(kubeconfig.documents.map((d) => d.file)))];
    const audit = analyzeKubeconfig(mergeKubeconfigs(kubeconfig.documents), {
      now,
      warnDays: args.warnDays,
      files: inputs.files,
      extraAnchors,
    });
    findings.push(...audit.findings);
    certificates.push(...audit.certificates);
    if (args.probe) {
      const model = mergeKubeconfigs(kubeconfig.documents);
      const options = { env: io.env, now, warnDays: args.warnDays, files: inputs.files, cache: probeCache };
      if (args.allContexts && args.fleet) findings.push(...(await probeContexts(model, options, args.fleet)));
      else findings.push(...(await probeClusters(model, options)).flatMap((p) => p.findings));
    }
  }
  // A directory laid out as a PKI is audited as one (catalog, wiring, permissions, backups kept
  // apart); its certificate files then take their findings from that audit, not the generic one.
  const pkiDirs: string[] = [];
  for (const dir of args.paths.map(resolve)) {
    const pki = await pkiAuditFindings(dir, {
      now,
      warnDays: args.warnDays,
      ...(args.probe ? { probe: { env: io.env } } : {}),
    });
    if (!pki) continue;
    pkiDirs.push(dir);
    findings.push(...pki.findings);
    for (const [file, text] of pki.texts) sources.add(file, text);
  }
  const inPkiDir = (file: string): boolean => pkiDirs.some((dir) => file.startsWith(dir + path.sep));
  findings.push(...fileAudit.findings.filter((f) => !inPkiDir(f.file)));
  certificates.push(...fileAudit.certificates);
  findings.sort(compareFindings);

  const result: AuditResult = { findings: renderFindings(findings, sources, ctx.t), certificates, sources };
  const colour = io.stdout.isTTY === true && !io.env.NO_COLOR;
  if (args.format === 'json' && args.output === undefined) {
    // Streamed: the report of a large bundle is tens of megabytes.
    await writeChunks(io.stdout, jsonChunks(result));
    return exitCode(findings, args.failOn);
  }
  const output =
    args.format === 'json'
      ? formatJson(result)
      : args.format === 'sarif'
        ? formatSarif(result, ctx.version)
        : args.format === 'prometheus'
          ? formatPrometheus(result, now)
          : formatTable(result, colour && args.output === undefined, now);
  await writeReport(io, output, args.output);
  return exitCode(findings, args.failOn);
}

/**
 * The helper thread for the signatures, if worth it. KUBECERTS_AUDIT_THREADS (tests, bench) sets the
 * number of threads whatever the size: 1 is the single-threaded path.
 */
function signaturePool(threadsEnv: string | undefined, bytes: number): SignaturePool | undefined {
  const threads = threadsEnv ? Number(threadsEnv) : undefined;
  if (threads === undefined) return bytes >= PARALLEL_BYTES ? new SignaturePool() : undefined;
  return threads > 1 ? new SignaturePool({ threads, minChecks: 0 }) : undefined;
}

/** Writes in order, waiting whenever the stream asks to (a pipe), so that chunks do not pile up in memory. */
async function writeChunks(stream: OutputStream, chunks: Iterable<string>): Promise<void> {
  const events = stream as Partial<Pick<NodeJS.WritableStream, 'once'>>;
  for (const chunk of chunks) {
    if (stream.write(chunk) === false && events.once)
      await new Promise<void>((resolve) => events.once!('drain', () => resolve()));
  }
}

function exitCode(findings: readonly Finding[], failOn: AuditArgs['failOn']): number {
  if (failOn === 'never') return 0;
  return findings.some((f) => severityAtLeast(f.severity, failOn as Severity)) ? 1 : 0;
}

export const auditCommand: CliCommand = {
  summary: () =>
    l10n.t('Audit kubeconfigs and certificate files for expired, mis-signed and insecure credentials.'),
  help: () =>
    [
      l10n.t('Usage: kubecerts audit [PATH…] [options]'),
      '',
      l10n.t(
        'PATH: kubeconfig files, PEM/CRT files or directories (recursive). Default: $KUBECONFIG (merged), else ~/.kube/config.',
      ),
      '',
      '  --format FORMAT             ' +
        l10n.t('output format: table, json, sarif or prometheus (default table)'),
      '  --output FILE               ' +
        l10n.t(
          'write the report to FILE atomically (temp file + rename), e.g. for the node_exporter textfile collector',
        ),
      '  --warn-days N               ' +
        l10n.t('warn about certificates expiring within N days (default 30)'),
      '  --now ISO-8601              ' +
        l10n.t('evaluate validity at this instant instead of the current time'),
      '  --probe                     ' +
        l10n.t("also connect to each cluster's server and check the certificate it presents"),
      '  --all-contexts              ' +
        l10n.t('with --probe: every context of the kubeconfigs, the context on each finding'),
      '  --parallel N                ' + l10n.t('contexts probed at the same time (default 4)'),
      '  --timeout 10s               ' + l10n.t('time allowed to each context (default 10s)'),
      '  --fail-on error|warning|never  ' +
        l10n.t('exit with code 1 when a finding has at least this severity (default error)'),
      '',
      l10n.t(
        'Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or input error.',
      ),
    ].join('\n') + '\n',
  run: (args, ctx) => runAudit(parseAuditArgs(args), ctx),
};
