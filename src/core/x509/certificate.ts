// The lean X.509 decoder: DER → Certificate in one pass over the bytes, no ASN.1 schema objects.
// This is the audit's hot path (thousands of certificates), so it reads offsets and slices views;
// the fields it shares with PKCS#10 requests are read in names.ts, algorithms.ts and extensions.ts.
// @peculiar/x509 stays for rendering and issuance, and the tests check that both agree.
import { createHash } from 'node:crypto';
import {
  DerError,
  DerReader,
  Tag,
  bitString,
  hex,
  integerBytes,
  smallInteger,
  whole,
  type DerElement,
} from './der';
import { goSpkiProblem } from './goKeys';
import { parseSignatureAlgorithm, parseSpki, readPssParams } from './algorithms';
import { NO_SANS, parseExtensions, type Extensions } from './extensions';
import { goNameProblem, parseName } from './names';
import type { Certificate, DistinguishedName } from './model';
import { COMMON_NAME_OID, ORGANIZATION_OID } from './oids';

export class CertificateParseError extends Error {
  constructor(message: string) {
    super(`not a valid X.509 certificate: ${message}`);
    this.name = 'CertificateParseError';
  }
}

/** Decodes one DER certificate (the bytes must hold exactly one). Throws CertificateParseError. */
export function parseCertificate(der: Uint8Array): Certificate {
  try {
    return parse(der);
  } catch (err) {
    if (err instanceof DerError) throw new CertificateParseError(err.message);
    throw err;
  }
}

/** RSA-PSS parameters of the certificate's signature (RFC 4055 defaults: SHA-1, salt 20). */
export function pssParameters(cert: Certificate): { hash: string; saltLength: number } {
  const outer = new DerReader(cert.der);
  const r = outer.enter(outer.expect(Tag.SEQUENCE, 'Certificate'));
  r.read();
  const alg = r.enter(r.expect(Tag.SEQUENCE, 'signatureAlgorithm'));
  alg.expect(Tag.OID, 'algorithm');
  return readPssParams(cert.der, alg);
}

function parse(der: Uint8Array): Certificate {
  const top = new DerReader(der);
  const certEl = top.expect(Tag.SEQUENCE, 'Certificate SEQUENCE');
  top.finish('the certificate');
  const cr = top.enter(certEl);
  const tbsEl = cr.expect(Tag.SEQUENCE, 'tbsCertificate');
  const outerAlgEl = cr.expect(Tag.SEQUENCE, 'signatureAlgorithm');
  // Go does not look past the signature inside the Certificate SEQUENCE.
  const sigEl = cr.expect(Tag.BIT_STRING, 'signatureValue');
  const sig = bitString(der, sigEl);

  const t = cr.enter(tbsEl);
  let version = 1;
  const versionEl = t.optional(0xa0);
  if (versionEl) {
    const vr = t.enter(versionEl);
    version = smallInteger(der, vr.expect(Tag.INTEGER, 'version')) + 1;
    vr.finish('version');
    if (version > 3) throw new CertificateParseError(`unknown version ${version}`);
  }
  const serialBytes = integerBytes(der, t.expect(Tag.INTEGER, 'serialNumber'));
  const serialHex = serialToHex(serialBytes);
  const innerAlgEl = t.expect(Tag.SEQUENCE, 'signature algorithm');
  if (!sameBytes(der, innerAlgEl, outerAlgEl)) {
    throw new CertificateParseError('signature algorithm inside and outside the signed part differ');
  }
  const issuer = parseName(der, t, 'issuer');
  const vr = t.enter(t.expect(Tag.SEQUENCE, 'validity'));
  const notBefore = parseTime(der, vr.read());
  const notAfter = parseTime(der, vr.read());
  vr.finish('validity');
  const subject = parseName(der, t, 'subject');
  const publicKey = parseSpki(der, t, t.expect(Tag.SEQUENCE, 'subjectPublicKeyInfo'));
  // As Go: unique ids from version 2, extensions in version 3 only, and whatever follows is ignored.
  let extEl: DerElement | undefined;
  if (version > 1) {
    t.optional(0x81);
    t.optional(0x82);
    if (version === 3) extEl = t.optional(0xa3);
  }
  // Go reads extensions of version 3 certificates only; in older ones they mean nothing.
  const ext: Extensions = extEl ? readExtensionsField(der, t, extEl) : { sans: NO_SANS };
  const signatureAlgorithm = parseSignatureAlgorithm(der, cr.enter(outerAlgEl));
  const goRejects =
    (serialBytes[0] >= 0x80 ? 'x509: negative serial number' : undefined) ??
    goNameProblem(issuer) ??
    goNameProblem(subject) ??
    goSpkiProblem(publicKey.spkiDer) ??
    ext.goRejects;

  let sha1: string | undefined;
  let pin: string | undefined;
  return {
    der,
    tbsDer: whole(der, tbsEl),
    signatureValue: sig.bytes,
    version,
    serialHex,
    subject,
    issuer,
    notBefore,
    notAfter,
    sans: ext.sans,
    publicKey,
    signatureAlgorithm,
    keyUsage: ext.keyUsage,
    extKeyUsage: ext.extKeyUsage,
    basicConstraints: ext.basicConstraints,
    subjectKeyId: ext.subjectKeyId,
    authorityKeyId: ext.authorityKeyId,
    sha256Fingerprint: createHash('sha256').update(der).digest('hex'),
    // Own enumerable getters (JSON and deepEqual still see them), computed on first read: the bulk
    // audit never reads them.
    get sha1Fingerprint() {
      return (sha1 ??= createHash('sha1').update(der).digest('hex'));
    },
    get spkiPin() {
      return (pin ??= 'sha256:' + createHash('sha256').update(publicKey.spkiDer).digest('hex'));
    },
    identity: identityOf(subject),
    isSelfIssued: subject.derHex === issuer.derHex,
    ...(goRejects !== undefined ? { goRejects } : {}),
    ...(ext.unhandledCritical ? { unhandledCriticalExtensions: ext.unhandledCritical } : {}),
    ...(ext.nameConstraints ? { nameConstraints: ext.nameConstraints } : {}),
    ...(ext.sanHex !== undefined ? { sanExtensionHex: ext.sanHex } : {}),
  };
}

function sameBytes(buf: Uint8Array, a: DerElement, b: DerElement): boolean {
  const len = a.end - a.start;
  if (len !== b.end - b.start) return false;
  for (let i = 0; i < len; i++) if (buf[a.start + i] !== buf[b.start + i]) return false;
  return true;
}

/** openssl's rendering: magnitude in hex, leading zero bytes dropped, "-" for (non-conforming) negatives. */
function serialToHex(bytes: Uint8Array): string {
  if (bytes[0] >= 0x80) {
    const magnitude = (1n << BigInt(bytes.length * 8)) - BigInt('0x' + hex(bytes));
    const h = magnitude.toString(16);
    return '-' + (h.length % 2 ? '0' + h : h);
  }
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return hex(bytes.subarray(i));
}

/** Kubernetes (Go's pkix.Name): the last CN is the user, every O a group, in order. */
function identityOf(subject: DistinguishedName): { user: string; groups: string[] } {
  let user = '';
  const groups: string[] = [];
  for (const rdn of subject.rdns) {
    for (const attr of rdn) {
      if (attr.oid === COMMON_NAME_OID) user = attr.value;
      else if (attr.oid === ORGANIZATION_OID) groups.push(attr.value);
    }
  }
  return { user, groups };
}

/** tbsCertificate's `[3] EXPLICIT Extensions`. */
function readExtensionsField(der: Uint8Array, parent: DerReader, extEl: DerElement): Extensions {
  const wrapper = parent.enter(extEl);
  const listEl = wrapper.expect(Tag.SEQUENCE, 'extensions');
  wrapper.finish('extensions');
  return parseExtensions(der, wrapper, listEl);
}

// ---- time ----

function digits(buf: Uint8Array, at: number, count: number, el: DerElement): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) throw new DerError('time holds a non-digit', el.start);
    n = n * 10 + d;
  }
  return n;
}

function parseTime(der: Uint8Array, el: DerElement): Date {
  const len = el.end - el.contentStart;
  let p = el.contentStart;
  let year: number;
  if (el.tag === Tag.UTC_TIME && len === 13) {
    const yy = digits(der, p, 2, el);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    p += 2;
  } else if (el.tag === Tag.GENERALIZED_TIME && len === 15) {
    year = digits(der, p, 4, el);
    p += 4;
  } else {
    throw new DerError(
      'validity time must be UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ',
      el.start,
    );
  }
  const month = digits(der, p, 2, el);
  const day = digits(der, p + 2, 2, el);
  const hour = digits(der, p + 4, 2, el);
  const minute = digits(der, p + 6, 2, el);
  const second = digits(der, p + 8, 2, el);
  if (der[p + 10] !== 0x5a) throw new DerError('validity time must end in Z', el.start);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new DerError('validity time out of range', el.start);
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (date.getUTCDate() !== day)
    throw new DerError('validity time names a day that does not exist', el.start);
  if (year < 100) date.setUTCFullYear(year);
  return date;
}
