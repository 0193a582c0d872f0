// .gitignore rules of a workspace folder: a path is skipped when the rules of the .gitignore files
// above it say so, a deeper file overriding a shallower one (git's order). `ignore` is a small,
// well-kept implementation of git's pattern rules; it is only loaded by the workspace scan chunk.
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

interface Rules {
  /** The folder holding the .gitignore, absolute. */
  readonly dir: string;
  readonly rules: Ignore;
}

export class GitignoreRules {
  private constructor(private readonly levels: readonly Rules[]) {}

  /** `files` are absolute paths of .gitignore files; unreadable ones are skipped. */
  static async load(
    files: readonly string[],
    read: (file: string) => Promise<string | undefined>,
  ): Promise<GitignoreRules> {
    const levels: Rules[] = [];
    for (const file of files) {
      const text = await read(file);
      if (text !== undefined) levels.push({ dir: path.dirname(file), rules: ignore().add(text) });
    }
    // Shallow first, so a deeper file has the last word.
    levels.sort((a, b) => a.dir.length - b.dir.length);
    return new GitignoreRules(levels);
  }

  static readonly none = new GitignoreRules([]);

  get size(): number {
    return this.levels.length;
  }

  /** True when `file` (absolute) or a folder above it is ignored. */
  ignores(file: string): boolean {
    let ignored = false;
    for (const level of this.levels) {
      const relative = path.relative(level.dir, file);
      if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) continue;
      const result = level.rules.test(relative.split(path.sep).join('/'));
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}
