/**
 * Data rows → column batches of dictionary ids: the per-cell hot path of ingest.
 *
 * A row arrives as a RowCells (shared-string index, number, date-styled number or text per position).
 * Each cell becomes the id of its clean text in the file's CellDictionary (src/core/column-batch.ts):
 * a shared string is cleaned once per index, a number once per distinct value, so most cells cost an
 * array lookup. Rows that are not data (blank, a lone note, a repeated header) are set aside with the
 * reason, as before typing; unknown columns go to `extra` as JSON text.
 */
import type { InputLimits } from '../core/config.ts';
import { HandoffError } from '../core/errors.ts';
import {
  BATCH_ROWS,
  CellDictionary,
  newColumnBatch,
  NO_VALUE,
  REDACTED_VALUE,
  type ColumnBatch,
} from '../core/column-batch.ts';
import {
  CELL_DATE,
  CELL_NUMBER,
  CELL_SHARED,
  CELL_TEXT,
  excelSerialToIso,
  excelSerialToUnixSeconds,
  RowCells,
  type XlsxCell,
} from '../xlsx/index.ts';
import { familyColumns } from './families.ts';
import { foldHeaders, type SheetLayout } from './layout.ts';
import type { SourceRow } from './read-table.ts';

/** A row that is not data: a repeated header or a lone note, kept with the reason. */
export interface RejectedRow {
  sheet: string;
  sourceRow: number;
  reason: string;
  raw: string;
}

/** Longest raw text kept for a rejected row. */
const REJECT_RAW_CHARS = 500;
/** A shared string not yet coded. */
const UNSEEN = -3;
/** A date cell given as a number, passed on as seconds (see ColumnBatch.seconds). */
const SECONDS = -4;

function cellToText(cell: XlsxCell | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : null;
  return cell === '' ? null : cell;
}

function rawText(cells: XlsxCell[]): string {
  const text = cells.map((c) => (c === null ? '' : String(c))).join('\t').replace(/\t+$/, '');
  return text.length > REJECT_RAW_CHARS ? `${text.slice(0, REJECT_RAW_CHARS)}…` : text;
}

/**
 * The cell → id coding of one file: its dictionary, plus caches by shared-string index and by number.
 * Shared by every sheet of the file.
 */
export class CellCoder {
  readonly dictionary = new CellDictionary();
  private readonly sharedCodes: Int32Array;
  private readonly numbers = new Map<number, number>();
  private readonly serials = new Map<number, number>();

  constructor(
    private readonly sharedStrings: readonly string[],
    readonly date1904: boolean,
  ) {
    this.sharedCodes = new Int32Array(sharedStrings.length).fill(UNSEEN);
  }

  /**
   * The id of the cell at `p` (NO_VALUE / REDACTED_VALUE when it has none). A number is its text, a
   * date-styled number its ISO date: date columns take numbers as seconds before coming here.
   */
  codeAt(row: RowCells, p: number): number {
    switch (row.kind[p]) {
      case CELL_SHARED: {
        const index = row.num[p]!;
        let code = this.sharedCodes[index]!;
        if (code === UNSEEN) {
          code = this.dictionary.code(this.sharedStrings[index]!);
          this.sharedCodes[index] = code;
        }
        return code;
      }
      case CELL_NUMBER:
        return this.number(row.num[p]!);
      case CELL_DATE:
        return this.serial(row.num[p]!);
      case CELL_TEXT:
        return this.dictionary.code(row.text[p]!);
      default:
        return NO_VALUE;
    }
  }

  private number(n: number): number {
    let code = this.numbers.get(n);
    if (code === undefined) {
      code = Number.isFinite(n) ? this.dictionary.code(String(n)) : NO_VALUE;
      this.numbers.set(n, code);
    }
    return code;
  }

  /** A date-styled number: its date, or no value when it is not a date. */
  private serial(n: number): number {
    let code = this.serials.get(n);
    if (code === undefined) {
      const iso = excelSerialToIso(n, this.date1904);
      code = iso === null ? NO_VALUE : this.dictionary.code(iso);
      this.serials.set(n, code);
    }
    return code;
  }
}

/** Maps the data rows of one sheet (after its header) into column batches. */
export class ColumnMapper {
  private batch: ColumnBatch;
  private readonly done: ColumnBatch[] = [];
  private rejects: RejectedRow[] = [];
  private codes = new Int32Array(64);
  private seconds = new Float64Array(64);
  private readonly pairPosition: Int32Array;
  private readonly pairColumn: Int32Array;
  /** Per source position: 1 when it maps to a date or date-time column. */
  private readonly dateAt: Uint8Array;
  private readonly dateColumns: boolean[];
  private readonly headerFolded: string;
  private readonly firstHeaderIndex: number;
  private readonly firstHeader: string;
  private readonly headerWidth: number;
  private readonly tableWidth: number;
  private readonly hasUnknown: boolean;
  /** For rows given as SourceRow (delimited text, the rows read before the header was known). */
  private readonly scratch = new RowCells([], false);

  constructor(
    private readonly layout: SheetLayout,
    private readonly sheet: string,
    private readonly coder: CellCoder,
    private readonly limits: InputLimits,
    private readonly file: string,
  ) {
    const { columns } = familyColumns(layout.family);
    this.dateColumns = columns.map((c) => c.type === 'date' || c.type === 'datetime');
    const pairs: [number, number][] = [];
    layout.sourceToColumn.forEach((column, position) => {
      if (column >= 0) pairs.push([position, column]);
    });
    this.pairPosition = Int32Array.from(pairs.map((p) => p[0]));
    this.pairColumn = Int32Array.from(pairs.map((p) => p[1]));
    this.dateAt = new Uint8Array(layout.headers.length);
    for (const [position, column] of pairs) if (this.dateColumns[column]) this.dateAt[position] = 1;
    this.headerFolded = foldHeaders(layout.headers).join('\u0001');
    this.firstHeaderIndex = layout.headers.findIndex((h) => h !== '');
    this.firstHeader = layout.headers[this.firstHeaderIndex] ?? '';
    this.headerWidth = layout.headers.length;
    this.tableWidth = layout.headers.filter(Boolean).length;
    this.hasUnknown = layout.unknownColumns.length > 0;
    this.batch = this.newBatch();
  }

  private newBatch(): ColumnBatch {
    // `extra` is kept per row whenever the sheet has unknown columns or a row runs past the header.
    return newColumnBatch(this.sheet, this.dateColumns, this.coder.dictionary.values, true);
  }

  /** Maps a row given as values (delimited text, or rows read before the layout was known). */
  mapSource(source: SourceRow): void {
    const row = this.scratch;
    row.reset(source.rowNumber);
    const cells = source.cells;
    row.ensure(cells.length);
    for (let p = 0; p < cells.length; p++) {
      const cell = cells[p];
      if (cell === null || cell === undefined) continue;
      if (typeof cell === 'number') {
        row.kind[p] = CELL_NUMBER;
        row.num[p] = cell;
      } else {
        row.kind[p] = CELL_TEXT;
        row.text[p] = cell;
      }
      row.width = p + 1;
    }
    this.mapCells(row);
  }

  /** Maps one row (the hot path). */
  mapCells(row: RowCells): void {
    const width = row.width;
    if (width === 0) return;
    if (width > this.limits.maxColumns) {
      throw new HandoffError('too_large', `${width} columns, over the limit of ${this.limits.maxColumns}`, {
        location: { file: this.file, sheet: this.sheet, row: row.rowNumber },
      });
    }
    if (this.codes.length < width) {
      this.codes = new Int32Array(Math.max(width, this.codes.length * 2));
      this.seconds = new Float64Array(this.codes.length);
    }
    const codes = this.codes;
    const seconds = this.seconds;
    const kind = row.kind;
    const num = row.num;
    const dateAt = this.dateAt;
    const coder = this.coder;
    const date1904 = coder.date1904;
    let filled = 0;
    for (let p = 0; p < width; p++) {
      const k = kind[p]!;
      let code: number;
      if (k === 0) {
        code = NO_VALUE;
      } else if (dateAt[p] === 1 && (k === CELL_NUMBER || k === CELL_DATE)) {
        // A number in a date column is an Excel serial, with or without a date style.
        const s = excelSerialToUnixSeconds(num[p]!, date1904);
        if (s !== null) {
          seconds[p] = s;
          code = SECONDS;
        } else {
          // Not a date: a date-styled cell is empty (as Excel shows it), a plain number stays as written.
          code = k === CELL_DATE ? NO_VALUE : coder.codeAt(row, p);
        }
      } else {
        code = coder.codeAt(row, p);
      }
      codes[p] = code;
      if (code !== NO_VALUE) filled++;
    }
    if (filled === 0) return;
    if (filled === 1 && this.tableWidth > 6) {
      this.reject(row, 'one filled cell in a table row (a note or footer)');
      return;
    }
    const first = this.firstHeaderIndex;
    if (
      filled >= 3 &&
      first >= 0 &&
      first < width &&
      codes[first]! >= 0 &&
      (kind[first] === CELL_SHARED || kind[first] === CELL_TEXT) &&
      coder.dictionary.values[codes[first]!] === this.firstHeader &&
      foldHeaders(row.toArray().map((c) => (c === null ? '' : String(c)))).join('\u0001') === this.headerFolded
    ) {
      this.reject(row, 'repeated header row');
      return;
    }
    const batch = this.batch;
    const r = batch.size;
    batch.sourceRows[r] = row.rowNumber;
    const { columns, counts } = batch;
    const positions = this.pairPosition;
    const targets = this.pairColumn;
    for (let i = 0; i < positions.length; i++) {
      const position = positions[i]!;
      if (position >= width) continue;
      const code = codes[position]!;
      if (code === NO_VALUE) continue;
      const column = targets[i]!;
      counts.filled[column]!++;
      if (code === REDACTED_VALUE) {
        counts.redacted[column]!++;
      } else {
        counts.clean[column]!++;
        if (code === SECONDS) batch.seconds[column]![r] = seconds[position]!;
        else columns[column]![r] = code;
      }
    }
    if (this.hasUnknown || width > this.headerWidth) {
      batch.extra!.length = r;
      batch.extra![r] = this.extraOf(row);
    }
    batch.size = r + 1;
    if (batch.size === BATCH_ROWS) this.flush();
  }

  private extraOf(row: RowCells): string | null {
    const object: Record<string, string> = {};
    for (const u of this.layout.unknownColumns) {
      const text = cellToText(row.value(u.position));
      if (text !== null) object[u.key] = text;
    }
    for (let i = this.headerWidth; i < row.width; i++) {
      const text = cellToText(row.value(i));
      if (text !== null) object[`column ${i + 1} (no header)`] = text;
    }
    return Object.keys(object).length ? JSON.stringify(object) : null;
  }

  private reject(row: RowCells, reason: string): void {
    this.rejects.push({ sheet: this.sheet, sourceRow: row.rowNumber, reason, raw: rawText(row.toArray()) });
  }

  /** Closes the current batch (if it has rows) so take() returns it. */
  flush(): void {
    if (this.batch.size === 0) return;
    const batch = this.batch;
    if (batch.extra && batch.extra.every((e) => e === null || e === undefined)) batch.extra = null;
    else if (batch.extra) batch.extra.length = batch.size;
    this.done.push(batch);
    this.batch = this.newBatch();
  }

  /** Batches completed and rows set aside since the last call. */
  take(): { batches: ColumnBatch[]; rejects: RejectedRow[] } {
    const out = { batches: this.done.splice(0), rejects: this.rejects };
    this.rejects = [];
    return out;
  }
}
