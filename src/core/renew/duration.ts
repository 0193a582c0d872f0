// Durations as kubeadm and Kubernetes write them (Go's time.ParseDuration: "8760h", "1h30m", "90s").

/** kubeadm's leaf certificate validity, and the default of --duration and kubecerts.renew.duration. */
export const DEFAULT_RENEWAL_DURATION_MS = 8760 * 3600 * 1000;
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 3600 * 1000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Milliseconds, or undefined when `text` is not a positive Go duration. */
export function parseGoDuration(text: string): number | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < value.length) {
    const start = PART.lastIndex;
    const match = PART.exec(value);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) && total > 0 ? Math.round(total) : undefined;
}

/** `8760h`, `720h30m`, `45s`: hours are the largest unit, as Go prints them. */
export function formatGoDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts = [hours ? `${hours}h` : '', minutes ? `${minutes}m` : '', seconds ? `${seconds}s` : ''].join(
    '',
  );
  return parts || '0s';
}
