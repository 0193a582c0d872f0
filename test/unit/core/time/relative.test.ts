import { strict as assert } from 'node:assert';
import { formatRelativeTime, relativeTime } from '../../../../src/core/time/relative';

const NOW = new Date('2026-11-23T12:00:00Z');
const at = (iso: string): Date => new Date(iso);

describe('relativeTime', () => {
  it('counts days below two months', () => {
    assert.deepEqual(relativeTime(at('2026-12-16T12:00:00Z'), NOW), { value: 23, unit: 'day' });
    assert.deepEqual(relativeTime(at('2027-01-20T12:00:00Z'), NOW), { value: 58, unit: 'day' });
  });

  it('counts years and months further out, rounded towards zero', () => {
    assert.deepEqual(relativeTime(at('2023-10-01T00:00:00Z'), NOW), { value: -3, unit: 'year' });
    assert.deepEqual(relativeTime(at('2027-04-01T00:00:00Z'), NOW), { value: 4, unit: 'month' });
  });

  it('goes down to hours, minutes and seconds', () => {
    assert.deepEqual(relativeTime(at('2026-11-23T09:30:00Z'), NOW), { value: -2, unit: 'hour' });
    assert.deepEqual(relativeTime(at('2026-11-23T12:05:00Z'), NOW), { value: 5, unit: 'minute' });
    assert.deepEqual(relativeTime(NOW, NOW), { value: 0, unit: 'second' });
  });

  it('formats in English and Simplified Chinese', () => {
    assert.equal(formatRelativeTime(at('2026-12-16T12:00:00Z'), NOW, 'en'), 'in 23 days');
    assert.equal(formatRelativeTime(at('2023-10-01T00:00:00Z'), NOW, 'en'), '3 years ago');
    assert.equal(formatRelativeTime(at('2023-10-01T00:00:00Z'), NOW, 'zh-CN'), '3年前');
  });
});
