/**
 * Bulk loading of records into a family table, with typing and counting done inside DuckDB.
 *
 * The fast path, measured by `npm run bench:ingest`: every cell is cleaned once per distinct text
 * (trimmed; redaction markers and blanks → NULL) and replaced by an integer id into a dictionary of
 * the file's distinct clean values. DuckDB receives integer columns (cheap to append) and the
 * dictionary once; each distinct value is typed once (a release has ~200k distinct texts for
 * millions of cells) and one INSERT … SELECT looks the typed values up by id.
 *
 * Records arrive as text (see src/ingest). They are cleaned and counted while appended, 2,048 at a time
 * as DuckDB data chunks, to a temporary staging table of VARCHAR columns (trimmed; redaction markers →
 * NULL); `finish()` then types every column in one INSERT … SELECT (dates of several spellings →
 * DATE/TIMESTAMP, numbers → INTEGER/DOUBLE) and counts, per column, the values it could not read. A value that cannot
 * be read becomes NULL and is counted: never a silently wrong date.
 */
import { DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBAppender, type DuckDBType } from '@duckdb/node-api';
import type { Store } from './store.ts';
import { isRedacted } from '../core/redaction.ts';

/** Type of a column as the loader needs it (the same words as reference/columns). */
export type LoadType = 'text' | 'id' | 'date' | 'datetime' | 'int' | 'number';

export interface LoadColumn {
  name: string;
  type: LoadType;
}

/** One record to load: values aligned to the loader's columns. */
export interface LoadRecord {
  sheet: string;
  sourceRow: number;
  values: (string | null)[];
  extra: string | null;
}

export interface LoadTarget {
  table: string;
  columns: LoadColumn[];
  releaseId: string;
  fileId: string;
  sourceFile: string;
  /** Two-digit years that would land after this year are read as 19xx. */
  pivotYear: number;
}

/** Per-column counts of one load. */
export interface ColumnQuality {
  column: string;
  rowsRead: number;
  filled: number;
  redacted: number;
  unparseable: number;
  examples: string[];
}


const MACROS = `
CREATE OR REPLACE TEMP MACRO handoff_parse_ts(s) AS
  CASE
    WHEN s IS NULL THEN NULL
    WHEN regexp_matches(s, '^\\d{4}-\\d{1,2}-\\d{1,2}') THEN try_cast(s AS TIMESTAMP)
    WHEN regexp_matches(s, '^\\d{1,2}/\\d{1,2}/\\d{4}') THEN
      try_strptime(s, ['%m/%d/%Y', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p'])
    WHEN regexp_matches(s, '^\\d{1,2}/\\d{1,2}/\\d{2}(\\D|$)') THEN
      try_strptime(s, ['%m/%d/%y', '%m/%d/%y %H:%M:%S', '%m/%d/%y %H:%M', '%m/%d/%y %I:%M:%S %p', '%m/%d/%y %I:%M %p'])
    WHEN regexp_matches(s, '^\\d{1,2}-[A-Za-z]{3}-\\d{2,4}$') THEN try_strptime(s, ['%d-%b-%Y', '%d-%b-%y'])
    ELSE NULL END;
-- Two-digit years: DuckDB reads 00-68 as 20xx; a year after the pivot (next year) is 100 years earlier.
CREATE OR REPLACE TEMP MACRO handoff_century(t, s, pivot_year) AS
  CASE WHEN t IS NOT NULL AND year(t) > pivot_year AND regexp_matches(s, '^\\d{1,2}/\\d{1,2}/\\d{2}(\\D|$)')
    THEN t - INTERVAL 100 YEAR ELSE t END;
CREATE OR REPLACE TEMP MACRO handoff_int(d) AS
  CASE WHEN d = round(d) AND abs(d) < 2147483647 THEN CAST(d AS INTEGER) ELSE NULL END;
CREATE OR REPLACE TEMP MACRO handoff_in_range(t) AS
  CASE WHEN t >= TIMESTAMP '1900-01-01' AND t < TIMESTAMP '2100-01-01' THEN t ELSE NULL END;
`;

/**
 * The SQL that types one cleaned column (trimmed, NULL when blank or redacted: see `append`).
 * It refers to its input once per branch only through a column reference: macros that nest the raw
 * cleaning inside the date parser made DuckDB's planner take seconds for a 65-column table.
 */
function typedExpression(column: string, type: LoadType, pivot: number): string {
  switch (type) {
    case 'text':
    case 'id':
      return column;
    case 'date':
      return `CAST(handoff_in_range(handoff_century(handoff_parse_ts(${column}), ${column}, ${pivot})) AS DATE)`;
    case 'datetime':
      return `handoff_in_range(handoff_century(handoff_parse_ts(${column}), ${column}, ${pivot}))`;
    case 'int':
      return `handoff_int(try_cast(replace(${column}, ',', '') AS DOUBLE))`;
    case 'number':
      return `try_cast(regexp_replace(${column}, '[$,\\s]', '', 'g') AS DOUBLE)`;
  }
}

/** Result of cleaning a raw text: a dictionary id (>= 0), or blank / redacted. */
const BLANK = -1;
const REDACTED = -2;
/**
 * What a staged cell holds when it has no clean value. Not SQL NULL: node-api keeps NULLs in a
 * validity mask updated with BigInt arithmetic per cell, which cost more than the rest of the append.
 * Lists are 1-based and `list[NO_VALUE + 1]` = `list[0]` is NULL, so the lookup yields NULL anyway.
 */
const NO_VALUE = -1;

/** Which typed list of the dictionary a column type reads. */
const TYPED_LIST: Record<LoadType, string> = { text: 'ls', id: 'ls', date: 'ld', datetime: 'lt', int: 'li', number: 'ln' };

/** Appends records to a staging table and moves them, typed, into a family table. */
export class RecordLoader {
  private rows = 0;
  private readonly types: DuckDBType[];
  /** Per column: non-blank cells, redaction markers, clean values passed on. */
  private readonly counts: { filled: number[]; redacted: number[]; clean: number[] };
  /** Raw text → dictionary id, BLANK or REDACTED (one lookup per cell; V8 caches string hashes). */
  private readonly codes = new Map<string, number>();
  /** Clean text → dictionary id, so raw spellings that clean alike share an id. */
  private readonly ids = new Map<string, number>();
  private readonly dictionary: string[] = [];

  private constructor(
    private readonly store: Store,
    private readonly target: LoadTarget,
    private readonly stage: string,
    private readonly appender: DuckDBAppender,
  ) {
    this.types = [VARCHAR, INTEGER, ...target.columns.map(() => INTEGER), VARCHAR];
    const zeros = () => target.columns.map(() => 0);
    this.counts = { filled: zeros(), redacted: zeros(), clean: zeros() };
  }

  static async create(store: Store, target: LoadTarget): Promise<RecordLoader> {
    const stage = `handoff_stage_${target.table}`;
    const columns = target.columns.map((_, i) => `c${i} INTEGER`).join(', ');
    await store.run(MACROS);
    await store.run(`CREATE OR REPLACE TEMP TABLE ${stage} (sheet VARCHAR, source_row INTEGER, ${columns}, extra VARCHAR)`);
    const appender = await store.connection.createAppender(stage, 'main', 'temp');
    return new RecordLoader(store, target, stage, appender);
  }

  /** The dictionary id of a raw text, or BLANK / REDACTED. */
  private code(raw: string): number {
    let code = this.codes.get(raw);
    if (code !== undefined) return code;
    const trimmed = raw.trim();
    if (trimmed === '') code = BLANK;
    else if (isRedacted(trimmed)) code = REDACTED;
    else {
      code = this.ids.get(trimmed);
      if (code === undefined) {
        code = this.dictionary.length;
        this.dictionary.push(trimmed);
        this.ids.set(trimmed, code);
      }
    }
    this.codes.set(raw, code);
    return code;
  }

  /**
   * Appends records, column by column, in chunks of at most 2,048 rows. Each value is cleaned
   * (trimmed; NULL when blank or a redaction marker), counted, and sent as its dictionary id.
   */
  append(records: readonly LoadRecord[]): void {
    const width = this.target.columns.length;
    const { filled, redacted, clean } = this.counts;
    const column: number[] = [];
    for (let start = 0; start < records.length; start += 2048) {
      const slice = records.slice(start, start + 2048);
      const chunk = DuckDBDataChunk.create(this.types, slice.length);
      chunk.setColumnValues(0, slice.map((r) => r.sheet));
      chunk.setColumnValues(1, slice.map((r) => r.sourceRow));
      column.length = slice.length;
      for (let c = 0; c < width; c++) {
        for (let r = 0; r < slice.length; r++) {
          const raw = slice[r]!.values[c];
          if (raw === null || raw === undefined) {
            column[r] = NO_VALUE;
            continue;
          }
          const code = this.code(raw);
          if (code >= 0) {
            filled[c]!++;
            clean[c]!++;
            column[r] = code;
          } else {
            if (code === REDACTED) {
              filled[c]!++;
              redacted[c]!++;
            }
            column[r] = NO_VALUE;
          }
        }
        chunk.setColumnValues(c + 2, column);
      }
      chunk.setColumnValues(width + 2, slice.map((r) => r.extra));
      this.appender.appendDataChunk(chunk);
      this.rows += slice.length;
    }
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Types the dictionary once, inserts the staged rows through it, and counts per column. */
  async finish(): Promise<ColumnQuality[]> {
    this.appender.flushSync();
    this.appender.closeSync();
    const { table, columns, releaseId, fileId, sourceFile, pivotYear } = this.target;
    const dict = `${this.stage}_dict`;
    await this.store.run(`CREATE OR REPLACE TEMP TABLE ${dict} (i INTEGER, s VARCHAR)`);
    const appender = await this.store.connection.createAppender(dict, 'main', 'temp');
    try {
      for (let start = 0; start < this.dictionary.length; start += 2048) {
        const part = this.dictionary.slice(start, start + 2048);
        const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR], part.length);
        chunk.setColumnValues(0, part.map((_, k) => start + k));
        chunk.setColumnValues(1, part);
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const used = new Set(columns.map((c) => TYPED_LIST[c.type]));
    const lists = [...used].map((list) => {
      const type = (Object.keys(TYPED_LIST) as LoadType[]).find((t) => TYPED_LIST[t] === list)!;
      return `list(${typedExpression('s', type, pivotYear)} ORDER BY i) AS ${list}`;
    });
    const lookups = `(SELECT ${lists.join(', ')} FROM ${dict}) AS d`;
    const typed = columns.map((c, i) => `d.${TYPED_LIST[c.type]}[c${i} + 1] AS ${c.name}`);
    await this.store.run(
      `INSERT INTO ${table} (release_id, file_id, source_file, sheet, source_row, ${columns.map((c) => c.name).join(', ')}, extra)
       SELECT $1, $2, $3, sheet, source_row, ${typed.join(', ')}, extra FROM ${this.stage}, ${lookups}`,
      [releaseId, fileId, sourceFile],
    );
    // Unparseable = clean values that typed to NULL: the clean count minus the stored count.
    const typedColumns = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.type !== 'text' && c.type !== 'id');
    const stored = typedColumns.length
      ? ((await this.store.queryRow(
          `SELECT ${typedColumns.map(({ c, i }) => `count(${c.name}) AS s${i}`).join(', ')} FROM ${table} WHERE file_id = $1`,
          [fileId],
        )) ?? {})
      : {};
    const quality: ColumnQuality[] = [];
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const unparseable = c.type === 'text' || c.type === 'id' ? 0 : this.counts.clean[i]! - Number(stored[`s${i}`]);
      let examples: string[] = [];
      if (unparseable > 0) {
        const rows = await this.store.queryRows<{ v: string }>(
          `SELECT DISTINCT s AS v FROM ${dict} WHERE i IN (SELECT c${i} FROM ${this.stage}) AND ${typedExpression('s', c.type, pivotYear)} IS NULL ORDER BY v LIMIT 5`,
        );
        examples = rows.map((r) => r.v);
      }
      quality.push({
        column: c.name,
        rowsRead: this.rows,
        filled: this.counts.filled[i]!,
        redacted: this.counts.redacted[i]!,
        unparseable,
        examples,
      });
    }
    await this.store.run(`DROP TABLE ${this.stage}; DROP TABLE ${dict}`);
    return quality;
  }

  /** Drops the staging tables without loading (after a failure). */
  async abandon(): Promise<void> {
    try {
      this.appender.closeSync();
    } catch {
      // Already closed or never used: nothing to release.
    }
    await this.store.run(`DROP TABLE IF EXISTS ${this.stage}; DROP TABLE IF EXISTS ${this.stage}_dict`).catch(() => {});
  }
}
