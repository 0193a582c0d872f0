// kubecerts' chain verdicts against Go 1.23's crypto/x509 (test/oracle/main.go) on generated chains:
// `verified` must be Go's answer and the first problem's code must match Go's error class, unless
// the case is one of DELIBERATE_DIFFERENCES (listed in the README).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Oracle, goAvailable } from '../../oracle/client';
import {
  DELIBERATE_DIFFERENCES,
  GO_CLASS_CODES,
  describe as describeCase,
  newTally,
  runDifferential,
} from '../../oracle/differential';
import { caseArbitrary, materialize, sameKeyBundle } from '../../oracle/scenarios';
import { kubecertsOutcome, oracleRequest } from '../../oracle/differential';

const CASES = Number(process.env.KUBECERTS_ORACLE_CASES ?? 2000);
const SEED = Number(process.env.KUBECERTS_ORACLE_SEED ?? 20261202);

describe('verifyChain against Go crypto/x509 (differential)', function () {
  this.timeout(300_000);
  let oracle: Oracle;

  before(function () {
    assert.ok(goAvailable(), 'Go 1.23 is missing: `npm test` installs it in its pretest step');
    oracle = new Oracle();
  });

  after(() => oracle?.close());

  it(`agrees with Go on ${CASES} generated chains (seed ${SEED})`, async () => {
    const tally = newTally();
    const batch = 250;
    const samples = fc.sample(caseArbitrary, { numRuns: CASES, seed: SEED });
    for (let i = 0; i < samples.length; i += batch) {
      const built = samples.slice(i, i + batch).map(materialize);
      const before = tally.mismatches.length;
      await runDifferential(oracle, built, tally, i);
      for (const m of tally.mismatches.slice(before)) {
        m.what += `\n  case ${JSON.stringify(samples[m.index])}\n  bytes ${describeCase(built[m.index - i])}`;
      }
    }
    assert.equal(tally.cases, CASES);
    assert.deepEqual(
      tally.mismatches.slice(0, 5).map((m) => m.what),
      [],
      `${tally.mismatches.length} of ${tally.cases} cases differ from Go`,
    );
    // The generator must reach every verdict Go can give here, or the agreement proves little.
    for (const goClass of Object.keys(GO_CLASS_CODES).filter(
      (c) => c !== 'SignatureCheckBudget' && c !== 'Other',
    )) {
      assert.ok((tally.classes[goClass] ?? 0) > 0, `no generated case made Go answer ${goClass}`);
    }
    assert.ok(tally.verifiedByGo > CASES / 10, 'too few verified chains');
  });

  it('lists every deliberate difference in the README, in English and Chinese', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const english = readme.slice(readme.indexOf('## Where kubecerts deliberately differs from Go, and why'));
    assert.ok(english.length < readme.length, 'README section missing');
    for (const d of DELIBERATE_DIFFERENCES) assert.ok(english.includes(d.name), `README lacks "${d.name}"`);
    assert.match(readme, /### 与 Go 的有意差异/);
  });

  it('gives up like Go on a bundle of 100 certificates with one subject and key, fast', async () => {
    const bundle = sameKeyBundle(100);
    // CPU time: the bound is on work done, not on how busy a shared CI machine is.
    const started = process.cpuUsage();
    const ours = kubecertsOutcome(bundle);
    const { user, system } = process.cpuUsage(started);
    const elapsed = (user + system) / 1000;
    const [go] = await oracle.askAll([oracleRequest(bundle)]);
    assert.equal(go.verify?.class, 'SignatureCheckBudget', go.verify?.message);
    assert.equal(ours.verified, false);
    assert.equal(ours.code, 'chain-too-complex');
    assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
  });
});
