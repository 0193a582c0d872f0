// Which proxy a client-go program uses for an https server: the cluster's `proxy-url` when set
// (http.ProxyURL: always, loopback included), else HTTPS_PROXY / https_proxy with NO_PROXY /
// no_proxy as Go's golang.org/x/net/http/httpproxy reads them (Go 1.23): "localhost" and loopback
// IPs are never proxied, "*" disables the proxy, entries are IPs, CIDRs, or domains matching
// themselves and their subdomains (".x" and "*.x" only subdomains), each with an optional port.
import { parseGoIp } from './hostname';
import type { ProbeTarget } from './target';

export type ProxySource = 'proxy-url' | 'environment';

export interface ProxyRoute {
  readonly url: URL;
  readonly source: ProxySource;
  /** Which variable or field named it, e.g. HTTPS_PROXY. */
  readonly from: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

function envAny(env: Env, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/** httpproxy.parseProxy: a URL, or host[:port] taken as http://host[:port]. */
export function parseProxyUrl(text: string): URL | undefined {
  const hasScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text);
  try {
    const url = new URL(hasScheme ? text : `http://${text}`);
    return url.hostname === '' ? undefined : url;
  } catch {
    return undefined;
  }
}

/** The proxy URL for display: credentials never leave this function's caller. */
export function describeProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function isLoopback(ip: Uint8Array): boolean {
  const v4 = ip.subarray(0, 12).every((b, i) => b === (i >= 10 ? 0xff : 0));
  if (v4) return ip[12] === 127;
  return ip.subarray(0, 15).every((b) => b === 0) && ip[15] === 1;
}

function inCidr(ip: Uint8Array, cidr: string): boolean | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const base = cidr.slice(0, slash);
  const bitsText = cidr.slice(slash + 1);
  const network = parseGoIp(base);
  if (!network || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const isV4 = !base.includes(':');
  const bits = Number(bitsText) + (isV4 ? 96 : 0);
  if (bits > 128) return undefined;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i % 8);
    if ((ip[i >> 3] & mask) !== (network[i >> 3] & mask)) return false;
  }
  return true;
}

function splitHostPort(entry: string): { host: string; port: string } | undefined {
  const bracketed = /^\[([^\]]*)\]:(\d*)$/.exec(entry);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] };
  const colon = entry.lastIndexOf(':');
  if (colon < 0 || entry.indexOf(':') !== colon) return undefined;
  return { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

/** useProxy(host:port) for NO_PROXY. */
export function bypassesProxy(noProxy: string, host: string, port: number): boolean {
  host = host.toLowerCase();
  if (host === 'localhost') return true;
  const ip = parseGoIp(host);
  if (ip && isLoopback(ip)) return true;
  const portText = String(port);
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const cidr = ip ? inCidr(ip, entry) : undefined;
    if (cidr) return true;
    if (entry.includes('/')) continue;
    const split = splitHostPort(entry);
    let pattern = split ? split.host : entry;
    const wantPort = split ? split.port : '';
    if (pattern === '') continue;
    if (pattern.startsWith('[') && pattern.endsWith(']')) pattern = pattern.slice(1, -1);
    const entryIp = parseGoIp(pattern);
    if (entryIp) {
      if (ip && entryIp.every((b, i) => b === ip[i]) && (wantPort === '' || wantPort === portText))
        return true;
      continue;
    }
    if (pattern.startsWith('*.')) pattern = pattern.slice(1);
    const matchHost = !pattern.startsWith('.');
    if (matchHost) pattern = '.' + pattern;
    if (
      (host.endsWith(pattern) || (matchHost && host === pattern.slice(1))) &&
      (wantPort === '' || wantPort === portText)
    )
      return true;
  }
  return false;
}

export type RouteResult =
  { readonly ok: true; readonly route?: ProxyRoute } | { readonly ok: false; readonly error: string };

/** The proxy a client-go program would use to reach `target`, or none. */
export function proxyRoute(target: ProbeTarget, proxyUrl: string | undefined, env: Env): RouteResult {
  if (proxyUrl !== undefined && proxyUrl.trim() !== '') {
    // client-go parses proxy-url strictly (a scheme is required).
    let url: URL;
    try {
      url = new URL(proxyUrl.trim());
    } catch {
      return { ok: false, error: `proxy-url is not a URL` };
    }
    return { ok: true, route: { url, source: 'proxy-url', from: 'proxy-url' } };
  }
  const https = envAny(env, 'HTTPS_PROXY', 'https_proxy');
  if (!https) return { ok: true };
  // An unparsable value is ignored, as httpproxy's init does.
  const url = parseProxyUrl(https.value);
  if (!url) return { ok: true };
  const noProxy = envAny(env, 'NO_PROXY', 'no_proxy')?.value ?? '';
  if (bypassesProxy(noProxy, target.host, target.port)) return { ok: true };
  return { ok: true, route: { url, source: 'environment', from: https.name } };
}
