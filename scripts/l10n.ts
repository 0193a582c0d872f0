// Keeps l10n/bundle.l10n.json in sync with the sources: every literal message passed to
// vscode.l10n.t / l10n.t under src/, plus the catalogs' message templates (findings, CSR risks,
// renewal, PKI reasons), which the extension and the CLI translate by their English text.
// `npm run l10n` writes it; the unit test `test/unit/extension/l10n.test.ts` fails when it is
// stale or a translation is missing.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { CSR_RISK_CATALOG } from '../src/core/csr/riskCatalog';
import { FINDING_CATALOG, RELATED_MESSAGES } from '../src/core/findings/catalog';
import { PKI_REASONS } from '../src/core/pki/reasons';
import { RENEW_TEMPLATES } from '../src/core/renew/l10n';

export const ROOT = path.resolve(__dirname, '..');
export const BUNDLE = path.join(ROOT, 'l10n', 'bundle.l10n.json');
export const TRANSLATIONS = ['zh-cn'].map((lang) => path.join(ROOT, 'l10n', `bundle.l10n.${lang}.json`));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

function messagesIn(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && /(^|\.)l10n\.t$/.test(node.expression.getText(sf))) {
      const first = node.arguments[0];
      if (first && ts.isStringLiteralLike(first)) found.push(first.text);
      if (first && ts.isObjectLiteralExpression(first)) {
        for (const prop of first.properties) {
          if (
            ts.isPropertyAssignment(prop) &&
            prop.name.getText(sf) === 'message' &&
            ts.isStringLiteralLike(prop.initializer)
          ) {
            found.push(prop.initializer.text);
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The bundle as it should be: each message mapped to itself, sorted. */
export function expectedBundle(): Record<string, string> {
  const messages = new Set<string>([
    ...sourceFiles(path.join(ROOT, 'src')).flatMap(messagesIn),
    ...Object.values(FINDING_CATALOG).map((d) => d.message),
    ...Object.values(CSR_RISK_CATALOG).flatMap((d) => [d.message, d.label]),
    ...Object.values(RELATED_MESSAGES),
    ...RENEW_TEMPLATES,
    ...Object.values(PKI_REASONS),
  ]);
  return Object.fromEntries([...messages].sort().map((m) => [m, m]));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const bundle = expectedBundle();
  fs.writeFileSync(BUNDLE, JSON.stringify(bundle, null, 2) + '\n');
  console.log(`${path.relative(ROOT, BUNDLE)}: ${Object.keys(bundle).length} messages`);
  for (const file of TRANSLATIONS) {
    const translated = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    const missing = Object.keys(bundle).filter((k) => !(k in translated));
    if (missing.length)
      console.log(`${path.relative(ROOT, file)} lacks ${missing.length}:\n  ${missing.join('\n  ')}`);
  }
}
