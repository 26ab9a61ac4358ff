/**
 * Bulk loading of column batches into a family table, with typing and counting done inside DuckDB.
 *
 * Ingest hands over rows as integer columns of dictionary ids (src/core/column-batch.ts): every
 * distinct clean text of a file once, every cell an id. The loader
 * - appends the id columns to a temporary staging table as raw DuckDB data chunks (a memory copy per
 *   column, no call per cell);
 * - types each new dictionary entry once (dates of several spellings → DATE/TIMESTAMP, numbers →
 *   INTEGER/DOUBLE) into a typed dictionary;
 * - moves the staged rows into the family table with one INSERT … SELECT per round of rows, looking
 *   the typed values up by id. Date cells that came as numbers arrive as seconds and skip the text.
 *
 * Rounds run while ingest reads on: DuckDB's threads work on one round while JavaScript parses the
 * next. A value that cannot be read becomes NULL and is counted per column: never a silently wrong
 * date. Measured by `npm run bench:ingest`.
 */
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, INTEGER, VARCHAR } from '@duckdb/node-api';
import { BATCH_ROWS, type ColumnBatch } from '../core/column-batch.ts';
import { trace } from '../core/trace.ts';
import type { Store } from './store.ts';

/** Type of a column as the loader needs it (the same words as reference/columns). */
export type LoadType = 'text' | 'id' | 'date' | 'datetime' | 'int' | 'number';

export interface LoadColumn {
  name: string;
  type: LoadType;
}

/**
 * Columns set on every row from a lookup over the distinct values of other columns (offense
 * categories from the conviction text and code): computed once per new distinct key, joined in as
 * the rows are inserted. Rows are never updated after the insert: DuckDB rewrites updated rows at
 * commit, which cost seconds per 300k rows.
 */
export interface DerivedLookup {
  /** Each key: a column of the target and the lookup's column it matches (`IS NOT DISTINCT FROM`). */
  keys: { column: string; lookupColumn: string }[];
  /** Each derived value: a column of the target and the lookup's column it is taken from. */
  values: { column: string; lookupColumn: string }[];
  /** A SELECT over `source` (a relation with the key columns, by their target names) giving the lookup's rows. */
  sql(source: string): string;
}

export interface LoadTarget {
  table: string;
  columns: LoadColumn[];
  derived?: DerivedLookup;
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
    WHEN regexp_matches(s, '^\\d{1,2}-[A-Za-z]{3}-\\d{4}$') THEN try_strptime(s, '%d-%b-%Y')
    -- Two-digit years need %y: DuckDB's %Y takes "21" as the year 21.
    WHEN regexp_matches(s, '^\\d{1,2}-[A-Za-z]{3}-\\d{2}$') THEN try_strptime(s, '%d-%b-%y')
    ELSE NULL END;
-- Two-digit years: DuckDB reads 00-68 as 20xx; a year after the pivot (next year) is 100 years earlier.
CREATE OR REPLACE TEMP MACRO handoff_century(t, s, pivot_year) AS
  CASE WHEN t IS NOT NULL AND year(t) > pivot_year
         AND (regexp_matches(s, '^\\d{1,2}/\\d{1,2}/\\d{2}(\\D|$)') OR regexp_matches(s, '^\\d{1,2}-[A-Za-z]{3}-\\d{2}$'))
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

/** The DuckDB type each column type is stored as (the family tables' DDL uses it too). */
export const SQL_TYPE: Record<LoadType, string> = { text: 'VARCHAR', id: 'VARCHAR', date: 'DATE', datetime: 'TIMESTAMP', int: 'INTEGER', number: 'DOUBLE' };
/** Which typed list of the dictionary a column type reads. */
const TYPED_LIST: Record<LoadType, string> = { text: 'ls', id: 'ls', date: 'ld', datetime: 'lt', int: 'li', number: 'ln' };
/** The column type each typed list holds: the inverse of TYPED_LIST ('ls' serves text and id alike). */
const LIST_TYPE: Record<string, LoadType> = { ls: 'text', ld: 'date', lt: 'datetime', li: 'int', ln: 'number' };
/** Rows moved into the family table per INSERT. */
const ROUND_ROWS = 32_768;
/** Rows held in memory, waiting for the running round, before append() makes the reader wait. */
const MAX_PENDING_ROWS = 8 * ROUND_ROWS;

function isDateType(type: LoadType): boolean {
  return type === 'date' || type === 'datetime';
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Appends column batches to a staging table and moves them, typed, into a family table. */
export class RecordLoader {
  private rows = 0;
  private round = 0;
  private readonly counts: { filled: number[]; redacted: number[]; clean: number[] };
  private readonly sheets: string[] = [];
  private pending: ColumnBatch[] = [];
  private pendingRows = 0;
  private running: Promise<void> | undefined;
  private failure: unknown;
  private dictionary: readonly string[] = [];
  /** Dictionary entries already typed into the typed dictionary. */
  private typedEntries = 0;
  /** Whether the derived lookup's table exists yet. */
  private lookupMade = false;
  /** The staging table's logical types, for raw data chunks. */
  private readonly chunkTypes: duckdb.LogicalType[];
  private readonly dateColumns: number[];
  private readonly usedLists: string[];

  private constructor(
    private readonly store: Store,
    private readonly target: LoadTarget,
    private readonly stage: string,
  ) {
    const zeros = () => target.columns.map(() => 0);
    this.counts = { filled: zeros(), redacted: zeros(), clean: zeros() };
    this.dateColumns = target.columns.flatMap((c, i) => (isDateType(c.type) ? [i] : []));
    const integer = duckdb.create_logical_type(duckdb.Type.INTEGER);
    const double = duckdb.create_logical_type(duckdb.Type.DOUBLE);
    const varchar = duckdb.create_logical_type(duckdb.Type.VARCHAR);
    this.chunkTypes = [
      integer,
      integer,
      integer,
      ...target.columns.map(() => integer),
      ...this.dateColumns.map(() => double),
      varchar,
    ];
    this.usedLists = [...new Set(target.columns.map((c) => TYPED_LIST[c.type]))];
  }

  static async create(store: Store, target: LoadTarget): Promise<RecordLoader> {
    const stage = `handoff_stage_${target.table}`;
    const loader = new RecordLoader(store, target, stage);
    const ids = target.columns.map((_, i) => `c${i} INTEGER`);
    const seconds = loader.dateColumns.map((i) => `s${i} DOUBLE`);
    const typed = loader.usedLists.map((list) => `${list} ${SQL_TYPE[LIST_TYPE[list]!]}`);
    await store.run(MACROS);
    await store.run(
      `CREATE OR REPLACE TEMP TABLE ${stage} (round INTEGER, sheet_no INTEGER, source_row INTEGER, ${[...ids, ...seconds].join(', ')}, extra VARCHAR);
       CREATE OR REPLACE TEMP TABLE ${stage}_new (i INTEGER, s VARCHAR);
       CREATE OR REPLACE TEMP TABLE ${stage}_dict (i INTEGER, s VARCHAR, ${typed.join(', ')});
       CREATE OR REPLACE TEMP TABLE ${stage}_lists AS SELECT ${loader.usedLists.map((l) => `[]::${SQL_TYPE[LIST_TYPE[l]!]}[] AS ${l}`).join(', ')};`,
    );
    return loader;
  }

  /**
   * Takes one batch (its dictionary included). Resolves at once unless too many rows wait for
   * DuckDB, in which case it waits for the running round: the reader is paused, memory stays bounded.
   */
  async append(batch: ColumnBatch): Promise<void> {
    if (this.failure) throw this.failure;
    if (batch.size === 0) return;
    this.dictionary = batch.dictionary;
    if (!this.sheets.includes(batch.sheet)) this.sheets.push(batch.sheet);
    const { filled, redacted, clean } = this.counts;
    for (let c = 0; c < filled.length; c++) {
      filled[c]! += batch.counts.filled[c]!;
      redacted[c]! += batch.counts.redacted[c]!;
      clean[c]! += batch.counts.clean[c]!;
    }
    this.pending.push(batch);
    this.pendingRows += batch.size;
    this.rows += batch.size;
    if (!this.running && this.pendingRows >= ROUND_ROWS) this.startRound();
    if (this.pendingRows >= MAX_PENDING_ROWS && this.running) await this.running;
    if (this.failure) throw this.failure;
  }

  get rowCount(): number {
    return this.rows;
  }

  private startRound(): void {
    const batches = this.pending;
    this.pending = [];
    this.pendingRows = 0;
    const round = this.round++;
    this.running = this.runRound(batches, round).then(
      () => {
        this.running = undefined;
        if (!this.failure && this.pendingRows >= ROUND_ROWS) this.startRound();
      },
      (error: unknown) => {
        this.failure ??= error;
        this.running = undefined;
      },
    );
  }

  /** One round: type new dictionary entries, stage the batches, insert them typed. */
  private async runRound(batches: ColumnBatch[], round: number): Promise<void> {
    const { stage } = this;
    trace(`${this.target.table}: round ${round} (${batches.reduce((n, b) => n + b.size, 0)} rows) starts`);
    await this.typeNewEntries();
    await this.store.exclusive(async (connection) => {
      const appender = await connection.createAppender(stage, 'main', 'temp');
      try {
        for (const batch of batches) this.appendChunk(appender, batch, round);
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    });
    const { table, columns, releaseId, fileId, sourceFile, derived } = this.target;
    const dictionary = `${stage}_lists AS d`;
    // A column with no value in any of the round's batches is a typed NULL, not a look-up per row:
    // whole columns are empty or redacted in most releases.
    const filled = columns.map((_, i) => batches.some((b) => b.counts.clean[i]! > 0));
    const typed = columns.map((c, i) => `${filled[i] ? this.typedColumn(i) : `CAST(NULL AS ${SQL_TYPE[c.type]})`} AS ${c.name}`);
    const sheetList = `[${this.sheets.map(sqlString).join(', ')}]`;
    const names = ['release_id', 'file_id', 'source_file', 'sheet', 'source_row', ...columns.map((c) => c.name), 'extra'];
    const select = `$1, $2, $3, ${sheetList}[sheet_no + 1], source_row, ${typed.join(', ')}, extra`;
    if (!derived) {
      await this.store.run(
        `INSERT INTO ${table} (${names.join(', ')}) SELECT ${select} FROM ${stage}, ${dictionary} WHERE round = ${round}`,
        [releaseId, fileId, sourceFile],
      );
      trace(`${table}: round ${round} inserted`);
      return;
    }
    // The derived values are looked up by the keys' dictionary ids (integers, -1 for none), joined to
    // the narrow staged rows before anything is typed: joining the typed, wide rows on text keys cost
    // as much as a fifth of the load. The lookup grows by the round's new key pairs only.
    const keyIndex = derived.keys.map((k) => columns.findIndex((c) => c.name === k.column));
    if (keyIndex.some((i) => i < 0 || isDateType(columns[i]!.type))) {
      throw new Error(`derived lookup keys must be text columns of ${table}`);
    }
    const lookup = `${stage}_lookup`;
    const ids = keyIndex.map((i) => `c${i}`).join(', ');
    const fresh = `SELECT DISTINCT ${ids} FROM ${stage} WHERE round = ${round}` + (this.lookupMade ? ` EXCEPT SELECT ${keyIndex.map((_, k) => `k${k}`).join(', ')} FROM ${lookup}` : '');
    const keyed = `SELECT ${ids}, ${keyIndex.map((i) => `${this.typedColumn(i)} AS ${columns[i]!.name}`).join(', ')} FROM (${fresh}), ${dictionary}`;
    const match = derived.keys.map((k) => `x.${k.lookupColumn} IS NOT DISTINCT FROM n.${k.column}`).join(' AND ');
    const rows = `WITH n AS (${keyed})
      SELECT ${keyIndex.map((i, k) => `n.c${i} AS k${k}`).join(', ')}, ${derived.values.map((v) => `x.${v.lookupColumn} AS ${v.column}`).join(', ')}
      FROM n LEFT JOIN (${derived.sql('n')}) AS x ON ${match}`;
    await this.store.run(this.lookupMade ? `INSERT INTO ${lookup} ${rows}` : `CREATE OR REPLACE TEMP TABLE ${lookup} AS ${rows}`);
    this.lookupMade = true;
    const on = keyIndex.map((i, k) => `l.k${k} = c${i}`).join(' AND ');
    await this.store.run(
      `INSERT INTO ${table} (${names.join(', ')}, ${derived.values.map((v) => v.column).join(', ')})
       SELECT ${select}, ${derived.values.map((v) => `l.${v.column}`).join(', ')}
       FROM ${stage} LEFT JOIN ${lookup} AS l ON ${on}, ${dictionary} WHERE round = ${round}`,
      [releaseId, fileId, sourceFile],
    );
    trace(`${table}: round ${round} inserted`);
  }

  /** The SQL giving column `i` typed, in a query over the stage and the typed dictionary `d`. */
  private typedColumn(i: number): string {
    const c = this.target.columns[i]!;
    const lookup = `d.${TYPED_LIST[c.type]}[c${i} + 1]`;
    if (!isDateType(c.type)) return lookup;
    const fromSeconds = `handoff_in_range(make_timestamp(CAST(s${i} AS BIGINT) * 1000000))`;
    const value = c.type === 'date' ? `CAST(${fromSeconds} AS DATE)` : fromSeconds;
    return `CASE WHEN isnan(s${i}) THEN ${lookup} ELSE ${value} END`;
  }

  /** Types the dictionary entries added since the last round, each once. */
  private async typeNewEntries(): Promise<void> {
    const from = this.typedEntries;
    const to = this.dictionary.length;
    if (to === from) return;
    const { stage } = this;
    await this.store.exclusive(async (connection) => {
      const appender = await connection.createAppender(`${stage}_new`, 'main', 'temp');
      try {
        for (let start = from; start < to; start += BATCH_ROWS) {
          const end = Math.min(to, start + BATCH_ROWS);
          const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR], end - start);
          const ids: number[] = [];
          for (let i = start; i < end; i++) ids.push(i);
          chunk.setColumnValues(0, ids);
          chunk.setColumnValues(1, this.dictionary.slice(start, end));
          appender.appendDataChunk(chunk);
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    });
    const pivot = this.target.pivotYear;
    const typed = this.usedLists.map((list) => `${typedExpression('s', LIST_TYPE[list]!, pivot)} AS ${list}`);
    await this.store.run(
      // The lists the INSERT looks ids up in grow by the new entries only (sorting the whole dictionary
      // every round cost 85 ms a round at 213k entries).
      `CREATE OR REPLACE TEMP TABLE ${stage}_typed AS SELECT i, s, ${typed.join(', ')} FROM ${stage}_new;
       INSERT INTO ${stage}_dict SELECT * FROM ${stage}_typed;
       UPDATE ${stage}_lists SET ${this.usedLists
         .map((l) => `${l} = list_concat(${l}, (SELECT list(t.${l} ORDER BY t.i) FROM ${stage}_typed AS t))`)
         .join(', ')};
       DROP TABLE ${stage}_typed; DELETE FROM ${stage}_new;`,
    );
    this.typedEntries = to;
  }

  /** One batch as one raw data chunk: a memory copy per column. */
  private appendChunk(appender: { appendDataChunk(chunk: DuckDBDataChunk): void }, batch: ColumnBatch, round: number): void {
    const n = batch.size;
    const chunk = duckdb.create_data_chunk(this.chunkTypes);
    duckdb.data_chunk_set_size(chunk, n);
    const vector = (i: number) => duckdb.data_chunk_get_vector(chunk, i);
    const ints = new Int32Array(n);
    ints.fill(round);
    duckdb.copy_data_to_vector(vector(0), 0, ints.buffer, 0, n * 4);
    ints.fill(this.sheets.indexOf(batch.sheet));
    duckdb.copy_data_to_vector(vector(1), 0, ints.buffer, 0, n * 4);
    duckdb.copy_data_to_vector(vector(2), 0, batch.sourceRows.buffer, batch.sourceRows.byteOffset, n * 4);
    const width = batch.columns.length;
    for (let c = 0; c < width; c++) {
      const column = batch.columns[c]!;
      duckdb.copy_data_to_vector(vector(3 + c), 0, column.buffer, column.byteOffset, n * 4);
    }
    this.dateColumns.forEach((c, k) => {
      const seconds = batch.seconds[c] ?? new Float64Array(n).fill(NaN);
      duckdb.copy_data_to_vector(vector(3 + width + k), 0, seconds.buffer, seconds.byteOffset, n * 8);
    });
    const extra = vector(3 + width + this.dateColumns.length);
    const validity = new Uint8Array(Math.ceil(BATCH_ROWS / 64) * 8);
    if (batch.extra) {
      for (let r = 0; r < n; r++) {
        const text = batch.extra[r];
        if (text === null || text === undefined) continue;
        duckdb.vector_assign_string_element(extra, r, text);
        validity[r >> 3]! |= 1 << (r & 7);
      }
    }
    duckdb.vector_ensure_validity_writable(extra);
    duckdb.copy_data_to_vector_validity(extra, 0, validity.buffer, 0, validity.byteLength);
    appender.appendDataChunk(new DuckDBDataChunk(chunk));
  }

  /** Loads what is left, waits for every round, and counts per column. */
  async finish(): Promise<ColumnQuality[]> {
    while (this.running) await this.running;
    if (this.failure) throw this.failure;
    if (this.pending.length) {
      this.startRound();
      await this.running;
      if (this.failure) throw this.failure;
    }
    const { table, columns, fileId } = this.target;
    const { stage } = this;
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
          `SELECT DISTINCT s AS v FROM ${stage}_dict WHERE i IN (SELECT c${i} FROM ${stage}) AND ${TYPED_LIST[c.type]} IS NULL ORDER BY v LIMIT 5`,
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
    await this.store.run(
      `DROP TABLE ${stage}; DROP TABLE ${stage}_new; DROP TABLE ${stage}_dict; DROP TABLE ${stage}_lists; DROP TABLE IF EXISTS ${stage}_lookup`,
    );
    return quality;
  }

  /** Drops the staging tables without loading (after a failure). */
  async abandon(): Promise<void> {
    while (this.running) await this.running.catch(() => {});
    const { stage } = this;
    await this.store
      .run(
        `DROP TABLE IF EXISTS ${stage}; DROP TABLE IF EXISTS ${stage}_new; DROP TABLE IF EXISTS ${stage}_dict;
         DROP TABLE IF EXISTS ${stage}_lists; DROP TABLE IF EXISTS ${stage}_typed; DROP TABLE IF EXISTS ${stage}_lookup`,
      )
      .catch(() => {});
  }
}
