// What the UI tests drive: the Chromium page on code-server's workbench, set by the e2e runner
// before it runs a stage's *.ui.ts files.
import type { Page } from 'playwright-core';

export interface UiSession {
  readonly page: Page;
  /** The generated workspace opened in the workbench. */
  readonly workspace: string;
  /** code-server's --user-data-dir (logs live under it). */
  readonly userDataDir: string;
  /** Where screenshots go: test-results/. */
  readonly resultsDir: string;
  /** Prefix of this stage's screenshots, e.g. "dev" or "vsix". */
  readonly stage: string;
  /** Directory of the running demo cluster (admin.conf, node-1.conf, …), when the stage has one. */
  readonly demoDir?: string;
  /** Where README images are refreshed (KUBECERTS_UPDATE_SCREENSHOTS=1), else undefined. */
  readonly readmeImagesDir?: string;
}

let current: UiSession | undefined;

export function setUiSession(session: UiSession | undefined): void {
  current = session;
}

export function ui(): UiSession {
  if (!current) throw new Error('UI tests run only through the e2e runner (npm run test:e2e)');
  return current;
}
