import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { decodePixels, recompressPng } from '../../../scripts/e2e/png';

const SCREENSHOTS = path.resolve(__dirname, '../../../media/screenshots');

/** A PNG as a careless encoder writes it: no filter, stored (level 0) deflate. */
function storedPng(width: number, height: number, pixel: (x: number, y: number) => number[]): Buffer {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push(...pixel(x, y));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2; // RGB
  const chunk = (type: string, body: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.from(rows), { level: 0 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('README screenshots: lossless PNG recompression', () => {
  it('keeps every pixel and shrinks a loosely encoded image', () => {
    const png = storedPng(64, 48, (x, y) => [x * 4, y * 5, (x + y) % 256]);
    const smaller = recompressPng(png);
    assert.ok(smaller.length < png.length / 2, `${smaller.length} of ${png.length}`);
    assert.deepEqual(decodePixels(smaller), decodePixels(png));
  });

  it('never grows a committed screenshot nor changes its pixels', () => {
    const file = path.join(SCREENSHOTS, 'workspace-status-bar.png');
    const png = fs.readFileSync(file);
    const again = recompressPng(png);
    assert.ok(again.length <= png.length);
    assert.deepEqual(decodePixels(again), decodePixels(png));
  });

  it('leaves what it does not decode as it is', () => {
    const notPng = Buffer.from('not a png');
    assert.equal(recompressPng(notPng), notPng);
  });
});
