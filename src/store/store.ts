/**
 * The one handle on the DuckDB file. Writers are the pipeline only; everything else opens the file
 * read-only (DuckDB's `access_mode=READ_ONLY`), so a server can never change what it serves.
 * Also finds, and removes when their process is gone, the files a writer leaves beside the database
 * (its `.lock` and its `.next-<pid>` working copy) when it is killed (`status` and `serve` call it).
 */
import { link, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import nodePath from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { HandoffError } from '../core/errors.ts';

export interface StoreOptions {
  readOnly?: boolean;
  /** DuckDB threads; default: DuckDB's own (the number of cores). */
  threads?: number;
  /** DuckDB memory limit, e.g. '2GB': DuckDB's buffer pool, beyond which it spills to `tempDirectory`. */
  memoryLimit?: string;
  /** Where DuckDB spills what does not fit in `memoryLimit` (default: DuckDB's own, `<path>.tmp`). */
  tempDirectory?: string;
  /** DuckDB's `preserve_insertion_order` (default true); false lets large inserts run in parallel and spill. */
  preserveInsertionOrder?: boolean;
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
    if (options.tempDirectory) config.temp_directory = options.tempDirectory;
    if (options.preserveInsertionOrder !== undefined) config.preserve_insertion_order = String(options.preserveInsertionOrder);
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

/** A file a writer keeps beside the database while it runs: the lock, or the working copy (and its WAL or spill directory). */
export interface Leftover {
  path: string;
  kind: 'lock' | 'working_copy';
  /** The writer's pid: the lock's content, or the number in the copy's name; null when unreadable. */
  pid: number | null;
  bytes: number;
  /** `stale`: no process with that pid runs; `in_use`: one does; `unknown`: a lock without a readable pid. */
  state: 'stale' | 'in_use' | 'unknown';
  removed: boolean;
}

/** An unreadable lock younger than this may be one a writer has just created and not yet filled in. */
const UNREADABLE_LOCK_GRACE_MS = 60_000;

/** Whether a process with `pid` runs (EPERM: it runs as another user). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function sizeOf(p: string): Promise<number> {
  const s = await stat(p).catch(() => null);
  if (!s) return 0;
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const entry of await readdir(p).catch(() => [] as string[])) total += await sizeOf(nodePath.join(p, entry));
  return total;
}

async function lockPid(p: string): Promise<number | null> {
  const text = await readFile(p, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * The writer leftovers beside `dbPath`: `<db>.lock` (holding the writer's pid), `<db>.next-<pid>`
 * with its `.wal` and `.tmp`, and `<db>.lock.stale-<pid>` (a lock being removed by `pid`).
 */
export async function findLeftovers(dbPath: string): Promise<Leftover[]> {
  if (dbPath === ':memory:') return [];
  const dir = nodePath.dirname(dbPath);
  const base = nodePath.basename(dbPath);
  const out: Leftover[] = [];
  for (const entry of (await readdir(dir).catch(() => [] as string[])).sort()) {
    const full = nodePath.join(dir, entry);
    if (entry === `${base}.lock`) {
      const pid = await lockPid(full);
      const state = pid === null ? 'unknown' : isProcessAlive(pid) ? 'in_use' : 'stale';
      out.push({ path: full, kind: 'lock', pid, bytes: await sizeOf(full), state, removed: false });
      continue;
    }
    const aside = entry.startsWith(`${base}.lock.stale-`) ? /^(\d+)$/.exec(entry.slice(base.length + 12)) : null;
    const copy = entry.startsWith(`${base}.next-`) ? /^(\d+)(\..*)?$/.exec(entry.slice(base.length + 6)) : null;
    const m = aside ?? copy;
    if (!m) continue;
    const pid = Number(m[1]);
    out.push({ path: full, kind: aside ? 'lock' : 'working_copy', pid, bytes: await sizeOf(full), state: isProcessAlive(pid) ? 'in_use' : 'stale', removed: false });
  }
  return out;
}

/**
 * Removes the lock at `lockPath` only if it still names `pid` (a dead writer). It is first renamed
 * aside, atomically, and read again there: a writer that took the lock over in the meantime finds its
 * lock put back (`link` never replaces a file), so a live writer's lock is never deleted.
 */
async function removeLock(lockPath: string, pid: number | null): Promise<boolean> {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return false; // gone already: a writer took it over, or it was released
  }
  const now = await lockPid(aside);
  if (now === pid) {
    await rm(aside, { force: true });
    return true;
  }
  await link(aside, lockPath).catch(() => {});
  await rm(aside, { force: true });
  return false;
}

/**
 * Finds the leftovers of `dbPath` and removes those no live process holds: a lock whose pid does not
 * run (or that has no readable pid and is older than a minute), and working copies whose pid does not
 * run. Files of a running writer are reported and kept. Never touches the database file itself.
 */
export async function cleanLeftovers(dbPath: string): Promise<Leftover[]> {
  const found = await findLeftovers(dbPath);
  for (const l of found) {
    if (l.state === 'in_use') continue;
    if (l.kind === 'lock' && nodePath.basename(l.path) === `${nodePath.basename(dbPath)}.lock`) {
      if (l.state === 'unknown') {
        const age = Date.now() - ((await stat(l.path).catch(() => null))?.mtimeMs ?? Date.now());
        if (age < UNREADABLE_LOCK_GRACE_MS) continue;
      }
      l.removed = await removeLock(l.path, l.pid);
    } else if (l.pid !== null && !isProcessAlive(l.pid)) {
      await rm(l.path, { recursive: true, force: true });
      l.removed = true;
    }
  }
  return found;
}
