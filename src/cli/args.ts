// What every command does with its arguments: node:util's strict parseArgs, and the checks several
// commands share. Every mistake is a UsageError (exit code 2, one line).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** `--fail-on`: the least severity that makes the exit code 1. */
export const FAIL_ON = ['error', 'warning', 'never'] as const;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Strict parsing: an unknown option, a missing value or (unless allowed) a positional is a UsageError. */
export function parseCommandArgs<const O extends OptionsConfig, const P extends boolean = true>(
  args: readonly string[],
  options: O,
  allowPositionals: P = true as P,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? '');
  }
}

/** `--now`: the instant to evaluate at instead of the clock, as an ISO-8601 date. */
export function parseNow(value: string): Date {
  const instant = new Date(value);
  if (!ISO_8601.test(value) || Number.isNaN(instant.getTime())) {
    throw new UsageError('--now must be an ISO-8601 date, e.g. 2025-06-01T00:00:00Z');
  }
  return instant;
}

/** An option that takes one of a fixed list of values. */
export function oneOf<const T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${choices.join(', ')}`);
  }
  return value as T;
}

/** `--warn-days N`: warn about certificates expiring within N days. */
export function parseWarnDays(value: string): number {
  if (!/^\d{1,5}$/.test(value)) throw new UsageError('--warn-days must be a whole number of days');
  return Number(value);
}
