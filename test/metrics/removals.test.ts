/**
 * The removals metric counts the release's non-duplicate removals by departure date, at every
 * standard grain, equal to SQL over the rows (private mode, fixture); undated removals are left out
 * and counted in the ledger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MetricsService, qualityLedger, runMetric } from '../../src/metrics/index.ts';
import { Store } from '../../src/store/index.ts';
import { alterFixture, buildFixtureDb, DEMO } from './fixture.ts';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-removals-'));
  const db = await buildFixtureDb(dir);
  // A few more removals on other dates, one duplicate and one without a departure date.
  await alterFixture(db, [
    `INSERT INTO removals (release_id, file_id, source_file, sheet, source_row, departed_date, person_id, is_duplicate) VALUES
    ('${DEMO}', 'f_demo', 'demo.xlsx', 'Removals', 101, DATE '2024-12-02', 'x1', false),
    ('${DEMO}', 'f_demo', 'demo.xlsx', 'Removals', 102, DATE '2024-12-02', 'x1', true),
    ('${DEMO}', 'f_demo', 'demo.xlsx', 'Removals', 103, NULL, 'x2', false)`,
  ]);
  store = await Store.open(db, { readOnly: true });
}, 120_000);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('removals by departure month and in total equal the rows', async () => {
  const priv = await MetricsService.create(store, { mode: 'private' });
  const byMonth = await store.queryRows<{ m: string; n: bigint }>(
    `SELECT strftime(departed_date, '%Y-%m') AS m, count(*) AS n FROM removals
     WHERE release_id = '${DEMO}' AND NOT coalesce(is_duplicate, false) AND departed_date IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  const r = await runMetric(priv, 'removals', { grain: 'month', release: DEMO });
  const got = Object.fromEntries(r.rows.filter((x) => (x.count as number) > 0).map((x) => [x.period, x.count]));
  expect(got).toEqual(Object.fromEntries(byMonth.map((x) => [x.m, Number(x.n)])));
  const total = await runMetric(priv, 'removals', { grain: 'total', release: DEMO });
  expect(total.rows[0]!.count).toBe(byMonth.reduce((n, x) => n + Number(x.n), 0));
  const ledger = (await qualityLedger(priv, DEMO)).rows.filter((x) => x.table === 'removals');
  expect(ledger.find((x) => x.measure === 'undated_excluded')?.count).toBe(1);
  // Removals have no facility.
  await expect(runMetric(priv, 'removals', { place: 'facility:MASUFFO', release: DEMO })).rejects.toThrow(/no facility/);
});
