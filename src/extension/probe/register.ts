// Served certificates in the editor: a hover on a kubeconfig's `server:` value connects (trusted
// workspaces only; cached for `kubecerts.probe.cacheTtlSeconds`), shows what the server presents and
// the verdict, and offers "Check again". The findings of checked clusters go to the Problems panel
// for the open kubeconfig; opening or saving checks every cluster only with
// `kubecerts.probe.onSave`. Edits never connect: they only re-place the findings already known.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { registerCommandTable, type CommandTable } from '../commands';
import { DIAGNOSTIC_SOURCE, toDiagnostic } from '../diagnostics/diagnostics';
import { translate } from '../l10n';
import { KUBECONFIG_SELECTOR, type KubeconfigDocuments } from '../kubeconfig/documents';
import { CHECK_AGAIN_COMMAND, servedMarkdown } from './markdown';
import type { ClusterProbeResult } from '../../node/probe/kubeconfig';
import type { ProbeCache } from '../../node/probe/probe';
import type * as probeEngine from './engine';

const DEBOUNCE_MS = 300;

type Engine = typeof probeEngine;

/** The probe feature's state: which clusters of which document were checked, and the cache. */
export class ServedCertificates implements vscode.Disposable {
  private engine?: Promise<{ engine: Engine; cache: ProbeCache }>;
  /** Document URI → names of the clusters checked in it. */
  private readonly checked = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  readonly collection: vscode.DiagnosticCollection;

  constructor(
    readonly ctx: Ctx,
    private readonly documents: KubeconfigDocuments,
  ) {
    this.collection = vscode.languages.createDiagnosticCollection(`${DIAGNOSTIC_SOURCE}-served`);
  }

  /** The network code loads on first use; activation does not pay for it. */
  private load(): Promise<{ engine: Engine; cache: ProbeCache }> {
    this.engine ??= import('./engine').then((engine) => ({
      engine,
      cache: new engine.ProbeCache(this.ctx.config.probeCacheTtlMs, this.ctx.clock),
    }));
    return this.engine;
  }

  setTtl(ms: number): void {
    void this.engine?.then(({ cache }) => cache.setTtl(ms));
  }

  /**
   * Probes clusters of `doc` (all, or the named ones) and returns their results. `mode`: `connect`
   * reuses fresh results, `refresh` always connects, `cached` never connects.
   */
  async probe(
    doc: vscode.TextDocument,
    clusters: ReadonlySet<string> | undefined,
    mode: 'connect' | 'refresh' | 'cached',
  ): Promise<ClusterProbeResult[]> {
    if (mode !== 'cached' && !vscode.workspace.isTrusted) return [];
    const [{ engine, cache }, analysis] = await Promise.all([this.load(), this.documents.load()]);
    const snapshot = analysis.snapshot(doc);
    const files = await engine.readReferencedFiles([{ documents: [snapshot.document] }]);
    const options = this.documents.options();
    const disabled = options.disabled;
    return engine.probeClusters(snapshot.model, {
      env: process.env,
      now: this.ctx.clock(),
      warnDays: options.warnDays,
      enabled: (code) => !disabled.has(code),
      files,
      file: snapshot.document.file,
      ...(clusters ? { clusters } : {}),
      cache,
      ...(mode === 'refresh' ? { refresh: true } : {}),
      ...(mode === 'cached' ? { cachedOnly: true } : {}),
    });
  }

  /** Marks clusters as checked and republishes the document's diagnostics from what is known. */
  async publish(doc: vscode.TextDocument, checkedNow: readonly string[] = []): Promise<void> {
    const key = doc.uri.toString();
    let names = this.checked.get(key);
    if (!names) {
      if (checkedNow.length === 0) return;
      names = new Set();
      this.checked.set(key, names);
    }
    for (const name of checkedNow) names.add(name);
    const version = doc.version;
    const results = await this.probe(doc, names, 'cached');
    if (doc.isClosed || doc.version !== version) return;
    this.collection.set(
      doc.uri,
      results.flatMap((r) => r.findings).map((f) => toDiagnostic(doc, f)),
    );
  }

  /** Re-places known findings after an edit (debounced); never connects. */
  schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!this.checked.has(key)) return;
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.publish(doc).catch((error: unknown) =>
          this.ctx.log.error('served diagnostics failed', error),
        );
      }, DEBOUNCE_MS),
    );
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.checked.delete(key);
    this.collection.delete(doc.uri);
  }

  /** Republishes every checked document (settings changed). */
  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments)
      if (this.checked.has(doc.uri.toString())) this.schedule(doc);
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.collection.dispose();
  }
}

async function provideHover(
  served: ServedCertificates,
  documents: KubeconfigDocuments,
  doc: vscode.TextDocument,
  position: vscode.Position,
  token: vscode.CancellationToken,
): Promise<vscode.Hover | undefined> {
  if (!vscode.workspace.isTrusted || !documents.isKubeconfig(doc)) return undefined;
  const analysis = await documents.load();
  const located = analysis.fieldAt(doc, doc.offsetAt(position));
  if (!located || located.field.key !== 'server' || located.entry?.kind !== 'cluster') return undefined;
  const cluster = located.entry.name;
  const [result] = await served.probe(doc, new Set([cluster]), 'connect');
  if (!result || token.isCancellationRequested) return undefined;
  void served.publish(doc, [cluster]);
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = { enabledCommands: [CHECK_AGAIN_COMMAND, 'kubecerts.copySpkiPin'] };
  md.supportHtml = false;
  md.appendMarkdown(
    servedMarkdown(
      {
        observation: result.observation,
        trust: result.plan.trust,
        verdict: result.verdict,
        findings: result.findings,
        checkAgain: [doc.uri.toString(), cluster],
      },
      served.ctx.clock(),
      { l10n: vscode.l10n, language: vscode.env.language, translate },
    ),
  );
  const span = located.field.span;
  return new vscode.Hover(md, new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end)));
}

const COMMANDS: CommandTable<ServedCertificates> = {
  // From the hover's link: [document URI, cluster name].
  'kubecerts.probe.checkAgain': (served) => async (uri: unknown, cluster: unknown) => {
    if (typeof uri !== 'string' || typeof cluster !== 'string') return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (!doc) return;
    const [result] = await served.probe(doc, new Set([cluster]), 'refresh');
    if (!result) return;
    await served.publish(doc, [cluster]);
    const summary = result.verdict.reachable
      ? result.findings.length === 0
        ? vscode.l10n.t('{0}: the served certificate passes every check.', result.plan.target.server)
        : vscode.l10n.t(
            '{0}: {1} problem(s) with the served certificate.',
            result.plan.target.server,
            result.findings.length,
          )
      : vscode.l10n.t(
          '{0}: the served certificate could not be checked ({1}).',
          result.plan.target.server,
          result.observation.error ?? '',
        );
    // The next hover shows the new result; the status bar says it now.
    vscode.window.setStatusBarMessage(summary, 10_000);
  },
};

export function registerProbe(ctx: Ctx, documents: KubeconfigDocuments): void {
  const served = ctx.own(new ServedCertificates(ctx, documents));
  registerCommandTable(ctx, COMMANDS, served);
  ctx.own(
    vscode.languages.registerHoverProvider(KUBECONFIG_SELECTOR, {
      provideHover: (doc, position, token) =>
        provideHover(served, documents, doc, position, token).catch((error: unknown) => {
          ctx.log.error(`served-certificate hover failed for ${doc.uri.toString(true)}`, error);
          return undefined;
        }),
    }),
  );
  // Opening or saving checks every cluster of the file, only when the user asked for it.
  const checkAll = (doc: vscode.TextDocument): void => {
    if (!ctx.config.probeOnSave || !vscode.workspace.isTrusted) return;
    if (doc.uri.scheme !== 'file' || !documents.isKubeconfig(doc)) return;
    void (async () => {
      const results = await served.probe(doc, undefined, 'connect');
      await served.publish(
        doc,
        results.map((r) => r.plan.cluster.name),
      );
    })().catch((error: unknown) => ctx.log.error('served-certificate check failed', error));
  };
  ctx.own(vscode.workspace.onDidOpenTextDocument(checkAll));
  ctx.own(vscode.workspace.onDidSaveTextDocument(checkAll));
  ctx.own(vscode.workspace.onDidChangeTextDocument((e) => served.schedule(e.document)));
  ctx.own(vscode.workspace.onDidCloseTextDocument((doc) => served.forget(doc)));
  ctx.own(
    ctx.config.onDidChange((change) => {
      if (change.affects('probe.cacheTtlSeconds')) served.setTtl(ctx.config.probeCacheTtlMs);
      if (change.affects('expiryWarningDays') || change.affects('disabledFindings')) served.refreshAll();
      if (change.affects('probe.onSave') && ctx.config.probeOnSave)
        vscode.workspace.textDocuments.forEach(checkAll);
    }),
  );
  // Documents already open when the setting is on.
  for (const doc of vscode.workspace.textDocuments) checkAll(doc);
}
