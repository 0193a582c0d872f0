// Acting on the VS Code workbench like a user, with waits on explicit conditions only: a visible
// element, a text, a log line. Selectors are the workbench's own classes (VS Code 1.100).
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ui } from './session';

const TIMEOUT = 15_000;

export async function screenshot(name: string): Promise<string> {
  const { page, resultsDir, stage } = ui();
  const file = path.join(resultsDir, `${stage}-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Polls `read` until `accept` holds; returns the last value read, accepted or not. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  accept: (v: T) => boolean,
  timeoutMs = TIMEOUT,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

/** Markdown rendering and the workbench use non-breaking spaces; compare on plain spaces. */
export function normalize(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

export async function waitForWorkbench(): Promise<void> {
  const { page } = ui();
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar a.action-label[aria-label^="Explorer"]').waitFor({ timeout: 60_000 });
}

/** Shows a side-bar container by clicking its activity-bar entry, unless it is already shown (a click would hide it). */
async function showContainer(page: Page, activityLabel: string, shown: Locator): Promise<void> {
  if (await shown.isVisible()) return;
  await page.locator(`.activitybar a.action-label[aria-label^="${activityLabel}"]`).click();
  await shown.waitFor({ timeout: TIMEOUT });
}

function explorerRow(page: Page, name: string): Locator {
  // Exact label: kubelet.conf must not match bootstrap-kubelet.conf.
  return page
    .locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
}

/** Opens a workspace file by clicking its explorer row; resolves when its text is on screen. */
export async function openFromExplorer(name: string, expectedText: string): Promise<void> {
  const { page } = ui();
  await showContainer(page, 'Explorer', page.locator('.explorer-folders-view'));
  await explorerRow(page, name).click();
  await page
    .locator('.editor-instance .monaco-editor .view-lines')
    .filter({ hasText: expectedText })
    .waitFor({ timeout: TIMEOUT });
  await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ timeout: TIMEOUT });
}

/** Screen point inside the value of `key:` on the first visible editor line that holds it. */
async function valuePoint(page: Page, key: string): Promise<{ x: number; y: number }> {
  const point = await page.evaluate((keyText) => {
    const lines = Array.from(document.querySelectorAll('.editor-instance .monaco-editor .view-line'));
    for (const line of lines) {
      const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
      const at = text.indexOf(`${keyText}:`);
      if (at < 0) continue;
      // A few characters into the value, past the colon and the space.
      let target = at + keyText.length + 2 + 4;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent?.length ?? 0;
        if (target < len) {
          const range = document.createRange();
          range.setStart(node, target);
          range.setEnd(node, target + 1);
          const r = range.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }
        target -= len;
      }
    }
    return undefined;
  }, key);
  if (!point) throw new Error(`no visible line with "${key}:" in the editor`);
  return point;
}

/**
 * Hovers the value of `key:` and returns the hover's text once it contains `expected` (or the
 * last text shown). A hover asked before the provider is ready never updates by itself, so the
 * mouse comes again from below until a visible hover holds the expected text.
 */
export async function hoverValue(key: string, expected: string, attempts = 5): Promise<string> {
  const { page } = ui();
  const hover = page.locator('.monaco-hover-content').filter({ visible: true });
  let text = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const { x, y } = await valuePoint(page, key);
    await page.mouse.move(x, y + 80);
    await page.mouse.move(x, y, { steps: 8 });
    try {
      await hover.first().waitFor({ state: 'visible', timeout: 4_000 });
    } catch {
      continue;
    }
    text = await pollUntil(
      async () => normalize((await hover.allInnerTexts()).join('\n')),
      (t) => t.includes(expected),
      4_000,
    );
    if (text.includes(expected)) return text;
  }
  return text;
}

export async function openProblemsPanel(): Promise<Locator> {
  const { page } = ui();
  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible', timeout: TIMEOUT });
  return panel;
}

/** Rows of the Problems panel: text (with the diagnostic code) and aria-label (with the severity). */
export async function problemRows(): Promise<{ text: string; label: string }[]> {
  const { page } = ui();
  return page
    .locator('.markers-panel .monaco-list-row')
    .evaluateAll((rows) =>
      rows.map((r) => ({ text: (r as HTMLElement).innerText, label: r.getAttribute('aria-label') ?? '' })),
    );
}

/** Clicks our activity-bar entry and resolves when both views are shown. */
export async function openKubeCertsSideBar(): Promise<Locator> {
  const { page } = ui();
  const sidebar = page.locator('.part.sidebar');
  await showContainer(page, 'Kube Certs', sidebar.locator('.pane-header[aria-label="PKI Section"]'));
  await sidebar
    .locator('.pane-header[aria-label="Certificate Signing Requests Section"]')
    .waitFor({ timeout: TIMEOUT });
  return sidebar;
}

/** Runs a command from the palette by its exact label ("Kube Certs: Show Log"). */
export async function runFromPalette(label: string): Promise<void> {
  const { page } = ui();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(`>${label}`);
  // Enter right after typing runs nothing: wait for the exact row first.
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.click();
}

/** Extension host log files under code-server's user-data dir. */
export function extensionHostLogs(userDataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost.*\.log$/.test(e.name)) found.push(p);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found;
}

/** Waits for the extension host log to record our activation; fails on an activation error. */
export async function waitForActivation(extensionId: string): Promise<string> {
  const { userDataDir } = ui();
  const activated = new RegExp(`_doActivateExtension ${escapeRegExp(extensionId)}\\b.*`);
  const failed = new RegExp(`Activating extension '?${escapeRegExp(extensionId)}'? failed.*`, 'i');
  const log = await pollUntil(
    async () =>
      extensionHostLogs(userDataDir)
        .map((f) => fs.readFileSync(f, 'utf8'))
        .join('\n'),
    (text) => activated.test(text) || failed.test(text),
    30_000,
  );
  const error = failed.exec(log);
  if (error) throw new Error(`activation failed: ${error[0]}`);
  const line = activated.exec(log);
  if (!line) throw new Error(`no activation of ${extensionId} in the extension host log`);
  return line[0];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
