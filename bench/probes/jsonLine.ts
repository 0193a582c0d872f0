// How a probe answers the bench: one JSON line on stdout and exit 0, or the error on stderr and
// exit 1. It exits explicitly: timers and sockets the measured code leaves must not keep it alive.
export function printJsonLine(main: () => Promise<Record<string, unknown>>): void {
  main().then(
    (result) => {
      process.stdout.write(JSON.stringify(result) + '\n');
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(String((error as Error)?.stack ?? error) + '\n');
      process.exit(1);
    },
  );
}
