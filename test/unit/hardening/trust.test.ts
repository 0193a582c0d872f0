// Workspace trust is honest: the manifest declares limited support, every command is classified in
// trustPolicy.ts and gated at its one registration point, commands that contact a cluster or write
// are hidden from menus and refused at run time in an untrusted workspace, and settings that name
// paths are restricted. A scan of src/extension keeps new writes and connections from slipping in.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMAND_TRUST, RESTRICTED_SETTINGS, commandAllowed } from '../../../src/extension/trustPolicy';

const ROOT = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

interface MenuEntry {
  readonly command: string;
  readonly when?: string;
}

/** Calls that write, connect or run programs, and the commands through which each file may reach them. */
const SENSITIVE_CALLS: readonly RegExp[] = [
  /\bworkspace\.fs\.(?:writeFile|delete|rename|createDirectory|copy)\b/,
  /\bconfig(?:uration)?\.update\(|getConfiguration\([^)]*\)\s*\.update\(/,
  /\bconnectCluster\(/,
  /\brenew(?:Kubeadm|User)\(/,
  /\batomicWriteFile\(/,
  /['"](?:node:)?child_process['"]/,
  /\b(?:writeFileSync|appendFile|appendFileSync|rmSync|unlink|unlinkSync)\(/,
];
const SENSITIVE_FILES: Readonly<Record<string, readonly string[]>> = {
  // Config.addUserPkiDirectory writes the user setting; the PKI view's addFolder is its one caller.
  'src/extension/config.ts': ['kubecerts.pki.addFolder'],
  'src/extension/views/pki/pkiView.ts': ['kubecerts.pki.addFolder'],
  // Both cluster views connect through sessionView.ts's trustedConnect.
  'src/extension/views/sessionView.ts': [
    'kubecerts.csr.refresh',
    'kubecerts.csr.switchContext',
    'kubecerts.csr.approve',
    'kubecerts.csr.deny',
    'kubecerts.csr.saveCertificate',
    'kubecerts.cluster.refresh',
    'kubecerts.cluster.switchContext',
    'kubecerts.cluster.openYaml',
  ],
  'src/extension/views/csr/csrCommands.ts': ['kubecerts.csr.saveCertificate'],
  'src/extension/renew/flow.ts': ['kubecerts.renewCert', 'kubecerts.renewAll'],
};

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? sources(rel) : e.name.endsWith('.ts') ? [rel] : [];
  });
}

const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');

describe('hardening: workspace trust', () => {
  const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
  const trustedOnly = Object.entries(COMMAND_TRUST)
    .filter(([, v]) => v.trust === 'trusted-only')
    .map(([id]) => id);

  it('declares limited support with a description', () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.match(untrusted.description, /^%.+%$/);
  });

  it('classifies every contributed command, and nothing else', () => {
    assert.deepEqual(Object.keys(COMMAND_TRUST).sort(), [...contributed].sort());
    for (const [id, entry] of Object.entries(COMMAND_TRUST)) assert.ok(entry.why.length > 0, id);
  });

  it('allows only "always" commands without trust, and unknown ones never', () => {
    for (const id of contributed) {
      assert.equal(commandAllowed(id, true), true, id);
      assert.equal(commandAllowed(id, false), COMMAND_TRUST[id].trust === 'always', id);
    }
    assert.equal(commandAllowed('kubecerts.someday', false), false);
    assert.ok(trustedOnly.includes('kubecerts.renewCert') && trustedOnly.includes('kubecerts.csr.approve'));
  });

  it('registers commands in one place only, and that place gates them', () => {
    const registering = sources('src/extension').filter((f) =>
      /\.register(?:TextEditor)?Command\(/.test(read(f)),
    );
    assert.deepEqual(registering, ['src/extension/commands.ts']);
    const text = read('src/extension/commands.ts');
    assert.equal(text.match(/\.registerCommand\(/g)?.length, 1);
    assert.match(
      text,
      /const handler = gateCommand\(id, factory\(owner\)\);[\s\S]*registerCommand\(id, async \(\.\.\.args: unknown\[\]\) => \{[\s\S]*await handler\(/,
    );
  });

  it('hides trusted-only commands from every menu of an untrusted workspace', () => {
    const menus = manifest.contributes.menus as Record<string, MenuEntry[]>;
    for (const [menu, entries] of Object.entries(menus)) {
      for (const entry of entries) {
        if (!trustedOnly.includes(entry.command) || entry.when === 'false') continue;
        assert.match(
          entry.when ?? '',
          /(^|&& )isWorkspaceTrusted( &&|$)/,
          `${menu}: ${entry.command} when "${entry.when}"`,
        );
      }
    }
    for (const id of trustedOnly) {
      assert.ok(
        menus.commandPalette.some((e) => e.command === id && /isWorkspaceTrusted|^false$/.test(e.when ?? '')),
        `${id} has no guarded commandPalette entry`,
      );
    }
  });

  it('restricts the settings that name paths; the others cannot hold one', () => {
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.deepEqual([...restricted].sort(), Object.keys(RESTRICTED_SETTINGS).sort());
    const properties = manifest.contributes.configuration.properties as Record<
      string,
      { type: string; enum?: unknown; pattern?: string; items?: { enum?: unknown } }
    >;
    for (const [name, schema] of Object.entries(properties)) {
      if (restricted.includes(name)) continue;
      const free =
        (schema.type === 'string' && !schema.enum && !schema.pattern) ||
        (schema.type === 'array' && !schema.items?.enum);
      assert.ok(!free, `${name} takes free text: restrict it or give it an enum/pattern`);
    }
  });

  it('writes, connects and renews only from files whose commands are trusted-only', () => {
    for (const file of sources('src/extension')) {
      if (file === 'src/extension/trustPolicy.ts') continue;
      const text = read(file);
      const hits = SENSITIVE_CALLS.filter((re) => re.test(text));
      if (hits.length === 0) continue;
      const commands = SENSITIVE_FILES[file];
      assert.ok(
        commands,
        `${file} writes, connects or runs programs (${hits.join(', ')}): list it in SENSITIVE_FILES with the commands reaching it`,
      );
      for (const id of commands)
        assert.equal(COMMAND_TRUST[id]?.trust, 'trusted-only', `${id} reaches ${file}`);
    }
  });

  it('checks trust before connecting to a cluster, also when a view opens by itself', () => {
    for (const file of sources('src/extension')) {
      const text = read(file);
      const connect = text.indexOf('connectCluster(');
      if (connect === -1) continue;
      const before = text.slice(0, connect);
      const guard = before.lastIndexOf('!vscode.workspace.isTrusted');
      assert.ok(
        guard !== -1 && before.lastIndexOf('async connect(') < guard,
        `${file}: no trust check before connectCluster`,
      );
    }
  });
});
