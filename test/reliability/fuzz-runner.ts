/**
 * Runs fuzz cases (test/reliability/fuzz-cases.ts) at two levels and judges the outcome:
 * - `checkReadCase`: `readReleaseFile` drained to the end under a time limit;
 * - `checkIngestCase`: the full `ingestFiles` into a copy of a small database, which must afterwards
 *   hold exactly what it held before, or that plus exactly the file's rows (no partial loads).
 * Shared by the suite (test/reliability/fuzz.test.ts) and the open-ended runner (scripts/fuzz.ts).
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_LIMITS, type InputLimits } from '../../src/core/config.ts';
import { isHandoffError, type HandoffError } from '../../src/core/errors.ts';
import { batchRows } from '../../src/core/column-batch.ts';
import { containerOf, familyColumns, foldHeader, readReleaseFile, tableOf, Unpacker, type Family } from '../../src/ingest/index.ts';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import type { Expectation, FuzzCase } from './fuzz-cases.ts';

export type ReadOutcome =
  | { ok: true; rows: number; byFamily: Partial<Record<Family, number>>; digest: string; tables: number }
  | { ok: false; error: unknown }
  | { ok: false; hang: true };

/**
 * The tables inside a file, as the ingest finds them: a gzip or zip is unpacked into `scratch` first
 * (src/ingest/containers.ts); anything else, including what is not a regular file, is its own table.
 */
async function tablesOf(file: string, limits: InputLimits, scratch: () => Promise<string>): Promise<{ path: string; name: string }[]> {
  const info = await stat(file).catch(() => null);
  // Only a regular file is opened to look at its first bytes: reading a FIFO would wait forever.
  if (!info?.isFile() || (await containerOf(file, limits)) === 'none') return [{ path: file, name: path.basename(file) }];
  const { inputs } = await new Unpacker(await scratch(), limits).unpack(file);
  return inputs.map((t) => ({ path: t.path, name: t.name }));
}

/** Reads a file completely (every event of every table in it), within `timeoutMs`. */
export async function readFully(file: string, limits: Partial<InputLimits> | undefined, timeoutMs: number): Promise<ReadOutcome> {
  const work = (async (): Promise<ReadOutcome> => {
    const hash = createHash('sha1');
    let rows = 0;
    const byFamily: Partial<Record<Family, number>> = {};
    const lim = { ...DEFAULT_LIMITS, ...limits };
    let scratch: string | undefined;
    try {
      const tables = await tablesOf(file, lim, async () => (scratch ??= await mkdtemp(path.join(process.env.HANDOFF_FUZZ_SCRATCH ?? tmpdir(), 'unpack-'))));
      for (const table of tables)
      for await (const event of readReleaseFile(table.path, { limits: lim, name: table.name })) {
        if (event.kind === 'columns') {
          const records = batchRows(event.batch);
          rows += records.length;
          byFamily[event.family] = (byFamily[event.family] ?? 0) + records.length;
          for (const r of records) hash.update(JSON.stringify([r.sheet, r.sourceRow, r.values, r.extra]));
        } else if (event.kind === 'sheet') {
          hash.update(JSON.stringify([event.sheet, event.layout.family, event.layout.headerRowNumber, event.layout.headers]));
        } else if (event.kind === 'reject') {
          hash.update(JSON.stringify(event.reject));
        } else {
          hash.update(JSON.stringify([event.sheet, event.reason, event.text]));
        }
      }
      return { ok: true, rows, byFamily, digest: hash.digest('hex'), tables: tables.length };
    } catch (error) {
      return { ok: false, error };
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<ReadOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, hang: true }), timeoutMs);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** What went wrong with an error, or null when it is an acceptable, located HandoffError. */
function judgeError(error: unknown, fileName: string, expect: Expectation): string | null {
  if (!isHandoffError(error)) {
    const e = error as Error;
    return `crash: ${e?.name ?? typeof error}: ${e?.message ?? String(error)}`;
  }
  const h = error as HandoffError;
  if (h.code === 'internal') return `internal error: ${h.describe()}`;
  if (h.location?.file !== fileName && !h.describe().includes(fileName)) return `error does not name the file: ${h.code}: ${h.describe()}`;
  if (expect.outcome === 'load') return `refused valid input: ${h.code}: ${h.describe()}`;
  if (expect.outcome === 'error' && expect.codes && !expect.codes.includes(h.code)) {
    return `wrong code ${h.code} (expected ${expect.codes.join(' or ')}): ${h.describe()}`;
  }
  return null;
}

export interface CaseReport {
  seed: number;
  kind: string;
  file: string;
  /** 'loaded', 'error:<code>' */
  result: string;
  /** Null when the outcome is acceptable. */
  problem: string | null;
  ms: number;
}

/** Reads one case and judges it. `baseDigests` maps a family to the digest of its pristine workbook. */
export async function checkReadCase(
  c: FuzzCase,
  dir: string,
  options: { timeoutMs: number; baseDigests?: Map<string, string> },
): Promise<CaseReport> {
  const t0 = performance.now();
  const file = await c.write(dir);
  const name = path.basename(file);
  const out = await readFully(file, c.limits, options.timeoutMs);
  const report = (result: string, problem: string | null): CaseReport => ({ seed: c.seed, kind: c.kind, file: name, result, problem, ms: performance.now() - t0 });
  if ('hang' in out) return report('hang', `no result within ${options.timeoutMs} ms`);
  if (!out.ok) {
    const code = isHandoffError(out.error) ? out.error.code : 'exception';
    return report(`error:${code}`, judgeError(out.error, name, c.expect));
  }
  // A gzip or zip holding no table file: the ingest must refuse it, not pass over it in silence.
  if (out.tables === 0) return report('no-table', 'an archive with no table file in it is neither read nor refused');
  if (c.expect.outcome === 'error') return report('loaded', `accepted invalid input (${out.rows} rows)`);
  if (c.expect.outcome === 'load' && c.expect.rows !== undefined && out.rows !== c.expect.rows) {
    return report('loaded', `read ${out.rows} rows, expected ${c.expect.rows}`);
  }
  if (c.expect.outcome === 'either' && c.expect.rowsIfLoaded !== undefined && out.rows !== c.expect.rowsIfLoaded) {
    return report('loaded', `lost rows: read ${out.rows} rows of ${c.expect.rowsIfLoaded}`);
  }
  if (c.expect.outcome === 'either' && c.expect.sameAs && options.baseDigests) {
    const want = options.baseDigests.get(c.expect.sameAs);
    if (want && want !== out.digest) return report('loaded', 'a damaged file read without error but gave different records (silent corruption)');
  }
  if (c.pristine) {
    // The same file undamaged, under the same name (so sheet names and provenance agree).
    const clean = path.join(dir, 'pristine');
    await mkdir(clean, { recursive: true });
    const want = await readFully(await c.pristine(clean), c.limits, options.timeoutMs);
    if (!want.ok) return report('loaded', 'the undamaged file does not read (the case is wrong)');
    if (want.digest !== out.digest) return report('loaded', `a damaged file read without error but gave different records (silent corruption): ${out.rows} rows, undamaged ${want.rows}`);
  }
  return report('loaded', null);
}

/** Row counts of every table, and the file ids in source_files: the state a load must change atomically. */
export async function dbState(db: string): Promise<{ tables: Record<string, number>; files: string[] }> {
  const store = await openReadOnly(db);
  try {
    const names = await store.queryRows<{ table_name: string }>("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name");
    const tables: Record<string, number> = {};
    for (const { table_name } of names) {
      // Identifiers from duckdb_tables(), quoted: not request data.
      const row = await store.queryRow<{ n: string }>(`SELECT count(*) AS n FROM "${table_name.replace(/"/g, '""')}"`);
      tables[table_name] = Number(row!.n);
    }
    const files = (await store.queryRows<{ file_id: string }>('SELECT file_id FROM source_files ORDER BY file_id')).map((r) => r.file_id);
    return { tables, files };
  } finally {
    store.close();
  }
}

/**
 * Ingests one case into a copy of `baseDb` and checks atomicity: a failed file leaves the database
 * exactly as before; a loaded file adds exactly its rows (as an independent full read counts them) to
 * its family tables and one row to source_files.
 */
export async function checkIngestCase(c: FuzzCase, dir: string, baseDb: string, before: Awaited<ReturnType<typeof dbState>>, timeoutMs: number): Promise<CaseReport> {
  const t0 = performance.now();
  const file = await c.write(dir);
  const name = path.basename(file);
  const db = path.join(dir, `case-${c.seed}.duckdb`);
  await copyFile(baseDb, db);
  const report = (result: string, problem: string | null): CaseReport => ({ seed: c.seed, kind: c.kind, file: name, result, problem, ms: performance.now() - t0 });
  const expected = await readFully(file, c.limits, timeoutMs);
  let summary;
  try {
    summary = await ingestFiles([file], { dbPath: db, link: false, limits: { ...DEFAULT_LIMITS, ...c.limits }, now: () => new Date('2026-01-01T00:00:00Z') });
  } catch (error) {
    // Refused before loading (e.g. a directory with no table files): the database must be untouched.
    const after = await dbState(db);
    const same = JSON.stringify(after) === JSON.stringify(before);
    const bad = isHandoffError(error) ? (error.code === 'internal' ? 'internal error' : null) : `crash: ${(error as Error).message}`;
    return report(`thrown:${isHandoffError(error) ? error.code : 'exception'}`, bad ?? (same ? null : 'the database changed although the ingest failed'));
  }
  const outcome = summary.files[0];
  const after = await dbState(db);
  if (!outcome) {
    const same = JSON.stringify(after) === JSON.stringify(before);
    return report('no-outcome', `the ingest reported nothing for the file (neither loaded nor failed)${same ? '' : ' and the database changed'}`);
  }
  if (outcome.status === 'failed') {
    if (outcome.error?.code === 'internal') return report('failed:internal', `internal error: ${outcome.error.message}`);
    if (!outcome.error?.message.includes(name)) return report(`failed:${outcome.error?.code}`, `error does not name the file: ${outcome.error?.message}`);
    if (JSON.stringify(after) !== JSON.stringify(before)) return report(`failed:${outcome.error?.code}`, `partial load: ${JSON.stringify(diff(before.tables, after.tables))}`);
    if (expected.ok) return report(`failed:${outcome.error?.code}`, `the reader accepted the file but the ingest failed: ${outcome.error?.message}`);
    return report(`failed:${outcome.error?.code}`, null);
  }
  if (!expected.ok) return report('loaded', 'the ingest loaded a file the reader refuses');
  const d = diff(before.tables, after.tables);
  for (const [family, n] of Object.entries(expected.byFamily)) {
    const table = tableOf(family as Family);
    if ((d[table] ?? 0) !== n) return report('loaded', `partial load: ${table} gained ${d[table] ?? 0} rows, the file has ${n}`);
  }
  if (after.files.length !== before.files.length + 1 || !after.files.includes(outcome.fileId!)) return report('loaded', 'source_files does not hold exactly one new file');
  // 0 lost rows: the rows the store holds for the file (by SQL on file_id), against what the case wrote.
  const want = c.expect.outcome === 'load' ? c.expect.rows : c.expect.outcome === 'either' ? c.expect.rowsIfLoaded : undefined;
  if (want !== undefined || c.injected?.length) {
    const problem = await checkStoredRows(db, outcome.fileId!, Object.keys(expected.byFamily) as Family[], want, c);
    if (problem) return report('loaded', problem);
  }
  return report('loaded', null);
}

/**
 * SQL over the store after a load: the file's rows across its family tables equal `want` (none lost, none
 * rejected), and every injected value's column holds at least as many values as were injected (an
 * unknown value or a territory is loaded as it is, never emptied or dropped).
 */
async function checkStoredRows(db: string, fileId: string, families: Family[], want: number | undefined, c: FuzzCase): Promise<string | null> {
  const store = await openReadOnly(db);
  try {
    let total = 0;
    for (const family of families) {
      const row = await store.queryRow<{ n: bigint }>(`SELECT count(*) AS n FROM ${tableOf(family)} WHERE file_id = $1`, [fileId]);
      total += Number(row!.n);
    }
    const rejected = await store.queryRow<{ n: bigint }>('SELECT coalesce(sum(rows_rejected), 0) AS n FROM source_files WHERE file_id = $1', [fileId]);
    if (want !== undefined && total !== want) return `lost rows: the store holds ${total} rows of the file's ${want} (${Number(rejected!.n)} rejected)`;
    for (const v of c.injected ?? []) {
      if (!families.includes(v.family as Family)) continue;
      const index = familyColumns(v.family as Family).byAlias.get(foldHeader(v.header));
      if (index === undefined) continue;
      const { name: column, type } = familyColumns(v.family as Family).columns[index]!;
      // A text column keeps the value as given; a typed one must at least not be emptied.
      const sql =
        type === 'text' || type === 'id'
          ? `SELECT count(*) AS n FROM ${tableOf(v.family as Family)} WHERE file_id = $1 AND "${column}" = $2`
          : `SELECT count("${column}") AS n FROM ${tableOf(v.family as Family)} WHERE file_id = $1 AND $2 IS NOT NULL`;
      const row = await store.queryRow<{ n: bigint }>(sql, [fileId, v.value]);
      if (Number(row!.n) < v.cells) return `lost values: ${v.family}.${column} has "${v.value}" in ${Number(row!.n)} rows, ${v.cells} cells were given it`;
    }
    return null;
  } finally {
    store.close();
  }
}

function diff(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if ((b[k] ?? 0) !== (a[k] ?? 0)) out[k] = (b[k] ?? 0) - (a[k] ?? 0);
  return out;
}
