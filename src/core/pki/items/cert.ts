// A certificate row: its dates, whether the CA it hangs under verifies it (or, for a certificate no
// CA of the folder verifies, whether a CA of the same name does: the regenerated-CA trap), and its key.
import { certificateFindings } from '../../audit/checks';
import { certificateRef, type Finding } from '../../findings/finding';
import type { Certificate } from '../../x509/model';
import { dateState, finishItem, itemState, type PkiItem } from '../item';
import { pkiReason } from '../reasons';
import {
  FILE_START,
  fileAt,
  invalidItem,
  keyMismatchFinding,
  misSignedFindings,
  missingFinding,
  missingItem,
  pkiFinding,
  type Anchor,
  type Builder,
  type ItemBase,
} from './builder';

/** A CA of the folder with its certificate. */
export interface CaCertificate {
  readonly item: PkiItem;
  readonly cert: Certificate;
}

export interface CertItemOptions {
  readonly path: string;
  readonly keyPath?: string;
  readonly name: string;
  readonly longName?: string;
  /** From kubeadm's catalog: its key is expected even when absent. */
  readonly catalog: boolean;
  /** The CA it hangs under. */
  readonly ca?: PkiItem;
  /** Only for leaves no CA verifies: CAs whose name matches the issuer. */
  readonly namesakes?: readonly CaCertificate[];
}

export function certItem(b: Builder, options: CertItemOptions): PkiItem {
  const { path, name, ca, catalog } = options;
  const certFile = fileAt(b, path);
  const keyFile = options.keyPath !== undefined ? fileAt(b, options.keyPath) : undefined;
  b.claimed.add(path);
  // A catalog key is the item's even when absent; any other key only when it is there.
  const keyShown = keyFile && (catalog || keyFile.file) ? keyFile : undefined;
  if (keyShown) b.claimed.add(options.keyPath!);
  const absolutePath = certFile.absolutePath;
  const base: ItemBase = {
    id: `cert:${path}`,
    kind: 'cert',
    name,
    longName: options.longName,
    catalog,
    path,
    absolutePath,
    keyPath: keyShown ? options.keyPath : undefined,
    keyAbsolutePath: keyShown?.absolutePath,
    caId: ca?.id,
    caName: ca?.name,
    rotatedByKubelet: false,
  };
  const keyAbsent = keyShown && !keyShown.file ? [keyShown.absolutePath] : [];
  if (!certFile.file) {
    return missingItem(base, {
      files: [absolutePath, ...keyAbsent],
      reported: [absolutePath],
      reason: pkiReason('certificate-missing'),
      externallyManaged: ca?.externallyManaged,
    });
  }
  const cert = certFile.pem?.certificates[0];
  if (!cert) return invalidItem(base, certFile.pem, keyAbsent);

  const findings: Finding[] = certificateFindings(
    cert,
    { file: absolutePath, span: FILE_START, role: 'file' },
    b.ctx,
  );
  const anchors: Anchor[] = (
    ca?.certificate
      ? [{ item: ca, cert: ca.certificate }]
      : (options.namesakes ?? []).filter((n) => n.cert.subject.derHex === cert.issuer.derHex)
  ).map((c) => ({ name: c.item.name, path: c.item.absolutePath, cert: c.cert }));
  let notVerifiedBy: string | undefined;
  let checkedWith: PkiItem['checkedWith'];
  for (const anchor of anchors) {
    checkedWith = { name: anchor.name, path: anchor.path };
    const problems = misSignedFindings(b, cert, anchor, { file: absolutePath, span: FILE_START });
    if (!problems) continue;
    notVerifiedBy = anchor.name;
    findings.push(...problems);
  }
  const misSigned = notVerifiedBy !== undefined;
  if (!ca && !misSigned && !cert.isSelfIssued) {
    findings.push(
      pkiFinding(
        'pki-issuer-unknown',
        absolutePath,
        { subject: cert.subject.display, path: absolutePath, issuer: cert.issuer.display },
        { certificate: certificateRef(cert) },
      ),
    );
  }

  const keyMissing = keyAbsent.length > 0;
  if (keyMissing) findings.push(missingFinding(keyAbsent[0], `${name} key`));
  const keyMismatch = keyShown?.file ? keyMismatchFinding(cert, keyShown, absolutePath) : undefined;
  if (keyMismatch) findings.push(keyMismatch);
  return finishItem({
    ...base,
    state: itemState({
      dates: dateState(cert, b.ctx.now, b.ctx.warnDays),
      misSigned,
      keyMissing,
      keyMismatch: keyMismatch !== undefined,
    }),
    externallyManaged: ca?.externallyManaged ?? false,
    checkedWith,
    reason:
      notVerifiedBy !== undefined
        ? pkiReason('not-verified', { ca: notVerifiedBy })
        : keyMissing
          ? pkiReason('key-missing')
          : undefined,
    certificate: cert,
    missingFiles: keyAbsent,
    findings,
    modifiedMs: certFile.file.stat.mtimeMs,
  });
}
