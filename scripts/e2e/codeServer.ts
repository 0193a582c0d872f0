// code-server (VS Code's workbench, published on npm) set-up and lifecycle. VS Code itself cannot be
// downloaded on CI machines that only reach npm and Debian; see the README's testing section.
// Used by the e2e runner and by `npm run demo`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../../test/integration/wait';

export const CODE_SERVER_VERSION = '4.100.3';

/** Debian packages code-server's install and the UI tests need. */
const APT_PACKAGES = ['libkrb5-dev', 'ripgrep', 'chromium', 'make', 'g++', 'python3'];

// @vscode/ripgrep (a code-server dependency) downloads this file at install time unless it is
// already in its cache under $TMPDIR; we seed it with Debian's rg.
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARGETS: Record<string, string> = {
  x64: 'x86_64-unknown-linux-musl',
  arm64: 'aarch64-unknown-linux-musl',
};
const RIPGREP_VERSION = 'v13.0.0-10';

const INSTALLED_MARKER = '.kubecerts-installed';

export function codeServerHome(): string {
  return (
    process.env.KUBECERTS_CODE_SERVER_DIR ??
    path.join(os.homedir(), '.cache', 'kubecerts', `code-server-${CODE_SERVER_VERSION}`)
  );
}

function codeServerEntry(home: string): string {
  return path.join(home, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): void {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) throw new Error(`${cmd} could not start: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function missingAptPackages(): string[] {
  return APT_PACKAGES.filter((pkg) => {
    const q = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return q.status !== 0 || !q.stdout.includes('install ok installed');
  });
}

function ensureAptPackages(): void {
  const missing = missingAptPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing system packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  console.log(`[e2e] installing system packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another apt run may hold the lock for a while on a fresh machine: wait rather than fail.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  run('apt-get', [...lock, 'update'], { env });
  run('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...missing], { env });
}

function seedRipgrep(tmpDir: string): void {
  const target = RIPGREP_TARGETS[process.arch];
  if (!target) throw new Error(`No ripgrep pre-seed known for architecture ${process.arch}`);
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('ripgrep (rg) is not on PATH');
  const cacheDir = path.join(tmpDir, RIPGREP_CACHE_DIR);
  fs.mkdirSync(cacheDir, { recursive: true });
  const tarball = path.join(cacheDir, `ripgrep-${RIPGREP_VERSION}-${target}.tar.gz`);
  run('tar', ['-czf', tarball, '-C', path.dirname(rg), path.basename(rg)]);
}

/** The prefix holding include/node/node.h for the running Node (Debian: /usr), when present. */
function nodeHeadersEnv(): NodeJS.ProcessEnv {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? { npm_config_nodedir: prefix } : {};
}

/**
 * Installs code-server into a cache folder outside the project's node_modules (reused when already
 * complete) and returns the path of its entry script. `tmpDir` is the calling run's own TMPDIR.
 */
export function ensureCodeServer(tmpDir: string): string {
  const home = codeServerHome();
  const entry = codeServerEntry(home);
  const marker = path.join(home, INSTALLED_MARKER);
  // Chromium is needed by every run, not only by the install.
  ensureAptPackages();
  if (
    fs.existsSync(entry) &&
    fs.existsSync(marker) &&
    fs.readFileSync(marker, 'utf8') === CODE_SERVER_VERSION
  ) {
    return entry;
  }
  seedRipgrep(tmpDir);
  console.log(`[e2e] installing code-server ${CODE_SERVER_VERSION} into ${home} (first run only, ~1-2 min)`);
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(home, { recursive: true });
  // Its own package.json, or npm would install into the nearest parent project.
  fs.writeFileSync(
    path.join(home, 'package.json'),
    JSON.stringify(
      { name: 'kubecerts-code-server', private: true, description: 'test harness cache' },
      null,
      2,
    ),
  );
  run(
    'npm',
    [
      'install',
      '--save-exact',
      '--foreground-scripts',
      '--no-audit',
      '--no-fund',
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    {
      cwd: home,
      env: {
        ...process.env,
        TMPDIR: tmpDir,
        // Build argon2/kerberos against the headers installed with Node instead of downloading them.
        ...nodeHeadersEnv(),
        // code-server's postinstall still reads this when run as root.
        npm_config_unsafe_perm: 'true',
        // node-pty's post-install runs `npx node-gyp`, which without a TTY cancels unless told yes.
        npm_config_yes: 'true',
      },
    },
  );
  if (!fs.existsSync(entry)) throw new Error(`code-server install finished but ${entry} is missing`);
  fs.writeFileSync(marker, CODE_SERVER_VERSION);
  return entry;
}

/** Per-run folders, so code-server never writes into the user's home. */
export interface IsolatedDirs {
  readonly root: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly env: NodeJS.ProcessEnv;
}

export function isolatedDirs(root: string, extraEnv: NodeJS.ProcessEnv = {}): IsolatedDirs {
  const dir = (name: string) => {
    const p = path.join(root, name);
    fs.mkdirSync(p, { recursive: true });
    return p;
  };
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Variables of an enclosing VS Code or cluster session must not leak into the test instance.
    if (k.startsWith('VSCODE_') || k === 'KUBECONFIG' || k === 'ELECTRON_RUN_AS_NODE') continue;
    env[k] = v;
  }
  Object.assign(env, {
    HOME: dir('home'),
    XDG_CONFIG_HOME: dir('xdg-config'),
    XDG_DATA_HOME: dir('xdg-data'),
    XDG_CACHE_HOME: dir('xdg-cache'),
    TMPDIR: dir('tmp'),
    ...extraEnv,
  });
  return { root, userDataDir: dir('user-data'), extensionsDir: dir('extensions'), env };
}

export function installExtension(entry: string, dirs: IsolatedDirs, vsix: string): void {
  run(
    process.execPath,
    [
      entry,
      '--extensions-dir',
      dirs.extensionsDir,
      '--user-data-dir',
      dirs.userDataDir,
      '--install-extension',
      vsix,
    ],
    { env: dirs.env },
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  readonly port: number;
  readonly origin: string;
  readonly logFile: string;
  readonly dirs: IsolatedDirs;
  /** Workbench URL opening `folder`, with an optional development/tests payload. */
  url(folder: string, payload?: { extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  /** Rejects when the process exits before `stop()`. */
  readonly exited: Promise<never>;
  stop(): Promise<void>;
}

/** User settings that keep a test or demo workbench free of welcome pages, tips and network calls. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
};

export interface StartOptions {
  readonly entry: string;
  readonly dirs: IsolatedDirs;
  readonly workspace: string;
  /** Written to the user settings before start; QUIET_SETTINGS when absent. */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly startTimeoutMs?: number;
  /** true: workspace trust stays on, so the folder (never trusted here) opens in Restricted Mode. */
  readonly workspaceTrust?: boolean;
  /**
   * Called with `stop` as soon as the process is spawned, before it is healthy: a run interrupted
   * during start-up (its watchdog) must still stop it, or the server outlives the run.
   */
  readonly onSpawned?: (stop: () => Promise<void>) => void;
}

async function waitHealthy(
  origin: string,
  child: ChildProcess,
  timeoutMs: number,
  logFile: string,
): Promise<void> {
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const healthy = await waitFor(
    `code-server to answer ${origin}/healthz`,
    // Not listening yet: fetch throws, which is "not yet".
    async () => exited() || (await fetch(`${origin}/healthz`)).ok,
    { timeoutMs, intervalMs: 200 },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; log:\n${tail(logFile)}`);
  });
  if (healthy && exited()) throw new Error(`code-server exited during start-up; log:\n${tail(logFile)}`);
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  const { entry, dirs, workspace } = options;
  const userDir = path.join(dirs.userDataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDir, 'settings.json'),
    JSON.stringify(options.settings ?? QUIET_SETTINGS, null, 2),
  );
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const logFile = path.join(dirs.root, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--extensions-dir',
    dirs.extensionsDir,
    '--user-data-dir',
    dirs.userDataDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    workspace,
  ];
  // detached = setsid(2): code-server and everything it spawns share one new process group,
  // which stop() kills as a whole without touching anything else on the machine.
  const child = spawn(process.execPath, args, { env: dirs.env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let stopping = false;
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      if (!stopping)
        reject(new Error(`code-server exited unexpectedly (${code ?? signal}); log:\n${tail(logFile)}`));
    });
  });
  exited.catch(() => undefined);

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // group already gone
    }
  };
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) {
      killGroup('SIGKILL');
      return;
    }
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
    // Helpers (extension host, file watcher) may outlive the server process itself.
    killGroup('SIGKILL');
  };
  options.onSpawned?.(stop);

  try {
    await waitHealthy(origin, child, options.startTimeoutMs ?? 60_000, logFile);
  } catch (err) {
    await stop();
    throw err;
  }

  const url: CodeServer['url'] = (folder, payload) => {
    const params = new URLSearchParams({ folder });
    const entries: [string, string][] = [];
    if (payload?.extensionDevelopmentPath) {
      entries.push([
        'extensionDevelopmentPath',
        `vscode-remote://127.0.0.1:${port}${payload.extensionDevelopmentPath}`,
      ]);
    }
    if (payload?.extensionTestsPath) {
      entries.push(['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${payload.extensionTestsPath}`]);
    }
    if (entries.length > 0) params.set('payload', JSON.stringify(entries));
    return `${origin}/?${params.toString()}`;
  };

  return { port, origin, logFile, dirs, url, exited, stop };
}
