// What every fuzz property asserts, whatever the entry point: each call finishes within the bound,
// nothing but the documented error escapes, spans lie inside their document, decoding either
// yields something or says why, findings name catalog codes with all their parameters, and no
// text a user could see quotes a secret.
import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { FINDING_CATALOG } from '../../src/core/findings/catalog';
import {
  englishTemplate,
  renderFindingMessage,
  renderRelatedMessage,
  type Finding,
} from '../../src/core/findings/finding';
import { IGNORED_LABELS, type DecodeResult } from '../../src/core/x509/decode';
import { findPemBlocks } from '../../src/core/x509/pem';

export interface Bounds {
  /** Wall time one input may take; generous, it catches hangs and blow-ups, not slowness. */
  readonly msPerInput: number;
}

/** Runs `fn` and fails when it took longer than the bound. */
export function timed<T>(bounds: Bounds, what: string, fn: () => T): T {
  const start = performance.now();
  const result = fn();
  const elapsed = performance.now() - start;
  assert.ok(
    elapsed <= bounds.msPerInput,
    `${what} took ${elapsed.toFixed(0)} ms (bound ${bounds.msPerInput} ms)`,
  );
  return result;
}

/** Calls `fn`; a throw must be an instance of `allowed`. */
export function throwsOnly(allowed: new (...args: never[]) => Error, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof allowed) return;
    throw new Error(`expected only ${allowed.name} to escape, got ${errorText(err)}`);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
}

export function assertInside(span: { start: number; end: number }, length: number, what: string): void {
  assert.ok(
    Number.isInteger(span.start) &&
      Number.isInteger(span.end) &&
      0 <= span.start &&
      span.start <= span.end &&
      span.end <= length,
    `${what}: span [${span.start}, ${span.end}) outside the document (length ${length})`,
  );
}

/** Decoding produced something, or said why not (or found only blocks it skips by design). */
export function assertAccounted(result: DecodeResult, text: string, what: string): void {
  const anything = result.certificates.length + result.privateKeys.length > 0;
  const blocks = findPemBlocks(text);
  const onlySkipped = blocks.length > 0 && blocks.every((b) => IGNORED_LABELS.has(b.label));
  assert.ok(
    anything || onlySkipped || result.problems.length > 0,
    `${what}: nothing decoded and no problem reported`,
  );
  for (const p of result.problems) {
    assert.ok(typeof p.message === 'string' && p.message.length > 0, `${what}: empty problem message`);
    if (p.start !== undefined || p.end !== undefined) {
      assert.ok(
        p.start !== undefined && p.end !== undefined && p.start <= p.end,
        `${what}: half a problem range`,
      );
    }
  }
}

export function assertNoSecret(text: string, secrets: readonly string[], what: string): void {
  for (const secret of secrets)
    assert.ok(!text.includes(secret), `${what} quotes a secret: ${JSON.stringify(text.slice(0, 200))}`);
}

/** Every string a user could see for a finding: message, params, related messages. */
export function findingTexts(finding: Finding): string[] {
  return [
    renderFindingMessage(finding, englishTemplate),
    JSON.stringify(finding.params),
    ...(finding.related ?? []).map((r) => renderRelatedMessage(r, englishTemplate)),
  ];
}

/** A finding names a catalog code, points inside its file, and carries every parameter its message uses. */
export function checkFinding(f: Finding, lengths: ReadonlyMap<string, number>): void {
  assert.ok(FINDING_CATALOG[f.code], `unknown finding code ${f.code}`);
  const length = lengths.get(f.file);
  assert.ok(length !== undefined, `finding ${f.code} in an unknown file ${f.file}`);
  assertInside(f.span, length, `finding ${f.code}`);
  for (const r of f.related ?? []) {
    const l = lengths.get(r.file);
    if (r.span && l !== undefined) assertInside(r.span, l, `related of ${f.code}`);
  }
  for (const [, name] of FINDING_CATALOG[f.code].message.matchAll(/\{([A-Za-z0-9_]+)\}/g)) {
    assert.ok(
      Object.prototype.hasOwnProperty.call(f.params, name),
      `finding ${f.code} lacks the parameter {${name}}`,
    );
  }
}
