// The hover on `server:` as plain-Node text, in English and Chinese: the verdict lines, each
// presented certificate, the findings and the "Check again" link; an unreachable server says why.
import assert from 'node:assert/strict';
import { probeFindings } from '../../../../src/core/probe/findings';
import { probeTarget } from '../../../../src/core/probe/target';
import { servedVerdict, type ProbeObservation, type ProbeTrust } from '../../../../src/core/probe/verdict';
import { servedMarkdown } from '../../../../src/extension/probe/markdown';
import { addDays, makeCa, makeLeaf } from '../../../fixtures/certs';
import { englishHover, zhCnHover } from '../hover/helpers';

const now = new Date('2026-06-01T00:00:00Z');

function plain(markdown: string): string {
  return markdown.replace(/\\(.)/g, '$1');
}

describe('hover on server: (markdown)', () => {
  let observation: ProbeObservation;
  let trust: ProbeTrust;

  before(async () => {
    const ca = await makeCa({
      cn: 'kubernetes',
      notBefore: addDays(now, -100),
      notAfter: addDays(now, 3000),
    });
    const leaf = await makeLeaf({
      cn: 'kube-apiserver',
      issuer: ca,
      notBefore: addDays(now, -100),
      notAfter: addDays(now, 10),
      sans: { dns: ['kubernetes'], ip: ['10.96.0.1'] },
      eku: ['serverAuth'],
    });
    const target = probeTarget('https://127.0.0.1:6443');
    assert.ok(target.ok);
    observation = {
      target: target.target,
      at: addDays(now, -0.001),
      presented: [leaf.cert],
      protocol: 'TLSv1.3',
    };
    trust = { anchors: [ca.cert], source: 'cluster-ca', label: 'certificate-authority-data' };
  });

  function render(text = englishHover, obs = observation): string {
    const verdict = servedVerdict(obs, trust, now, 30);
    const findings = probeFindings(
      obs,
      trust,
      verdict,
      { file: '/k.conf', span: { start: 0, end: 1 } },
      { warnDays: 30, enabled: () => true },
    );
    return plain(
      servedMarkdown(
        { observation: obs, trust, verdict, findings, checkAgain: ['file:///k.conf', 'prod'] },
        now,
        text,
      ),
    );
  }

  it('says what was served and why kubectl would refuse it', () => {
    const text = render();
    assert.match(text, /\*\*Served certificate\*\* `https:\/\/127.0.0.1:6443` — checked .* ago \(TLSv1\.3\)/);
    assert.ok(
      text.includes('$(pass) Chain verifies against `certificate-authority-data` (`CN=kubernetes`)'),
      text,
    );
    assert.ok(text.includes('$(error) `127.0.0.1` is not covered'), text);
    assert.ok(
      text.includes('kubectl would fail with: `x509: certificate is valid for 10.96.0.1, not 127.0.0.1`'),
      text,
    );
    assert.ok(text.includes('`server-name-mismatch`'), text);
    assert.ok(text.includes('`server-cert-expiring`'), text);
    assert.ok(text.includes('**Certificate**: `CN=kube-apiserver`'), text);
    assert.ok(
      text.includes(
        `command:kubecerts.probe.checkAgain?${encodeURIComponent(JSON.stringify(['file:///k.conf', 'prod']))}`,
      ),
      text,
    );
  });

  it('speaks Chinese with the zh-cn bundle', () => {
    const text = render(zhCnHover);
    assert.ok(text.includes('服务器提供的证书'), text);
    assert.ok(text.includes('重新检查'), text);
    assert.ok(text.includes('未被覆盖'), text);
  });

  it('an unreachable server: the error and the link, no verdict', () => {
    const text = render(englishHover, {
      ...observation,
      presented: [],
      error: 'timed out after 5 s (TLS handshake)',
    });
    assert.ok(text.includes('could not be checked: timed out after 5 s (TLS handshake)'), text);
    assert.ok(!text.includes('Chain verifies'), text);
    assert.ok(text.includes('Check again'), text);
  });
});
