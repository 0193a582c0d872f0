// Reads what `kubecerts audit` works on: kubeconfig files (one or a KUBECONFIG merge), the files
// their path fields reference, and certificate files or directories of them.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CertificateFileInput } from '../../core/audit/files';
import { decodeFileBytes, DIRECTORY, referencedFiles } from '../../core/kubeconfig/material';
import type { Certificate } from '../../core/x509/model';
import type { KubeconfigDocument } from '../../core/kubeconfig/model';
import { parseKubeconfig } from '../../core/kubeconfig/parse';

/** Referenced files larger than this are not certificates; they are reported as unreadable instead of loaded. */
const MAX_REFERENCED_BYTES = 16 * 1024 * 1024;
const CERTIFICATE_EXTENSIONS = new Set(['.crt', '.pem', '.cer', '.cert', '.der']);
const KUBECONFIG_EXTENSIONS = new Set(['.conf', '.kubeconfig', '.yaml', '.yml', '']);
const KUBECONFIG_CONTENT = /^(?:kind:\s*["']?Config\b|clusters:|users:|contexts:|current-context:)/m;

export interface KubeconfigInput {
  /** The files merged into this configuration, in KUBECONFIG order. */
  readonly documents: KubeconfigDocument[];
}

export interface AuditInputs {
  readonly kubeconfigs: KubeconfigInput[];
  readonly certificateFiles: CertificateFileInput[];
  /** Contents of referenced files: path → bytes, null when missing, DIRECTORY for a directory. */
  readonly files: ReferencedFiles;
}

export type ReferencedFiles = Map<string, Uint8Array | null | typeof DIRECTORY>;

export class InputReadError extends Error {
  override readonly name = 'InputReadError';
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT'
    ? 'no such file or directory'
    : code === 'EACCES'
      ? 'permission denied'
      : (code ?? 'cannot be read');
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fs.readFile(file));
  } catch (error) {
    throw new InputReadError(`${file}: ${describe(error)}`);
  }
}

function looksLikeCertificateFile(file: string, bytes: Uint8Array): boolean {
  if (CERTIFICATE_EXTENSIONS.has(path.extname(file).toLowerCase())) return true;
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  if (head.includes('-----BEGIN ')) return true;
  return bytes[0] === 0x30 && !KUBECONFIG_CONTENT.test(head);
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new InputReadError(`${dir}: ${describe(error)}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // Symlinked directories are not followed: they can loop.
    if (entry.isDirectory()) await walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
}

/**
 * Collects the inputs. `paths` are explicit arguments (each kubeconfig audited on its own); with
 * none, `kubeconfigEnv` (already split) is merged, or `defaultKubeconfig` is used.
 */
export async function collectAuditInputs(
  paths: readonly string[],
  defaults: { readonly kubeconfigEnv: readonly string[]; readonly defaultKubeconfig: string },
): Promise<AuditInputs> {
  const kubeconfigs: KubeconfigInput[] = [];
  const certificateFiles: CertificateFileInput[] = [];
  if (paths.length === 0) {
    const existing: KubeconfigDocument[] = [];
    // kubectl skips KUBECONFIG entries that do not exist.
    for (const file of defaults.kubeconfigEnv) {
      const bytes = await fs.readFile(file).catch(() => undefined);
      if (bytes) existing.push(parseKubeconfig(bytes.toString('utf8'), file));
    }
    if (defaults.kubeconfigEnv.length > 0 && existing.length === 0) {
      throw new InputReadError(
        `none of the files in KUBECONFIG exist (${defaults.kubeconfigEnv.join(', ')})`,
      );
    }
    if (existing.length === 0) {
      const bytes = await readInput(defaults.defaultKubeconfig);
      existing.push(parseKubeconfig(Buffer.from(bytes).toString('utf8'), defaults.defaultKubeconfig));
    }
    kubeconfigs.push({ documents: existing });
  }
  for (const input of paths) {
    let stat;
    try {
      stat = await fs.stat(input);
    } catch (error) {
      throw new InputReadError(`${input}: ${describe(error)}`);
    }
    if (stat.isDirectory()) {
      const found: string[] = [];
      await walk(input, found);
      for (const file of found) {
        const ext = path.extname(file).toLowerCase();
        if (CERTIFICATE_EXTENSIONS.has(ext)) {
          certificateFiles.push({ file, bytes: await readInput(file) });
        } else if (KUBECONFIG_EXTENSIONS.has(ext)) {
          const bytes = await readInput(file);
          const text = Buffer.from(bytes).toString('utf8');
          if (KUBECONFIG_CONTENT.test(text)) kubeconfigs.push({ documents: [parseKubeconfig(text, file)] });
        }
      }
      continue;
    }
    const bytes = await readInput(input);
    if (looksLikeCertificateFile(input, bytes)) certificateFiles.push({ file: input, bytes });
    else kubeconfigs.push({ documents: [parseKubeconfig(Buffer.from(bytes).toString('utf8'), input)] });
  }
  const files = await readReferencedFiles(kubeconfigs);
  return { kubeconfigs, certificateFiles, files };
}

/**
 * Reads the files that the path fields of these kubeconfigs reference: path → bytes, null when
 * missing, DIRECTORY when the path names a directory (kubectl: "read PATH: is a directory").
 */
export async function readReferencedFiles(kubeconfigs: readonly KubeconfigInput[]): Promise<ReferencedFiles> {
  const files: ReferencedFiles = new Map();
  const entries = kubeconfigs.flatMap((k) => k.documents.flatMap((d) => [...d.clusters, ...d.users]));
  for (const ref of referencedFiles(entries)) {
    try {
      const stat = await fs.stat(ref.path);
      if (stat.isDirectory()) {
        files.set(ref.path, DIRECTORY);
        continue;
      }
      if (!stat.isFile() || stat.size > MAX_REFERENCED_BYTES) continue;
      // A tokenFile is a secret: only its existence is recorded.
      files.set(ref.path, ref.needsContent ? new Uint8Array(await fs.readFile(ref.path)) : new Uint8Array(0));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') files.set(ref.path, null);
    }
  }
  return files;
}

/** The cluster CA of a kubeadm PKI directory next to a kubeconfig (/etc/kubernetes/pki/ca.crt), if any. */
export async function readKubeadmCa(kubeconfigFile: string): Promise<Uint8Array | undefined> {
  const bytes = await fs
    .readFile(path.join(path.dirname(kubeconfigFile), 'pki', 'ca.crt'))
    .catch(() => undefined);
  return bytes ? new Uint8Array(bytes) : undefined;
}

/** The CA certificates among these files' contents. */
export function caCertificates(bytes: readonly Uint8Array[]): Certificate[] {
  return bytes
    .flatMap((b) => decodeFileBytes(b).certificates.map((d) => d.cert))
    .filter((c) => c.basicConstraints?.ca === true);
}

/** The CAs of kubeadm PKI directories next to these kubeconfig files: extra anchors for their client certificates. */
export async function kubeadmAnchors(kubeconfigFiles: readonly string[]): Promise<Certificate[]> {
  const found = await Promise.all(kubeconfigFiles.map(readKubeadmCa));
  return caCertificates(found.filter((b): b is Uint8Array => b !== undefined));
}
