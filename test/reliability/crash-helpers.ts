/**
 * Crash trials shared by test/reliability/crash.test.ts and scripts/crash-trials.ts: run
 * `node bin/handoff.js ingest` in a child process, SIGKILL it at a named step (through the
 * HANDOFF_TEST_PAUSE_AT hook of src/pipeline/ingest-files.ts) or after a delay, then check that the
 * database is exactly as before or complete, that `handoff status` agrees, and that the next ingest
 * recovers (stale lock and work copy removed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ingestFiles } from '../../src/pipeline/index.ts';
import { dbState } from './fuzz-runner.ts';

export const BIN = path.resolve(import.meta.dirname, '../../bin/handoff.js');

/** The steps ingest-files.ts can pause at, in the order it reaches them. */
export const STEPS = ['copying', 'copied', 'loading', 'loaded', 'checkpointing', 'checkpointed', 'renaming', 'renamed'] as const;

export type DbState = Awaited<ReturnType<typeof dbState>>;

export interface Trial {
  /** A step name, or a delay in ms. */
  killAt: string | number;
  /** What the child reached: the paused step, 'exited' (finished before the kill) or 'killed'. */
  reached: string;
  /** 'before' or 'complete'; anything else is a failure. */
  state: 'before' | 'complete' | 'other';
  statusAgrees: boolean;
  recovered: boolean;
  problem: string | null;
  ms: number;
}

/** Runs one killed ingest of `file` into a fresh copy of `baseDb` at `db` and checks the aftermath. */
export async function runTrial(opts: { baseDb: string; db: string; file: string; killAt: string | number; before: DbState; complete: DbState; timeoutMs?: number; checkStatus?: boolean }): Promise<Trial> {
  const t0 = performance.now();
  const { db, killAt } = opts;
  for (const f of readdirSync(path.dirname(db)).filter((f) => f.startsWith(path.basename(db)))) rmSync(path.join(path.dirname(db), f), { recursive: true, force: true });
  copyFileSync(opts.baseDb, db);
  const env = { ...process.env, CI: 'true' } as NodeJS.ProcessEnv;
  if (typeof killAt === 'string') env.HANDOFF_TEST_PAUSE_AT = killAt;
  else delete env.HANDOFF_TEST_PAUSE_AT;
  const child = spawn(process.execPath, [BIN, 'ingest', opts.file, '--db', db], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let reached = 'killed';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const paused = new Promise<void>((resolve) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const m = /HANDOFF_PAUSED_AT (\S+)/.exec(stderr);
      if (m) {
        reached = m[1]!;
        resolve();
      }
    });
  });
  let timer: NodeJS.Timeout | undefined;
  if (typeof killAt === 'number') {
    timer = setTimeout(() => child.kill('SIGKILL'), killAt);
  } else {
    timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    void paused.then(() => child.kill('SIGKILL'));
  }
  const code = await exited;
  clearTimeout(timer);
  if (code !== null) reached = code === 0 ? 'exited' : `exited ${code}`;
  const after = await dbState(db);
  const same = (a: DbState, b: DbState) => JSON.stringify(a) === JSON.stringify(b);
  const state = same(after, opts.before) ? 'before' : same(after, opts.complete) ? 'complete' : 'other';
  // `handoff status` reads the same rows a reader sees.
  const status = opts.checkStatus === false ? { status: 0, stdout: '', stderr: '' } : spawnSync(process.execPath, [BIN, 'status', '--db', db, '--format', 'json'], { encoding: 'utf8' });
  let statusAgrees = status.status === 0;
  if (statusAgrees && opts.checkStatus !== false) {
    const tables = JSON.parse(status.stdout).tables as { table: string; rows: string }[];
    const sums = new Map<string, number>();
    for (const t of tables) sums.set(t.table, (sums.get(t.table) ?? 0) + Number(t.rows));
    for (const [table, rows] of sums) if ((after.tables[table] ?? 0) !== rows) statusAgrees = false;
  }
  // The next ingest takes over the stale lock, removes the stale copy and completes.
  let recovered = true;
  const rerun = await ingestFiles([opts.file], { dbPath: db, link: false }).catch(() => null);
  if (!rerun || rerun.files[0]!.status === 'failed') recovered = false;
  const leftovers = readdirSync(path.dirname(db)).filter((f) => f.startsWith(`${path.basename(db)}.next`) || f === `${path.basename(db)}.lock`);
  if (leftovers.length || existsSync(`${db}.lock`)) recovered = false;
  const problem =
    state === 'other' ? `database neither before nor complete: ${JSON.stringify(after.tables)}` : !statusAgrees ? `handoff status disagrees: ${status.stdout.slice(0, 300)} ${status.stderr.slice(0, 300)}` : !recovered ? `the next ingest did not recover (leftovers: ${leftovers.join(', ')})` : null;
  return { killAt, reached, state, statusAgrees, recovered, problem, ms: performance.now() - t0 };
}

/** The database states before and after a clean `handoff ingest` of `file` into a copy of `baseDb`. */
export async function referenceStates(baseDb: string, file: string, scratch: string): Promise<{ before: DbState; complete: DbState }> {
  const before = await dbState(baseDb);
  const ref = path.join(scratch, 'reference.duckdb');
  copyFileSync(baseDb, ref);
  const out = spawnSync(process.execPath, [BIN, 'ingest', file, '--db', ref], { encoding: 'utf8', env: { ...process.env, CI: 'true', HANDOFF_TEST_PAUSE_AT: '' } });
  if (out.status !== 0) throw new Error(`reference ingest failed: ${out.stderr}`);
  const complete = await dbState(ref);
  return { before, complete };
}
