// Reading the text exposition back in tests (what promtool and Prometheus parse for real).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/run';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[name] = value.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      }
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

export async function cli(
  argv: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LANG: 'C' },
    cwd,
    platform: 'linux',
    homedir: cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

export const DOCS = join(__dirname, '../../../docs');

/** Every PromQL expression of the shipped Grafana dashboard (panels and template variables). */
export function dashboardExprs(): string[] {
  const dashboard = JSON.parse(readFileSync(join(DOCS, 'grafana/kubecerts-dashboard.json'), 'utf8')) as {
    panels: { targets: { expr: string }[] }[];
    templating: { list: { query?: unknown }[] };
  };
  return [
    ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ...dashboard.templating.list.flatMap((v) =>
      typeof v.query === 'object' && v.query ? [(v.query as { query: string }).query] : [],
    ),
  ];
}
