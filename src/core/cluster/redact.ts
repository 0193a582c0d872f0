// An object as the Cluster Certificates view shows it read-only: a Secret keeps its certificates
// (tls.crt, ca.crt are public by design) and loses every other value: tls.key, any other data or
// stringData entry, and the last-applied-configuration annotation, which repeats them all.
// managedFields are dropped as `kubectl get -o yaml` does. Other kinds hold no secret values.
import { findCertificateFields } from '../objects/certificateFields';

export const REDACTED_VALUE = 'REDACTED';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const VALUE_MAPS = ['data', 'stringData'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of `raw` fit to display; the input is not changed. */
export function redactObject(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const copy = structuredClone(raw);
  if (isRecord(copy.metadata)) delete copy.metadata.managedFields;
  if (copy.kind !== 'Secret') return copy;
  const kept = new Set(
    findCertificateFields(raw)
      .filter((f) => f.field.role !== 'private-key')
      .map((f) => f.path.join('\0')),
  );
  for (const map of VALUE_MAPS) {
    const values = copy[map];
    if (!isRecord(values)) {
      if (values !== undefined) copy[map] = REDACTED_VALUE;
      continue;
    }
    for (const key of Object.keys(values)) if (!kept.has(`${map}\0${key}`)) values[key] = REDACTED_VALUE;
  }
  const annotations = isRecord(copy.metadata) ? copy.metadata.annotations : undefined;
  if (isRecord(annotations) && LAST_APPLIED in annotations) annotations[LAST_APPLIED] = REDACTED_VALUE;
  return copy;
}
