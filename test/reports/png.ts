/**
 * A minimal PNG reader for tests (8-bit greyscale, RGB or RGBA, non-interlaced, as pdftoppm writes):
 * enough to measure whether a rendered page is blank. No dependency.
 */
import { inflateSync } from 'node:zlib';

/** Greyscale values (0–255) of every pixel, with the image size. */
export function readPngGrey(bytes: Buffer): { width: number; height: number; grey: Uint8Array } {
  if (bytes.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colour = 0;
  let interlace = 0;
  const idat: Buffer[] = [];
  while (pos < bytes.length) {
    const len = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8]!;
      colour = data[9]!;
      interlace = data[12]!;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colour as 0 | 2 | 4 | 6];
  if (depth !== 8 || !channels || interlace !== 0) throw new Error(`unsupported PNG (depth ${depth}, colour ${colour}, interlace ${interlace})`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 0xff;
    }
  }
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const o = i * channels;
    grey[i] = channels >= 3 ? Math.round((out[o]! * 299 + out[o + 1]! * 587 + out[o + 2]! * 114) / 1000) : out[o]!;
  }
  return { width, height, grey };
}

/** Variance of the greyscale values and the share of pixels darker than near-white. */
export function inkStats(grey: Uint8Array): { variance: number; inked: number } {
  let sum = 0;
  let sq = 0;
  let inked = 0;
  for (const g of grey) {
    sum += g;
    sq += g * g;
    if (g < 200) inked++;
  }
  const mean = sum / grey.length;
  return { variance: sq / grey.length - mean * mean, inked: inked / grey.length };
}
