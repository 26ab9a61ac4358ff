/**
 * Each metric against independent SQL written by hand over the fixture rows (private mode: no
 * suppression), and public-mode cells against the private ones.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Cube, MetricsService, runMetric, type BaseFact, type ReleaseInfo, type Row } from '../../src/metrics/index.ts';
import { missingInputs, redactionRows } from '../../src/metrics/query.ts';
import { quartiles } from '../../src/metrics/definitions.ts';
import { Store } from '../../src/store/index.ts';
import { tempDir } from '../helpers/tmp.ts';
import { buildFixtureDb, DEMO, MAIN } from './fixture.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let dir: string;
let store: Store;
let priv: MetricsService;
let pub: MetricsService;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-metrics-'));
  store = await Store.open(await buildFixtureDb(dir), { readOnly: true });
  priv = await MetricsService.create(store, { mode: 'private' });
  pub = await MetricsService.create(store, { mode: 'public' });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sqlMap(sql: string): Promise<Map<string, number>> {
  const rows = await store.queryRows<{ k: string; n: string }>(sql);
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

function rowMap(rows: Row[], key: (r: Row) => string = (r) => `${r.period}|${r.value}`): Map<string, number> {
  return new Map(rows.filter((r) => r.count !== 0).map((r) => [key(r), Number(r.count)]));
}

const L = `FROM detainer_lifecycle WHERE release_id = '${MAIN}' AND prepare_date IS NOT NULL`;

describe('metrics against hand-written SQL (private mode)', () => {
  test('defaults to the newest release with records', () => {
    expect(priv.defaultRelease('detainers')?.release_id).toBe(MAIN);
  });

  test('detainers_issued by month, nation', async () => {
    const r = await runMetric(priv, 'detainers_issued', {});
    const expected = await sqlMap(`SELECT strftime(prepare_date, '%Y-%m') || '|total' AS k, count(*) AS n ${L} GROUP BY 1`);
    expect(rowMap(r.rows)).toEqual(expected);
    expect(r.release.release_id).toBe(MAIN);
  });

  test('detainers_by_criminality, fiscal year, state:MA', async () => {
    const r = await runMetric(priv, 'detainers_by_criminality', { place: 'state:MA', grain: 'fiscal_year' });
    const expected = await sqlMap(`SELECT 'FY' || (year(prepare_date) + CASE WHEN month(prepare_date) >= 10 THEN 1 ELSE 0 END) || '|' ||
      CASE WHEN criminality LIKE '1%' THEN 'convicted_criminal' WHEN criminality LIKE '2%' THEN 'pending_criminal_charges'
           WHEN criminality LIKE '3%' THEN 'other_immigration_violator' ELSE 'unknown' END AS k, count(*) AS n
      ${L} AND state_postal = 'MA' GROUP BY 1`);
    expect(rowMap(r.rows)).toEqual(expected);
  });

  test('detainers_by_offense_category with violent_ucr, county:36061, calendar year', async () => {
    const r = await runMetric(priv, 'detainers_by_offense_category', { place: 'county:36061', grain: 'calendar_year', by: 'violent_ucr' });
    const expected = await sqlMap(`SELECT year(prepare_date) || '|' || CASE WHEN offense_category IS NULL THEN 'unknown'
      WHEN offense_category IN ('homicide', 'sexual_assault', 'robbery', 'aggravated_assault') THEN 'violent_ucr' ELSE 'not_violent_ucr' END AS k,
      count(*) AS n ${L} AND county_fips = '36061' GROUP BY 1`);
    expect(rowMap(r.rows)).toEqual(expected);
  });

  test('offense_categories_by_outcome: declined or open (default) and declined alone, fiscal year, state:MA', async () => {
    const r = await runMetric(priv, 'offense_categories_by_outcome', { place: 'state:MA', grain: 'fiscal_year' });
    const fy = `'FY' || (year(prepare_date) + CASE WHEN month(prepare_date) >= 10 THEN 1 ELSE 0 END)`;
    const expected = await sqlMap(`SELECT ${fy} || '|' || coalesce(offense_category, 'unknown') AS k, count(*) AS n
      ${L} AND state_postal = 'MA' AND outcome_class IN ('declined', 'open_or_unknown') GROUP BY 1`);
    expect(rowMap(r.rows)).toEqual(expected);
    const groups = await sqlMap(`SELECT ${fy} AS k, count(*) AS n ${L} AND state_postal = 'MA' AND outcome_class IN ('declined', 'open_or_unknown') GROUP BY 1`);
    for (const row of r.rows) expect(row.denominator).toBe(groups.get(String(row.period)) ?? 0);
    const declined = await runMetric(priv, 'offense_categories_by_outcome', { place: 'state:MA', grain: 'fiscal_year', by: 'declined' });
    expect(rowMap(declined.rows)).toEqual(
      await sqlMap(`SELECT ${fy} || '|' || coalesce(offense_category, 'unknown') AS k, count(*) AS n
        ${L} AND state_postal = 'MA' AND outcome_class = 'declined' GROUP BY 1`),
    );
  });

  test('detainer_outcomes by quarter in a state and by fiscal year at a facility, with medians', async () => {
    const r = await runMetric(priv, 'detainer_outcomes', { place: 'state:MA', grain: 'quarter' });
    const expected = await sqlMap(`SELECT year(prepare_date) || '-Q' || quarter(prepare_date) || '|' || outcome_class AS k, count(*) AS n
      ${L} AND state_postal = 'MA' GROUP BY 1`);
    expect(rowMap(r.rows)).toEqual(expected);
    const f = await runMetric(priv, 'detainer_outcomes', { place: 'facility:MASUFFO', grain: 'fiscal_year' });
    const fyExpected = await sqlMap(`SELECT 'FY' || (year(prepare_date) + CASE WHEN month(prepare_date) >= 10 THEN 1 ELSE 0 END) || '|' || outcome_class AS k, count(*) AS n
      ${L} AND facility_code = 'MASUFFO' GROUP BY 1`);
    expect(rowMap(f.rows)).toEqual(fyExpected);
    // A facility's breakdowns are not published by quarter (src/metrics/plan.ts): said, not zero.
    const q = await runMetric(priv, 'detainer_outcomes', { place: 'facility:MASUFFO', grain: 'quarter' });
    expect(q.rows.length).toBeGreaterThan(0);
    for (const row of q.rows) expect([row.status, row.count]).toEqual(['not_available', null]);
    const total = await runMetric(priv, 'detainer_outcomes', { place: 'nation', grain: 'total' });
    const med = await store.queryRow<{ m: number }>(`SELECT median(days_to_book_in) AS m ${L} AND outcome_class = 'transferred_to_ice'`);
    expect(total.rows.find((x) => x.value === 'transferred_to_ice')!.median_days).toBe(Math.round(med!.m * 10) / 10);
  });

  test('later_arrests_after_non_transfer by setting, aor:BOS', async () => {
    const r = await runMetric(priv, 'later_arrests_after_non_transfer', { place: 'aor:BOS', grain: 'total' });
    const nt = `outcome_class IN ('declined', 'lifted_by_ice', 'released_other') AND person_id IS NOT NULL AND aor_code = 'BOS'`;
    const row = (v: string) => r.rows.find((x) => x.value === v)!;
    const q = async (extra: string) => Number((await store.queryRow<{ n: string }>(`SELECT count(*) AS n ${L} AND ${nt} ${extra}`))!.n);
    expect(row('community').count).toBe(await q(`AND arrest_date IS NOT NULL AND arrest_setting = 'community'`));
    expect(row('custodial').count).toBe(await q(`AND arrest_date IS NOT NULL AND arrest_setting = 'custodial'`));
    expect(row('any_later_arrest').count).toBe(await q('AND arrest_date IS NOT NULL'));
    expect(row('any_later_arrest').denominator).toBe(await q(''));
  });

  test('later_removals_after_non_transfer, nation', async () => {
    const r = await runMetric(priv, 'later_removals_after_non_transfer', { grain: 'total' });
    const n = await store.queryRow<{ n: string; d: string }>(`SELECT count(*) FILTER (WHERE removal_date IS NOT NULL) AS n, count(*) AS d ${L}
      AND outcome_class IN ('declined', 'lifted_by_ice', 'released_other') AND person_id IS NOT NULL`);
    expect(r.rows[0]!.count).toBe(Number(n!.n));
    expect(r.rows[0]!.denominator).toBe(Number(n!.d));
  });

  test('ice_arrests_by_method and community arrests after a declined detainer', async () => {
    const A = `FROM arrests a WHERE a.release_id = '${MAIN}' AND NOT a.is_duplicate AND a.apprehension_date IS NOT NULL`;
    const setting = `CASE WHEN apprehension_method IN ('Non-Custodial Arrest', 'Located') THEN 'community'
      WHEN apprehension_method IN ('CAP Local Incarceration', '287(g) Program') THEN 'custodial' ELSE 'unknown' END`;
    const r = await runMetric(priv, 'ice_arrests_by_method', { grain: 'month' });
    expect(rowMap(r.rows)).toEqual(await sqlMap(`SELECT strftime(apprehension_date, '%Y-%m') || '|' || ${setting} AS k, count(*) AS n ${A} GROUP BY 1`));
    const c = await runMetric(priv, 'community_arrests_after_declined_detainer', { grain: 'total' });
    const n = await store.queryRow<{ n: string; d: string }>(`SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM detainer_lifecycle l
        WHERE l.release_id = a.release_id AND l.person_id = a.person_id AND l.outcome_class = 'declined' AND l.prepare_date <= a.apprehension_date::DATE)) AS n,
        count(*) AS d ${A} AND ${setting} = 'community' AND a.person_id IS NOT NULL`);
    expect(c.rows[0]!.count).toBe(Number(n!.n));
    expect(c.rows[0]!.denominator).toBe(Number(n!.d));
  });

  test('raw-table path (no lifecycles for the release) counts from detainers', async () => {
    const r = await runMetric(priv, 'detainer_outcomes', { release: DEMO, grain: 'total' });
    const n = await store.queryRow<{ t: string; d: string }>(`SELECT count(*) FILTER (WHERE detainer_lift_reason = 'Booked into Detention') AS t,
      count(*) FILTER (WHERE detainer_lift_reason = 'Detainer Declined by LEA') AS d FROM detainers WHERE release_id = '${DEMO}'`);
    expect(r.source).toBe('raw_tables');
    expect(r.rows.find((x) => x.value === 'transferred_to_ice')!.count).toBe(Number(n!.t));
    expect(r.rows.find((x) => x.value === 'declined')!.count).toBe(Number(n!.d));
  });

  test('policy_context names the regime and its citation for a state', async () => {
    const r = await runMetric(priv, 'policy_context', { place: 'state:MA', grain: 'fiscal_year' });
    expect(r.rows.length).toBeGreaterThan(0);
    expect(typeof r.rows[0]!.regime_at_end).toBe('string');
    expect(r.rows[0]!.policy_place).toBe('state:MA');
  });
});

describe('parameters', () => {
  test('from/to must align to months; FY2025 is October–September', async () => {
    await expect(runMetric(pub, 'detainers_issued', { from: '2024-10-02' })).rejects.toThrow(/first day of a month/);
    await expect(runMetric(pub, 'detainers_issued', { to: '2025-09-29' })).rejects.toThrow(/last day of a month/);
    const r = await runMetric(priv, 'detainers_issued', { grain: 'fiscal_year', from: '2024-10-01', to: '2025-09-30' });
    expect(r.rows.map((x) => x.period)).toEqual(['FY2025']);
    expect(r.rows[0]!.period_start).toBe('2024-10-01');
  });
  test('unsupported by lists the valid values', async () => {
    await expect(runMetric(pub, 'detainer_outcomes', { by: 'criminality' })).rejects.toThrow(/outcome/);
  });
});

describe('place totals are the records of the place', () => {
  test('every state, county and facility at every standard grain equals hand-written SQL (private) or says it is not exact (public)', async () => {
    const rows = await store.queryRows<{ place: string; k: string; n: string }>(`
      SELECT 'state:' || state_postal AS place, 'total' AS k, count(*) AS n ${L} AND state_postal IS NOT NULL GROUP BY ALL
      UNION ALL SELECT 'county:' || county_fips, 'FY' || (year(prepare_date) + CASE WHEN month(prepare_date) >= 10 THEN 1 ELSE 0 END), count(*) ${L} AND county_fips IS NOT NULL GROUP BY ALL
      UNION ALL SELECT 'state:' || state_postal, strftime(prepare_date, '%Y-%m'), count(*) ${L} AND state_postal IS NOT NULL GROUP BY ALL`);
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      const grain = r.k === 'total' ? 'total' : r.k.startsWith('FY') ? 'fiscal_year' : 'month';
      const [p, q] = await Promise.all([runMetric(priv, 'detainers_issued', { place: r.place, grain }), runMetric(pub, 'detainers_issued', { place: r.place, grain })]);
      const key = grain === 'total' ? 'total' : r.k;
      expect(p.rows.find((x) => x.period === key)?.count, `${r.place} ${r.k}`).toBe(Number(r.n));
      const shown = q.rows.find((x) => x.period === key)!;
      if (shown.status === 'exact') expect(shown.count, `${r.place} ${r.k}`).toBe(Number(r.n));
      else expect(shown.count).toBeNull();
    }
  });
});

describe('counts outside the cube say nothing beyond it', () => {
  test('days_n is given only when it equals the exact count; redaction rows are withheld like counts', () => {
    const days = Array.from({ length: 20 }, (_, i) => i);
    expect(quartiles(days, 20).days_n).toBe(20);
    expect(quartiles(days, 25).days_n).toBeNull();
    expect(quartiles(days, 25).median_days).toBe(9.5);
    expect(quartiles(days, null).days_n).toBeNull();
    const [row] = redactionRows([{ table: 'detainers', column_name: 'birth_year', redacted: 40, rows: 7 }], null, 'public');
    expect([row!.rows, row!.share]).toEqual([null, null]);
  });
});

describe('not available is not zero', () => {
  const fact = (i: number): BaseFact => ({
    date: `2015-0${1 + (i % 6)}-15`, state: 'DE', county: '10003', aor: 'PHI', facility: 'DEHRYCI', facility_name: 'HOWARD R YOUNG', criminality: null,
    offense_category: null, detainer_type: null, outcome: 'declined', lift_reason_blank: false, has_identifier: false,
    later_arrest_setting: null, later_removal: false, days_to_outcome: null, days_to_later_arrest: null, setting: null, after_declined_detainer: false,
  });
  const release: ReleaseInfo = { release_id: 'r', label: 'FY2015 detainers', synthetic: false, created_at: '', kind: 'ice_release', detainers: 40, arrests: 0, removals: 0 };
  test('a release without person identifiers or an arrests table cannot give later arrests', () => {
    const cube = Cube.build(Array.from({ length: 40 }, (_, i) => fact(i)), { universe: 'detainers', releaseId: 'r', suppress: true });
    expect(missingInputs('later_arrests_after_non_transfer', cube, release)).toMatch(/no person identifier.*no ICE arrests table/);
    expect(missingInputs('later_removals_after_non_transfer', cube, release)).toMatch(/no removals table/);
    expect(missingInputs('detainers_issued', cube, release)).toBeNull();
  });
  test('on the fixture, a release with identifiers and arrests has later arrests', async () => {
    const r = await runMetric(priv, 'later_arrests_after_non_transfer', { grain: 'total' });
    expect(r.rows.every((row) => row.status !== 'not_available')).toBe(true);
  });
});

describe('public mode', () => {
  test('published cells equal the private ones; withheld ones are never published as 1-10', async () => {
    for (const place of ['nation', 'state:MA', 'state:NY', 'county:36061', 'facility:NYRAREJ', 'aor:NYC']) {
      const [p, q] = await Promise.all([runMetric(priv, 'detainers_by_criminality', { place }), runMetric(pub, 'detainers_by_criminality', { place })]);
      p.rows.forEach((row, i) => {
        const other = q.rows[i]!;
        expect(other.status === 'not_available').toBe(row.status === 'not_available');
        if (row.status === 'not_available') return;
        // A public figure is the exact count, or says it is not (at least N, withheld) and bounds it.
        if (other.status === 'exact') expect(other.count).toBe(row.count);
        else expect(other.count).toBeNull();
        if (other.count !== null) expect(other.count === 0 || (other.count as number) > 10).toBe(true);
        if (other.status === 'at_least') expect(other.display).toBe(`at least ${other.count_low}`);
        expect(other.count_low as number).toBeLessThanOrEqual(row.count as number);
        if (other.count_high !== null) expect(other.count_high as number).toBeGreaterThanOrEqual(row.count as number);
      });
    }
  });
  test('tempDir helper is usable alongside', () => {
    expect(typeof tempDir).toBe('function');
  });
});
