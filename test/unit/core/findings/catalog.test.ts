import assert from 'node:assert/strict';
import {
  FINDING_CATALOG,
  FINDING_CODES,
  RELATED_MESSAGES,
  isFolderCheck,
} from '../../../../src/core/findings/catalog';
import { englishTemplate, renderFindingMessage } from '../../../../src/core/findings/finding';

const REQUIRED = [
  'cert-expired',
  'cert-expiring',
  'cert-not-yet-valid',
  'not-signed-by-ca',
  'bad-signature',
  'issuer-not-ca',
  'path-length-exceeded',
  'key-mismatch',
  'weak-key',
  'weak-signature',
  'client-auth-missing',
  'redacted-data',
  'invalid-base64',
  'invalid-pem',
  'file-not-found',
  'data-and-path',
  'insecure-skip-tls-verify',
  'plaintext-token',
  'plaintext-password',
  'bootstrap-token',
  'exec-plugin',
  'system-masters',
  'dangling-reference',
  'missing-current-context',
  'duplicate-name',
];

describe('findings catalog', () => {
  it('has every required code, kebab-case, with a severity, message and doc', () => {
    for (const code of REQUIRED) assert.ok(FINDING_CODES.includes(code as never), code);
    for (const code of FINDING_CODES) {
      const def = FINDING_CATALOG[code];
      assert.match(code, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(['error', 'warning', 'info'].includes(def.severity));
      assert.ok(def.message.length > 0 && def.doc.length > 0, code);
    }
    assert.equal(FINDING_CATALOG['exec-plugin'].severity, 'info');
  });

  it('renders through the injected translator with named parameters', () => {
    const seen: string[] = [];
    const message = renderFindingMessage(
      { code: 'plaintext-token', params: { user: 'alice' } },
      (template, params) => {
        seen.push(template);
        return englishTemplate(template, params);
      },
    );
    assert.equal(message, 'User alice has a token in plain text.');
    assert.deepEqual(seen, [FINDING_CATALOG['plaintext-token'].message]);
  });

  it('never asks for a secret as a message parameter', () => {
    const templates = [
      ...Object.values(FINDING_CATALOG).map((d) => d.message),
      ...Object.values(RELATED_MESSAGES),
    ];
    for (const template of templates)
      assert.doesNotMatch(template, /\{(token|password|key|secret|value|data)\}/i, template);
  });

  it('marks the static pod wiring and CIS file checks, and only them, as checks of a PKI folder', () => {
    assert.deepEqual(FINDING_CODES.filter(isFolderCheck), [
      'wiring-file-missing',
      'wiring-key-mismatch',
      'wiring-wrong-ca',
      'wiring-san-missing',
      'cis-file-permissions',
      'cis-file-ownership',
    ]);
  });
});
