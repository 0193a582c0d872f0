// Go 1.23 crypto/x509 verdicts, one defect of issue 13 per test. The expected answers are Go's (see
// /usr/lib/go-1.23/src/crypto/x509/verify.go and parser.go); each case is also put to the oracle
// (test/oracle) so a wrong expectation here cannot pass silently.
// One file over 400 lines on purpose: one case per defect, all through one Go oracle process.
import { strict as assert } from 'node:assert';
import { Buffer } from 'node:buffer';
import { auditCertificateFiles } from '../../../../src/core/audit/files';
import { parseCertificate } from '../../../../src/core/x509/certificate';
import { verifyChain, type ChainUsage } from '../../../../src/core/x509/chain';
import { Oracle, goAvailable, type OracleParse, type OracleVerdict } from '../../../oracle/client';
import {
  bits,
  build,
  ext,
  int,
  keys,
  name,
  oid,
  seq,
  tlv,
  type Built,
  type CertSpec,
  type Extension,
} from '../../../oracle/build';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const valid = {
  notBefore: new Date(NOW.getTime() - 30 * DAY),
  notAfter: new Date(NOW.getTime() + 300 * DAY),
};
const CA = [ext.basicConstraints(true)];

function ca(cn: string, extra: Partial<CertSpec> = {}): Built {
  return build({ subject: name(cn), key: keys()['P-256'][0], ...valid, extensions: CA, ...extra });
}

function issued(cn: string, issuer: Built, extra: Partial<CertSpec> = {}): Built {
  return build({ subject: name(cn), key: keys()['P-256'][1], ...valid, issuer, ...extra });
}

let oracle: Oracle;

async function goSays(
  leaf: Built,
  roots: readonly Built[],
  intermediates: readonly Built[] = [],
  usage: ChainUsage = 'any',
): Promise<OracleVerdict> {
  const answer = await oracle.ask({
    leafPem: leaf.pem,
    rootsPem: roots.map((r) => r.pem).join(''),
    intermediatesPem: intermediates.map((r) => r.pem).join(''),
    usage,
    nowUnix: NOW.getTime() / 1000,
  });
  return answer.verify!;
}

function ours(
  leaf: Built,
  roots: readonly Built[],
  intermediates: readonly Built[] = [],
  usage: ChainUsage = 'any',
) {
  return verifyChain(
    parseCertificate(leaf.der),
    {
      anchors: roots.map((r) => parseCertificate(r.der)),
      intermediates: intermediates.map((r) => parseCertificate(r.der)),
    },
    NOW,
    { usage },
  );
}

/** Both verdicts, checked against the expected Go class and kubecerts code. */
async function expect(
  what: string,
  leaf: Built,
  roots: readonly Built[],
  intermediates: readonly Built[],
  goClass: string | 'OK',
  code: string | undefined,
  usage: ChainUsage = 'any',
) {
  const go = await goSays(leaf, roots, intermediates, usage);
  assert.equal(go.ok ? 'OK' : go.class, goClass, `${what}: Go says ${go.message ?? 'OK'}`);
  const verdict = ours(leaf, roots, intermediates, usage);
  assert.equal(
    verdict.verified,
    goClass === 'OK',
    `${what}: ${verdict.problems.map((p) => p.detail).join('; ')}`,
  );
  assert.equal(verdict.problems[0]?.code, code, what);
  return verdict;
}

describe('verifyChain gives Go 1.23 verdicts', function () {
  this.timeout(60_000);
  before(() => {
    assert.ok(goAvailable(), 'Go 1.23 missing (npm test installs it)');
    oracle = new Oracle();
  });
  after(() => oracle?.close());

  it('names the CA whose pathLen is exceeded and the CA that exceeds it', async () => {
    const root = ca('root');
    const i1 = issued('intermediate-1', root, {
      key: keys()['P-256'][1],
      extensions: [ext.basicConstraints(true, 0)],
    });
    const i2 = issued('intermediate-2', i1, { key: keys()['P-256'][2], extensions: CA });
    const leaf = issued('leaf', i2, { key: keys()['P-256'][3] });
    const v = await expect('pathLen', leaf, [root], [i1, i2], 'TooManyIntermediates', 'path-length-exceeded');
    const p = v.problems[0];
    assert.equal(p.certificate.subject.display, 'CN=intermediate-2');
    assert.equal(p.ca?.subject.display, 'CN=intermediate-1');
    assert.deepEqual(p.params, { subject: 'CN=intermediate-2', ca: 'CN=intermediate-1', limit: 0 });
    assert.match(p.detail, /"CN=intermediate-2" exceeds the path length limit of "CN=intermediate-1"/);
  });

  it('counts self-issued intermediates against pathLen, as Go does (unlike RFC 5280)', async () => {
    const root = ca('root', { extensions: [ext.basicConstraints(true, 0)] });
    const selfIssued = build({
      subject: name('root'),
      key: keys()['P-256'][1],
      ...valid,
      extensions: CA,
      issuer: root,
    });
    const leaf = issued('leaf', selfIssued, { key: keys()['P-256'][2] });
    await expect('self-issued', leaf, [root], [selfIssued], 'TooManyIntermediates', 'path-length-exceeded');
  });

  it('lets a valid signature verify under a mismatching AKI (key ids only order candidates)', async () => {
    const root = ca('root');
    const leaf = issued('leaf', root, { aki: new Uint8Array(20).fill(9) });
    await expect('aki mismatch', leaf, [root], [], 'OK', undefined);
  });

  it('tells who signed an expired leaf apart from whether the chain holds now', async () => {
    const root = ca('kubernetes');
    const leaf = issued('system:kube-scheduler', root, {
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2021-01-01T00:00:00Z'),
    });
    const v = await expect('expired leaf', leaf, [root], [], 'Expired', 'cert-expired');
    assert.equal(v.signedBy?.subject.display, 'CN=kubernetes');
    assert.deepEqual(
      v.problems.map((p) => p.code),
      ['cert-expired'],
    );
    const other = ca('kubernetes', { key: keys()['P-256'][2] });
    const unsigned = await expect('expired and regenerated CA', leaf, [other], [], 'Expired', 'cert-expired');
    assert.equal(unsigned.signedBy, undefined);
    assert.deepEqual(
      unsigned.problems.map((p) => p.code),
      ['cert-expired', 'bad-signature'],
    );
  });

  it('nests extended key usages through intermediates for the requested usage', async () => {
    const root = ca('root');
    const inter = issued('server-only-ca', root, {
      key: keys()['P-256'][2],
      extensions: [...CA, ext.eku(['1.3.6.1.5.5.7.3.1'])],
    });
    const leaf = issued('client', inter, {
      key: keys()['P-256'][3],
      extensions: [ext.eku(['1.3.6.1.5.5.7.3.2'])],
    });
    const v = await expect(
      'eku',
      leaf,
      [root],
      [inter],
      'IncompatibleUsage',
      'incompatible-key-usage',
      'clientAuth',
    );
    assert.deepEqual(v.problems[0].params, {
      subject: 'CN=client',
      usage: 'clientAuth',
      ca: 'CN=server-only-ca',
      allowed: 'serverAuth',
    });
    await expect('eku any', leaf, [root], [inter], 'OK', undefined, 'any');
    const anyLeaf = issued('any', inter, { key: keys()['P-256'][3], extensions: [ext.eku(['2.5.29.37.0'])] });
    await expect(
      'leaf any, CA server',
      anyLeaf,
      [root],
      [inter],
      'IncompatibleUsage',
      'incompatible-key-usage',
      'clientAuth',
    );
  });

  it('fails a chain with an unknown critical extension on any link', async () => {
    const root = ca('root');
    const inter = issued('inter', root, {
      key: keys()['P-256'][2],
      extensions: [...CA, ext.custom('1.3.6.1.4.1.99999.7', true)],
    });
    const leaf = issued('leaf', inter, { key: keys()['P-256'][3] });
    const v = await expect(
      'critical',
      leaf,
      [root],
      [inter],
      'UnhandledCriticalExtension',
      'unhandled-critical-extension',
    );
    assert.equal(v.problems[0].params?.extension, '1.3.6.1.4.1.99999.7');
    const nonCritical = issued('inter', root, {
      key: keys()['P-256'][2],
      extensions: [...CA, ext.custom('1.3.6.1.4.1.99999.7', false)],
    });
    await expect(
      'non-critical',
      issued('leaf', nonCritical, { key: keys()['P-256'][3] }),
      [root],
      [nonCritical],
      'OK',
      undefined,
    );
  });

  it('enforces DNS, IP, email and URI name constraints; directory names are an unhandled critical extension', async () => {
    const cases: [string, Extension, Extension, string | 'OK'][] = [
      [
        'dns in',
        ext.nameConstraints({ dns: ['example.com'] }, {}),
        ext.san({ dns: ['api.example.com'] }),
        'OK',
      ],
      [
        'dns out',
        ext.nameConstraints({ dns: ['example.com'] }, {}),
        ext.san({ dns: ['api.evil.org'] }),
        'CANotAuthorizedForThisName',
      ],
      [
        'dns excluded',
        ext.nameConstraints({}, { dns: ['evil.org'] }),
        ext.san({ dns: ['x.evil.org'] }),
        'CANotAuthorizedForThisName',
      ],
      [
        'ip out',
        ext.nameConstraints({ ip: ['10.0.0.0/8'] }, {}),
        ext.san({ ip: ['192.168.0.1'] }),
        'CANotAuthorizedForThisName',
      ],
      ['ip in', ext.nameConstraints({ ip: ['10.0.0.0/8'] }, {}), ext.san({ ip: ['10.9.8.7'] }), 'OK'],
      [
        'email out',
        ext.nameConstraints({ email: ['example.com'] }, {}),
        ext.san({ email: ['a@evil.org'] }),
        'CANotAuthorizedForThisName',
      ],
      [
        'uri out',
        ext.nameConstraints({ uri: ['.example.com'] }, {}),
        ext.san({ uri: ['spiffe://evil.org/x'] }),
        'CANotAuthorizedForThisName',
      ],
      [
        'dirname',
        ext.nameConstraints({ dirCn: ['kubernetes'] }, {}, true),
        ext.san({ dns: ['x'] }),
        'UnhandledCriticalExtension',
      ],
      [
        'dirname non-critical',
        ext.nameConstraints({ dirCn: ['kubernetes'] }, {}, false),
        ext.san({ dns: ['x'] }),
        'OK',
      ],
    ];
    for (const [what, nc, san, goClass] of cases) {
      const root = ca('root', { extensions: [...CA, nc] });
      const leaf = issued('leaf', root, { extensions: [san] });
      const code =
        goClass === 'OK'
          ? undefined
          : goClass === 'UnhandledCriticalExtension'
            ? 'unhandled-critical-extension'
            : 'name-constraint-violation';
      const v = await expect(what, leaf, [root], [], goClass, code);
      if (code === 'name-constraint-violation') assert.equal(v.problems[0].ca?.subject.display, 'CN=root');
    }
  });

  it('refuses SHA-1 and MD5 signatures on the chain but not the anchor’s own', async () => {
    const rsa = keys().RSA[0];
    const root = ca('root', { key: rsa, hash: 'sha1' });
    await expect('sha1 root', issued('leaf', root), [root], [], 'OK', undefined);
    const leaf = issued('leaf', root, { hash: 'sha1' });
    const v = await expect('sha1 leaf', leaf, [root], [], 'UnknownAuthority', 'weak-signature');
    assert.equal(v.signedBy?.subject.display, 'CN=root');
    await expect(
      'md5 leaf',
      issued('leaf', root, { hash: 'md5' }),
      [root],
      [],
      'UnknownAuthority',
      'weak-signature',
    );
  });

  it('trusts a version 1 root but not a version 3 root without basicConstraints', async () => {
    const v1 = ca('v1-root', { version: 1, extensions: [] });
    await expect('v1', issued('leaf', v1), [v1], [], 'OK', undefined);
    const v3 = ca('v3-root', { extensions: [] });
    await expect('v3 no bc', issued('leaf', v3), [v3], [], 'UnknownAuthority', 'issuer-not-ca');
  });

  it('marks certificates Go refuses to parse and never verifies them', async () => {
    const root = ca('root');
    const ecExplicit = explicitEcSpki();
    const cases: [string, Partial<CertSpec>][] = [
      ['negative serial', { serial: -5n }],
      ['critical AKI', { aki: false, extensions: [ext.aki(root.skid, true)] }],
      ['critical SKI', { ski: false, extensions: [ext.ski(new Uint8Array(20).fill(3), true)] }],
      ['critical AIA', { extensions: [ext.aia(true)] }],
      [
        'malformed AIA',
        { extensions: [{ oid: '1.3.6.1.5.5.7.1.1', value: seq(seq(tlv(0x02, Uint8Array.of(1)))) }] },
      ],
      ['empty name constraints', { extensions: [ext.nameConstraints({}, {}), ...CA] }],
      [
        'bad IP mask',
        {
          extensions: [
            {
              oid: '2.5.29.30',
              critical: true,
              value: seq(tlv(0xa0, seq(tlv(0x87, Uint8Array.of(10, 0, 0, 0, 255, 0, 255, 0))))),
            },
          ],
        },
      ],
      ['SAN URI with a bad host', { extensions: [ext.san({ uri: ['https://a..b/'] })] }],
      [
        'VisibleString name',
        { subject: seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x1a, Buffer.from('visible'))))) },
      ],
      ['explicit EC parameters', { key: { ...keys()['P-256'][1], spki: ecExplicit } }],
    ];
    for (const [what, spec] of cases) {
      const leaf = issued('leaf', root, spec);
      const cert = parseCertificate(leaf.der);
      assert.ok(cert.goRejects, `${what}: kubecerts should mark it`);
      assert.equal(cert.serialHex.length > 0, true, `${what}: fields are still decoded`);
      const [go] = (await oracle.ask({ parseDer: [Buffer.from(leaf.der).toString('base64')] }))
        .parse as OracleParse[];
      assert.equal(go.ok, false, `${what}: Go parses it`);
      await expect(what, leaf, [root], [], 'ParseError', 'invalid-certificate');
    }
  });

  it('handles 1 MB of same-name same-key CAs in under a second, as a file and as a chain', () => {
    // The classic path-building blow-up: self-issued CAs with one subject and one key, each able
    // to verify every other. As a file they are audited as anchors with the leaves beside them; as
    // the untrusted intermediates of a client certificate (kubeconfig client-certificate-data)
    // the leaf hits Go's budget of signature checks.
    const key = keys()['P-256'][0];
    const cas: Built[] = [];
    let text = '';
    while (text.length < 900_000) {
      const extensions = [...CA, ext.san({ dns: [`ca${cas.length}.example.com`] })];
      cas.push(build({ subject: name('loop-ca'), key, ...valid, extensions, issuer: cas[cas.length - 1] }));
      text += cas[cas.length - 1].pem;
    }
    const leaf = issued('leaf', cas[cas.length - 1], { key: keys()['P-256'][1] });
    while (text.length < 1_000_000)
      text += issued(`leaf-${text.length}`, cas[0], { key: keys()['P-256'][1] }).pem;
    const unrelated = ca('unrelated-root', { key: keys()['P-256'][2] });
    const bytes = new Uint8Array(Buffer.from(text));
    // Warm the code paths on a small input first: the budget is per input, in a running process.
    auditCertificateFiles([{ file: '/warm.pem', bytes: bytes.subarray(0, 20_000) }], { now: NOW });

    // CPU time, not wall time: the budget is about work done, and CI machines are shared.
    let started = cpuMs();
    const audit = auditCertificateFiles([{ file: '/bundle.pem', bytes }], { now: NOW });
    const auditMs = cpuMs() - started;
    assert.ok(audit.certificates.length > cas.length);

    started = cpuMs();
    const verdict = verifyChain(
      parseCertificate(leaf.der),
      { anchors: [parseCertificate(unrelated.der)], intermediates: cas.map((c) => parseCertificate(c.der)) },
      NOW,
    );
    const chainMs = cpuMs() - started;
    assert.equal(verdict.problems[0]?.code, 'chain-too-complex');
    assert.ok(auditMs < 1000, `file audit took ${auditMs.toFixed(0)} ms`);
    assert.ok(chainMs < 1000, `verifying against ${cas.length} intermediates took ${chainMs.toFixed(0)} ms`);
  });
});

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A P-256 SubjectPublicKeyInfo with the curve spelled out (ECParameters) instead of named. */
function explicitEcSpki(): Uint8Array {
  const named = keys()['P-256'][1].spki;
  const point = named.subarray(named.length - 65);
  const p = BigInt('0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff');
  const hex = (n: bigint, len: number) => Buffer.from(n.toString(16).padStart(len * 2, '0'), 'hex');
  const params = seq(
    int(1),
    seq(oid('1.2.840.10045.1.1'), int(p)),
    seq(
      tlv(0x04, hex(p - 3n, 32)),
      tlv(0x04, Buffer.from('5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b', 'hex')),
    ),
    tlv(
      0x04,
      Buffer.from(
        '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
        'hex',
      ),
    ),
    int(BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551')),
    int(1),
  );
  return seq(seq(oid('1.2.840.10045.2.1'), params), bits(point));
}
