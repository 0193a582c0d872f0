import { strict as assert } from 'node:assert';
import {
  DerError,
  DerReader,
  MAX_DEPTH,
  Tag,
  bitString,
  decodeOid,
  firstElementLength,
  integerBytes,
  readSingle,
  smallInteger,
} from '../../../../src/core/x509/der';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('DerReader', () => {
  it('reads short and long form lengths', () => {
    const long = new Uint8Array(3 + 200);
    long.set([0x04, 0x81, 200]);
    const el = readSingle(long, 'octets');
    assert.deepEqual(el, { tag: 0x04, start: 0, contentStart: 3, end: 203 });
    const twoByte = new Uint8Array(4 + 300);
    twoByte.set([0x04, 0x82, 0x01, 0x2c]);
    assert.equal(readSingle(twoByte, 'octets').end, 304);
  });

  it('rejects indefinite, non-minimal, oversized and overrunning lengths', () => {
    const cases: [Uint8Array, RegExp][] = [
      [bytes(0x30, 0x80, 0x00, 0x00), /indefinite/],
      [bytes(0x04, 0x81, 0x05, 1, 2, 3, 4, 5), /non-minimal/],
      [bytes(0x04, 0x82, 0x00, 0x90), /non-minimal/],
      [bytes(0x04, 0x85, 1, 0, 0, 0, 0), /too large/],
      [bytes(0x04, 0x05, 1, 2), /past the end/],
      [bytes(0x04, 0x82, 0x01), /truncated length/],
      [bytes(0x04), /missing length/],
      [bytes(0x1f, 0x01, 0x00), /multi-byte tags/],
    ];
    for (const [input, message] of cases) {
      assert.throws(
        () => new DerReader(input).read(),
        (err: unknown) => err instanceof DerError && message.test(err.message),
      );
    }
  });

  it('keeps a child reader inside its parent', () => {
    // SEQUENCE of length 3 whose child claims 5 bytes: the child must not read the sibling after it.
    const input = bytes(0x30, 0x03, 0x04, 0x05, 0x00, 0x04, 0x00);
    const outer = new DerReader(input);
    const seq = outer.read();
    assert.throws(() => outer.enter(seq).read(), /past the end/);
    assert.throws(() => readSingle(bytes(0x05, 0x00, 0x05, 0x00), 'null'), /unexpected data after/);
  });

  it('bounds nesting depth', () => {
    let reader = new DerReader(bytes(0x30, 0x00));
    const el = reader.read();
    for (let i = 0; i < MAX_DEPTH - 1; i++) reader = reader.enter({ ...el });
    assert.throws(() => reader.enter(el).enter(el), /nesting too deep/);
  });

  it('expects tags and reads optional ones', () => {
    const r = new DerReader(bytes(0x02, 0x01, 0x05, 0x05, 0x00));
    assert.equal(r.optional(Tag.BOOLEAN), undefined);
    assert.equal(smallInteger(r.buf, r.expect(Tag.INTEGER, 'n')), 5);
    assert.throws(() => r.expect(Tag.INTEGER, 'n'), /expected n \(tag 0x02\), found tag 0x05/);
    r.read();
    assert.equal(r.done, true);
    assert.equal(r.peekTag(), -1);
  });

  it('decodes OIDs, integers and bit strings strictly', () => {
    const oid = bytes(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b);
    assert.equal(decodeOid(oid, readSingle(oid, 'oid')), '1.2.840.113549.1.1.11');
    const ed = bytes(0x06, 0x03, 0x2b, 0x65, 0x70);
    assert.equal(decodeOid(ed, readSingle(ed, 'oid')), '1.3.101.112');
    const joint = bytes(0x06, 0x03, 0x88, 0x37, 0x03);
    assert.equal(decodeOid(joint, readSingle(joint, 'oid')), '2.999.3');
    const truncated = bytes(0x06, 0x02, 0x2a, 0x86);
    assert.throws(() => decodeOid(truncated, readSingle(truncated, 'oid')), /truncated OID/);
    const padded = bytes(0x02, 0x02, 0x00, 0x05);
    assert.throws(() => integerBytes(padded, readSingle(padded, 'int')), /non-minimal INTEGER/);
    const negative = bytes(0x02, 0x01, 0xff);
    assert.throws(() => smallInteger(negative, readSingle(negative, 'int')), /negative/);
    const bits = bytes(0x03, 0x02, 0x05, 0xa0);
    assert.deepEqual(bitString(bits, readSingle(bits, 'bits')), { bytes: bytes(0xa0), unused: 5 });
    const badBits = bytes(0x03, 0x01, 0x03);
    assert.throws(() => bitString(badBits, readSingle(badBits, 'bits')), /padding/);
  });

  it('measures the first element of a buffer or says it cannot', () => {
    assert.equal(firstElementLength(bytes(0x30, 0x02, 0x05, 0x00, 0xff, 0xff)), 4);
    assert.equal(firstElementLength(bytes(0x30, 0x09, 0x05)), -1);
  });
});
