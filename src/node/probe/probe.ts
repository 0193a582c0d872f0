// Observing a server: target + proxy route → one handshake → the decoded presented chain, or the
// error. Results are kept in a cache with a TTL so hovers and audits do not reconnect each time.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { decodeFileBytes } from '../../core/kubeconfig/material';
import { describeProxy, proxyRoute, type Env } from '../../core/probe/proxy';
import type { ProbeTarget } from '../../core/probe/target';
import type { ProbeObservation } from '../../core/probe/verdict';
import { parseCertificate } from '../../core/x509/certificate';
import type { Certificate } from '../../core/x509/model';
import { systemClock, type Clock } from '../clock';
import { HandshakeError, readPresentedChain } from './connect';

export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

export interface ObserveOptions {
  /** The cluster's proxy-url, if set. */
  readonly proxyUrl?: string;
  /** HTTPS_PROXY / NO_PROXY and friends. */
  readonly env: Env;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

function decodePresented(der: readonly Uint8Array[]): Certificate[] {
  const out: Certificate[] = [];
  for (const bytes of der) {
    try {
      out.push(parseCertificate(bytes));
    } catch {
      // Without its leaf a chain says nothing; an unreadable intermediate is left out.
      if (out.length === 0) return [];
    }
  }
  return out;
}

export async function observeServer(target: ProbeTarget, options: ObserveOptions): Promise<ProbeObservation> {
  const now = options.now ?? systemClock;
  const route = proxyRoute(target, options.proxyUrl, options.env);
  if (!route.ok) return { target, at: now(), presented: [], error: route.error };
  const proxy = route.route ? { proxy: describeProxy(route.route.url) } : {};
  try {
    const chain = await readPresentedChain({
      host: target.host,
      port: target.port,
      ...(target.sni !== undefined ? { sni: target.sni } : {}),
      ...(route.route ? { proxy: route.route.url } : {}),
      timeoutMs: options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    });
    const presented = decodePresented(chain.der);
    if (presented.length === 0) {
      return {
        target,
        at: now(),
        ...proxy,
        presented,
        error: 'the server presented no readable certificate',
      };
    }
    return {
      target,
      at: now(),
      ...proxy,
      presented,
      ...(chain.protocol ? { protocol: chain.protocol } : {}),
    };
  } catch (error) {
    const message = error instanceof HandshakeError ? error.message : 'internal error';
    return { target, at: now(), ...proxy, presented: [], error: message };
  }
}

/** What identifies one observation: the same server reached the same way shows the same chain. */
export function observationKey(target: ProbeTarget, proxyUrl: string | undefined): string {
  return JSON.stringify([target.host, target.port, target.sni ?? '', proxyUrl ?? '']);
}

/** Observations by key with a time-to-live; `peek` ignores it (a result already shown stays shown). */
export class ProbeCache {
  private readonly entries = new Map<string, ProbeObservation>();

  constructor(
    private ttlMs: number,
    private readonly clock: Clock = systemClock,
    private readonly limit = 256,
  ) {}

  setTtl(ms: number): void {
    this.ttlMs = ms;
  }

  /** A result younger than the TTL, or undefined. */
  get(key: string): ProbeObservation | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    return this.clock().getTime() - hit.at.getTime() < this.ttlMs ? hit : undefined;
  }

  peek(key: string): ProbeObservation | undefined {
    return this.entries.get(key);
  }

  set(key: string, observation: ProbeObservation): void {
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, observation);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Where Go looks for the system roots on Linux (crypto/x509 root_linux.go), SSL_CERT_FILE first. */
const ROOT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

export interface SystemRoots {
  readonly file?: string;
  readonly certificates: readonly Certificate[];
}

let systemRootsCache: Promise<SystemRoots> | undefined;

/** The roots a Go client trusts when a cluster sets no CA; read once per process. */
export function systemRoots(env: Env): Promise<SystemRoots> {
  systemRootsCache ??= (async () => {
    const candidates = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : ROOT_FILES;
    for (const file of candidates) {
      const bytes = await fs.readFile(path.resolve(file)).catch(() => undefined);
      if (!bytes) continue;
      return { file, certificates: decodeFileBytes(new Uint8Array(bytes)).certificates.map((d) => d.cert) };
    }
    return { certificates: [] };
  })();
  return systemRootsCache;
}
