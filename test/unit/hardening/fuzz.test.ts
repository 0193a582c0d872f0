// CI profile of the fuzzer: every target with a fixed seed (override with KUBECERTS_FUZZ_SEED to
// replay a nightly failure), a few thousand cases in all, the corpus of past failures, and the
// size checks at small scale (correctness only, no clock). `npm run fuzz` is the nightly profile.
import { strict as assert } from 'node:assert';
import { CI_SIZES, runSizeChecks } from '../../fuzz/sizes';
import { loadCorpus, replayCase, runTarget, runsFor, selectTargets } from '../../fuzz/run';
import { loadSeeds, type Seeds } from '../../fuzz/seeds';

const SEED = Number.parseInt(process.env.KUBECERTS_FUZZ_SEED ?? '', 10) || 20_260_301;
const TOTAL_RUNS = 3000;
// Catches hangs and blow-ups only; a slow machine must not fail it.
const BOUNDS = { msPerInput: 5000 };

describe(`hardening: fuzz (seed ${SEED}, ${TOTAL_RUNS} cases)`, function () {
  this.timeout(60_000);
  let seeds: Seeds;
  before(async () => {
    seeds = await loadSeeds();
  });

  const targets = selectTargets();
  for (const target of targets) {
    it(target.name, async () => {
      const outcome = await runTarget(
        target,
        seeds,
        { seed: SEED, totalRuns: TOTAL_RUNS, bounds: BOUNDS },
        runsFor(target, TOTAL_RUNS, targets),
      );
      assert.equal(outcome.failure, undefined, outcome.failure);
    });
  }

  describe('corpus of inputs that once failed', () => {
    const corpus = loadCorpus();
    it('is not empty and names existing targets', () => {
      assert.ok(corpus.length > 0);
      for (const c of corpus)
        assert.ok(
          targets.some((t) => t.name === c.target),
          `${c.file}: unknown target ${c.target}`,
        );
    });
    for (const c of corpus) {
      it(`${c.target}/${c.file.split(/[\\/]/).pop()}`, () => replayCase(c, seeds, BOUNDS));
    }
  });

  it('handles a big kubeconfig, a certificate bundle and a long line (CI sizes)', async () => {
    const results = await runSizeChecks(CI_SIZES);
    assert.deepEqual(
      results.map((r) => r.name),
      ['kubeconfig', 'bundle', 'long line'],
    );
  });
});
