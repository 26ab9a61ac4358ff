/**
 * Partial periods: a metric's answer names the periods that cover only part of their calendar span
 * (fewer months than the grain, because the release or the window cuts them, or a month the
 * release's first or last record falls inside), and gives the release's first and last record
 * dates, so a reader (and the dashboard) can tell a short period from a fall. Checked against the
 * records' own min and max dates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MetricsService, runMetric } from '../../src/metrics/index.ts';
import { Store } from '../../src/store/index.ts';
import { buildFixtureDb, MAIN } from './fixture.ts';

let dir: string;
let store: Store;
let svc: MetricsService;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-partial-'));
  store = await Store.open(await buildFixtureDb(dir), { readOnly: true });
  svc = await MetricsService.create(store, { mode: 'public' });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const endOfMonth = (iso: string): string => {
  const d = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1, 0);
  return d.toISOString().slice(0, 10);
};

describe('partial periods', () => {
  test('coverage is the records\' first and last prepare dates', async () => {
    const span = await store.queryRow<{ lo: string; hi: string }>(
      `SELECT strftime(min(prepare_date), '%Y-%m-%d') AS lo, strftime(max(prepare_date), '%Y-%m-%d') AS hi FROM detainer_lifecycle WHERE release_id = '${MAIN}'`,
    );
    const r = await runMetric(svc, 'detainers_issued', { grain: 'month', release: MAIN });
    expect(r.coverage).toEqual({ first_date: span!.lo, last_date: span!.hi });
    // Months are partial exactly when the first or last record falls inside them, not on their edges.
    const expected = r.rows
      .filter((x) => String(x.period_end) > span!.hi || String(x.period_start) < span!.lo)
      .map((x) => String(x.period));
    expect(r.partial_periods).toEqual(expected);
    expect(span!.hi < endOfMonth(span!.hi), 'the fixture\'s last record is not on a month end').toBe(true);
    expect(r.partial_periods).toContain(span!.hi.slice(0, 7));
    expect(r.notes.join(' ')).toMatch(/Partial period/);
  });

  test('a fiscal year with fewer than 12 months of the release is partial; whole-release totals never are', async () => {
    const fy = await runMetric(svc, 'detainers_issued', { grain: 'fiscal_year', release: MAIN });
    const months = await store.queryRows<{ fy: number; n: bigint }>(
      `SELECT year(prepare_date) + CASE WHEN month(prepare_date) >= 10 THEN 1 ELSE 0 END AS fy, count(DISTINCT strftime(prepare_date, '%Y-%m')) AS n FROM detainer_lifecycle WHERE release_id = '${MAIN}' AND prepare_date IS NOT NULL GROUP BY 1`,
    );
    for (const m of months) {
      if (Number(m.n) < 12) expect(fy.partial_periods, `FY${m.fy}`).toContain(`FY${m.fy}`);
    }
    const total = await runMetric(svc, 'detainers_issued', { grain: 'total', release: MAIN });
    expect(total.partial_periods).toEqual([]);
  });

  test('a window that cuts a quarter makes it partial, and the note says the window cut it', async () => {
    const r = await runMetric(svc, 'detainers_issued', { grain: 'quarter', release: MAIN, from: '2024-11-01' });
    expect(r.rows[0]!.period_start).toBe('2024-11-01');
    expect(r.partial_periods[0]).toBe(r.rows[0]!.period);
    expect(r.notes.join(' ')).toMatch(/the window cuts/);
  });
});
