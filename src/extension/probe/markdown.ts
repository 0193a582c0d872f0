// Markdown of the hover on `server:`: what the server presented when it was checked and the
// verdict (chain, name, the error kubectl would give), then each presented certificate decoded as
// the other hovers show them, and the "Check again" link. Free of `vscode` like hover/markdown.ts,
// whose certificate rendering it reuses, so plain-Node tests render exactly what the hover shows.
import type { Finding } from '../../core/findings/finding';
import type { ProbeObservation, ProbeTrust, ServedVerdict } from '../../core/probe/verdict';
import { formatRelativeTime } from '../../core/time/relative';
import { certificateMarkdown, code, commandUri, esc, findingLine, type HoverText } from '../hover/markdown';

export const CHECK_AGAIN_COMMAND = 'kubecerts.probe.checkAgain';

export interface ServedHover {
  readonly observation: ProbeObservation;
  readonly trust: ProbeTrust;
  readonly verdict: ServedVerdict;
  readonly findings: readonly Finding[];
  /** Arguments of the "Check again" link. */
  readonly checkAgain: readonly unknown[];
}

/** A name placeholder esc() leaves alone, replaced by the name as code after escaping. */
const SLOT = '\uE000';

function phrase(text: string, ...names: string[]): string {
  let out = esc(text);
  for (const name of names) out = out.replace(SLOT, code(name));
  return out;
}

export function servedMarkdown(hover: ServedHover, now: Date, text: HoverText): string {
  const { l10n } = text;
  const { observation, trust, verdict } = hover;
  const target = observation.target;
  const checked = l10n.t('checked {0}', formatRelativeTime(observation.at, now, text.language));
  const via = [
    observation.protocol,
    observation.proxy ? l10n.t('via proxy {0}', observation.proxy) : undefined,
  ]
    .filter((v): v is string => v !== undefined)
    .join(', ');
  const paragraphs = [
    `**${esc(l10n.t('Served certificate'))}** ${code(target.server)} — ${esc(checked)}${via ? ` (${esc(via)})` : ''}`,
  ];
  if (verdict.reachable) {
    if (trust.insecure) {
      paragraphs.push(
        `$(warning) ${esc(l10n.t('insecure-skip-tls-verify is set: kubectl verifies neither the chain nor the name.'))}`,
      );
    }
    if (verdict.chain) {
      paragraphs.push(
        verdict.chain.verified
          ? `$(pass) ${phrase(l10n.t('Chain verifies against {0} ({1})', SLOT, SLOT), trust.label, verdict.chain.anchor?.subject.display ?? '')}`
          : `$(error) ${phrase(l10n.t('Chain does not verify against {0}', SLOT), trust.label)}`,
      );
    }
    if (verdict.hostname) {
      paragraphs.push(
        verdict.hostname.ok
          ? `$(pass) ${phrase(l10n.t('{0} is covered by {1}', SLOT, SLOT), target.verifyName, verdict.hostname.matched)}`
          : `$(error) ${phrase(l10n.t('{0} is not covered', SLOT), target.verifyName)}`,
      );
    }
    if (verdict.goError) {
      paragraphs.push(`$(error) ${phrase(l10n.t('kubectl would fail with: {0}', SLOT), verdict.goError)}`);
    }
  }
  for (const finding of hover.findings) paragraphs.push(findingLine(finding, text));
  let body = paragraphs.map((p) => `${p}\n\n`).join('');
  const presented = observation.presented;
  presented.forEach((certificate, index) => {
    body += '---\n\n';
    body += certificateMarkdown(
      { file: target.server, span: { start: 0, end: 0 }, index, certificate, chains: [] },
      presented.length,
      [],
      now,
      text,
    );
  });
  body += `---\n\n$(refresh) [${esc(l10n.t('Check again'))}](${commandUri(CHECK_AGAIN_COMMAND, ...hover.checkAgain)})\n\n`;
  return body;
}
