/**
 * The hand-over between ingest (which reads and cleans) and the store (which types and loads):
 * rows as integer columns of dictionary ids, plus the file's dictionary of distinct clean texts.
 *
 * Cleaning is defined here, once: a value is trimmed; blank text is no value; a FOIA redaction
 * marker (src/core/redaction.ts) is no value and counted as redacted. Every other distinct text gets
 * an id, so a release of millions of cells carries each distinct value once (typed once, in DuckDB)
 * and the per-cell work is moving small integers.
 */
import { isRedacted } from './redaction.ts';

/** A cell with no clean value: empty, blank or absent. */
export const NO_VALUE = -1;
/** A cell that held a redaction marker (no clean value either). */
export const REDACTED_VALUE = -2;
/** Rows per batch: DuckDB's vector size, so a batch is appended as one data chunk. */
export const BATCH_ROWS = 2048;

/** Distinct clean texts of one file, each with an id (its index in `values`). Append-only. */
export class CellDictionary {
  readonly values: string[] = [];
  /** Raw text → id, NO_VALUE or REDACTED_VALUE (one lookup per cell; V8 caches string hashes). */
  private readonly byRaw = new Map<string, number>();
  /** Clean text → id, so raw spellings that clean alike (" X", "X ") share one. */
  private readonly byClean = new Map<string, number>();

  /** The id of a raw cell text, or NO_VALUE / REDACTED_VALUE. */
  code(raw: string): number {
    let code = this.byRaw.get(raw);
    if (code !== undefined) return code;
    const trimmed = raw.trim();
    if (trimmed === '') code = NO_VALUE;
    else if (isRedacted(trimmed)) code = REDACTED_VALUE;
    else {
      code = this.byClean.get(trimmed);
      if (code === undefined) {
        code = this.values.length;
        this.values.push(trimmed);
        this.byClean.set(trimmed, code);
      }
    }
    this.byRaw.set(raw, code);
    return code;
  }
}

/** Per canonical column of a batch: cells with any text, with a redaction marker, with a clean value. */
export interface ColumnCounts {
  filled: Uint32Array;
  redacted: Uint32Array;
  clean: Uint32Array;
}

/** Up to BATCH_ROWS rows of one sheet, column by column. */
export interface ColumnBatch {
  sheet: string;
  /** Rows in this batch. */
  size: number;
  /** 1-based source row number of each row. */
  sourceRows: Int32Array<ArrayBuffer>;
  /**
   * One per canonical column: a dictionary id per row, or NO_VALUE. Never REDACTED_VALUE (redactions
   * are only counted): the store looks ids up as 1-based list positions, where -1 + 1 = 0 is NULL but
   * a negative position would count from the end of the list.
   */
  columns: Int32Array<ArrayBuffer>[];
  /**
   * One per canonical column, for date and date-time columns only (null for the rest): a date cell
   * given as a number (an Excel serial) as seconds since 1970-01-01 UTC, NaN for none. Such a cell
   * has NO_VALUE in `columns`: a date never makes a round trip through text.
   */
  seconds: (Float64Array<ArrayBuffer> | null)[];
  /** Unknown columns' values as JSON object text per row (null when none); null when the sheet has none. */
  extra: (string | null)[] | null;
  /** The file's dictionary (shared and growing: every id in `columns` is below its current length). */
  dictionary: readonly string[];
  counts: ColumnCounts;
}

/** Allocates an empty batch for `width` canonical columns. */
export function newColumnBatch(sheet: string, dateColumns: readonly boolean[], dictionary: readonly string[], withExtra: boolean): ColumnBatch {
  const width = dateColumns.length;
  const columns: Int32Array<ArrayBuffer>[] = [];
  for (let c = 0; c < width; c++) columns.push(new Int32Array(BATCH_ROWS).fill(NO_VALUE));
  return {
    sheet,
    size: 0,
    sourceRows: new Int32Array(BATCH_ROWS),
    columns,
    seconds: dateColumns.map((isDate) => (isDate ? new Float64Array(BATCH_ROWS).fill(NaN) : null)),
    extra: withExtra ? [] : null,
    dictionary,
    counts: { filled: new Uint32Array(width), redacted: new Uint32Array(width), clean: new Uint32Array(width) },
  };
}

/**
 * The batch's rows as text values (null for no value; a date given as seconds as the ISO text the
 * same cell would have read as: `YYYY-MM-DD` for a whole day): for tests and for reading a batch back.
 */
export function batchRows(batch: ColumnBatch): { sheet: string; sourceRow: number; values: (string | null)[]; extra: string | null }[] {
  const out = [];
  for (let r = 0; r < batch.size; r++) {
    out.push({
      sheet: batch.sheet,
      sourceRow: batch.sourceRows[r]!,
      values: batch.columns.map((column, c) => {
        const seconds = batch.seconds[c]?.[r];
        if (seconds !== undefined && !Number.isNaN(seconds)) {
          // As the same cell reads through text (excelSerialToIso): a whole day is a date.
          const iso = new Date(seconds * 1000).toISOString();
          return seconds % 86_400 === 0 ? iso.slice(0, 10) : iso.slice(0, 19);
        }
        return column[r]! >= 0 ? batch.dictionary[column[r]!]! : null;
      }),
      extra: batch.extra ? (batch.extra[r] ?? null) : null,
    });
  }
  return out;
}
