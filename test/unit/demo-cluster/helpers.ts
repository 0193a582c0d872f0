// Shared by the demo-cluster tests: run the real kubectl and openssl, and call the API directly
// with the credentials of a kubeconfig the cluster wrote.
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { request } from 'node:https';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], input?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? Number((err as { code: number }).code)
            : 1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export function kubectl(dir: string, kubeconfig: string, ...args: string[]): Promise<RunResult> {
  return run('kubectl', [
    '--kubeconfig',
    path.join(dir, kubeconfig),
    '--cache-dir',
    path.join(dir, '.kube-cache'),
    ...args,
  ]);
}

/** Starts `kubectl … -w` and collects its output until stopped. */
export function kubectlWatch(dir: string, kubeconfig: string, ...args: string[]) {
  const child = spawn('kubectl', [
    '--kubeconfig',
    path.join(dir, kubeconfig),
    '--cache-dir',
    path.join(dir, '.kube-cache'),
    ...args,
  ]);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    output: () => output,
    async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return output;
    },
    async stop(): Promise<void> {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A PEM PKCS#10 request made by openssl, and its key, in `dir`. */
export async function opensslRequest(
  dir: string,
  name: string,
  subject: string,
  extra: string[] = [],
): Promise<string> {
  const keyFile = path.join(dir, `${name}.key`);
  const csrFile = path.join(dir, `${name}.csr`);
  const result = await run('openssl', [
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    keyFile,
    '-subj',
    subject,
    '-out',
    csrFile,
    ...extra,
  ]);
  if (result.code !== 0) throw new Error(`openssl req failed: ${result.stderr}`);
  return fs.readFile(csrFile, 'utf8');
}

export function csrManifest(
  name: string,
  pem: string,
  signerName: string,
  usages: string[],
  expirationSeconds?: number,
): string {
  return [
    'apiVersion: certificates.k8s.io/v1',
    'kind: CertificateSigningRequest',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  request: ${Buffer.from(pem).toString('base64')}`,
    `  signerName: ${signerName}`,
    ...(expirationSeconds ? [`  expirationSeconds: ${expirationSeconds}`] : []),
    `  usages: [${usages.map((u) => JSON.stringify(u)).join(', ')}]`,
    '',
  ].join('\n');
}

interface Credentials {
  readonly server: string;
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
  readonly token?: string;
}

export async function credentials(file: string): Promise<Credentials> {
  const config = parseYaml(await fs.readFile(file, 'utf8')) as {
    clusters: { cluster: Record<string, string> }[];
    users: { user: Record<string, string> }[];
  };
  const cluster = config.clusters[0].cluster;
  const user = config.users[0].user;
  const decode = (v?: string) => (v ? Buffer.from(v, 'base64').toString('utf8') : undefined);
  return {
    server: cluster.server,
    ca: decode(cluster['certificate-authority-data']) as string,
    cert: decode(user['client-certificate-data']),
    key: decode(user['client-key-data']),
    token: user.token,
  };
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export function api(
  creds: Credentials | { server: string; ca: string },
  method: string,
  urlPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const c = creds as Credentials;
  const url = new URL(urlPath, c.server);
  const payload =
    body === undefined
      ? undefined
      : typeof body === 'string' || Buffer.isBuffer(body)
        ? body
        : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: c.ca,
        cert: c.cert,
        key: c.key,
        headers: {
          Accept: 'application/json',
          ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(c.token ? { Authorization: `Bearer ${c.token}` } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const CSR_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
