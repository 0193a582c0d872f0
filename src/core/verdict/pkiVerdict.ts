// The verdict line of a PKI tree item, from what the inventory found: the CA its signature was
// checked with (`checkedWith`), whether that check failed (`mis-signed`), and the chain and date
// codes among its findings. Same headline, same renderers as the kubeconfig verdicts.
import type { FindingCode } from '../findings/catalog';
import type { PkiItem } from '../pki/item';
import type { ChainProblemCode } from '../x509/chain';
import type { VerdictHeadline } from './chainVerdict';

/** The codes a chain verdict can carry (every ChainProblemCode: the compiler keeps this complete). */
const CHAIN_CODES: Readonly<Record<ChainProblemCode, true>> = {
  'not-signed-by-ca': true,
  'bad-signature': true,
  'issuer-not-ca': true,
  'path-length-exceeded': true,
  'cert-expired': true,
  'cert-not-yet-valid': true,
  'unhandled-critical-extension': true,
  'name-constraint-violation': true,
  'incompatible-key-usage': true,
  'chain-too-complex': true,
  'weak-signature': true,
  'invalid-certificate': true,
};

function isChainCode(code: FindingCode): code is ChainProblemCode {
  return Object.prototype.hasOwnProperty.call(CHAIN_CODES, code);
}

/** Undefined when the item's signature was not checked (no certificate, or no CA to check it with). */
export function pkiItemHeadline(item: PkiItem): VerdictHeadline | undefined {
  const ca = item.checkedWith;
  if (!item.certificate || !ca) return undefined;
  const codes = [...new Set(item.findings.map((f) => f.code).filter(isChainCode))];
  const anchorSource = ca.path === item.absolutePath ? 'cluster-ca' : 'extra-anchor';
  if (item.state === 'mis-signed') return { status: 'not-signed', tried: [ca.name], codes };
  return {
    status: codes.length ? 'signed' : 'verified',
    anchor: ca.name,
    anchorSource,
    tried: [ca.name],
    codes,
  };
}
