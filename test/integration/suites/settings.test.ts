import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension } from '../workspace';

describe('settings', () => {
  before(activatedExtension);

  const defaults: [string, unknown][] = [
    ['expiryWarningDays', 30],
    ['disabledFindings', []],
    ['pkiDirectories', ['/etc/kubernetes']],
    ['kubeconfig', ''],
  ];
  for (const [key, value] of defaults) {
    it(`contributes kubecerts.${key} with its default`, () => {
      assert.deepEqual(vscode.workspace.getConfiguration('kubecerts').inspect(key)?.defaultValue, value);
    });
  }
});
