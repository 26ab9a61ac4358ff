/**
 * `detainer_outcomes_by_regime` against an independent SQL over detainer_lifecycle: outcomes by the
 * policy the pipeline wrote on the prepare date and on the lift date (no lift date is its own row),
 * and the pooled regimes under which a jail may or must hold. Exact in private mode; in public mode
 * every row is either the records' count or a withheld / "at least" figure that contains it; counties
 * and months say "not available" (the cross is published for large places and long periods only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOLDS_ALLOWED_OR_REQUIRED, MetricsService, runMetric } from '../../src/metrics/index.ts';
import { Store } from '../../src/store/index.ts';
import { alterFixture, buildFixtureDb, MAIN } from './fixture.ts';

let dir: string;
let store: Store;

/** Regimes planted by source row, so the expected counts do not depend on the policy files. */
const PLANT = ['hold_required', 'holds_allowed', 'no_holds', 'judicial_warrant_only'];
const plantSql = (col: string, offset: number) =>
  `UPDATE detainer_lifecycle SET ${col} = list_extract(['${PLANT.join("','")}'], ((source_row + ${offset}) % ${PLANT.length}) + 1) WHERE release_id = '${MAIN}'`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-outcomes-regime-'));
  const db = await buildFixtureDb(dir);
  await alterFixture(db, [plantSql('policy_regime_at_prepare', 0), plantSql('policy_regime_at_lift', 1)]);
  store = await Store.open(db, { readOnly: true });
}, 120_000);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** (regime, outcome) → count, by hand-written SQL, with the pooled group added. */
async function truth(regimeSql: string, where = 'TRUE'): Promise<Map<string, number>> {
  const rows = await store.queryRows<{ regime: string; outcome: string; n: bigint }>(
    `SELECT ${regimeSql} AS regime, outcome_class AS outcome, count(*) AS n FROM detainer_lifecycle
     WHERE release_id = '${MAIN}' AND prepare_date IS NOT NULL AND ${where} GROUP BY ALL`,
  );
  const out = new Map<string, number>();
  const add = (k: string, n: number) => out.set(k, (out.get(k) ?? 0) + n);
  for (const r of rows) {
    add(`${r.regime}|${r.outcome}`, Number(r.n));
    if (HOLDS_ALLOWED_OR_REQUIRED.includes(r.regime)) add(`holds_allowed_or_required|${r.outcome}`, Number(r.n));
  }
  return out;
}

const AT_PREPARE = 'policy_regime_at_prepare';
const AT_LIFT = "CASE WHEN lift_date IS NULL THEN 'no_lift_date' ELSE policy_regime_at_lift END";

describe('detainer_outcomes_by_regime', () => {
  for (const [by, regimeSql] of [['regime_at_prepare', AT_PREPARE], ['regime_at_lift', AT_LIFT]] as const) {
    test(`private mode, ${by}: every row equals the records, and the rows cover every detainer`, async () => {
      const svc = await MetricsService.create(store, { mode: 'private' });
      const r = await runMetric(svc, 'detainer_outcomes_by_regime', { grain: 'total', by, release: MAIN });
      const want = await truth(regimeSql);
      expect(want.size).toBeGreaterThan(8);
      const got = new Map(r.rows.filter((x) => x.count !== 0).map((x) => [`${x.regime}|${x.value}`, x.count]));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
      // Shares are of the regime's own detainers.
      for (const row of r.rows) {
        const den = [...want].filter(([k]) => k.startsWith(`${row.regime}|`)).reduce((n, [, v]) => n + v, 0);
        expect(row.denominator, `${row.regime}`).toBe(den);
      }
      const total = (await runMetric(svc, 'detainers_issued', { grain: 'total', release: MAIN })).rows[0]!.count as number;
      const single = r.rows.filter((x) => x.regime !== 'holds_allowed_or_required');
      expect(single.reduce((n, x) => n + (x.count as number), 0)).toBe(total);
    });
  }

  test('a state: the records of its facilities; by fiscal year as well', async () => {
    const svc = await MetricsService.create(store, { mode: 'private' });
    const r = await runMetric(svc, 'detainer_outcomes_by_regime', { grain: 'total', place: 'state:NY', release: MAIN });
    const want = await truth(AT_PREPARE, "state_postal = 'NY'");
    expect(Object.fromEntries(r.rows.filter((x) => x.count !== 0).map((x) => [`${x.regime}|${x.value}`, x.count]))).toEqual(Object.fromEntries(want));
    const fy = await runMetric(svc, 'detainer_outcomes_by_regime', { grain: 'fiscal_year', place: 'state:NY', release: MAIN });
    expect(fy.rows.every((x) => x.status === 'exact')).toBe(true);
    expect(fy.rows.reduce((n, x) => n + (x.regime === 'holds_allowed_or_required' ? 0 : (x.count as number)), 0)).toBe([...want.entries()].filter(([k]) => !k.startsWith('holds_allowed_or_required|')).reduce((n, [, v]) => n + v, 0));
  });

  test('public mode: each row is the records\' count, or withheld / at least with the count inside its bounds', async () => {
    const svc = await MetricsService.create(store, { mode: 'public' });
    for (const [by, regimeSql] of [['regime_at_prepare', AT_PREPARE], ['regime_at_lift', AT_LIFT]] as const) {
      const r = await runMetric(svc, 'detainer_outcomes_by_regime', { grain: 'total', by, release: MAIN });
      const want = await truth(regimeSql);
      let exact = 0;
      for (const row of r.rows) {
        const n = want.get(`${row.regime}|${row.value}`) ?? 0;
        if (row.status === 'exact') {
          exact++;
          expect(row.count, `${row.regime}|${row.value}`).toBe(n);
          expect(n === 0 || n >= 11).toBe(true);
        } else {
          expect(row.count).toBeNull();
          expect(n).toBeGreaterThanOrEqual(row.count_low as number);
          if (row.count_high !== null) expect(n).toBeLessThanOrEqual(row.count_high as number);
        }
      }
      expect(exact, 'some rows are published').toBeGreaterThan(0);
    }
  });

  test('counties and months: not available, in words', async () => {
    const svc = await MetricsService.create(store, { mode: 'public' });
    const county = await runMetric(svc, 'detainer_outcomes_by_regime', { grain: 'total', place: 'county:25025', release: MAIN });
    const month = await runMetric(svc, 'detainer_outcomes_by_regime', { grain: 'month', place: 'state:MA', release: MAIN });
    for (const r of [...county.rows, ...month.rows]) expect(r).toMatchObject({ count: null, status: 'not_available', display: 'not available' });
    expect(county.rows.length).toBeGreaterThan(0);
  });
});
