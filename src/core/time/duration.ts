// Durations as Kubernetes prints them. Kept apart from the PKI report code so the tree view can
// use it without pulling `yaml` into the activation bundle.

/** k8s.io/apimachinery/pkg/util/duration.ShortHumanDuration, from whole seconds. */
export function shortHumanDuration(seconds: number): string {
  const s = Math.trunc(seconds);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 60) return `${s}s`;
  const minutes = Math.trunc(s / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(s / 3600);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(s / 3600 / 24 / 365)}y`;
}
