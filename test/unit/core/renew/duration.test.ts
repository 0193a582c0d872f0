import { strict as assert } from 'node:assert';
import { backedUpFileName, backupFileName } from '../../../../src/core/renew/backup';
import { formatGoDuration, parseGoDuration } from '../../../../src/core/renew/duration';

describe('parseGoDuration / formatGoDuration', () => {
  it('reads Go durations', () => {
    assert.equal(parseGoDuration('8760h'), 8760 * 3600 * 1000);
    assert.equal(parseGoDuration('1h30m'), 90 * 60 * 1000);
    assert.equal(parseGoDuration('1.5h'), 90 * 60 * 1000);
    assert.equal(parseGoDuration('90s'), 90 * 1000);
    assert.equal(parseGoDuration('250ms'), 250);
  });

  it('rejects what Go rejects and non-positive values', () => {
    for (const bad of ['', '1', '1d', 'h', '1h 30m', '-1h', '0h', '1y'])
      assert.equal(parseGoDuration(bad), undefined, bad);
  });

  it('formats with hours as the largest unit', () => {
    assert.equal(formatGoDuration(8760 * 3600 * 1000), '8760h');
    assert.equal(formatGoDuration(90 * 60 * 1000 + 5000), '1h30m5s');
    assert.equal(parseGoDuration(formatGoDuration(123_456_000)), 123_456_000);
  });
});

describe('renewal backups', () => {
  it('names backups <file>.<UTC stamp>.bak and recognises them', () => {
    const now = new Date('2026-03-01T12:34:56.789Z');
    assert.equal(backupFileName('apiserver.crt', now), 'apiserver.crt.20260301123456.bak');
    assert.equal(backupFileName('admin.conf', now, 2), 'admin.conf.20260301123456-2.bak');
    assert.equal(backedUpFileName('apiserver.crt.20260301123456.bak'), 'apiserver.crt');
    assert.equal(backedUpFileName('admin.conf.20260301123456-2.bak'), 'admin.conf');
    assert.equal(backedUpFileName('apiserver.crt'), undefined);
  });
});
