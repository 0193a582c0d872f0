// Keeps the README's finding-code and CSR-risk-code tables in step with the catalogs they document.
// `npm run readme` rewrites them; test/unit/docs/readme.test.ts fails when they are stale.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CSR_RISK_CATALOG } from '../src/core/csr/riskCatalog';
import { FINDING_CATALOG } from '../src/core/findings/catalog';

export const README = path.resolve(__dirname, '..', 'README.md');

interface Documented {
  readonly severity: string;
  readonly doc: string;
}

function table(catalog: Readonly<Record<string, Documented>>): string {
  const rows = Object.entries(catalog).map(
    ([code, def]) => `| \`${code}\` | ${def.severity} | ${def.doc.replace(/\|/g, '\\|')} |`,
  );
  return ['| Code | Severity | Meaning |', '|---|---|---|', ...rows].join('\n');
}

const SECTIONS: Readonly<Record<string, () => string>> = {
  'finding-codes': () => table(FINDING_CATALOG),
  'csr-risk-codes': () => table(CSR_RISK_CATALOG),
};

/** The README text with every generated section filled from the catalogs. */
export function renderReadme(text: string): string {
  let out = text;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} … ${end} markers`);
    out = `${out.slice(0, from + start.length)}\n${render()}\n${out.slice(to)}`;
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  fs.writeFileSync(README, renderReadme(fs.readFileSync(README, 'utf8')));
  console.log('README.md: code tables regenerated');
}
