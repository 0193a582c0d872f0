// Probe run in a fresh process on the certificate set: `ours` (kubecerts' audit of the bundle:
// PEM decode, lean DER parse, chain verification, findings), `x509` (node:crypto X509Certificate
// parse + verify against the issuing CA) or `peculiar` (naive @peculiar/x509 parse + verify, on
// the first `limit` leaves), or `verify` (the floor: node:crypto's verify alone on every signature
// the audit checks, on one thread and on two, inputs prepared untimed). Prints one JSON line with
// µs per certificate and peak RSS.
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import { auditCertificateFiles, prepareCertificateAudit } from '../../src/core/audit/files';
import { issuerKey, runSignatureCheck, signatureCheck } from '../../src/core/x509/signature';
import { SignaturePool } from '../../src/node/pool/signaturePool';
import { printJsonLine } from './jsonLine';

const [mode, bundleFile, casFile, nowText, limitText] = process.argv.slice(2);
const now = new Date(nowText);

function pemBlocks(file: string): string[] {
  return (
    fs.readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? []
  );
}

async function main(): Promise<Record<string, unknown>> {
  if (mode === 'ours') {
    const bytes = new Uint8Array(fs.readFileSync(bundleFile));
    const t0 = performance.now();
    const audit = auditCertificateFiles([{ file: bundleFile, bytes }], { now });
    const ms = performance.now() - t0;
    const count = audit.certificates.length;
    const verified = audit.certificates.filter((c) => c.chains.some((ch) => ch.verified)).length;
    return { count, usPerCert: (ms * 1000) / count, findings: audit.findings.length, verified };
  }
  if (mode === 'verify') {
    const bytes = new Uint8Array(fs.readFileSync(bundleFile));
    const pairs = prepareCertificateAudit([{ file: bundleFile, bytes }], { now }).signaturePairs;
    const checks = pairs.map((p) => ({ check: signatureCheck(p.certificate, p.ca)!, key: issuerKey(p.ca)! }));
    const t0 = performance.now();
    let verified = 0;
    for (const { check, key } of checks) if (runSignatureCheck(check, key)) verified++;
    const oneMs = performance.now() - t0;
    // Two threads: this one and a worker, each half, as the audit's pool runs them (transfer included).
    const pool = new SignaturePool({ threads: 2, minChecks: 0 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const t1 = performance.now();
    await pool.answer(pairs);
    const twoMs = performance.now() - t1;
    pool.close();
    const count = pairs.length;
    return { count, verified, usPerCert: (oneMs * 1000) / count, usPerCertTwo: (twoMs * 1000) / count };
  }
  const cas = pemBlocks(casFile);
  const leaves = pemBlocks(bundleFile).slice(cas.length, cas.length + Number(limitText ?? Infinity));
  if (mode === 'x509') {
    const t0 = performance.now();
    const caCerts = cas.map((pem) => new X509Certificate(pem));
    let verified = 0;
    for (const pem of leaves) {
      const cert = new X509Certificate(pem);
      const ca = caCerts.find((c) => c.subject === cert.issuer);
      if (ca && cert.verify(ca.publicKey) && cert.checkIssued(ca)) verified++;
    }
    const ms = performance.now() - t0;
    return { count: leaves.length, usPerCert: (ms * 1000) / leaves.length, verified };
  }
  const { x509 } = await import('../../src/core/x509/peculiar');
  const t0 = performance.now();
  const caCerts = cas.map((pem) => new x509.X509Certificate(pem));
  let verified = 0;
  for (const pem of leaves) {
    const cert = new x509.X509Certificate(pem);
    const ca = caCerts.find((c) => c.subject === cert.issuer);
    if (ca && (await cert.verify({ publicKey: ca, date: now }))) verified++;
  }
  const ms = performance.now() - t0;
  return { count: leaves.length, usPerCert: (ms * 1000) / leaves.length, verified };
}

printJsonLine(async () => ({ ...(await main()), peakRssMb: process.resourceUsage().maxRSS / 1024 }));
