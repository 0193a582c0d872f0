// `npm run test:vscode`: the extension-host suite in a downloaded VS Code (Electron) with
// @vscode/test-electron, on the minimum VS Code the extension supports and on the latest stable,
// like rust-analyzer's CI. Needs access to update.code.visualstudio.com and, on Linux without a
// display, xvfb-run. Where VS Code cannot be downloaded, `npm run test:e2e` runs the same suite
// in code-server instead; KUBECERTS_VSCODE_EXECUTABLE=/path/to/code uses a local VS Code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { generateWorkspace } from '../test/fixtures/workspace';
import { formatResult, RESULT_FILE_ENV, type SuiteResult } from '../test/integration/result';
import manifest from '../package.json';

const ROOT = path.resolve(__dirname, '..');
const SUITE = path.join(ROOT, 'out', 'integration', 'index.js');

/** `^1.100.0` → `1.100.0`: the oldest VS Code the manifest accepts. */
function minimumVersion(): string {
  const match = /(\d+\.\d+\.\d+)/.exec(manifest.engines.vscode);
  if (!match) throw new Error(`cannot read a version from engines.vscode "${manifest.engines.vscode}"`);
  return match[1];
}

async function obtainVSCode(version: string): Promise<string> {
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: path.join(ROOT, '.vscode-test') });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      [
        `Could not download VS Code ${version}: ${reason}`,
        'This runner needs https://update.code.visualstudio.com. Without it:',
        '  - run `npm run test:e2e` (the same suite in code-server, installed from npm), or',
        '  - set KUBECERTS_VSCODE_EXECUTABLE to a VS Code binary already on this machine.',
      ].join('\n'),
    );
  }
}

async function runOnce(label: string, vscodeExecutablePath: string, workspace: string): Promise<boolean> {
  const runRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecerts-vscode-'));
  const resultFile = path.join(runRoot, 'result.json');
  try {
    const exitCode = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: SUITE,
      extensionTestsEnv: { [RESULT_FILE_ENV]: resultFile },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--user-data-dir',
        path.join(runRoot, 'user-data'),
        '--extensions-dir',
        path.join(runRoot, 'extensions'),
      ],
    }).catch((err: unknown) => {
      console.error(`[vscode] ${label}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    });
    if (!fs.existsSync(resultFile)) {
      console.error(`[vscode] ${label}: VS Code exited (${exitCode}) without a suite result`);
      return false;
    }
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteResult;
    console.log(formatResult(`extension-host suite (${label})`, result));
    return exitCode === 0 && result.failed === 0;
  } finally {
    fs.rmSync(runRoot, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  if (!fs.existsSync(SUITE)) throw new Error(`${SUITE} is missing: run node esbuild.js first`);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.warn('[vscode] no display: on a headless Linux machine run this under xvfb-run');
  }
  const workspaceRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecerts-vscode-ws-'));
  try {
    await generateWorkspace(workspaceRoot, new Date());
    const local = process.env.KUBECERTS_VSCODE_EXECUTABLE;
    const targets: [string, () => Promise<string>][] = local
      ? [[`VS Code at ${local}`, async () => local]]
      : [minimumVersion(), 'stable'].map((v) => [`VS Code ${v}`, () => obtainVSCode(v)]);
    let ok = true;
    for (const [label, obtain] of targets) {
      ok = (await runOnce(label, await obtain(), workspaceRoot)) && ok;
    }
    return ok ? 0 : 1;
  } finally {
    fs.rmSync(workspaceRoot, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[vscode] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
