// Scrubs key material and credentials from text before it reaches a log, an error message or a
// report. Errors from parsers may quote the input, and inputs are kubeconfigs full of secrets.
import { Buffer } from 'node:buffer';

const REDACTED = '[redacted]';

/** Each rule replaces one kind of secret; order matters only in that PEM blocks go first. */
const RULES: readonly {
  readonly pattern: RegExp;
  readonly replace: (match: string, ...groups: string[]) => string;
}[] = [
  {
    // A PEM private key, also when cut off (an error message may quote only its start).
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: () => `[private key ${REDACTED}]`,
  },
  {
    // kubeconfig/credential fields whose value is a secret: `token: …`, `"password": "…"`, `client-key-data=…`.
    pattern:
      /\b(client-key-data|token|password|id-token|refresh-token|access-token|client-secret|secret)(["']?[ \t]*[:=][ \t]*["']?)([^\s"',}]+)/gi,
    replace: (_m, key, sep) => `${key}${sep}${REDACTED}`,
  },
  {
    // Exec credential plugin env entries (`- name: X` + `value: secret`, YAML or JSON, either order):
    // the value is typically an API key handed to the plugin.
    pattern:
      /(["']?\bname["']?[ \t]*:[ \t]*["']?[^"'\n,}]*["']?[ \t]*(?:,[ \t]*\r?\n?|\r?\n)[ \t]*["']?value["']?[ \t]*:[ \t]*["']?)([^"'\r\n,}]+)/g,
    replace: (_m, head) => `${head}${REDACTED}`,
  },
  {
    pattern:
      /(["']?\bvalue["']?[ \t]*:[ \t]*["']?)([^"'\r\n,}]+)(?=["']?[ \t]*(?:,[ \t]*\r?\n?|\r?\n)[ \t]*["']?name["']?[ \t]*:)/g,
    replace: (_m, head) => `${head}${REDACTED}`,
  },
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, replace: (_m, scheme) => `${scheme} ${REDACTED}` },
  // JSON web tokens (service-account tokens, OIDC id-tokens).
  {
    pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
    replace: () => `[token ${REDACTED}]`,
  },
  // Bootstrap tokens: 6 + 16 characters of [a-z0-9].
  { pattern: /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, replace: () => `[bootstrap token ${REDACTED}]` },
  {
    // base64 of a PEM private key, the `client-key-data` form, wherever it appears.
    pattern: /[A-Za-z0-9+/]{40,}={0,2}/g,
    replace: (m) => (decodesToPrivateKey(m) ? `[private key ${REDACTED}]` : m),
  },
];

function decodesToPrivateKey(base64: string): boolean {
  const head = Buffer.from(base64.slice(0, 120 - (120 % 4)), 'base64').toString('latin1');
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(head);
}

export function redactSecrets(text: string): string {
  return RULES.reduce((acc, rule) => acc.replace(rule.pattern, rule.replace as (m: string) => string), text);
}
