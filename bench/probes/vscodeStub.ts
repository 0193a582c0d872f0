// A minimal `vscode` for running the bundled extension in plain Node: the classes hover and
// diagnostics really use (Range, Position, MarkdownString, Hover, Diagnostic …) are small real
// implementations, everything else is an inert proxy that returns disposables. Registered
// providers are recorded so a probe can call them as the editor would.
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

type AnyFn = (...args: unknown[]) => unknown;

/** Any property is another inert proxy; calling or constructing one returns an inert proxy. */
function inert(name: string): unknown {
  const target = function () {} as unknown as AnyFn;
  const children = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === 'dispose') return () => undefined;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => name;
      if (!children.has(prop)) children.set(prop, inert(`${name}.${String(prop)}`));
      return children.get(prop);
    },
    set: (_t, prop, value) => {
      children.set(prop, value);
      return true;
    },
    apply: () => inert(`${name}()`),
    construct: () => inert(`new ${name}`) as object,
  });
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c as number, d as number) : (b as Position);
  }
}

export class MarkdownString {
  value = '';
  isTrusted?: boolean | { enabledCommands: string[] };
  supportThemeIcons?: boolean;
  supportHtml?: boolean;
  constructor(value = '') {
    this.value = value;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += '\n```' + language + '\n' + code + '\n```\n';
    return this;
  }
}

export class Hover {
  constructor(
    readonly contents: MarkdownString,
    readonly range?: Range,
  ) {}
}

export class Diagnostic {
  source?: string;
  code?: string;
  relatedInformation?: unknown[];
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: number,
  ) {}
}

export class EventEmitter<T> {
  private readonly listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** A text document over a string, with VS Code's offset/position conversions. */
export class TextDocument {
  readonly lineStarts: number[] = [0];
  readonly isClosed = false;
  readonly languageId = 'yaml';
  readonly uri: { scheme: string; fsPath: string; toString(skipEncoding?: boolean): string };
  constructor(
    readonly fileName: string,
    private readonly text: string,
    readonly version = 1,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.uri = { scheme: 'file', fsPath: fileName, toString: () => `file://${fileName}` };
  }
  getText(): string {
    return this.text;
  }
  offsetAt(p: Position): number {
    return Math.min(this.lineStarts[p.line] + p.character, this.text.length);
  }
  positionAt(offset: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return new Position(low, offset - this.lineStarts[low]);
  }
}

export interface Recorded {
  hoverProviders: { provideHover: AnyFn }[];
  diagnostics: Map<string, Diagnostic[]>;
  openListeners: ((doc: TextDocument) => void)[];
}

export const recorded: Recorded = { hoverProviders: [], diagnostics: new Map(), openListeners: [] };

const disposable = { dispose: () => undefined };

function withFallback<T extends object>(name: string, real: T, names: readonly string[] = []): T {
  const fallback = inert(name) as Record<PropertyKey, unknown>;
  const keys = [...new Set([...Reflect.ownKeys(real), ...names])];
  // The real API is a plain object: a property lookup does not scan a list.
  const known = new Set(keys);
  return new Proxy(real, {
    get: (t, prop) => (prop in t ? (t as Record<PropertyKey, unknown>)[prop] : fallback[prop]),
    // Bundlers copy a CommonJS module's own keys into a namespace object: list the whole API.
    ownKeys: () => keys,
    getOwnPropertyDescriptor: (t, prop) =>
      Reflect.getOwnPropertyDescriptor(t, prop) ??
      (known.has(prop)
        ? { configurable: true, enumerable: true, writable: true, value: fallback[prop] }
        : undefined),
  });
}

/** Every top-level name of the real API, read from @types/vscode. */
function apiNames(root: string): string[] {
  const dts = fs.readFileSync(path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...dts.matchAll(/^\texport (?:class|enum|namespace|const|function|let) (\w+)/gm)].map((m) => m[1]);
}

const configuration = {
  get: (_key: string, defaultValue?: unknown) => defaultValue,
  has: () => false,
  inspect: () => undefined,
  update: async () => undefined,
};

const api = (root: string): unknown =>
  withFallback(
    'vscode',
    {
      Position,
      Range,
      MarkdownString,
      Hover,
      Diagnostic,
      EventEmitter,
      DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
      l10n: {
        t: (message: string | { message: string }, ...args: unknown[]) =>
          format(typeof message === 'string' ? message : message.message, args),
      },
      languages: withFallback('vscode.languages', {
        registerHoverProvider: (_selector: unknown, provider: { provideHover: AnyFn }) => {
          recorded.hoverProviders.push(provider);
          return disposable;
        },
        createDiagnosticCollection: () =>
          withFallback('DiagnosticCollection', {
            set: (uri: { toString(): string }, list: Diagnostic[]) =>
              recorded.diagnostics.set(uri.toString(), list),
            delete: (uri: { toString(): string }) => recorded.diagnostics.delete(uri.toString()),
            clear: () => recorded.diagnostics.clear(),
            dispose: () => undefined,
          }),
      }),
      window: withFallback('vscode.window', {
        // Views start hidden, as in a fresh window: nothing connects to a cluster at activation.
        createTreeView: () => withFallback('TreeView', { visible: false, dispose: () => undefined }),
      }),
      workspace: withFallback('vscode.workspace', {
        textDocuments: [] as TextDocument[],
        isTrusted: true,
        workspaceFolders: undefined,
        getConfiguration: () => configuration,
        onDidOpenTextDocument: (listener: (doc: TextDocument) => void) => {
          recorded.openListeners.push(listener);
          return disposable;
        },
      }),
    },
    apiNames(root),
  );

function format(message: string, args: unknown[]): string {
  const params =
    args.length === 1 && typeof args[0] === 'object' && args[0] !== null
      ? (args[0] as Record<string, unknown>)
      : args;
  return message.replace(/\{(\w+)\}/g, (m, key: string) =>
    key in (params as object) ? String((params as Record<string, unknown>)[key]) : m,
  );
}

/** Makes `require('vscode')` return the stub in this process. */
export function installVscodeStub(root: string): void {
  // A plain object, as the extension host hands out: bundles copy every key of it once per module
  // that imports it (esbuild's __toESM), which through the Proxy cost ~9 ms of the timed window.
  const proxied = api(root) as Record<PropertyKey, unknown>;
  const vscodeStub = Object.fromEntries(Reflect.ownKeys(proxied).map((k) => [k, proxied[k]]));
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? vscodeStub : original.call(this, request, ...rest);
  };
}

/** An ExtensionContext good enough for activate(). */
export function extensionContext(extensionPath: string, version: string): unknown {
  return withFallback('ExtensionContext', {
    subscriptions: [] as { dispose(): void }[],
    extensionPath,
    extensionUri: { fsPath: extensionPath, scheme: 'file', toString: () => `file://${extensionPath}` },
    extension: { packageJSON: { version }, id: 'kubecerts.kubecerts' },
    globalState: { get: () => undefined, update: async () => undefined, keys: () => [] },
    workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
  });
}
