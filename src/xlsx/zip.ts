/**
 * Zip container reader for xlsx: central directory, ZIP64, stored and deflated entries, streamed and
 * bounded. Every entry is inflated as a stream with its output counted against its declared size,
 * the workbook-wide byte budget and the compression ratio limit, and its CRC-32 checked at the end,
 * so a crafted or damaged file fails with a HandoffError instead of exhausting memory or lying.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { crc32, createInflateRaw, type ZlibOptions } from 'node:zlib';
import { HandoffError, type ErrorCode } from '../core/errors.ts';
import type { InputLimits } from '../core/config.ts';

/** One file inside the zip, as the central directory describes it. */
export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const CHUNK = 256 * 1024;
/** Below this much output a high ratio is harmless (tiny XML parts compress very well). */
const RATIO_GRACE_BYTES = 1024 * 1024;
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** A zip archive opened for reading. Holds no open file: each entry read opens and closes its own. */
export class ZipArchive {
  /** Total bytes inflated from this archive so far, across all entries. */
  private inflated = 0;

  private constructor(
    private readonly filePath: string,
    private readonly label: string,
    private readonly limits: InputLimits,
    private readonly byName: Map<string, ZipEntry>,
    private readonly centralOffset: number,
  ) {}

  /** Reads the central directory of `filePath`. `label` names the file in errors. */
  static async open(filePath: string, label: string, limits: InputLimits): Promise<ZipArchive> {
    const fail = (code: ErrorCode, message: string): HandoffError =>
      new HandoffError(code, message, { location: { file: label } });
    let fh: FileHandle;
    try {
      fh = await open(filePath, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new HandoffError(code === 'ENOENT' ? 'not_found' : 'bad_input', `cannot open file: ${code ?? String(e)}`, {
        location: { file: label },
        cause: e,
      });
    }
    try {
      const { size } = await fh.stat();
      if (size === 0) throw fail('empty', 'the file is empty');
      if (size > limits.maxFileBytes) {
        throw fail('too_large', `the file is ${size} bytes, more than the limit of ${limits.maxFileBytes}`);
      }
      const head = await readAt(fh, 0, Math.min(8, size));
      if (head.length === 8 && head.equals(OLE2_MAGIC)) {
        throw fail(
          'encrypted',
          'this is an OLE2 compound file, which is what Excel writes for a password-protected (encrypted) workbook; remove the password and save again',
        );
      }
      const startsLikeZip = head[0] === 0x50 && head[1] === 0x4b;
      const tailLen = Math.min(size, 0xffff + 22 + 20);
      const tailStart = size - tailLen;
      const tail = await readAt(fh, tailStart, tailLen);
      let eocd = -1;
      for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === SIG_EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) {
        if (startsLikeZip) throw fail('truncated', 'the zip has no end-of-central-directory record; the file looks truncated');
        throw fail('not_a_zip', 'this is not an xlsx file (not a zip archive)');
      }
      let entryCount = tail.readUInt16LE(eocd + 10);
      let cdSize = tail.readUInt32LE(eocd + 12);
      let cdOffset = tail.readUInt32LE(eocd + 16);
      let cdEnd = tailStart + eocd;
      if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === SIG_ZIP64_LOCATOR) {
        const z64Offset = safeNumber(tail.readBigUInt64LE(eocd - 20 + 8), label);
        if (z64Offset + 56 > tailStart + eocd - 20) throw fail('truncated', 'bad ZIP64 end-of-central-directory locator');
        const z = await readAt(fh, z64Offset, 56);
        if (z.length < 56 || z.readUInt32LE(0) !== SIG_ZIP64_EOCD) throw fail('truncated', 'bad ZIP64 end-of-central-directory record');
        entryCount = safeNumber(z.readBigUInt64LE(32), label);
        cdSize = safeNumber(z.readBigUInt64LE(40), label);
        cdOffset = safeNumber(z.readBigUInt64LE(48), label);
        cdEnd = z64Offset;
      }
      if (cdOffset + cdSize > cdEnd || entryCount * 46 > cdSize) {
        throw fail('truncated', 'the zip central directory is out of bounds; the file looks truncated or corrupt');
      }
      const cd = await readAt(fh, cdOffset, cdSize);
      const byName = new Map<string, ZipEntry>();
      let p = 0;
      for (let n = 0; n < entryCount; n++) {
        if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw fail('truncated', 'corrupt zip central directory');
        const nameLen = cd.readUInt16LE(p + 28);
        const extraLen = cd.readUInt16LE(p + 30);
        const commentLen = cd.readUInt16LE(p + 32);
        if (p + 46 + nameLen + extraLen + commentLen > cd.length) throw fail('truncated', 'corrupt zip central directory');
        const flags = cd.readUInt16LE(p + 8);
        const rawName = cd.subarray(p + 46, p + 46 + nameLen);
        const entry: ZipEntry = {
          // Bit 11 marks UTF-8 names; xlsx part names are ASCII in practice, so latin1 is a safe fallback.
          name: normalizeName(rawName.toString(flags & 0x800 ? 'utf8' : 'latin1')),
          flags,
          method: cd.readUInt16LE(p + 10),
          crc32: cd.readUInt32LE(p + 16),
          compressedSize: cd.readUInt32LE(p + 20),
          uncompressedSize: cd.readUInt32LE(p + 24),
          localHeaderOffset: cd.readUInt32LE(p + 42),
        };
        applyZip64Extra(entry, cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), label);
        if (entry.localHeaderOffset + 30 + entry.compressedSize > cdOffset) {
          throw fail('truncated', `zip entry ${entry.name} extends past the data area; the file looks corrupt`);
        }
        const key = entry.name.toLowerCase();
        if (byName.has(key)) throw fail('bad_input', `the zip holds two entries named ${entry.name}`);
        byName.set(key, entry);
        p += 46 + nameLen + extraLen + commentLen;
      }
      return new ZipArchive(filePath, label, limits, byName, cdOffset);
    } finally {
      await fh.close();
    }
  }

  /** The entry with this part name (case-insensitive, as OOXML part names are), if any. */
  find(name: string): ZipEntry | undefined {
    return this.byName.get(normalizeName(name).toLowerCase());
  }

  /** All entries, in central-directory order. */
  list(): ZipEntry[] {
    return [...this.byName.values()];
  }

  /** Reads a whole entry into memory; for small parts. Refuses entries declared larger than `maxBytes`. */
  async readEntry(entry: ZipEntry, maxBytes: number): Promise<Buffer> {
    if (entry.uncompressedSize > maxBytes) {
      throw new HandoffError('too_large', `${entry.name} is ${entry.uncompressedSize} bytes, more than ${maxBytes}`, {
        location: { file: this.label },
      });
    }
    const parts: Buffer[] = [];
    for await (const chunk of this.entryChunks(entry)) parts.push(chunk);
    return Buffer.concat(parts);
  }

  /**
   * Streams an entry's uncompressed bytes. Opens its own file handle and closes it when the stream ends,
   * fails, or the consumer stops early. Throws at the end if the size or CRC-32 does not match.
   */
  async *entryChunks(entry: ZipEntry): AsyncGenerator<Buffer, void, undefined> {
    const fail = (code: ErrorCode, message: string, cause?: unknown): HandoffError =>
      new HandoffError(code, `${entry.name}: ${message}`, { location: { file: this.label }, cause });
    if (entry.flags & 0x1) throw fail('encrypted', 'the entry is encrypted (password-protected)');
    if (entry.method !== 0 && entry.method !== 8) {
      throw fail('bad_input', `unsupported zip compression method ${entry.method} (only stored and deflate are supported)`);
    }
    const { maxCompressionRatio, maxUncompressedBytes } = this.limits;
    if (this.inflated + entry.uncompressedSize > maxUncompressedBytes) {
      throw fail('zip_bomb', `the workbook declares more than ${maxUncompressedBytes} uncompressed bytes`);
    }
    if (
      entry.uncompressedSize > RATIO_GRACE_BYTES &&
      entry.uncompressedSize > entry.compressedSize * maxCompressionRatio
    ) {
      throw fail('zip_bomb', `compression ratio above ${maxCompressionRatio} (possible zip bomb)`);
    }
    const fh = await open(this.filePath, 'r');
    let stream: NodeJS.ReadableStream & { destroy(): void } | undefined;
    let inflate: ReturnType<typeof createInflateRaw> | undefined;
    try {
      const local = await readAt(fh, entry.localHeaderOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== SIG_LOCAL) throw fail('truncated', 'bad local file header');
      const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (start + entry.compressedSize > this.centralOffset) throw fail('truncated', 'entry data runs past the data area');
      let out = 0;
      let crc = 0;
      const check = (chunk: Buffer): void => {
        out += chunk.length;
        this.inflated += chunk.length;
        if (out > entry.uncompressedSize) throw fail('zip_bomb', 'the entry inflates to more than its declared size');
        if (this.inflated > maxUncompressedBytes) {
          throw fail('zip_bomb', `more than ${maxUncompressedBytes} uncompressed bytes (possible zip bomb)`);
        }
        if (out > RATIO_GRACE_BYTES && out > entry.compressedSize * maxCompressionRatio) {
          throw fail('zip_bomb', `compression ratio above ${maxCompressionRatio} (possible zip bomb)`);
        }
        crc = crc32(chunk, crc);
      };
      if (entry.method === 0) {
        if (entry.compressedSize !== entry.uncompressedSize) throw fail('bad_input', 'stored entry sizes disagree');
        let pos = start;
        const stop = start + entry.compressedSize;
        while (pos < stop) {
          const chunk = await readAt(fh, pos, Math.min(CHUNK, stop - pos));
          if (chunk.length === 0) throw fail('truncated', 'unexpected end of file');
          pos += chunk.length;
          check(chunk);
          yield chunk;
        }
      } else {
        if (entry.compressedSize === 0) throw fail('truncated', 'empty compressed data');
        const rs = fh.createReadStream({ start, end: start + entry.compressedSize - 1, autoClose: false, highWaterMark: CHUNK });
        // A deep read-ahead lets zlib inflate the next chunks on the thread pool while the caller parses.
        const inf = createInflateRaw({ chunkSize: CHUNK, readableHighWaterMark: 8 * CHUNK } as ZlibOptions);
        stream = rs;
        inflate = inf;
        rs.on('error', (e) => inf.destroy(e));
        rs.pipe(inf);
        try {
          for await (const chunk of inf as AsyncIterable<Buffer>) {
            check(chunk);
            yield chunk;
          }
        } catch (e) {
          if (e instanceof HandoffError) throw e;
          const zcode = (e as NodeJS.ErrnoException).code;
          if (zcode === 'Z_BUF_ERROR') throw fail('truncated', 'compressed data ends early; the file looks truncated', e);
          throw fail('bad_input', `corrupt compressed data (${(e as Error).message})`, e);
        }
      }
      if (out !== entry.uncompressedSize) {
        throw fail('truncated', `the entry holds ${out} bytes, not the ${entry.uncompressedSize} it declares`);
      }
      if (crc >>> 0 !== entry.crc32 >>> 0) throw fail('bad_input', 'CRC-32 mismatch: the file is corrupt');
    } finally {
      stream?.destroy();
      inflate?.destroy();
      await fh.close();
    }
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

function safeNumber(v: bigint, label: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new HandoffError('bad_input', 'zip offset or size out of range', { location: { file: label } });
  }
  return Number(v);
}

/** Replaces 0xFFFFFFFF placeholders with the 64-bit values of the ZIP64 extra field (tag 0x0001). */
function applyZip64Extra(entry: ZipEntry, extra: Buffer, label: string): void {
  const needU = entry.uncompressedSize === 0xffffffff;
  const needC = entry.compressedSize === 0xffffffff;
  const needO = entry.localHeaderOffset === 0xffffffff;
  if (!needU && !needC && !needO) return;
  let p = 0;
  while (p + 4 <= extra.length) {
    const tag = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (tag === 0x0001) {
      let q = p + 4;
      const stop = Math.min(p + 4 + len, extra.length);
      const take = (): number => {
        if (q + 8 > stop) throw new HandoffError('truncated', `bad ZIP64 field for ${entry.name}`, { location: { file: label } });
        const v = safeNumber(extra.readBigUInt64LE(q), label);
        q += 8;
        return v;
      };
      if (needU) entry.uncompressedSize = take();
      if (needC) entry.compressedSize = take();
      if (needO) entry.localHeaderOffset = take();
      return;
    }
    p += 4 + len;
  }
  throw new HandoffError('truncated', `missing ZIP64 field for ${entry.name}`, { location: { file: label } });
}

/** Part names: forward slashes, no leading slash. */
function normalizeName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\/+/, '');
}
