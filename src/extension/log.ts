// The extension's one log channel. Everything written goes through redactSecrets, so a message
// or error that quotes a kubeconfig cannot leak a key or token into the Output panel.
import * as vscode from 'vscode';
import { redactSecrets } from '../core/redact';

export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  trace(message: string, ...details: unknown[]): void {
    this.channel.trace(format(message, details));
  }

  debug(message: string, ...details: unknown[]): void {
    this.channel.debug(format(message, details));
  }

  info(message: string, ...details: unknown[]): void {
    this.channel.info(format(message, details));
  }

  warn(message: string, ...details: unknown[]): void {
    this.channel.warn(format(message, details));
  }

  /** Internal errors: logged with their stack, for the user to attach to a bug report. */
  error(message: string, error?: unknown, ...details: unknown[]): void {
    this.channel.error(format(message, error === undefined ? details : [error, ...details]));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

function format(message: string, details: readonly unknown[]): string {
  return redactSecrets([message, ...details.map(describe)].join(' '));
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
