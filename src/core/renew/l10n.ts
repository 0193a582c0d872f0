// Every English template renewal renders through a translate function, for the l10n bundle
// generator (scripts/l10n.ts): these are not literal l10n.t calls, so it cannot find them itself.
import { ISSUED_PROBLEMS } from './csr';
import { REFUSALS, WARNINGS } from './messages';
import { PREVIEW_LABELS, PREVIEW_TEXT } from './preview';

export const RENEW_TEMPLATES: readonly string[] = [
  ...Object.values(REFUSALS),
  ...Object.values(WARNINGS),
  ...Object.values(PREVIEW_LABELS),
  ...Object.values(PREVIEW_TEXT),
  ...Object.values(ISSUED_PROBLEMS),
];
