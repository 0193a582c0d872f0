// Workload 1 and 5: the bulk audit of 10,000 leaves (in process, whole CLI beside openssl, tree, one
// thread, the verify floor, naive @peculiar/x509) and its peak memory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH_NOW, certificateSet } from '../workloads/certs';
import { ROOT, CACHE, PROBES, type Sizes, type Row, log, median, timed, probe, repeat } from '../measure';

export function bulkAudit(sizes: Sizes): Row[] {
  const set = certificateSet(CACHE, sizes.certs, log);
  const now = BENCH_NOW.toISOString();
  const n = set.count;
  const rows: Row[] = [];
  const workload = `1. bulk audit, ${n.toLocaleString('en')} leaves`;
  log(`${workload}: kubecerts (in process) …`);
  const ours = repeat(
    sizes.repeats,
    () => probe<{ usPerCert: number }>('bulk', ['ours', set.bundle, set.casFile, now]),
    (r) => r.usPerCert,
  );
  rows.push({
    workload,
    measure: 'in process: PEM decode, parse, chain verify, findings (no output), per cert',
    ours,
    unit: 'µs',
  });

  log(`${workload}: crypto.verify alone, one and two threads …`);
  const floor = repeat(
    sizes.repeats,
    () =>
      probe<{ usPerCert: number; usPerCertTwo: number }>('bulk', ['verify', set.bundle, set.casFile, now]),
    (r) => r.usPerCert,
  );
  const floorTwo = repeat(
    sizes.repeats,
    () =>
      probe<{ usPerCert: number; usPerCertTwo: number }>('bulk', ['verify', set.bundle, set.casFile, now]),
    (r) => r.usPerCertTwo,
  );
  rows.push({
    workload,
    measure: 'floor: crypto.verify alone, one thread, per cert',
    ours: floor,
    unit: 'µs',
  });
  rows.push({
    workload,
    measure: 'floor: crypto.verify alone, two threads (as the audit splits it), per cert',
    ours: floorTwo,
    unit: 'µs',
  });

  log(`${workload}: kubecerts audit CLI vs openssl storeutl -text …`);
  const rssFile = path.join(CACHE, 'rss.json');
  const cliArgs = (format: string) => [
    '--require',
    path.join(PROBES, 'rss.cjs'),
    path.join(ROOT, 'dist', 'cli.js'),
    'audit',
    set.bundle,
    '--now',
    now,
    '--fail-on',
    'never',
    '--format',
    format,
  ];
  const env = { ...process.env, KUBECERTS_BENCH_RSS: rssFile, NO_COLOR: '1' };
  // Interleaved with the anchor, run by run, so that both see the same machine.
  const runs = Array.from({ length: sizes.repeats }, () => {
    const json = timed(process.execPath, cliArgs('json'), { env }).ms;
    const rss = (JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { peakRssMb: number }).peakRssMb;
    const single = timed(process.execPath, cliArgs('json'), {
      env: { ...env, KUBECERTS_AUDIT_THREADS: '1' },
    }).ms;
    const table = timed(process.execPath, cliArgs('table'), { env }).ms;
    const storeutl = timed('openssl', ['storeutl', '-noout', '-text', set.bundle]).ms;
    return { json, rss, single, table, storeutl };
  });
  const perCert = (pick: (r: (typeof runs)[number]) => number) => (median(runs.map(pick)) * 1000) / (n + 3);
  const cli = perCert((r) => r.json);
  const storeutl = perCert((r) => r.storeutl);
  rows.push({
    workload,
    measure: '`kubecerts audit bundle.pem --format json`, whole process, wall time per cert',
    ours: cli,
    unit: 'µs',
    anchor: 'openssl storeutl -noout -text',
    anchorValue: storeutl,
    ratio: storeutl / cli,
    target: '≥ 8× faster, ≤ 60 µs',
    pass: storeutl / cli >= 8 && cli <= 60,
  });
  const single = perCert((r) => r.single);
  rows.push({
    workload,
    measure: 'same, signatures on one thread (KUBECERTS_AUDIT_THREADS=1)',
    ours: single,
    unit: 'µs',
    anchor: 'openssl storeutl -noout -text',
    anchorValue: storeutl,
    ratio: storeutl / single,
  });
  const table = perCert((r) => r.table);
  rows.push({
    workload,
    measure: '`kubecerts audit bundle.pem` (table), whole process, per cert',
    ours: table,
    unit: 'µs',
    anchor: 'openssl storeutl -noout -text',
    anchorValue: storeutl,
    ratio: storeutl / table,
  });

  const tree =
    (repeat(
      sizes.repeats,
      () =>
        timed(process.execPath, [
          path.join(ROOT, 'dist', 'cli.js'),
          'audit',
          set.tree,
          '--now',
          now,
          '--fail-on',
          'never',
        ]),
      (r) => r.ms,
    ) *
      1000) /
    (n + 3);
  const verifyLoop =
    (repeat(
      1,
      () => {
        const t0 = performance.now();
        for (const file of set.sample)
          timed(
            'openssl',
            ['verify', '-attime', String(BENCH_NOW.getTime() / 1000), '-CAfile', set.casFile, file],
            { okCodes: [0, 2] },
          );
        return performance.now() - t0;
      },
      (ms) => ms,
    ) *
      1000) /
    set.sample.length;
  rows.push({
    workload,
    measure: '`kubecerts audit tree/` (one file per cert), per cert',
    ours: tree,
    unit: 'µs',
    anchor: `openssl verify loop (${set.sample.length} files)`,
    anchorValue: verifyLoop,
    ratio: verifyLoop / tree,
  });

  log(`${workload}: node:crypto X509Certificate and naive @peculiar/x509 …`);
  const x509 = repeat(
    sizes.repeats,
    () => probe<{ usPerCert: number }>('bulk', ['x509', set.bundle, set.casFile, now]),
    (r) => r.usPerCert,
  );
  rows.push({
    workload,
    measure: 'parse + verify, per cert (in process)',
    ours,
    unit: 'µs',
    anchor: 'crypto.X509Certificate',
    anchorValue: x509,
    ratio: x509 / ours,
  });
  const peculiar = probe<{ usPerCert: number }>('bulk', [
    'peculiar',
    set.bundle,
    set.casFile,
    now,
    String(sizes.peculiarSample),
  ]).usPerCert;
  rows.push({
    workload,
    measure: 'parse + verify, per cert (in process)',
    ours,
    unit: 'µs',
    anchor: `naive @peculiar/x509 (${sizes.peculiarSample} certs)`,
    anchorValue: peculiar,
    ratio: peculiar / ours,
    target: '≥ 40× faster',
    pass: peculiar / ours >= 40,
  });

  const rss = median(runs.map((r) => r.rss));
  rows.push({
    workload: `5. memory, ${n.toLocaleString('en')} leaves`,
    measure: '`kubecerts audit bundle.pem` peak RSS',
    ours: rss,
    unit: 'MB',
    target: '≤ 200 MB',
    pass: rss <= 200,
  });
  return rows;
}
