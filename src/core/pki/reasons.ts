// Why a PKI row is missing, unreadable, mis-signed or mismatched, as one table of English templates
// with {named} parameters (l10n keys, like the findings catalog): the core item carries a code and
// its parameters, each surface renders them in the user's language. Parameters name files and
// CAs, never key material; {detail} is the decoder's own English message.
import type { FindingParams, Translate } from '../findings/finding';

export const PKI_REASONS = {
  'certificate-missing': 'certificate file missing',
  'key-missing': 'key file missing',
  'files-missing': '{files} missing',
  'kubeconfig-missing': 'kubeconfig missing',
  'client-certificate-not-found': 'client certificate {path} not found',
  'no-client-certificate': 'no client certificate in the current context',
  'no-current-context': 'no current-context',
  'context-not-defined': 'current-context {context} is not defined',
  'client-certificate-data-unreadable': 'client-certificate-data: {detail}',
  'no-certificate': 'no certificate in the file',
  'certificate-unreadable': 'no readable certificate in the file: {detail}',
  'not-verified': 'not verified by {ca}',
  'no-private-key': '{file} holds no private key',
  'no-public-key': '{file} holds no public key',
  'public-key-mismatch': '{publicFile} is not the public half of {privateFile}',
} as const;

export type PkiReasonCode = keyof typeof PKI_REASONS;

export interface PkiReason {
  readonly code: PkiReasonCode;
  readonly params: FindingParams;
}

export function pkiReason(code: PkiReasonCode, params: FindingParams = {}): PkiReason {
  return { code, params };
}

export function renderPkiReason(reason: PkiReason, translate: Translate): string {
  return translate(PKI_REASONS[reason.code], reason.params);
}
