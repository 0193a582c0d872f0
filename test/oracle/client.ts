// Client of the Go oracle (test/oracle/main.go): builds it once per source hash under
// ~/.cache/kubecerts/oracle and keeps one process for the whole test run, so thousands of
// questions cost seconds. Test-only: nothing under src imports it.
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const GO = process.env.KUBECERTS_GO ?? '/usr/lib/go-1.23/bin/go';
const SOURCE = join(__dirname, 'main.go');
// go.mod says `go 1.23`: Go then applies 1.23's GODEBUG defaults (negative serials refused), as in
// Kubernetes 1.32's binaries. Without a module (GOPATH mode) Go would behave as 1.20.
const MODULE = join(__dirname, 'go.mod');

export interface OracleRequest {
  readonly rootsPem?: string;
  readonly intermediatesPem?: string;
  readonly leafPem?: string;
  readonly keyPem?: string;
  readonly usage?: 'clientAuth' | 'serverAuth' | 'any';
  readonly nowUnix?: number;
  /** Parse only: DER blobs, base64. */
  readonly parseDer?: readonly string[];
}

export interface OracleVerdict {
  readonly ok: boolean;
  /** Go's error class: a CertificateInvalidError reason name, UnknownAuthority, UnhandledCriticalExtension, SignatureCheckBudget, ParseError, Other. */
  readonly class?: string;
  readonly message?: string;
  readonly chain?: readonly string[];
}

export interface OracleParse {
  readonly ok: boolean;
  readonly error?: string;
  readonly serialHex?: string;
  readonly subjectHex?: string;
  readonly notBefore?: number;
  readonly notAfter?: number;
}

export interface OracleAnswer {
  readonly verify?: OracleVerdict;
  readonly keyPair?: OracleVerdict;
  /** Roots, then intermediates, then the leaf (or the parseDer blobs in order). */
  readonly parse?: readonly OracleParse[];
  readonly error?: string;
}

export function goAvailable(): boolean {
  return existsSync(GO);
}

/** Path of the oracle binary for the current source, built when missing. */
export function oracleBinary(): string {
  const hash = createHash('sha256')
    .update(readFileSync(SOURCE))
    .update(readFileSync(MODULE))
    .digest('hex')
    .slice(0, 16);
  const cache = join(homedir(), '.cache', 'kubecerts');
  const dir = join(cache, 'oracle');
  const binary = join(dir, `oracle-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  execFileSync(GO, ['build', '-o', tmp, '.'], {
    cwd: __dirname,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      GO111MODULE: 'on',
      GOFLAGS: '-mod=mod',
      GOTOOLCHAIN: 'local',
      GOPROXY: 'off',
      GOCACHE: join(cache, 'go', 'cache'),
      GOPATH: join(cache, 'go', 'path'),
      CGO_ENABLED: '0',
    },
  });
  renameSync(tmp, binary);
  return binary;
}

/** One long-running oracle process; answers come back in request order. */
export class Oracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((answer: OracleAnswer) => void)[] = [];
  private nextId = 0;

  constructor() {
    // GODEBUG cleared: the oracle answers with Go 1.23's defaults (no SHA-1, no negative serials).
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.GODEBUG;
    this.child = spawn(oracleBinary(), [], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const lines = createInterface({ input: this.child.stdout });
    lines.on('line', (line) => {
      const resolve = this.waiting.shift();
      if (resolve) resolve(JSON.parse(line) as OracleAnswer);
    });
  }

  ask(request: OracleRequest): Promise<OracleAnswer> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(JSON.stringify({ id: this.nextId++, ...request }) + '\n');
    });
  }

  /** Many requests at once: written together, answered in order. */
  askAll(requests: readonly OracleRequest[]): Promise<OracleAnswer[]> {
    return Promise.all(requests.map((r) => this.ask(r)));
  }

  close(): void {
    this.child.stdin.end();
  }
}
