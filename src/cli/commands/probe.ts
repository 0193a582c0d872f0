// `kubecerts probe URL [--ca FILE] [--server-name N] [--format table|json]`: connects as kubectl
// would (SNI, HTTPS_PROXY/NO_PROXY), prints the chain the server presents and the verdict: does it
// verify against the CA (or the system roots), does it cover the name, when does it expire.
import * as l10n from '@vscode/l10n';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  compareFindings,
  renderFindingMessage,
  type Finding,
  type Translate,
} from '../../core/findings/finding';
import { probeFindings } from '../../core/probe/findings';
import { probeTarget } from '../../core/probe/target';
import {
  servedVerdict,
  type ProbeObservation,
  type ProbeTrust,
  type ServedVerdict,
} from '../../core/probe/verdict';
import { decodeFileContent } from '../../core/x509/decode';
import type { Certificate } from '../../core/x509/model';
import { systemClock } from '../../node/clock';
import { DEFAULT_PROBE_TIMEOUT_MS, observeServer, systemRoots } from '../../node/probe/probe';
import { oneOf, parseCommandArgs, parseNow, parseWarnDays } from '../args';
import type { CliCommand, CliContext } from '../command';
import { InputError, UsageError } from '../io';

const FORMATS = ['table', 'json'] as const;

export interface ProbeArgs {
  readonly url: string;
  readonly ca?: string;
  readonly serverName?: string;
  readonly format: (typeof FORMATS)[number];
  readonly warnDays: number;
  readonly timeoutMs: number;
  readonly now?: Date;
}

export function parseProbeArgs(args: readonly string[]): ProbeArgs {
  const parsed = parseCommandArgs(args, {
    ca: { type: 'string' },
    'server-name': { type: 'string' },
    format: { type: 'string', default: 'table' },
    'warn-days': { type: 'string', default: '30' },
    timeout: { type: 'string', default: String(DEFAULT_PROBE_TIMEOUT_MS / 1000) },
    now: { type: 'string' },
  });
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    throw new UsageError('probe needs exactly one URL, e.g. https://10.0.0.1:6443');
  const warnDays = parseWarnDays(values['warn-days']);
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600)
    throw new UsageError('--timeout must be a number of seconds between 0 and 600');
  return {
    url: positionals[0],
    ...(values.ca !== undefined ? { ca: values.ca } : {}),
    ...(values['server-name'] !== undefined ? { serverName: values['server-name'] } : {}),
    format: oneOf('--format', values.format, FORMATS),
    warnDays,
    timeoutMs: Math.round(timeout * 1000),
    ...(values.now !== undefined ? { now: parseNow(values.now) } : {}),
  };
}

async function trustFor(args: ProbeArgs, cwd: string, env: CliContext['io']['env']): Promise<ProbeTrust> {
  if (args.ca === undefined) {
    const roots = await systemRoots(env);
    return { anchors: roots.certificates, source: 'system-roots', label: roots.file ?? 'system roots' };
  }
  const file = path.resolve(cwd, args.ca);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch {
    throw new InputError(`--ca ${args.ca}: cannot be read`);
  }
  const anchors = decodeFileContent(bytes).certificates.map((d) => d.cert);
  if (anchors.length === 0) throw new InputError(`--ca ${args.ca}: no certificate in it`);
  return { anchors, source: 'ca-file', label: args.ca };
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function certificateJson(cert: Certificate) {
  return {
    subject: cert.subject.display,
    issuer: cert.issuer.display,
    serial: cert.serialHex,
    notBefore: isoSeconds(cert.notBefore),
    notAfter: isoSeconds(cert.notAfter),
    sans: { dns: cert.sans.dns, ip: cert.sans.ip },
    isCa: cert.basicConstraints?.ca === true,
    sha256: cert.sha256Fingerprint,
    spkiPin: cert.spkiPin,
  };
}

/** The JSON object of `probe --format json`; field names are a contract. */
export function probeJson(
  observation: ProbeObservation,
  trust: ProbeTrust,
  verdict: ServedVerdict,
  findings: readonly Finding[],
  t: Translate,
) {
  const target = observation.target;
  return {
    server: target.server,
    host: target.host,
    port: target.port,
    verifyName: target.verifyName,
    sni: target.sni ?? null,
    proxy: observation.proxy ?? null,
    checkedAt: isoSeconds(observation.at),
    protocol: observation.protocol ?? null,
    error: observation.error ?? null,
    trust: { source: trust.source, label: trust.label, insecure: trust.insecure === true },
    presented: observation.presented.map(certificateJson),
    verdict: {
      reachable: verdict.reachable,
      trusted: verdict.chain?.verified ?? null,
      anchor: verdict.chain?.anchor?.subject.display ?? null,
      hostname: verdict.hostname
        ? verdict.hostname.ok
          ? { ok: true, matched: verdict.hostname.matched }
          : { ok: false, error: verdict.hostname.error }
        : null,
      expiry: verdict.expiry ?? null,
      daysLeft: verdict.daysLeft ?? null,
      goError: verdict.goError ?? null,
    },
    findings: findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: renderFindingMessage(f, t),
    })),
  };
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

function renderTable(
  observation: ProbeObservation,
  trust: ProbeTrust,
  verdict: ServedVerdict,
  findings: readonly Finding[],
  t: Translate,
): string {
  const target = observation.target;
  const lines: string[] = [];
  lines.push(`${l10n.t('Server')}: ${target.server}`);
  lines.push(
    `${l10n.t('Verified name')}: ${target.verifyName}` +
      (target.sni ? ` (SNI ${target.sni})` : ` (${l10n.t('no SNI')})`),
  );
  if (observation.proxy) lines.push(`${l10n.t('Proxy')}: ${observation.proxy}`);
  lines.push(`${l10n.t('Trust')}: ${trust.label}${trust.insecure ? ' (insecure-skip-tls-verify)' : ''}`);
  if (observation.protocol) lines.push(`${l10n.t('Protocol')}: ${observation.protocol}`);
  lines.push('');
  if (observation.presented.length > 0) {
    lines.push(l10n.t('Presented chain:'));
    lines.push(
      table([
        ['#', l10n.t('SUBJECT'), l10n.t('ISSUER'), l10n.t('NOT AFTER'), l10n.t('SERIAL'), l10n.t('SANS')],
        ...observation.presented.map((cert, i) => [
          String(i),
          cert.subject.display || '—',
          cert.issuer.display || '—',
          isoSeconds(cert.notAfter),
          cert.serialHex,
          [...cert.sans.dns.map((d) => `DNS:${d}`), ...cert.sans.ip.map((ip) => `IP:${ip}`)].join(',') || '—',
        ]),
      ]).trimEnd(),
    );
    lines.push('');
  }
  if (verdict.reachable) {
    const ok = (good: boolean): string => (good ? 'ok  ' : 'FAIL');
    if (verdict.chain) {
      lines.push(
        `${ok(verdict.chain.verified)}  ${l10n.t('chain')}: ` +
          (verdict.chain.verified
            ? l10n.t('verifies against {0}', verdict.chain.anchor?.subject.display ?? trust.label)
            : l10n.t('does not verify against {0}', trust.label)),
      );
    }
    if (verdict.hostname) {
      lines.push(
        `${ok(verdict.hostname.ok)}  ${l10n.t('name')}: ` +
          (verdict.hostname.ok
            ? l10n.t('{0} is covered by {1}', target.verifyName, verdict.hostname.matched)
            : verdict.hostname.error),
      );
    }
    const leaf = verdict.leaf;
    if (leaf) {
      const days = verdict.daysLeft ?? 0;
      lines.push(
        `${ok(verdict.expiry === 'valid' || verdict.expiry === 'expiring')}  ${l10n.t('expiry')}: ` +
          (verdict.expiry === 'expired'
            ? l10n.t('expired on {0}', isoSeconds(leaf.notAfter))
            : verdict.expiry === 'not-yet-valid'
              ? l10n.t('not valid before {0}', isoSeconds(leaf.notBefore))
              : l10n.t('expires on {0} ({1} days left)', isoSeconds(leaf.notAfter), days)),
      );
    }
    if (verdict.goError) lines.push('', l10n.t('kubectl would fail with: {0}', verdict.goError));
  }
  if (findings.length > 0) {
    lines.push('');
    for (const f of findings)
      lines.push(`${f.severity.toUpperCase()} ${f.code}: ${renderFindingMessage(f, t)}`);
  }
  return lines.join('\n') + '\n';
}

export async function runProbe(args: ProbeArgs, ctx: CliContext): Promise<number> {
  const target = probeTarget(args.url, args.serverName);
  if (!target.ok) throw new UsageError(`${args.url}: ${target.detail}`);
  const trust = await trustFor(args, ctx.io.cwd, ctx.io.env);
  const observation = await observeServer(target.target, { env: ctx.io.env, timeoutMs: args.timeoutMs });
  const now = args.now ?? systemClock();
  const verdict = servedVerdict(observation, trust, now, args.warnDays);
  const findings = probeFindings(
    observation,
    trust,
    verdict,
    { file: target.target.server, span: { start: 0, end: 0 } },
    { warnDays: args.warnDays, enabled: () => true },
  ).sort(compareFindings);
  ctx.io.stdout.write(
    args.format === 'json'
      ? JSON.stringify(probeJson(observation, trust, verdict, findings, ctx.t), null, 2) + '\n'
      : renderTable(observation, trust, verdict, findings, ctx.t),
  );
  return !verdict.reachable || findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export const probeCommand: CliCommand = {
  summary: () => l10n.t('Connect to a server and check the certificate it presents, as kubectl would.'),
  help: () =>
    [
      l10n.t('Usage: kubecerts probe URL [options]'),
      '',
      l10n.t(
        'Connects to URL (TLS; HTTPS_PROXY and NO_PROXY as kubectl uses them), prints the certificates the server presents and whether kubectl would accept them.',
      ),
      '',
      '  --ca FILE                   ' +
        l10n.t('CA certificates to verify against (default: the system roots)'),
      '  --server-name NAME          ' +
        l10n.t("name to verify and send as SNI (a kubeconfig's tls-server-name)"),
      '  --format table|json         ' + l10n.t('output format (default table)'),
      '  --warn-days N               ' +
        l10n.t('warn about certificates expiring within N days (default 30)'),
      '  --timeout SECONDS           ' + l10n.t('give up on the connection after this long (default 5)'),
      '  --now ISO-8601              ' +
        l10n.t('evaluate validity at this instant instead of the current time'),
      '',
      l10n.t(
        'Exit codes: 0 kubectl would accept the certificate, 1 it would not or the server could not be reached, 2 usage or input error.',
      ),
    ].join('\n') + '\n',
  run: (args, ctx) => runProbe(parseProbeArgs(args), ctx),
};
