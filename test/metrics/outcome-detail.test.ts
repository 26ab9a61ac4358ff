/**
 * `detainer_outcomes?by=outcome_detail` against hand-written SQL over what the link stage wrote
 * (`outcome_basis`, `lift_reason_group`, `near_cutoff` of `detainer_lifecycle`), and the same counts
 * from the raw tables when no lifecycle rows exist: citizenship withdrawals apart from ICE's other
 * withdrawals, and blank lift reasons near the cut-off apart from older ones.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { buildLifecycles, NEAR_CUTOFF_DAYS } from '../../src/link/index.ts';
import { MetricsService, runMetric } from '../../src/metrics/index.ts';
import { detainer, flagRelease, insertRows } from '../link/helpers.ts';
import { prng } from '../helpers/prng.ts';
import { withStore } from '../helpers/with-store.ts';

const R = 'r_detail';
const LIFTS = [
  'Detainer Declined by LEA', 'Lifted', 'Case Closed', 'USC or Presumptive Claim to US Citizenship', 'United States Citizen Interviewed',
  'Booked into Detention', 'Early Release', 'Released on Own Recognizance (a value no vocabulary lists)', null, null, null,
];

function rows(): Record<string, DuckDBValue>[] {
  const r = prng(20261203);
  const out: Record<string, DuckDBValue>[] = [];
  for (let i = 0; i < 600; i++) {
    // Prepare dates across 2023-10-01 .. 2024-09-29: the cut-off is the latest of them, so the
    // last three months hold the blank lift reasons that are near it.
    const day = Math.floor(r() * 365);
    const date = new Date(Date.UTC(2023, 9, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const lift = LIFTS[Math.floor(r() * LIFTS.length)]!;
    out.push(detainer({ person_id: `P${i}`, detainer_prepare_date: date, detainer_lift_reason: lift }));
  }
  out.push(detainer({ person_id: 'PLAST', detainer_prepare_date: '2024-09-30', detainer_lift_reason: 'Lifted' }));
  return out;
}

const DETAIL_SQL = `SELECT outcome_class || '|' || CASE
    WHEN outcome_basis = 'linked_book_in' THEN 'linked_book_in'
    WHEN outcome_class = 'ice_custody_unlinked' THEN 'stay_without_arrest'
    WHEN outcome_basis = 'no_lift_reason' AND near_cutoff THEN 'blank_near_cutoff'
    WHEN outcome_basis = 'no_lift_reason' THEN 'blank'
    WHEN outcome_basis = 'lift_reason_unmapped' THEN 'lift_reason_unmapped'
    WHEN outcome_class = 'lifted_by_ice' AND lift_reason_group = 'us_citizen' THEN 'us_citizen'
    WHEN outcome_class = 'lifted_by_ice' THEN 'other_lift_reason'
    ELSE 'lift_reason' END AS k, count(*)::INTEGER AS n
  FROM detainer_lifecycle WHERE release_id = '${R}' AND prepare_date IS NOT NULL GROUP BY 1`;

async function figures(service: MetricsService): Promise<Map<string, number>> {
  const r = await runMetric(service, 'detainer_outcomes', { grain: 'total', by: 'outcome_detail' });
  return new Map(r.rows.filter((x) => x.count !== 0).map((x) => [String(x.value), Number(x.count)]));
}

describe('outcome detail', () => {
  it('equals hand-written SQL over the lifecycle rows, and the raw-table path gives the same', async () => {
    await withStore(async (store) => {
      await insertRows(store, R, 'detainers', rows());
      await flagRelease(store, R);
      await buildLifecycles(store, { releaseId: R });
      const expected = new Map((await store.queryRows<{ k: string; n: number }>(DETAIL_SQL)).map((x) => [x.k, x.n]));
      // The planted kinds are all there, so the test can fail on each.
      for (const k of ['lifted_by_ice|us_citizen', 'lifted_by_ice|other_lift_reason', 'open_or_unknown|blank_near_cutoff', 'open_or_unknown|blank', 'open_or_unknown|lift_reason_unmapped', 'declined|lift_reason']) {
        expect(expected.get(k) ?? 0, k).toBeGreaterThan(0);
      }
      const near = await store.queryRow<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM detainers WHERE release_id = '${R}' AND detainer_lift_reason IS NULL
           AND date_diff('day', detainer_prepare_date, DATE '2024-09-30') < ${NEAR_CUTOFF_DAYS}`,
      );
      expect(expected.get('open_or_unknown|blank_near_cutoff')).toBe(near!.n);

      const fromLifecycle = await figures(await MetricsService.create(store, { mode: 'private' }));
      expect(fromLifecycle).toEqual(expected);
      // Each part adds up to its outcome.
      const byOutcome = await runMetric(await MetricsService.create(store, { mode: 'private' }), 'detainer_outcomes', { grain: 'total' });
      for (const row of byOutcome.rows) {
        const parts = [...fromLifecycle].filter(([k]) => k.startsWith(`${row.value}|`)).reduce((a, [, n]) => a + n, 0);
        expect(parts, String(row.value)).toBe(Number(row.count));
      }

      await store.run(`DELETE FROM detainer_lifecycle WHERE release_id = '${R}'`);
      const fromRaw = await figures(await MetricsService.create(store, { mode: 'private' }));
      expect(fromRaw).toEqual(expected);
    });
  }, 60_000);
});
