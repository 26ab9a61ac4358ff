/**
 * `removals_after_detainer` against an independent SQL: removals planted in the fixture's main
 * release from its detainers (departing before or after the person's first detainer, with an
 * identifier the detainers do not have, or with none), counted by whether a non-duplicate detainer
 * of the same person was prepared on or before the departure date; shares of all removals; "not
 * available" in words for a release with removals and no detainers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MetricsService, runMetric } from '../../src/metrics/index.ts';
import { Store } from '../../src/store/index.ts';
import { alterFixture, buildFixtureDb, MAIN } from './fixture.ts';

const ONLY = 'r_removals_only';
let dir: string;
let store: Store;

const removalCols = 'release_id, file_id, source_file, sheet, source_row, departed_date, apprehension_state, person_id, is_duplicate';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-removals-detainer-'));
  const db = await buildFixtureDb(dir);
  await alterFixture(db, [
    // (The removals-only release departs in 2021, before the main one, so it supersedes none of its months.)
    // People with detainers: departures from 60 days before to 140 days after a detainer of theirs.
    `INSERT INTO removals (${removalCols})
     SELECT release_id, 'f_main', 'main.xlsx', 'Removals', row_number() OVER (ORDER BY source_row) + 1,
            detainer_prepare_date + ((source_row % 200) - 60)::INTEGER, CASE WHEN source_row % 3 = 0 THEN 'NEW YORK' ELSE 'MASSACHUSETTS' END, person_id, source_row % 97 = 1
     FROM detainers WHERE release_id = '${MAIN}' AND person_id IS NOT NULL AND detainer_prepare_date IS NOT NULL AND source_row % 2 = 0`,
    // Identifiers no detainer has, and no identifier.
    `INSERT INTO removals (${removalCols})
     SELECT '${MAIN}', 'f_main', 'main.xlsx', 'Removals', 5000 + i, DATE '2025-01-01' + (i % 120)::INTEGER, CASE WHEN i % 3 = 0 THEN 'NEW YORK' ELSE 'MASSACHUSETTS' END,
            CASE WHEN i % 4 = 0 THEN NULL ELSE 'nobody' || i END, false
     FROM range(160) t(i)`,
    `INSERT INTO releases (release_id, label, synthetic, created_at, kind) VALUES ('${ONLY}', 'Removals only', false, TIMESTAMP '2025-07-01 00:00:00', 'ice_release')`,
    `INSERT INTO source_files VALUES ('f_only', '${ONLY}', 'only.xlsx', 1, 'xlsx', TIMESTAMP '2025-07-01 00:00:00', 1, 0, NULL)`,
    `INSERT INTO removals (${removalCols})
     SELECT '${ONLY}', 'f_only', 'only.xlsx', 'Removals', 2 + i, DATE '2021-01-01' + (i % 90)::INTEGER, 'MASSACHUSETTS', 'q' || i, false FROM range(80) t(i)`,
  ]);
  store = await Store.open(db, { readOnly: true });
}, 120_000);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function truth(where = 'TRUE'): Promise<Record<string, number>> {
  const rows = await store.queryRows<{ v: string; n: bigint }>(
    `SELECT CASE WHEN r.person_id IS NULL THEN 'no_identifier'
                 WHEN EXISTS (SELECT 1 FROM detainers d WHERE d.release_id = r.release_id AND d.person_id = r.person_id
                              AND NOT coalesce(d.is_duplicate, false) AND d.detainer_prepare_date <= r.departed_date) THEN 'after_detainer'
                 ELSE 'no_detainer_found' END AS v, count(*) AS n
     FROM removals r WHERE r.release_id = '${MAIN}' AND NOT coalesce(r.is_duplicate, false) AND r.departed_date IS NOT NULL AND ${where}
     GROUP BY ALL`,
  );
  return Object.fromEntries(rows.map((r) => [r.v, Number(r.n)]));
}

describe('removals_after_detainer', () => {
  test('private mode: the nation and a state equal the records, with shares of all removals', async () => {
    const svc = await MetricsService.create(store, { mode: 'private' });
    for (const [place, where] of [['nation', 'TRUE'], ['state:NY', "r.apprehension_state = 'NEW YORK'"]] as const) {
      const want = await truth(where);
      expect(Object.keys(want).sort(), place).toEqual(['after_detainer', 'no_detainer_found', 'no_identifier']);
      const r = await runMetric(svc, 'removals_after_detainer', { grain: 'total', place, release: MAIN });
      const total = Object.values(want).reduce((a, b) => a + b, 0);
      for (const row of r.rows) {
        expect(row.count, `${place} ${row.value}`).toBe(want[String(row.value)] ?? 0);
        expect(row.denominator).toBe(total);
        expect(row.share).toBeCloseTo((want[String(row.value)] ?? 0) / total, 4);
      }
    }
  });

  test('public mode: exact rows equal the records; others are withheld or bounded around them', async () => {
    const svc = await MetricsService.create(store, { mode: 'public' });
    const want = await truth();
    for (const grain of ['total', 'fiscal_year'] as const) {
      const r = await runMetric(svc, 'removals_after_detainer', { grain, release: MAIN });
      expect(r.rows.length).toBeGreaterThan(0);
      if (grain === 'total') {
        for (const row of r.rows) {
          const n = want[String(row.value)] ?? 0;
          if (row.status === 'exact') expect(row.count).toBe(n);
          else expect(n, JSON.stringify(row)).toBeGreaterThanOrEqual(Number(row.count_low));
        }
        expect(r.rows.some((x) => x.status === 'exact' && (x.count as number) > 10)).toBe(true);
      }
    }
  });

  test('a release without detainer records: every row says not available, never 0', async () => {
    const svc = await MetricsService.create(store, { mode: 'public' });
    const r = await runMetric(svc, 'removals_after_detainer', { grain: 'total', release: ONLY });
    expect(r.rows.length).toBe(3);
    for (const row of r.rows) expect(row).toMatchObject({ count: null, status: 'not_available', display: 'not available', share: null });
  });
});
