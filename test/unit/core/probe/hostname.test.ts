// Expectations are Go 1.23's Certificate.VerifyHostname results (crypto/x509/verify.go), observed
// with a small Go program over the same SANs and hosts; the error texts are Go's HostnameError.
import assert from 'node:assert/strict';
import { parseGoIp, verifyHostname } from '../../../../src/core/probe/hostname';
import { probeTarget, sniFor } from '../../../../src/core/probe/target';
import { addDays, makeCa, makeLeaf } from '../../../fixtures/certs';

function names(dns: string[], ip: string[], cn = '') {
  return {
    sans: { dns, ip, email: [], uri: [] },
    subject: {
      rdns: cn ? [[{ oid: '2.5.4.3', type: 'CN', value: cn }]] : [],
      display: cn ? `CN=${cn}` : '',
      derHex: '',
    },
  };
}

// [DNS SANs, IP SANs, CN, host, Go's error or null]
const GO_CASES: [string[], string[], string, string, string | null][] = [
  [['kubernetes', 'kubernetes.default'], ['10.96.0.1', '127.0.0.1'], 'kube-apiserver', '127.0.0.1', null],
  [
    ['kubernetes'],
    ['10.96.0.1'],
    'kube-apiserver',
    '127.0.0.1',
    'x509: certificate is valid for 10.96.0.1, not 127.0.0.1',
  ],
  [
    ['127.0.0.1'],
    [],
    'kube-apiserver',
    '127.0.0.1',
    "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
  ],
  [['localhost'], ['::1'], '', '[::1]', null],
  [['localhost'], ['::1'], '', '0:0:0:0:0:0:0:1', null],
  [[], ['127.0.0.1'], '', '::ffff:127.0.0.1', null],
  [['*.example.com'], [], '', 'api.example.com', null],
  [
    ['*.example.com'],
    [],
    '',
    'a.b.example.com',
    'x509: certificate is valid for *.example.com, not a.b.example.com',
  ],
  [['*.example.com'], [], '', 'example.com', 'x509: certificate is valid for *.example.com, not example.com'],
  [['*.Example.COM'], [], '', 'API.example.com.', null],
  [
    ['api.example.com.'],
    [],
    '',
    'api.example.com',
    'x509: certificate is valid for api.example.com., not api.example.com',
  ],
  [
    ['a*.example.com'],
    [],
    '',
    'ab.example.com',
    'x509: certificate is valid for a*.example.com, not ab.example.com',
  ],
  [['a*.example.com'], [], '', 'a*.example.com', null],
  [['*'], [], '', 'localhost', 'x509: certificate is valid for *, not localhost'],
  [['under_score.local'], [], '', 'UNDER_SCORE.local', null],
  [['*.example.com'], [], '', '*.example.com', null],
  [['-bad.example.com'], [], '', '-bad.example.com', null],
  [
    [],
    [],
    'api.example.com',
    'api.example.com',
    'x509: certificate relies on legacy Common Name field, use SANs instead',
  ],
  [
    [],
    [],
    'other',
    'api.example.com',
    'x509: certificate is not valid for any names, but wanted to match api.example.com',
  ],
  [
    [],
    [],
    'other',
    '10.0.0.1',
    "x509: cannot validate certificate for 10.0.0.1 because it doesn't contain any IP SANs",
  ],
  [
    ['kubernetes'],
    [],
    '',
    '10.0.0.1',
    "x509: cannot validate certificate for 10.0.0.1 because it doesn't contain any IP SANs",
  ],
  [
    [],
    ['10.0.0.1', 'fd00::1'],
    '',
    'kubernetes',
    'x509: certificate is not valid for any names, but wanted to match kubernetes',
  ],
  [['a', 'b'], ['10.0.0.1'], '', 'c', 'x509: certificate is valid for a, b, not c'],
  // Go 1.17+ does not parse IPv4 with leading zeros: the host is then a (DNS) name.
  [
    [],
    ['10.0.0.1'],
    '',
    '010.0.0.1',
    'x509: certificate is not valid for any names, but wanted to match 010.0.0.1',
  ],
  [['010.0.0.1'], ['10.0.0.1'], '', '010.0.0.1', null],
];

describe('probe: Go hostname verification', () => {
  for (const [dns, ip, cn, host, expected] of GO_CASES) {
    it(`${JSON.stringify(dns)} ${JSON.stringify(ip)} CN=${cn || '-'} for ${host}`, () => {
      const result = verifyHostname(names(dns, ip, cn), host);
      if (expected === null) assert.equal(result.ok, true, result.ok ? '' : result.error);
      else assert.deepEqual(result, { ok: false, error: expected });
    });
  }

  it('reads the SANs of a real certificate (IP SAN for the apiserver address, wildcard DNS)', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const ca = await makeCa({ cn: 'kubernetes', notBefore: addDays(now, -1), notAfter: addDays(now, 3650) });
    const leaf = await makeLeaf({
      cn: 'kube-apiserver',
      issuer: ca,
      notBefore: addDays(now, -1),
      notAfter: addDays(now, 365),
      sans: { dns: ['kubernetes', '*.apps.example.com'], ip: ['10.96.0.1', '192.168.1.10'] },
    });
    assert.equal(verifyHostname(leaf.cert, '192.168.1.10').ok, true);
    assert.equal(verifyHostname(leaf.cert, 'x.apps.example.com').ok, true);
    assert.deepEqual(verifyHostname(leaf.cert, '127.0.0.1'), {
      ok: false,
      error: 'x509: certificate is valid for 10.96.0.1, 192.168.1.10, not 127.0.0.1',
    });
  });

  it('parses IPs as net.ParseIP does', () => {
    assert.ok(parseGoIp('127.0.0.1'));
    assert.ok(parseGoIp('::1'));
    assert.ok(parseGoIp('::ffff:10.0.0.1'));
    assert.ok(parseGoIp('fd00:0:0:0:0:0:0:1'));
    for (const bad of [
      '010.0.0.1',
      '1.2.3',
      '256.1.1.1',
      'fe80::1%eth0',
      '1::2::3',
      'kubernetes',
      '1:2:3:4:5:6:7:8:9',
    ]) {
      assert.equal(parseGoIp(bad), undefined, bad);
    }
  });
});

describe('probe: target and tls-server-name', () => {
  it('verifies the URL host, sends it as SNI unless it is an IP', () => {
    const ip = probeTarget('https://127.0.0.1:6443');
    assert.ok(ip.ok);
    assert.deepEqual(ip.target, {
      server: 'https://127.0.0.1:6443',
      host: '127.0.0.1',
      port: 6443,
      verifyName: '127.0.0.1',
    });
    const name = probeTarget('https://api.example.com');
    assert.ok(name.ok);
    assert.equal(name.target.port, 443);
    assert.equal(name.target.sni, 'api.example.com');
    const v6 = probeTarget('https://[::1]:6443');
    assert.ok(v6.ok);
    assert.equal(v6.target.host, '::1');
    assert.equal(v6.target.sni, undefined);
  });

  it('tls-server-name replaces the verification name and the SNI, not the address', () => {
    const target = probeTarget('https://127.0.0.1:6443', 'kubernetes.default.svc');
    assert.ok(target.ok);
    assert.equal(target.target.host, '127.0.0.1');
    assert.equal(target.target.verifyName, 'kubernetes.default.svc');
    assert.equal(target.target.sni, 'kubernetes.default.svc');
    assert.equal(target.target.tlsServerName, 'kubernetes.default.svc');
    // An IP as tls-server-name: verified against IP SANs, never sent as SNI (crypto/tls hostnameInSNI).
    const byIp = probeTarget('https://api.example.com', '10.96.0.1');
    assert.ok(byIp.ok);
    assert.equal(byIp.target.sni, undefined);
    assert.equal(sniFor('api.example.com.'), 'api.example.com');
  });

  it('takes a server without scheme as https and refuses plain http', () => {
    const bare = probeTarget('10.0.0.1:6443');
    assert.ok(bare.ok);
    assert.equal(bare.target.port, 6443);
    const http = probeTarget('http://127.0.0.1:8080');
    assert.equal(http.ok, false);
  });
});
