/**
 * The ledger's book-in window sensitivity (`book_in_window_<N>d_transferred_to_ice` and
 * `…_ice_custody_unlinked`): in private mode each window's count is the lifecycle build's, and the
 * window in use is the outcome the lifecycle table records (checked by SQL over its rows); in public
 * mode no count shown is 1-10 and no two shown counts of one kind (they nest) differ by 1-10.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { BOOK_IN_SENSITIVITY_DAYS, BOOK_IN_WINDOW_DAYS } from '../../src/link/index.ts';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import type { Store } from '../../src/store/index.ts';
import { generateSyntheticRelease } from '../../src/synthetic/index.ts';

type LedgerRow = { table: string; measure: string; count: number | null; withheld_cells: number; note: string };
let dir: string;
let store: Store;
let MAIN: string;

// A generated release through the whole pipeline (ingest, flags, lifecycles), so that the build's summary exists.
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-book-in-window-'));
  await generateSyntheticRelease({ seed: 7, scale: 0.01, outDir: path.join(dir, 'files') });
  const dbPath = path.join(dir, 'handoff.duckdb');
  const ingest = await ingestFiles([path.join(dir, 'files')], { dbPath, synthetic: true, now: () => new Date('2025-08-15T00:00:00Z') });
  MAIN = ingest.releaseId!;
  store = await openReadOnly(dbPath);
}, 300_000);
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ledger(mode: 'public' | 'private'): Promise<Map<string, LedgerRow>> {
  const app = createApp({ store, mode });
  const body = (await (await app.request(`/api/quality.json?release=${MAIN}`)).json()) as { rows: LedgerRow[] };
  return new Map(body.rows.filter((r) => r.table === 'detainers' && r.measure.startsWith('book_in_window_')).map((r) => [r.measure, r]));
}

describe('book-in window sensitivity in the quality ledger', () => {
  test('private: the lifecycle build\'s counts, the window in use equal to the lifecycle rows, growing with the window', async () => {
    const rows = await ledger('private');
    const run = await store.queryRow<{ summary: string }>('SELECT summary FROM lifecycle_runs WHERE release_id = $1', [MAIN]);
    const sens = (JSON.parse(run!.summary) as { bookInWindowSensitivity: { days: number; transferred_to_ice: number; ice_custody_unlinked: number }[] }).bookInWindowSensitivity;
    expect(sens.map((x) => x.days)).toEqual([...BOOK_IN_SENSITIVITY_DAYS]);
    for (const x of sens) {
      expect(rows.get(`book_in_window_${x.days}d_transferred_to_ice`)!.count).toBe(x.transferred_to_ice);
      expect(rows.get(`book_in_window_${x.days}d_ice_custody_unlinked`)!.count).toBe(x.ice_custody_unlinked);
    }
    const truth = await store.queryRow<{ t: string; u: string }>(
      `SELECT count(*) FILTER (WHERE outcome_basis = 'linked_book_in') AS t, count(*) FILTER (WHERE outcome_basis = 'stay_without_arrest') AS u
       FROM detainer_lifecycle WHERE release_id = $1 AND prepare_date IS NOT NULL`,
      [MAIN],
    );
    expect(rows.get(`book_in_window_${BOOK_IN_WINDOW_DAYS}d_transferred_to_ice`)!.count).toBe(Number(truth!.t));
    expect(rows.get(`book_in_window_${BOOK_IN_WINDOW_DAYS}d_ice_custody_unlinked`)!.count).toBe(Number(truth!.u));
    expect(Number(truth!.t)).toBeGreaterThan(10);
    const t = sens.map((x) => x.transferred_to_ice);
    expect(t).toEqual([...t].sort((a, b) => a - b));
  });

  test('public: no count shown is 1-10, and no two shown counts of one kind differ by 1-10', async () => {
    const rows = await ledger('public');
    const priv = await ledger('private');
    expect(rows.size).toBe(2 * BOOK_IN_SENSITIVITY_DAYS.length);
    for (const kind of ['transferred_to_ice', 'ice_custody_unlinked']) {
      const shown = BOOK_IN_SENSITIVITY_DAYS.map((d) => rows.get(`book_in_window_${d}d_${kind}`)!).filter((r) => r.count !== null).map((r) => r.count!);
      for (const [i, a] of shown.entries()) {
        expect(a === 0 || a > 10, `${kind} ${a}`).toBe(true);
        for (const b of shown.slice(i + 1)) expect(Math.abs(a - b) === 0 || Math.abs(a - b) > 10, `${kind} ${a} vs ${b}`).toBe(true);
      }
      for (const d of BOOK_IN_SENSITIVITY_DAYS) {
        const r = rows.get(`book_in_window_${d}d_${kind}`)!;
        if (r.count !== null) expect(r.count).toBe(priv.get(`book_in_window_${d}d_${kind}`)!.count);
        else expect([r.withheld_cells, r.note]).toEqual([1, expect.stringMatching(/Withheld/)]);
      }
    }
  });
});
