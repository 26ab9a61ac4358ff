/**
 * Crash safety at every named step (issue 10): `handoff ingest` is paused at each step of
 * src/pipeline/ingest-files.ts (HANDOFF_TEST_PAUSE_AT) and killed with SIGKILL there. Each time the
 * database must be exactly as before (up to `renaming`) or complete (`renamed`), `handoff status`
 * must agree, and the next ingest must recover. Timing-based kills are in
 * test/pipeline/atomicity.test.ts (5) and `npm run crash:trials -- --trials 50`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ingestFiles } from '../../src/pipeline/index.ts';
import { publishedHeaders } from '../helpers/published-headers.ts';
import { rowOf, SIX_PREAMBLE, writeWorkbook } from '../helpers/workbooks.ts';
import { referenceStates, runTrial, STEPS, type DbState } from './crash-helpers.ts';

const H = publishedHeaders().july2025.detainers;
let dir: string;
let baseDb: string;
let file: string;
let states: { before: DbState; complete: DbState };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-crash-'));
  const small = await writeWorkbook(dir, 'small.xlsx', [{ preamble: SIX_PREAMBLE, headers: H, rows: [rowOf(H, { 'Detainer Prepare Date': { date: '2024-01-01' }, 'Unique Identifier': 'S1' })] }]);
  baseDb = path.join(dir, 'base.duckdb');
  await ingestFiles([small], { dbPath: baseDb, link: false });
  const rows = Array.from({ length: 1500 }, (_, i) =>
    rowOf(H, { 'Detainer Prepare Date': { date: `2024-${String((i % 12) + 1).padStart(2, '0')}-15` }, 'Facility State': 'TEXAS', 'Unique Identifier': `P${i}` }),
  );
  file = await writeWorkbook(dir, 'next-release.xlsx', [{ preamble: SIX_PREAMBLE, headers: H, rows }]);
  states = await referenceStates(baseDb, file, dir);
  for (const step of STEPS) mkdirSync(path.join(dir, `trial-${step}`));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Steps whose trial also runs `handoff status` (a process start each; the rest check the files directly). */
const STATUS_STEPS = new Set(['loading', 'renaming', 'renamed']);

it('kill -9 at every named step: before (up to renaming) or complete (renamed), status agrees, next ingest recovers', async () => {
  const results: Record<string, unknown> = {};
  const expected: Record<string, unknown> = {};
  // Two at a time: each trial is mostly a child process starting up.
  for (let i = 0; i < STEPS.length; i += 2) {
    const pair = STEPS.slice(i, i + 2);
    const trials = await Promise.all(
      pair.map((step) => runTrial({ baseDb, db: path.join(dir, `trial-${step}`, 'db.duckdb'), file, killAt: step, checkStatus: STATUS_STEPS.has(step), ...states })),
    );
    pair.forEach((step, j) => {
      const t = trials[j]!;
      results[step] = { reached: t.reached.split(':')[0], state: t.state, problem: t.problem };
      expected[step] = { reached: step, state: step === 'renamed' ? 'complete' : 'before', problem: null };
    });
  }
  expect(results).toEqual(expected);
}, 120_000);
