// The kubelet's certificate rows: the client certificate (kubelet-client-current.pem, a link to
// the latest rotated kubelet-client-DATE.pem, key in the same file) and the serving one (a
// self-signed kubelet.crt/.key, or kubelet-server-current.pem with serverTLSBootstrap). Their
// date findings say what the kubelet does about them, and config.yaml's rotateCertificates is read.
import { certificateFindings } from '../../audit/checks';
import type { FindingCode } from '../../findings/catalog';
import { certificateRef, makeFinding, type Finding } from '../../findings/finding';
import { dateState, finishItem, itemState, type PkiItem } from '../item';
import { pkiReason } from '../reasons';
import type { KubeletCertEntry, KubeletCertRole, KubeletConfig } from '../kubelet';
import {
  FILE_START,
  fileAt,
  invalidItem,
  keyMismatchFinding,
  missingFinding,
  missingItem,
  pkiFinding,
  type Builder,
  type ItemBase,
} from './builder';

/** The generic date codes, as the kubelet's own (which say what the kubelet does about them). */
const DATE_CODES: Readonly<Record<KubeletCertRole, Partial<Record<FindingCode, FindingCode>>>> = {
  client: { 'cert-expired': 'kubelet-client-cert-expired', 'cert-expiring': 'kubelet-client-cert-expiring' },
  serving: {
    'cert-expired': 'kubelet-serving-cert-expired',
    'cert-expiring': 'kubelet-serving-cert-expiring',
  },
};

function written(field: { readonly value: unknown } | undefined): string | undefined {
  return field === undefined ? undefined : String(field.value);
}

export function kubeletItem(b: Builder, entry: KubeletCertEntry, config: KubeletConfig | undefined): PkiItem {
  const candidates = entry.files(config);
  const chosen = candidates.find((c) => b.input.files.has(c.cert)) ?? candidates[0];
  const certFile = fileAt(b, chosen.cert);
  const keyFile = chosen.key !== undefined ? fileAt(b, chosen.key) : undefined;
  b.claimed.add(chosen.cert);
  if (chosen.key !== undefined) b.claimed.add(chosen.key);
  // The rotated file the link points to is this row, not a backup.
  const linkTarget = certFile.file?.stat.linkTarget;
  for (const [path, file] of b.input.files)
    if (linkTarget !== undefined && file.stat.absolutePath === linkTarget) b.claimed.add(path);

  const base: ItemBase = {
    id: `kubelet:${entry.name}`,
    kind: 'cert',
    name: entry.name,
    longName: entry.longName,
    catalog: true,
    path: chosen.cert,
    absolutePath: certFile.absolutePath,
    keyPath: chosen.key,
    keyAbsolutePath: keyFile?.absolutePath,
    rotatedByKubelet: true,
  };
  const keyAbsent = keyFile && !keyFile.file ? [keyFile.absolutePath] : [];
  if (!certFile.file)
    return missingItem(base, {
      files: [certFile.absolutePath, ...keyAbsent],
      reported: [certFile.absolutePath],
      reason: pkiReason('certificate-missing'),
    });
  const cert = certFile.pem?.certificates[0];
  if (!cert) return invalidItem(base, certFile.pem, keyAbsent);

  const path = certFile.absolutePath;
  const own = DATE_CODES[entry.role];
  const findings: Finding[] = certificateFindings(
    cert,
    { file: path, span: FILE_START, role: 'file' },
    b.ctx,
  ).map((f) => {
    const code = own[f.code];
    return code === undefined
      ? f
      : makeFinding(
          code,
          { file: path, span: FILE_START },
          { ...f.params, path },
          { certificate: f.certificate },
        );
  });

  const rotate = config?.rotateCertificates;
  if (entry.role === 'client' && config && !config.error && rotate?.value !== true) {
    const value = written(rotate) ?? 'false (not set)';
    findings.push(
      makeFinding(
        'kubelet-rotation-disabled',
        { file: config.file, span: rotate?.span ?? FILE_START },
        {
          path: config.file,
          setting: value,
          notAfter: cert.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
        { certificate: certificateRef(cert) },
      ),
    );
  }

  // The client's key is in the same .pem; the self-signed serving pair has its own .key.
  const keySource = keyFile?.file ? keyFile : { pem: certFile.pem, absolutePath: path };
  const keyMismatch = keyMismatchFinding(cert, keySource, path);
  if (keyMismatch) findings.push(keyMismatch);
  const keyMissing = keyAbsent.length > 0;
  if (keyMissing) findings.push(missingFinding(keyAbsent[0], `${entry.name} key`));
  if (!keyFile && !certFile.pem?.privateKeys.length)
    findings.push(pkiFinding('pki-missing', path, { path, name: `${entry.name} key` }));

  return finishItem({
    ...base,
    state: itemState({
      dates: dateState(cert, b.ctx.now, b.ctx.warnDays),
      keyMissing,
      keyMismatch: keyMismatch !== undefined,
    }),
    externallyManaged: false,
    reason: keyMissing ? pkiReason('key-missing') : undefined,
    certificate: cert,
    missingFiles: keyAbsent,
    findings,
    modifiedMs: certFile.file.stat.mtimeMs,
    kubelet: {
      role: entry.role,
      ...(linkTarget !== undefined ? { linkTarget } : {}),
      // The kubelet's own pair: its throwaway CA (<node>-ca@<time>) follows the certificate in kubelet.crt.
      selfSigned:
        cert.isSelfIssued ||
        (certFile.pem?.certificates.slice(1).some((c) => c.subject.derHex === cert.issuer.derHex) ?? false),
      ...(rotate ? { rotateCertificates: written(rotate) } : {}),
      ...(config?.serverTLSBootstrap ? { serverTLSBootstrap: written(config.serverTLSBootstrap) } : {}),
    },
  });
}
