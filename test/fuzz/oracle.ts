// Nightly target "go-oracle": kubecerts against Go 1.23's crypto/x509 (test/oracle) on generated
// chains and on mutated DER, in batches through one oracle process. The same checks run with
// fewer cases in `npm test` (test/unit/oracle).
import fc from 'fast-check';
import { Oracle, goAvailable } from '../oracle/client';
import { compareParses, derSeeds, mutate, mutationCase } from '../oracle/derFuzz';
import { describe as describeCase, newTally, runDifferential } from '../oracle/differential';
import { caseArbitrary, materialize } from '../oracle/scenarios';

export const ORACLE_TARGET = 'go-oracle';
const BATCH = 500;

/** Runs `chains` chain cases and `ders` DER cases; returns the number of failures (each logged). */
export async function runOracleFuzz(
  seed: number,
  chains: number,
  ders: number,
  log: (line: string) => void,
): Promise<number> {
  if (!goAvailable()) {
    log(`FAIL ${ORACLE_TARGET}: Go 1.23 is missing (npm test's pretest installs it)`);
    return 1;
  }
  const oracle = new Oracle();
  let failures = 0;
  try {
    const tally = newTally();
    const samples = fc.sample(caseArbitrary, { numRuns: chains, seed });
    for (let i = 0; i < samples.length; i += BATCH) {
      const built = samples.slice(i, i + BATCH).map(materialize);
      const before = tally.mismatches.length;
      await runDifferential(oracle, built, tally, i);
      for (const m of tally.mismatches.slice(before)) {
        log(`FAIL ${ORACLE_TARGET} chain #${m.index}: ${m.what}\n  ${describeCase(built[m.index - i])}`);
      }
    }
    failures += tally.mismatches.length;
    log(
      `${ORACLE_TARGET}: ${tally.cases} chains, ${tally.verifiedByGo} verified by Go, ${tally.mismatches.length} differences; Go classes ${JSON.stringify(tally.classes)}`,
    );

    const seeds = derSeeds();
    const cases = fc.sample(mutationCase, { numRuns: ders, seed });
    let derDiffs = 0;
    for (let i = 0; i < cases.length; i += BATCH * 4) {
      const blobs = cases
        .slice(i, i + BATCH * 4)
        .map((c) => mutate(seeds[c.seed % seeds.length].der, c.mutations));
      const diffs = await compareParses(oracle, blobs);
      for (const d of diffs) log(`FAIL ${ORACLE_TARGET} DER: ${d}`);
      derDiffs += diffs.length;
    }
    failures += derDiffs;
    log(`${ORACLE_TARGET}: ${cases.length} mutated certificates, ${derDiffs} differences from Go's parser`);
  } finally {
    oracle.close();
  }
  return failures;
}
