// Lossless re-encoding of the README screenshots (they ship in the VSIX): the browser writes PNGs
// fast, not small. Same pixels, deflated at level 9 either unfiltered (flat UI colours often do
// best so) or each row with the PNG filter that leaves the smallest residuals, whichever is
// smaller: about a tenth smaller. 8-bit, non-interlaced RGB/RGBA/grey only (what
// Playwright writes); anything else is left as it is. Not pngjs: at level 9 with its adaptive
// filters it writes these screenshots 40–60 % larger than this does (measured on media/screenshots).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
/** Bytes per pixel by PNG colour type (8-bit samples). */
const BYTES_PER_PIXEL: Readonly<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

interface Image {
  readonly header: Buffer;
  readonly height: number;
  readonly bpp: number;
  readonly stride: number;
  /** Unfiltered rows, back to back. */
  readonly pixels: Buffer;
  /** Chunks other than IHDR, IDAT and IEND, kept in order (before the image data). */
  readonly others: readonly (readonly [string, Buffer])[];
}

/** The same picture, smaller when it can be; the input itself otherwise. */
export function recompressPng(png: Buffer): Buffer {
  const image = decode(png);
  if (!image) return png;
  const [smaller] = [encode(image, false), encode(image, true)].sort((a, b) => a.length - b.length);
  if (smaller.length >= png.length || !decode(smaller)?.pixels.equals(image.pixels)) return png;
  return smaller;
}

/** Recompresses every .png of `dir` in place; returns the bytes saved. */
export function recompressPngs(dir: string): number {
  let saved = 0;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.png'))) {
    const file = path.join(dir, name);
    const before = fs.readFileSync(file);
    const after = recompressPng(before);
    if (after !== before) fs.writeFileSync(file, after);
    saved += before.length - after.length;
  }
  return saved;
}

export function decodePixels(png: Buffer): Buffer | undefined {
  return decode(png)?.pixels;
}

function decode(png: Buffer): Image | undefined {
  if (!png.subarray(0, 8).equals(SIGNATURE)) return undefined;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  const others: [string, Buffer][] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    at += 12 + length;
    if (type === 'IHDR') header = body;
    else if (type === 'IDAT') data.push(body);
    else if (type !== 'IEND') others.push([type, body]);
  }
  if (!header) return undefined;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const bpp = BYTES_PER_PIXEL[header[9]];
  if (header[8] !== 8 || header[12] !== 0 || !bpp) return undefined;
  const stride = width * bpp;
  const raw = zlib.inflateSync(Buffer.concat(data));
  const pixels = Buffer.alloc(height * stride);
  const zero = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : zero;
    for (let x = 0; x < stride; x++) row[x] = (line[x] + predict(filter, row, prev, x, bpp)) & 0xff;
  }
  return { header, height, bpp, stride, pixels, others };
}

function encode({ header, height, bpp, stride, pixels, others }: Image, filtered: boolean): Buffer {
  const out = Buffer.alloc(height * (stride + 1));
  const candidates = [0, 1, 2, 3, 4].map(() => Buffer.alloc(stride));
  const zero = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : zero;
    let best = 0;
    let bestSum = Infinity;
    for (let filter = 0; filter < (filtered ? 5 : 1); filter++) {
      const line = candidates[filter];
      let sum = 0;
      for (let x = 0; x < stride; x++) {
        const v = (row[x] - predict(filter, row, prev, x, bpp)) & 0xff;
        line[x] = v;
        sum += v < 128 ? v : 256 - v;
      }
      if (sum < bestSum) [best, bestSum] = [filter, sum];
    }
    out[y * (stride + 1)] = best;
    candidates[best].copy(out, y * (stride + 1) + 1);
  }
  const idat = zlib.deflateSync(out, { level: 9, memLevel: 9 });
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    ...others.map(([type, body]) => chunk(type, body)),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The PNG filter's prediction for byte x of `row` (unfiltered so far up to x). */
function predict(filter: number, row: Buffer, prev: Buffer, x: number, bpp: number): number {
  const a = x >= bpp ? row[x - bpp] : 0;
  const b = prev[x];
  const c = x >= bpp ? prev[x - bpp] : 0;
  switch (filter) {
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return (a + b) >> 1;
    case 4: {
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    default:
      return 0;
  }
}

function chunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed));
  return Buffer.concat([length, typed, crc]);
}
