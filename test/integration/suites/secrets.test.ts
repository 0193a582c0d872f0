// Planted secrets (test/fixtures/secrets.ts) never reach the editor: every hover on every line and
// every diagnostic of a kubeconfig full of credentials, valid and broken, is free of them.
import { strict as assert } from 'node:assert';
import { Buffer } from 'node:buffer';
import * as vscode from 'vscode';
import {
  BROKEN_SECRETS_FILE,
  SECRETS_FILE,
  WORKSPACE_SECRETS,
  brokenKeyPem,
  keyWindows,
  secretStrings,
} from '../../fixtures/secrets';
import { waitFor } from '../wait';
import { activatedExtension, openWorkspaceFile } from '../workspace';

function hoverStrings(hovers: readonly vscode.Hover[]): string[] {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''));
}

/** Columns worth hovering on a line: the key, just after the colon, the middle and the end of the value. */
function probes(line: vscode.TextLine): number[] {
  const text = line.text;
  const colon = text.indexOf(': ');
  const columns = [line.firstNonWhitespaceCharacterIndex, text.length];
  if (colon !== -1) columns.push(colon + 2, colon + 2 + Math.floor((text.length - colon - 2) / 2));
  return [...new Set(columns)];
}

describe('secrets never reach hovers or diagnostics', () => {
  before(activatedExtension);

  for (const [file, expected] of [
    [SECRETS_FILE, 'plaintext-token'],
    [BROKEN_SECRETS_FILE, 'invalid-yaml'],
  ] as const) {
    it(`${file}: no marker in any diagnostic or hover`, async function () {
      this.timeout(120_000);
      const editor = await openWorkspaceFile(file);
      const doc = editor.document;
      const keyData = /client-key-data: (\S+)/.exec(doc.getText());
      assert.ok(keyData, 'the fixture embeds a real client key');
      const forbidden = [
        ...secretStrings(WORKSPACE_SECRETS),
        ...keyWindows(Buffer.from(keyData[1], 'base64').toString('utf8')),
      ];
      // The broken key sits inside client-key-data, so in base64.
      const planted = {
        ...WORKSPACE_SECRETS,
        brokenKey: Buffer.from(brokenKeyPem(WORKSPACE_SECRETS.brokenKey)).toString('base64'),
      };
      for (const secret of secretStrings(planted))
        assert.ok(doc.getText().includes(secret), `fixture holds ${secret}`);

      const diagnostics = await waitFor(`${expected} on ${file}`, () => {
        const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'kubecerts');
        return found.some(
          (d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)) === expected,
        )
          ? found
          : undefined;
      });
      const texts = diagnostics.flatMap((d) => [
        d.message,
        ...(d.relatedInformation ?? []).map((r) => r.message),
      ]);

      let hovered = 0;
      for (let i = 0; i < doc.lineCount; i++) {
        for (const column of probes(doc.lineAt(i))) {
          const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
            'vscode.executeHoverProvider',
            doc.uri,
            new vscode.Position(i, column),
          );
          const strings = hoverStrings(hovers ?? []);
          if (strings.some((s) => s.length > 0)) hovered++;
          texts.push(...strings);
        }
      }
      if (file === SECRETS_FILE) assert.ok(hovered > 0, 'no hover at all: the check saw nothing');
      for (const text of texts) {
        const unescaped = text.replace(/\\(.)/g, '$1');
        for (const secret of forbidden)
          assert.ok(!unescaped.includes(secret), `${file}: "${secret}" appears in:\n${text.slice(0, 1000)}`);
      }
    });
  }
});
