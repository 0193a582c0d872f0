// What every item builder shares: the folder being inventoried, the files already claimed by an
// item, the signature cache, and the few shapes of finding a PKI row carries (a missing file, an
// unreadable one, a key that is not the certificate's, a CA that does not verify it).
import { chainFindings, type CheckContext } from '../../audit/checks';
import { RELATED_MESSAGES, type FindingCode } from '../../findings/catalog';
import { certificateRef, makeFinding, type Finding, type FindingParams } from '../../findings/finding';
import { verifyChain } from '../../x509/chain';
import { keyMatchesCertificate } from '../../x509/keys';
import type { Certificate } from '../../x509/model';
import type { PemContent } from '../content';
import type { InventoryFile, InventoryInput } from '../inventory';
import { finishItem, type ItemDraft, type PkiItem } from '../item';
import { pkiReason, type PkiReason } from '../reasons';
import type { SignatureCache } from '../signatures';
import type { ResolvedFile } from '../wiring';

export interface Builder {
  readonly input: InventoryInput;
  readonly ctx: CheckContext;
  /** Logical paths an item already shows: later passes skip them. */
  readonly claimed: Set<string>;
  readonly signatures: SignatureCache;
  /** A path as the node names it (manifests, kubeconfigs), mapped onto the folder. */
  readonly resolve: (nodePath: string) => ResolvedFile;
}

/** A CA certificate an item is checked against, with the item that shows it. */
export interface Anchor {
  readonly name: string;
  readonly path: string;
  readonly cert: Certificate;
}

/** The fields of an item fixed before its files are looked at. */
export type ItemBase = Omit<ItemDraft, 'state' | 'externallyManaged' | 'findings' | 'missingFiles'>;

export const FILE_START = { start: 0, end: 0 };

/** Chain problems that mean "this CA did not sign it" (dates are the item's own state). */
const SIGNING_PROBLEMS = new Set([
  'not-signed-by-ca',
  'bad-signature',
  'issuer-not-ca',
  'path-length-exceeded',
]);

export interface FileAt {
  readonly file?: InventoryFile;
  readonly pem?: PemContent;
  /** On disk, or where it would be when absent. */
  readonly absolutePath: string;
}

export function fileAt(b: Builder, path: string): FileAt {
  const file = b.input.files.get(path);
  return {
    file,
    pem: file?.content.kind === 'pem' ? file.content : undefined,
    absolutePath: file?.stat.absolutePath ?? b.input.absolutePath(path),
  };
}

export function pkiFinding(
  code: FindingCode,
  file: string,
  params: FindingParams,
  extra: Partial<Finding> = {},
): Finding {
  return makeFinding(code, { file, span: FILE_START }, params, extra);
}

export function missingFinding(absolutePath: string, name: string): Finding {
  return pkiFinding('pki-missing', absolutePath, { path: absolutePath, name });
}

export interface Missing {
  /** Absolute paths of the absent files (the tooltip names them). */
  readonly files: readonly string[];
  /** Those worth a `pki-missing` finding; default: all. Empty for files absent on healthy clusters too. */
  readonly reported?: readonly string[];
  readonly reason: PkiReason;
  readonly externallyManaged?: boolean;
}

/** The row of an expected file that is not there. */
export function missingItem(base: ItemBase, missing: Missing): PkiItem {
  return finishItem({
    ...base,
    state: 'missing',
    externallyManaged: missing.externallyManaged ?? false,
    reason: missing.reason,
    missingFiles: missing.files,
    findings: (missing.reported ?? missing.files).map((file) => missingFinding(file, base.name)),
  });
}

/** The row of a certificate file that holds no readable certificate. */
export function invalidItem(
  base: ItemBase,
  pem: PemContent | undefined,
  missingFiles: readonly string[] = [],
): PkiItem {
  return finishItem({
    ...base,
    state: 'invalid',
    externallyManaged: false,
    reason: pem?.problems[0]
      ? pkiReason('certificate-unreadable', { detail: pem.problems[0].message })
      : pkiReason('no-certificate'),
    missingFiles,
    findings: [pkiFinding('invalid-pem', base.absolutePath, { field: base.absolutePath })],
  });
}

/** `pki-key-mismatch` when the key file holds private keys and none is the certificate's. */
export function keyMismatchFinding(
  cert: Certificate,
  key: { readonly pem?: PemContent; readonly absolutePath: string },
  certAbsolutePath: string,
): Finding | undefined {
  const keys = key.pem?.privateKeys ?? [];
  if (!keys.length || keys.some((k) => keyMatchesCertificate(k, cert))) return undefined;
  return pkiFinding(
    'pki-key-mismatch',
    certAbsolutePath,
    { keyPath: key.absolutePath, path: certAbsolutePath, subject: cert.subject.display },
    { certificate: certificateRef(cert) },
  );
}

/** The chain findings when `anchor` does not verify `cert`, with the CA pointed at; undefined when it does. */
export function misSignedFindings(
  b: Builder,
  cert: Certificate,
  anchor: Anchor,
  place: Parameters<typeof chainFindings>[3],
): Finding[] | undefined {
  const problems = verifyChain(cert, { anchors: [anchor.cert] }, b.ctx.now).problems.filter((p) =>
    SIGNING_PROBLEMS.has(p.code),
  );
  if (!problems.length) return undefined;
  return chainFindings(cert, problems, [anchor.cert], place, b.ctx, new Set(), [
    {
      file: anchor.path,
      span: FILE_START,
      message: RELATED_MESSAGES.pkiCaChecked,
      params: { ca: anchor.name, path: anchor.path },
    },
  ]);
}
