// Turns core spans (offsets) into line/character ranges and display paths for the outputs.
import * as path from 'node:path';
import type { Span } from '../../core/findings/finding';
import { LineIndex, type TextPosition } from '../../core/text/lineIndex';

export interface TextRange {
  readonly start: TextPosition;
  readonly end: TextPosition;
}

const URI = /^[a-z][a-z0-9+.-]*:\/\//i;

export class SourceTexts {
  private readonly indexes = new Map<string, LineIndex>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly cwd: string) {}

  add(file: string, text: string): void {
    this.texts.set(file, text);
  }

  range(file: string, span: Span): TextRange {
    let index = this.indexes.get(file);
    if (!index) {
      index = new LineIndex(this.texts.get(file) ?? '');
      this.indexes.set(file, index);
    }
    return { start: index.positionAt(span.start), end: index.positionAt(span.end) };
  }

  /**
   * Relative to the working directory when inside it, else absolute; always with forward slashes.
   * A URI (`k8s://…`, the objects of `kubecerts cluster`) is shown as it is.
   */
  display(file: string): string {
    if (URI.test(file)) return file;
    const relative = path.relative(this.cwd, file);
    const shown =
      relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
    return shown.split(path.sep).join('/');
  }
}
