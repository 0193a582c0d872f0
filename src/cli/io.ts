// Everything the CLI touches in its process, passed in so tests can run it in-process.

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
}

/** Wrong arguments: exit code 2 with a one-line message and a hint to use --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An input that cannot be read: exit code 2 with a one-line message. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
