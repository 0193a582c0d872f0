// forEachContext: at most `parallel` contexts in flight, outcomes in the contexts' order, a context
// that fails or overruns its timeout reported without stopping the others.
import assert from 'node:assert/strict';
import { forEachContext, parseParallel, parseTimeout } from '../../../src/cli/fleet/contexts';

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });

describe('forEachContext', () => {
  it('keeps at most `parallel` contexts in flight and returns outcomes in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const contexts = Array.from({ length: 9 }, (_, i) => `ctx-${i}`);
    const outcomes = await forEachContext(contexts, { parallel: 3, timeoutMs: 5_000 }, async (context) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      // Later contexts finish first: the order of the outcomes must not follow completion.
      await sleep(40 - Number(context.slice(4)) * 4);
      inFlight--;
      return context.toUpperCase();
    });
    assert.equal(peak, 3);
    assert.deepEqual(
      outcomes.map((o) => (o.ok ? o.value : 'failed')),
      contexts.map((c) => c.toUpperCase()),
    );
  });

  it('reports a failure and a timeout as outcomes; the signal aborts the overrunning work', async () => {
    let aborted = false;
    const started = Date.now();
    const outcomes = await forEachContext(
      ['fine', 'broken', 'hung', 'deaf'],
      { parallel: 4, timeoutMs: 150 },
      async (context, signal) => {
        if (context === 'broken') throw new Error('refused');
        if (context === 'hung') {
          await sleep(60_000, signal).catch((error: unknown) => {
            aborted = true;
            throw error;
          });
        }
        // Work that ignores its signal still loses the race against the timeout.
        if (context === 'deaf') await new Promise(() => undefined);
        return context;
      },
    );
    assert.ok(Date.now() - started < 5_000);
    assert.deepEqual(
      outcomes.map((o) => [o.context, o.ok, o.ok ? o.value : o.timedOut]),
      [
        ['fine', true, 'fine'],
        ['broken', false, false],
        ['hung', false, true],
        ['deaf', false, true],
      ],
    );
    assert.ok(aborted, 'the hung work saw its signal abort');
  });

  it('parses --parallel and --timeout', () => {
    assert.equal(parseParallel('4'), 4);
    assert.throws(() => parseParallel('0'), /--parallel/);
    assert.throws(() => parseParallel('65'), /--parallel/);
    assert.equal(parseTimeout('10s'), 10_000);
    assert.equal(parseTimeout('500ms'), 500);
    assert.equal(parseTimeout('2m'), 120_000);
    assert.equal(parseTimeout('3'), 3_000);
    assert.throws(() => parseTimeout('0s'), /--timeout/);
    assert.throws(() => parseTimeout('soon'), /--timeout/);
  });
});
