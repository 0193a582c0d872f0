// Core speaks English templates with {named} parameters; the extension translates them here.
import * as vscode from 'vscode';
import type { FindingParams } from '../core/findings/finding';

export function translate(template: string, params: FindingParams): string {
  return vscode.l10n.t(template, params);
}
