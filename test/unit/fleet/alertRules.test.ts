// The shipped alert rules and Grafana dashboard: promtool checks and unit-tests the rules (one
// test case per alert), and both may only use metric names that kubecerts prints.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { clusterMetricFamilies } from '../../../src/core/cluster/metrics';
import { auditMetricFamilies } from '../../../src/core/metrics/auditMetrics';
import { csrMetricFamilies } from '../../../src/core/metrics/csrMetrics';
import { dashboardExprs, DOCS } from '../cli/prometheusHelpers';

const RULES = join(DOCS, 'prometheus/kubecerts.rules.yml');
const RULE_TESTS = join(DOCS, 'prometheus/kubecerts.rules.test.yml');

interface RuleFile {
  groups: { rules: { alert?: string; expr: string }[] }[];
}

const emitted = new Set(
  [
    ...auditMetricFamilies({ certificates: [], findings: [], now: new Date(0) }),
    ...csrMetricFamilies([]),
    ...clusterMetricFamilies([], new Date(0)),
  ].map((f) => f.name),
);

function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(?:x509|kubecerts)_[a-zA-Z0-9_]+/g)].map((m) => m[0]);
}

describe('docs: alert rules and Grafana dashboard', () => {
  it('promtool check rules accepts the rules', () => {
    execFileSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
  });

  it('promtool test rules passes, with a test case for every alert', () => {
    execFileSync('promtool', ['test', 'rules', RULE_TESTS], { encoding: 'utf8' });
    const alerts = (parse(readFileSync(RULES, 'utf8')) as RuleFile).groups.flatMap((g) =>
      g.rules.flatMap((r) => (r.alert ? [r.alert] : [])),
    );
    const tests = parse(readFileSync(RULE_TESTS, 'utf8')) as {
      rule_files: string[];
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    assert.deepEqual(tests.rule_files, ['kubecerts.rules.yml']);
    const firing = new Set(
      tests.tests.flatMap((t) =>
        t.alert_rule_test.filter((a) => a.exp_alerts.length).map((a) => a.alertname),
      ),
    );
    for (const alert of alerts) assert.ok(firing.has(alert), `no test case where ${alert} fires`);
  });

  it('rules and dashboard use only metrics kubecerts prints', () => {
    const rules = (parse(readFileSync(RULES, 'utf8')) as RuleFile).groups.flatMap((g) =>
      g.rules.map((r) => r.expr),
    );
    const used = [...rules, ...dashboardExprs()].flatMap(metricNames);
    assert.ok(used.length > 10);
    for (const name of used) assert.ok(emitted.has(name), `${name} is not a metric kubecerts prints`);
  });
});
