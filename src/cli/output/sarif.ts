// `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Rules come from the catalog
// (one per code, with its doc); regions are 1-based.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FINDING_CATALOG, FINDING_CODES, type Severity } from '../../core/findings/catalog';
import type { TextRange } from './locations';
import type { AuditResult } from './report';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

function artifactUri(file: string): string {
  return path.isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file) ? pathToFileURL(file).href : encodeURI(file);
}

function region(range: TextRange): Record<string, number> {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

export function formatSarif(result: AuditResult, version: string): string {
  const ruleIndex = new Map(FINDING_CODES.map((code, i) => [code as string, i]));
  const rules = FINDING_CODES.map((code) => ({
    id: code,
    name: code,
    shortDescription: { text: FINDING_CATALOG[code].doc },
    fullDescription: { text: FINDING_CATALOG[code].doc },
    defaultConfiguration: { level: LEVEL[FINDING_CATALOG[code].severity] },
  }));
  const results = result.findings.map((r) => ({
    ruleId: r.finding.code,
    ruleIndex: ruleIndex.get(r.finding.code) ?? 0,
    level: LEVEL[r.finding.severity],
    message: { text: r.message },
    locations: [
      { physicalLocation: { artifactLocation: { uri: artifactUri(r.file) }, region: region(r.range) } },
    ],
    ...(r.related.length
      ? {
          relatedLocations: r.related.map((rel, id) => ({
            id,
            message: { text: rel.message },
            physicalLocation: {
              artifactLocation: { uri: artifactUri(rel.file) },
              ...(rel.range ? { region: region(rel.range) } : {}),
            },
          })),
        }
      : {}),
    ...(r.finding.certificate ? { properties: { certificate: r.finding.certificate } } : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'kubecerts', version, semanticVersion: version, rules } }, results }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
