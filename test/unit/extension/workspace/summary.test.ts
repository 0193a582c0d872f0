import { strict as assert } from 'node:assert';
import { makeFinding, type Finding } from '../../../../src/core/findings/finding';
import {
  affectedCertificates,
  dueForNotification,
  expiryCounts,
  markNotified,
  NOTIFY_INTERVAL_MS,
} from '../../../../src/extension/workspace/summary';

const DAY = 24 * 60 * 60 * 1000;

function expiry(
  code: 'cert-expired' | 'cert-expiring',
  subject: string,
  days: number,
  sha256?: string,
): Finding {
  return makeFinding(
    code,
    { file: '/w/f', span: { start: days, end: days + 1 } },
    { subject, days, notAfter: '2026-01-01' },
    sha256 ? { certificate: { subject, serialHex: '01', sha256 } } : {},
  );
}

const key = (place: string) => place;

describe('workspace summary', () => {
  const entries = [
    {
      place: 'a.conf',
      findings: [
        expiry('cert-expiring', 'CN=apiserver', 12, 'aa'),
        makeFinding(
          'insecure-skip-tls-verify',
          { file: '/w/a', span: { start: 0, end: 1 } },
          { cluster: 'k' },
        ),
      ],
    },
    {
      place: 'b.conf',
      findings: [
        expiry('cert-expired', 'CN=scheduler', 3, 'bb'),
        expiry('cert-expiring', 'CN=apiserver', 12, 'aa'),
      ],
    },
    {
      place: 'c.crt',
      findings: [
        expiry('cert-expired', 'CN=front-proxy-client', 35, 'cc'),
        expiry('cert-expiring', 'CN=etcd', 2),
      ],
    },
  ];

  it('lists expired certificates first (longest ago first), then expiring ones (soonest first)', () => {
    const list = affectedCertificates(entries);
    assert.deepEqual(
      list.map((a) => `${a.subject}@${a.place}`),
      [
        'CN=front-proxy-client@c.crt',
        'CN=scheduler@b.conf',
        'CN=etcd@c.crt',
        'CN=apiserver@a.conf',
        'CN=apiserver@b.conf',
      ],
    );
  });

  it('counts a certificate once however many files hold it: "2 expired · 2 expiring"', () => {
    assert.deepEqual(expiryCounts(affectedCertificates(entries), key), { expired: 2, expiring: 2 });
  });

  it('notifies each certificate at most once a day', () => {
    const list = affectedCertificates(entries);
    const now = Date.parse('2026-03-01T12:00:00Z');
    const first = dueForNotification(list, {}, now, key);
    assert.equal(first.length, 4, 'the CA in two files once');
    const state = markNotified({}, first, now, key);
    assert.deepEqual(dueForNotification(list, state, now + NOTIFY_INTERVAL_MS - 1, key), []);
    assert.equal(dueForNotification(list, state, now + NOTIFY_INTERVAL_MS, key).length, 4);
  });

  it('forgets notification dates older than a month', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const state = markNotified({ old: now - 31 * DAY, recent: now - DAY }, [], now, key);
    assert.deepEqual(Object.keys(state), ['recent']);
  });
});
