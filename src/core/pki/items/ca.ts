// A CA row: its certificate, whether its key is here (no key: externally managed, nothing can be
// renewed locally) and whether that key is the certificate's.
import { certificateFindings } from '../../audit/checks';
import { certificateRef } from '../../findings/finding';
import { dateState, finishItem, itemState, type PkiItem } from '../item';
import { pkiReason } from '../reasons';
import {
  FILE_START,
  fileAt,
  invalidItem,
  keyMismatchFinding,
  missingItem,
  pkiFinding,
  type Builder,
  type ItemBase,
} from './builder';

export interface CaItemOptions {
  /** Logical path of the certificate. */
  readonly path: string;
  readonly keyPath?: string;
  readonly name: string;
  readonly longName?: string;
  /** From kubeadm's catalog. */
  readonly catalog: boolean;
  /** The key's absence is a finding (`pki-ca-key-missing`); never on a node, which holds no CA key. */
  readonly reportKeyMissing: boolean;
}

export function caItemId(path: string): string {
  return `ca:${path}`;
}

export function caItem(b: Builder, options: CaItemOptions): PkiItem {
  const { path, keyPath, name } = options;
  const certFile = fileAt(b, path);
  const keyFile = keyPath !== undefined ? fileAt(b, keyPath) : undefined;
  b.claimed.add(path);
  if (keyPath !== undefined) b.claimed.add(keyPath);
  const absolutePath = certFile.absolutePath;
  const base: ItemBase = {
    id: caItemId(path),
    kind: 'ca',
    name,
    longName: options.longName,
    catalog: options.catalog,
    path,
    absolutePath,
    keyPath,
    keyAbsolutePath: keyFile?.absolutePath,
    rotatedByKubelet: false,
  };
  if (!certFile.file)
    return missingItem(base, { files: [absolutePath], reason: pkiReason('certificate-missing') });
  const cert = certFile.pem?.certificates[0];
  if (!cert) return invalidItem(base, certFile.pem);

  const findings = certificateFindings(cert, { file: absolutePath, span: FILE_START, role: 'ca' }, b.ctx);
  const externallyManaged = !keyFile?.file;
  const keyMismatch = keyFile?.file ? keyMismatchFinding(cert, keyFile, absolutePath) : undefined;
  if (keyMismatch) findings.push(keyMismatch);
  if (externallyManaged && options.reportKeyMissing && keyFile) {
    findings.push(
      pkiFinding(
        'pki-ca-key-missing',
        absolutePath,
        { name, path: keyFile.absolutePath },
        { certificate: certificateRef(cert) },
      ),
    );
  }
  return finishItem({
    ...base,
    state: itemState({
      dates: dateState(cert, b.ctx.now, b.ctx.warnDays),
      keyMismatch: keyMismatch !== undefined,
      caKeyAbsent: externallyManaged,
    }),
    externallyManaged,
    certificate: cert,
    missingFiles: externallyManaged && keyFile ? [keyFile.absolutePath] : [],
    findings,
  });
}
