// Real handshakes on loopback: the presented chain as sent, SNI, a CONNECT proxy (proxy-url and
// HTTPS_PROXY), a listener that never answers, a server that asks for a client certificate.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { probeTarget, type ProbeTarget } from '../../../../src/core/probe/target';
import { readPresentedChain } from '../../../../src/node/probe/connect';
import { observeServer } from '../../../../src/node/probe/probe';
import { addDays, bundle, makeCa, makeIntermediate, makeLeaf, type TestCert } from '../../../fixtures/certs';

const now = new Date();

interface Servers {
  root: TestCert;
  intermediate: TestCert;
  leaf: TestCert;
}

let pki: Servers;
const closers: (() => void)[] = [];

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    closers.push(() => server.close());
  });
}

async function tlsServer(options: tls.TlsOptions = {}, sni: string[] = []): Promise<number> {
  const context = { cert: bundle(pki.leaf, pki.intermediate), key: pki.leaf.keyPem, ...options };
  const server = tls.createServer({
    ...context,
    // Called with the server_name the client sent, never when it sent none.
    SNICallback: (name, done) => {
      sni.push(name);
      done(null, tls.createSecureContext(context));
    },
  });
  server.on('secureConnection', (socket: tls.TLSSocket) => socket.end());
  server.on('tlsClientError', () => undefined);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => sockets.add(s));
  closers.push(() => sockets.forEach((s) => s.destroy()));
  return listen(server);
}

/** A minimal HTTP CONNECT proxy that resolves every requested host to loopback. */
async function connectProxy(log: string[], opts: { auth?: string } = {}): Promise<number> {
  const server = net.createServer((client) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const [requestLine, ...headers] = head.slice(0, end).split('\r\n');
      log.push(requestLine);
      const auth = headers.find((h) => h.toLowerCase().startsWith('proxy-authorization:'));
      if (opts.auth && auth?.split(': ')[1] !== opts.auth) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
        return;
      }
      const [, hostPort] = requestLine.split(' ');
      const port = Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));
      const upstream = net.connect({ host: '127.0.0.1', port }, () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      closers.push(() => upstream.destroy());
    };
    client.on('data', onData);
    closers.push(() => client.destroy());
  });
  return listen(server);
}

function target(server: string, tlsServerName?: string): ProbeTarget {
  const result = probeTarget(server, tlsServerName);
  assert.ok(result.ok);
  return result.target;
}

describe('probe: TLS handshake on loopback', function () {
  this.timeout(20_000);

  before(async () => {
    const root = await makeCa({
      cn: 'probe-root',
      notBefore: addDays(now, -10),
      notAfter: addDays(now, 3650),
    });
    const intermediate = await makeIntermediate({
      cn: 'probe-intermediate',
      issuer: root,
      notBefore: addDays(now, -10),
      notAfter: addDays(now, 1000),
    });
    const leaf = await makeLeaf({
      cn: 'kube-apiserver',
      issuer: intermediate,
      notBefore: addDays(now, -1),
      notAfter: addDays(now, 300),
      sans: { dns: ['kubernetes', 'apiserver.test'], ip: ['127.0.0.1'] },
      eku: ['serverAuth'],
    });
    pki = { root, intermediate, leaf };
  });

  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  it('returns the chain exactly as presented (leaf, intermediate; nothing from a CA store)', async () => {
    const port = await tlsServer();
    const chain = await readPresentedChain({ host: '127.0.0.1', port, timeoutMs: 5000 });
    assert.equal(chain.der.length, 2);
    assert.deepEqual(Buffer.from(chain.der[0]), Buffer.from(pki.leaf.der));
    assert.deepEqual(Buffer.from(chain.der[1]), Buffer.from(pki.intermediate.der));
    assert.match(chain.protocol ?? '', /^TLSv1\.[23]$/);
  });

  it('sends tls-server-name as SNI, and no SNI for an IP', async () => {
    const sni: string[] = [];
    const port = await tlsServer({}, sni);
    const named = await observeServer(target(`https://127.0.0.1:${port}`, 'kubernetes'), { env: {} });
    assert.equal(named.error, undefined);
    const byIp = await observeServer(target(`https://127.0.0.1:${port}`), { env: {} });
    assert.equal(byIp.error, undefined);
    assert.deepEqual(sni, ['kubernetes']);
  });

  it('tunnels through proxy-url with HTTP CONNECT, even to loopback', async () => {
    const port = await tlsServer();
    const log: string[] = [];
    const proxyPort = await connectProxy(log);
    const seen = await observeServer(target(`https://127.0.0.1:${port}`), {
      env: {},
      proxyUrl: `http://127.0.0.1:${proxyPort}`,
    });
    assert.equal(seen.error, undefined);
    assert.equal(seen.presented[0].subject.display, 'CN=kube-apiserver');
    assert.equal(seen.proxy, `http://127.0.0.1:${proxyPort}`);
    assert.deepEqual(log, [`CONNECT 127.0.0.1:${port} HTTP/1.1`]);
  });

  it('uses HTTPS_PROXY for a named server (the proxy resolves it) but not for loopback', async () => {
    const port = await tlsServer();
    const log: string[] = [];
    const proxyPort = await connectProxy(log);
    const env = { HTTPS_PROXY: `127.0.0.1:${proxyPort}` };
    const viaProxy = await observeServer(target(`https://apiserver.test:${port}`), { env });
    assert.equal(viaProxy.error, undefined);
    assert.deepEqual(log, [`CONNECT apiserver.test:${port} HTTP/1.1`]);
    const direct = await observeServer(target(`https://127.0.0.1:${port}`), { env });
    assert.equal(direct.error, undefined);
    assert.equal(direct.proxy, undefined);
    assert.equal(log.length, 1);
  });

  it('sends proxy credentials and reports a refused tunnel without them', async () => {
    const port = await tlsServer();
    const log: string[] = [];
    const expected = 'Basic ' + Buffer.from('user:p@ss').toString('base64');
    const proxyPort = await connectProxy(log, { auth: expected });
    const ok = await observeServer(target(`https://127.0.0.1:${port}`), {
      env: {},
      proxyUrl: `http://user:p%40ss@127.0.0.1:${proxyPort}`,
    });
    assert.equal(ok.error, undefined);
    assert.equal(ok.proxy, `http://127.0.0.1:${proxyPort}`, 'credentials are never shown');
    const refused = await observeServer(target(`https://127.0.0.1:${port}`), {
      env: {},
      proxyUrl: `http://127.0.0.1:${proxyPort}`,
    });
    assert.match(refused.error ?? '', /refused the tunnel: HTTP\/1\.1 407/);
  });

  it('gives up after the timeout on a listener that accepts and never answers', async () => {
    const held: net.Socket[] = [];
    const port = await listen(net.createServer((s) => held.push(s)));
    closers.push(() => held.forEach((s) => s.destroy()));
    const started = Date.now();
    const seen = await observeServer(target(`https://127.0.0.1:${port}`), { env: {}, timeoutMs: 300 });
    const elapsed = Date.now() - started;
    assert.equal(seen.error, 'timed out after 0.3 s (TLS handshake)');
    assert.ok(elapsed >= 290 && elapsed < 3000, `${elapsed} ms`);
  });

  it('reads the chain of a server that requires a client certificate (TLS 1.3)', async () => {
    const port = await tlsServer({ requestCert: true, rejectUnauthorized: true, ca: pki.root.certPem });
    const seen = await observeServer(target(`https://127.0.0.1:${port}`), { env: {} });
    assert.equal(seen.error, undefined);
    assert.equal(seen.presented.length, 2);
  });

  it('says so when a TLS 1.2 server refuses the handshake without a client certificate', async () => {
    const port = await tlsServer({
      requestCert: true,
      rejectUnauthorized: true,
      ca: pki.root.certPem,
      maxVersion: 'TLSv1.2',
    });
    const seen = await observeServer(target(`https://127.0.0.1:${port}`), { env: {} });
    assert.equal(seen.presented.length, 0);
    assert.match(seen.error ?? '', /handshake/i);
  });

  it('reports a refused connection and a plain-HTTP listener', async () => {
    const closed = await listen(net.createServer());
    closers.splice(0).forEach((c) => c());
    const refused = await observeServer(target(`https://127.0.0.1:${closed}`), { env: {}, timeoutMs: 2000 });
    assert.equal(refused.error, 'connection refused (connecting)');
    const plain = await listen(
      net.createServer((s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')),
    );
    const http = await observeServer(target(`https://127.0.0.1:${plain}`), { env: {}, timeoutMs: 2000 });
    assert.match(http.error ?? '', /did not answer with TLS/);
  });
});
