/**
 * Open-ended fuzzing of the readers and the ingest (issue 10): `npm run fuzz -- --minutes N`.
 *
 * Runs fresh seeds of test/reliability/fuzz-cases.ts through `readReleaseFile` (every case) and the
 * full `ingestFiles` (every `--ingest-every`-th case), printing cases/s and every failure with its
 * seed. The cases run in a child process watched by this one: a case that makes no progress for
 * `--hang-seconds` (an async stall or a synchronous loop alike) is reported as a hang and the child
 * restarted after it. Replay a seed with `--seed N --cases 1`.
 *
 * Options: --minutes N (default 2) | --cases N | --seed N (first seed; default from the clock)
 *          --ingest-every N (default 25) | --hang-seconds N (default 30) | --kind K (only this kind)
 * Exit code 1 when any case failed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '2' },
    cases: { type: 'string' },
    seed: { type: 'string' },
    'ingest-every': { type: 'string', default: '25' },
    'hang-seconds': { type: 'string', default: '30' },
    kind: { type: 'string' },
    worker: { type: 'boolean', default: false },
    until: { type: 'string' },
  },
});

if (values.worker) await worker();
else await parent();

async function parent(): Promise<void> {
  const deadline = Date.now() + Number(values.minutes) * 60_000;
  const maxCases = values.cases === undefined ? Infinity : Number(values.cases);
  let seed = values.seed === undefined ? (Date.now() % 1_000_000_007) >>> 0 : Number(values.seed);
  const firstSeed = seed;
  const hangMs = Number(values['hang-seconds']) * 1000;
  const failures: { seed: number; kind: string; file: string; problem: string }[] = [];
  const byKind = new Map<string, number>();
  let cases = 0;
  let ingests = 0;
  const started = Date.now();
  let lastPrint = started;
  console.log(`fuzz: first seed ${firstSeed}, until ${new Date(deadline).toISOString()}${maxCases < Infinity ? ` or ${maxCases} cases` : ''}`);
  const { REAL_AVAILABLE, REAL_DIR, REAL_MISSING_MESSAGE } = await import('../test/reliability/fuzz-cases.ts');
  console.log(REAL_AVAILABLE ? `fuzz: real-file kinds mutate excerpts of ${REAL_DIR}` : REAL_MISSING_MESSAGE);
  while (Date.now() < deadline && cases < maxCases) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fuzz.ts'), '--worker', '--seed', String(seed), '--until', String(deadline), '--cases', String(maxCases - cases), '--ingest-every', String(values['ingest-every']), ...(values.kind ? ['--kind', values.kind] : [])],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let current: { seed: number; at: number } | null = null;
    let hung = false;
    const watchdog = setInterval(() => {
      if (current && Date.now() - current.at > hangMs) {
        hung = true;
        child.kill('SIGKILL');
      }
    }, 1000);
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) {
      if (!line.startsWith('{')) continue;
      const msg = JSON.parse(line) as { start?: number; seed?: number; kind?: string; file?: string; problem?: string | null; level?: string };
      if (msg.start !== undefined) {
        current = { seed: msg.start, at: Date.now() };
        continue;
      }
      cases++;
      if (msg.level === 'ingest') ingests++;
      byKind.set(msg.kind!, (byKind.get(msg.kind!) ?? 0) + 1);
      seed = msg.seed! + 1;
      current = null;
      if (msg.problem) {
        failures.push({ seed: msg.seed!, kind: msg.kind!, file: msg.file!, problem: msg.problem });
        console.log(`FAIL seed=${msg.seed} kind=${msg.kind} level=${msg.level} file=${msg.file}: ${msg.problem}`);
      }
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now();
        console.log(`  ${cases} cases (${ingests} ingested), ${(cases / ((Date.now() - started) / 1000)).toFixed(1)} cases/s, ${failures.length} failures`);
      }
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (c) => resolve(c))));
    clearInterval(watchdog);
    if (hung || (code !== 0 && current)) {
      const s = current?.seed ?? seed;
      failures.push({ seed: s, kind: '?', file: '?', problem: hung ? `hang: no progress for ${hangMs / 1000} s` : `the process died (exit ${code})` });
      console.log(`FAIL seed=${s}: ${hung ? 'hang' : `process died (exit ${code})`}`);
      seed = s + 1;
      cases++;
    } else if (code !== 0) {
      console.log(`worker exited with ${code}`);
      break;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`\nfuzz summary: ${cases} cases in ${seconds.toFixed(0)} s (${(cases / seconds).toFixed(1)} cases/s), ${ingests} through ingestFiles, seeds ${firstSeed}..${seed - 1}`);
  console.log(`  by kind: ${[...byKind].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`  failures: ${failures.length}`);
  for (const f of failures) console.log(`    seed ${f.seed} (${f.kind}, ${f.file}): ${f.problem}`);
  process.exitCode = failures.length ? 1 : 0;
}

async function worker(): Promise<void> {
  const { makeCase, writeBase, FAMILY_HEADERS } = await import('../test/reliability/fuzz-cases.ts');
  const { checkIngestCase, checkReadCase, dbState, readFully } = await import('../test/reliability/fuzz-runner.ts');
  const { ingestFiles } = await import('../src/pipeline/index.ts');
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-fuzz-'));
  process.env.HANDOFF_FUZZ_SCRATCH = dir;
  try {
    const baseDigests = new Map<string, string>();
    for (const family of Object.keys(FAMILY_HEADERS)) {
      const out = await readFully(await writeBase(dir, family), undefined, 60_000);
      if (out.ok) baseDigests.set(family, out.digest);
    }
    const baseDb = path.join(dir, 'base.duckdb');
    await ingestFiles([await writeBase(dir, 'detainers')], { dbPath: baseDb, link: false });
    const before = await dbState(baseDb);
    const until = Number(values.until);
    const max = Number(values.cases ?? Infinity);
    const every = Number(values['ingest-every']);
    let seed = Number(values.seed);
    for (let n = 0; n < max && Date.now() < until; n++, seed++) {
      process.stdout.write(`${JSON.stringify({ start: seed })}\n`);
      const caseDir = mkdtempSync(path.join(dir, 'c-'));
      const c = await makeCase(seed, values.kind);
      const level = every > 0 && seed % every === 0 ? 'ingest' : 'read';
      const report =
        level === 'ingest'
          ? await checkIngestCase(c, caseDir, baseDb, before, 20_000)
          : await checkReadCase(c, caseDir, { timeoutMs: 20_000, baseDigests });
      rmSync(caseDir, { recursive: true, force: true });
      process.stdout.write(`${JSON.stringify({ ...report, level })}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
