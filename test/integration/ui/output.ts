// The Output panel and the logs behind it: the extension host's log (activation) and our own
// "Kube Certs" log channel, read from the files code-server writes under its user-data dir.
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../wait';
import { escapeRegExp, normalize, shown } from './page';
import { ui } from './session';

/** Log files under code-server's user-data dir whose file name matches `name`. */
function logFiles(userDataDir: string, name: RegExp): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (name.test(e.name)) found.push(p);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found;
}

/** Extension host log files under code-server's user-data dir. */
export function extensionHostLogs(userDataDir: string): string[] {
  return logFiles(userDataDir, /exthost.*\.log$/);
}

/** Our own log channel's files ("Kube Certs", one per window). */
export function kubeCertsLogs(userDataDir: string): string[] {
  return logFiles(userDataDir, /^Kube Certs\.log$/);
}

function readAll(files: readonly string[]): string {
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

/**
 * Waits until the extension has activated: the extension host log records the activation (its
 * line is returned) and our log channel ("Kube Certs", its own file) says activate() completed.
 * Fails at once on an activation error.
 */
export async function waitForActivation(extensionId: string, timeoutMs = 60_000): Promise<string> {
  const { userDataDir } = ui();
  const started = new RegExp(`_doActivateExtension ${escapeRegExp(extensionId)}\\b.*`);
  const failed = new RegExp(`Activating extension '?${escapeRegExp(extensionId)}'? failed.*`, 'i');
  const seen = await waitFor(
    `the extension host to activate ${extensionId}`,
    () => {
      const log = readAll(extensionHostLogs(userDataDir));
      const error = failed.exec(log)?.[0];
      const line = started.exec(log)?.[0];
      return error ? { error } : line ? { line } : undefined;
    },
    { timeoutMs },
  );
  if ('error' in seen) throw new Error(`activation failed: ${seen.error}`);
  await waitFor(
    `${extensionId} to log its activation`,
    () => /kubecerts \d+\.\d+\.\d+ activated/.test(readAll(kubeCertsLogs(userDataDir))),
    { timeoutMs },
  );
  return seen.line;
}

/** The text of the Output panel once it shows a line matching `expected`. */
export async function outputText(expected: RegExp): Promise<string> {
  const output = await shown(
    ui().page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]'),
    'the Output panel',
  );
  return waitFor(
    `the Output panel to show ${String(expected)}`,
    async () => normalize(await output.innerText()),
    {
      until: (text) => expected.test(text),
    },
  );
}
