/**
 * Opens a spreadsheet or delimited text file as a set of sheets of rows, whatever its format.
 *
 * `.xlsx` goes through Handoff's own streaming reader (src/xlsx); `.csv`/`.txt`/`.tsv` through csv-parse
 * with the delimiter detected from the first lines (NPR's `.csv` files are tab-delimited, its `.txt`
 * comma-delimited: the extension says nothing).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
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

/** Picks tab or comma (or semicolon, pipe) from the first lines: the one that splits them most evenly. */
export async function detectDelimiter(file: string, name = path.basename(file)): Promise<string> {
  const text = (await readHead(file, 64 * 1024)).toString('utf8');
  if (text.includes('\u0000')) {
    throw new HandoffError('bad_input', 'the file is binary, not a spreadsheet or delimited text', {
      location: { file: name },
    });
  }
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
  const parser = createReadStream(file).pipe(
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
  let batch: SourceRow[] = [];
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = record.record;
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
  }
  if (batch.length) yield batch;
}
