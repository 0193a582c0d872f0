// Installs what the unit tests run as oracles and real peers, on a fresh Debian machine: Go 1.23
// (the Go Kubernetes 1.32 is built with; Debian ships it in bookworm-backports, a suite this
// machine's apt sources do not enable) and Prometheus with promtool. Idempotent: it does nothing
// when both are present. `npm test` runs it first (pretest); `npm run fuzz` too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const GO_BIN = '/usr/lib/go-1.23/bin/go';
const BACKPORTS_SOURCE = '/etc/apt/sources.list.d/kubecerts-backports.sources';
const SOURCES_DIR = '/etc/apt/sources.list.d';
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

interface Need {
  readonly present: () => boolean;
  readonly packages: readonly string[];
  readonly backports: boolean;
}

const NEEDS: Readonly<Record<string, Need>> = {
  go: { present: () => fs.existsSync(GO_BIN), packages: ['golang-1.23-go'], backports: true },
  prometheus: {
    present: () => onPath('promtool') && onPath('prometheus'),
    packages: ['prometheus'],
    backports: false,
  },
};

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) throw new Error(`${cmd} could not start: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** The Debian mirror apt already uses (deb822 `URIs:` of the suite "bookworm"), so backports come from it too. */
function configuredMirror(): string {
  const files = fs.existsSync(SOURCES_DIR)
    ? fs.readdirSync(SOURCES_DIR).filter((f) => f.endsWith('.sources'))
    : [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(SOURCES_DIR, file), 'utf8');
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
      const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1].split(/\s+/) ?? [];
      if (uri && suites.includes('bookworm') && !uri.includes('security')) return uri;
    }
  }
  return DEFAULT_MIRROR;
}

function enableBackports(): void {
  if (fs.existsSync(BACKPORTS_SOURCE)) return;
  const stanza = [
    'Types: deb',
    `URIs: ${configuredMirror()}`,
    'Suites: bookworm-backports',
    'Components: main',
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
    '',
  ].join('\n');
  fs.writeFileSync(BACKPORTS_SOURCE, stanza);
}

export function ensureTestTools(names: readonly string[] = Object.keys(NEEDS)): void {
  const missing = names.map((name) => NEEDS[name]).filter((need) => need && !need.present());
  if (missing.length === 0) return;
  const packages = missing.flatMap((need) => need.packages);
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing test tools: install ${packages.join(' ')} (Go from bookworm-backports) as root.`,
    );
  }
  console.log(`[setup] installing ${packages.join(' ')}`);
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  if (missing.some((need) => need.backports)) enableBackports();
  run('apt-get', [...lock, 'update']);
  for (const need of missing) {
    const suite = need.backports ? ['-t', 'bookworm-backports'] : [];
    run('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...suite, ...need.packages]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) ensureTestTools(process.argv.slice(2));
