/**
 * Ingest: files → one release in the database, atomically and idempotently.
 *
 * The database file is never written in place. The pipeline copies it to `<db>.next-<pid>`, loads each
 * new file there in its own transaction, checkpoints, and renames the copy over the original. A crash
 * or `kill -9` at any point leaves the original exactly as it was (and a stray copy that the next run
 * removes); a reader that has the original open keeps a consistent view until it reopens.
 * A file is keyed by the SHA-256 of its bytes: the same file again changes nothing and says so.
 */
import { createHash } from 'node:crypto';
import { createReadStream, writeSync } from 'node:fs';
import { copyFile, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_LIMITS, type InputLimits } from '../core/config.ts';
import { HandoffError, isHandoffError, type InputLocation } from '../core/errors.ts';
import { hasSyntheticMarker } from '../core/synthetic.ts';
import { trace } from '../core/trace.ts';
import {
  familyColumns,
  readReleaseFile,
  tableFormat,
  tableOf,
  TABLE_EXTENSIONS,
  Unpacker,
  type Family,
  type RejectedRow,
  type SheetLayout,
  type TableInput,
} from '../ingest/index.ts';
import { migrate, recomputeFlags, RecordLoader, Store, type ColumnQuality } from '../store/index.ts';
import { assignPolicies } from './assign-policies.ts';
import { writeProtection } from './write-protection.ts';
import { openSourceRelease, recordSourceFile } from './source-release.ts';
import { loadOffenseCrosswalk, offenseLookup } from './derive-offenses.ts';
import { is287gSheet, is287gSnapshotSeries, load287gFile, load287gSnapshotSeries } from './load-287g.ts';
import { acquireLock, isAlive } from './file-lock.ts';
import { detectFacilitySource, loadFacilitySourceRelease } from './load-facility-sources.ts';
import { buildLifecycles } from '../link/index.ts';

/**
 * DuckDB's memory limit for the writer (the reader's own memory comes on top): its buffer pool, beyond
 * which it spills to `<db>.next-<pid>.tmp` beside the working copy (removed when the run ends).
 */
export const WRITER_MEMORY_LIMIT = '512MB';
/**
 * DuckDB's memory limit for the steps after the files are read (flags, lifecycles, policies,
 * protection), when the reader's memory is free again: the lifecycle's joins of a workbook at the row
 * limits (3.1 M detainers) did not fit in WRITER_MEMORY_LIMIT and could not spill enough.
 */
export const DERIVED_MEMORY_LIMIT = '2GB';


export interface IngestProgress {
  file: string;
  sheet: string;
  family: Family;
  rows: number;
  /** Rows the sheet declares (xlsx), for an ETA; null when unknown. */
  sheetRows: number | null;
  /** Rows of the whole run so far. */
  totalRows: number;
  elapsedSeconds: number;
}

export interface IngestOptions {
  dbPath: string;
  /** Join an existing release (by id or label), or name the new one. */
  release?: string;
  /** Mark the release as synthetic (the demo generator does; the preamble marker also does). */
  synthetic?: boolean;
  limits?: InputLimits;
  /** DuckDB's memory limit for the writer, e.g. '512MB' (default WRITER_MEMORY_LIMIT). */
  memoryLimit?: string;
  /** DuckDB's memory limit for the steps after reading (default DERIVED_MEMORY_LIMIT). */
  derivedMemoryLimit?: string;
  /** Most distinct texts one file may hold (default MAX_DISTINCT_TEXTS, see read-release-file.ts). */
  maxDistinctTexts?: number;
  now?: () => Date;
  onProgress?: (progress: IngestProgress) => void;
  /** Rebuild the detainer lifecycles of the release after loading (default true). */
  link?: boolean;
  /** Protect the release's public figures and store the result (default true; see write-protection.ts). */
  protect?: boolean;
  /** The snapshot date of 287(g) sheets (ISO date), overriding what their names and contents say. */
  asOf?: string;
  /**
   * Called between steps with the step's name (crash tests, progress): copying, copied, read:<file>
   * (its rows are read, the last of them loading), loaded:<file>, flagging, flagged, linking, linked,
   * protecting, protected, checkpointing, checkpointed, renamed.
   */
  onStep?: (step: string) => void | Promise<void>;
}

export interface FileOutcome {
  file: string;
  status: 'loaded' | 'unchanged' | 'failed';
  fileId?: string;
  releaseId?: string;
  rows?: number;
  rejects?: number;
  tables?: Partial<Record<Family, number>>;
  unknownColumns?: string[];
  redactedColumns?: string[];
  unparseable?: Record<string, number>;
  skippedSheets?: { sheet: string; reason: string }[];
  /** The file the user gave, when this table came out of a gzip or zip. */
  archive?: string;
  /** Members of a zip that are not tables, so were not read. */
  skippedMembers?: string[];
  error?: { code: string; message: string; location?: InputLocation };
}

export interface IngestSummary {
  dbPath: string;
  releaseId: string | null;
  releaseLabel: string | null;
  synthetic: boolean;
  changed: boolean;
  files: FileOutcome[];
  seconds: number;
}

/** Expands directories into the table files they hold (not recursive into hidden folders). */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new HandoffError('not_found', `no such file or directory: ${input}`);
    if (info.isDirectory()) {
      const entries = (await readdir(input)).sort();
      for (const entry of entries) {
        if (entry.startsWith('.') || entry.startsWith('~$')) continue;
        if (!TABLE_EXTENSIONS.has(path.extname(entry).toLowerCase())) continue;
        // Only regular files: reading a named pipe or a device would wait forever.
        const entryInfo = await stat(path.join(input, entry)).catch(() => null);
        if (entryInfo?.isFile()) files.push(path.join(input, entry));
      }
    } else if (info.isFile()) {
      files.push(input);
    } else {
      throw new HandoffError('bad_input', `not a regular file (a pipe, socket or device cannot be ingested): ${input}`);
    }
  }
  return [...new Set(files.map((f) => path.resolve(f)))];
}

/** SHA-256 of a file's bytes, streamed. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A release label from ICE's file names (the FOIA request number), or the first file's name. */
export function guessReleaseLabel(files: string[]): string {
  const names = files.map((f) => path.basename(f));
  for (const pattern of [/\d{4}-ICFO-\d{5}/, /\d{4}-ICLI-\d{5}/, /\d{2}-\d{5}/]) {
    for (const name of names) {
      const match = name.match(pattern);
      if (match) return match[0];
    }
  }
  return names[0]?.replace(/\.[^.]+$/, '') ?? 'release';
}

async function removeStaleCopies(dbPath: string): Promise<void> {
  const dir = path.dirname(dbPath);
  const base = path.basename(dbPath);
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    const match = entry.startsWith(`${base}.next-`) ? entry.slice(base.length + 6).match(/^(\d+)/) : null;
    if (match && !isAlive(Number(match[1]))) await rm(path.join(dir, entry), { force: true, recursive: true });
  }
}

/**
 * Crash tests only (scripts/crash-trials.ts, test/reliability/crash.test.ts): with
 * HANDOFF_TEST_PAUSE_AT=<step> in the environment, the process says `HANDOFF_PAUSED_AT <step>` on
 * stderr when it reaches that step (`loaded` matches `loaded:<file>`) and blocks there until killed.
 * Inert when the variable is unset.
 */
function pauseForCrashTest(step: string): void {
  const at = process.env.HANDOFF_TEST_PAUSE_AT;
  if (!at || (step !== at && !step.startsWith(`${at}:`))) return;
  writeSync(2, `HANDOFF_PAUSED_AT ${step}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Ingests files into one release. Failed files are reported and leave no trace; others still load. */
export async function ingestFiles(inputs: string[], options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const files = await expandInputs(inputs);
  if (files.length === 0) throw new HandoffError('not_found', 'no .xlsx, .csv, .txt, .tsv, .gz or .zip files to ingest');
  const scratch = await mkdtemp(path.join(tmpdir(), 'handoff-unpack-'));
  try {
    return await ingestTables(files, scratch, options, started);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Ingest proper: the user's files unpacked into `scratch` (gzip, zip), then loaded. */
async function ingestTables(files: string[], scratch: string, options: IngestOptions, started: number): Promise<IngestSummary> {
  const now = options.now ?? (() => new Date());
  const limits = options.limits ?? DEFAULT_LIMITS;
  // A container that cannot be unpacked fails as that one file; the others still load.
  const unpacker = new Unpacker(scratch, limits);
  const tables: TableInput[] = [];
  const unpackFailures: FileOutcome[] = [];
  const skippedMembers = new Map<string, string[]>();
  for (const file of files) {
    try {
      const { inputs, skipped } = await unpacker.unpack(file);
      tables.push(...inputs);
      if (skipped.length) skippedMembers.set(path.resolve(file), skipped);
    } catch (error) {
      const e = asHandoffError(error);
      unpackFailures.push({ file: path.basename(file), status: 'failed', error: { code: e.code, message: e.describe(), location: e.location } });
    }
  }
  const hashes = new Map<string, string>();
  for (const table of tables) hashes.set(table.path, await hashFile(table.path));

  const { dbPath } = options;
  const step = async (name: string): Promise<void> => {
    trace(name);
    pauseForCrashTest(name);
    await options.onStep?.(name);
  };
  const memoryLimit = options.memoryLimit ?? WRITER_MEMORY_LIMIT;
  const release = acquireLock(`${dbPath}.lock`);
  const workPath = `${dbPath}.next-${process.pid}`;
  let store: Store | undefined;
  try {
    await removeStaleCopies(dbPath);
    const exists = await stat(dbPath).then(() => true, () => false);
    await step('copying');
    if (exists) {
      await copyFile(dbPath, workPath);
      const wal = await stat(`${dbPath}.wal`).then(() => true, () => false);
      if (wal) await copyFile(`${dbPath}.wal`, `${workPath}.wal`);
    }
    await step('copied');
    // A bounded buffer pool: DuckDB spills to the temp directory beyond it (docs/reliability.md, memory).
    // Rows carry their source position (file, sheet, row), so the table need not keep insertion
    // order; without it DuckDB writes a large insert in parallel, can spill it, and its commit is almost free.
    store = await Store.open(workPath, { memoryLimit, tempDirectory: `${workPath}.tmp`, preserveInsertionOrder: false });
    trace('opened');
    await migrate(store);
    trace('migrated');

    const known = new Map<string, string>();
    for (const row of await store.queryRows<{ file_id: string; release_id: string }>(
      'SELECT file_id, release_id FROM source_files',
    )) {
      known.set(row.file_id, row.release_id);
    }
    const fresh = tables.filter((t) => !known.has(hashes.get(t.path)!));
    const target = await resolveRelease(store, options.release, fresh.map((t) => hashes.get(t.path)!), files);
    const outcomes: FileOutcome[] = [...unpackFailures];
    let totalRows = 0;
    for (const table of tables) {
      const file = table.path;
      const fileId = hashes.get(file)!;
      const name = table.name;
      const origin: Pick<FileOutcome, 'archive' | 'skippedMembers'> = table.containers.length
        ? { archive: path.basename(table.origin), skippedMembers: skippedMembers.get(table.origin) }
        : {};
      if (known.has(fileId)) {
        outcomes.push({ file: name, status: 'unchanged', fileId, releaseId: known.get(fileId), ...origin });
        continue;
      }
      try {
        // A 287(g) snapshot series is told by its first line; a 287(g) sheet only once the ICE layouts
        // have not matched it, so an ICE workbook is opened (and its shared strings read) once.
        if (await is287gSnapshotSeries(file)) {
          outcomes.push(await store.transaction(() => loadAgreementFile(store!, file, fileId, now, limits, 'series', options.asOf)));
          await step(`loaded:${name}`);
          continue;
        }
        const loadIceFile = () => store!.transaction(() =>
          loadFile(store!, table, fileId, target, {
            limits,
            memoryLimit,
            maxDistinctTexts: options.maxDistinctTexts,
            now,
            synthetic: options.synthetic ?? false,
            onRead: () => step(`read:${name}`),
            onRows: (sheet, family, rows) => {
              if (rows.total === rows.delta) pauseForCrashTest(`loading:${name}`);
              totalRows += rows.delta;
              options.onProgress?.({
                file: name,
                sheet,
                family,
                rows: rows.total,
                sheetRows: rows.expected,
                totalRows,
                elapsedSeconds: (performance.now() - started) / 1000,
              });
            },
          }),
        );
        let outcome: FileOutcome;
        try {
          outcome = await loadIceFile();
        } catch (error) {
          if (!(isHandoffError(error) && error.code === 'unknown_layout')) throw error;
          // Not an ICE table: a 287(g) sheet, an ICE facility list or a detention-statistics workbook, else the layout error stands.
          if (await is287gSheet(file, limits)) {
            outcome = await store.transaction(() => loadAgreementFile(store!, file, fileId, now, limits, 'sheet', options.asOf));
          } else if ((await detectFacilitySource(file, limits)) !== null) {
            outcome = await store.transaction(() => loadFacilitySourceRelease(store!, file, fileId, { now, limits }));
          } else {
            throw error;
          }
        }
        outcomes.push({ ...outcome, ...origin });
        await step(`loaded:${name}`);
      } catch (error) {
        const e = asHandoffError(error);
        // The file's transaction is rolled back by now; loadFile could not reset its one thread then.
        await store.run('RESET threads').catch(() => {});
        outcomes.push({
          file: name,
          status: 'failed',
          fileId,
          ...origin,
          error: { code: e.code, message: e.describe(), location: e.location },
        });
      }
    }
    const changed = outcomes.some((o) => o.status === 'loaded');
    const releaseRow = changed
      ? await store.queryRow<{ release_id: string; label: string; synthetic: boolean }>(
          'SELECT release_id, label, synthetic FROM releases WHERE release_id = $1',
          [target.releaseId],
        )
      : undefined;
    if (changed) {
      // The release's duplicate flags, in a transaction of their own after the loads: updating rows in
      // the transaction that inserted them made DuckDB rewrite them at commit (about 1 s per 300k
      // rows); updating committed rows does not. A failure here fails the whole run, and the original
      // database is untouched (copy-on-write).
      const loaded = outcomes.filter((o) => o.status === 'loaded' && o.tables !== undefined && o.releaseId === target.releaseId);
      const families = new Set(loaded.flatMap((o) => Object.keys(o.tables!) as Family[]));
      const derivedLimit = options.derivedMemoryLimit ?? DERIVED_MEMORY_LIMIT;
      await store.run(`SET memory_limit = '${derivedLimit.replace(/[^0-9A-Za-z.]/g, '')}'`);
      await step('flagging');
      await derivedStep('flags', derivedLimit, () =>
        store!.transaction(async () => {
          for (const family of families) {
            await recomputeFlags(store!, tableOf(family), target.releaseId, familyColumns(family).columns.map((c) => c.name));
          }
        }),
      );
      await step('flagged');
      // Detainer lifecycles (issue 4, src/link/lifecycle): rebuilt for the release just loaded.
      if (options.link !== false && outcomes.some((o) => o.status === 'loaded' && o.releaseId === target.releaseId)) {
        await step('linking');
        await derivedStep('lifecycles', derivedLimit, async () => {
          await buildLifecycles(store!, { releaseId: target.releaseId, now });
          await assignPolicies(store!, target.releaseId);
        });
        await step('linked');
      }
      // The public figures' protection, computed once here instead of at every server start.
      if (options.protect !== false) {
        await step('protecting');
        await derivedStep('protection', derivedLimit, () => writeProtection(store!, target.releaseId, now()));
        await step('protected');
      }
      await step('checkpointing');
      await store.run('CHECKPOINT');
      store.close();
      store = undefined;
      await step('checkpointed');
      await fsyncPath(workPath);
      await rm(`${workPath}.wal`, { force: true });
      pauseForCrashTest('renaming');
      await rename(workPath, dbPath);
      await fsyncPath(path.dirname(dbPath));
      await step('renamed');
    }
    return {
      dbPath,
      releaseId: releaseRow?.release_id ?? null,
      releaseLabel: releaseRow?.label ?? null,
      synthetic: releaseRow?.synthetic ?? false,
      changed,
      files: outcomes,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    store?.close();
    await rm(workPath, { force: true });
    await rm(`${workPath}.wal`, { force: true });
    await rm(`${workPath}.tmp`, { force: true, recursive: true });
    release();
  }
}

function asHandoffError(error: unknown): HandoffError {
  return isHandoffError(error)
    ? error
    : new HandoffError('internal', (error as Error).message ?? String(error), { cause: error });
}

/** A 287(g) agency sheet: a release of its own, kind `agreements_287g`. */
async function loadAgreementFile(
  store: Store,
  file: string,
  fileId: string,
  now: () => Date,
  limits: InputLimits,
  kind: 'sheet' | 'series',
  asOf: string | undefined,
): Promise<FileOutcome> {
  const name = path.basename(file);
  const releaseId = `g_${fileId.slice(0, 16)}`;
  const info = await stat(file);
  await openSourceRelease(store, { releaseId, label: `287(g) agencies: ${name}`, kind: 'agreements_287g', fileId, fileName: name, bytes: info.size, format: 'xlsx', now: now() });
  if (kind === 'series') {
    const series = await load287gSnapshotSeries(store, file, { fileId, releaseId }, limits);
    await recordSourceFile(store, fileId, { rows: series.rows, rejects: series.rejects, metadata: { kind: '287g_snapshot_series', snapshots: series.snapshots }, format: 'csv' });
    return { file: name, status: 'loaded', fileId, releaseId, rows: series.rows, rejects: series.rejects };
  }
  const result = await load287gFile(store, file, { fileId, releaseId }, limits, { asOf });
  await recordSourceFile(store, fileId, {
    rows: result.rows,
    rejects: result.rejects,
    metadata: {
      snapshot_date: result.snapshotDate,
      snapshot_basis: result.snapshotBasis,
      notes: result.notes,
      skipped_sheets: result.skippedSheets,
      blank_rows: result.blankRows,
      sheet: result.sheet,
    },
  });
  return {
    file: name,
    status: 'loaded',
    fileId,
    releaseId,
    rows: result.rows,
    rejects: result.rejects,
    skippedSheets: result.skippedSheets.map((s) => ({ sheet: s.sheet, reason: s.reason })),
  };
}

interface ReleaseTarget {
  releaseId: string;
  label: string;
  existing: boolean;
  existingSynthetic: boolean | null;
}

async function resolveRelease(
  store: Store,
  requested: string | undefined,
  freshHashes: string[],
  files: string[],
): Promise<ReleaseTarget> {
  if (requested) {
    const row = await store.queryRow<{ release_id: string; label: string; synthetic: boolean }>(
      'SELECT release_id, label, synthetic FROM releases WHERE release_id = $1 OR label = $1 ORDER BY created_at LIMIT 1',
      [requested],
    );
    if (row) return { releaseId: row.release_id, label: row.label, existing: true, existingSynthetic: row.synthetic };
  }
  const digest = createHash('sha256').update([...freshHashes].sort().join('\n')).digest('hex');
  return {
    releaseId: `r_${digest.slice(0, 16)}`,
    label: requested ?? guessReleaseLabel(files),
    existing: false,
    existingSynthetic: null,
  };
}

interface LoadContext {
  limits: InputLimits;
  memoryLimit: string;
  maxDistinctTexts: number | undefined;
  now: () => Date;
  synthetic: boolean;
  /** The file is read; its last rows are being loaded (a progress step). */
  onRead: () => Promise<void>;
  onRows: (sheet: string, family: Family, rows: { delta: number; total: number; expected: number | null }) => void;
}

async function loadFile(
  store: Store,
  table: TableInput,
  fileId: string,
  target: ReleaseTarget,
  ctx: LoadContext,
): Promise<FileOutcome> {
  const { path: file, name } = table;
  const loaders = new Map<Family, RecordLoader>();
  const layouts: { sheet: string; layout: SheetLayout; rows: number; expected: number | null }[] = [];
  const skipped: { sheet: string; reason: string; text: string[] }[] = [];
  const rejects: RejectedRow[] = [];
  const pivotYear = ctx.now().getUTCFullYear() + 1;
  const info = await stat(file);
  // One DuckDB thread while the file is read: JavaScript parses on the other core meanwhile and the
  // loader's rounds keep up; two threads fought the parser for the cores and were slower overall
  // (`npm run bench:ingest`). Once the file is read, the last round gets every core.
  await store.run('SET threads = 1');
  /** The sheet being read, for an error that DuckDB raises while its rows load. */
  let sheet: string | undefined;
  const qualities = new Map<Family, ColumnQuality[]>();
  let failed = false;
  try {
    for await (const event of readReleaseFile(file, { limits: ctx.limits, name, maxDistinctTexts: ctx.maxDistinctTexts })) {
      if (event.kind === 'sheet') {
        sheet = event.sheet;
        layouts.push({ sheet: event.sheet, layout: event.layout, rows: 0, expected: event.estimatedRows });
        const family = event.layout.family;
        if (!loaders.has(family)) {
          const { columns } = familyColumns(family);
          const derived = offenseLookup(tableOf(family));
          // Refreshed per file, inside its transaction, so the reference tables exist whenever a loader
          // reads them: a load made once per run would be undone by the rollback of a failed file.
          if (derived) await loadOffenseCrosswalk(store);
          loaders.set(
            family,
            await RecordLoader.create(store, {
              table: tableOf(family),
              columns: columns.map((c) => ({ name: c.name, type: c.type })),
              derived,
              releaseId: target.releaseId,
              fileId,
              sourceFile: name,
              pivotYear,
            }),
          );
        }
      } else if (event.kind === 'columns') {
        sheet = event.sheet;
        await loaders.get(event.family)!.append(event.batch);
        const current = layouts[layouts.length - 1]!;
        current.rows += event.batch.size;
        ctx.onRows(event.sheet, event.family, { delta: event.batch.size, total: current.rows, expected: current.expected });
      } else if (event.kind === 'reject') {
        rejects.push(event.reject);
      } else {
        skipped.push({ sheet: event.sheet, reason: event.reason, text: event.text });
      }
    }
    trace(`${name}: read`);
    await ctx.onRead();
    // Every loader's rows are in before anything else runs in the transaction: a round that failed in
    // the background is reported as itself, not as the "transaction is aborted" of the next statement.
    for (const [family, loader] of loaders) {
      qualities.set(family, await loader.finish());
      trace(`${name}: ${family} loaded`);
    }
  } catch (error) {
    failed = true;
    const first = await firstFailure(error, loaders);
    for (const loader of loaders.values()) await loader.abandon();
    // A delimited file's one sheet is named after the file: the file alone says where.
    throw loadError(first, { file: name, sheet: sheet === name ? undefined : sheet }, ctx.memoryLimit);
  } finally {
    // After a failure the transaction is aborted and refuses even this: the error above must stand
    // (the caller resets the threads once it has rolled back).
    await store.run('RESET threads').catch((error: unknown) => {
      if (!failed) throw error;
    });
  }


  const preamble = layouts.flatMap((l) => l.layout.preamble).concat(skipped.flatMap((s) => s.text));
  const markedSynthetic = hasSyntheticMarker(preamble);
  const synthetic = ctx.synthetic || markedSynthetic;
  if (target.existing && target.existingSynthetic !== synthetic) {
    throw new HandoffError(
      'bad_input',
      `release ${target.label} holds ${target.existingSynthetic ? 'synthetic' : 'real'} data; this file is ${synthetic ? 'synthetic' : 'real'}: they cannot share a release`,
      { location: { file: name } },
    );
  }
  if (!target.existing) {
    await store.run(
      'INSERT INTO releases (release_id, label, synthetic, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [target.releaseId, target.label, synthetic, ctx.now().toISOString()],
    );
    const row = await store.queryRow<{ synthetic: boolean }>('SELECT synthetic FROM releases WHERE release_id = $1', [
      target.releaseId,
    ]);
    if (row && row.synthetic !== synthetic) {
      throw new HandoffError('bad_input', 'synthetic and real files cannot share a release; ingest them separately', {
        location: { file: name },
      });
    }
  }
  const rowsLoaded = layouts.reduce((n, l) => n + l.rows, 0);
  await store.run(
    `INSERT INTO source_files (file_id, release_id, file_name, bytes, format, loaded_at, rows_loaded, rows_rejected, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      fileId,
      target.releaseId,
      name,
      info.size,
      await tableFormat(file),
      ctx.now().toISOString(),
      rowsLoaded,
      rejects.length,
      JSON.stringify({
        preamble,
        skipped_sheets: skipped.map(({ sheet, reason }) => ({ sheet, reason })),
        synthetic_marker: markedSynthetic,
        containers: table.containers,
        archive: table.containers.length ? path.basename(table.origin) : undefined,
      }),
    ],
  );
  for (const { sheet, layout, rows } of layouts) {
    await store.run(
      'INSERT INTO source_sheets (file_id, sheet, family, header_row, rows_loaded, preamble) VALUES ($1, $2, $3, $4, $5, $6)',
      [fileId, sheet, layout.family, layout.headerRowNumber, rows, layout.preamble.join('\n')],
    );
    const { columns } = familyColumns(layout.family);
    await store.insertRows(
      'source_columns',
      ['file_id', 'sheet', 'position', 'header', 'family', 'column_name'],
      layout.headers.flatMap((header, position) => {
        if (header === '') return [];
        const column = layout.sourceToColumn[position]!;
        return [[fileId, sheet, position + 1, header, layout.family, column >= 0 ? columns[column]!.name : null]];
      }),
    );
  }
  await store.insertRows(
    'ingest_rejects',
    ['file_id', 'sheet', 'source_row', 'reason', 'raw'],
    rejects.map((r) => [fileId, r.sheet, r.sourceRow, r.reason, r.raw]),
  );
  const tables: Partial<Record<Family, number>> = {};
  const redactedColumns: string[] = [];
  const unparseable: Record<string, number> = {};
  for (const [family, loader] of loaders) {
    tables[family] = loader.rowCount;
    const quality = qualities.get(family)!;
    await store.insertRows(
      'column_quality',
      ['file_id', 'family', 'column_name', 'rows_read', 'filled', 'redacted', 'unparseable', 'examples'],
      quality.map((q) => [fileId, family, q.column, q.rowsRead, q.filled, q.redacted, q.unparseable, JSON.stringify(q.examples)]),
    );
    for (const q of quality) {
      if (q.rowsRead > 0 && q.redacted === q.rowsRead) redactedColumns.push(`${family}.${q.column}`);
      if (q.unparseable > 0) unparseable[`${family}.${q.column}`] = q.unparseable;
    }
  }
  target.existing = true;
  target.existingSynthetic = synthetic;
  return {
    file: name,
    status: 'loaded',
    fileId,
    releaseId: target.releaseId,
    rows: rowsLoaded,
    rejects: rejects.length,
    tables,
    unknownColumns: layouts.flatMap((l) => l.layout.unknownColumns.map((u) => `${l.sheet}: ${u.header}`)),
    redactedColumns,
    unparseable,
    skippedSheets: skipped.map(({ sheet, reason }) => ({ sheet, reason })),
  };
}

/**
 * Runs a step after the files are read; DuckDB running out of its memory limit there is the release
 * being too large for the configured bound (a `too_large` error naming the step and the limit), and
 * the database is left as it was (the work is on the copy).
 */
async function derivedStep<T>(name: string, limit: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!isHandoffError(error) && /Out of Memory|failed to pin block|could not allocate/i.test(message)) {
      throw new HandoffError(
        'too_large',
        `the release's ${name} need more than DuckDB's memory limit of ${limit} (the limit derivedMemoryLimit); nothing was written. DuckDB: ${message.split('\n')[0]!.slice(0, 300)}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** DuckDB's words when a statement runs in a transaction that an earlier error aborted. */
function isAbortedTransaction(error: unknown): boolean {
  return error instanceof Error && /Current transaction is aborted/i.test(error.message);
}

/**
 * The error that started a failure. A loader's round runs in the background; when it fails, the next
 * statement of the file's transaction fails only with "Current transaction is aborted". The loader
 * keeps its own failure and throws it from finish(), so that is asked for first.
 */
async function firstFailure(error: unknown, loaders: Map<Family, RecordLoader>): Promise<unknown> {
  if (!isAbortedTransaction(error)) return error;
  for (const loader of loaders.values()) {
    const own = await loader.finish().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (own !== undefined && !isAbortedTransaction(own)) return own;
  }
  return error;
}

/**
 * An error raised while a file's rows load, as a HandoffError that names the file and sheet. DuckDB
 * running out of its memory limit (or V8 out of room for the file's texts) is the input being too
 * large for the configured bound, never an internal error.
 */
function loadError(error: unknown, where: InputLocation, memoryLimit: string): unknown {
  if (isHandoffError(error)) {
    if (error.location?.file) return error;
    return new HandoffError(error.code, error.message, { location: { ...where, ...error.location }, details: error.details, cause: error.cause });
  }
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0]!.slice(0, 300);
  if (/Out of Memory|failed to pin block|could not allocate|memory limit/i.test(message)) {
    return new HandoffError(
      'too_large',
      `the rows do not fit in the writer's memory limit of ${memoryLimit} (the limit memoryLimit), and DuckDB could not spill them to disk (DuckDB: ${firstLine})`,
      { location: where, cause: error },
    );
  }
  if (isAbortedTransaction(error)) {
    // The first error is lost: RecordLoader closes its appender in a `finally`, and the close reports
    // only the abort. Our SQL and typed chunks are fixed, so what DuckDB refuses mid-load is the room
    // the rows need: its memory limit (or the disk it spills to).
    return new HandoffError(
      'too_large',
      `DuckDB aborted the load of the rows: they do not fit in the writer's memory limit of ${memoryLimit} (the limit memoryLimit) or in the disk it spills to (DuckDB: ${firstLine})`,
      { location: where, cause: error },
    );
  }
  if (error instanceof RangeError && /Map maximum size|Invalid array length|Invalid string length|allocation failed/i.test(message)) {
    return new HandoffError('too_large', `the file holds more distinct values than the reader can keep (${firstLine})`, { location: where, cause: error });
  }
  return new HandoffError('internal', `while loading the rows: ${firstLine}`, { location: where, cause: error });
}
