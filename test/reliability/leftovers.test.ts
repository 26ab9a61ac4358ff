/**
 * Leftovers of a killed ingest (issue 21): a `kill -9` leaves `<db>.lock` and a database-sized
 * `<db>.next-<pid>` working copy. `handoff status` and `handoff serve` report them and remove them,
 * but only when no live process holds them; the database file itself is never touched.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/commands/serve.ts';
import { ingestFiles } from '../../src/pipeline/index.ts';
import { cleanLeftovers, findLeftovers, isProcessAlive, type Leftover } from '../../src/store/store.ts';
import { publishedHeaders } from '../helpers/published-headers.ts';
import { rowOf, SIX_PREAMBLE, writeWorkbook } from '../helpers/workbooks.ts';
import { BIN } from './crash-helpers.ts';

const H = publishedHeaders().july2025.detainers;
let dir: string;
let baseDb: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-leftovers-'));
  const small = await writeWorkbook(dir, 'small.xlsx', [{ preamble: SIX_PREAMBLE, headers: H, rows: [rowOf(H, { 'Detainer Prepare Date': { date: '2024-01-01' }, 'Unique Identifier': 'S1' })] }]);
  baseDb = path.join(dir, 'base.duckdb');
  await ingestFiles([small], { dbPath: baseDb, link: false });
  const rows = Array.from({ length: 200 }, (_, i) => rowOf(H, { 'Detainer Prepare Date': { date: `2024-0${(i % 9) + 1}-15` }, 'Unique Identifier': `P${i}` }));
  file = await writeWorkbook(dir, 'next.xlsx', [{ preamble: SIX_PREAMBLE, headers: H, rows }]);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** A pid that ran and has exited (so no process has it, short of reuse). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  expect(isProcessAlive(pid)).toBe(false);
  return pid;
}

/** A fresh copy of the base database in its own folder. */
function freshDb(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d);
  const db = path.join(d, 'db.duckdb');
  copyFileSync(baseDb, db);
  return db;
}

/** Runs `handoff ingest` into `db`, pauses it after the working copy is made, and kills it with SIGKILL. */
async function killedIngest(db: string): Promise<number> {
  const child = spawn(process.execPath, [BIN, 'ingest', file, '--db', db], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true', HANDOFF_TEST_PAUSE_AT: 'loading' } });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (c: string) => {
      stderr += c;
      if (stderr.includes('HANDOFF_PAUSED_AT')) resolve();
    });
    child.on('exit', () => reject(new Error(`ingest ended before pausing: ${stderr.slice(0, 500)}`)));
  });
  child.kill('SIGKILL');
  await exited;
  return child.pid!;
}

const names = (db: string) => readdirSync(path.dirname(db)).filter((f) => f !== path.basename(db)).sort();

describe('cleanLeftovers', () => {
  it('removes the files of a dead writer and keeps those of a live one and the database', async () => {
    const db = freshDb('unit');
    const before = sha(db);
    const dead = deadPid();
    const live = process.pid;
    writeFileSync(`${db}.lock`, String(dead));
    copyFileSync(db, `${db}.next-${dead}`);
    writeFileSync(`${db}.next-${dead}.wal`, 'wal');
    mkdirSync(`${db}.next-${dead}.tmp`);
    writeFileSync(path.join(`${db}.next-${dead}.tmp`, 'spill'), 'x'.repeat(100));
    copyFileSync(db, `${db}.next-${live}`);
    writeFileSync(`${db}.unrelated`, 'keep me');
    writeFileSync(`${db}.next-notapid`, 'keep me');

    const found = await findLeftovers(db);
    const byName = (ls: Leftover[]) => Object.fromEntries(ls.map((l) => [path.basename(l.path), { kind: l.kind, pid: l.pid, state: l.state, removed: l.removed }]));
    expect(byName(found)).toEqual({
      'db.duckdb.lock': { kind: 'lock', pid: dead, state: 'stale', removed: false },
      [`db.duckdb.next-${dead}`]: { kind: 'working_copy', pid: dead, state: 'stale', removed: false },
      [`db.duckdb.next-${dead}.tmp`]: { kind: 'working_copy', pid: dead, state: 'stale', removed: false },
      [`db.duckdb.next-${dead}.wal`]: { kind: 'working_copy', pid: dead, state: 'stale', removed: false },
      [`db.duckdb.next-${live}`]: { kind: 'working_copy', pid: live, state: 'in_use', removed: false },
    });
    // The working copy is reported at its size (the database's), the spill directory with its contents.
    expect(found.find((l) => l.path === `${db}.next-${dead}`)!.bytes).toBe(readFileSync(db).length);
    expect(found.find((l) => l.path === `${db}.next-${dead}.tmp`)!.bytes).toBe(100);

    const cleaned = await cleanLeftovers(db);
    expect(cleaned.filter((l) => l.removed).map((l) => path.basename(l.path)).sort()).toEqual(['db.duckdb.lock', `db.duckdb.next-${dead}`, `db.duckdb.next-${dead}.tmp`, `db.duckdb.next-${dead}.wal`]);
    expect(names(db)).toEqual([`db.duckdb.next-${live}`, 'db.duckdb.next-notapid', 'db.duckdb.unrelated']);
    expect(sha(db)).toBe(before);
  });

  it("keeps a live writer's lock, and an unreadable lock until it is a minute old", async () => {
    const db = freshDb('locks');
    writeFileSync(`${db}.lock`, String(process.pid));
    expect((await cleanLeftovers(db)).map((l) => [l.state, l.removed])).toEqual([['in_use', false]]);
    expect(readFileSync(`${db}.lock`, 'utf8')).toBe(String(process.pid));

    writeFileSync(`${db}.lock`, '');
    expect((await cleanLeftovers(db)).map((l) => [l.state, l.removed])).toEqual([['unknown', false]]);
    expect(existsSync(`${db}.lock`)).toBe(true);
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(`${db}.lock`, old, old);
    expect((await cleanLeftovers(db)).map((l) => [l.state, l.removed])).toEqual([['unknown', true]]);
    expect(existsSync(`${db}.lock`)).toBe(false);
  });
});

describe('after a real kill -9 of handoff ingest', () => {
  it('handoff status reports the stale lock and working copy, removes them, and the database is as before', async () => {
    const db = freshDb('status');
    const before = sha(db);
    const pid = await killedIngest(db);
    expect(names(db)).toEqual(expect.arrayContaining(['db.duckdb.lock', `db.duckdb.next-${pid}`]));

    const out = spawnSync(process.execPath, [BIN, 'status', '--db', db, '--format', 'json'], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout) as { leftovers: { file: string; kind: string; pid: number; action: string }[]; notes: string[] };
    expect(report.leftovers.map((l) => [l.file, l.kind, l.pid])).toEqual(expect.arrayContaining([['db.duckdb.lock', 'lock', pid], [`db.duckdb.next-${pid}`, 'working_copy', pid]]));
    expect(report.leftovers.every((l) => l.action.startsWith('removed'))).toBe(true);
    expect(report.notes.join('\n')).toMatch(/Removed \d+ file\(s\) .* left by an ingest that was killed/);
    expect(names(db).filter((f) => f.includes('.next-') || f.endsWith('.lock'))).toEqual([]);
    expect(sha(db)).toBe(before);

    // A second status finds nothing left to say about leftovers.
    const again = JSON.parse(spawnSync(process.execPath, [BIN, 'status', '--db', db, '--format', 'json'], { encoding: 'utf8' }).stdout) as { leftovers: unknown[] };
    expect(again.leftovers).toEqual([]);
  }, 60_000);

  it('serve reports and removes them at start, then serves the database as before', async () => {
    const db = freshDb('serve');
    const pid = await killedIngest(db);
    const seen: Leftover[] = [];
    const server = await startServer({ dbPath: db, port: 0, watchIntervalMs: 60_000, onLeftovers: (ls) => seen.push(...ls) });
    try {
      expect(seen.filter((l) => l.removed).map((l) => path.basename(l.path))).toEqual(expect.arrayContaining(['db.duckdb.lock', `db.duckdb.next-${pid}`]));
      expect(seen.every((l) => l.removed)).toBe(true);
      expect(names(db).filter((f) => f.includes('.next-') || f.endsWith('.lock'))).toEqual([]);
      expect(server.holder.version).toBeTruthy();
    } finally {
      await server.close();
    }
  }, 60_000);
});
