// Is this document a kubeconfig? Kubeconfigs open as YAML, Properties (`*.conf`) or Plain Text
// (`~/.kube/config`), so hover and diagnostics decide by name and content, never by language id.
// A cheap line scan, no YAML parse: it runs on every document the editor opens.

/** Files kubeadm writes in /etc/kubernetes; always kubeconfigs. */
const KUBEADM_KUBECONFIGS = new Set([
  'admin.conf',
  'super-admin.conf',
  'controller-manager.conf',
  'scheduler.conf',
  'kubelet.conf',
  'bootstrap-kubelet.conf',
]);

interface TopLevel {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly keys: ReadonlySet<string>;
}

const YAML_TOP_LEVEL = /^["']?([A-Za-z][\w-]*)["']?[ \t]*:(?:[ \t]+(.*?))?[ \t]*$/;
const JSON_KEY =
  /"(kind|apiVersion|clusters|users|contexts|current-context|preferences)"\s*:\s*("([^"]*)")?/g;

function unquote(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.replace(/\s+#.*$/, '').trim();
  return v.replace(/^(["'])(.*)\1$/, '$2');
}

function scanTopLevel(text: string): TopLevel {
  const body = text.replace(/^\uFEFF/, '');
  const keys = new Set<string>();
  let kind: string | undefined;
  let apiVersion: string | undefined;
  if (/^\s*\{/.test(body)) {
    // JSON kubeconfig (kubectl accepts it): keys at any depth are good enough for a guess.
    for (const m of body.matchAll(JSON_KEY)) {
      keys.add(m[1]);
      if (m[1] === 'kind') kind ??= m[3];
      if (m[1] === 'apiVersion') apiVersion ??= m[3];
    }
    return { kind, apiVersion, keys };
  }
  // Line by line without splitting the whole text: once `kind` is seen it alone decides, so a
  // large kubeconfig (kind near the top) is recognised without reading the rest.
  for (let start = 0; start < body.length;) {
    const newline = body.indexOf('\n', start);
    const end = newline === -1 ? body.length : newline;
    const line = body.slice(
      start,
      newline > start && body.charCodeAt(newline - 1) === 13 ? newline - 1 : end,
    );
    start = end + 1;
    const m = YAML_TOP_LEVEL.exec(line);
    if (!m) continue;
    keys.add(m[1]);
    if (m[1] === 'apiVersion') apiVersion ??= unquote(m[2]);
    if (m[1] === 'kind') {
      kind ??= unquote(m[2]);
      if (kind !== undefined) break;
    }
  }
  return { kind, apiVersion, keys };
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}

/** Names that promise a kubeconfig even before it has content. */
function hasKubeconfigName(fileName: string): boolean {
  const parts = fileName.split(/[\\/]/);
  const base = parts[parts.length - 1] ?? '';
  return (
    base.endsWith('.kubeconfig') ||
    base === 'kubeconfig' ||
    KUBEADM_KUBECONFIGS.has(base) ||
    (base === 'config' && parts[parts.length - 2] === '.kube')
  );
}

/**
 * True when `text` (the content of `fileName`) is a kubeconfig: `kind: Config`; `clusters:` with
 * `apiVersion: v1` or with both `users:` and `contexts:`; a kubeconfig name (`*.kubeconfig`,
 * `.kube/config`, kubeadm's `admin.conf` …) unless the content declares another kind; any other
 * `*.conf` (nginx.conf …) only with `clusters:` and `users:` or `contexts:`.
 */
export function isKubeconfigText(text: string, fileName: string): boolean {
  const { kind, apiVersion, keys } = scanTopLevel(text);
  if (kind !== undefined) return kind === 'Config';
  if (hasKubeconfigName(fileName)) return true;
  if (!keys.has('clusters')) return false;
  if (apiVersion === 'v1' || (keys.has('users') && keys.has('contexts'))) return true;
  return baseName(fileName).endsWith('.conf') && (keys.has('users') || keys.has('contexts'));
}
