// The side bar: its containers and the tree views in them (rows, groups, inline actions, context
// menus). A tree renders only the rows scrolled into view and re-renders when its data changes, so
// rows are looked up again on every look of a wait, never kept across a change.
import type { Locator } from 'playwright-core';
import { waitFor } from '../wait';
import { ACTION_TIMEOUT, TIMEOUT, exactly, gone, nextFrames, normalize, parkMouse, shown } from './page';
import { ui } from './session';

/** Shows a side-bar container by clicking its activity-bar entry, unless it is already shown (a click would hide it). */
export async function showContainer(activityLabel: string, content: Locator): Promise<void> {
  const { page } = ui();
  if (await content.isVisible()) return;
  // The entry as a whole (its list item), like a user: a badge drawn over the icon ("1 error")
  // takes the click, and the item handles it.
  await page
    .locator('.activitybar li.action-item')
    .filter({ has: page.locator(`a.action-label[aria-label^="${activityLabel}"]`) })
    .click();
  await shown(content, `the ${activityLabel} side bar`);
}

/** Clicks our activity-bar entry and resolves when both views are shown. */
export async function openKubeCertsSideBar(): Promise<Locator> {
  const { page } = ui();
  const sidebar = page.locator('.part.sidebar');
  await showContainer('Kube Certs', sidebar.locator('.pane-header[aria-label="PKI Section"]'));
  await shown(
    sidebar.locator('.pane-header[aria-label="Certificate Signing Requests Section"]'),
    'the Certificate Signing Requests view',
  );
  return sidebar;
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
  await waitFor(`the side bar to be ${width}px wide`, async () => (await sidebar.boundingBox())?.width, {
    until: (w) => w !== undefined && Math.abs(w - width) <= 2,
  });
  await parkMouse();
  return box.width;
}

/** A view pane of the side bar by its title ("PKI"), expanded if it was collapsed. */
export async function viewPane(title: string): Promise<Locator> {
  const { page } = ui();
  const headerSelector = `.pane-header[aria-label="${title} Section"]`;
  const header = await shown(page.locator(`.part.sidebar ${headerSelector}`), `the ${title} view`);
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await waitFor(
    `the ${title} view to expand`,
    async () => (await header.getAttribute('aria-expanded')) !== 'false',
  );
  // `has` matches inside the pane: the header's own selector, without the side bar ancestor.
  return page.locator('.part.sidebar .pane').filter({ has: page.locator(headerSelector) });
}

export interface RowMatch {
  /** The exact label, or a pattern. */
  readonly label: string | RegExp;
  readonly description?: string | RegExp;
}

function describeMatch(match: RowMatch): string {
  return `${String(match.label)}${match.description ? ` (${String(match.description)})` : ''}`;
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
 * One look for a row: the view is scrolled from the top down with the mouse wheel until the row
 * is rendered or the list stops moving (its bottom); undefined when the row is not in the tree.
 */
async function findRow(pane: Locator, match: RowMatch): Promise<Locator | undefined> {
  const { page } = ui();
  const rows = rowsMatching(pane, match);
  if ((await rows.count()) > 0) return rows.first();
  const box = await pane
    .locator('.monaco-list')
    .first()
    .boundingBox({ timeout: ACTION_TIMEOUT })
    .catch(() => null);
  if (!box) return undefined;
  // Wheel over the list's own scrollbar strip: over a row, that row's tooltip would open after a
  // moment and swallow the following wheel events.
  await page.mouse.move(box.x + box.width - 4, box.y + Math.min(box.height / 2, 40));
  // Not Escape to close it: in a focused tree Escape clears the selection (list.clear), which the
  // caller may be about to check. A row's tooltip hides once the mouse has left the row.
  await waitFor(
    'no row tooltip over the side bar',
    async () => (await page.locator('.workbench-hover').filter({ visible: true }).count()) === 0,
    { timeoutMs: ACTION_TIMEOUT },
  );
  // Up to the top notch by notch: the list reads the legacy wheelDeltaY, which Chromium reports as
  // one notch (±120) whatever the delta, so one event scrolls ~50 px however large it is.
  for (let step = 0; step < 100; step++) {
    const before = await renderedRows(pane);
    await page.mouse.wheel(0, -120);
    await nextFrames();
    if ((await renderedRows(pane)) === before) break;
  }
  for (let step = 0; step < 100; step++) {
    if ((await rows.count()) > 0) return rows.first();
    const before = await renderedRows(pane);
    await page.mouse.wheel(0, 120);
    // The list re-renders on the wheel event: once drawn, unchanged rows mean the bottom.
    await nextFrames();
    if ((await renderedRows(pane)) === before) break;
  }
  return (await rows.count()) > 0 ? rows.first() : undefined;
}

async function lookFor(pane: Locator, match: RowMatch): Promise<Locator> {
  const row = await findRow(pane, match);
  if (!row)
    throw new Error(
      `no row ${describeMatch(match)} in the tree; rendered rows:\n${await renderedRows(pane)}`,
    );
  return row;
}

/** The first row of a tree view matching `match`, once the view (filled asynchronously) shows it. */
export async function treeRow(pane: Locator, match: RowMatch, timeoutMs = TIMEOUT): Promise<Locator> {
  return waitFor(`the tree row ${describeMatch(match)}`, () => lookFor(pane, match), { timeoutMs });
}

/**
 * One look for a row under a collapsible group row: a closed group is opened (its rows come from
 * the extension host a moment later, so this look then fails and the next one finds them).
 */
async function lookUnder(pane: Locator, group: RowMatch, match: RowMatch): Promise<Locator> {
  const groupRow = await lookFor(pane, group);
  if ((await groupRow.getAttribute('aria-expanded', { timeout: ACTION_TIMEOUT })) === 'false') {
    await groupRow.locator('.monaco-tl-twistie').click({ timeout: ACTION_TIMEOUT });
    throw new Error(`the group ${describeMatch(group)} was collapsed: opened it`);
  }
  return lookFor(pane, match);
}

/**
 * A row under a collapsible group row, the group opened whatever its state: a group may appear, be
 * re-created collapsed or re-render while a live tree changes, so each look finds the group, opens
 * it if closed, and then looks for the row.
 */
export async function rowUnder(
  pane: Locator,
  group: RowMatch,
  match: RowMatch,
  timeoutMs = TIMEOUT,
): Promise<Locator> {
  return waitFor(
    `the tree row ${describeMatch(match)} under ${describeMatch(group)}`,
    () => lookUnder(pane, group, match),
    { timeoutMs },
  );
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
  return row.evaluate(
    (r) => {
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
    },
    undefined,
    { timeout: ACTION_TIMEOUT },
  );
}

/**
 * The tooltip a row shows on hover, as text, once `until` accepts it. A live tree may redraw the
 * row under the mouse and the hover is lost, or a tooltip of another row may still be up: each
 * look moves the mouse away, finds the row again and hovers it anew.
 */
export async function rowTooltip(
  pane: Locator,
  match: RowMatch,
  until: (text: string) => boolean,
  options: { readonly group?: RowMatch } = {},
): Promise<{ text: string; tooltip: Locator }> {
  const tooltip = ui().page.locator('.workbench-hover, .monaco-hover').filter({ visible: true }).first();
  const text = await waitFor(
    `the tooltip of the tree row ${describeMatch(match)}`,
    async () => {
      await parkMouse();
      const row = options.group ? await lookUnder(pane, options.group, match) : await lookFor(pane, match);
      await row.hover({ timeout: ACTION_TIMEOUT });
      // The workbench shows a row's tooltip after its hover delay.
      if (
        !(await tooltip.waitFor({ state: 'visible', timeout: 3_000 }).then(
          () => true,
          () => false,
        ))
      )
        return '';
      return normalize(await tooltip.innerText({ timeout: ACTION_TIMEOUT }));
    },
    { until },
  );
  return { text, tooltip };
}

/** Moves the mouse off a row and closes its tooltip. */
export async function closeTooltip(tooltip: Locator): Promise<void> {
  await parkMouse();
  await ui().page.keyboard.press('Escape');
  await gone(tooltip, 'the row tooltip');
}

/**
 * The info of the row matching `match` (under `group`, opened if closed, when given) once `accept`
 * holds: a live row changes state, moves between groups and is re-rendered, so it is found again
 * on every look.
 */
export async function rowInfoWhen(
  pane: Locator,
  match: RowMatch,
  accept: (info: RowInfo) => boolean,
  options: { readonly group?: RowMatch; readonly timeoutMs?: number } = {},
): Promise<RowInfo> {
  const { group, timeoutMs = TIMEOUT } = options;
  return waitFor(
    `the tree row ${describeMatch(match)}${group ? ` under ${describeMatch(group)}` : ''} in the expected state`,
    async () => rowInfo(group ? await lookUnder(pane, group, match) : await lookFor(pane, match)),
    { until: accept, timeoutMs },
  );
}

async function setExpanded(row: Locator, expanded: boolean): Promise<void> {
  const want = String(expanded);
  if ((await row.getAttribute('aria-expanded')) === want) return;
  await row.locator('.monaco-tl-twistie').click();
  await waitFor(
    `the row to ${expanded ? 'expand' : 'collapse'}`,
    async () => (await row.getAttribute('aria-expanded')) === want,
  );
}

/** Expands a collapsible row by clicking its twistie, unless it is already expanded. */
export async function expandRow(row: Locator): Promise<void> {
  await setExpanded(row, true);
}

export async function collapseRow(row: Locator): Promise<void> {
  await setExpanded(row, false);
}

/** Hovers a row (which reveals its inline actions) and clicks the action titled `title`. */
export async function clickInlineAction(row: Locator, title: string): Promise<void> {
  const action = row.locator(`.actions .action-label[aria-label="${title}"]`);
  // A live tree may re-render the row between the hover and the click: hover again until clicked.
  await waitFor(`the inline action ${title}`, async () => {
    await row.hover({ timeout: ACTION_TIMEOUT });
    if (!(await action.isVisible())) return false;
    await action.click({ timeout: ACTION_TIMEOUT });
    return true;
  });
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
  const menu = await shown(page.locator('.context-view .monaco-menu'), 'the context menu');
  const entries = (await menu.locator('.action-item .action-label').allInnerTexts())
    .map((t) => t.trim())
    .filter(Boolean);
  const entry = menu.locator('.action-item', {
    has: page.locator('.action-label', { hasText: exactly(item) }),
  });
  // The menu ignores a click that comes right after it opened: click until it closes.
  await waitFor(`the context menu to run ${item}`, async () => {
    if (!(await menu.isVisible())) return true;
    await entry.click({ timeout: ACTION_TIMEOUT });
    return waitFor('the context menu to close', async () => !(await menu.isVisible()), {
      timeoutMs: ACTION_TIMEOUT,
    }).catch(() => false);
  });
  return entries;
}

/** How much of the description's first `chars` characters the row shows (1 = all of them). */
export async function visibleShare(row: Locator, chars: number): Promise<number> {
  return row.evaluate((r, n) => {
    const description = r.querySelector('.label-description');
    const container = r.querySelector('.monaco-icon-label-container');
    const text = description?.firstChild;
    if (!description || !container || !text) return 0;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, Math.min(n, text.textContent?.length ?? 0));
    const words = range.getBoundingClientRect();
    const visibleRight = container.getBoundingClientRect().right;
    return words.width === 0 ? 0 : Math.max(0, Math.min(1, (visibleRight - words.left) / words.width));
  }, chars);
}
