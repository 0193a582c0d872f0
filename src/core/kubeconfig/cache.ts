// One parsed model per document version: hover and diagnostics share it instead of re-parsing.
import type { KubeconfigDocument } from './model';
import { parseKubeconfig } from './parse';

export class KubeconfigDocumentCache {
  private readonly entries = new Map<string, { version: number; document: KubeconfigDocument }>();

  constructor(private readonly capacity = 16) {}

  /** `version` is the editor's document version; the text is only parsed when it changed. */
  get(file: string, version: number, text: () => string): KubeconfigDocument {
    const cached = this.entries.get(file);
    if (cached && cached.version === version) {
      // Refresh recency: Map iteration order is insertion order.
      this.entries.delete(file);
      this.entries.set(file, cached);
      return cached.document;
    }
    const document = parseKubeconfig(text(), file);
    this.entries.delete(file);
    this.entries.set(file, { version, document });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return document;
  }

  delete(file: string): void {
    this.entries.delete(file);
  }
}
