// "in 23 days", "3 years ago": the largest whole unit between two instants, for Intl.RelativeTimeFormat.

export type RelativeUnit = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

export interface RelativeTime {
  /** Negative in the past, positive in the future, as Intl.RelativeTimeFormat expects. */
  readonly value: number;
  readonly unit: RelativeUnit;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Months and years as kubectl's duration printer counts them: 30 and 365 days.
const UNITS: readonly [RelativeUnit, number][] = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
  ['second', SECOND],
];

/** The time from `now` to `target` in its largest whole unit, rounded towards zero; days below 60. */
export function relativeTime(target: Date, now: Date): RelativeTime {
  const delta = target.getTime() - now.getTime();
  const abs = Math.abs(delta);
  const sign = delta < 0 ? -1 : 1;
  // Below two months, days read better than "1 month" (certificates are renewed on day counts).
  for (const [unit, size] of UNITS) {
    if (unit === 'month' && abs < 60 * DAY) continue;
    if (unit === 'year' && abs < 365 * DAY) continue;
    if (abs >= size) return { value: sign * Math.floor(abs / size), unit };
  }
  return { value: 0, unit: 'second' };
}

/** Formats with the platform's CLDR data, e.g. "in 23 days" (en) or "23天后" (zh-CN). */
export function formatRelativeTime(target: Date, now: Date, locale: string): string {
  const { value, unit } = relativeTime(target, now);
  return new Intl.RelativeTimeFormat(locale, { numeric: 'always' }).format(value, unit);
}
