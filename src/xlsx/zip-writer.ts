/**
 * A minimal streaming zip writer: deflated entries written straight to the file, sizes and CRC patched
 * into the local header afterwards (positional writes, so no data descriptors), ZIP64 when needed.
 * Hand-rolled rather than a dependency because it is ~150 lines on node:zlib and must be
 * deterministic: fixed DOS timestamps, no extra fields with times or ids, entries in call order.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';
import { HandoffError } from '../core/errors.ts';

/** 1980-01-01 00:00:00, the DOS epoch: the same bytes for every run. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const MAX32 = 0xffffffff;
/**
 * Extra-field tag used to reserve room in a local header for a ZIP64 field we may need once the size
 * is known. Readers skip unknown tags; this is the one Android's zipalign uses for padding.
 */
const PADDING_TAG = 0xd935;

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  uncompressed: number;
  offset: number;
}

/** Writes a zip file entry by entry. */
export class ZipWriter {
  private pos = 0;
  private readonly written: Written[] = [];

  private constructor(
    private readonly fh: FileHandle,
    private readonly filePath: string,
  ) {}

  /** Creates (or truncates) the output file. */
  static async create(filePath: string): Promise<ZipWriter> {
    return new ZipWriter(await open(filePath, 'w'), filePath);
  }

  /**
   * Deflates `data` into a new entry. `large` reserves room for ZIP64 sizes in the local header (use it
   * for parts that may pass 4 GiB); without it an entry that large is refused.
   */
  async addEntry(name: string, data: Iterable<Buffer> | AsyncIterable<Buffer>, level: number, large = false): Promise<void> {
    const nameBuf = Buffer.from(name, 'utf8');
    const offset = this.pos;
    const extraLen = large ? 20 : 0;
    const headerLen = 30 + nameBuf.length + extraLen;
    await this.writeAt(Buffer.alloc(headerLen), offset);
    let crc = 0;
    let uncompressed = 0;
    let writePos = offset + headerLen;
    const fh = this.fh;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of data) {
        crc = crc32(chunk, crc);
        uncompressed += chunk.length;
        yield chunk;
      }
    }
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        fh.write(chunk, 0, chunk.length, writePos).then(
          () => {
            writePos += chunk.length;
            callback();
          },
          (e: Error) => callback(e),
        );
      },
    });
    await pipeline(Readable.from(counted()), createDeflateRaw({ level, chunkSize: 256 * 1024 }), sink);
    const compressed = writePos - offset - headerLen;
    const needs64 = compressed >= MAX32 || uncompressed >= MAX32;
    if (needs64 && !large) throw new HandoffError('too_large', `${name} is larger than 4 GiB`);
    const header = Buffer.alloc(headerLen);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(needs64 ? 45 : 20, 4);
    header.writeUInt16LE(0, 6);
    header.writeUInt16LE(8, 8);
    header.writeUInt16LE(DOS_TIME, 10);
    header.writeUInt16LE(DOS_DATE, 12);
    header.writeUInt32LE(crc >>> 0, 14);
    header.writeUInt32LE(needs64 ? MAX32 : compressed, 18);
    header.writeUInt32LE(needs64 ? MAX32 : uncompressed, 22);
    header.writeUInt16LE(nameBuf.length, 26);
    header.writeUInt16LE(extraLen, 28);
    nameBuf.copy(header, 30);
    if (large) {
      const e = 30 + nameBuf.length;
      header.writeUInt16LE(needs64 ? 0x0001 : PADDING_TAG, e);
      header.writeUInt16LE(16, e + 2);
      if (needs64) {
        header.writeBigUInt64LE(BigInt(uncompressed), e + 4);
        header.writeBigUInt64LE(BigInt(compressed), e + 12);
      }
    }
    await this.writeAt(header, offset);
    this.pos = writePos;
    this.written.push({ name: nameBuf, crc: crc >>> 0, compressed, uncompressed, offset });
  }

  /** Writes the central directory and closes the file; returns the file size. */
  async finish(): Promise<number> {
    const parts: Buffer[] = [];
    const cdOffset = this.pos;
    for (const w of this.written) {
      const big = [w.uncompressed, w.compressed, w.offset].map((v) => v >= MAX32);
      const extra = Buffer.alloc(big.some(Boolean) ? 4 + 8 * big.filter(Boolean).length : 0);
      if (extra.length > 0) {
        extra.writeUInt16LE(0x0001, 0);
        extra.writeUInt16LE(extra.length - 4, 2);
        let q = 4;
        for (const [i, v] of [w.uncompressed, w.compressed, w.offset].entries()) {
          if (big[i]) {
            extra.writeBigUInt64LE(BigInt(v), q);
            q += 8;
          }
        }
      }
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(extra.length > 0 ? 45 : 20, 4);
      h.writeUInt16LE(extra.length > 0 ? 45 : 20, 6);
      h.writeUInt16LE(0, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(DOS_TIME, 12);
      h.writeUInt16LE(DOS_DATE, 14);
      h.writeUInt32LE(w.crc, 16);
      h.writeUInt32LE(big[1] ? MAX32 : w.compressed, 20);
      h.writeUInt32LE(big[0] ? MAX32 : w.uncompressed, 24);
      h.writeUInt16LE(w.name.length, 28);
      h.writeUInt16LE(extra.length, 30);
      h.writeUInt32LE(big[2] ? MAX32 : w.offset, 42);
      parts.push(h, w.name, extra);
    }
    const cd = Buffer.concat(parts);
    const count = this.written.length;
    const tail: Buffer[] = [cd];
    const needs64 = count >= 0xffff || cdOffset >= MAX32 || cd.length >= MAX32;
    if (needs64) {
      const z = Buffer.alloc(56);
      z.writeUInt32LE(0x06064b50, 0);
      z.writeBigUInt64LE(44n, 4);
      z.writeUInt16LE(45, 12);
      z.writeUInt16LE(45, 14);
      z.writeBigUInt64LE(BigInt(count), 24);
      z.writeBigUInt64LE(BigInt(count), 32);
      z.writeBigUInt64LE(BigInt(cd.length), 40);
      z.writeBigUInt64LE(BigInt(cdOffset), 48);
      const loc = Buffer.alloc(20);
      loc.writeUInt32LE(0x07064b50, 0);
      loc.writeBigUInt64LE(BigInt(cdOffset + cd.length), 8);
      loc.writeUInt32LE(1, 16);
      tail.push(z, loc);
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(needs64 ? 0xffff : count, 8);
    eocd.writeUInt16LE(needs64 ? 0xffff : count, 10);
    eocd.writeUInt32LE(needs64 ? MAX32 : cd.length, 12);
    eocd.writeUInt32LE(needs64 ? MAX32 : cdOffset, 16);
    tail.push(eocd);
    const all = Buffer.concat(tail);
    await this.writeAt(all, this.pos);
    this.pos += all.length;
    await this.fh.close();
    return this.pos;
  }

  /** Closes and deletes a partly written file. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await rm(this.filePath, { force: true });
  }

  private async writeAt(buf: Buffer, position: number): Promise<void> {
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, done, buf.length - done, position + done);
      done += bytesWritten;
    }
  }
}
