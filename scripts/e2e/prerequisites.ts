// What an e2e run needs before its first stage, installed on first use where the machine allows
// (root on Debian/Ubuntu): code-server with Chromium and its build tools (codeServer.ts), kubectl,
// and the build outputs of `npm run test:e2e`'s first steps.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { ensureCodeServer } from './codeServer';

/**
 * kubectl drives the demo cluster in the CSR suite and UI test. Debian ships it as
 * kubernetes-client; a kubectl already on PATH (any source) is used as it is.
 */
function ensureKubectl(): void {
  if (spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim()) return;
  if (process.getuid?.() !== 0)
    throw new Error('kubectl is not on PATH: install it (Debian: sudo apt-get install -y kubernetes-client)');
  console.log('[e2e] installing kubectl (Debian package kubernetes-client)');
  const apt = (args: string[]) => {
    const r = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} exited with ${r.status ?? r.signal}`);
  };
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', 'kubernetes-client']);
}

/**
 * Checks the build outputs and installs what is missing; returns code-server's entry script.
 * `tmpDir` is the run's own TMPDIR (code-server's install seeds a download cache there).
 */
export function ensurePrerequisites(tmpDir: string, builtFiles: Readonly<Record<string, string>>): string {
  for (const [file, how] of Object.entries(builtFiles))
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run ${how} first`);
  const entry = ensureCodeServer(tmpDir);
  ensureKubectl();
  return entry;
}
