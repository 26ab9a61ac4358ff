/**
 * Reads one release file into column batches of canonical columns, sheet by sheet, as a stream of events.
 *
 * Ingest cleans but does not type: every cell is trimmed, blanks and redaction markers become "no
 * value" (counted), and each distinct clean text gets an id in the file's dictionary
 * (src/core/column-batch.ts). The store turns the dictionary into DATE/TIMESTAMP/INTEGER once per
 * distinct text and loads the id columns in bulk (src/store/load-records.ts). The hot loop here moves
 * small integers; the rules for dates stay in one place.
 */
import path from 'node:path';
import { BATCH_ROWS, type ColumnBatch } from '../core/column-batch.ts';
import { DEFAULT_LIMITS, type InputLimits } from '../core/config.ts';
import { HandoffError } from '../core/errors.ts';
import { trace } from '../core/trace.ts';
import type { RowCells } from '../xlsx/index.ts';
import { CellCoder, ColumnMapper, type RejectedRow } from './column-mapper.ts';
import type { Family } from './families.ts';
import { detectLayout, filledCells, HEADER_SEARCH_ROWS, type SheetLayout } from './layout.ts';
import { openTableFile, type SourceRow } from './read-table.ts';

export type { RejectedRow } from './column-mapper.ts';

export type ReadEvent =
  | { kind: 'sheet'; sheet: string; layout: SheetLayout; estimatedRows: number | null }
  | { kind: 'skipped_sheet'; sheet: string; reason: string; text: string[] }
  | { kind: 'columns'; sheet: string; family: Family; batch: ColumnBatch }
  | { kind: 'reject'; reject: RejectedRow };

export interface ReadOptions {
  limits?: InputLimits;
  /** The name errors and provenance give the file (default: its base name); a zip member's is `archive.zip:member`. */
  name?: string;
}

/**
 * One sheet's way through: the first rows are kept as values until the header is found, then every
 * row goes through the sheet's ColumnMapper.
 */
class SheetState {
  head: SourceRow[] = [];
  mapper: ColumnMapper | undefined;
  skipped: { reason: string; text: string[] } | undefined;
  layout: SheetLayout | undefined;

  constructor(
    private readonly sheet: string,
    private readonly where: { file: string; sheet?: string },
    private readonly coder: CellCoder,
    private readonly limits: InputLimits,
  ) {}

  get decided(): boolean {
    return this.mapper !== undefined || this.skipped !== undefined;
  }

  /** A row as values; before the decision it is kept for it. */
  source(row: SourceRow): void {
    if (this.mapper) this.mapper.mapSource(row);
    else if (!this.skipped) this.head.push(row);
  }

  /** A row as parsed (xlsx): mapped in place once the layout is known. */
  cells(row: RowCells): void {
    if (this.mapper) this.mapper.mapCells(row);
    else if (!this.skipped) this.head.push({ rowNumber: row.rowNumber, cells: row.toArray() });
  }

  /** True once enough rows are in to find the header. */
  get ready(): boolean {
    return this.head.length >= HEADER_SEARCH_ROWS;
  }

  /** Finds the header and family (or decides the sheet holds notes only), then maps the held rows. */
  decide(): void {
    const searched = this.head.slice(0, HEADER_SEARCH_ROWS);
    const nonEmpty = searched.filter((r) => filledCells(r) > 0);
    const widest = Math.max(0, ...nonEmpty.map(filledCells));
    if (widest <= 2) {
      this.skipped = {
        reason: nonEmpty.length === 0 ? 'empty sheet' : 'no table (notes only)',
        text: nonEmpty.map((r) => r.cells.filter((c) => c !== null && c !== '').join(' | ')),
      };
      this.head = [];
      return;
    }
    this.layout = detectLayout(searched, this.where);
    this.mapper = new ColumnMapper(this.layout, this.sheet, this.coder, this.limits, this.where.file);
    const held = this.head.filter((r) => r.rowNumber > this.layout!.headerRowNumber);
    this.head = [];
    for (const row of held) this.mapper.mapSource(row);
  }
}

/**
 * Streams the sheets of a file. The family of every data sheet is detected from its headers; sheets of
 * one family are stacked by the caller. A sheet with only notes (at most two filled columns) is
 * skipped and its text kept; a sheet with a table of an unknown layout fails the whole file.
 */
export async function* readReleaseFile(file: string, options: ReadOptions = {}): AsyncGenerator<ReadEvent> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const name = options.name ?? path.basename(file);
  const source = await openTableFile(file, limits, name);
  trace(`${name}: opened`);
  const coder = new CellCoder(source.sharedStrings, source.date1904);
  try {
    let dataSheets = 0;
    for (const sheet of source.sheets) {
      const where = { file: name, sheet: source.kind === 'xlsx' ? sheet : undefined };
      const state = new SheetState(sheet, where, coder, limits);
      let announced = false;
      /** Events for what the sheet produced so far: the sheet itself once decided, then batches and rejects. */
      const drain = async function* (final: boolean): AsyncGenerator<ReadEvent> {
        if (!state.decided && (state.ready || final)) state.decide();
        if (state.skipped || !state.mapper) return;
        if (!announced) {
          announced = true;
          dataSheets++;
          const declared = await source.estimateRows(sheet);
          const estimatedRows = declared === null ? null : Math.max(0, declared - state.layout!.headerRowNumber);
          yield { kind: 'sheet', sheet, layout: state.layout!, estimatedRows };
        }
        if (final) state.mapper.flush();
        const { batches, rejects } = state.mapper.take();
        for (const reject of rejects) yield { kind: 'reject', reject };
        for (const batch of batches) yield { kind: 'columns', sheet, family: state.layout!.family, batch };
      };
      if (source.scanRows) {
        const onRow = (row: RowCells) => state.cells(row);
        for await (const _ of source.scanRows(sheet, onRow)) {
          yield* drain(false);
          if (state.skipped) break;
        }
      } else {
        for await (const rows of source.rowBatches(sheet, BATCH_ROWS)) {
          for (const row of rows) state.source(row);
          yield* drain(false);
          if (state.skipped) break;
        }
      }
      yield* drain(true);
      if (state.skipped) yield { kind: 'skipped_sheet', sheet, reason: state.skipped.reason, text: state.skipped.text };
    }
    if (dataSheets === 0) {
      throw new HandoffError('empty', 'the file has no sheet with a table', { location: { file: name } });
    }
  } finally {
    await source.close();
  }
}
