// Acting on the VS Code workbench like a user, with waits on explicit conditions only: a visible
// element, a text, a log line. Selectors are the workbench's own classes (VS Code 1.100).
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ui } from './session';

const TIMEOUT = 15_000;

/**
 * Editor lines holding secrets (a private key, a token, a password): painted over in every
 * screenshot, so no key material reaches test-results/ or the README images, even in part.
 */
/** A neutral grey bar, like a redaction. */
export const SECRET_MASK = '#c8c8c8';

export function secretLines(page: Page): Locator[] {
  return [page.locator('.view-line').filter({ hasText: /client-key-data|\btoken:|\bpassword:/ })];
}

export async function screenshot(name: string): Promise<string> {
  const { page, resultsDir, stage } = ui();
  const file = path.join(resultsDir, `${stage}-${name}.png`);
  await page.screenshot({ path: file, mask: secretLines(page), maskColor: SECRET_MASK });
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

/** Moves the mouse to an empty spot of the title bar, so no hover or tooltip stays in a screenshot. */
export async function parkMouse(): Promise<void> {
  const { page } = ui();
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.mouse.move(size.width - 200, 12);
}

/**
 * Drags the side bar's sash so the side bar is `width` pixels wide (a user widening it to read
 * long tree rows); resolves with the width it had before.
 */
export async function setSideBarWidth(width: number): Promise<number> {
  const { page } = ui();
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box) throw new Error('the side bar is not shown');
  if (Math.abs(box.width - width) <= 2) return box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width - 1, y, { steps: 8 });
  await page.mouse.up();
  await pollUntil(
    async () => (await sidebar.boundingBox())?.width ?? 0,
    (w) => Math.abs(w - width) <= 2,
  );
  await parkMouse();
  return box.width;
}

/** A view pane of the side bar by its title ("PKI"), expanded if it was collapsed. */
export async function viewPane(title: string): Promise<Locator> {
  const { page } = ui();
  const headerSelector = `.pane-header[aria-label="${title} Section"]`;
  const header = page.locator(`.part.sidebar ${headerSelector}`);
  await header.waitFor({ timeout: TIMEOUT });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  // `has` matches inside the pane: the header's own selector, without the side bar ancestor.
  return page.locator('.part.sidebar .pane').filter({ has: page.locator(headerSelector) });
}

export interface RowMatch {
  /** The exact label, or a pattern. */
  readonly label: string | RegExp;
  readonly description?: string | RegExp;
}

function exactly(text: string | RegExp): RegExp {
  return typeof text === 'string' ? new RegExp(`^${escapeRegExp(text)}$`) : text;
}

function rowsMatching(pane: Locator, match: RowMatch): Locator {
  const page = ui().page;
  let rows = pane
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(match.label) }) });
  if (match.description !== undefined)
    rows = rows.filter({ has: page.locator('.label-description', { hasText: exactly(match.description) }) });
  return rows;
}

/** aria-labels of the rows a tree has rendered (it renders only what is scrolled into view). */
async function renderedRows(pane: Locator): Promise<string> {
  return (
    await pane
      .locator('.monaco-list-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')))
  ).join('\n');
}

/**
 * The first row of a tree view matching `match`. Trees render only the rows in view, so the view
 * is scrolled from the top down with the mouse wheel until the row is rendered; the whole search
 * is repeated until the row appears (the view fills asynchronously) or the timeout.
 */
export async function treeRow(pane: Locator, match: RowMatch, timeoutMs = TIMEOUT): Promise<Locator> {
  const { page } = ui();
  const rows = rowsMatching(pane, match);
  const list = pane.locator('.monaco-list').first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await rows.count()) > 0) return rows.first();
    const box = await list.boundingBox();
    if (box) {
      // Wheel over the list's own scrollbar strip: over a row, that row's tooltip would open after
      // a moment and swallow the following wheel events.
      await page.mouse.move(box.x + box.width - 4, box.y + Math.min(box.height / 2, 40));
      await page.keyboard.press('Escape');
      await page.mouse.wheel(0, -100_000);
      for (let step = 0; step < 50; step++) {
        if ((await rows.count()) > 0) return rows.first();
        const before = await renderedRows(pane);
        await page.mouse.wheel(0, Math.max(box.height - 44, 22));
        // The list re-renders on the wheel event's frame: wait for it, then stop at the bottom.
        const after = await pollUntil(
          () => renderedRows(pane),
          (r) => r !== before,
          300,
        );
        if (after === before) break;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no tree row ${String(match.label)}${match.description ? ` (${String(match.description)})` : ''}; rows:\n${await renderedRows(pane)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface RowInfo {
  readonly label: string;
  readonly description: string;
  readonly ariaLabel: string;
  /** "true" / "false" for collapsible rows, "" otherwise. */
  readonly expanded: string;
  /** The codicon of the row's icon ("error", "pass", …). */
  readonly icon: string;
  /** The file-decoration badge drawn after the label ("1"), "" when none. */
  readonly badge: string;
}

export async function rowInfo(row: Locator): Promise<RowInfo> {
  // No named function inside: the bundler's name helper does not exist in the page.
  return row.evaluate((r) => {
    const [label, description] = ['.label-name', '.label-description'].map(
      (sel) => (r.querySelector(sel) as HTMLElement | null)?.innerText.trim() ?? '',
    );
    const iconClass = Array.from(r.querySelector('.custom-view-tree-node-item-icon')?.classList ?? []).find(
      (c) => c.startsWith('codicon-'),
    );
    const iconLabel = r.querySelector('.monaco-icon-label');
    const after = iconLabel ? getComputedStyle(iconLabel, '::after').content : 'none';
    return {
      label,
      description,
      ariaLabel: r.getAttribute('aria-label') ?? '',
      expanded: r.getAttribute('aria-expanded') ?? '',
      icon: iconClass?.replace(/^codicon-/, '') ?? '',
      badge: after === 'none' ? '' : after.replace(/^"|"$/g, ''),
    };
  });
}

/** Expands a collapsible row by clicking its twistie, unless it is already expanded. */
export async function expandRow(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) !== 'false') return;
  await row.locator('.monaco-tl-twistie').click();
  await pollUntil(
    async () => row.getAttribute('aria-expanded'),
    (v) => v === 'true',
  );
}

/**
 * A row under a collapsible group row. A live tree may re-render the group while it is being
 * expanded (a watch event moving an item into it), so expanding and looking are retried together.
 */
export async function rowUnder(
  pane: Locator,
  group: RowMatch,
  match: RowMatch,
  timeoutMs = TIMEOUT,
): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await expandRow(await treeRow(pane, group));
    try {
      return await treeRow(pane, match, 2_000);
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

export async function collapseRow(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) !== 'true') return;
  await row.locator('.monaco-tl-twistie').click();
  await pollUntil(
    async () => row.getAttribute('aria-expanded'),
    (v) => v === 'false',
  );
}

/** Hovers a row (which reveals its inline actions) and clicks the action titled `title`. */
export async function clickInlineAction(row: Locator, title: string): Promise<void> {
  await row.hover();
  const action = row.locator(`.actions .action-label[aria-label="${title}"]`);
  await action.waitFor({ state: 'visible', timeout: TIMEOUT });
  await action.click();
}

/** Titles of the inline actions a row shows on hover. */
export async function inlineActions(row: Locator): Promise<string[]> {
  await row.hover();
  return row
    .locator('.actions .action-label')
    .evaluateAll((as) => as.map((a) => a.getAttribute('aria-label') ?? ''));
}

/** Right-clicks a row and picks `item` from its context menu; resolves with the menu's entries. */
export async function contextMenu(row: Locator, item: string): Promise<string[]> {
  const { page } = ui();
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ state: 'visible', timeout: TIMEOUT });
  const entries = (await menu.locator('.action-item .action-label').allInnerTexts())
    .map((t) => t.trim())
    .filter(Boolean);
  const entry = menu.locator('.action-item', {
    has: page.locator('.action-label', { hasText: exactly(item) }),
  });
  // The menu ignores a click that comes right after it opened: click until it closes.
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    await entry.click();
    try {
      await menu.waitFor({ state: 'hidden', timeout: 1_000 });
      return entries;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

/** The open input box (showInputBox): its title and pre-filled value. */
export async function inputBox(): Promise<{ title: string; value: string; input: Locator }> {
  const { page } = ui();
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await input.first().waitFor({ state: 'visible', timeout: TIMEOUT });
  return {
    title: normalize(await widget.locator('.quick-input-title').innerText()),
    value: await input.first().inputValue(),
    input: input.first(),
  };
}

/** Answers the open input box with `value` (the pre-filled value when undefined) and Enter. */
export async function answerInputBox(value?: string): Promise<void> {
  const { page } = ui();
  const { input } = await inputBox();
  if (value !== undefined) await input.fill(value);
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/**
 * The notification toast whose text contains `text`, once shown; expanded with its own button
 * (as a user would, to read a long message) when `expand` is set.
 */
export async function notification(text: string, expand = false): Promise<string> {
  const { page } = ui();
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: 30_000 });
  if (expand) {
    await toast.hover();
    const button = toast.locator('.codicon-notifications-expand');
    await button.waitFor({ state: 'visible', timeout: TIMEOUT });
    await button.click();
    await toast.locator('.notification-list-item.expanded').waitFor({ timeout: TIMEOUT });
  }
  return normalize(await toast.innerText());
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

/** README images must stay small: they are committed (but not shipped in the VSIX). */
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
