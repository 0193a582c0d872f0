// Where a client-go program connects for a kubeconfig cluster, and which name it verifies:
// the server URL's host and port (443 by default), `tls-server-name` as the verification name and
// SNI when set (rest.Config.TLSClientConfig.ServerName), and no SNI for an IP name (crypto/tls
// hostnameInSNI). A server written without a scheme is https, as client-go's DefaultServerURL.
import { parseGoIp } from './hostname';

export interface ProbeTarget {
  /** The server as written (for messages). */
  readonly server: string;
  /** Host to connect to, without brackets. */
  readonly host: string;
  readonly port: number;
  /** The name the certificate must cover: tls-server-name, else the host. */
  readonly verifyName: string;
  /** The server_name extension sent, undefined for an IP. */
  readonly sni?: string;
  /** Set when the name comes from tls-server-name. */
  readonly tlsServerName?: string;
}

export type TargetResult =
  | { readonly ok: true; readonly target: ProbeTarget }
  | { readonly ok: false; readonly reason: 'not-tls' | 'invalid-url'; readonly detail: string };

/** hostnameInSNI: brackets and a trailing dot removed, IP literals not sent. */
export function sniFor(name: string): string | undefined {
  let host = name;
  if (host.length >= 2 && host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (parseGoIp(host.split('%')[0])) return undefined;
  host = host.replace(/\.+$/, '');
  return host === '' ? undefined : host;
}

export function probeTarget(server: string, tlsServerName?: string): TargetResult {
  const trimmed = server.trim();
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, reason: 'invalid-url', detail: `not a URL: ${trimmed}` };
  }
  if (url.protocol !== 'https:') {
    return { ok: false, reason: 'not-tls', detail: `${url.protocol}// serves no certificate` };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return { ok: false, reason: 'invalid-url', detail: `no host in ${trimmed}` };
  const port = url.port === '' ? 443 : Number(url.port);
  const named = tlsServerName !== undefined && tlsServerName !== '' ? tlsServerName : undefined;
  const verifyName = named ?? host;
  const sni = sniFor(verifyName);
  return {
    ok: true,
    target: {
      server: trimmed,
      host,
      port,
      verifyName,
      ...(sni !== undefined ? { sni } : {}),
      ...(named !== undefined ? { tlsServerName: named } : {}),
    },
  };
}
