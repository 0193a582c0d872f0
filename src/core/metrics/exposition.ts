// The Prometheus text exposition format (version 0.0.4), as node_exporter's textfile collector and
// `promtool check metrics` read it. Output is deterministic: families in the order given, samples
// sorted by their label values, so two runs over the same inputs give the same bytes.

export type MetricType = 'gauge' | 'counter';

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  /** Every sample carries these labels, in this order; an empty value means absent to Prometheus. */
  readonly labels: readonly string[];
  /** Labels among `labels` printed only when not empty (rare ones, such as a collision discriminator). */
  readonly optionalLabels?: readonly string[];
  readonly samples: readonly MetricSample[];
}

export interface MetricSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function compareSamples(labels: readonly string[]) {
  return (a: MetricSample, b: MetricSample): number => {
    for (const label of labels) {
      const x = a.labels[label] ?? '';
      const y = b.labels[label] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

/** One family as text: HELP, TYPE, then its samples (a family without samples keeps HELP and TYPE). */
export function formatFamily(family: MetricFamily): string {
  if (!NAME.test(family.name)) throw new Error(`invalid metric name ${family.name}`);
  for (const label of family.labels) {
    if (!LABEL.test(label) || label.startsWith('__')) throw new Error(`invalid label name ${label}`);
  }
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`];
  for (const sample of [...family.samples].sort(compareSamples(family.labels))) {
    const pairs = family.labels
      .filter((l) => sample.labels[l] || !family.optionalLabels?.includes(l))
      .map((l) => `${l}="${escapeLabelValue(sample.labels[l] ?? '')}"`);
    const labels = pairs.length ? `{${pairs.join(',')}}` : '';
    lines.push(`${family.name}${labels} ${formatValue(sample.value)}`);
  }
  return lines.join('\n') + '\n';
}

export function formatExposition(families: readonly MetricFamily[]): string {
  return families.map(formatFamily).join('');
}
