// The one reader of the system time. Everything else is handed a Clock (the extension's Ctx owns
// one, the CLI's `--now` replaces it, node adapters take it as an option) and core code receives
// the instant itself: tests and `--now` then see exactly what a user at that instant would.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
