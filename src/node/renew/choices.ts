// What can renew the certificate in a given file: the local kubeadm CA (when the file is a catalog
// entry of a kubeadm tree) and/or the cluster's CSR API (for each kubeconfig user with a client
// certificate and a context to reach the cluster). Refusals are kept, so a caller can say why.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { entryAt } from '../../core/kubeconfig/locate';
import type { KubeconfigDocument, UserEntry } from '../../core/kubeconfig/model';
import { parseKubeconfig } from '../../core/kubeconfig/parse';
import type { UserRenewalPlan } from '../../core/renew/csr';
import type { Refusal } from '../../core/renew/messages';
import type { Decision, LocalRenewalPlan } from '../../core/renew/plan';
import { kubeadmTargetForPath } from '../../core/renew/targets';
import { isDirectory } from '../fs/stat';
import { planKubeadmEntry } from './kubeadm';
import { planUserEntry } from './user';

export type RenewalChoice =
  | {
      readonly kind: 'local';
      readonly name: string;
      readonly configDir: string;
      readonly decision: Decision<LocalRenewalPlan>;
    }
  | {
      readonly kind: 'csr';
      readonly kubeconfig: string;
      readonly user: string;
      readonly context: string;
      readonly decision: Decision<UserRenewalPlan>;
    };

export interface ChoiceOptions {
  readonly now: Date;
  readonly durationMs?: number;
  readonly expirationSeconds?: number;
  /** An offset in a kubeconfig: only the user (or context) there is offered. */
  readonly offset?: number;
}

/** How far up a file may sit below its kubeadm config dir (`pki/etcd/server.crt` is two levels). */
const MAX_DEPTH = 3;

export async function renewalChoicesForFile(file: string, options: ChoiceOptions): Promise<RenewalChoice[]> {
  const choices: RenewalChoice[] = [];
  const kubeadm = await kubeadmEntryOf(file);
  if (kubeadm) {
    const decision = await planKubeadmEntry(kubeadm.name, { configDir: kubeadm.configDir, ...options });
    choices.push({ kind: 'local', ...kubeadm, decision });
    // kubelet.conf is the kubelet's to rotate: the CSR API is not offered for it either.
    if (!decision.ok && decision.refusal.code === 'rotated-by-kubelet') return choices;
  }

  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return choices;
  }
  const doc = parseKubeconfig(text, file);
  for (const user of usersAt(doc, options.offset)) {
    if (!hasClientCertificate(user)) continue;
    const context = contextFor(doc, user.name);
    if (!context) continue;
    const planned = await planUserEntry({
      kubeconfig: file,
      context,
      expirationSeconds: options.expirationSeconds,
      clock: () => options.now,
    });
    const decision: Decision<UserRenewalPlan> = planned.ok
      ? { ok: true, plan: planned.plan }
      : { ok: false, refusal: planned.refusal };
    choices.push({ kind: 'csr', kubeconfig: file, user: user.name, context, decision });
  }
  return choices;
}

/** The refusals, when nothing can renew the file; empty when something can. */
export function refusalsOnly(choices: readonly RenewalChoice[]): Refusal[] {
  if (choices.some((c) => c.decision.ok)) return [];
  return choices.flatMap((c) => (c.decision.ok ? [] : [c.decision.refusal]));
}

async function kubeadmEntryOf(file: string): Promise<{ name: string; configDir: string } | undefined> {
  let dir = path.dirname(path.resolve(file));
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const relative = path.relative(dir, file).split(path.sep).join('/');
    const target = kubeadmTargetForPath(relative);
    if (target && (await isDirectory(path.join(dir, 'pki')))) return { name: target.name, configDir: dir };
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function usersAt(doc: KubeconfigDocument, offset: number | undefined): UserEntry[] {
  if (offset === undefined) return [...doc.users];
  const entry = entryAt(doc, offset);
  if (entry?.kind === 'user') return [entry];
  if (entry?.kind === 'context') return doc.users.filter((u) => u.name === entry.fields.user?.value);
  return [...doc.users];
}

function hasClientCertificate(user: UserEntry): boolean {
  return Boolean(user.fields['client-certificate-data']?.value || user.fields['client-certificate']?.value);
}

/** The current context when it uses this user, else the first context that does. */
function contextFor(doc: KubeconfigDocument, userName: string): string | undefined {
  const uses = doc.contexts.filter((c) => c.fields.user?.value === userName);
  const current = doc.currentContext?.value;
  return (uses.find((c) => c.name === current) ?? uses[0])?.name;
}
