// Expected values from upstream, not from this code: apimachinery's duration_test.go
// (TestHumanDuration, TestHumanDurationBoundaries) and the examples of issue 14 (kubectl 1.32).
import assert from 'node:assert/strict';
import { humanDuration, kubectlAge } from '../../../../src/core/time/humanDuration';

const ms = 1;
const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (apimachinery HumanDuration)', () => {
  it('matches TestHumanDuration', () => {
    const cases: [number, string][] = [
      [1 * s, '1s'],
      [70 * s, '70s'],
      [190 * s, '3m10s'],
      [70 * m, '70m'],
      [47 * h, '47h'],
      [49 * h, '2d1h'],
      [(8 * 24 + 2) * h, '8d'],
      [367 * 24 * h, '367d'],
      [(365 * 2 * 24 + 25) * h, '2y1d'],
      [(365 * 8 * 24 + 2) * h, '8y'],
    ];
    for (const [value, text] of cases) assert.equal(humanDuration(value), text, String(value));
  });

  it('matches TestHumanDurationBoundaries', () => {
    const cases: [number, string][] = [
      [-2 * s, '<invalid>'],
      [-2 * s + 1 * ms, '0s'],
      [0, '0s'],
      [1 * s - 1 * ms, '0s'],
      [2 * m - 1 * ms, '119s'],
      [2 * m, '2m'],
      [2 * m + 1 * s, '2m1s'],
      [10 * m - 1 * ms, '9m59s'],
      [10 * m, '10m'],
      [10 * m + 1 * s, '10m'],
      [3 * h - 1 * ms, '179m'],
      [3 * h, '3h'],
      [3 * h + 1 * m, '3h1m'],
      [8 * h - 1 * ms, '7h59m'],
      [8 * h, '8h'],
      [8 * h + 59 * m, '8h'],
      [2 * d - 1 * ms, '47h'],
      [2 * d, '2d'],
      [2 * d + 1 * h, '2d1h'],
      [8 * d - 1 * ms, '7d23h'],
      [8 * d, '8d'],
      [8 * d + 23 * h, '8d'],
      [2 * 365 * d - 1 * ms, '729d'],
      [2 * 365 * d, '2y'],
      [2 * 365 * d + 23 * h + 59 * m, '2y'],
      [2 * 365 * d + 1 * d - 1 * ms, '2y'],
      [2 * 365 * d + 1 * d, '2y1d'],
      [7 * 365 * d, '7y'],
      [8 * 365 * d - 1 * ms, '7y364d'],
      [8 * 365 * d, '8y'],
      [8 * 365 * d + 364 * d, '8y'],
      [9 * 365 * d, '9y'],
    ];
    for (const [value, text] of cases) assert.equal(humanDuration(value), text, String(value));
  });

  it("gives issue 14's kubectl values where the old AGE column differed", () => {
    assert.equal(humanDuration(330 * s), '5m30s');
    assert.equal(humanDuration(150 * m), '150m');
    assert.equal(humanDuration(800 * d), '2y70d');
  });

  it('prints an age from a creation timestamp, <unknown> without one', () => {
    const now = new Date('2025-01-01T00:05:30Z');
    assert.equal(kubectlAge('2025-01-01T00:00:00Z', now), '5m30s');
    assert.equal(kubectlAge(undefined, now), '<unknown>');
    assert.equal(kubectlAge('not a date', now), '<unknown>');
  });
});
