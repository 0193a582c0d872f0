import { strict as assert } from 'node:assert';
import { SerialQueue } from '../../../../../src/extension/views/pki/serialQueue';

describe('SerialQueue (PKI view reloads)', () => {
  it('runs later tasks after one was rejected, and reports the rejection', async () => {
    const errors: unknown[] = [];
    const ran: string[] = [];
    const queue = new SerialQueue((err) => errors.push(err));
    void queue.push(async () => {
      ran.push('first');
      throw new Error('folder vanished');
    });
    void queue.push(() => {
      ran.push('second');
    });
    await queue.push(async () => {
      ran.push('third');
    });
    assert.deepEqual(ran, ['first', 'second', 'third']);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['folder vanished'],
    );
  });

  it('keeps the order of tasks that take different times', async () => {
    const ran: number[] = [];
    const queue = new SerialQueue(() => undefined);
    for (const [i, ms] of [30, 0, 10].entries())
      void queue.push(() => new Promise<void>((resolve) => setTimeout(() => resolve(void ran.push(i)), ms)));
    await queue.idle();
    assert.deepEqual(ran, [0, 1, 2]);
  });

  it('survives a reporter that throws', async () => {
    const queue = new SerialQueue(() => {
      throw new Error('log closed');
    });
    void queue.push(() => Promise.reject(new Error('boom')));
    let ran = false;
    await queue.push(() => {
      ran = true;
    });
    assert.equal(ran, true);
  });
});
