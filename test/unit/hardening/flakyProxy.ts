// A misbehaving API server in front of the demo cluster, on 127.0.0.1: it terminates TLS with the
// cluster's own serving certificate (so clients trust it) and forwards as the cluster admin. A rule
// decides per request: answer an error Status, drop the connection before or after the server
// acted, delay, or cut a (watch) stream mid-way.
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly reason?: string }
  | { readonly kind: 'drop-before' }
  /** Forwarded, the server acts, the response is lost. */
  | { readonly kind: 'drop-after' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'cut-stream'; readonly afterMs: number };

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
}

export type FaultRule = (req: SeenRequest, index: number) => Fault | undefined;

export interface FlakyProxy {
  readonly url: string;
  /** A copy of admin.conf that points at the proxy. */
  readonly kubeconfig: string;
  readonly requests: SeenRequest[];
  rule: FaultRule;
  close(): Promise<void>;
}

interface AdminConf {
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

export async function startFlakyProxy(cluster: {
  readonly dir: string;
  readonly url: string;
}): Promise<FlakyProxy> {
  const pki = (name: string) => readFileSync(join(cluster.dir, 'pki', name), 'utf8');
  const adminText = readFileSync(join(cluster.dir, 'admin.conf'), 'utf8');
  const admin = (parseYaml(adminText) as AdminConf).users[0].user;
  const upstream = new URL(cluster.url);
  const agent = new Agent({
    ca: pki('ca.crt'),
    cert: Buffer.from(admin['client-certificate-data'], 'base64'),
    key: Buffer.from(admin['client-key-data'], 'base64'),
    keepAlive: true,
  });
  const requests: SeenRequest[] = [];
  const proxy: { rule: FaultRule } = { rule: () => undefined };

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    fault: Fault | undefined,
  ): void => {
    const headers = { ...req.headers, host: upstream.host };
    delete headers.authorization;
    const up = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (upRes) => {
        if (fault?.kind === 'drop-after') {
          upRes.resume();
          upRes.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
        if (fault?.kind === 'cut-stream') {
          const timer = setTimeout(() => {
            upRes.destroy();
            req.socket.destroy();
          }, fault.afterMs);
          upRes.on('close', () => clearTimeout(timer));
        }
      },
    );
    up.on('error', () => req.socket.destroy());
    up.end(body);
  };

  const server: Server = createServer(
    { cert: pki('apiserver.crt'), key: pki('apiserver.key'), requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const seen = { method: req.method ?? 'GET', url: req.url ?? '/' };
        requests.push(seen);
        const fault = proxy.rule(seen, requests.length - 1);
        if (fault?.kind === 'drop-before') {
          req.socket.destroy();
          return;
        }
        if (fault?.kind === 'status') {
          const status = {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: fault.reason ?? 'InternalError',
            message: `injected ${fault.status}`,
            code: fault.status,
          };
          res.writeHead(fault.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(status));
          return;
        }
        const body = Buffer.concat(chunks);
        if (fault?.kind === 'delay') setTimeout(() => forward(req, res, body, undefined), fault.ms);
        else forward(req, res, body, fault);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfig = join(cluster.dir, `admin-via-proxy-${(server.address() as AddressInfo).port}.conf`);
  writeFileSync(kubeconfig, adminText.split(cluster.url).join(url), { mode: 0o600 });
  return {
    url,
    kubeconfig,
    requests,
    get rule() {
      return proxy.rule;
    },
    set rule(rule: FaultRule) {
      proxy.rule = rule;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}

/** True for the approval subresource update of `name`. */
export function isApproval(req: SeenRequest, name?: string): boolean {
  return (
    req.method === 'PUT' &&
    req.url.includes(`/certificatesigningrequests/${name ?? ''}`) &&
    req.url.includes('/approval')
  );
}

export function isWatch(req: SeenRequest): boolean {
  return req.method === 'GET' && /[?&]watch=(?:true|1)\b/.test(req.url);
}
