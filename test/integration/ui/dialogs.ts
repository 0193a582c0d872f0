// What the workbench asks and tells: the command palette, input boxes (quick input), modal
// dialogs and notification toasts.
import type { Locator } from 'playwright-core';
import { waitFor } from '../wait';
import { ACTION_TIMEOUT, exactly, gone, normalize, shown } from './page';
import { ui } from './session';

/**
 * Runs a command from the palette by its label ("Kube Certs: Show Log"); resolves once the palette
 * closed on it. Each look does the next step a user would: open the palette, type, click the row;
 * Enter right after typing runs nothing, and a row clicked while the list re-renders is missed, so
 * the palette staying open means the click is repeated.
 */
export async function runFromPalette(label: string): Promise<void> {
  const { page } = ui();
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input').first();
  const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  let clicked = false;
  const closedOnIt = async () => {
    if (!(await widget.isVisible())) return true;
    // Still open, but with another value: the command asks something of its own.
    return (await input.inputValue({ timeout: ACTION_TIMEOUT }).catch(() => '')) !== `>${label}`;
  };
  await waitFor(`the command palette to run "${label}"`, async () => {
    if (clicked && (await closedOnIt())) return true;
    if (!(await widget.isVisible())) {
      await page.keyboard.press('F1');
      return false;
    }
    if ((await input.inputValue({ timeout: ACTION_TIMEOUT })) !== `>${label}`) {
      await input.fill(`>${label}`, { timeout: ACTION_TIMEOUT });
      return false;
    }
    if (!(await row.isVisible())) return false;
    await row.click({ timeout: ACTION_TIMEOUT });
    clicked = true;
    return waitFor('the palette to close', closedOnIt, { timeoutMs: ACTION_TIMEOUT }).catch(() => false);
  });
}

/** The open input box (showInputBox): its title and pre-filled value. */
export async function inputBox(): Promise<{ title: string; value: string; input: Locator }> {
  const { page } = ui();
  const widget = page.locator('.quick-input-widget');
  const input = await shown(widget.locator('.quick-input-box input'), 'an input box');
  // The widget shows its input before it draws the title (every prompt of ours has one).
  const title = await waitFor(
    'the input box title',
    async () => normalize(await widget.locator('.quick-input-title').innerText({ timeout: ACTION_TIMEOUT })),
    { until: (t) => t.trim() !== '' },
  );
  return { title, value: await input.inputValue(), input };
}

/** Dismisses an input box or quick pick left open (Escape goes to the widget, which has focus). */
export async function closeInputBox(): Promise<void> {
  const widget = ui().page.locator('.quick-input-widget');
  if (!(await widget.isVisible())) return;
  await widget.locator('.quick-input-box input').press('Escape');
  await gone(widget, 'the input box');
}

/** Answers the open input box with `value` (the pre-filled value when undefined) and Enter. */
export async function answerInputBox(value?: string): Promise<void> {
  const { page } = ui();
  const { input } = await inputBox();
  if (value !== undefined) await input.fill(value);
  await input.press('Enter');
  await gone(page.locator('.quick-input-widget'), 'the input box');
}

/** The modal dialog (showInformationMessage/showWarningMessage with modal: true), once shown. */
export async function modalDialog(timeoutMs?: number): Promise<Locator> {
  return shown(ui().page.locator('.monaco-dialog-box'), 'a modal dialog', timeoutMs);
}

/** Clicks the dialog's button labelled exactly `label`; resolves once the dialog closed. */
export async function pressDialogButton(dialog: Locator, label: string): Promise<void> {
  await dialog.locator('.monaco-button', { hasText: exactly(label) }).click();
  await gone(dialog, 'the dialog');
}

function toast(text: string): Locator {
  return ui().page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

/**
 * The notification toast whose text contains `text`, once shown; expanded with its own button
 * (as a user would, to read a long message) when `expand` is set.
 */
export async function notification(text: string, expand = false): Promise<string> {
  const shownToast = await shown(toast(text), `a notification "${text}"`, 30_000);
  if (expand) {
    // The button shows while the mouse is over the toast, which moves when a toast above it goes:
    // hover again until the click lands.
    const button = shownToast.locator('.codicon-notifications-expand');
    const expanded = shownToast.locator('.notification-list-item.expanded');
    await waitFor(`the notification "${text}" expanded`, async () => {
      if (await expanded.isVisible()) return true;
      await shownToast.hover({ timeout: ACTION_TIMEOUT });
      if (await button.isVisible()) await button.click({ timeout: ACTION_TIMEOUT });
      return false;
    });
  }
  return normalize(await shownToast.innerText());
}

/** Waits until no toast containing `text` is shown (a progress notification that ended). */
export async function notificationGone(text: string): Promise<void> {
  await gone(toast(text), `the notification "${text}"`);
}
