// Every command the code registers is declared in package.json and back, read from the sources
// with the TypeScript parser so this runs in plain Node without the vscode module.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Ids registered in code: keys of the COMMANDS table and literal ids passed to registerCommand. */
function registeredCommandIds(): Set<string> {
  const ids = new Set<string>();
  for (const file of sourceFiles(path.join(root, 'src/extension'))) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.name.text === 'COMMANDS' &&
        node.initializer &&
        ts.isObjectLiteralExpression(node.initializer)
      ) {
        for (const prop of node.initializer.properties) {
          if (prop.name && (ts.isStringLiteral(prop.name) || ts.isIdentifier(prop.name)))
            ids.add(prop.name.text);
        }
      }
      if (
        ts.isCallExpression(node) &&
        /(^|\.)registerCommand$/.test(node.expression.getText(sf)) &&
        node.arguments[0] &&
        ts.isStringLiteralLike(node.arguments[0])
      ) {
        ids.add(node.arguments[0].text);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return ids;
}

const contributed = new Set<string>(
  (manifest.contributes.commands as { command: string }[]).map((c) => c.command),
);

describe('commands', () => {
  const registered = registeredCommandIds();

  it('finds the command table', () => {
    assert.ok(
      registered.has('kubecerts.showLog'),
      'kubecerts.showLog should be read from src/extension/commands.ts',
    );
  });

  it('declares every registered command in contributes.commands', () => {
    assert.deepEqual(
      [...registered].filter((id) => !contributed.has(id)),
      [],
    );
  });

  it('registers every command of contributes.commands', () => {
    assert.deepEqual(
      [...contributed].filter((id) => !registered.has(id)),
      [],
    );
  });

  it('gives every contributed command a localized title and the Kube Certs category', () => {
    const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
    for (const c of manifest.contributes.commands as { command: string; title: string; category: string }[]) {
      assert.match(c.title, /^%.+%$/, `${c.command} title`);
      assert.ok(nls[c.title.slice(1, -1)], `${c.command}: ${c.title} missing from package.nls.json`);
      assert.equal(c.category, '%category%', `${c.command} category`);
    }
  });

  it('refers only to contributed commands from menus and welcome views', () => {
    const menus = Object.values(manifest.contributes.menus ?? {}).flat() as { command?: string }[];
    const fromMenus = menus.map((m) => m.command).filter((c): c is string => c !== undefined);
    const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
    const welcome = (manifest.contributes.viewsWelcome as { contents: string }[])
      .map((w) => nls[w.contents.slice(1, -1)] ?? w.contents)
      .join('\n');
    const fromLinks = [...welcome.matchAll(/\(command:([\w.-]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(
      [...fromMenus, ...fromLinks].filter((id) => id.startsWith('kubecerts.') && !contributed.has(id)),
      [],
    );
  });
});
