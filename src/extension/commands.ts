// Every command of the extension, in one table registered in one loop. Each entry builds its
// handler from the Ctx; the ids must match `contributes.commands` (checked by a unit test).
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { gateCommand } from './trust';

export type Handler = (...args: unknown[]) => unknown;

/** A table of command ids to handler factories; each feature owns one, built from what it needs. */
export type CommandTable<T> = Readonly<Record<string, (owner: T) => Handler>>;

const SPKI_PIN = /^sha256:[0-9a-f]{64}$/;

export const COMMANDS: CommandTable<Ctx> = {
  'kubecerts.showLog': (ctx) => () => ctx.log.show(),

  'kubecerts.openSettings': (ctx) => () =>
    vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${ctx.extension.extension.id}`),

  // Invoked from hover links and the PKI view with the pin as argument (a public-key hash, not a secret).
  'kubecerts.copySpkiPin': () => async (pin: unknown) => {
    if (typeof pin !== 'string' || !SPKI_PIN.test(pin)) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Not an SPKI pin: expected "sha256:" followed by 64 hexadecimal digits.'),
      );
      return;
    }
    await vscode.env.clipboard.writeText(pin);
    void vscode.window.showInformationMessage(vscode.l10n.t('Copied SPKI pin {0}', pin));
  },
};

export function registerCommands(ctx: Ctx): void {
  registerCommandTable(ctx, COMMANDS, ctx);
}

/** Registers a command table; a failing handler is logged and reported once, never thrown at the user. */
export function registerCommandTable<T>(ctx: Ctx, table: CommandTable<T>, owner: T): void {
  for (const [id, factory] of Object.entries(table)) {
    // Commands that contact a cluster or write refuse in an untrusted workspace (trustPolicy.ts).
    const handler = gateCommand(id, factory(owner));
    ctx.own(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          ctx.log.error(`command ${id} failed`, err);
          void vscode.window.showErrorMessage(
            vscode.l10n.t('Kube Certs: {0} failed. Details are in the log (Kube Certs: Show Log).', id),
          );
          return undefined;
        }
      }),
    );
  }
}
