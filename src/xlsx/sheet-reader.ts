/**
 * The worksheet hot path: a byte-level scanner over sheet XML that reads rows without a general XML
 * parser and without ever holding the part as one string. It is fed chunk by chunk (see ChunkJoiner);
 * a row cut by a chunk boundary is re-parsed from its `<row>` once more bytes arrive. Each complete row
 * is written into one reused RowCells and handed to a callback: no allocation per row or cell.
 */
import { HandoffError } from '../core/errors.ts';
import type { InputLimits } from '../core/config.ts';
import { CELL_DATE, CELL_NUMBER, CELL_SHARED, CELL_TEXT, RowCells } from './row-cells.ts';
import { readStringItem, skipElement } from './shared-strings.ts';
import {
  BANG, COLON, EQ, GT, LT, NEED_MORE, QMARK, SLASH, QUOTE, APOS,
  decodeOoxmlEscapes, decodeText, findTagEnd, isSpace, malformed, nameEnd, readTag, skipBang, skipBom, skipPi,
} from './xml.ts';

/** Excel's last column, XFD. */
export const EXCEL_MAX_COLUMNS = 16_384;

/** What a sheet needs from the rest of the workbook. */
export interface SheetContext {
  sharedStrings: readonly string[];
  /** Per cellXfs index: 1 when the style shows numbers as dates. */
  dateStyles: Uint8Array;
  date1904: boolean;
  limits: Pick<InputLimits, 'maxColumns' | 'maxCellChars'>;
}

const T_N = 0;
const T_S = 1;
const T_STR = 2;
const T_INLINE = 3;
const T_B = 4;
const T_E = 5;
const T_D = 6;

const CH_c = 0x63;
const CH_v = 0x76;
const CH_r = 0x72;
const CH_s = 0x73;
const CH_t = 0x74;
const CH_n = 0x6e;

/** Converts a 0-based column index to letters (0 -> A, 26 -> AA). */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Incremental parser for one worksheet part. */
export class SheetParser {
  /** 0 before <sheetData>, 1 inside it, 2 after it. */
  private phase = 0;
  private first = true;
  private lastRow = 0;
  /** Where we are, for error locations. */
  private curRow: number | undefined;
  private curCol: number | undefined;
  /** The row being parsed; handed to the callback once complete. */
  readonly row: RowCells;
  /** Length of the longest shared string. */
  private readonly longestShared: number;

  constructor(private readonly ctx: SheetContext) {
    this.row = new RowCells(ctx.sharedStrings, ctx.date1904);
    let longest = 0;
    for (const s of ctx.sharedStrings) if (s.length > longest) longest = s.length;
    this.longestShared = longest;
  }

  /** True once </sheetData> (or an empty <sheetData/>) has been seen. */
  get isDone(): boolean {
    return this.phase === 2;
  }

  /**
   * Parses the complete rows in `buf`, calling `onRow` for each (the RowCells is reused: read it before
   * returning); returns how many bytes were consumed.
   */
  parse(buf: Buffer, onRow: (row: RowCells) => void, final: boolean): number {
    let p = 0;
    if (this.first && buf.length > 0) {
      p = skipBom(buf);
      this.first = false;
    }
    const end = buf.length;
    let mark = p;
    try {
      while (p < end) {
        if (this.phase === 2) return end;
        const lt = buf.indexOf(LT, p);
        if (lt < 0) return end;
        mark = lt;
        const c = buf[lt + 1];
        if (c === undefined) throw NEED_MORE;
        if (c === BANG) {
          p = skipBang(buf, lt, end);
          continue;
        }
        if (c === QMARK) {
          p = skipPi(buf, lt, end);
          continue;
        }
        if (this.phase === 1 && c !== SLASH) {
          const ne = nameEnd(buf, lt + 1, end);
          if (ne - lt === 4 || (buf[ne - 4] === COLON && ne - lt > 5)) {
            if (buf[ne - 3] === CH_r && buf[ne - 2] === 0x6f && buf[ne - 1] === 0x77) {
              p = this.parseRow(buf, ne, onRow);
              continue;
            }
          }
        }
        const tag = readTag(buf, lt, end);
        if (this.phase === 0) {
          if (tag.name === 'sheetData' && tag.kind === 'start') this.phase = tag.selfClosing ? 2 : 1;
          p = tag.next;
        } else if (tag.kind === 'end') {
          if (tag.name !== 'sheetData') throw malformed(`unexpected </${tag.name}> in <sheetData>`);
          this.phase = 2;
          p = tag.next;
        } else {
          p = skipElement(buf, tag.next, end, tag.name, tag.selfClosing);
        }
      }
      return end;
    } catch (e) {
      if (e === NEED_MORE) {
        if (final) throw this.locate(malformed('the sheet XML ends in the middle of a row or tag'));
        this.curRow = undefined;
        this.curCol = undefined;
        return mark;
      }
      throw this.locate(e);
    }
  }

  /** Throws unless the part held a complete <sheetData>. Call after the final parse. */
  assertComplete(): void {
    if (this.phase === 0) throw malformed('the worksheet has no <sheetData>');
    if (this.phase === 1) throw malformed('the worksheet ends before </sheetData>');
  }

  private locate(e: unknown): unknown {
    if (!(e instanceof HandoffError) || e.location) return e;
    const location: { row?: number; column?: string } = {};
    if (this.curRow !== undefined) location.row = this.curRow;
    if (this.curCol !== undefined) location.column = columnLetters(this.curCol);
    return new HandoffError(e.code, e.message, { location, cause: e.cause });
  }

  /** Parses one <row> whose name ends at `k`; returns the position after </row>. */
  private parseRow(buf: Buffer, k: number, onRow: (row: RowCells) => void): number {
    const end = buf.length;
    let rowNumber = -1;
    let selfClosing = false;
    // Attributes of <row>: only r matters.
    for (;;) {
      if (k >= end) throw NEED_MORE;
      const c = buf[k]!;
      if (c === GT) {
        k++;
        break;
      }
      if (c === SLASH) {
        if (k + 1 >= end) throw NEED_MORE;
        if (buf[k + 1] !== GT) throw malformed('bad <row> tag');
        selfClosing = true;
        k += 2;
        break;
      }
      if (isSpace(c)) {
        k++;
        continue;
      }
      const as = k;
      const ae = nameEnd(buf, k, end);
      k = ae;
      while (k < end && isSpace(buf[k])) k++;
      if (k >= end) throw NEED_MORE;
      if (buf[k] !== EQ) throw malformed('bad attribute in <row>');
      k++;
      while (k < end && isSpace(buf[k])) k++;
      if (k >= end) throw NEED_MORE;
      const q = buf[k];
      if (q !== QUOTE && q !== APOS) throw malformed('unquoted attribute in <row>');
      const close = buf.indexOf(q, k + 1);
      if (close < 0) throw NEED_MORE;
      if (ae - as === 1 && buf[as] === CH_r) {
        rowNumber = parseUint(buf, k + 1, close);
        if (rowNumber < 1) throw malformed('bad row number in <row r="...">');
      }
      k = close + 1;
    }
    if (rowNumber < 0) rowNumber = this.lastRow + 1;
    this.curRow = rowNumber;
    this.curCol = undefined;
    const row = this.row;
    row.reset(rowNumber);
    if (!selfClosing) k = this.parseCells(buf, k, row);
    this.lastRow = rowNumber;
    onRow(row);
    return k;
  }

  /**
   * Parses the cells of a row up to and including </row>. Written as inline byte loops: this runs
   * for every one of tens of millions of cells, and native indexOf costs more than it saves on the
   * few bytes between markup here.
   */
  private parseCells(buf: Buffer, k: number, row: RowCells): number {
    const { sharedStrings, dateStyles, limits } = this.ctx;
    const maxColumns = limits.maxColumns;
    const maxChars = limits.maxCellChars;
    const sharedTooLong = this.longestShared > maxChars;
    const end = buf.length;
    let kinds = row.kind;
    let nums = row.num;
    let col = -1;
    for (;;) {
      let lt = k;
      while (lt < end && buf[lt] !== LT) lt++;
      if (lt + 1 >= end) throw NEED_MORE;
      const c1 = buf[lt + 1]!;
      if (c1 === SLASH) {
        let gt = lt + 2;
        while (gt < end && buf[gt] !== GT) gt++;
        if (gt >= end) throw NEED_MORE;
        if (!localIs(buf, lt + 2, trimEnd(buf, lt + 2, gt), 'row')) throw malformed('unexpected end tag in <row>');
        return gt + 1;
      }
      if (c1 === BANG) {
        k = skipBang(buf, lt, end);
        continue;
      }
      if (c1 === QMARK) {
        k = skipPi(buf, lt, end);
        continue;
      }
      let ne = lt + 1;
      if (c1 === CH_c && lt + 2 < end && (buf[lt + 2] === 0x20 || buf[lt + 2] === GT || buf[lt + 2] === SLASH)) {
        ne = lt + 2;
      } else {
        ne = nameEnd(buf, lt + 1, end);
        if (!(buf[ne - 1] === CH_c && (ne - lt === 2 || buf[ne - 2] === COLON))) {
          const tag = readTag(buf, lt, end);
          k = skipElement(buf, tag.next, end, tag.name, tag.selfClosing);
          continue;
        }
      }
      // <c> attributes: r (reference), s (style), t (type).
      let ref = -1;
      let style = 0;
      let type = T_N;
      let selfClosing = false;
      k = ne;
      for (;;) {
        if (k >= end) throw NEED_MORE;
        const c = buf[k]!;
        if (c === 0x20) {
          k++;
          continue;
        }
        if (c === GT) {
          k++;
          break;
        }
        if (c === SLASH) {
          if (k + 1 >= end) throw NEED_MORE;
          if (buf[k + 1] !== GT) throw malformed('bad <c> tag');
          selfClosing = true;
          k += 2;
          break;
        }
        if (isSpace(c)) {
          k++;
          continue;
        }
        const as = k;
        let ae: number;
        let q: number | undefined;
        if (buf[k + 1] === EQ && ((q = buf[k + 2]) === QUOTE || q === APOS)) {
          ae = k + 1;
          k += 3;
        } else {
          ae = nameEnd(buf, k, end);
          k = ae;
          while (k < end && isSpace(buf[k])) k++;
          if (k >= end) throw NEED_MORE;
          if (buf[k] !== EQ) throw malformed('bad attribute in <c>');
          k++;
          while (k < end && isSpace(buf[k])) k++;
          if (k >= end) throw NEED_MORE;
          q = buf[k];
          if (q !== QUOTE && q !== APOS) throw malformed('unquoted attribute in <c>');
          k++;
        }
        const vs = k;
        while (k < end && buf[k] !== q) k++;
        if (k >= end) throw NEED_MORE;
        if (ae - as === 1) {
          const a = buf[as];
          if (a === CH_r) ref = parseColumn(buf, vs, k);
          else if (a === CH_s) style = parseUint(buf, vs, k);
          else if (a === CH_t) type = parseType(buf, vs, k);
        }
        k++;
      }
      col = ref >= 0 ? ref : col + 1;
      this.curCol = col;
      if (col >= maxColumns) {
        throw new HandoffError('too_large', `column ${columnLetters(col)} is beyond the limit of ${maxColumns} columns`);
      }
      if (selfClosing) continue;
      // Cell children: <v>, <is>, <f> (ignored), anything else skipped. The last <v> or <is> wins.
      let kind = 0;
      let num = 0;
      let text = '';
      for (;;) {
        let lt2 = k;
        while (lt2 < end && buf[lt2] !== LT) lt2++;
        if (lt2 + 1 >= end) throw NEED_MORE;
        const d1 = buf[lt2 + 1]!;
        if (d1 === SLASH) {
          let gt = lt2 + 2;
          while (gt < end && buf[gt] !== GT) gt++;
          if (gt >= end) throw NEED_MORE;
          if (!(gt === lt2 + 3 && buf[lt2 + 2] === CH_c) && !localIs(buf, lt2 + 2, trimEnd(buf, lt2 + 2, gt), 'c')) {
            throw malformed('unexpected end tag in <c>');
          }
          k = gt + 1;
          break;
        }
        if (d1 === BANG) {
          k = skipBang(buf, lt2, end);
          continue;
        }
        if (d1 === QMARK) {
          k = skipPi(buf, lt2, end);
          continue;
        }
        let ne2: number;
        let isV: boolean;
        if (d1 === CH_v && lt2 + 2 < end && buf[lt2 + 2] === GT) {
          ne2 = lt2 + 2;
          isV = true;
        } else {
          ne2 = nameEnd(buf, lt2 + 1, end);
          isV = buf[ne2 - 1] === CH_v && (ne2 - lt2 === 2 || buf[ne2 - 2] === COLON);
        }
        if (isV) {
          const gt = buf[ne2] === GT ? ne2 : findTagEnd(buf, ne2, end);
          if (buf[gt - 1] === SLASH) {
            k = gt + 1;
            kind = type === T_S || type === T_N ? 0 : CELL_TEXT;
            text = '';
            continue;
          }
          const vs = gt + 1;
          let vlt = vs;
          while (vlt < end && buf[vlt] !== LT) vlt++;
          if (vlt + 1 >= end) throw NEED_MORE;
          let ve = vlt;
          let slow: string | undefined;
          if (buf[vlt + 1] === SLASH && buf[vlt + 2] === CH_v && buf[vlt + 3] === GT) {
            // The common case, `<v>123</v>`: no general end-tag test.
            k = vlt + 4;
          } else if (buf[vlt + 1] === SLASH) {
            let vgt = vlt + 2;
            while (vgt < end && buf[vgt] !== GT) vgt++;
            if (vgt >= end) throw NEED_MORE;
            if (!localIs(buf, vlt + 2, trimEnd(buf, vlt + 2, vgt), 'v')) throw malformed('unexpected end tag in <v>');
            k = vgt + 1;
          } else {
            // CDATA or comments inside <v>: rare, take the general route.
            const item = readStringItem(buf, vs, end, 'v', true);
            slow = item.text;
            k = item.next;
            ve = -1;
          }
          // A cell's value is read into (kind, num, text): see convert().
          kind = this.convert(buf, vs, ve, slow, type, style, sharedStrings, dateStyles);
          num = this.num;
          if (kind === CELL_TEXT) text = this.text;
          // Shared strings are only looked at when one of them is too long (rare): a lookup per cell
          // would touch a string object per cell, which costs cache misses on a large table.
          const length = kind === CELL_TEXT ? text.length : kind === CELL_SHARED && sharedTooLong ? sharedStrings[num]!.length : 0;
          if (length > maxChars) {
            throw new HandoffError('too_large', `cell text of ${length} characters, more than ${maxChars}`);
          }
          continue;
        }
        const isIs = localIs(buf, lt2 + 1, ne2, 'is');
        const tag = readTag(buf, lt2, end);
        if (isIs && !tag.selfClosing) {
          const item = readStringItem(buf, tag.next, end, tag.name);
          k = item.next;
          if (type === T_INLINE || type === T_N) {
            kind = CELL_TEXT;
            text = item.text;
            if (text.length > maxChars) {
              throw new HandoffError('too_large', `cell text of ${text.length} characters, more than ${maxChars}`);
            }
          }
        } else {
          k = skipElement(buf, tag.next, end, tag.name, tag.selfClosing);
        }
      }
      if (kind !== 0) {
        if (col >= kinds.length) {
          row.ensure(col);
          kinds = row.kind;
          nums = row.num;
        }
        kinds[col] = kind;
        if (kind === CELL_TEXT) row.text[col] = text;
        else nums[col] = num;
        if (col >= row.width) row.width = col + 1;
      }
    }
  }

  /** Out-values of convert(), kept on the parser so the hot path returns a small integer only. */
  private num = 0;
  private text = '';

  /**
   * Reads one `<v>` value (bytes [vs, ve), or `slowText` when it had CDATA or comments) as a cell kind;
   * the value itself is left in `this.num` or `this.text`. 0 means no value.
   */
  private convert(
    buf: Buffer,
    vs: number,
    ve: number,
    slowText: string | undefined,
    type: number,
    style: number,
    sharedStrings: readonly string[],
    dateStyles: Uint8Array,
  ): number {
    switch (type) {
      case T_N: {
        let n: number;
        if (slowText !== undefined) {
          n = slowText.trim() === '' ? NaN : Number(slowText);
          if (Number.isNaN(n)) {
            this.text = slowText;
            return slowText === '' ? 0 : CELL_TEXT;
          }
        } else {
          if (vs === ve) return 0;
          n = parseNumber(buf, vs, ve);
          if (Number.isNaN(n)) {
            this.text = decodeText(buf, vs, ve);
            return CELL_TEXT;
          }
        }
        this.num = n;
        return dateStyles[style] === 1 ? CELL_DATE : CELL_NUMBER;
      }
      case T_S: {
        if (slowText === '' || (slowText === undefined && vs === ve)) return 0;
        const idx = slowText !== undefined ? Number(slowText) : parseUint(buf, vs, ve);
        if (!Number.isInteger(idx) || idx < 0 || idx >= sharedStrings.length) {
          throw malformed(`shared string index ${slowText ?? buf.toString('latin1', vs, Math.min(ve, vs + 20))} is out of range`);
        }
        this.num = idx;
        return CELL_SHARED;
      }
      case T_B: {
        const t = slowText ?? buf.toString('latin1', vs, ve);
        this.text = t === '1' || t === 'true' ? 'TRUE' : t === '0' || t === 'false' ? 'FALSE' : t;
        return CELL_TEXT;
      }
      case T_E:
        this.text = slowText ?? decodeText(buf, vs, ve);
        return CELL_TEXT;
      case T_D:
        this.text = normalizeIsoDate(slowText ?? buf.toString('latin1', vs, ve));
        return CELL_TEXT;
      default:
        this.text = decodeOoxmlEscapes(slowText ?? decodeText(buf, vs, ve));
        return CELL_TEXT;
    }
  }
}

function trimEnd(buf: Buffer, s: number, e: number): number {
  while (e > s && isSpace(buf[e - 1])) e--;
  return e;
}

/** True when the qualified name in [s, e) has local part `name`. */
function localIs(buf: Buffer, s: number, e: number, name: string): boolean {
  const n = name.length;
  if (e - s < n) return false;
  for (let i = 0; i < n; i++) if (buf[e - n + i] !== name.charCodeAt(i)) return false;
  return e - s === n || buf[e - n - 1] === COLON;
}

function parseUint(buf: Buffer, s: number, e: number): number {
  if (s === e || e - s > 15) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Parses a number in [s, e); a fast path for plain integers, `Number()` for the rest. */
function parseNumber(buf: Buffer, s: number, e: number): number {
  let i = s;
  const neg = buf[i] === 0x2d;
  if (neg) i++;
  if (e - i > 0 && e - i <= 15) {
    let n = 0;
    for (; i < e; i++) {
      const d = buf[i]! - 0x30;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === e) return neg ? -n : n;
  }
  const text = buf.toString('latin1', s, e);
  return text.trim() === '' ? NaN : Number(text);
}

/** Column index (0-based) from a cell reference like "AB12". */
function parseColumn(buf: Buffer, s: number, e: number): number {
  let col = 0;
  let i = s;
  for (; i < e; i++) {
    let c = buf[i]!;
    if (c >= 0x61 && c <= 0x7a) c -= 0x20;
    if (c < 0x41 || c > 0x5a) break;
    col = col * 26 + (c - 0x40);
    if (col > EXCEL_MAX_COLUMNS) {
      throw new HandoffError('too_large', `cell reference ${buf.toString('latin1', s, Math.min(e, s + 12))} is beyond Excel's last column (XFD, 16,384 columns)`);
    }
  }
  if (i === s) throw malformed(`bad cell reference "${buf.toString('latin1', s, Math.min(e, s + 12))}"`);
  return col - 1;
}

function parseType(buf: Buffer, s: number, e: number): number {
  const len = e - s;
  const c = buf[s];
  if (len === 1) {
    if (c === CH_s) return T_S;
    if (c === CH_n) return T_N;
    if (c === 0x62) return T_B;
    if (c === 0x65) return T_E;
    if (c === 0x64) return T_D;
  } else if (len === 3 && c === CH_s) {
    return T_STR;
  } else if (len === 9 && c === 0x69) {
    return T_INLINE;
  }
  throw malformed(`unknown cell type t="${buf.toString('latin1', s, Math.min(e, s + 12))}"`);
}
/** ISO 8601 cells (t="d"): drop a zero time and trailing Z/milliseconds to match serial dates. */
function normalizeIsoDate(text: string): string {
  let t = text.trim().replace(/Z$/, '').replace(/\.\d+$/, '');
  if (t.endsWith('T00:00:00')) t = t.slice(0, 10);
  return t;
}
