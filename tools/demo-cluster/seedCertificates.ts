// The certificates of the seeded objects, made at seed time from the seeder's clock (EC P-256, so
// seeding stays fast): the CAs behind the Secrets, webhooks and APIServices, and the leaves.
import {
  generateKey,
  issueCertificate,
  privateKeyToPem,
  type IssuedCertificate,
} from '../../src/core/x509/issue';

const DAY = 24 * 3600_000;
const KEY = { algorithm: 'EC', curve: 'P-256' } as const;

interface SeedCertificates {
  readonly demoCa: IssuedCertificate;
  readonly impostorCa: IssuedCertificate;
  readonly webhookCa: IssuedCertificate;
  readonly expiredCa: IssuedCertificate;
  readonly metricsCa: IssuedCertificate;
  readonly staleClusterCa: IssuedCertificate;
  readonly widgets: IssuedCertificate;
  readonly shop: IssuedCertificate;
  readonly api: IssuedCertificate;
  readonly grafana: IssuedCertificate;
  /** A key that belongs to no certificate. */
  readonly otherKeyPem: string;
}

export async function makeCertificates(now: Date): Promise<SeedCertificates> {
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const ca = (commonName: string, from: number, to: number, organizations?: string[]) =>
    issueCertificate({
      subject: { commonName, ...(organizations ? { organizations } : {}) },
      notBefore: at(from),
      notAfter: at(to),
      basicConstraints: { ca: true },
      keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'],
      key: KEY,
    });
  const [demoCa, impostorCa, webhookCa, expiredCa, metricsCa, staleClusterCa] = await Promise.all([
    ca('demo-ca', -30, 5 * 365, ['kubecerts demo']),
    // Same subject as demo-ca, another key: the classic "CA was regenerated" trap.
    ca('demo-ca', -5, 5 * 365, ['kubecerts demo']),
    ca('cert-manager-webhook-ca', -20, 345),
    ca('policy-webhook-ca', -375, -10),
    ca(`metrics-server-ca@${Math.floor(now.getTime() / 1000) - 60 * 86400}`, -60, 305),
    ca('kubernetes', -800, 9 * 365),
  ]);
  const leaf = (commonName: string, dns: readonly string[], from: number, to: number) =>
    issueCertificate({
      subject: { commonName },
      notBefore: at(from),
      notAfter: at(to),
      sans: { dns },
      basicConstraints: { ca: false },
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: ['serverAuth'],
      issuer: demoCa,
      key: KEY,
    });
  const [widgets, shop, api, grafana, otherKey] = await Promise.all([
    leaf(
      'widgets-webhook.cert-manager.svc',
      ['widgets-webhook.cert-manager.svc', 'widgets-webhook.cert-manager.svc.cluster.local'],
      -10,
      80,
    ),
    leaf('shop.example.com', ['shop.example.com'], -78, 12),
    leaf('api.example.com', ['api.example.com'], -30, 60),
    leaf('grafana.monitoring.svc', ['grafana.monitoring.svc', 'grafana.example.com'], -15, 75),
    generateKey(KEY),
  ]);
  return {
    ...{ demoCa, impostorCa, webhookCa, expiredCa, metricsCa, staleClusterCa },
    ...{ widgets, shop, api, grafana },
    otherKeyPem: privateKeyToPem(otherKey),
  };
}
