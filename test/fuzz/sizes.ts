// Size limits: a huge kubeconfig, a bundle of thousands of certificates, a megabyte on one line.
// Each check runs the real pipeline, verifies the result is complete and measures wall time and
// peak memory growth. Only the nightly profile asserts its (generous) bounds; CI runs small sizes
// for correctness alone, never against a clock.
import { strict as assert } from 'node:assert';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { auditCertificateFiles } from '../../src/core/audit/files';
import { analyzeKubeconfig } from '../../src/core/audit/kubeconfig';
import { mergeKubeconfigs } from '../../src/core/kubeconfig/merge';
import { parseKubeconfig } from '../../src/core/kubeconfig/parse';
import { decodeFileContent } from '../../src/core/x509/decode';
import { FUZZ_NOW, loadSeeds, type Seeds } from './seeds';

export interface SizeProfile {
  /** Bytes of the big kubeconfig. */
  readonly kubeconfigBytes: number;
  readonly bundleCerts: number;
  readonly lineBytes: number;
  /** Asserted only when set. */
  readonly bounds?: { readonly ms: number; readonly heapMb: number };
}

export const NIGHTLY_SIZES: SizeProfile = {
  kubeconfigBytes: 50 * 1024 * 1024,
  bundleCerts: 10_000,
  lineBytes: 1024 * 1024,
  bounds: { ms: 120_000, heapMb: 3072 },
};

export const CI_SIZES: SizeProfile = {
  kubeconfigBytes: 1024 * 1024,
  bundleCerts: 300,
  lineBytes: 256 * 1024,
};

export interface SizeResult {
  readonly name: string;
  readonly ms: number;
  /** Growth of the process's peak resident set while the check ran. */
  readonly heapMb: number;
  readonly boundMs: number;
  readonly boundMb: number;
  readonly ok: boolean;
}

interface SizeCheck {
  readonly name: string;
  run(seeds: Seeds, profile: SizeProfile): void;
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

/** Users with embedded client certificates and keys until the text reaches `bytes`. */
export function bigKubeconfig(seeds: Seeds, bytes: number): { text: string; users: number } {
  const certData = b64(seeds.leaf.certPem);
  const keyData = b64(seeds.leaf.keyPem);
  const head = `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n    certificate-authority-data: ${b64(seeds.intermediate.certPem + seeds.root.certPem)}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u0\ncurrent-context: x\nusers:\n`;
  const parts = [head];
  let size = head.length;
  let users = 0;
  while (size < bytes) {
    const entry = `- name: u${users}\n  user:\n    client-certificate-data: ${certData}\n    client-key-data: ${keyData}\n`;
    parts.push(entry);
    size += entry.length;
    users++;
  }
  return { text: parts.join(''), users };
}

const CHECKS: readonly SizeCheck[] = [
  {
    name: 'kubeconfig',
    run: (seeds, profile) => {
      const { text, users } = bigKubeconfig(seeds, profile.kubeconfigBytes);
      const doc = parseKubeconfig(text, '/size/config');
      assert.equal(doc.users.length, users);
      const audit = analyzeKubeconfig(mergeKubeconfigs([doc]), { now: FUZZ_NOW });
      // Every user's certificate is decoded and reported; only u0 has a context (and a chain check).
      assert.equal(audit.certificates.filter((c) => c.user !== undefined).length, users);
    },
  },
  {
    name: 'bundle',
    run: (seeds, profile) => {
      const pem = seeds.intermediate.certPem + seeds.leaf.certPem.repeat(profile.bundleCerts - 1);
      const audit = auditCertificateFiles(
        [{ file: '/size/bundle.pem', bytes: new Uint8Array(Buffer.from(pem)) }],
        { now: FUZZ_NOW },
      );
      assert.equal(audit.certificates.length, profile.bundleCerts);
      assert.ok(audit.certificates.every((c) => c.span.end <= pem.length));
    },
  },
  {
    name: 'long line',
    run: (seeds, profile) => {
      const repeats = Math.ceil(profile.lineBytes / b64(seeds.leaf.certPem).length);
      const value = b64(seeds.leaf.certPem.repeat(repeats));
      const text = `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    certificate-authority-data: ${value}\nusers:\n- name: u\n  user:\n    token: ${'t'.repeat(profile.lineBytes)}\n`;
      const audit = analyzeKubeconfig(mergeKubeconfigs([parseKubeconfig(text, '/size/line')]), {
        now: FUZZ_NOW,
      });
      assert.equal(audit.certificates.length, repeats);
      // One megabyte without a newline, as a file: neither PEM nor base64 framing may go quadratic.
      const noise = decodeFileContent(
        new Uint8Array(Buffer.from('-----BEGIN CERTIFICATE-----' + 'A'.repeat(profile.lineBytes))),
      );
      assert.ok(noise.problems.length > 0);
      const base64Line = decodeFileContent(
        new Uint8Array(Buffer.from(b64(seeds.leaf.certPem.repeat(repeats)))),
      );
      assert.equal(base64Line.certificates.length, repeats);
    },
  },
];

export async function runSizeChecks(profile: SizeProfile): Promise<SizeResult[]> {
  const seeds = await loadSeeds();
  const results: SizeResult[] = [];
  for (const check of CHECKS) {
    const peakBefore = process.resourceUsage().maxRSS;
    const start = performance.now();
    check.run(seeds, profile);
    const ms = performance.now() - start;
    const heapMb = (process.resourceUsage().maxRSS - peakBefore) / 1024;
    const boundMs = profile.bounds?.ms ?? Infinity;
    const boundMb = profile.bounds?.heapMb ?? Infinity;
    results.push({ name: check.name, ms, heapMb, boundMs, boundMb, ok: ms <= boundMs && heapMb <= boundMb });
  }
  return results;
}
