// The extension's context: owns every disposable, the settings, the clock and the log channel. Features
// receive it and register what they create with own(), so deactivation disposes everything.
import type * as vscode from 'vscode';
import { systemClock, type Clock } from '../node/clock';
import { Config } from './config';
import { Log } from './log';

export class Ctx implements vscode.Disposable {
  readonly log: Log;
  readonly config: Config;
  /** The time every feature reads: one place to pin it. */
  readonly clock: Clock = systemClock;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = this.own(new Log('Kube Certs'));
    this.config = this.own(new Config());
  }

  get version(): string {
    return (this.extension.extension.packageJSON as { version: string }).version;
  }

  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    // Reverse order: later features may depend on the log and config created first.
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        console.error('kubecerts: dispose failed', err);
      }
    }
  }
}
