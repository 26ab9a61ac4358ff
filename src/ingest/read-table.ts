/**
 * Opens a spreadsheet or delimited text file as a set of sheets of rows, whatever its format.
 *
 * `.xlsx` goes through Handoff's own streaming reader (src/xlsx); `.csv`/`.txt`/`.tsv` through csv-parse
 * with the delimiter detected from the first lines (NPR's `.csv` files are tab-delimited, its `.txt`
 * comma-delimited: the extension says nothing). Delimited text must be UTF-8: a byte that is not is a
 * `bad_input` naming its offset and line, not a silent replacement character.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { DEFAULT_LIMITS, type InputLimits } from '../core/config.ts';
import { HandoffError } from '../core/errors.ts';
import { XlsxWorkbook, type RowCells } from '../xlsx/index.ts';

/** One row as read: its 1-based number in the source and its cells (index 0 = first column). */
export interface SourceRow {
  rowNumber: number;
  cells: (string | number | null)[];
}

/** A file opened for reading, one or more sheets of rows. */
export interface TableSource {
  kind: 'xlsx' | 'csv';
  /** Sheet names; a delimited file has one sheet named after the file. */
  sheets: string[];
  /** Whether the workbook counts dates from 1904 (xlsx only). */
  date1904: boolean;
  rowBatches(sheet: string, batchSize?: number): AsyncIterable<SourceRow[]>;
  /**
   * xlsx only, the fast path: every row as one reused RowCells, with a pause after each chunk of the
   * sheet (see XlsxWorkbook.scanRows).
   */
  scanRows?(sheet: string, onRow: (row: RowCells) => void): AsyncIterable<void>;
  /** The workbook's shared strings (the table RowCells' shared-string indices point into); empty for text. */
  sharedStrings: readonly string[];
  /** The number of rows the sheet says it has (xlsx `<dimension>`), for progress; null when unknown. */
  estimateRows(sheet: string): Promise<number | null>;
  close(): Promise<void>;
}

const ZIP_MAGIC = [0x50, 0x4b];
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

/** The first `bytes` bytes of a file (fewer when it is shorter). */
export async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function startsWith(buffer: Buffer, magic: number[]): boolean {
  return magic.every((b, i) => buffer[i] === b);
}

/** How a table file is read, by its first bytes: a zip is a workbook, anything else delimited text. */
export async function tableFormat(file: string): Promise<'xlsx' | 'csv'> {
  return startsWith(await readHead(file, 2), ZIP_MAGIC) ? 'xlsx' : 'csv';
}

/**
 * Opens a table file. The format is decided by its first bytes, not its name: a zip is read as xlsx,
 * an OLE2 container is refused (an encrypted or legacy .xls workbook), anything else as delimited text.
 */
export async function openTableFile(
  file: string,
  limits: InputLimits = DEFAULT_LIMITS,
  name = path.basename(file),
): Promise<TableSource> {
  const info = await stat(file).catch((cause: unknown) => {
    throw new HandoffError('not_found', `cannot read the file: ${(cause as Error).message}`, { location: { file: name } });
  });
  if (!info.isFile()) throw new HandoffError('bad_input', 'not a regular file', { location: { file: name } });
  if (info.size > limits.maxFileBytes) {
    throw new HandoffError('too_large', `the file is ${info.size} bytes, over the limit of ${limits.maxFileBytes}`, {
      location: { file: name },
    });
  }
  if (info.size === 0) throw new HandoffError('empty', 'the file is empty', { location: { file: name } });
  const head = await readHead(file, 8);
  const ext = path.extname(name).toLowerCase();
  if (startsWith(head, OLE2_MAGIC)) {
    throw new HandoffError(
      'encrypted',
      ext === '.xls'
        ? 'this is a legacy Excel 97-2003 workbook (.xls), which Handoff does not read; open it in Excel or LibreOffice and save it as .xlsx (or run: soffice --headless --convert-to xlsx FILE)'
        : 'this is an OLE2 container: a password-protected workbook or a legacy .xls file; remove the password or save it as an unprotected .xlsx',
      { location: { file: name } },
    );
  }
  if (startsWith(head, ZIP_MAGIC) || ext === '.xlsx' || ext === '.xlsm') {
    const workbook = await XlsxWorkbook.open(file, limits, name);
    return {
      kind: 'xlsx',
      sheets: workbook.sheets.map((s) => s.name),
      date1904: workbook.date1904,
      rowBatches: (sheet, batchSize) => workbook.rowBatches(sheet, batchSize),
      scanRows: (sheet, onRow) => workbook.scanRows(sheet, onRow),
      sharedStrings: workbook.sharedStrings,
      estimateRows: (sheet) => workbook.estimateRows(sheet),
      close: () => workbook.close(),
    };
  }
  const delimiter = await detectDelimiter(file, name);
  return {
    kind: 'csv',
    sheets: [name],
    date1904: false,
    rowBatches: (_sheet, batchSize = 2048) => csvRowBatches(file, name, delimiter, batchSize, limits),
    sharedStrings: [],
    estimateRows: async () => null,
    close: async () => {},
  };
}

/** How many bytes at the end of `buf` start a UTF-8 character that the buffer cuts short (0-3). */
function incompleteUtf8Tail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/** Offset of the first byte of `buf` that is not part of a valid UTF-8 character; -1 when all are. */
function invalidUtf8At(buf: Buffer): number {
  if (isUtf8(buf)) return -1;
  // Rare path: decoding replaces each invalid sequence with U+FFFD; the valid text before the first
  // one has the same byte length as the source up to it. A U+FFFD the file itself holds is skipped.
  const text = buf.toString('utf8');
  for (let from = 0; ; ) {
    const i = text.indexOf('\uFFFD', from);
    if (i < 0) return -1;
    const at = Buffer.byteLength(text.slice(0, i));
    if (!(buf[at] === 0xef && buf[at + 1] === 0xbf && buf[at + 2] === 0xbd)) return at;
    from = i + 1;
  }
}

function countLines(buf: Buffer, end = buf.length): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

function notUtf8(name: string, byte: number | undefined, offset: number, line: number): HandoffError {
  const what = byte === undefined ? 'the file ends inside a character' : `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at byte offset ${offset}`;
  return new HandoffError(
    'bad_input',
    `the file is not valid UTF-8 text: ${what} (line ${line}) is not UTF-8; save it as UTF-8 (in Excel: "CSV UTF-8") and ingest it again`,
    { location: { file: name, row: line }, details: { byteOffset: offset } },
  );
}

/** Passes the bytes through unchanged, and fails with a `bad_input` naming the first byte that is not UTF-8. */
function utf8Checked(name: string): Transform {
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  let line = 1;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const whole = buf.subarray(0, buf.length - incompleteUtf8Tail(buf));
      const bad = invalidUtf8At(whole);
      if (bad >= 0) return callback(notUtf8(name, whole[bad], offset + bad, line + countLines(whole, bad)));
      offset += whole.length;
      line += countLines(whole);
      carry = Buffer.from(buf.subarray(whole.length));
      callback(null, whole);
    },
    flush(callback) {
      callback(carry.length ? notUtf8(name, undefined, offset, line) : null);
    },
  });
}

/** Picks tab or comma (or semicolon, pipe) from the first lines: the one that splits them most evenly. */
export async function detectDelimiter(file: string, name = path.basename(file)): Promise<string> {
  const head = await readHead(file, 64 * 1024);
  const text = head.toString('utf8');
  if (text.includes('\u0000')) {
    throw new HandoffError('bad_input', 'the file is binary, not a spreadsheet or delimited text', {
      location: { file: name },
    });
  }
  // Text that is not UTF-8 (Latin-1, Windows-1252) would otherwise be read with U+FFFD for each byte.
  const whole = head.subarray(0, head.length - incompleteUtf8Tail(head));
  const bad = invalidUtf8At(whole);
  if (bad >= 0) throw notUtf8(name, whole[bad], bad, 1 + countLines(whole, bad));
  // Delimiters inside quoted fields ("DALLAS, TX") do not count.
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20)
    .map((l) => l.replace(/"(?:[^"]|"")*"/g, '""'));
  let best = ',';
  let bestScore = -1;
  for (const d of ['\t', ',', ';', '|']) {
    const counts = lines.map((l) => l.split(d).length - 1);
    const max = Math.max(0, ...counts);
    // Header and data lines agree on the count; preamble lines may have none.
    const agreeing = counts.filter((c) => c === max).length;
    const score = max === 0 ? 0 : agreeing * 1000 + max;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

async function* csvRowBatches(
  file: string,
  name: string,
  delimiter: string,
  batchSize: number,
  limits: InputLimits,
): AsyncGenerator<SourceRow[]> {
  const checked = utf8Checked(name);
  const parser = createReadStream(file).pipe(checked).pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: false,
      skip_empty_lines: false,
      info: true,
      max_record_size: limits.maxCellChars * 4,
    }),
  );
  // pipe() does not forward errors: the check's error ends the parse.
  checked.on('error', (error) => parser.destroy(error));
  let batch: SourceRow[] = [];
  let records = 0;
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = record.record;
      // Delimited text has no Excel row limit: one file is held to the workbook cap, maxRows.
      if (++records > limits.maxRows) {
        throw new HandoffError('too_large', `the file has more than ${limits.maxRows} rows (the limit maxRows)`, {
          location: { file: name, row: record.info.lines },
        });
      }
      if (cells.length > limits.maxColumns) {
        throw new HandoffError('too_large', `${cells.length} columns, over the limit of ${limits.maxColumns}`, {
          location: { file: name, row: record.info.lines },
        });
      }
      for (const cell of cells) {
        if (cell.length > limits.maxCellChars) {
          throw new HandoffError('too_large', `a cell of ${cell.length} characters, over the limit of ${limits.maxCellChars}`, {
            location: { file: name, row: record.info.lines },
          });
        }
      }
      batch.push({ rowNumber: record.info.lines, cells: cells.map((c) => (c === '' ? null : c)) });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof HandoffError) throw error;
    const e = error as Error & { code?: string; lines?: number };
    throw new HandoffError('bad_input', `malformed delimited text: ${e.message}`, {
      location: { file: name, row: e.lines },
      cause: error,
    });
  } finally {
    parser.destroy();
    checked.destroy();
  }
  if (batch.length) yield batch;
}
