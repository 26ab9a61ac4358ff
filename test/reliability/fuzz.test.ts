/**
 * Fuzzing in the standing suite (issue 10): a deterministic 1,000-case subset of the generator in
 * fuzz-cases.ts read to the end with `readReleaseFile`, 40 of them through the full `ingestFiles`
 * (0 partial loads), and every input that once failed (test/fixtures/fuzz-regressions) replayed.
 * The open-ended run with fresh seeds is `npm run fuzz -- --minutes N` (scripts/fuzz.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/pipeline/index.ts';
import { FAMILY_HEADERS, KINDS, makeCase, REAL_AVAILABLE, REAL_KINDS, REAL_MISSING_MESSAGE, writeBase, type Expectation, type FuzzCase } from './fuzz-cases.ts';
import { checkIngestCase, checkReadCase, dbState, readFully, type CaseReport } from './fuzz-runner.ts';

const READ_CASES = 1000;
const INGEST_CASES = 40;
/** Seeds of the suite: fixed, so a failure here reproduces with `npm run fuzz -- --seed N --cases 1`. */
const FIRST_SEED = 1;
const CASE_TIMEOUT_MS = 20_000;
const REGRESSIONS = path.resolve(import.meta.dirname, '../fixtures/fuzz-regressions');
/** The kinds of the mix: the generated ones, and the mutations of real ICE files when ../shared has them. */
const ALL_KINDS = REAL_AVAILABLE ? [...KINDS, ...REAL_KINDS] : KINDS;
if (!REAL_AVAILABLE) console.warn(`${REAL_MISSING_MESSAGE}; only generated kinds run`);

let dir: string;
const baseDigests = new Map<string, string>();
let baseDb: string;
let before: Awaited<ReturnType<typeof dbState>>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-fuzz-'));
  process.env.HANDOFF_FUZZ_SCRATCH = dir;
  for (const family of Object.keys(FAMILY_HEADERS)) {
    const out = await readFully(await writeBase(dir, family), undefined, CASE_TIMEOUT_MS);
    if (!out.ok) throw new Error(`the pristine ${family} workbook does not read`);
    baseDigests.set(family, out.digest);
  }
  baseDb = path.join(dir, 'base.duckdb');
  await ingestFiles([await writeBase(dir, 'detainers')], { dbPath: baseDb, link: false });
  before = await dbState(baseDb);
});
afterAll(() => {
  delete process.env.HANDOFF_FUZZ_SCRATCH;
  rmSync(dir, { recursive: true, force: true });
});

function problems(reports: CaseReport[]): string[] {
  return reports.filter((r) => r.problem).map((r) => `seed ${r.seed} (${r.kind}, ${r.file}): ${r.problem}`);
}

describe('fuzzing the readers', () => {
  it(`${READ_CASES} seeded cases: every one a located HandoffError or a correct read, none hangs`, async () => {
    const reports: CaseReport[] = [];
    for (let seed = FIRST_SEED; seed < FIRST_SEED + READ_CASES; seed++) {
      const c = await makeCase(seed);
      const caseDir = mkdtempSync(path.join(dir, 'r-'));
      reports.push(await checkReadCase(c, caseDir, { timeoutMs: CASE_TIMEOUT_MS, baseDigests }));
      rmSync(caseDir, { recursive: true, force: true });
    }
    expect(problems(reports)).toEqual([]);
    // The mix covers every kind and both outcomes.
    expect(new Set(reports.map((r) => r.kind))).toEqual(new Set(ALL_KINDS));
    expect(reports.filter((r) => r.result === 'loaded').length).toBeGreaterThan(100);
    expect(reports.filter((r) => r.result.startsWith('error:')).length).toBeGreaterThan(300);
  }, 180_000);

  it('every kind at least once more with its own seed range (2,000,000+)', async () => {
    const reports: CaseReport[] = [];
    for (const [i, kind] of ALL_KINDS.entries()) {
      const c = await makeCase(2_000_000 + i, kind);
      const caseDir = mkdtempSync(path.join(dir, 'k-'));
      reports.push(await checkReadCase(c, caseDir, { timeoutMs: CASE_TIMEOUT_MS, baseDigests }));
      rmSync(caseDir, { recursive: true, force: true });
    }
    expect(problems(reports)).toEqual([]);
  }, 120_000);
});

describe('fuzzing the ingest', () => {
  it(`${INGEST_CASES} sampled cases through ingestFiles: 0 partial loads, 0 crashes`, async () => {
    const reports: CaseReport[] = [];
    // Every 25th seed of the read range, as scripts/fuzz.ts samples them, plus one of each kind.
    const cases: FuzzCase[] = [];
    for (let seed = 25; cases.length < INGEST_CASES - ALL_KINDS.length; seed += 25) cases.push(await makeCase(seed));
    for (const [i, kind] of ALL_KINDS.entries()) cases.push(await makeCase(3_000_000 + i, kind));
    for (const c of cases) {
      const caseDir = mkdtempSync(path.join(dir, 'i-'));
      reports.push(await checkIngestCase(c, caseDir, baseDb, before, CASE_TIMEOUT_MS));
      rmSync(caseDir, { recursive: true, force: true });
    }
    expect(problems(reports)).toEqual([]);
    expect(reports.some((r) => r.result === 'loaded')).toBe(true);
    expect(reports.some((r) => r.result.startsWith('failed:'))).toBe(true);
  }, 180_000);
});

describe('fuzz regressions', () => {
  const manifest = JSON.parse(readFileSync(path.join(REGRESSIONS, 'regressions.json'), 'utf8')) as {
    cases: { file: string; seed: number; expect: Expectation; bug: string }[];
  };
  it.each(manifest.cases)('$file (seed $seed) reads and ingests as expected', async ({ file, seed, expect: expectation }) => {
    const c: FuzzCase = {
      seed,
      kind: 'regression',
      fileName: file,
      expect: expectation,
      write: async (to) => {
        const { copyFile } = await import('node:fs/promises');
        const dest = path.join(to, file);
        await copyFile(path.join(REGRESSIONS, file), dest);
        return dest;
      },
    };
    const caseDir = mkdtempSync(path.join(dir, 'g-'));
    const read = await checkReadCase(c, caseDir, { timeoutMs: CASE_TIMEOUT_MS, baseDigests });
    expect(read.problem).toBeNull();
    const ingest = await checkIngestCase(c, mkdtempSync(path.join(dir, 'g-')), baseDb, before, CASE_TIMEOUT_MS);
    expect(ingest.problem).toBeNull();
    if (expectation.outcome === 'load') expect(ingest.result).toBe('loaded');
  });
});
