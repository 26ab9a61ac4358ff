/**
 * Reads one release file into records of canonical columns, sheet by sheet, as a stream of events.
 *
 * Ingest does no typing beyond what the file itself says: values stay text (numbers as written, date
 * cells as ISO strings), and the store turns them into DATE/TIMESTAMP/INTEGER in bulk, counting every
 * redaction and every value it cannot parse (see src/store/load-records.ts). This keeps the hot loop
 * here to moving references, and keeps the rules for dates in one place.
 */
import path from 'node:path';
import { DEFAULT_LIMITS, type InputLimits } from '../core/config.ts';
import { HandoffError } from '../core/errors.ts';
import { excelSerialToIso } from '../xlsx/index.ts';
import { familyColumns, type Family } from './families.ts';
import { detectLayout, filledCells, foldHeaders, HEADER_SEARCH_ROWS, type SheetLayout } from './layout.ts';
import { openTableFile, type SourceRow } from './read-table.ts';

/** One data row mapped to its family's canonical columns. */
export interface RawRecord {
  sheet: string;
  /** 1-based row number in the source sheet. */
  sourceRow: number;
  /** One entry per canonical column of the family; null when blank or absent. */
  values: (string | null)[];
  /** Values of unknown columns as a JSON object text, or null when there are none. */
  extra: string | null;
}

/** A row that is not data: a repeated header or a lone note, kept with the reason. */
export interface RejectedRow {
  sheet: string;
  sourceRow: number;
  reason: string;
  raw: string;
}

export type ReadEvent =
  | { kind: 'sheet'; sheet: string; layout: SheetLayout; estimatedRows: number | null }
  | { kind: 'skipped_sheet'; sheet: string; reason: string; text: string[] }
  | { kind: 'records'; sheet: string; family: Family; records: RawRecord[] }
  | { kind: 'reject'; reject: RejectedRow };

export interface ReadOptions {
  limits?: InputLimits;
  batchSize?: number;
}

/** Longest raw text kept for a rejected row. */
const REJECT_RAW_CHARS = 500;

function cellToText(cell: string | number | null | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : null;
  return cell === '' ? null : cell;
}

/**
 * Streams the sheets of a file. The family of every data sheet is detected from its headers; sheets of
 * one family are stacked by the caller. A sheet with only notes (at most two filled columns) is
 * skipped and its text kept; a sheet with a table of an unknown layout fails the whole file.
 */
export async function* readReleaseFile(file: string, options: ReadOptions = {}): AsyncGenerator<ReadEvent> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const batchSize = options.batchSize ?? 2048;
  const name = path.basename(file);
  const source = await openTableFile(file, limits);
  try {
    let dataSheets = 0;
    for (const sheet of source.sheets) {
      const where = { file: name, sheet: source.kind === 'xlsx' ? sheet : undefined };
      const iterator = source.rowBatches(sheet, batchSize)[Symbol.asyncIterator]();
      const head: SourceRow[] = [];
      let pending: SourceRow[] = [];
      // Buffer the first rows to find the header; keep the rest of that batch for the data.
      while (head.length < HEADER_SEARCH_ROWS) {
        const next = await iterator.next();
        if (next.done) break;
        const room = HEADER_SEARCH_ROWS - head.length;
        head.push(...next.value.slice(0, room));
        pending = next.value.slice(room);
      }
      const nonEmpty = head.filter((r) => filledCells(r) > 0);
      const widest = Math.max(0, ...nonEmpty.map(filledCells));
      if (widest <= 2) {
        await iterator.return?.();
        yield {
          kind: 'skipped_sheet',
          sheet,
          reason: nonEmpty.length === 0 ? 'empty sheet' : 'no table (notes only)',
          text: nonEmpty.map((r) => r.cells.filter((c) => c !== null && c !== '').join(' | ')),
        };
        continue;
      }
      const layout = detectLayout(head, where);
      dataSheets++;
      const declared = await source.estimateRows(sheet);
      const estimatedRows = declared === null ? null : Math.max(0, declared - layout.headerRowNumber);
      yield { kind: 'sheet', sheet, layout, estimatedRows };
      const mapper = createRowMapper(layout, sheet, source.date1904, limits, name);
      const afterHeader = head.filter((r) => r.rowNumber > layout.headerRowNumber);
      let out = mapper.mapRows(afterHeader.concat(pending));
      for (const reject of out.rejects) yield { kind: 'reject', reject };
      if (out.records.length) yield { kind: 'records', sheet, family: layout.family, records: out.records };
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        out = mapper.mapRows(next.value);
        for (const reject of out.rejects) yield { kind: 'reject', reject };
        if (out.records.length) yield { kind: 'records', sheet, family: layout.family, records: out.records };
      }
    }
    if (dataSheets === 0) {
      throw new HandoffError('empty', 'the file has no sheet with a table', { location: { file: name } });
    }
  } finally {
    await source.close();
  }
}

interface RowMapper {
  mapRows(rows: SourceRow[]): { records: RawRecord[]; rejects: RejectedRow[] };
}

function createRowMapper(
  layout: SheetLayout,
  sheet: string,
  date1904: boolean,
  limits: InputLimits,
  file: string,
): RowMapper {
  const { columns } = familyColumns(layout.family);
  const width = columns.length;
  const isDateColumn = columns.map((c) => c.type === 'date' || c.type === 'datetime');
  const headerFolded = foldHeaders(layout.headers).join('\u0001');
  // Cheap pre-check for a repeated header: its first filled cell, as written.
  const firstHeaderIndex = layout.headers.findIndex((h) => h !== '');
  const firstHeader = layout.headers[firstHeaderIndex] ?? '';
  const pairs: [number, number][] = [];
  layout.sourceToColumn.forEach((column, position) => {
    if (column >= 0) pairs.push([position, column]);
  });
  const unknown = layout.unknownColumns;
  const headerWidth = layout.headers.length;
  const tableWidth = layout.headers.filter(Boolean).length;

  return {
    mapRows(rows) {
      const records: RawRecord[] = [];
      const rejects: RejectedRow[] = [];
      for (const row of rows) {
        const cells = row.cells;
        const filled = filledCells(row);
        if (filled === 0) continue;
        if (cells.length > limits.maxColumns) {
          throw new HandoffError('too_large', `${cells.length} columns, over the limit of ${limits.maxColumns}`, {
            location: { file, sheet, row: row.rowNumber },
          });
        }
        if (filled === 1 && tableWidth > 6) {
          rejects.push({ sheet, sourceRow: row.rowNumber, reason: 'one filled cell in a table row (a note or footer)', raw: rawText(cells) });
          continue;
        }
        const first = cells[firstHeaderIndex];
        if (
          filled >= 3 &&
          typeof first === 'string' &&
          first.trim() === firstHeader &&
          foldHeaders(cells.map((c) => (c === null ? '' : String(c)))).join('\u0001') === headerFolded) {
          rejects.push({ sheet, sourceRow: row.rowNumber, reason: 'repeated header row', raw: rawText(cells) });
          continue;
        }
        const values: (string | null)[] = new Array(width).fill(null);
        for (const [position, column] of pairs) {
          const cell = cells[position];
          if (cell === null || cell === undefined) continue;
          if (typeof cell === 'number' && isDateColumn[column]) {
            // A number in a date column without a date style: an Excel serial all the same.
            values[column] = excelSerialToIso(cell, date1904) ?? String(cell);
          } else {
            values[column] = cellToText(cell);
          }
        }
        let extra: string | null = null;
        if (unknown.length || cells.length > headerWidth) {
          const object: Record<string, string> = {};
          for (const u of unknown) {
            const text = cellToText(cells[u.position]);
            if (text !== null) object[u.key] = text;
          }
          for (let i = headerWidth; i < cells.length; i++) {
            const text = cellToText(cells[i]);
            if (text !== null) object[`column ${i + 1} (no header)`] = text;
          }
          if (Object.keys(object).length) extra = JSON.stringify(object);
        }
        records.push({ sheet, sourceRow: row.rowNumber, values, extra });
      }
      return { records, rejects };
    },
  };
}

function rawText(cells: (string | number | null)[]): string {
  const text = cells.map((c) => (c === null ? '' : String(c))).join('\t').replace(/\t+$/, '');
  return text.length > REJECT_RAW_CHARS ? `${text.slice(0, REJECT_RAW_CHARS)}…` : text;
}

