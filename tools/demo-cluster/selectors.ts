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

/** Parses `metadata.name=x,spec.signerName!=y`, accepting only the fields a resource supports. */
export function parseFieldSelector(text: string, supported: readonly string[]): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const term of text.split(',').map((t) => t.trim())) {
    if (!term) continue;
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    if (!supported.includes(m[1])) throw badRequest(`field label not supported: ${m[1]}`);
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
