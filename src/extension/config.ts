// Typed access to the `kubecerts.*` settings: one getter per setting over one private get(),
// with the validation and defaults in one place.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_RENEWAL_DURATION_MS, parseGoDuration } from '../core/renew/duration';

const SECTION = 'kubecerts';

export type ConfigKey =
  | 'expiryWarningDays'
  | 'disabledFindings'
  | 'pkiDirectories'
  | 'kubeletDirectories'
  | 'probe.pkiFolders'
  | 'kubeconfig'
  | 'csr.maxExpirationSeconds'
  | 'cluster.readSecrets'
  | 'renew.duration'
  | 'probe.onSave'
  | 'codeLens.enabled'
  | 'probe.cacheTtlSeconds'
  | 'diagnostics.scope'
  | 'expiryNotifications';

export interface ConfigChange {
  /** True when the change touches `kubecerts.<key>`. */
  affects(key: ConfigKey): boolean;
}

const DEFAULT_EXPIRY_WARNING_DAYS = 30;
const DEFAULT_PROBE_CACHE_TTL_SECONDS = 300;

export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ConfigChange>();
  private readonly listener: vscode.Disposable;
  /** Fires after a change to any `kubecerts.*` setting; no setting needs a reload. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.emitter.fire({ affects: (key) => e.affectsConfiguration(`${SECTION}.${key}`) });
    });
  }

  /** Days before notAfter from which a certificate is reported as expiring. */
  get expiryWarningDays(): number {
    const days = this.get<number>('expiryWarningDays');
    return typeof days === 'number' && Number.isFinite(days) && days >= 0
      ? Math.floor(days)
      : DEFAULT_EXPIRY_WARNING_DAYS;
  }

  /** Finding codes the user switched off. */
  get disabledFindings(): ReadonlySet<string> {
    return new Set(stringList(this.get('disabledFindings')));
  }

  /** Absolute folders to show in the PKI view (`~` expanded); missing folders are the caller's concern. */
  get pkiDirectories(): string[] {
    return stringList(this.get('pkiDirectories')).map(expandHome);
  }

  /** The user-level folders only: what an untrusted workspace may show (its own settings may point anywhere). */
  get userPkiDirectories(): string[] {
    const value = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('pkiDirectories');
    return stringList(value?.globalValue ?? value?.defaultValue).map(expandHome);
  }

  /** Adds a folder to the user-level `kubecerts.pkiDirectories`, unless it is listed already. */
  async addUserPkiDirectory(dir: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const user = config.inspect<unknown>('pkiDirectories')?.globalValue;
    const current = user === undefined ? this.pkiDirectories : stringList(user);
    if (current.includes(dir)) return;
    await config.update('pkiDirectories', [...current, dir], vscode.ConfigurationTarget.Global);
  }

  /** Kubelet folders (/var/lib/kubelet) to show in the PKI view (`~` expanded). */
  get kubeletDirectories(): string[] {
    return stringList(this.get('kubeletDirectories')).map(expandHome);
  }

  /** The user-level kubelet folders only, for an untrusted workspace. */
  get userKubeletDirectories(): string[] {
    const value = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('kubeletDirectories');
    return stringList(value?.globalValue ?? value?.defaultValue).map(expandHome);
  }

  /** Check the certificates the components of each PKI folder serve whenever the folder is read again (connects: off by default). */
  get probePkiFolders(): boolean {
    return this.get<boolean>('probe.pkiFolders') === true;
  }

  /** Kubeconfig used to reach the cluster; undefined means $KUBECONFIG, else ~/.kube/config. */
  get kubeconfig(): string | undefined {
    const value = this.get<string>('kubeconfig');
    return typeof value === 'string' && value.trim() !== '' ? expandHome(value.trim()) : undefined;
  }

  /** Longest certificate lifetime (seconds) a CSR may request before the review flags it; undefined: no limit. */
  get csrMaxExpirationSeconds(): number | undefined {
    const seconds = this.get<number>('csr.maxExpirationSeconds');
    return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
      ? Math.floor(seconds)
      : undefined;
  }

  /** Whether the Cluster Certificates view lists TLS Secrets (on unless the user turned it off). */
  get clusterReadSecrets(): boolean {
    return this.get<boolean>('cluster.readSecrets') !== false;
  }

  /** A CodeLens above each certificate field (subject, expiry, verdict); on unless turned off. */
  get codeLensEnabled(): boolean {
    return this.get<boolean>('codeLens.enabled') !== false;
  }

  /** Validity of renewed certificates (Go duration, default 8760h); never beyond their CA. */
  get renewDurationMs(): number {
    return parseGoDuration(this.get<string>('renew.duration') ?? '') ?? DEFAULT_RENEWAL_DURATION_MS;
  }

  /** Check the servers of a kubeconfig when it is opened or saved (connects: off by default). */
  get probeOnSave(): boolean {
    return this.get<boolean>('probe.onSave') === true;
  }

  /** How long a served-certificate check is reused before hovering connects again. */
  get probeCacheTtlMs(): number {
    const seconds = this.get<number>('probe.cacheTtlSeconds');
    return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
      ? Math.floor(seconds) * 1000
      : DEFAULT_PROBE_CACHE_TTL_SECONDS * 1000;
  }

  /** Problems for every kubeconfig and certificate file of the workspace (default), or for open files only. */
  get diagnosticsScope(): 'workspace' | 'open' {
    return this.get<string>('diagnostics.scope') === 'open' ? 'open' : 'workspace';
  }

  /** Notify (at most daily per certificate) when a certificate of the current kubeconfig or a PKI folder expires soon. */
  get expiryNotifications(): boolean {
    return this.get<boolean>('expiryNotifications') !== false;
  }

  /** Turns the expiry notifications off for the user (the notification's "Don't Show Again"). */
  async disableExpiryNotifications(): Promise<void> {
    await vscode.workspace
      .getConfiguration(SECTION)
      .update('expiryNotifications', false, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }

  private get<T>(key: ConfigKey): T | undefined {
    return vscode.workspace.getConfiguration(SECTION).get<T>(key);
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    : [];
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}
