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
import { parseKubeconfigAround } from '../../core/kubeconfig/parse';
import { scanYaml, type ScanMap } from '../../core/kubeconfig/scan';
import type { Certificate } from '../../core/x509/model';
import { kubeadmAnchors, readReferencedFiles, type ReferencedFiles } from '../../node/fs/auditInputs';

export interface AnalysisOptions {
  readonly now: Date;
  readonly warnDays: number;
  readonly disabled: ReadonlySet<string>;
}

/** What lies around a kubeconfig on disk: referenced files and the kubeadm CA beside it. */
interface Surroundings {
  readonly files: ReferencedFiles;
  readonly extraAnchors: readonly Certificate[];
}

interface Snapshot {
  readonly version: number;
  readonly document: KubeconfigDocument;
  readonly model: KubeconfigModel;
  /** Only the entries a hover needs (see `parseKubeconfigAround`), not for diagnostics. */
  readonly partial?: true;
  surroundings?: Promise<Surroundings>;
}

/** A document's scanned tree and the partial snapshots built from it, per hovered item. */
interface Scanned {
  readonly version: number;
  /** Undefined when the text is outside the scanner's subset: hovers then parse it whole. */
  readonly root?: ScanMap;
  readonly text: string;
  /** By the entries a snapshot holds, and by hovered offset. */
  readonly byEntries: Map<string, Snapshot>;
  readonly byOffset: Map<number, Snapshot>;
}

export class KubeconfigAnalysis {
  private readonly parsed = new KubeconfigDocumentCache(32);
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly scanned = new Map<string, Scanned>();
  /** The snapshot each located entry came from, so `entry` analyses it in the same model. */
  private readonly origins = new WeakMap<object, Snapshot>();

  /** The parsed document for this version; parsing happens at most once per version. */
  snapshot(doc: vscode.TextDocument): Snapshot {
    const key = doc.uri.toString();
    const known = this.snapshots.get(key);
    if (known && known.version === doc.version) return known;
    const document = this.parsed.get(fileOf(doc), doc.version, () => doc.getText());
    const snapshot: Snapshot = { version: doc.version, document, model: mergeKubeconfigs([document]) };
    this.snapshots.set(key, snapshot);
    this.scanned.delete(key);
    return snapshot;
  }

  /**
   * The field under the cursor. Until the whole document has been parsed (diagnostics do that),
   * a hover builds only the entries it shows from the scanned text: the same fields, entries and
   * analysis, without building a model of every entry of a large file.
   */
  fieldAt(doc: vscode.TextDocument, offset: number): LocatedField | undefined {
    const full = this.snapshots.get(doc.uri.toString());
    const snapshot =
      full && full.version === doc.version ? full : (this.around(doc, offset) ?? this.snapshot(doc));
    const located = fieldAt(snapshot.document, offset);
    if (located?.entry) this.origins.set(located.entry, snapshot);
    return located;
  }

  /** Findings and decoded certificates of the entry under the cursor: only what the hover shows. */
  async entry(
    doc: vscode.TextDocument,
    located: LocatedField,
    options: AnalysisOptions,
  ): Promise<EntryAnalysis | undefined> {
    const entry = located.entry;
    if (!entry || entry.kind === 'context') return undefined;
    const origin = this.origins.get(entry);
    const snapshot = origin && origin.version === doc.version ? origin : this.snapshot(doc);
    const around = await this.surroundings(snapshot);
    // Extra anchors may be the CA of any cluster of the file, which only the whole model knows.
    if (snapshot.partial && around.extraAnchors.length > 0) {
      const full = this.snapshot(doc);
      const same = fieldAt(full.document, located.field.keySpan.start)?.entry;
      if (!same || same.kind === 'context') return undefined;
      return analyzeEntry(full.model, same, { ...options, ...(await this.surroundings(full)) });
    }
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
    this.scanned.delete(doc.uri.toString());
    this.parsed.delete(fileOf(doc));
  }

  /** The partial snapshot for a hover at `offset`, or undefined when the text needs the full parse. */
  private around(doc: vscode.TextDocument, offset: number): Snapshot | undefined {
    const key = doc.uri.toString();
    let scanned = this.scanned.get(key);
    if (!scanned || scanned.version !== doc.version) {
      const text = doc.getText();
      scanned = {
        version: doc.version,
        root: scanYaml(text),
        text,
        byEntries: new Map(),
        byOffset: new Map(),
      };
      this.scanned.set(key, scanned);
    }
    if (!scanned.root) return undefined;
    const hovered = scanned.byOffset.get(offset);
    if (hovered) return hovered;
    const document = parseKubeconfigAround(scanned.text, fileOf(doc), scanned.root, offset);
    // Hovers on other offsets of the same entries share its decoded certificates.
    const id = [...document.clusters, ...document.users, ...document.contexts]
      .map((e) => e.span.start)
      .join(',');
    let snapshot = scanned.byEntries.get(id);
    if (!snapshot) {
      snapshot = { version: doc.version, document, model: mergeKubeconfigs([document]), partial: true };
      scanned.byEntries.set(id, snapshot);
    }
    scanned.byOffset.set(offset, snapshot);
    return snapshot;
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
