// Public keys and signature algorithms (RFC 5280 §4.1.2.7, RFC 4055 for RSA-PSS) as certificates
// and PKCS#10 requests carry them, read with the lean DER reader. Malformed input throws DerError.
import {
  DerReader,
  Tag,
  bitString,
  decodeOid,
  integerBytes,
  smallInteger,
  whole,
  type DerElement,
} from './der';
import type { KeyAlgorithm, PublicKeyInfo, SignatureAlgorithm } from './model';
import { EC_CURVES, HASH_ALGORITHMS, KEY_ALGORITHMS, RSASSA_PSS_OID, SIGNATURE_ALGORITHMS } from './oids';

export function parseSpki(der: Uint8Array, parent: DerReader, spkiEl: DerElement): PublicKeyInfo {
  const r = parent.enter(spkiEl);
  const ar = r.enter(r.expect(Tag.SEQUENCE, 'public key algorithm'));
  const oid = decodeOid(der, ar.expect(Tag.OID, 'public key algorithm OID'));
  const paramEl = ar.done ? undefined : ar.read();
  ar.finish('public key parameters');
  // Go ignores anything after the key bits.
  const keyBits = bitString(der, r.expect(Tag.BIT_STRING, 'subjectPublicKey'));
  const spkiDer = whole(der, spkiEl);
  const algorithm: KeyAlgorithm = KEY_ALGORITHMS[oid] ?? 'unknown';
  if (algorithm === 'RSA') {
    const kr = new DerReader(keyBits.bytes, 0, keyBits.bytes.length, r.depth + 1);
    const seq = kr.expect(Tag.SEQUENCE, 'RSAPublicKey');
    kr.finish('RSAPublicKey');
    const modulus = integerBytes(keyBits.bytes, kr.enter(seq).expect(Tag.INTEGER, 'RSA modulus'));
    return { algorithm, bits: unsignedBitLength(modulus), spkiDer };
  }
  if (algorithm === 'EC') {
    if (paramEl?.tag !== Tag.OID) return { algorithm, spkiDer };
    const curveOid = decodeOid(der, paramEl);
    const curve = EC_CURVES[curveOid];
    return curve
      ? { algorithm, bits: curve.bits, curve: curve.name, spkiDer }
      : { algorithm, curve: curveOid, spkiDer };
  }
  return { algorithm, spkiDer };
}

function unsignedBitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

export function parseSignatureAlgorithm(der: Uint8Array, r: DerReader): SignatureAlgorithm {
  const oid = decodeOid(der, r.expect(Tag.OID, 'signature algorithm OID'));
  const info = SIGNATURE_ALGORITHMS[oid];
  if (!info) return { oid, name: oid };
  if (oid === RSASSA_PSS_OID) return { oid, name: info.name, hash: readPssParams(der, r).hash };
  return info.hash ? { oid, name: info.name, hash: info.hash } : { oid, name: info.name };
}

export function readPssParams(der: Uint8Array, r: DerReader): { hash: string; saltLength: number } {
  let hash = 'SHA-1';
  let saltLength = 20;
  const paramsEl = r.optional(Tag.SEQUENCE);
  if (paramsEl) {
    const pr = r.enter(paramsEl);
    const hashEl = pr.optional(0xa0);
    if (hashEl) {
      const hr = pr.enter(hashEl);
      const hashOid = decodeOid(
        der,
        hr.enter(hr.expect(Tag.SEQUENCE, 'PSS hash')).expect(Tag.OID, 'PSS hash OID'),
      );
      hash = HASH_ALGORITHMS[hashOid] ?? hashOid;
    }
    pr.optional(0xa1);
    const saltEl = pr.optional(0xa2);
    if (saltEl) saltLength = smallInteger(der, pr.enter(saltEl).expect(Tag.INTEGER, 'PSS salt length'));
  }
  return { hash, saltLength };
}
