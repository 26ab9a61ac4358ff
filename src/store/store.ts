/**
 * The one handle on the DuckDB file. Writers are the pipeline only; everything else opens the file
 * read-only (DuckDB's `access_mode=READ_ONLY`), so a server can never change what it serves.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { HandoffError } from '../core/errors.ts';

export interface StoreOptions {
  readOnly?: boolean;
  /** DuckDB threads; default: DuckDB's own (the number of cores). */
  threads?: number;
  /** DuckDB memory limit, e.g. '2GB'. */
  memoryLimit?: string;
}

/** A JSON-safe row as node-api's Json reader gives it: BIGINT as string, dates as ISO strings. */
export type JsonRow = Record<string, unknown>;

export class Store {
  /** Statements wait here for the one before: a connection runs one statement at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Opens (and for a writer, creates) the database at `path` (':memory:' for a scratch store). */
  static async open(path: string, options: StoreOptions = {}): Promise<Store> {
    const config: Record<string, string> = {};
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    try {
      const instance = await DuckDBInstance.create(path, config);
      const connection = await instance.connect();
      return new Store(path, options.readOnly ?? false, instance, connection);
    } catch (cause) {
      const message = (cause as Error).message;
      const hint = /lock/i.test(message)
        ? ' (another Handoff process is writing to it; wait for it to finish)'
        : '';
      throw new HandoffError('database', `cannot open the database ${path}: ${message}${hint}`, { cause });
    }
  }

  /**
   * Runs `fn` with the connection once every statement queued before it is done, and holds the
   * connection until it resolves. The loader's rounds run while ingest reads on, so statements from
   * several places can be in flight; this keeps them in order, one at a time.
   */
  exclusive<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => fn(this.connection));
    this.queue = result.catch(() => {});
    return result;
  }

  /** Runs one or more statements, discarding results. */
  async run(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<void> {
    await this.exclusive((connection) => connection.run(sql, params));
  }

  /** Runs a query and returns its rows as JSON-safe objects. */
  async queryRows<T extends JsonRow = JsonRow>(
    sql: string,
    params?: DuckDBValue[] | Record<string, DuckDBValue>,
  ): Promise<T[]> {
    const reader = await this.exclusive((connection) => connection.runAndReadAll(sql, params));
    return reader.getRowObjectsJson() as T[];
  }

  /** The first row of a query, or undefined. */
  async queryRow<T extends JsonRow = JsonRow>(
    sql: string,
    params?: DuckDBValue[] | Record<string, DuckDBValue>,
  ): Promise<T | undefined> {
    return (await this.queryRows<T>(sql, params))[0];
  }

  /**
   * Inserts rows of parameter values into `table` (columns named in the order of each row), a few
   * hundred per statement: for the reference-sized tables the pipeline derives (287(g), policy
   * periods), where an appender would need each column's native type.
   */
  async insertRows(table: string, columns: readonly string[], rows: readonly (readonly DuckDBValue[])[]): Promise<void> {
    const width = columns.length;
    for (let start = 0; start < rows.length; start += 200) {
      const chunk = rows.slice(start, start + 200);
      const tuples = chunk.map((_, r) => `(${columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
      await this.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, chunk.flat());
    }
  }

  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await fn();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.run('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  /** Whether a table or view exists. */
  async hasRelation(name: string): Promise<boolean> {
    const row = await this.queryRow<{ n: string }>(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = $1 UNION ALL SELECT count(*) FROM duckdb_views() WHERE view_name = $1 ORDER BY n DESC LIMIT 1",
      [name],
    );
    return Number(row?.n ?? 0) > 0;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
