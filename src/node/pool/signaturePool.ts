// The bulk audit's signature checks on every core: a worker thread runs part of them while this
// thread runs the rest. The worker gets the exact inputs `verifySignature` would use (the signed
// bytes, the signature, the digest and padding, the CA's KeyObject as this thread imported it) and
// only calls node:crypto's verify, so its answers are the ones this thread would have computed:
// the report is byte for byte the single-threaded one (a test compares them).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import type { SignaturePair } from '../../core/audit/files';
import {
  issuerKey,
  rememberSignature,
  runSignatureCheck,
  signatureCheck,
  type SignatureCheck,
} from '../../core/x509/signature';

// Plain JavaScript, evaluated in the worker: no bundle to find at run time, nothing but node:crypto.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { verify, constants } = require('node:crypto');
parentPort.on('message', ({ keys, digests, jobs, bytes }) => {
  const answers = new Uint8Array(jobs.length / 6);
  for (let j = 0, i = 0; i < jobs.length; i += 6, j++) {
    const key = keys[jobs[i]];
    const digest = jobs[i + 1] < 0 ? null : digests[jobs[i + 1]];
    const data = bytes.subarray(jobs[i + 2], jobs[i + 3]);
    const signature = bytes.subarray(jobs[i + 3], jobs[i + 4]);
    const salt = jobs[i + 5];
    try {
      const k = salt < 0 ? key : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: salt };
      answers[j] = verify(digest, data, k, signature) ? 1 : 0;
    } catch {
      answers[j] = 0;
    }
  }
  parentPort.postMessage(answers, [answers.buffer]);
});
`;

export interface SignaturePoolOptions {
  /** 1 checks everything on this thread. Default: the processors available. */
  readonly threads?: number;
  /** Fewer checks than this are all run here: a thread's start-up (about 20 ms) would cost more. */
  readonly minChecks?: number;
}

/** How many checks each thread ran (the tests make sure the helper thread did its part). */
export interface PoolAnswers {
  readonly here: number;
  readonly there: number;
}

interface Job {
  readonly pair: SignaturePair;
  readonly check: SignatureCheck;
  readonly key: KeyObject;
}

/**
 * One helper thread, started before the inputs are decoded so that its start-up overlaps that work.
 * `answer` checks the pairs (part here, part there) and records the answers for `verifySignature`.
 */
export class SignaturePool {
  private worker: Worker | undefined;
  private readonly minChecks: number;

  constructor(options: SignaturePoolOptions = {}) {
    this.minChecks = options.minChecks ?? 512;
    if ((options.threads ?? availableParallelism()) > 1) {
      this.worker = new Worker(WORKER_SOURCE, { eval: true });
      this.worker.unref();
      // A thread that is gone leaves every check to this one.
      this.worker.once('exit', () => (this.worker = undefined));
    }
  }

  async answer(pairs: readonly SignaturePair[]): Promise<PoolAnswers> {
    const jobs: Job[] = [];
    for (const pair of pairs) {
      const check = signatureCheck(pair.certificate, pair.ca);
      const key = check && issuerKey(pair.ca);
      if (check && key) jobs.push({ pair, check, key });
    }
    const worker = this.worker;
    if (!worker || jobs.length < this.minChecks) {
      for (const job of jobs) rememberJob(job, runSignatureCheck(job.check, job.key));
      return { here: jobs.length, there: 0 };
    }
    // The worker takes the second half; this thread, which posts and reads, the first.
    const split = Math.floor(jobs.length / 2);
    const theirs = jobs.slice(split);
    const answers = new Promise<Uint8Array>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`signature worker exited (${code})`)));
    });
    worker.ref();
    const sent = message(theirs);
    worker.postMessage(sent, [sent.bytes.buffer as ArrayBuffer, sent.jobs.buffer as ArrayBuffer]);
    for (let i = 0; i < split; i++) rememberJob(jobs[i], runSignatureCheck(jobs[i].check, jobs[i].key));
    let results: Uint8Array | undefined;
    try {
      results = await answers;
    } catch {
      // A thread that failed (out of memory, killed) answers nothing: its share is checked here.
    } finally {
      worker.unref();
    }
    theirs.forEach((job, i) =>
      rememberJob(job, results ? results[i] === 1 : runSignatureCheck(job.check, job.key)),
    );
    return results ? { here: split, there: theirs.length } : { here: jobs.length, there: 0 };
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

function rememberJob(job: Job, ok: boolean): void {
  rememberSignature(job.pair.certificate, job.pair.ca, ok);
}

/** The jobs as one transferable buffer of bytes and one of offsets: no per-certificate clone. */
function message(jobs: readonly Job[]): {
  keys: KeyObject[];
  digests: string[];
  jobs: Int32Array;
  bytes: Uint8Array;
} {
  const keys: KeyObject[] = [];
  const keyIndex = new Map<KeyObject, number>();
  const digests: string[] = [];
  let size = 0;
  for (const job of jobs) size += job.check.data.length + job.check.signature.length;
  const bytes = new Uint8Array(size);
  const table = new Int32Array(jobs.length * 6);
  let at = 0;
  jobs.forEach((job, j) => {
    let k = keyIndex.get(job.key);
    if (k === undefined) keyIndex.set(job.key, (k = keys.push(job.key) - 1));
    const { digest, saltLength, data, signature } = job.check;
    let d = -1;
    if (digest !== null) {
      d = digests.indexOf(digest);
      if (d < 0) d = digests.push(digest) - 1;
    }
    const row = j * 6;
    table[row] = k;
    table[row + 1] = d;
    table[row + 2] = at;
    bytes.set(data, at);
    at += data.length;
    table[row + 3] = at;
    bytes.set(signature, at);
    at += signature.length;
    table[row + 4] = at;
    table[row + 5] = saltLength ?? -1;
  });
  return { keys, digests, jobs: table, bytes };
}
