// What one workspace file holds, decided by its content, and its findings: a kubeconfig gets the
// kubeconfig audit (with the files it references and the kubeadm CA beside it, as in the editor),
// PEM text and Kubernetes manifests the certificate-text analysis, binary DER files the certificate-file
// audit. One table of readers, first match wins.
import * as path from 'node:path';
import { auditCertificateFiles } from '../../core/audit/files';
import type { CheckContext } from '../../core/audit/checks';
import { analyzeKubeconfig } from '../../core/audit/kubeconfig';
import type { Finding } from '../../core/findings/finding';
import { isKubeconfigText } from '../../core/kubeconfig/detect';
import { analyzeCertificateText } from '../../core/manifest/certificates';
import { certificateTextKind } from '../../core/manifest/sites';
import { mergeKubeconfigs } from '../../core/kubeconfig/merge';
import { parseKubeconfig } from '../../core/kubeconfig/parse';
import { kubeadmAnchors, readReferencedFiles } from '../../node/fs/auditInputs';

export interface FileAuditOptions {
  readonly now: Date;
  readonly warnDays: number;
  readonly disabled: ReadonlySet<string>;
}

export type FileKind = 'kubeconfig' | 'certificates';

export interface FileAudit {
  readonly file: string;
  readonly kind: FileKind;
  /** The text the findings' spans point into. */
  readonly text: string;
  /** Findings on this file only (a kubeconfig's referenced files are audited where they are). */
  readonly findings: readonly Finding[];
}

interface Reader {
  readonly kind: FileKind;
  readonly matches: (file: string, text: string, bytes: Uint8Array) => boolean;
  readonly audit: (
    file: string,
    text: string,
    bytes: Uint8Array,
    options: FileAuditOptions,
  ) => Promise<Finding[]>;
}

/** Binary (DER) certificate files: no text for the text analysis to read. */
const DER_EXTENSIONS: ReadonlySet<string> = new Set(['.crt', '.cer', '.cert', '.der']);
const DER_SEQUENCE = 0x30;

const READERS: readonly Reader[] = [
  {
    kind: 'kubeconfig',
    matches: (file, text) => isKubeconfigText(text, file),
    audit: async (file, text, _bytes, options) => {
      const document = parseKubeconfig(text, file);
      const files = await readReferencedFiles([{ documents: [document] }]);
      const extraAnchors = path.isAbsolute(file) ? await kubeadmAnchors([file]) : [];
      const audit = analyzeKubeconfig(mergeKubeconfigs([document]), { ...options, files, extraAnchors });
      return audit.findings;
    },
  },
  {
    // PEM blocks in any text; Secret, webhook, APIService and CRD manifests (multi-document too).
    kind: 'certificates',
    matches: (file, text) => certificateTextKind(file, text) !== undefined,
    audit: async (file, text, _bytes, options) =>
      analyzeCertificateText({ file, text }, checkContext(options)).findings,
  },
  {
    kind: 'certificates',
    matches: (file, _text, bytes) =>
      DER_EXTENSIONS.has(path.extname(file).toLowerCase()) && bytes[0] === DER_SEQUENCE,
    audit: async (file, _text, bytes, options) => auditCertificateFiles([{ file, bytes }], options).findings,
  },
];

function checkContext(options: FileAuditOptions): CheckContext {
  return { now: options.now, warnDays: options.warnDays, enabled: (code) => !options.disabled.has(code) };
}

const decoder = new TextDecoder('utf-8');

/** The kind of file and its findings; undefined when it holds neither a kubeconfig nor certificates. */
export async function auditFileContent(
  file: string,
  bytes: Uint8Array,
  options: FileAuditOptions,
): Promise<FileAudit | undefined> {
  const text = decoder.decode(bytes);
  const reader = READERS.find((r) => r.matches(file, text, bytes));
  if (!reader) return undefined;
  const findings = await reader.audit(file, text, bytes, options);
  return { file, kind: reader.kind, text, findings: findings.filter((f) => f.file === file) };
}
