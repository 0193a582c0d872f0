// The demo cluster from the runner's side of the UI tests: the real kubectl, asynchronously (the
// cluster's server runs in the runner's own process, so a synchronous spawn would deadlock), and
// CSRs the UI tests create for themselves so they never act on the extension-host suite's ones.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  buildCertificateRequest,
  generateKey,
  privateKeyToPem,
  type SanSpec,
} from '../../../src/core/x509/issue';
import { ui } from './session';

const run = promisify(execFile);

function demoDir(): string {
  const dir = ui().demoDir;
  if (!dir) throw new Error('this UI test needs the demo cluster the e2e runner starts');
  return dir;
}

/** `kubectl --kubeconfig DIR/<kubeconfig> …args`; stdout, or an error carrying kubectl's stderr. */
export async function kubectl(args: readonly string[], kubeconfig = 'admin.conf'): Promise<string> {
  try {
    const { stdout } = await run('kubectl', ['--kubeconfig', path.join(demoDir(), kubeconfig), ...args], {
      timeout: 30_000,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')}: ${e.stderr || e.message}`);
  }
}

/** `kubectl get csr NAME -o jsonpath=…` as the cluster admin. */
export async function csrField(name: string, jsonpath: string): Promise<string> {
  return (await kubectl(['get', 'csr', name, '-o', `jsonpath=${jsonpath}`])).trim();
}

export interface KubeletServingRequest {
  readonly name: string;
  readonly node: string;
  readonly sans: SanSpec;
}

/**
 * Submits a kubelet-serving CSR the way a kubelet does: `kubectl create` with the node's own
 * kubeconfig (`<node>.conf` of the demo cluster), so spec.username is system:node:<node>.
 */
export async function createKubeletServingCsr(request: KubeletServingRequest): Promise<void> {
  const keyPem = privateKeyToPem(await generateKey({ algorithm: 'EC', curve: 'P-256' }));
  const pem = await buildCertificateRequest({
    subject: { commonName: `system:node:${request.node}`, organizations: ['system:nodes'] },
    sans: request.sans,
    keyPem,
  });
  const manifest = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: request.name },
    spec: {
      request: Buffer.from(pem).toString('base64'),
      signerName: 'kubernetes.io/kubelet-serving',
      usages: ['digital signature', 'server auth'],
    },
  };
  const conf = path.join(demoDir(), `${request.node}.conf`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', conf, 'create', '-f', '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kubectl create ${request.name}: ${stderr.trim()}`)),
    );
    child.stdin.end(JSON.stringify(manifest));
  });
}
