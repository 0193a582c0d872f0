// kubectl's AGE and REQUESTEDDURATION columns: k8s.io/apimachinery/pkg/util/duration.HumanDuration,
// "~2-3 significant figures". Anything shown beside kubectl's output formats durations here, so the
// two read the same (kubeadm's residual time is ShortHumanDuration, in ./duration).

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** HumanDuration of a duration in milliseconds (Go's time.Duration, truncated like Go's integer division). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  // Up to 2 s in the future is clock skew between machines: shown as now.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) return withRest(minutes, 'm', seconds % 60, 's');
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(ms / DAY);
  if (hours < 8 * 24) return withRest(days, 'd', hours % 24, 'h');
  if (hours < 2 * 365 * 24) return `${days}d`;
  const years = Math.trunc(ms / YEAR);
  if (hours < 8 * 365 * 24) return withRest(years, 'y', days % 365, 'd');
  return `${years}y`;
}

/** "5m30s", or "5m" when the second unit is zero. */
function withRest(value: number, unit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${value}${unit}` : `${value}${unit}${rest}${restUnit}`;
}

/** The age of an object created at `created` (RFC 3339), as kubectl's AGE column prints it. */
export function kubectlAge(created: string | undefined, now: Date): string {
  const at = created ? Date.parse(created) : NaN;
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now.getTime() - at);
}
