// The workbench page as a whole: waiting for an element through the one waitFor, screenshots
// (with secrets painted over), what a timeout reports, README images. The surfaces live beside
// it: editor.ts, problems.ts, sideBar.ts, dialogs.ts, output.ts. Selectors are the workbench's
// own classes (VS Code 1.100).
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../wait';
import { ui } from './session';

/**
 * How long a UI wait gives its condition. Only an upper bound, so generous: on a loaded 2-core
 * machine a workbench answers a click or a watch event in seconds, not milliseconds.
 */
export const TIMEOUT = 30_000;
/** One action inside a wait's look: short, so that a lost element is looked for again. */
export const ACTION_TIMEOUT = 5_000;

/** A neutral grey bar, like a redaction. */
export const SECRET_MASK = '#c8c8c8';

/**
 * Editor lines holding secrets (a private key, a token, a password): painted over in every
 * screenshot, so no key material reaches test-results/ or the README images, even in part.
 */
export function secretLines(page: Page): Locator[] {
  return [page.locator('.view-line').filter({ hasText: /client-key-data|tls\.key|\btoken:|\bpassword:/ })];
}

export function slug(text: string): string {
  return text
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 80);
}

export async function screenshot(name: string): Promise<string> {
  const { page, resultsDir, stage } = ui();
  const file = path.join(resultsDir, `${stage}-${name}.png`);
  await page.screenshot({ path: file, mask: secretLines(page), maskColor: SECRET_MASK });
  return file;
}

/** How much of the workbench's text a timeout quotes: its end holds the panel and status bar. */
const TIMEOUT_TEXT_CHARS = 3_000;
let timeouts = 0;

/**
 * What a UI wait that timed out saw: a screenshot of the page and its visible text, so the failure
 * explains itself (the runner registers this with explainTimeoutsWith). Secret lines are masked in
 * the image and dropped from the text.
 */
export async function explainTimeout(what: string): Promise<string> {
  const { page, resultsDir, stage } = ui();
  const file = path.join(resultsDir, `${stage}-TIMEOUT-${++timeouts}-${slug(what)}.png`);
  await page.screenshot({ path: file, mask: secretLines(page), maskColor: SECRET_MASK, timeout: 10_000 });
  const text = normalize(await page.locator('body').innerText({ timeout: 10_000 }))
    .split('\n')
    .filter((line) => line.trim() && !/client-key-data|tls\.key|\btoken:|\bpassword:/.test(line))
    .join('\n');
  const shown = text.length > TIMEOUT_TEXT_CHARS ? `…${text.slice(-TIMEOUT_TEXT_CHARS)}` : text;
  return `screenshot: ${file}\nworkbench text:\n${shown}`;
}

/** Markdown rendering and the workbench use non-breaking spaces; compare on plain spaces. */
export function normalize(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

/** Waits until the element is visible; resolves with it. */
export async function shown(locator: Locator, what: string, timeoutMs = TIMEOUT): Promise<Locator> {
  await waitFor(`${what} to be shown`, () => locator.first().isVisible(), { timeoutMs });
  return locator.first();
}

/** Waits until no element of `locator` is visible. */
export async function gone(locator: Locator, what: string, timeoutMs = TIMEOUT): Promise<void> {
  await waitFor(`${what} to close`, async () => !(await locator.first().isVisible()), { timeoutMs });
}

/** The first load of a workbench: minutes on a loaded machine (extension host, file watcher). */
export const WORKBENCH_TIMEOUT = 5 * 60_000;

export async function waitForWorkbench(): Promise<void> {
  const { page } = ui();
  await shown(page.locator('.monaco-workbench .part.statusbar'), 'the workbench', WORKBENCH_TIMEOUT);
  await shown(
    page.locator('.activitybar a.action-label[aria-label^="Explorer"]'),
    'the activity bar',
    WORKBENCH_TIMEOUT,
  );
}

/** Moves the mouse to an empty spot of the title bar, so no hover or tooltip stays in a screenshot. */
export async function parkMouse(): Promise<void> {
  const { page } = ui();
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.mouse.move(size.width - 200, 12);
}

/** Resolves once the page has rendered two more frames: what an input event changed is drawn. */
export async function nextFrames(): Promise<void> {
  await ui().page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The exact text, or a pattern. */
export function exactly(text: string | RegExp): RegExp {
  return typeof text === 'string' ? new RegExp(`^${escapeRegExp(text)}$`) : text;
}

type Box = { x: number; y: number; width: number; height: number };

/** The smallest viewport region holding every locator's box, grown by `margin` pixels. */
export async function regionOf(locators: readonly Locator[], margin = 0): Promise<Box> {
  const { page } = ui();
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  const boxes = (await Promise.all(locators.map((l) => l.boundingBox()))).filter((b): b is Box => !!b);
  if (!boxes.length) throw new Error('nothing to frame: none of the elements is shown');
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(size.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(size.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  return { x, y, width: right - x, height: bottom - y };
}

/** README images must stay small: they are committed and shipped in the VSIX (the extension page shows them). */
const README_IMAGE_MAX_BYTES = 150 * 1024;

/**
 * Saves a region of the page as media/screenshots/<name>.png when the run refreshes the README
 * images (KUBECERTS_UPDATE_SCREENSHOTS=1); does nothing otherwise.
 */
export async function readmeImage(name: string, clip: Box): Promise<void> {
  const { page, readmeImagesDir } = ui();
  if (!readmeImagesDir) return;
  fs.mkdirSync(readmeImagesDir, { recursive: true });
  const file = path.join(readmeImagesDir, `${name}.png`);
  await page.screenshot({ path: file, clip, mask: secretLines(page), maskColor: SECRET_MASK });
  const size = fs.statSync(file).size;
  if (size > README_IMAGE_MAX_BYTES)
    throw new Error(`${file} is ${Math.round(size / 1024)} KB, over 150 KB: frame a smaller region`);
}
