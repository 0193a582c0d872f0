// One TLS handshake to read what a server presents, the way a client-go program reaches it: TCP
// (or an HTTP CONNECT tunnel through an http:// or https:// proxy), SNI as crypto/tls sends it,
// TLS 1.2 at least, no client certificate. Nothing is verified here (src/core/probe judges); the
// whole exchange has one deadline, and the error says in which phase it ran out.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { describeProxy } from '../../core/probe/proxy';

export interface HandshakeOptions {
  readonly host: string;
  readonly port: number;
  /** server_name to send; none when undefined (an IP name). */
  readonly sni?: string;
  readonly proxy?: URL;
  readonly timeoutMs: number;
}

export interface PresentedChain {
  /** DER of each certificate, leaf first, as the server sent them. */
  readonly der: readonly Uint8Array[];
  readonly protocol?: string;
}

/** Why no certificate could be read; the message is shown to the user (no secrets in it). */
export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
}

const ERROR_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'no such host (temporary DNS failure)',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  EPIPE: 'connection closed by peer',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the server requires a client certificate',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not answer with TLS (plain HTTP?)',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'the server did not answer with TLS (plain HTTP?)',
};

function describe(error: unknown, phase: string): HandshakeError {
  if (error instanceof HandshakeError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const text =
    (code && ERROR_TEXT[code]) ?? ((error as Error | undefined)?.message?.split('\n')[0] || 'unknown error');
  return new HandshakeError(`${text} (${phase})`);
}

/** The certificates the peer sent, leaf first: with an empty CA store nothing is added from ours. */
function presentedChain(socket: tls.TLSSocket): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert && cert.raw && cert.raw.length > 0 && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    out.push(new Uint8Array(cert.raw));
    cert = cert.issuerCertificate;
  }
  return out;
}

function basicAuth(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Reads the proxy's answer to CONNECT up to the blank line; anything after it belongs to TLS. */
function awaitConnectResponse(socket: net.Socket, proxy: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > 16 * 1024) fail(new HandshakeError(`proxy ${proxy} sent an oversized answer`));
        return;
      }
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('end', onEnd);
      const statusLine = buffered.subarray(0, buffered.indexOf('\r\n')).toString('latin1');
      const rest = buffered.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
      if (status?.[1] === '200') resolve();
      else reject(new HandshakeError(`proxy ${proxy} refused the tunnel: ${statusLine.slice(0, 120)}`));
    };
    const fail = (error: unknown): void => {
      socket.off('data', onData);
      reject(error);
    };
    const onEnd = (): void => fail(new HandshakeError(`proxy ${proxy} closed the connection`));
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('end', onEnd);
  });
}

function connectTcp(host: string, port: number, sockets: net.Socket[]): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    sockets.push(socket);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function handshake(
  socket: net.Socket | undefined,
  options: tls.ConnectionOptions,
  sockets: net.Socket[],
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const tlsSocket = tls.connect({ ...options, ...(socket ? { socket } : {}) });
    sockets.push(tlsSocket);
    tlsSocket.once('secureConnect', () => resolve(tlsSocket));
    tlsSocket.once('error', reject);
    tlsSocket.once('close', () => reject(new HandshakeError('connection closed')));
  });
}

async function openTunnel(
  proxy: URL,
  host: string,
  port: number,
  sockets: net.Socket[],
  setPhase: (phase: string) => void,
): Promise<net.Socket> {
  const name = describeProxy(proxy);
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new HandshakeError(
      `proxy scheme ${proxy.protocol.replace(/:$/, '')} is not supported by kubecerts`,
    );
  }
  const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
  const proxyPort = proxy.port !== '' ? Number(proxy.port) : proxy.protocol === 'https:' ? 443 : 80;
  setPhase(`connecting to proxy ${name}`);
  let socket: net.Socket = await connectTcp(proxyHost, proxyPort, sockets);
  if (proxy.protocol === 'https:') {
    setPhase(`TLS handshake with proxy ${name}`);
    // The proxy itself is verified against Node's roots, as Go verifies an https proxy.
    socket = await handshake(socket, { servername: net.isIP(proxyHost) ? undefined : proxyHost }, sockets);
  }
  setPhase(`CONNECT through proxy ${name}`);
  const target = hostPort(host, port);
  const auth = basicAuth(proxy);
  socket.write(
    `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n` +
      (auth ? `Proxy-Authorization: ${auth}\r\n` : '') +
      '\r\n',
  );
  await awaitConnectResponse(socket, name);
  return socket;
}

/** Connects, completes the handshake and returns the presented chain; always closes the connection. */
export async function readPresentedChain(options: HandshakeOptions): Promise<PresentedChain> {
  const sockets: net.Socket[] = [];
  let phase = 'connecting';
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HandshakeError(`timed out after ${options.timeoutMs / 1000} s (${phase})`)),
      options.timeoutMs,
    );
  });
  const work = async (): Promise<PresentedChain> => {
    const tcp = options.proxy
      ? await openTunnel(options.proxy, options.host, options.port, sockets, (p) => (phase = p))
      : await connectTcp(options.host, options.port, sockets);
    phase = 'TLS handshake';
    const socket = await handshake(
      tcp,
      {
        ...(options.sni !== undefined ? { servername: options.sni } : {}),
        // Verification is the core's (Go's rules); an empty CA list also keeps Node from appending
        // certificates of its own store to the presented chain.
        rejectUnauthorized: false,
        ca: [],
        minVersion: 'TLSv1.2',
      },
      sockets,
    );
    return { der: presentedChain(socket), protocol: socket.getProtocol() ?? undefined };
  };
  try {
    return await Promise.race([work(), deadline]);
  } catch (error) {
    throw describe(error, phase);
  } finally {
    clearTimeout(timer);
    // Outermost first: destroying a TCP socket under a live TLS socket crashes Node 20.
    for (const socket of sockets.reverse()) socket.destroy();
  }
}
