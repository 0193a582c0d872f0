// Everything hover and diagnostics need from a kubeconfig document, computed once per document
// version and shared by both. Loaded with `await import()` on first use: it pulls in `yaml` and the
// certificate engine, which activation must not pay for.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import {
  analyzeEntry,
  analyzeKubeconfig,
  type EntryAnalysis,
  type KubeconfigAudit,
} from '../../core/audit/kubeconfig';
import { KubeconfigDocumentCache } from '../../core/kubeconfig/cache';
import { fieldAt, type LocatedField } from '../../core/kubeconfig/locate';
import { mergeKubeconfigs } from '../../core/kubeconfig/merge';
import type { KubeconfigDocument, KubeconfigModel } from '../../core/kubeconfig/model';
import type { Certificate } from '../../core/x509/model';
import { kubeadmAnchors, readReferencedFiles } from '../../node/fs/auditInputs';

export interface AnalysisOptions {
  readonly now: Date;
  readonly warnDays: number;
  readonly disabled: ReadonlySet<string>;
}

/** What lies around a kubeconfig on disk: referenced files and the kubeadm CA beside it. */
interface Surroundings {
  readonly files: Map<string, Uint8Array | null>;
  readonly extraAnchors: readonly Certificate[];
}

interface Snapshot {
  readonly version: number;
  readonly document: KubeconfigDocument;
  readonly model: KubeconfigModel;
  surroundings?: Promise<Surroundings>;
}

export class KubeconfigAnalysis {
  private readonly parsed = new KubeconfigDocumentCache(32);
  private readonly snapshots = new Map<string, Snapshot>();

  /** The parsed document for this version; parsing happens at most once per version. */
  snapshot(doc: vscode.TextDocument): Snapshot {
    const key = doc.uri.toString();
    const known = this.snapshots.get(key);
    if (known && known.version === doc.version) return known;
    const document = this.parsed.get(fileOf(doc), doc.version, () => doc.getText());
    const snapshot: Snapshot = { version: doc.version, document, model: mergeKubeconfigs([document]) };
    this.snapshots.set(key, snapshot);
    return snapshot;
  }

  fieldAt(doc: vscode.TextDocument, offset: number): LocatedField | undefined {
    return fieldAt(this.snapshot(doc).document, offset);
  }

  /** Findings and decoded certificates of the entry under the cursor: only what the hover shows. */
  async entry(
    doc: vscode.TextDocument,
    located: LocatedField,
    options: AnalysisOptions,
  ): Promise<EntryAnalysis | undefined> {
    const entry = located.entry;
    if (!entry || entry.kind === 'context') return undefined;
    const snapshot = this.snapshot(doc);
    const around = await this.surroundings(snapshot);
    return analyzeEntry(snapshot.model, entry, { ...options, ...around });
  }

  /** Every finding of the document. */
  async all(doc: vscode.TextDocument, options: AnalysisOptions): Promise<KubeconfigAudit> {
    const snapshot = this.snapshot(doc);
    const around = await this.surroundings(snapshot);
    return analyzeKubeconfig(snapshot.model, { ...options, ...around });
  }

  forget(doc: vscode.TextDocument): void {
    this.snapshots.delete(doc.uri.toString());
    this.parsed.delete(fileOf(doc));
  }

  private surroundings(snapshot: Snapshot): Promise<Surroundings> {
    // Untitled documents have no directory: relative paths then resolve against nothing on disk.
    snapshot.surroundings ??= (async () => {
      const files = await readReferencedFiles([{ documents: [snapshot.document] }]);
      const extraAnchors = path.isAbsolute(snapshot.document.file)
        ? await kubeadmAnchors([snapshot.document.file])
        : [];
      return { files, extraAnchors };
    })();
    return snapshot.surroundings;
  }
}

function fileOf(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
}
