/**
 * One parsed row held in reusable typed arrays, so the hot path allocates nothing per cell.
 *
 * The sheet parser fills one RowCells per row and hands it to a callback; the callback reads it
 * before the next row overwrites it. A cell is kept as what the XML says (a shared-string index, a
 * number, a number with a date style, or text), not converted: a consumer that only needs a code per
 * distinct value (src/ingest) never builds a string for a shared-string cell or a date. `value()`
 * and `toArray()` give the usual XlsxCell values for everyone else.
 */
import { excelSerialToIso } from './dates.ts';
import type { XlsxCell } from './types.ts';

/** No value in this position. */
export const CELL_EMPTY = 0;
/** `num` holds an index into the shared strings. */
export const CELL_SHARED = 1;
/** `num` holds a number. */
export const CELL_NUMBER = 2;
/** `num` holds a number whose cell style shows it as a date (an Excel serial). */
export const CELL_DATE = 3;
/** `text` holds the value (inline string, formula string, boolean, error, ISO date). */
export const CELL_TEXT = 4;

export class RowCells {
  /** 1-based row number. */
  rowNumber = 0;
  /** One past the last position that holds a value (0 for an empty row). */
  width = 0;
  /** Per position (0 = column A): one of the CELL_* kinds. */
  kind: Uint8Array;
  /** Per position: the shared-string index or the number. */
  num: Float64Array;
  /** Per position: the text of a CELL_TEXT cell. */
  readonly text: string[] = [];

  constructor(
    readonly sharedStrings: readonly string[],
    readonly date1904: boolean,
    capacity = 64,
  ) {
    this.kind = new Uint8Array(capacity);
    this.num = new Float64Array(capacity);
  }

  /** Empties the row for reuse. */
  reset(rowNumber: number): void {
    this.kind.fill(CELL_EMPTY, 0, this.width);
    this.width = 0;
    this.rowNumber = rowNumber;
  }

  /** Makes room for position `col`. */
  ensure(col: number): void {
    if (col < this.kind.length) return;
    let size = this.kind.length * 2;
    while (size <= col) size *= 2;
    const kind = new Uint8Array(size);
    kind.set(this.kind);
    const num = new Float64Array(size);
    num.set(this.num);
    this.kind = kind;
    this.num = num;
  }

  /** The value at a position as XlsxCell: shared strings looked up, date-styled numbers as ISO text. */
  value(col: number): XlsxCell {
    if (col >= this.width) return null;
    switch (this.kind[col]) {
      case CELL_SHARED:
        return this.sharedStrings[this.num[col]!]!;
      case CELL_NUMBER:
        return this.num[col]!;
      case CELL_DATE:
        return excelSerialToIso(this.num[col]!, this.date1904);
      case CELL_TEXT:
        return this.text[col]!;
      default:
        return null;
    }
  }

  /** The row as an array of values; trailing empty cells are not included. */
  toArray(): XlsxCell[] {
    const cells: XlsxCell[] = new Array(this.width);
    let last = -1;
    for (let col = 0; col < this.width; col++) {
      const v = this.value(col);
      cells[col] = v;
      if (v !== null) last = col;
    }
    cells.length = last + 1;
    return cells;
  }
}
