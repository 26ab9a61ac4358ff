/**
 * Containers: the wrappers a user's download comes in, unpacked into plain table files before reading.
 *
 * Does: recognise a gzip stream (researchers' archives hold ICE's CSVs as `.csv.gz`) and a zip archive
 * that is not itself a workbook (a FOIA production of several files), by their first bytes, and unpack
 * each into a scratch folder, bounded by the input limits (total bytes, compression ratio, member
 * count, nesting depth); an xlsx (a zip with a workbook part) and plain text pass through untouched.
 * Names say where a table came from: `EROArrests_FY2016.csv.gz` keeps its name; a zip member is named
 * `production.zip:Arrests.csv`.
 * Does not: read tables (read-table.ts does), hash or record anything (the pipeline does).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { InputLimits } from '../core/config.ts';
import { HandoffError } from '../core/errors.ts';
import { ZipArchive } from '../xlsx/zip.ts';
import { readHead } from './read-table.ts';

/** What wrapped a table file. */
export type Container = 'none' | 'gzip' | 'zip';

/** One table file ready to read. */
export interface TableInput {
  /** The bytes to read: the user's file itself, or an unpacked copy in the scratch folder. */
  path: string;
  /** The name stored and shown. */
  name: string;
  /** The file the user gave. */
  origin: string;
  /** The wrappers around it, outermost first (empty for a plain file). */
  containers: Exclude<Container, 'none'>[];
}

/** Extensions of table files inside an archive (and of files picked from a folder). */
export const TABLE_EXTENSIONS = new Set(['.xlsx', '.xlsm', '.csv', '.txt', '.tsv', '.gz', '.zip']);
/** A zip holding zips holding zips is refused past this depth. */
const MAX_DEPTH = 2;
/** A zip with more members than this is refused (a production has a handful to a few dozen). */
const MAX_MEMBERS = 1_000;
/** Below this much output a high ratio is harmless. */
const RATIO_GRACE_BYTES = 1024 * 1024;

const GZIP_MAGIC = [0x1f, 0x8b];
const ZIP_MAGIC = [0x50, 0x4b];

const starts = (buffer: Buffer, magic: number[]): boolean => magic.every((b, i) => buffer[i] === b);

/** What container a file is, by its first bytes: a zip counts only when it holds no workbook. */
export async function containerOf(file: string, limits: InputLimits, label = path.basename(file)): Promise<Container> {
  const first = await readHead(file, 4);
  if (starts(first, GZIP_MAGIC)) return 'gzip';
  if (!starts(first, ZIP_MAGIC)) return 'none';
  const zip = await ZipArchive.open(file, label, limits).catch(() => null);
  // A damaged zip is left to the xlsx reader, whose errors say what is wrong with it.
  if (!zip) return 'none';
  const isWorkbook = zip.find('[Content_Types].xml') !== undefined || zip.find('xl/workbook.xml') !== undefined;
  return isWorkbook ? 'none' : 'zip';
}

/** Counts bytes through a stream and stops at the byte budget or the ratio limit. */
function byteBudget(label: string, limits: InputLimits, compressedBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limits.maxUncompressedBytes) {
        done(
          new HandoffError('too_large', `unpacks to more than ${limits.maxUncompressedBytes} bytes, over the limit`, {
            location: { file: label },
          }),
        );
        return;
      }
      if (seen > RATIO_GRACE_BYTES && seen / Math.max(1, compressedBytes) > limits.maxCompressionRatio) {
        done(
          new HandoffError(
            'zip_bomb',
            `compressed more than ${limits.maxCompressionRatio}:1, over the limit (raise it with --max-ratio if the file is honest)`,
            { location: { file: label } },
          ),
        );
        return;
      }
      done(null, chunk);
    },
  });
}

/** A free name in `dir` for `name` (a second member of the same name gets ` (2)`). */
function freeName(taken: Set<string>, name: string): string {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate);
  return candidate;
}

async function gunzipTo(source: string, target: string, label: string, limits: InputLimits): Promise<void> {
  const { size } = await stat(source);
  try {
    await pipeline(createReadStream(source), createGunzip(), byteBudget(label, limits, size), createWriteStream(target));
  } catch (error) {
    if (error instanceof HandoffError) throw error;
    const e = error as NodeJS.ErrnoException;
    const truncated = e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message);
    throw new HandoffError(
      truncated ? 'truncated' : 'bad_input',
      truncated ? 'the gzip stream ends early; the file looks truncated' : `the gzip stream is damaged: ${e.message}`,
      { location: { file: label }, cause: error },
    );
  }
}

/**
 * Unpacks the user's files into table inputs. Plain files (and workbooks) come back as they are;
 * gzip and zip are unpacked into `scratch`, which the caller removes. A bad container fails with a
 * HandoffError naming it; the caller decides whether that fails one file or the run.
 */
export class Unpacker {
  private readonly taken = new Set<string>();

  constructor(
    private readonly scratch: string,
    private readonly limits: InputLimits,
  ) {}

  /** The table inputs inside one file, and the members of an archive that are not tables. */
  async unpack(file: string): Promise<{ inputs: TableInput[]; skipped: string[] }> {
    const skipped: string[] = [];
    const inputs = await this.walk(file, path.basename(file), path.resolve(file), [], skipped);
    return { inputs, skipped };
  }

  private async walk(
    file: string,
    name: string,
    origin: string,
    containers: Exclude<Container, 'none'>[],
    skipped: string[],
  ): Promise<TableInput[]> {
    const kind = await containerOf(file, this.limits, name);
    if (kind === 'none') return [{ path: file, name, origin, containers }];
    if (containers.length >= MAX_DEPTH) {
      throw new HandoffError('bad_input', `containers nested more than ${MAX_DEPTH} deep`, { location: { file: name } });
    }
    await mkdir(this.scratch, { recursive: true });
    if (kind === 'gzip') {
      const target = path.join(this.scratch, freeName(this.taken, path.basename(name.replace(/:/g, '_'))));
      await gunzipTo(file, target, name, this.limits);
      // The unpacked copy keeps the name the user knows (`X.csv.gz`); its bytes say what it is.
      return this.walk(target, name, origin, [...containers, 'gzip'], skipped);
    }
    const zip = await ZipArchive.open(file, name, this.limits);
    const members = zip.list().filter((e) => !e.name.endsWith('/'));
    if (members.length > MAX_MEMBERS) {
      throw new HandoffError('too_large', `the archive holds ${members.length} files, over the limit of ${MAX_MEMBERS}`, {
        location: { file: name },
      });
    }
    const out: TableInput[] = [];
    for (const entry of members) {
      const base = path.posix.basename(entry.name);
      const memberName = `${name}:${entry.name}`;
      if (entry.name.startsWith('__MACOSX/') || base.startsWith('.') || base.startsWith('~$')) continue;
      if (!TABLE_EXTENSIONS.has(path.extname(base).toLowerCase())) {
        skipped.push(memberName);
        continue;
      }
      const target = path.join(this.scratch, freeName(this.taken, base));
      await pipeline(zip.entryChunks(entry), createWriteStream(target));
      out.push(...(await this.walk(target, memberName, origin, [...containers, 'zip'], skipped)));
    }
    return out;
  }
}
