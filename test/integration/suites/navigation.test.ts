// Outline, Go to Definition and Find All References on a kubeconfig in a real extension host
// ("workspace" in the titles: the e2e filter of this feature).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { WORKSPACE_FILES } from '../../fixtures/workspace';
import { waitFor } from '../wait';
import { activatedExtension, openWorkspaceFile } from '../workspace';

/** The position just inside the value of `key: value` on the line that holds it (the nth such line). */
function valuePosition(doc: vscode.TextDocument, key: string, value: string, nth = 0): vscode.Position {
  const lines = doc.getText().split('\n');
  const hits = lines.flatMap((line, i) =>
    line.trimStart().replace(/^- /, '') === `${key}: ${value}` ? [i] : [],
  );
  const line = hits[nth];
  assert.ok(line !== undefined, `no line "${key}: ${value}" (#${nth})`);
  return new vscode.Position(line, lines[line].indexOf(`${key}: ${value}`) + key.length + 3);
}

describe('kubeconfig navigation in workspace files', () => {
  const { admin } = WORKSPACE_FILES;
  let doc: vscode.TextDocument;

  before(async () => {
    await activatedExtension();
    doc = (await openWorkspaceFile(admin.file)).document;
  });

  it('outlines clusters, users and contexts by name', async () => {
    const symbols = await waitFor('document symbols', async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        doc.uri,
      );
      return found?.length ? found : undefined;
    });
    const tree = Object.fromEntries(symbols.map((s) => [s.name, s.children.map((c) => c.name)]));
    assert.deepEqual(tree, {
      clusters: ['kubernetes'],
      users: [admin.user],
      contexts: [`${admin.user}@kubernetes`],
      'current-context': [],
    });
  });

  it('goes from a context’s cluster: and user: to the entries', async () => {
    const definition = async (position: vscode.Position) => {
      const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        doc.uri,
        position,
      );
      const first = found[0];
      assert.ok(first, 'a definition');
      return 'targetRange' in first ? first.targetRange : first.range;
    };
    const cluster = await definition(valuePosition(doc, 'cluster', 'kubernetes'));
    assert.equal(cluster.start.line, valuePosition(doc, 'name', 'kubernetes').line);
    const user = await definition(valuePosition(doc, 'user', admin.user));
    assert.equal(user.start.line, valuePosition(doc, 'name', admin.user).line);
  });

  it('finds the contexts that use a cluster', async () => {
    const found = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      doc.uri,
      valuePosition(doc, 'name', 'kubernetes'),
    );
    const lines = found.map((l) => l.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(lines, [
      valuePosition(doc, 'name', 'kubernetes').line,
      valuePosition(doc, 'cluster', 'kubernetes').line,
    ]);
  });
});
