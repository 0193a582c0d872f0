// The Problems panel.
import type { Locator } from 'playwright-core';
import { shown } from './page';
import { ui } from './session';

export async function openProblemsPanel(): Promise<Locator> {
  const { page } = ui();
  await page.keyboard.press('Control+Shift+M');
  return shown(page.locator('.markers-panel'), 'the Problems panel');
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
