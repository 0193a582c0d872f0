// How files in a PKI folder are recognised, as data: backups kept apart, certificate ↔ key naming
// (kubeadm `.crt`/`.key`, cfssl `.pem`/`-key.pem`), and the small glob used by the CIS table.
// Paths here are "logical": relative to the kubeadm config dir (/etc/kubernetes), POSIX separators,
// certificates under `pki/` (a bare cert dir is scanned as if it were `pki/`).

/** Backups and kubeadm's temporary folders: shown apart, never treated as the live file, no findings. */
export const BACKUP_RULES: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  {
    pattern: /(^|\/)tmp\//,
    why: 'kubeadm temporary folder (/etc/kubernetes/tmp: backups made by upgrade and renew)',
  },
  { pattern: /(^|\/)expired\//, why: 'folder of expired certificates kept by hand' },
  { pattern: /(^|\/)[^/]*backup[^/]*\//i, why: 'backup folder' },
  { pattern: /\.(bak|old|orig|backup|save)$/i, why: 'backup file' },
  { pattern: /\.(bak|old)[.\-_][^/]*$/i, why: 'dated backup file' },
  { pattern: /~$/, why: 'editor backup file' },
  // The kubelet keeps every certificate it rotated; only the one `*-current.pem` points to is live.
  {
    pattern: /(^|\/)kubelet-(client|server)-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.pem$/,
    why: 'certificate rotated by the kubelet (live only when kubelet-*-current.pem points to it)',
  },
];

/** Folders never descended into: not part of a PKI and possibly huge. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  '.git',
  'node_modules',
  '.vscode',
  'out',
  'dist',
]);

export function isBackupPath(path: string): boolean {
  return BACKUP_RULES.some((rule) => rule.pattern.test(path));
}

/** Where the private key of a certificate file lives, per naming convention. */
export const KEY_NAMING: readonly { readonly cert: RegExp; readonly key: string }[] = [
  { cert: /^(.*)\.crt$/, key: '$1.key' },
  { cert: /^(.*)\.cer$/, key: '$1.key' },
  // cfssl: ca.pem + ca-key.pem, admin.pem + admin-key.pem.
  { cert: /^(.*)\.pem$/, key: '$1-key.pem' },
];

export function keyPathFor(certPath: string): string | undefined {
  const rule = KEY_NAMING.find((r) => r.cert.test(certPath) && !/-key\.pem$/.test(certPath));
  return rule ? certPath.replace(rule.cert, rule.key) : undefined;
}

export type FileRole =
  'certificate' | 'private-key' | 'public-key' | 'kubeconfig' | 'manifest' | 'kubelet-config' | 'ignored';

/** First match wins; the decoder still looks at the content (a .pem may hold a cert and its key). */
export const ROLE_RULES: readonly { readonly pattern: RegExp; readonly role: FileRole }[] = [
  { pattern: /^manifests\/[^/]+\.ya?ml$/, role: 'manifest' },
  { pattern: /^config\.ya?ml$/, role: 'kubelet-config' },
  { pattern: /-key\.pem$/, role: 'private-key' },
  { pattern: /\.key$/, role: 'private-key' },
  { pattern: /\.pub$/, role: 'public-key' },
  { pattern: /\.(crt|pem|cer|cert)$/, role: 'certificate' },
  { pattern: /\.(conf|kubeconfig)$/, role: 'kubeconfig' },
];

/** Backup suffixes (`apiserver.crt.bak`, `ca.key.old-2024`): the role is the one of the name before them. */
const BACKUP_SUFFIX = /(\.(bak|old|orig|backup|save)([.\-_][^/]*)?|~)$/i;

export function fileRole(path: string): FileRole {
  const name = path.replace(BACKUP_SUFFIX, '');
  return ROLE_RULES.find((rule) => rule.pattern.test(name))?.role ?? 'ignored';
}

/** Display name of a non-catalog file: its path under pki/ without the extension (`etcd/foo`, `admin`). */
export function displayName(path: string): string {
  return path.replace(/^pki\//, '').replace(/\.(crt|pem|cer|cert|key|pub|conf|kubeconfig)$/, '');
}

/** Glob with `*` (within a segment) and `**` (any number of segments), anchored at both ends. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') {
      source += '[^/]*';
    } else {
      source += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Does a folder look like a PKI: kubeadm (`ca.crt` + other certs/keys) or cfssl (`ca.pem` + `*-key.pem`)? */
export function looksLikePki(names: readonly string[]): boolean {
  const set = new Set(names);
  const kubeadm = set.has('ca.crt') && names.some((n) => n !== 'ca.crt' && /\.(crt|key)$/.test(n));
  const cfssl = set.has('ca.pem') && names.some((n) => /-key\.pem$/.test(n));
  const configDir =
    set.has('pki') && (set.has('admin.conf') || set.has('kubelet.conf') || set.has('manifests'));
  // /var/lib/kubelet: its config and its pki/ folder.
  const kubelet = set.has('pki') && set.has('config.yaml');
  return kubeadm || cfssl || configDir || kubelet;
}
