// `kubeadm certs renew NAME|all` on files: read the entry and its CA, plan in core, issue with the
// local CA, check the result, then back up and replace the files (kubeconfigs: only the embedded
// certificate and key change). Nothing is written when the issued certificate is not what was planned.
import { Buffer } from 'node:buffer';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseKubeconfig } from '../../core/kubeconfig/parse';
import type { KubeconfigDocument, UserEntry } from '../../core/kubeconfig/model';
import type { Refusal } from '../../core/renew/messages';
import {
  checkRenewedCertificate,
  planLocalRenewal,
  type Decision,
  type LocalRenewalInput,
  type LocalRenewalPlan,
} from '../../core/renew/plan';
import { RENEWABLE_NAMES, kubeadmTarget, signingCa, targetFiles } from '../../core/renew/targets';
import { decodeFileContent, type DecodeResult } from '../../core/x509/decode';
import { issueCertificate } from '../../core/x509/issue';
import { keyMatchesCertificate } from '../../core/x509/keys';
import type { Certificate } from '../../core/x509/model';
import { pathExists } from '../fs/stat';
import { credentialSlots, readSlot, writeUserCredentials, type UserCredentials } from './credentials';
import {
  CERT_FILE_MODE,
  KEY_FILE_MODE,
  replaceWithBackups,
  type WriteHooks,
  type WrittenFiles,
} from './files';

export interface KubeadmDirs {
  /** /etc/kubernetes: kubeconfigs (and `pki/` unless certDir says otherwise). */
  readonly configDir: string;
  /** /etc/kubernetes/pki by default, like kubeadm's --cert-dir. */
  readonly certDir?: string;
}

export interface KubeadmRenewOptions extends KubeadmDirs, WriteHooks {
  readonly now: Date;
  readonly durationMs?: number;
  readonly dryRun?: boolean;
  /** Called after each entry, so a caller can report progress before `all` is done. */
  readonly onResult?: (result: KubeadmRenewal) => void;
}

export type KubeadmRenewal =
  | { readonly name: string; readonly outcome: 'refused'; readonly refusal: Refusal }
  | { readonly name: string; readonly outcome: 'planned'; readonly plan: LocalRenewalPlan }
  | {
      readonly name: string;
      readonly outcome: 'renewed';
      readonly plan: LocalRenewalPlan;
      readonly renewed: Certificate;
      readonly written: WrittenFiles;
    };

export class RenewalCheckError extends Error {
  override readonly name = 'RenewalCheckError';
}

/** `all` → every renewable catalog name; other names are kept as given (unknown ones are refused). */
export function expandRenewNames(names: readonly string[]): string[] {
  return [...new Set(names.flatMap((name) => (name === 'all' ? RENEWABLE_NAMES : [name])))];
}

/** Absolute path of a catalog-relative file (`pki/…` under certDir, the rest under configDir). */
export function kubeadmFilePath(dirs: KubeadmDirs, relative: string): string {
  const certDir = dirs.certDir ?? path.join(dirs.configDir, 'pki');
  return relative.startsWith('pki/')
    ? path.join(certDir, relative.slice(4))
    : path.join(dirs.configDir, relative);
}

export async function renewKubeadm(
  names: readonly string[],
  options: KubeadmRenewOptions,
): Promise<KubeadmRenewal[]> {
  const results: KubeadmRenewal[] = [];
  for (const name of expandRenewNames(names)) {
    const result = await renewOne(name, options);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/** The plan for one entry, or why it cannot be renewed locally (reads files, writes nothing). */
export async function planKubeadmEntry(
  name: string,
  options: KubeadmDirs & { readonly now: Date; readonly durationMs?: number },
): Promise<Decision<LocalRenewalPlan>> {
  const loaded = await loadTarget(name, options);
  if (!loaded.ok) return loaded;
  return planLocalRenewal(loaded.input, options);
}

async function renewOne(name: string, options: KubeadmRenewOptions): Promise<KubeadmRenewal> {
  const loaded = await loadTarget(name, options);
  if (!loaded.ok) return { name, outcome: 'refused', refusal: loaded.refusal };
  const decision = planLocalRenewal(loaded.input, options);
  if (!decision.ok) return { name, outcome: 'refused', refusal: decision.refusal };
  const plan = decision.plan;
  if (options.dryRun) return { name, outcome: 'planned', plan };

  const { input, caFiles } = loaded;
  const old = input.current;
  const ca = input.ca;
  if (!old || !ca) throw new Error(`internal: ${name} planned without its certificate or CA`);
  const issued = await issueCertificate({
    ...plan.request,
    issuer: {
      certPem: await fs.readFile(caFiles.cert, 'utf8'),
      keyPem: await fs.readFile(caFiles.key, 'utf8'),
    },
  });
  const renewed = decodeFileContent(issued.der).certificates[0]?.cert;
  const newKey = decodeFileContent(Buffer.from(issued.keyPem)).privateKeys[0];
  const problems = renewed ? checkRenewedCertificate(plan, old, renewed, ca, options.now) : ['unreadable'];
  if (renewed && (!newKey || !keyMatchesCertificate(newKey, renewed)))
    problems.push('the new key does not match');
  if (!renewed || problems.length) {
    throw new RenewalCheckError(`the renewed ${name} certificate was not written: ${problems.join('; ')}`);
  }

  const written =
    loaded.kind === 'kubeconfig'
      ? await writeUserCredentials(
          loaded.credentials,
          { certPem: issued.certPem, keyPem: issued.keyPem },
          options.now,
          options,
        )
      : await replaceWithBackups(
          [
            { file: loaded.keyFile, data: issued.keyPem, modeIfNew: KEY_FILE_MODE },
            { file: loaded.certFile, data: issued.certPem, modeIfNew: CERT_FILE_MODE },
          ],
          options.now,
          options,
        );
  return { name, outcome: 'renewed', plan, renewed, written };
}

type Loaded =
  | { readonly ok: false; readonly refusal: Refusal }
  | ({
      readonly ok: true;
      readonly input: LocalRenewalInput;
      readonly caFiles: { cert: string; key: string };
    } & (
      | { readonly kind: 'cert'; readonly certFile: string; readonly keyFile: string }
      | { readonly kind: 'kubeconfig'; readonly credentials: UserCredentials }
    ));

async function loadTarget(name: string, dirs: KubeadmDirs): Promise<Loaded> {
  const target = kubeadmTarget(name);
  if (!target) {
    return {
      ok: false,
      refusal: { code: 'unknown-name', params: { name, names: ['all', ...RENEWABLE_NAMES].join(', ') } },
    };
  }
  const caEntry = signingCa(target);
  const caRel = targetFiles(caEntry);
  const caFiles = { cert: kubeadmFilePath(dirs, caRel.cert), key: kubeadmFilePath(dirs, caRel.key ?? '') };
  const caRead = await readDecoded(caFiles.cert);
  if (caRead.kind === 'unreadable') return { ok: false, refusal: caRead.refusal };
  const ca = caRead.kind === 'ok' ? caRead.result.certificates[0]?.cert : undefined;
  const caKeyPresent = await pathExists(caFiles.key);
  const base = { target, ca, caKeyPresent };

  if (target.kind === 'kubeconfig') {
    const file = kubeadmFilePath(dirs, targetFiles(target).cert);
    const read = await readText(file);
    if (read.kind === 'unreadable') return { ok: false, refusal: read.refusal };
    if (read.kind === 'missing')
      return { ok: true, kind: 'kubeconfig', input: base, caFiles, credentials: { user: '' } };
    const user = kubeconfigUser(parseKubeconfig(read.text, file));
    const credentials = user ? credentialSlots(user) : { user: '' };
    if (target.rotatedByKubelet) return { ok: true, kind: 'kubeconfig', input: base, caFiles, credentials };
    if (!credentials.cert || !credentials.key) {
      return { ok: false, refusal: { code: 'no-client-certificate', params: { name } } };
    }
    const decodedCert = await readSlot(credentials.cert);
    const decodedKey = await readSlot(credentials.key);
    const current = decodedCert.certificates[0]?.cert;
    if (!current) return { ok: false, refusal: { code: 'no-client-certificate', params: { name } } };
    return {
      ok: true,
      kind: 'kubeconfig',
      input: { ...base, current, keyFormat: pemFormat(decodedKey) },
      caFiles,
      credentials,
    };
  }

  const rel = targetFiles(target);
  const certFile = kubeadmFilePath(dirs, rel.cert);
  const keyFile = kubeadmFilePath(dirs, rel.key ?? '');
  const certRead = await readDecoded(certFile);
  if (certRead.kind === 'unreadable') return { ok: false, refusal: certRead.refusal };
  const keyRead = await readDecoded(keyFile);
  const current = certRead.kind === 'ok' ? certRead.result.certificates[0]?.cert : undefined;
  return {
    ok: true,
    kind: 'cert',
    input: { ...base, current, keyFormat: keyRead.kind === 'ok' ? pemFormat(keyRead.result) : undefined },
    caFiles,
    certFile,
    keyFile,
  };
}

/** The user of the current context, or the only user: kubeadm writes one of each. */
function kubeconfigUser(doc: KubeconfigDocument): UserEntry | undefined {
  const users = doc.users;
  const contextName = doc.currentContext?.value;
  const userName = doc.contexts.find((c) => c.name === contextName)?.fields.user?.value;
  return users.find((u) => u.name === userName) ?? (users.length === 1 ? users[0] : undefined);
}

function pemFormat(decoded: DecodeResult): LocalRenewalInput['keyFormat'] {
  const format = decoded.privateKeys[0]?.format;
  return format === 'pkcs1' || format === 'pkcs8' || format === 'sec1' ? format : undefined;
}

type Read<T> =
  | { readonly kind: 'ok'; readonly result: T }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly refusal: Refusal };

async function readDecoded(file: string): Promise<Read<DecodeResult>> {
  try {
    return { kind: 'ok', result: decodeFileContent(await fs.readFile(file)) };
  } catch (err) {
    return readFailure(file, err);
  }
}

async function readText(
  file: string,
): Promise<Exclude<Read<never>, { kind: 'ok' }> | { readonly kind: 'text'; readonly text: string }> {
  try {
    return { kind: 'text', text: await fs.readFile(file, 'utf8') };
  } catch (err) {
    return readFailure(file, err);
  }
}

function readFailure(file: string, err: unknown): Exclude<Read<never>, { kind: 'ok' }> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { kind: 'missing' };
  return {
    kind: 'unreadable',
    refusal: { code: 'unreadable', params: { file, reason: code ?? String(err) } },
  };
}
