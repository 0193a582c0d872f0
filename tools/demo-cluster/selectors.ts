// Label and field selectors, as the API server parses them for list and watch.
import { badRequest } from './errors';

export type Requirement =
  | { readonly op: 'in' | 'notin'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'exists' | '!'; readonly key: string };

/** Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`. */
export function parseLabelSelector(text: string): Requirement[] {
  const requirements: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    const term = part.trim();
    if (!term) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
      const values = m[3].split(',').map((v) => v.trim());
      requirements.push({ op: m[2] as 'in' | 'notin', key: m[1], values });
    } else if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term))) {
      requirements.push({ op: m[2] === '!=' ? 'notin' : 'in', key: m[1], values: [m[3]] });
    } else if ((m = /^!\s*([^\s!=(),]+)$/.exec(term))) {
      requirements.push({ op: '!', key: m[1] });
    } else if ((m = /^([^\s!=(),]+)$/.exec(term))) {
      requirements.push({ op: 'exists', key: m[1] });
    } else {
      throw badRequest(
        `unable to parse requirement: found '${term}', expected: identifier, '!', 'in', 'notin', '=', '==' or '!='`,
      );
    }
  }
  return requirements;
}

export function labelsMatch(
  requirements: readonly Requirement[],
  labels: Readonly<Record<string, string>> = {},
): boolean {
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]);
    }
  });
}

export interface FieldRequirement {
  readonly field: string;
  readonly equals: boolean;
  readonly value: string;
}

/**
 * The fields a kind can be selected by, and the error for any other: kinds with their own field
 * label conversion (pods, secrets, namespaces, CSRs, …) say "field label not supported", the rest
 * get apimachinery's DefaultMetaV1FieldSelectorConversion text.
 */
export interface FieldLabels {
  readonly supported: readonly string[];
  readonly conversion: 'own' | 'default';
}

export const DEFAULT_FIELD_LABELS: FieldLabels = {
  supported: ['metadata.name', 'metadata.namespace'],
  conversion: 'default',
};

function unsupportedLabel(label: string, labels: FieldLabels): string {
  return labels.conversion === 'own'
    ? `field label not supported: ${label}`
    : `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`;
}

/** Parses `metadata.name=x,spec.signerName!=y`, accepting only the fields a resource supports. */
export function parseFieldSelector(
  text: string,
  supported: readonly string[] | FieldLabels,
): FieldRequirement[] {
  const labels: FieldLabels = Array.isArray(supported)
    ? { supported: supported as readonly string[], conversion: 'own' }
    : (supported as FieldLabels);
  const out: FieldRequirement[] = [];
  for (const term of text.split(',').map((t) => t.trim())) {
    if (!term) continue;
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    if (!labels.supported.includes(m[1])) throw badRequest(unsupportedLabel(m[1], labels));
    out.push({ field: m[1], equals: m[2] !== '!=', value: m[3] });
  }
  return out;
}

export function fieldsMatch(
  requirements: readonly FieldRequirement[],
  fields: Readonly<Record<string, string>>,
): boolean {
  return requirements.every((r) => (fields[r.field] === r.value) === r.equals);
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
