// Workload 4: start-up (require + activate), bundle and VSIX sizes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchWorkspace } from '../workloads/workspace';
import { ACTIVATION_BASELINE, activationSearchMs, baselineBuild } from './workspace';
import { ROOT, CACHE, type Sizes, type Row, log, median, timed, lazyFiles, probe } from '../measure';

export function startupRows(sizes: Sizes, quick: boolean): Row[] {
  const workload = '4. start-up';
  log(`${workload}: activation (now and before #17), bundle and VSIX sizes …`);
  const times = Math.max(5, sizes.repeats * 3);
  const baseline = baselineBuild();
  const runs: { totalMs: number }[] = [];
  const before: { totalMs: number }[] = [];
  // Alternated, so that load on the machine weighs on both alike.
  for (let i = 0; i < times; i++) {
    runs.push(probe<{ totalMs: number }>('startup', [ROOT]));
    if (baseline) before.push(probe<{ totalMs: number }>('startup', [baseline]));
  }
  const activation = median(runs.map((r) => r.totalMs));
  const activationBefore = baseline ? median(before.map((r) => r.totalMs)) : undefined;
  const ws = benchWorkspace(CACHE, log);
  const searchBefore = activationSearchMs(
    ws.dir,
    ['*.kubeconfig', '**/.kube/config', '*.conf'],
    sizes.repeats,
  );
  const size = (file: string) => fs.statSync(path.join(ROOT, 'dist', file)).size / 1024;
  const vsix = path.join(ROOT, 'dist', 'kubecerts.vsix');
  if (!quick || !fs.existsSync(vsix)) timed('npm', ['run', '--silent', 'package']);
  const vsixKb = fs.statSync(vsix).size / 1024;
  return [
    {
      workload,
      measure: 'require dist/extension.js + activate()',
      ours: activation,
      unit: 'ms',
      ...(activationBefore !== undefined
        ? {
            anchor: `before #17 (${ACTIVATION_BASELINE})`,
            anchorValue: activationBefore,
            ratio: activationBefore / activation,
          }
        : {}),
      target: '≤ 10 ms',
      pass: activation <= 10,
    },
    {
      workload,
      measure: `start-up search for activation events, ${ws.files.toLocaleString('en')}-file workspace (now: onStartupFinished, none)`,
      ours: 0,
      unit: 'ms',
      anchor: 'before: workspaceContains **/*.conf, **/*.kubeconfig, **/.kube/config (rg --files)',
      anchorValue: searchBefore,
    },
    { workload, measure: 'dist/extension.js (loaded at activation)', ours: size('extension.js'), unit: 'KB' },
    {
      workload,
      measure: `lazy bundles: ${lazyFiles().join(' / ')}`,
      ours: lazyFiles().reduce((sum, file) => sum + size(file), 0),
      unit: 'KB',
    },
    {
      workload,
      measure: 'dist/kubecerts.vsix',
      ours: vsixKb,
      unit: 'KB',
      target: '≤ 1024 KB',
      pass: vsixKb <= 1024,
    },
  ];
}
