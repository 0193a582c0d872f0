// Which open documents are kubeconfigs, and the lazily loaded analysis shared by hover and
// diagnostics. Kept light: it is on the activation path.
import * as vscode from 'vscode';
import { isKubeconfigText } from '../../core/kubeconfig/detect';
import type { Ctx } from '../ctx';
import type { AnalysisOptions, KubeconfigAnalysis } from './analysis';

/** Kubeconfigs open as YAML, Properties or Plain Text, so every text document is a candidate. */
export const KUBECONFIG_SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];

export class KubeconfigDocuments implements vscode.Disposable {
  private readonly detected = new Map<string, { version: number; isKubeconfig: boolean }>();
  private analysis?: Promise<KubeconfigAnalysis>;
  private readonly closeListener: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.closeListener = vscode.workspace.onDidCloseTextDocument((doc) => {
      this.detected.delete(doc.uri.toString());
      void this.analysis?.then((a) => a.forget(doc));
    });
  }

  isKubeconfig(doc: vscode.TextDocument): boolean {
    const key = doc.uri.toString();
    const known = this.detected.get(key);
    if (known && known.version === doc.version) return known.isKubeconfig;
    const isKubeconfig = isKubeconfigText(doc.getText(), doc.fileName);
    this.detected.set(key, { version: doc.version, isKubeconfig });
    return isKubeconfig;
  }

  /** Loads yaml and the certificate engine on first use only. */
  load(): Promise<KubeconfigAnalysis> {
    this.analysis ??= import('./analysis').then((m) => new m.KubeconfigAnalysis());
    return this.analysis;
  }

  /** Settings and the clock, read at the moment of each analysis. */
  options(): AnalysisOptions {
    return {
      now: this.ctx.clock(),
      warnDays: this.ctx.config.expiryWarningDays,
      disabled: this.ctx.config.disabledFindings,
    };
  }

  dispose(): void {
    this.closeListener.dispose();
    this.detected.clear();
  }
}
