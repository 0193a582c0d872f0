// Where a kubeconfig user's client certificate and key live — embedded `*-data` values or referenced
// files — and how renewed ones are written back there. `*-data` wins over the path, as in kubectl.
import { Buffer } from 'node:buffer';
import { promises as fs } from 'node:fs';
import { replaceUserCredentialData, type CredentialDataKey } from '../../core/kubeconfig/edit';
import type { UserEntry } from '../../core/kubeconfig/model';
import { decodeBase64Data, decodeFileContent, type DecodeResult } from '../../core/x509/decode';
import {
  CERT_FILE_MODE,
  KEY_FILE_MODE,
  replaceWithBackups,
  type FileChange,
  type WriteHooks,
  type WrittenFiles,
} from './files';

export type CredentialSlot =
  | {
      readonly kind: 'data';
      readonly kubeconfig: string;
      readonly field: CredentialDataKey;
      readonly value: string;
    }
  | { readonly kind: 'file'; readonly path: string };

export interface UserCredentials {
  readonly user: string;
  readonly cert?: CredentialSlot;
  readonly key?: CredentialSlot;
}

export function credentialSlots(entry: UserEntry): UserCredentials {
  const slot = (
    dataKey: CredentialDataKey,
    pathKey: 'client-certificate' | 'client-key',
  ): CredentialSlot | undefined => {
    const data = entry.fields[dataKey];
    if (data && data.value !== '')
      return { kind: 'data', kubeconfig: entry.file, field: dataKey, value: data.value };
    const file = entry.fields[pathKey];
    if (file && file.value !== '') return { kind: 'file', path: file.resolvedPath ?? file.value };
    return undefined;
  };
  return {
    user: entry.name,
    cert: slot('client-certificate-data', 'client-certificate'),
    key: slot('client-key-data', 'client-key'),
  };
}

export async function readSlot(slot: CredentialSlot): Promise<DecodeResult> {
  return slot.kind === 'data'
    ? decodeBase64Data(slot.value)
    : decodeFileContent(await fs.readFile(slot.path));
}

export interface NewCredentials {
  /** The certificate, with any intermediates after it. */
  readonly certPem: string;
  readonly keyPem: string;
}

/** Backs up and replaces everything that holds the user's certificate and key. */
export async function writeUserCredentials(
  creds: UserCredentials,
  next: NewCredentials,
  now: Date,
  hooks: WriteHooks = {},
): Promise<WrittenFiles> {
  const { cert, key } = creds;
  if (!cert || !key) throw new Error(`user "${creds.user}" has no client certificate and key to replace`);
  const changes: FileChange[] = [];

  const embedded = [
    { slot: cert, pem: next.certPem },
    { slot: key, pem: next.keyPem },
  ].filter(
    (e): e is { slot: Extract<CredentialSlot, { kind: 'data' }>; pem: string } => e.slot.kind === 'data',
  );
  for (const kubeconfig of new Set(embedded.map((e) => e.slot.kubeconfig))) {
    const values: Partial<Record<CredentialDataKey, string>> = {};
    for (const e of embedded.filter((x) => x.slot.kubeconfig === kubeconfig)) {
      values[e.slot.field] = Buffer.from(e.pem, 'utf8').toString('base64');
    }
    const text = await fs.readFile(kubeconfig, 'utf8');
    changes.push({
      file: kubeconfig,
      data: replaceUserCredentialData(text, creds.user, values).text,
      modeIfNew: KEY_FILE_MODE,
    });
  }

  if (cert.kind === 'file' && key.kind === 'file' && cert.path === key.path) {
    // One file with both (kubelet-client-current.pem style): keep the order the old file had.
    const old = await fs.readFile(cert.path, 'utf8');
    const keyFirst =
      old.indexOf('PRIVATE KEY-----') !== -1 &&
      old.indexOf('PRIVATE KEY-----') < old.indexOf('CERTIFICATE-----');
    changes.push({
      file: cert.path,
      data: keyFirst ? next.keyPem + next.certPem : next.certPem + next.keyPem,
      modeIfNew: KEY_FILE_MODE,
    });
  } else {
    // kubeadm's order: the key, then the certificate.
    if (key.kind === 'file') changes.push({ file: key.path, data: next.keyPem, modeIfNew: KEY_FILE_MODE });
    if (cert.kind === 'file')
      changes.push({ file: cert.path, data: next.certPem, modeIfNew: CERT_FILE_MODE });
  }
  return replaceWithBackups(changes, now, hooks);
}
