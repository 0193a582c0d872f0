// What a CSR row and the decision prompts say, without `vscode`: the tree provider and the
// prompts turn this into a TreeItem and dialog text. At the
// side bar's default width (300 px) a long name leaves room for a few words, so the description
// opens with the verdict (worst risk, or the outcome of a decision) and then kubectl's AGE; the
// icon and the risk badge carry state and counts, the tooltip everything else.
import { csrAge, csrState, isIssued, type Csr, type CsrState } from '../../../core/csr/model';
import { humanDuration } from '../../../core/time/humanDuration';
import { riskLabel, worstSeverity, type CsrRiskFinding } from '../../../core/csr/riskCatalog';
import type { Severity } from '../../../core/findings/catalog';
import type { Translate } from '../../../core/findings/finding';
import type { CsrEntry } from './csrSession';

/** A codicon id and an optional theme colour id. */
export type RowIcon = readonly [id: string, colour?: string];

export interface CsrRow {
  readonly description: string;
  readonly icon: RowIcon;
  readonly contextValue: string;
}

export const SEVERITY_ICONS: Readonly<Record<Severity, RowIcon>> = {
  error: ['error', 'problemsErrorIcon.foreground'],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  info: ['info', 'problemsInfoIcon.foreground'],
};

export const STATE_ICONS: Readonly<Record<CsrState, RowIcon>> = {
  pending: ['clock', 'charts.yellow'],
  approved: ['check', 'charts.green'],
  denied: ['circle-slash', 'charts.red'],
  failed: ['error', 'charts.red'],
};

/** contextValue of a CSR item, used by the menus' `viewItem ==` clauses. */
export function csrContextValue(csr: Csr): string {
  const state = csrState(csr);
  return state === 'approved' && isIssued(csr) ? 'csr-issued' : `csr-${state}`;
}

/** The findings that decide a pending row's verdict: errors, else warnings (info never alarms). */
function alarming(findings: readonly CsrRiskFinding[]): readonly CsrRiskFinding[] {
  const worst = worstSeverity(findings);
  return worst === 'info' ? [] : findings.filter((f) => f.severity === worst);
}

/** `l10n` is vscode.l10n in the extension; the literal calls let `npm run l10n` find the strings. */
export function csrRow(entry: CsrEntry, now: Date, l10n: { readonly t: Translate }): CsrRow {
  const { csr, review } = entry;
  const state = csrState(csr);
  const contextValue = csrContextValue(csr);
  const age = csrAge(csr, now);
  const row = (verdict: string, icon: RowIcon): CsrRow => ({
    description: `${verdict} · ${age}`,
    icon,
    contextValue,
  });
  switch (state) {
    case 'pending': {
      if (!review) return row(l10n.t('reviewing…', {}), ['loading~spin']);
      const risks = alarming(review.findings);
      if (!risks.length) return row(l10n.t('no risk found', {}), STATE_ICONS.pending);
      const more = risks.length > 1 ? ` +${risks.length - 1}` : '';
      return row(`${riskLabel(risks[0], l10n.t)}${more}`, SEVERITY_ICONS[risks[0].severity]);
    }
    case 'approved':
      return isIssued(csr)
        ? row(l10n.t('issued', {}), ['pass-filled', 'charts.green'])
        : row(l10n.t('approved, not issued yet', {}), STATE_ICONS.approved);
    case 'denied':
      return row(l10n.t('denied', {}), STATE_ICONS.denied);
    case 'failed':
      return row(l10n.t('signer refused', {}), STATE_ICONS.failed);
  }
}

/**
 * Who gets what if this CSR is approved: the requester, and the certificate's user (CN), groups
 * (O), SANs, signer and lifetime, as the request asks for them.
 */
export function grantSummary(entry: CsrEntry, l10n: { readonly t: Translate }): string {
  const { csr, review } = entry;
  const req = review?.request;
  const none = l10n.t('none', {});
  const sans = req ? [...req.sans.dns, ...req.sans.ip, ...req.sans.email, ...req.sans.uri] : [];
  return l10n.t(
    '{requester} gets a certificate for user {user}, groups {groups}, SANs {sans}, from {signer}, valid for {duration}.',
    {
      requester: csr.spec.username ?? '?',
      user: req?.commonName ?? '?',
      groups: req?.organizations.join(', ') || none,
      sans: sans.join(', ') || none,
      signer: csr.spec.signerName,
      duration:
        csr.spec.expirationSeconds !== undefined
          ? humanDuration(csr.spec.expirationSeconds * 1000)
          : l10n.t("the signer's default duration", {}),
    },
  );
}
