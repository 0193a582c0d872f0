// The lean DER reader against Go's x509.ParseCertificate on mutated real certificates (flipped,
// overwritten, inserted and deleted bytes, truncations): kubecerts accepts (parses without
// goRejects) exactly when Go does, with the same serial, subject and dates.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Oracle, goAvailable } from '../../oracle/client';
import { compareParses, derSeeds, mutate, mutationCase } from '../../oracle/derFuzz';

const CASES = Number(process.env.KUBECERTS_DER_CASES ?? 3000);
const SEED = Number(process.env.KUBECERTS_ORACLE_SEED ?? 20261202);

describe('DER reader against Go x509.ParseCertificate (differential)', function () {
  this.timeout(300_000);
  let oracle: Oracle;
  before(() => {
    assert.ok(goAvailable(), 'Go 1.23 is missing: `npm test` installs it in its pretest step');
    oracle = new Oracle();
  });
  after(() => oracle?.close());

  it(`accepts exactly what Go accepts, with the same fields, on ${CASES} mutated certificates`, async () => {
    const seeds = derSeeds();
    const cases = fc.sample(mutationCase, { numRuns: CASES, seed: SEED });
    const blobs = cases.map((c) => mutate(seeds[c.seed % seeds.length].der, c.mutations));
    const diffs = await compareParses(oracle, [...seeds.map((s) => s.der), ...blobs]);
    assert.deepEqual(diffs.slice(0, 5), [], `${diffs.length} of ${blobs.length} differ`);
  });
});
