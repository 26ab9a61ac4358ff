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
import { detectLayout, filledCells, HEADER_SEARCH_ROWS, metadataSheetName, metadataTitle, type SheetLayout } from './layout.ts';
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
  /** Most distinct clean texts the file may hold, all sheets together (default MAX_DISTINCT_TEXTS). */
  maxDistinctTexts?: number;
}

/**
 * Most distinct clean texts (after trimming; numbers count by their text) one file may hold. The
 * file's dictionary is kept whole while it loads, in JavaScript and as DuckDB's typed dictionary, so
 * this caps the part of ingest memory that grows with the input rather than with the batch size.
 * The largest known release file (encounters, July 2025: 1.24 M rows) holds about one per row.
 */
export const MAX_DISTINCT_TEXTS = 2_000_000;

/** How many rows of a metadata sheet (Summary, Footnotes) are kept as text. */
export const METADATA_TEXT_ROWS = 1000;

/** A row's filled cells as one line of text, as notes and metadata sheets are kept. */
function rowText(cells: readonly (string | number | null | undefined)[]): string {
  return cells
    .filter((c) => c !== null && c !== undefined && c !== '')
    .map((c) => String(c).trim())
    .filter(Boolean)
    .join(' | ');
}

/**
 * One sheet's way through: the first rows are kept as values until the header is found, then every
 * row goes through the sheet's ColumnMapper. A metadata sheet (Summary, Footnotes) keeps its text
 * instead, up to METADATA_TEXT_ROWS rows.
 */
class SheetState {
  head: SourceRow[] = [];
  mapper: ColumnMapper | undefined;
  skipped: { reason: string; text: string[]; collecting: boolean } | undefined;
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

  /** True once nothing more is wanted from the sheet's rows (a skipped sheet whose text is kept). */
  get finished(): boolean {
    return this.skipped !== undefined && !this.skipped.collecting;
  }

  /** A row as values; before the decision it is kept for it. */
  source(row: SourceRow): void {
    if (this.mapper) this.mapper.mapSource(row);
    else if (this.skipped) this.keepText(row.cells);
    else this.head.push(row);
  }

  /** A row as parsed (xlsx): mapped in place once the layout is known. */
  cells(row: RowCells): void {
    if (this.mapper) this.mapper.mapCells(row);
    else if (this.skipped) {
      if (this.skipped.collecting) this.keepText(row.toArray());
    } else this.head.push({ rowNumber: row.rowNumber, cells: row.toArray() });
  }

  private keepText(cells: readonly (string | number | null | undefined)[]): void {
    const skipped = this.skipped!;
    if (!skipped.collecting) return;
    const line = rowText(cells);
    if (line) skipped.text.push(line);
    if (skipped.text.length >= METADATA_TEXT_ROWS) skipped.collecting = false;
  }

  /** True once enough rows are in to find the header. */
  get ready(): boolean {
    return this.head.length >= HEADER_SEARCH_ROWS;
  }

  /** Skips the sheet as metadata: its text so far is kept, and the rest of it as it is read. */
  private metadata(reason: string): void {
    const held = this.head;
    this.head = [];
    this.skipped = { reason, text: [], collecting: true };
    for (const row of held) this.keepText(row.cells);
  }

  /**
   * Finds the header and family (or decides the sheet holds notes only, or is a Summary or Footnotes
   * sheet), then maps the held rows.
   */
  decide(): void {
    const searched = this.head.slice(0, HEADER_SEARCH_ROWS);
    const nonEmpty = searched.filter((r) => filledCells(r) > 0);
    const widest = Math.max(0, ...nonEmpty.map(filledCells));
    if (widest <= 2) {
      this.skipped = {
        reason: nonEmpty.length === 0 ? 'empty sheet' : 'no table (notes only)',
        text: nonEmpty.map((r) => r.cells.filter((c) => c !== null && c !== '').join(' | ')),
        collecting: false,
      };
      this.head = [];
      return;
    }
    const named = metadataSheetName(this.sheet);
    if (named) {
      // Named as metadata: never loaded as records, whatever its table looks like (a tally by
      // apprehension method and AOR can share headers with the arrests layout); the reason says so.
      let looksLike = '';
      try {
        looksLike = `; its table resembles the ${detectLayout(searched, this.where).family} layout but was not loaded`;
      } catch (error) {
        if (!(error instanceof HandoffError) || error.code !== 'unknown_layout') throw error;
      }
      this.metadata(`${named} sheet (by its name): metadata, not data; its text is kept${looksLike}`);
      return;
    }
    try {
      this.layout = detectLayout(searched, this.where);
    } catch (error) {
      const title = error instanceof HandoffError && error.code === 'unknown_layout' ? metadataTitle(searched) : undefined;
      if (title === undefined) throw error;
      this.metadata(`metadata sheet (titled "${title}"): not data; its text is kept`);
      return;
    }
    this.mapper = new ColumnMapper(this.layout, this.sheet, this.coder, this.limits, this.where.file);
    const held = this.head.filter((r) => r.rowNumber > this.layout!.headerRowNumber);
    this.head = [];
    for (const row of held) this.mapper.mapSource(row);
  }
}

/**
 * Streams the sheets of a file. The family of every data sheet is detected from its headers; sheets of
 * one family are stacked by the caller. A sheet with only notes (at most two filled columns) is
 * skipped and its text kept; so is a metadata sheet, told by its name ("Summary", "Footnotes", "Notes",
 * see metadataSheetName) or, when its table matches no family, by a title saying it is a summary or
 * footnotes (metadataTitle); any other sheet with a table of an unknown layout fails the whole file.
 */
export async function* readReleaseFile(file: string, options: ReadOptions = {}): AsyncGenerator<ReadEvent> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const name = options.name ?? path.basename(file);
  const source = await openTableFile(file, limits, name);
  trace(`${name}: opened`);
  const coder = new CellCoder(source.sharedStrings, source.date1904);
  const maxDistinct = options.maxDistinctTexts ?? MAX_DISTINCT_TEXTS;
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
        if (coder.dictionary.values.length > maxDistinct) {
          throw new HandoffError(
            'too_large',
            `the file holds more than ${maxDistinct} distinct texts (the limit maxDistinctTexts); ingest keeps them all in memory while it loads, so a file this varied is refused rather than allowed to exhaust it`,
            { location: { file: name, sheet: source.kind === 'xlsx' ? sheet : undefined } },
          );
        }
        const { batches, rejects } = state.mapper.take();
        for (const reject of rejects) yield { kind: 'reject', reject };
        for (const batch of batches) yield { kind: 'columns', sheet, family: state.layout!.family, batch };
      };
      if (source.scanRows) {
        const onRow = (row: RowCells) => state.cells(row);
        for await (const _ of source.scanRows(sheet, onRow)) {
          yield* drain(false);
          if (state.finished) break;
        }
      } else {
        for await (const rows of source.rowBatches(sheet, BATCH_ROWS)) {
          for (const row of rows) state.source(row);
          yield* drain(false);
          if (state.finished) break;
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
