/**
 * Crash trials (issue 10): `npm run crash:trials -- --trials 50 [--seed N] [--rows N]`.
 *
 * Kills `node bin/handoff.js ingest` with SIGKILL, each trial at a seeded random point: a third at a
 * named step of src/pipeline/ingest-files.ts (copying, copied, loading, loaded, checkpointing,
 * checkpointed, renaming, renamed; through HANDOFF_TEST_PAUSE_AT), the rest after a random delay
 * within the time a clean ingest takes (so kills also land inside the copy, the load, the checkpoint
 * and the rename themselves). After each kill the database must be exactly as before or complete,
 * `handoff status` must agree, and the next ingest must recover. Prints a summary; exit 1 on failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ingestFiles } from '../src/pipeline/index.ts';
import { BIN, referenceStates, runTrial, STEPS, type Trial } from '../test/reliability/crash-helpers.ts';
import { prng } from '../test/reliability/fuzz-cases.ts';
import { publishedHeaders } from '../test/helpers/published-headers.ts';
import { rowOf, SIX_PREAMBLE, writeWorkbook } from '../test/helpers/workbooks.ts';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '50' }, seed: { type: 'string', default: '1' }, rows: { type: 'string', default: '40000' } } });
const trials = Number(values.trials);
const rnd = prng(Number(values.seed));
const dir = mkdtempSync(path.join(tmpdir(), 'handoff-crash-trials-'));
try {
  const H = publishedHeaders().july2025.detainers;
  const small = await writeWorkbook(dir, 'small.xlsx', [{ preamble: SIX_PREAMBLE, headers: H, rows: [rowOf(H, { 'Detainer Prepare Date': { date: '2024-01-01' }, 'Unique Identifier': 'S1' })] }]);
  const baseDb = path.join(dir, 'base.duckdb');
  await ingestFiles([small], { dbPath: baseDb, link: false });
  const rows = Number(values.rows);
  const file = await writeWorkbook(dir, 'next-release.xlsx', [
    {
      preamble: SIX_PREAMBLE,
      headers: H,
      rows: Array.from({ length: rows }, (_, i) =>
        rowOf(H, {
          'Detainer Prepare Date': { date: `2024-${String((i % 12) + 1).padStart(2, '0')}-15` },
          'Facility State': 'TEXAS',
          'Detention Facility': `FACILITY ${i % 50}`,
          'Detainer Lift Reason': i % 3 ? 'Booked into Detention' : null,
          'Unique Identifier': `P${i}`,
        }),
      ),
    },
  ]);
  const t0 = performance.now();
  const states = await referenceStates(baseDb, file, dir);
  const cleanMs = performance.now() - t0;
  console.log(`crash trials: ${trials}, seed ${values.seed}, ${rows} rows; a clean \`handoff ingest\` takes ${(cleanMs / 1000).toFixed(1)} s (${BIN})`);
  const results: Trial[] = [];
  for (let i = 0; i < trials; i++) {
    const killAt = rnd() < 1 / 3 ? STEPS[Math.floor(rnd() * STEPS.length)]! : Math.round(100 + rnd() * cleanMs * 1.1);
    const trialDir = path.join(dir, `t${i}`);
    mkdirSync(trialDir);
    const t = await runTrial({ baseDb, db: path.join(trialDir, 'db.duckdb'), file, killAt, ...states, timeoutMs: 120_000 });
    rmSync(trialDir, { recursive: true, force: true });
    results.push(t);
    console.log(`  #${String(i + 1).padStart(3)} kill at ${typeof killAt === 'number' ? `${killAt} ms` : killAt}: reached ${t.reached}, database ${t.state}${t.problem ? `  FAIL: ${t.problem}` : ''}`);
  }
  const count = (f: (t: Trial) => boolean) => results.filter(f).length;
  const failures = results.filter((t) => t.problem);
  console.log(`\nsummary: ${results.length} trials: ${count((t) => t.state === 'before')} before, ${count((t) => t.state === 'complete')} complete, ${count((t) => t.state === 'other')} partial`);
  console.log(`  killed mid-run ${count((t) => !t.reached.startsWith('exited'))}, finished before the kill ${count((t) => t.reached.startsWith('exited'))}`);
  console.log(`  handoff status agreed ${count((t) => t.statusAgrees)}/${results.length}; next ingest recovered ${count((t) => t.recovered)}/${results.length}`);
  console.log(`  failures: ${failures.length}`);
  // Sanity: the CLI still works on the last database.
  spawnSync(process.execPath, [BIN, 'status', '--db', baseDb], { stdio: 'ignore' });
  process.exitCode = failures.length ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
