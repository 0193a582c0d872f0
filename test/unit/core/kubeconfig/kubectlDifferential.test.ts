// Differential test against kubectl 1.32: for a generated corpus of kubeconfig variants (YAML 1.1
// scalars, merge keys, quoting and block styles, base64 layouts, CRLF, repeated keys, JSON, paths
// to directories, key types), kubecerts must say what kubectl says: the file loads, or it is
// refused for the same reason. kubectl builds the whole TLS configuration (decoding the data,
// reading files, parsing the key pair) before it connects, so `get --raw` against a closed port
// tells a load error from "connection refused".
// One file over 400 lines on purpose: one corpus of cases, each put to kubectl and to kubecerts.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeKubeconfig } from '../../../../src/core/audit/kubeconfig';
import { mergeKubeconfigs } from '../../../../src/core/kubeconfig/merge';
import { parseKubeconfig } from '../../../../src/core/kubeconfig/parse';
import { readReferencedFiles } from '../../../../src/node/fs/auditInputs';

/** Why a kubeconfig is refused, in words both sides can be mapped to. */
type Verdict =
  'loads' | 'yaml' | 'type' | 'duplicate' | 'base64' | 'pem' | 'key' | 'mismatch' | 'directory' | 'missing';

/** kubectl's message → verdict; the first that matches wins. */
const KUBECTL_ANSWERS: readonly (readonly [RegExp, Verdict])[] = [
  // Loaded; with no credentials kubectl asks for a user name (stdin is closed: EOF).
  [/connection to the server .* was refused|connect: connection refused|Please enter Username/, 'loads'],
  [/illegal base64 data/, 'base64'],
  [/duplicate name/, 'duplicate'],
  [/cannot unmarshal|no kind .* is registered|couldn't get version\/kind/, 'type'],
  [/error loading config file .*(yaml:|json: unsupported value|map merge)/, 'yaml'],
  [/is a directory/, 'directory'],
  [/no such file or directory/, 'missing'],
  [/private key (type )?does not match public key/, 'mismatch'],
  [/failed to parse private key|unknown private key type/, 'key'],
  [/unable to load root certificates|failed to find .*PEM|x509:/, 'pem'],
];

/** kubecerts' finding codes that mean "kubectl refuses this file", and why. */
const REFUSING_CODES: Readonly<Record<string, Verdict>> = {
  // A placeholder is base64 for kubectl, which decodes it to bytes that are no certificate.
  'redacted-data': 'pem',
  'invalid-yaml': 'yaml',
  'invalid-field': 'type',
  'duplicate-name': 'duplicate',
  'invalid-base64': 'base64',
  'invalid-pem': 'pem',
  'unsupported-key': 'key',
  'key-mismatch': 'mismatch',
  'path-is-directory': 'directory',
  'file-not-found': 'missing',
};

interface Case {
  readonly name: string;
  readonly text: string;
}

interface Material {
  readonly dir: string;
  readonly ca: string;
  readonly caDer: Buffer;
  readonly trusted: string;
  readonly rsaCert: string;
  readonly rsaKey: string;
  readonly otherRsaKey: string;
  /** Key types Go loads, each with its own self-signed certificate. */
  readonly loadable: Readonly<Record<string, { cert: string; key: string }>>;
  /** Keys Go refuses (the certificate does not matter: the key fails first). */
  readonly unloadable: Readonly<Record<string, string>>;
}

const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');

function openssl(args: readonly string[], input?: string): string {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'ignore'] }).toString();
}

function makeMaterial(dir: string): Material {
  const file = (name: string) => path.join(dir, name);
  const selfSigned = (key: string, cn: string): string => {
    writeFileSync(file('k.pem'), key);
    return openssl(['req', '-x509', '-key', file('k.pem'), '-subj', `/CN=${cn}`, '-days', '2']);
  };
  const genpkey = (...args: string[]) => openssl(['genpkey', ...args]);
  const rsaKey = genpkey('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048');
  const ecKey = (curve: string, explicit = false) =>
    openssl([
      'ecparam',
      '-name',
      curve,
      '-genkey',
      '-noout',
      ...(explicit ? ['-param_enc', 'explicit'] : []),
    ]);
  const ca = selfSigned(rsaKey, 'ca');
  const loadable: Record<string, { cert: string; key: string }> = {};
  for (const [name, key] of [
    ['P-256', ecKey('prime256v1')],
    ['P-384', ecKey('secp384r1')],
    ['P-224', ecKey('secp224r1')],
    ['Ed25519', genpkey('-algorithm', 'ed25519')],
    ['P-256 PKCS#8', openssl(['pkcs8', '-topk8', '-nocrypt'], ecKey('prime256v1'))],
    ['RSA PKCS#1', openssl(['rsa', '-traditional'], genpkey('-algorithm', 'RSA'))],
  ] as const)
    loadable[name] = { key, cert: selfSigned(key, name) };
  // Go reads the key whatever the label says: PKCS#8 content under "RSA PRIVATE KEY".
  const relabelled = loadable['P-256 PKCS#8'].key.replaceAll('PRIVATE KEY', 'EC PRIVATE KEY');
  loadable['PKCS#8 labelled EC'] = { key: relabelled, cert: loadable['P-256 PKCS#8'].cert };
  const dsaParams = openssl([
    'genpkey',
    '-genparam',
    '-algorithm',
    'DSA',
    '-pkeyopt',
    'dsa_paramgen_bits:1024',
  ]);
  writeFileSync(file('dsa.params'), dsaParams);
  const unloadable: Record<string, string> = {
    Ed448: genpkey('-algorithm', 'ed448'),
    X25519: genpkey('-algorithm', 'x25519'),
    'RSA-PSS': genpkey('-algorithm', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'),
    DSA: openssl(['genpkey', '-paramfile', file('dsa.params')]),
    'explicit P-256 (SEC1)': ecKey('prime256v1', true),
    'explicit P-256 (PKCS#8)': openssl(['pkcs8', '-topk8', '-nocrypt'], ecKey('prime256v1', true)),
    secp256k1: ecKey('secp256k1'),
    'secp256k1 (PKCS#8)': openssl(['pkcs8', '-topk8', '-nocrypt'], ecKey('secp256k1')),
    brainpoolP256r1: ecKey('brainpoolP256r1'),
    encrypted: openssl(['pkcs8', '-topk8', '-v2', 'aes256', '-passout', 'pass:x'], rsaKey),
  };
  writeFileSync(file('ca.pem'), ca);
  const caDer = execFileSync('openssl', ['x509', '-outform', 'der'], { input: ca });
  const trusted = openssl(['x509', '-trustout', '-addtrust', 'serverAuth'], ca);
  for (const [name, content] of [
    ['ca.der', caDer],
    ['trusted.pem', trusted],
    ['ca.b64', b64(ca) + '\n'],
    ['token', 'abc\n'],
    ['client.pem', ca],
    ['client.key', rsaKey],
  ] as const)
    writeFileSync(file(name), content);
  rmSync(file('k.pem'));
  return {
    dir,
    ca,
    caDer,
    trusted,
    rsaCert: ca,
    rsaKey,
    otherRsaKey: genpkey('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'),
    loadable,
    unloadable,
  };
}

interface Parts {
  readonly top?: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly extraCluster?: string;
  readonly extraUser?: string;
  readonly contextExtra?: string;
  readonly currentContext?: string;
}

/** A kubeconfig in kubectl's layout; `parts` are raw YAML lines at their indentation. */
function config(parts: Parts = {}): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    ...(parts.top ? [parts.top] : []),
    'clusters:',
    '- name: c',
    '  cluster:',
    '    server: https://127.0.0.1:6443',
    ...(parts.cluster ? [parts.cluster] : []),
    ...(parts.extraCluster ? [parts.extraCluster] : []),
    'users:',
    '- name: u',
    '  user:',
    parts.user ?? '    token: abc',
    ...(parts.extraUser ? [parts.extraUser] : []),
    'contexts:',
    '- name: x',
    '  context:',
    '    cluster: c',
    '    user: u',
    ...(parts.contextExtra ? [parts.contextExtra] : []),
    `current-context: ${parts.currentContext ?? 'x'}`,
    '',
  ].join('\n');
}

/** `key: base64` of `pem` laid out in a YAML style (block, folded, quoted, wrapped …). */
function layouts(key: string, pem: string, indent: string): Record<string, string> {
  const lines = b64(pem).match(/.{1,64}/g) ?? [];
  const deeper = indent + '  ';
  const block = (header: string) => `${indent}${key}: ${header}\n${lines.map((l) => deeper + l).join('\n')}`;
  const one = b64(pem);
  return {
    'one line': `${indent}${key}: ${one}`,
    'literal |': block('|'),
    'literal |-': block('|-'),
    'literal |+': block('|+'),
    'folded >': block('>'),
    'folded >-': block('>-'),
    'plain wrapped': `${indent}${key}: ${lines.join('\n' + deeper)}`,
    'double-quoted wrapped': `${indent}${key}: "${lines.join('\n' + deeper)}"`,
    'single-quoted wrapped': `${indent}${key}: '${lines.join('\n' + deeper)}'`,
    'double-quoted \\n escapes': `${indent}${key}: "${lines.join('\\n\\\n' + deeper)}"`,
    'double-quoted leading space': `${indent}${key}: " ${one}"`,
    'double-quoted trailing tab': `${indent}${key}: "${one}\\t"`,
    'double-quoted trailing \\r\\n': `${indent}${key}: "${one}\\r\\n"`,
    'padding removed': `${indent}${key}: ${one.replace(/=+$/, '')}`,
    'junk character': `${indent}${key}: ${one.slice(0, 40)}*${one.slice(41)}`,
  };
}

const BOOLEAN_SPELLINGS = [
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'],
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'],
  ...['"yes"', "'on'", 'yEs', 'oN', '1', '0', '~', '!!bool yes', '!!str yes', '!!bool maybe'],
];

const SCALARS = [
  ...['on', 'off', 'y', 'n', 'NO', '123', '0x1F', '0o17', '010', '08', '1_000', '1.5', '1e3', '.5'],
  ...['+1', '1.', '0b101', '1:20', '2001-01-01', 'null', '~', '""', "'on'", '"123"', '!!str on'],
  ...['.inf', '.nan', '-.inf', '_1', '0x', '99999999999999999999', '1e999', '[a]', '{a: b}', '*nowhere'],
];

function corpus(m: Material): Case[] {
  const cases: Case[] = [];
  const add = (name: string, text: string) => cases.push({ name, text });
  const file = (name: string) => path.join(m.dir, name);
  const certUser = (cert: string, key: string) =>
    `    client-certificate-data: ${b64(cert)}\n    client-key-data: ${b64(key)}`;

  // YAML 1.1 booleans (without a CA: kubectl refuses insecure + CA on its own).
  for (const v of BOOLEAN_SPELLINGS)
    add(`insecure-skip-tls-verify: ${v}`, config({ cluster: `    insecure-skip-tls-verify: ${v}` }));
  for (const v of ['yes', 'off', '"true"', '1'])
    add(`disable-compression: ${v}`, config({ cluster: `    disable-compression: ${v}` }));

  // Scalars where strings belong.
  for (const v of SCALARS)
    add(`cluster name ${v}`, config({ extraCluster: `- name: ${v}\n  cluster:\n    server: https://s` }));
  for (const v of ['on', '123', '1.5', '~', '1:20', '2001-01-01', '[a]', '.inf', '"on"', '!!str 1'])
    add(`server ${v}`, config({ extraCluster: `- name: other\n  cluster:\n    server: ${v}` }));
  for (const v of ['on', '123', '~', '[a]'])
    for (const [where, parts] of [
      ['namespace', { contextExtra: `    namespace: ${v}` }],
      ['token', { extraUser: `- name: other\n  user:\n    token: ${v}` }],
      ['tls-server-name', { cluster: `    tls-server-name: ${v}` }],
      ['user name', { extraUser: `- name: ${v}\n  user:\n    token: t` }],
    ] as const)
      add(`${where} ${v}`, config(parts));

  // Base64 layouts of the CA, in LF and CRLF files.
  for (const [layout, line] of Object.entries(layouts('certificate-authority-data', m.ca, '    '))) {
    add(`CA data ${layout}`, config({ cluster: line }));
    if (/wrapped|literal|folded >$/.test(layout))
      add(`CA data ${layout}, CRLF`, config({ cluster: line }).replaceAll('\n', '\r\n'));
  }
  for (const [layout, line] of Object.entries(layouts('client-key-data', m.rsaKey, '    ')).slice(0, 9))
    add(`key data ${layout}`, config({ user: `    client-certificate-data: ${b64(m.rsaCert)}\n${line}` }));

  // What the CA data holds.
  for (const [what, data] of [
    ['DER in base64', b64(m.caDer)],
    ['text, not PEM', b64('hello world\n')],
    ['TRUSTED CERTIFICATE', b64(m.trusted)],
    ['X509 CERTIFICATE', b64(m.ca.replaceAll('CERTIFICATE', 'X509 CERTIFICATE'))],
    ['CERTIFICATE then TRUSTED CERTIFICATE', b64(m.ca + m.trusted)],
    ['a private key', b64(m.rsaKey)],
    ['DATA+OMITTED', 'DATA+OMITTED'],
    ['REDACTED', 'REDACTED'],
  ] as const)
    add(`CA data: ${what}`, config({ cluster: `    certificate-authority-data: ${data}` }));
  for (const [what, cert] of [
    ['TRUSTED CERTIFICATE', m.trusted],
    ['DER', m.caDer],
  ] as const)
    add(`client certificate data: ${what}`, config({ user: certUser(cert.toString(), m.rsaKey) }));

  // Keys, as data (a file key is loaded later by client-go's certificate rotation).
  for (const [name, { cert, key }] of Object.entries(m.loadable))
    add(`key ${name}`, config({ user: certUser(cert, key) }));
  for (const [name, key] of Object.entries(m.unloadable))
    add(`key ${name}`, config({ user: certUser(m.rsaCert, key) }));
  add('key of another certificate', config({ user: certUser(m.rsaCert, m.otherRsaKey) }));
  add('EC key of an RSA certificate', config({ user: certUser(m.rsaCert, m.loadable['P-256'].key) }));
  add(
    'EC PARAMETERS block before the key',
    config({
      user: certUser(
        m.loadable['P-256'].cert,
        openssl(['ecparam', '-name', 'prime256v1', '-outform', 'PEM']) + m.loadable['P-256'].key,
      ),
    }),
  );

  // Paths.
  const dir = file('pki');
  for (const [what, parts] of [
    ['certificate-authority directory', { cluster: `    certificate-authority: ${dir}` }],
    ['certificate-authority relative directory', { cluster: `    certificate-authority: pki` }],
    ['certificate-authority missing', { cluster: `    certificate-authority: ${file('nope.crt')}` }],
    ['certificate-authority PEM file', { cluster: `    certificate-authority: ${file('ca.pem')}` }],
    ['certificate-authority DER file', { cluster: `    certificate-authority: ${file('ca.der')}` }],
    ['certificate-authority TRUSTED file', { cluster: `    certificate-authority: ${file('trusted.pem')}` }],
    ['certificate-authority base64 file', { cluster: `    certificate-authority: ${file('ca.b64')}` }],
    [
      'client-certificate directory',
      { user: `    client-certificate: ${dir}\n    client-key: ${file('client.key')}` },
    ],
    [
      'client-key directory',
      { user: `    client-certificate: ${file('client.pem')}\n    client-key: ${dir}` },
    ],
    [
      'client-certificate missing',
      { user: `    client-certificate: ${file('nope')}\n    client-key: ${file('client.key')}` },
    ],
    [
      'client pair files',
      { user: `    client-certificate: ${file('client.pem')}\n    client-key: ${file('client.key')}` },
    ],
    ['tokenFile directory', { user: `    tokenFile: ${dir}` }],
    ['tokenFile missing', { user: `    tokenFile: ${file('nope')}` }],
    ['tokenFile present', { user: `    tokenFile: ${file('token')}` }],
  ] as const)
    add(what, config(parts));

  // Merge keys.
  const good = `    certificate-authority-data: ${b64(m.ca)}`;
  const bad = `    certificate-authority-data: ${b64(m.trusted)}`;
  const anchors = `good: &good\n  certificate-authority-data: ${b64(m.ca)}\nbad: &bad\n  certificate-authority-data: ${b64(m.trusted)}\nbroken: &broken\n  certificate-authority-data: "${b64(m.ca).slice(0, 30)} x"`;
  for (const [what, cluster] of [
    ['merge of a good CA', '    <<: *good'],
    ['merge of a TRUSTED CA', '    <<: *bad'],
    ['merge of a CA with a space', '    <<: *broken'],
    ['explicit good after merge of bad', `    <<: *bad\n${good}`],
    ['explicit good before merge of bad', `${good}\n    <<: *bad`],
    ['explicit bad after merge of good', `    <<: *good\n${bad}`],
    ['merge list good first', '    <<: [*good, *bad]'],
    ['merge list bad first', '    <<: [*bad, *good]'],
    ['two merge keys, bad last', '    <<: *good\n    <<: *bad'],
    ['merge of a scalar', '    <<: *scalar'],
    ['merge of an undefined anchor', '    <<: *nowhere'],
    ['quoted "<<" key', '    "<<": *bad'],
    ['alias as the value', `    certificate-authority-data: *data`],
  ] as const)
    add(what, config({ top: `${anchors}\nscalar: &scalar 1\ndata: &data ${b64(m.ca)}`, cluster }));
  add(
    'whole cluster by alias, bad',
    config({ top: `${anchors}` }).replace(
      '  cluster:\n    server: https://127.0.0.1:6443',
      '  cluster: *bad',
    ),
  );
  const creds = `creds: &creds\n  client-certificate-data: ${b64(m.rsaCert)}\n  client-key-data: ${b64(m.rsaKey)}`;
  add('user merges its pair', config({ top: creds, user: '    <<: *creds' }));
  add(
    'user merges its pair, key overridden by another',
    config({ top: creds, user: `    <<: *creds\n    client-key-data: ${b64(m.otherRsaKey)}` }),
  );
  add(
    'nested merges',
    config({ top: `${anchors}\nmid: &mid\n  <<: *bad\n  server: https://mid`, cluster: '    <<: *mid' }),
  );

  // Repeated keys and names.
  add('repeated server', config({ cluster: '    server: https://a\n    server: https://b' }));
  add('repeated CA data, bad first', config({ cluster: `${bad}\n${good}` }));
  add('repeated CA data, bad last', config({ cluster: `${good}\n${bad}` }));
  add('repeated clusters key, bad list last', `${config()}clusters:\n- name: c\n  cluster:\n${bad}\n`);
  add('repeated clusters key, bad list first', config({ top: `clusters:\n- name: c\n  cluster:\n${bad}` }));
  add('duplicate cluster names', config({ extraCluster: '- name: c\n  cluster:\n    server: https://s' }));
  add('duplicate user names', config({ extraUser: '- name: u\n  user:\n    token: t' }));
  add('two clusters without a name', config({ extraCluster: '- cluster: {}\n- cluster: {}' }));
  add('one cluster without a name', config({ extraCluster: '- cluster:\n    server: https://s' }));
  add('repeated name key in an item', config({ extraCluster: '- name: c\n  name: d\n  cluster: {}' }));
  add('null list item', config({ extraCluster: '- ~' }));

  // JSON.
  const json = (cluster: string, extra = '') =>
    `{"apiVersion":"v1","kind":"Config","clusters":[{"name":"c","cluster":{"server":"https://127.0.0.1:6443"${cluster}}}${extra}],"users":[{"name":"u","user":{"token":"abc"}}],"contexts":[{"name":"x","context":{"cluster":"c","user":"u"}}],"current-context":"x"}\n`;
  add('JSON', json(''));
  add('JSON insecure true', json(',"insecure-skip-tls-verify":true'));
  add('JSON insecure "yes"', json(',"insecure-skip-tls-verify":"yes"'));
  add('JSON CA data', json(`,"certificate-authority-data":"${b64(m.ca)}"`));
  add(
    'JSON CA data with \\n',
    json(`,"certificate-authority-data":"${b64(m.ca).slice(0, 64)}\\n${b64(m.ca).slice(64)}"`),
  );
  add(
    'JSON CA data with a space',
    json(`,"certificate-authority-data":"${b64(m.ca).slice(0, 64)} ${b64(m.ca).slice(64)}"`),
  );
  add(
    'JSON repeated key',
    json(`,"certificate-authority-data":"${b64(m.trusted)}","certificate-authority-data":"${b64(m.ca)}"`),
  );
  add('JSON number name', json('', ',{"name":5,"cluster":{}}'));
  add('JSON tabs', json('').replaceAll(',', ',\t'));
  add('JSON trailing comma', json('', ','));
  add('JSON then a broken document', json('') + '---\n: [\n');

  // YAML syntax.
  const plain = config();
  add('plain', plain);
  add('CRLF', plain.replaceAll('\n', '\r\n'));
  add('BOM', '\ufeff' + plain);
  add('comments', '# kubeconfig\n' + plain.replace('clusters:', 'clusters: # list\n# between'));
  add('leading ---', '---\n' + plain);
  add('empty first document', '---\n---\n' + plain);
  add('second document broken', plain + '---\n: : [\n');
  add('%YAML 1.1 directive', '%YAML 1.1\n---\n' + plain);
  add('document end marker', plain + '...\n');
  add('tab indentation', plain.replace('    server:', '\tserver:'));
  add('tab after colon', plain.replace('server: ', 'server:\t'));
  add('unclosed double quote', plain.replace('server: https://127.0.0.1:6443', 'server: "https://x'));
  add('unclosed single quote', plain.replace('server: https://127.0.0.1:6443', "server: 'https://x"));
  add('bad indentation', plain.replace('    server:', '   server:'));
  add(
    'flow cluster',
    plain.replace(
      '  cluster:\n    server: https://127.0.0.1:6443',
      '  cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: yes}',
    ),
  );
  add('empty file', '');
  add('only a comment', '# nothing\n');
  add('key without value line', plain.replace('kind: Config', 'kind Config'));

  // JSON types of the Config struct.
  for (const [what, parts] of [
    ['preferences string', { top: 'preferences: x' }],
    ['preferences colors yes', { top: 'preferences:\n  colors: yes' }],
    ['preferences colors string', { top: 'preferences:\n  colors: "yes"' }],
    ['extensions string', { top: 'extensions: x' }],
    ['extensions item', { top: 'extensions:\n- name: e\n  extension: {a: [1, yes]}' }],
    ['cluster extensions string', { cluster: '    extensions: x' }],
    ['as-groups string', { user: '    token: abc\n    as-groups: x' }],
    ['as-groups list', { user: '    token: abc\n    as: admin\n    as-groups: [a, b]' }],
    ['as-user-extra bad', { user: '    token: abc\n    as-user-extra: {a: b}' }],
    [
      'auth-provider config bad',
      { extraUser: '- name: o\n  user:\n    auth-provider: {name: x, config: {a: [1]}}' },
    ],
    ['exec args string', { extraUser: '- name: o\n  user:\n    exec: {command: x, args: x}' }],
    ['exec env bad', { extraUser: '- name: o\n  user:\n    exec: {command: x, env: [{name: a, value: 1}]}' }],
    [
      'exec provideClusterInfo yes',
      { extraUser: '- name: o\n  user:\n    exec: {command: x, provideClusterInfo: 5}' },
    ],
    ['user is a string', { extraUser: '- name: o\n  user: x' }],
    ['cluster is a list', { extraCluster: '- name: o\n  cluster: []' }],
    ['context is a number', { contextExtra: '- name: y\n  context: 5' }],
    ['clusters is a map', { top: 'clusters: {}' }],
    ['token number', { user: '    token: 123' }],
    ['unknown key of any type', { cluster: '    unknown: [1, {a: yes}]' }],
    ['case-changed key', { cluster: '    Server: [1]' }],
  ] as const)
    add(what, config(parts));
  for (const [what, head] of [
    ['kind Foo', 'kind: Foo'],
    ['kind config', 'kind: config'],
    ['kind 1', 'kind: 1'],
    ['apiVersion v2', 'apiVersion: v2'],
    ['no kind', ''],
  ] as const)
    add(what, config().replace(what === 'apiVersion v2' ? 'apiVersion: v1' : 'kind: Config', head));
  add('root list', '- a\n- b\n');
  add('root scalar', 'just text\n');
  return cases;
}

function kubectlVerdict(
  file: string,
  home: string,
): Promise<{ verdict: Verdict | undefined; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      [
        '--kubeconfig',
        file,
        'get',
        '--raw',
        '/healthz',
        '--server',
        'https://127.0.0.1:1',
        '--request-timeout',
        '5s',
      ],
      { env: { PATH: process.env.PATH, HOME: home }, timeout: 20_000 },
      (_error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        resolve({ verdict: KUBECTL_ANSWERS.find(([pattern]) => pattern.test(output))?.[1], output });
      },
    );
    child.stdin?.end();
  });
}

async function kubecertsVerdicts(file: string, text: string): Promise<Set<Verdict>> {
  const doc = parseKubeconfig(text, file);
  const files = await readReferencedFiles([{ documents: [doc] }]);
  const audit = analyzeKubeconfig(mergeKubeconfigs([doc]), { now: new Date(), files });
  const verdicts = new Set<Verdict>();
  for (const finding of audit.findings) {
    // A key that does not parse (encrypted, broken) is "failed to parse private key" for kubectl.
    const key = finding.code === 'invalid-pem' && String(finding.params.field).startsWith('client-key');
    const verdict = key ? 'key' : REFUSING_CODES[finding.code];
    if (verdict) verdicts.add(verdict);
  }
  return verdicts;
}

/** Runs `work` over `items`, at most `bound` at a time (kubectl takes ~50 ms to start; the machine is shared). */
async function bounded<T, R>(
  items: readonly T[],
  bound: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: bound }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('kubeconfig loading, differential against kubectl', function () {
  this.timeout(600_000);
  let dir: string;
  let material: Material;

  before(function () {
    if (!hasKubectl()) this.skip();
    dir = mkdtempSync(path.join(tmpdir(), 'kubecerts-kubectl-'));
    material = makeMaterial(dir);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads or refuses, and why, exactly as kubectl does', async () => {
    await fs.mkdir(path.join(dir, 'pki'));
    await fs.mkdir(path.join(dir, 'home'));
    const cases = corpus(material);
    assert.ok(cases.length >= 200, `${cases.length} cases`);
    const outcomes = await bounded(cases, 2, async (c, i) => {
      const file = path.join(dir, `case-${i}.yaml`);
      await fs.writeFile(file, c.text);
      const [kubectl, ours] = await Promise.all([
        kubectlVerdict(file, path.join(dir, 'home')),
        kubecertsVerdicts(file, readFileSync(file, 'utf8')),
      ]);
      return { c, kubectl, ours };
    });
    const unknown = outcomes.filter((o) => o.kubectl.verdict === undefined);
    assert.deepEqual(
      unknown.map((o) => `${o.c.name}: ${o.kubectl.output.slice(0, 200)}`),
      [],
      'kubectl answers the test cannot classify',
    );
    const disagreements = outcomes
      .filter(({ kubectl, ours }) =>
        kubectl.verdict === 'loads' ? ours.size > 0 : !ours.has(kubectl.verdict as Verdict),
      )
      .map(
        ({ c, kubectl, ours }) =>
          `${c.name}: kubectl ${kubectl.verdict}, kubecerts ${[...ours].join('+') || 'loads'}`,
      );
    const refused = outcomes.filter((o) => o.kubectl.verdict !== 'loads').length;
    console.log(
      `      kubectl differential: ${outcomes.length - disagreements.length}/${outcomes.length} agree (${refused} refused by kubectl)`,
    );
    assert.deepEqual(disagreements, []);
  });
});
