import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { CertificateParseError, parseCertificate } from '../../../../src/core/x509/certificate';
import type { Certificate } from '../../../../src/core/x509/model';
import { x509 } from '../../../../src/core/x509/peculiar';
import { ED25519, P_384, RSA_1024, RSA_2048, makeCa, makeLeaf, type TestCert } from '../../../fixtures/certs';

const notBefore = new Date('2024-03-01T10:20:30Z');
const notAfter = new Date('2034-03-01T10:20:30Z');

const KEY_USAGE_FLAGS: Record<string, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
  encipherOnly: x509.KeyUsageFlags.encipherOnly,
  decipherOnly: x509.KeyUsageFlags.decipherOnly,
};
const EKU_OIDS: Record<string, string> = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };

/** RFC 5952 form of any IP text, for comparing renderings (the URL parser canonicalises IPv6). */
function canonicalIp(ip: string): string {
  return ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

function hexOf(buf: ArrayBuffer | Uint8Array): string {
  return Buffer.from(buf instanceof Uint8Array ? buf : new Uint8Array(buf)).toString('hex');
}

function opensslText(der: Uint8Array): string {
  return execFileSync('openssl', ['x509', '-inform', 'DER', '-noout', '-text'], { input: der }).toString();
}

/** Every model field against @peculiar/x509, node:crypto's X509Certificate and `openssl x509 -text`. */
function crossCheck(t: TestCert): void {
  const c = t.cert;
  const p = new x509.X509Certificate(new Uint8Array(t.der));
  const n = new X509Certificate(t.der);
  const text = opensslText(t.der);

  assert.deepEqual(c.der, t.der);
  assert.equal(c.version, Number(/Version: (\d+)/.exec(text)?.[1]));
  assert.equal(c.serialHex, p.serialNumber.toLowerCase());
  assert.equal(c.serialHex, n.serialNumber.toLowerCase());

  for (const [mine, theirs] of [
    [c.subject, p.subjectName],
    [c.issuer, p.issuerName],
  ] as const) {
    const rdns = theirs.toJSON().map((rdn) => Object.values(rdn).flat());
    assert.deepEqual(
      mine.rdns.map((rdn) => rdn.map((a) => a.value)),
      rdns,
    );
    const asn = (theirs as unknown as { asn: { type: string }[][] }).asn;
    assert.deepEqual(
      mine.rdns.map((rdn) => rdn.map((a) => a.oid)),
      Array.from(asn, (rdn) => Array.from(rdn, (a) => a.type)),
    );
    assert.equal(mine.derHex, hexOf(theirs.toArrayBuffer()));
    // peculiar prints RDNs in DER order with the same escaping; ours is RFC 4514 order (reversed).
    assert.equal(
      mine.display,
      theirs
        .toString()
        .split(/(?<!\\), /)
        .reverse()
        .join(', '),
    );
  }
  assert.equal(
    c.subject.rdns.map((r) => r.map((a) => `${a.type}=${a.value}`).join('+')).join('\n'),
    unescape(n.subject),
  );
  assert.equal(
    c.issuer.rdns.map((r) => r.map((a) => `${a.type}=${a.value}`).join('+')).join('\n'),
    unescape(n.issuer),
  );

  assert.equal(c.notBefore.getTime(), p.notBefore.getTime());
  assert.equal(c.notAfter.getTime(), p.notAfter.getTime());
  assert.equal(c.notBefore.getTime(), new Date(n.validFrom).getTime());
  assert.equal(c.notAfter.getTime(), new Date(n.validTo).getTime());

  const sanExt = p.getExtension(x509.SubjectAlternativeNameExtension);
  const theirSans = { dns: [] as string[], ip: [] as string[], email: [] as string[], uri: [] as string[] };
  for (const name of sanExt?.names.items ?? []) {
    const types: Record<string, keyof typeof theirSans> = {
      dns: 'dns',
      ip: 'ip',
      email: 'email',
      url: 'uri',
    };
    const key = types[name.type];
    if (key) theirSans[key].push(key === 'ip' ? canonicalIp(name.value) : name.value);
  }
  assert.deepEqual({ ...c.sans, ip: c.sans.ip.map(canonicalIp) }, theirSans);
  const nodeSans = (n.subjectAltName ?? '').split(', ').filter(Boolean);
  assert.deepEqual(
    nodeSans,
    [
      ...c.sans.dns.map((v) => `DNS:${v}`),
      ...c.sans.ip.map((v) => `IP Address:${v.includes(':') ? expandIpv6(v) : v}`),
      ...c.sans.email.map((v) => `email:${v}`),
      ...c.sans.uri.map((v) => `URI:${v}`),
    ].sort(sanOrder(nodeSans)),
  );

  assert.deepEqual(c.publicKey.spkiDer, new Uint8Array(p.publicKey.rawData));
  assert.deepEqual(Buffer.from(c.publicKey.spkiDer), n.publicKey.export({ type: 'spki', format: 'der' }));
  const details = n.publicKey.asymmetricKeyDetails ?? {};
  const expectedAlgorithm = { rsa: 'RSA', ec: 'EC', ed25519: 'Ed25519', ed448: 'Ed448' }[
    n.publicKey.asymmetricKeyType as 'rsa'
  ];
  assert.equal(c.publicKey.algorithm, expectedAlgorithm);
  if (c.publicKey.algorithm === 'RSA') assert.equal(c.publicKey.bits, details.modulusLength);
  if (c.publicKey.algorithm === 'EC') {
    assert.equal(c.publicKey.curve, (p.publicKey.algorithm as EcKeyAlgorithm).namedCurve);
    assert.equal(c.publicKey.bits, Number(/Public-Key: \((\d+) bit\)/.exec(text)?.[1]));
  }
  assert.equal(
    c.spkiPin,
    'sha256:' +
      createHash('sha256')
        .update(n.publicKey.export({ type: 'spki', format: 'der' }))
        .digest('hex'),
  );

  const sigAlg = p.signatureAlgorithm as { name: string; hash?: { name: string } };
  assert.equal(c.signatureAlgorithm.hash, sigAlg.hash?.name);
  assert.equal(
    c.signatureAlgorithm.name.toLowerCase(),
    /Signature Algorithm: (\S+)/.exec(text)?.[1].toLowerCase(),
  );
  assert.deepEqual(c.signatureValue, new Uint8Array(p.signature));

  const ku = p.getExtension(x509.KeyUsagesExtension);
  assert.equal(c.keyUsage === undefined, ku === null);
  if (ku) {
    const flags = (c.keyUsage ?? []).reduce((acc, name) => acc | KEY_USAGE_FLAGS[name], 0);
    assert.equal(flags, ku.usages);
  }
  const eku = p.getExtension(x509.ExtendedKeyUsageExtension);
  assert.deepEqual(
    c.extKeyUsage?.map((u) => EKU_OIDS[u] ?? u),
    eku ? Array.from(eku.usages) : undefined,
  );
  assert.deepEqual(
    c.extKeyUsage?.map((u) => EKU_OIDS[u] ?? u),
    n.keyUsage,
  );
  const bc = p.getExtension(x509.BasicConstraintsExtension);
  assert.deepEqual(
    c.basicConstraints,
    bc ? { ca: bc.ca, ...(bc.pathLength === undefined ? {} : { pathLen: bc.pathLength }) } : undefined,
  );
  assert.equal(c.basicConstraints?.ca ?? false, n.ca);
  assert.equal(c.subjectKeyId, p.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
  assert.equal(c.authorityKeyId, p.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId);

  assert.equal(c.sha256Fingerprint, n.fingerprint256.replace(/:/g, '').toLowerCase());
  assert.equal(c.sha1Fingerprint, n.fingerprint.replace(/:/g, '').toLowerCase());

  const cns = p.subjectName.getField('CN');
  assert.deepEqual(c.identity, { user: cns[cns.length - 1] ?? '', groups: p.subjectName.getField('O') });
  assert.equal(c.isSelfIssued, p.subject === p.issuer);
}

/** node:crypto escapes RFC 2253 specials in its one-RDN-per-line rendering. */
function unescape(name: string): string {
  return name.replace(/\\(.)/g, '$1');
}

function expandIpv6(ip: string): string {
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g, 16).toString(16).toUpperCase()).join(':');
}

/** Node lists SANs in certificate order; ours are grouped by type: compare as sets in node's order. */
function sanOrder(reference: string[]): (a: string, b: string) => number {
  return (a, b) => reference.indexOf(a) - reference.indexOf(b);
}

describe('parseCertificate', () => {
  const set: Record<string, TestCert> = {};

  before(async function () {
    this.timeout(120_000);
    const dates = { notBefore, notAfter };
    set.rsaCa = await makeCa({ cn: 'kubernetes', key: RSA_2048, pathLen: 1, ...dates });
    set.rsa1024Sha1 = await makeLeaf({
      issuer: set.rsaCa,
      cn: 'weak',
      key: RSA_1024,
      signatureHash: 'SHA-1',
      eku: ['serverAuth'],
      ...dates,
    });
    set.p256Ca = await makeCa({ cn: 'etcd-ca', o: ['etcd'], ...dates });
    set.p256Leaf = await makeLeaf({
      issuer: set.p256Ca,
      cn: 'kube-apiserver',
      sans: {
        dns: ['kubernetes', 'kubernetes.default.svc.cluster.local'],
        ip: ['10.96.0.1', '::1', '2001:db8::8a2e:370:7334', 'fe80::1:0:0:0'],
        email: ['ops@example.com'],
        uri: ['spiffe://cluster.local/ns/default/sa/api'],
      },
      eku: ['serverAuth'],
      markNotCa: true,
      ...dates,
    });
    set.p384Sha384 = await makeLeaf({
      issuer: set.p256Ca,
      cn: 'p384',
      key: P_384,
      signatureHash: 'SHA-384',
      ...dates,
    });
    set.ecdsaSha1 = await makeLeaf({ issuer: set.p256Ca, cn: 'sha1', signatureHash: 'SHA-1', ...dates });
    set.multiO = await makeLeaf({
      issuer: set.rsaCa,
      cn: 'kubernetes-admin',
      o: ['system:masters', 'kubeadm:cluster-admins', 'team, "x" <y>'],
      ou: ['ops'],
      eku: ['clientAuth', 'serverAuth', '1.2.3.4.5'],
      ...dates,
    });
    set.ed25519Ca = await makeCa({ cn: 'ed-ca', key: ED25519, pathLen: 0, ...dates });
    set.ed25519Leaf = await makeLeaf({ issuer: set.ed25519Ca, cn: 'ed-leaf', key: ED25519, ...dates });
    set.farDates = await makeLeaf({
      issuer: set.p256Ca,
      cn: 'far',
      notBefore: new Date('1999-12-31T23:59:59Z'),
      notAfter: new Date('2051-06-01T00:00:00Z'),
      serialHex: '00ff01',
    });
  });

  for (const name of [
    'rsaCa',
    'rsa1024Sha1',
    'p256Ca',
    'p256Leaf',
    'p384Sha384',
    'ecdsaSha1',
    'multiO',
    'ed25519Ca',
    'ed25519Leaf',
    'farDates',
  ]) {
    it(`agrees with @peculiar/x509, node:crypto and openssl on every field: ${name}`, () =>
      crossCheck(set[name]));
  }

  it('reads the usual fields as Kubernetes sees them', () => {
    const c = set.multiO.cert;
    assert.equal(c.version, 3);
    assert.deepEqual(c.identity, {
      user: 'kubernetes-admin',
      groups: ['system:masters', 'kubeadm:cluster-admins', 'team, "x" <y>'],
    });
    assert.equal(
      c.subject.display,
      'CN=kubernetes-admin, OU=ops, O=team\\, \\"x\\" \\<y\\>, O=kubeadm:cluster-admins, O=system:masters',
    );
    assert.deepEqual(c.extKeyUsage, ['clientAuth', 'serverAuth', '1.2.3.4.5']);
    assert.equal(c.publicKey.algorithm, 'EC');
    assert.equal(c.signatureAlgorithm.name, 'sha256WithRSAEncryption');
    assert.deepEqual(set.rsaCa.cert.basicConstraints, { ca: true, pathLen: 1 });
    assert.equal(set.rsaCa.cert.isSelfIssued, true);
    assert.equal(set.rsaCa.cert.publicKey.bits, 2048);
    assert.equal(set.rsa1024Sha1.cert.publicKey.bits, 1024);
    assert.equal(set.rsa1024Sha1.cert.signatureAlgorithm.hash, 'SHA-1');
    assert.deepEqual(set.p256Leaf.cert.sans.ip, [
      '10.96.0.1',
      '::1',
      '2001:db8::8a2e:370:7334',
      'fe80::1:0:0:0',
    ]);
    assert.deepEqual(set.p256Leaf.cert.basicConstraints, { ca: false });
    assert.deepEqual(set.ed25519Leaf.cert.publicKey.algorithm, 'Ed25519');
    assert.equal(set.ed25519Leaf.cert.signatureAlgorithm.hash, undefined);
    assert.equal(set.farDates.cert.serialHex, 'ff01');
    assert.equal(set.farDates.cert.notBefore.toISOString(), '1999-12-31T23:59:59.000Z');
    assert.equal(set.farDates.cert.notAfter.toISOString(), '2051-06-01T00:00:00.000Z');
    assert.equal(set.p256Leaf.cert.sans.uri[0], 'spiffe://cluster.local/ns/default/sa/api');
  });

  it('computes the SPKI pin exactly as the kubeadm docs pipeline does', () => {
    const pipeline =
      'openssl x509 -pubkey -noout | openssl pkey -pubin -outform der 2>/dev/null | openssl dgst -sha256 -hex | sed "s/^.* //"';
    for (const t of [set.rsaCa, set.p256Ca]) {
      const out = execFileSync('sh', ['-c', pipeline], { input: t.certPem }).toString().trim();
      assert.equal(t.cert.spkiPin, `sha256:${out}`);
    }
  });

  it('renders IPv4-mapped IPv6 SANs as Go does', async () => {
    const t = await makeLeaf({
      issuer: set.p256Ca,
      cn: 'mapped',
      sans: { ip: ['::ffff:a01:203', '1:2:3:4:5:6:7:8'] },
      notBefore,
      notAfter,
    });
    assert.deepEqual(t.cert.sans.ip, ['10.1.2.3', '1:2:3:4:5:6:7:8']);
  });

  it('rejects truncated, padded and garbage input with CertificateParseError', () => {
    const der = set.p256Leaf.der;
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      der.subarray(0, der.length - 1),
      new Uint8Array([...der, 0]),
      new Uint8Array([0x30, 0x80, 0, 0]),
      new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]),
      new TextEncoder().encode('not a certificate'),
    ];
    for (const bad of cases) {
      assert.throws(() => parseCertificate(bad), CertificateParseError);
    }
  });

  it('never reads past a corrupted length anywhere in the certificate', () => {
    const der = set.multiO.der;
    for (let i = 0; i < der.length; i++) {
      for (const value of [0x00, 0x7f, 0x81, 0xff]) {
        const bad = new Uint8Array(der);
        bad[i] = value;
        try {
          const c: Certificate = parseCertificate(bad);
          assert.ok(c.tbsDer.length <= bad.length);
        } catch (err) {
          assert.ok(err instanceof CertificateParseError, `byte ${i}=${value}: ${String(err)}`);
        }
      }
    }
  });
});
