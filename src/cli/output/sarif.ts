// `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Rules come from the catalog
// (one per code, with its doc); regions are 1-based.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FINDING_CATALOG, FINDING_CODES, type Severity } from '../../core/findings/catalog';
import type { Finding } from '../../core/findings/finding';
import { verdictCodes, type ChainReport } from '../../core/verdict/chainVerdict';
import type { TextRange } from './locations';
import type { AuditResult } from './report';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

function artifactUri(file: string): string {
  // Object references of `kubecerts cluster` are URIs already (their parts percent-encoded).
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
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

/** A verdict as SARIF shows it next to a result about that certificate. */
function verdictProperties(chain: ChainReport): Record<string, unknown> {
  return {
    ...(chain.context !== undefined ? { context: chain.context } : {}),
    ...(chain.cluster !== undefined ? { cluster: chain.cluster } : {}),
    status: chain.status,
    ...(chain.anchor ? { anchor: chain.anchor.subject } : {}),
    codes: verdictCodes(chain),
  };
}

function certificateProperties(
  finding: Finding,
  verdicts: ReadonlyMap<string, readonly ChainReport[]>,
): Record<string, unknown> {
  const chains = verdicts.get(`${finding.file}\0${finding.certificate?.sha256}`) ?? [];
  return {
    certificate: finding.certificate,
    ...(chains.length ? { chains: chains.map(verdictProperties) } : {}),
  };
}

export function formatSarif(result: AuditResult, version: string): string {
  const verdicts = new Map<string, readonly ChainReport[]>();
  for (const c of result.certificates)
    if (c.chains.length) verdicts.set(`${c.file}\0${c.certificate.sha256Fingerprint}`, c.chains);
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
    ...(r.finding.certificate ? { properties: certificateProperties(r.finding, verdicts) } : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'kubecerts', version, semanticVersion: version, rules } }, results }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
