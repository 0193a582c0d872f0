// The editor: opening a workspace file from the Explorer, hovering a value in it.
import type { Page } from 'playwright-core';
import { waitFor } from '../wait';
import { escapeRegExp, normalize, shown } from './page';
import { ui } from './session';
import { showContainer } from './sideBar';

function explorerRow(page: Page, name: string) {
  // Exact label: kubelet.conf must not match bootstrap-kubelet.conf.
  return page
    .locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
}

/** Opens a workspace file by clicking its explorer row; resolves when its text is on screen. */
export async function openFromExplorer(name: string, expectedText: string): Promise<void> {
  const { page } = ui();
  await showContainer('Explorer', page.locator('.explorer-folders-view'));
  await (await shown(explorerRow(page, name), `${name} in the Explorer`)).click();
  await shown(
    page.locator('.editor-instance .monaco-editor .view-lines').filter({ hasText: expectedText }),
    `${name} in the editor`,
  );
  await shown(page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`), `the active tab ${name}`);
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
 * Hovers the value of `key:` and resolves with the hover's text once it contains `expected`. A
 * hover asked before the provider is ready never updates by itself, so while no visible hover holds
 * the expected text the mouse comes again from below (each approach is one look of the wait).
 */
export async function hoverValue(key: string, expected: string, timeoutMs = 30_000): Promise<string> {
  const { page } = ui();
  const hover = page.locator('.monaco-hover-content').filter({ visible: true });
  const read = async () => normalize((await hover.allInnerTexts()).join('\n'));
  return waitFor(
    `a hover on ${key} showing "${expected}"`,
    async () => {
      const text = await read();
      if (text.includes(expected)) return text;
      const { x, y } = await valuePoint(page, key);
      await page.mouse.move(x, y + 80);
      await page.mouse.move(x, y, { steps: 8 });
      // The hover opens after the workbench's hover delay and fills in when the provider answers.
      return waitFor(`the hover on ${key} to fill`, read, {
        until: (t) => t.includes(expected),
        timeoutMs: 8_000,
      });
    },
    { timeoutMs },
  );
}
