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

  test('later arrests and removals: no figure while a 365-day window is open (the fixture spans eight months)', async () => {
    for (const [id, by] of [['later_arrests_after_non_transfer', 'outcome'], ['later_arrests_after_non_transfer', 'setting'], ['later_removals_after_non_transfer', 'total']] as const) {
      for (const grain of ['fiscal_year', 'calendar_year', 'total']) {
        const r = await runMetric(priv, id, { grain, by });
        expect(r.rows.length).toBeGreaterThan(0);
        for (const row of r.rows) {
          expect([row.status, row.count, row.share, row.counted_from, row.follow_up_days], `${id} ${grain} ${row.period} ${row.value}`).toEqual(['not_available', null, null, null, 365]);
        }
      }
    }
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

  test('ice_arrests_by_setting_and_criminality: setting x criminality with shares of the setting', async () => {
    const A = `FROM arrests a WHERE a.release_id = '${MAIN}' AND NOT a.is_duplicate AND a.apprehension_date IS NOT NULL`;
    const setting = `CASE WHEN apprehension_method IN ('Non-Custodial Arrest', 'Located') THEN 'community'
      WHEN apprehension_method IN ('CAP Local Incarceration', '287(g) Program') THEN 'custodial' ELSE 'unknown' END`;
    const crim = `CASE WHEN apprehension_criminality LIKE '1%' THEN 'convicted_criminal' WHEN apprehension_criminality LIKE '2%' THEN 'pending_criminal_charges'
      WHEN apprehension_criminality LIKE '3%' THEN 'other_immigration_violator' ELSE 'unknown' END`;
    const r = await runMetric(priv, 'ice_arrests_by_setting_and_criminality', { grain: 'total' });
    expect(rowMap(r.rows, (x) => `${x.setting}|${x.value}`)).toEqual(await sqlMap(`SELECT ${setting} || '|' || ${crim} AS k, count(*) AS n ${A} GROUP BY 1`));
    const den = await sqlMap(`SELECT ${setting} AS k, count(*) AS n ${A} GROUP BY 1`);
    expect(r.rows.length).toBeGreaterThan(0);
    for (const row of r.rows) expect(row.denominator, `${row.setting}`).toBe(den.get(String(row.setting)));
    // A county is outside the plan of the cross: one row says so.
    const county = await runMetric(priv, 'ice_arrests_by_setting_and_criminality', { place: 'county:25025', grain: 'total' }).catch((e: Error) => e);
    if (!(county instanceof Error)) expect(county.rows.map((x) => x.status)).toEqual(['not_available']);
  });

  test('community_arrests_by_prior_detainer: the latest detainer on or before the arrest, by its outcome', async () => {
    const community = `apprehension_method IN ('Non-Custodial Arrest', 'Located')`;
    const latest = `SELECT a.person_id, (SELECT l.outcome_class FROM detainer_lifecycle l WHERE l.release_id = a.release_id AND l.person_id = a.person_id
        AND l.prepare_date <= a.apprehension_date::DATE ORDER BY l.prepare_date DESC LIMIT 1) AS o
      FROM arrests a WHERE a.release_id = '${MAIN}' AND NOT a.is_duplicate AND a.apprehension_date IS NOT NULL AND ${community}`;
    const expected = await sqlMap(`SELECT CASE WHEN person_id IS NULL THEN 'no_identifier' WHEN o IS NULL THEN 'no_detainer_found' ELSE 'latest_detainer_' || o END AS k,
      count(*) AS n FROM (${latest}) GROUP BY 1
      UNION ALL SELECT 'latest_detainer_not_transferred', count(*) FROM (${latest}) WHERE person_id IS NOT NULL
        AND o IN ('declined', 'lifted_by_ice', 'released_other', 'open_or_unknown') HAVING count(*) > 0`);
    const r = await runMetric(priv, 'community_arrests_by_prior_detainer', { grain: 'total' });
    expect(rowMap(r.rows, (x) => String(x.value))).toEqual(expected);
    const d = await store.queryRow<{ n: string }>(`SELECT count(*) AS n FROM (${latest}) WHERE person_id IS NOT NULL`);
    for (const row of r.rows) expect(row.denominator, String(row.value)).toBe(row.value === 'no_identifier' ? null : Number(d!.n));
    expect(expected.get('latest_detainer_not_transferred') ?? 0, 'the fixture has community arrests after an untransferred detainer').toBeGreaterThan(0);
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
    expect(quartiles([days], 20).days_n).toBe(20);
    expect(quartiles([days], 25).days_n).toBeNull();
    expect(quartiles([days], 25).median_days).toBe(9.5);
    expect(quartiles([days], null).days_n).toBeNull();
    const [row] = redactionRows([{ table: 'detainers', column_name: 'birth_year', redacted: 40, rows: 7 }], null, 'public');
    expect([row!.rows, row!.share]).toEqual([null, null]);
  });
});

describe('not available is not zero', () => {
  const fact = (i: number): BaseFact => ({
    date: `2015-0${1 + (i % 6)}-15`, state: 'DE', county: '10003', aor: 'PHI', facility: 'DEHRYCI', facility_name: 'HOWARD R YOUNG', criminality: null,
    offense_category: null, detainer_type: null, outcome: 'declined', lift_reason_blank: false, lift_reason_group: 'declined_by_lea', near_cutoff: false, has_identifier: false,
    later_arrest_setting: null, later_removal: false, days_to_outcome: null, days_to_later_arrest: null, days_to_later_removal: null, setting: null, after_declined_detainer: false,
  });
  const release: ReleaseInfo = { release_id: 'r', label: 'FY2015 detainers', synthetic: false, created_at: '', kind: 'ice_release', detainers: 40, arrests: 0, removals: 0 };
  test('a release without person identifiers or an arrests table cannot give later arrests', () => {
    const cube = Cube.build(Array.from({ length: 40 }, (_, i) => fact(i)), { universe: 'detainers', releaseId: 'r', suppress: true });
    expect(missingInputs('later_arrests_after_non_transfer', cube, release)).toMatch(/no person identifier.*no ICE arrests table/);
    expect(missingInputs('later_removals_after_non_transfer', cube, release)).toMatch(/no removals table/);
    expect(missingInputs('detainers_issued', cube, release)).toBeNull();
  });
  test('on the fixture, a release with identifiers and arrests has the inputs for later arrests', async () => {
    const r = await runMetric(priv, 'later_arrests_after_non_transfer', { grain: 'total' });
    expect(r.notes.some((n) => n.startsWith('Not available in this release'))).toBe(false);
    expect(missingInputs('later_arrests_after_non_transfer', (await priv.cube(MAIN, 'detainers')).cube, priv.release(MAIN)!)).toBeNull();
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

/*
 * Follow-up windows, the next-episode guard, the removal from the detainer row and the upper bound of
 * releases without ICE custody, on a fixture of its own that spans four fiscal years (FY2021–FY2024,
 * October 2020 to June 2024), so that some 365-day windows have closed and some have not. Expected
 * figures are hand-written SQL over the rows, from the metric definitions:
 * - a fiscal year counts when its last day plus the window is on or before the first day of the
 *   release's last month of detainers (a lower bound of the cut-off);
 * - an arrest or removal counts within 365 days of the prepare date and before the first prepare date
 *   of the person's next detainer episode.
 */
const FU = 'r_followup_life';
const FU_RAW = 'r_followup_raw';
const FY_OF = (col: string) => `'FY' || (year(${col}) + CASE WHEN month(${col}) >= 10 THEN 1 ELSE 0 END)`;
const FY_END = (col: string) => `make_date(year(${col}) + CASE WHEN month(${col}) >= 10 THEN 1 ELSE 0 END, 9, 30)`;

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function plusDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
}
function sqlLit(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}
async function insertAll(s: Store, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    const cols = Object.keys(chunk[0]!);
    await s.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${chunk.map((r) => `(${cols.map((c) => sqlLit(r[c])).join(', ')})`).join(', ')}`);
  }
}

async function buildFollowUpDb(file: string): Promise<void> {
  const { migrate } = await import('../../src/store/index.ts');
  const { prng } = await import('../helpers/prng.ts');
  const s = await Store.open(file);
  try {
    await migrate(s);
    await s.run(`INSERT INTO releases (release_id, label, synthetic, created_at, kind) VALUES
      ('${FU_RAW}', 'Follow-up fixture, raw tables', false, TIMESTAMP '2024-07-01 00:00:00', 'ice_release'),
      ('${FU}', 'Follow-up fixture, lifecycles', false, TIMESTAMP '2024-08-01 00:00:00', 'ice_release')`);
    const r = prng(1717);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
    const start = Date.UTC(2020, 9, 1);
    const span = Date.UTC(2024, 5, 30) - start;
    const day = () => iso(new Date(start + Math.floor(r() * (span / 86_400_000)) * 86_400_000));
    const outcomes = ['transferred_to_ice', 'ice_custody_unlinked', 'declined', 'declined', 'lifted_by_ice', 'released_other', 'open_or_unknown', 'open_or_unknown'];
    const life: Record<string, unknown>[] = [];
    for (let i = 0; i < 1200; i++) {
      const prepare = i === 0 ? '2024-06-20' : day();
      const outcome = pick(outcomes);
      const person = r() < 0.06 ? null : `p${i}`;
      const blank = outcome === 'open_or_unknown' ? r() < 0.9 : outcome === 'ice_custody_unlinked';
      const next = person && r() < 0.3 ? plusDays(prepare, 2 + Math.floor(r() * 400)) : null;
      const hasArrest = person && outcome !== 'transferred_to_ice' && r() < 0.5;
      const arrest = hasArrest ? plusDays(prepare, Math.floor(r() * 600)) : null;
      const removal = (person || r() < 0.5) && r() < 0.3 ? plusDays(prepare, Math.floor(r() * 500)) : null;
      const st = r() < 0.6 ? 'MA' : 'NY';
      life.push({
        release_id: FU, file_id: 'f_fu', sheet: 'Sheet1', source_row: i + 8, person_id: person,
        link_status: person ? 'linked' : 'no_identifier', duplicate_rows: 0, prepare_date: prepare,
        state_postal: st, county_fips: st === 'MA' ? '25025' : '36061', place_method: 'exact_name', aor_code: st === 'MA' ? 'BOS' : 'NYC',
        facility_code: st === 'MA' ? 'MASUFFO' : 'NYNYCDC', facility_name: st === 'MA' ? 'SUFFOLK' : 'NYC DOC', facility_state: st,
        detainer_type: pick(['I-247A', 'I-247A', 'I-247A', 'I-247N']),
        outcome_class: outcome, outcome_basis: blank ? (outcome === 'ice_custody_unlinked' ? 'stay_without_arrest' : 'no_lift_reason') : 'lift_reason',
        lift_reason: blank ? null : outcome === 'open_or_unknown' ? 'Something Unmapped' : outcome, lift_reason_unmapped: !blank && outcome === 'open_or_unknown',
        near_cutoff: false, next_episode_date: next,
        arrest_date: arrest ? `${arrest} 10:00:00` : null, arrest_setting: arrest ? pick(['community', 'community', 'custodial', 'other']) : null,
        days_to_arrest: arrest ? Math.round((Date.parse(arrest) - Date.parse(prepare)) / 86_400_000) : null,
        // As the builder writes it: false when the person's next detainer came first.
        arrest_before_next_episode: arrest ? next === null || arrest < next : null,
        removal_date: removal,
        // Most serious conviction, by row number (no draw, so the other fields stay as they were).
        offense_category: [null, 'homicide', 'simple_assault', 'drug_possession', 'weapons', 'dui', 'robbery'][i % 7],
      });
    }
    await insertAll(s, 'detainer_lifecycle', life);

    // Raw tables only (no lifecycles): people with one to three detainers, some a day apart (one episode).
    const lifts: (string | null)[] = ['Detainer Declined by LEA', 'Lifted', 'Early Release', 'Booked into Detention', null];
    const det: Record<string, unknown>[] = [];
    const arr: Record<string, unknown>[] = [];
    const rem: Record<string, unknown>[] = [];
    for (let k = 0; k < 400; k++) {
      const person = r() < 0.05 ? null : `q${k}`;
      let d0 = k === 0 ? '2024-06-25' : day();
      const n = 1 + Math.floor(r() * 3);
      for (let j = 0; j < n; j++) {
        det.push({
          release_id: FU_RAW, file_id: 'f_raw', source_file: 'raw.xlsx', sheet: 'Detainers', source_row: det.length + 8,
          detainer_prepare_date: d0, facility_state: 'MASSACHUSETTS', facility_aor: 'Boston Area of Responsibility', detention_facility_code: 'MASUFFO',
          detention_facility: 'SUFFOLK', detainer_type: 'I-247A', detainer_lift_reason: pick(lifts), person_id: person, is_duplicate: false,
          departed_date: r() < 0.15 ? plusDays(d0, Math.floor(r() * 900) - 100) : null,
        });
        d0 = plusDays(d0, r() < 0.3 ? 1 : 2 + Math.floor(r() * 300));
      }
      if (person && r() < 0.6) {
        // Distinct days, so the next arrest on or after a date is never a tie.
        const first = det[det.length - n]!.detainer_prepare_date as string;
        const days = [...new Set([Math.floor(r() * 500), Math.floor(r() * 900)])];
        for (const g of days) {
          arr.push({
            release_id: FU_RAW, file_id: 'f_raw', source_file: 'raw.xlsx', sheet: 'Arrests', source_row: arr.length + 8,
            apprehension_date: `${plusDays(first, g)} 09:00:00`, apprehension_state: 'MASSACHUSETTS', apprehension_aor: 'Boston Area of Responsibility',
            apprehension_method: pick(['Located', 'Non-Custodial Arrest', 'CAP Local Incarceration']), person_id: person, is_duplicate: false,
          });
        }
      }
      if (person && r() < 0.25) {
        const first = det[det.length - n]!.detainer_prepare_date as string;
        rem.push({ release_id: FU_RAW, file_id: 'f_raw', source_file: 'raw.xlsx', sheet: 'Removals', source_row: rem.length + 8, departed_date: plusDays(first, Math.floor(r() * 700)), person_id: person, is_duplicate: false });
      }
    }
    await insertAll(s, 'detainers', det);
    await insertAll(s, 'arrests', arr);
    await insertAll(s, 'removals', rem);
    await s.run('CHECKPOINT');
  } finally {
    s.close();
  }
}

describe('follow-up windows, the next-episode guard and removals from the detainer row (private mode)', () => {
  let fdir: string;
  let fstore: Store;
  let fpriv: MetricsService;
  let fpub: MetricsService;
  beforeAll(async () => {
    fdir = mkdtempSync(path.join(tmpdir(), 'handoff-followup-'));
    const file = path.join(fdir, 'followup.duckdb');
    await buildFollowUpDb(file);
    fstore = await Store.open(file, { readOnly: true });
    fpriv = await MetricsService.create(fstore, { mode: 'private' });
    fpub = await MetricsService.create(fstore, { mode: 'public' });
  });
  afterAll(() => {
    fstore.close();
    rmSync(fdir, { recursive: true, force: true });
  });
  const q = async (sql: string) => new Map((await fstore.queryRows<{ k: string; n: string; d: string }>(sql)).map((x) => [x.k, [Number(x.n), Number(x.d)]]));
  const LF = `FROM detainer_lifecycle WHERE release_id = '${FU}' AND prepare_date IS NOT NULL`;
  const BOUND = (table: string, release: string, col: string) => `(SELECT date_trunc('month', max(${col})) FROM ${table} WHERE release_id = '${release}')`;
  const CLOSED = `${FY_END('prepare_date')} + INTERVAL 365 DAY <= ${BOUND('detainer_lifecycle', FU, 'prepare_date')}`;
  const BEFORE_NEXT = (col: string) => `(next_episode_date IS NULL OR ${col} < next_episode_date)`;
  const ARRESTED = `arrest_date IS NOT NULL AND ${BEFORE_NEXT('arrest_date')} AND arrest_date::DATE - prepare_date <= 365`;
  const REMOVED = `removal_date IS NOT NULL AND ${BEFORE_NEXT('removal_date')} AND removal_date - prepare_date <= 365`;

  test('the fixture has closed and open fiscal years, arrests after a next detainer and arrests beyond the window', async () => {
    const f = await fstore.queryRow<Record<string, string>>(`SELECT count(DISTINCT ${FY_OF('prepare_date')}) FILTER (WHERE ${CLOSED}) AS closed,
      count(DISTINCT ${FY_OF('prepare_date')}) FILTER (WHERE NOT (${CLOSED})) AS open,
      count(*) FILTER (WHERE arrest_date >= next_episode_date) AS after_next, count(*) FILTER (WHERE arrest_date::DATE - prepare_date > 365) AS late ${LF}`);
    expect(Number(f!.closed)).toBe(2);
    expect(Number(f!.open)).toBe(2);
    expect(Number(f!.after_next)).toBeGreaterThan(20);
    expect(Number(f!.late)).toBeGreaterThan(20);
  });

  test('later_arrests_after_non_transfer by outcome (the default), fiscal year: each outcome alone; open windows not available', async () => {
    const r = await runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU, grain: 'fiscal_year' });
    expect(r.by).toBe('outcome');
    const expected = await q(`SELECT ${FY_OF('prepare_date')} || '|' || outcome_class AS k, count(*) FILTER (WHERE ${ARRESTED}) AS n, count(*) AS d
      ${LF} AND person_id IS NOT NULL AND outcome_class IN ('declined', 'lifted_by_ice', 'released_other') AND ${CLOSED} GROUP BY 1`);
    expect(expected.size).toBe(6);
    expect(new Set(r.rows.map((x) => x.value))).toEqual(new Set(['declined', 'lifted_by_ice', 'released_other']));
    for (const row of r.rows) {
      const e = expected.get(`${row.period}|${row.value}`);
      if (e) {
        expect([row.count, row.denominator, row.counted_from, row.counted_to], `${row.period} ${row.value}`).toEqual([e[0], e[1], row.period_start, row.period_end]);
      } else {
        expect([row.status, row.count, row.counted_from], `${row.period} ${row.value}`).toEqual(['not_available', null, null]);
      }
    }
  });

  test('by setting and by total pool declined and released otherwise only, never ICE withdrawals; the whole release is cut back to its closed fiscal years', async () => {
    const pooled = `person_id IS NOT NULL AND outcome_class IN ('declined', 'released_other') AND ${CLOSED}`;
    const r = await runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU, grain: 'total', by: 'setting' });
    const row = (v: string) => r.rows.find((x) => x.value === v)!;
    const n = async (where: string) => Number((await fstore.queryRow<{ n: string }>(`SELECT count(*) AS n ${LF} AND ${where}`))!.n);
    expect(row('any_later_arrest').count).toBe(await n(`${pooled} AND ${ARRESTED}`));
    expect(row('any_later_arrest').denominator).toBe(await n(pooled));
    expect(row('community').count).toBe(await n(`${pooled} AND ${ARRESTED} AND arrest_setting = 'community'`));
    expect(row('custodial').count).toBe(await n(`${pooled} AND ${ARRESTED} AND arrest_setting = 'custodial'`));
    expect(row('other_or_unknown_setting').count).toBe(await n(`${pooled} AND ${ARRESTED} AND arrest_setting NOT IN ('community', 'custodial')`));
    expect(row('none_found').count).toBe(await n(`${pooled} AND NOT (${ARRESTED})`));
    expect(row('no_identifier').count).toBe(await n(`person_id IS NULL AND outcome_class IN ('declined', 'released_other') AND ${CLOSED}`));
    expect([row('any_later_arrest').counted_from, row('any_later_arrest').counted_to]).toEqual(['2020-10-01', '2022-09-30']);
    const t = await runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU, grain: 'total', by: 'total' });
    expect(t.rows.map((x) => [x.value, x.count])).toEqual([['any_later_arrest', row('any_later_arrest').count]]);
    // The median of the days counted rests on the same arrests.
    const med = await fstore.queryRow<{ m: number }>(`SELECT median(arrest_date::DATE - prepare_date) AS m ${LF} AND ${pooled} AND ${ARRESTED}`);
    expect(row('any_later_arrest').median_days).toBe(Math.round(med!.m * 10) / 10);
  });

  test('later_removals_after_non_transfer: within the window, before the next episode; total pools declined and released otherwise', async () => {
    const r = await runMetric(fpriv, 'later_removals_after_non_transfer', { release: FU, grain: 'fiscal_year' });
    const expected = await q(`SELECT ${FY_OF('prepare_date')} || '|' || outcome_class AS k, count(*) FILTER (WHERE ${REMOVED}) AS n, count(*) AS d
      ${LF} AND person_id IS NOT NULL AND outcome_class IN ('declined', 'lifted_by_ice', 'released_other') AND ${CLOSED} GROUP BY 1`);
    expect(expected.size).toBe(6);
    for (const row of r.rows) {
      const e = expected.get(`${row.period}|${row.value}`);
      if (e) expect([row.count, row.denominator], `${row.period} ${row.value}`).toEqual(e);
      else expect(row.status).toBe('not_available');
    }
    const t = await runMetric(fpriv, 'later_removals_after_non_transfer', { release: FU, grain: 'calendar_year', by: 'total' });
    const cy = await q(`SELECT year(prepare_date)::VARCHAR || '|declined_or_released_other' AS k, count(*) FILTER (WHERE ${REMOVED}) AS n, count(*) AS d
      ${LF} AND person_id IS NOT NULL AND outcome_class IN ('declined', 'released_other')
      AND make_date(year(prepare_date), 12, 31) + INTERVAL 365 DAY <= ${BOUND('detainer_lifecycle', FU, 'prepare_date')} GROUP BY 1`);
    expect(cy.size).toBe(3);
    for (const row of t.rows) {
      const e = cy.get(`${row.period}|${row.value}`);
      if (e) expect([row.count, row.denominator], String(row.period)).toEqual(e);
      else expect(row.status, String(row.period)).toBe('not_available');
    }
  });

  describe.each([90, 180])('within %i days (follow_up_days)', (w) => {
    const closed = `${FY_END('prepare_date')} + INTERVAL ${w} DAY <= ${BOUND('detainer_lifecycle', FU, 'prepare_date')}`;
    const arrested = `arrest_date IS NOT NULL AND ${BEFORE_NEXT('arrest_date')} AND arrest_date::DATE - prepare_date <= ${w}`;
    const removed = `removal_date IS NOT NULL AND ${BEFORE_NEXT('removal_date')} AND removal_date - prepare_date <= ${w}`;

    test('later arrests by outcome and fiscal year, over the years whose window closed', async () => {
      const r = await runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU, grain: 'fiscal_year', follow_up_days: String(w) });
      const expected = await q(`SELECT ${FY_OF('prepare_date')} || '|' || outcome_class AS k, count(*) FILTER (WHERE ${arrested}) AS n, count(*) AS d
        ${LF} AND person_id IS NOT NULL AND outcome_class IN ('declined', 'lifted_by_ice', 'released_other') AND ${closed} GROUP BY 1`);
      // A shorter window closes at least the fiscal years the longest does.
      expect(expected.size).toBeGreaterThanOrEqual(6);
      let some = 0;
      for (const row of r.rows) {
        expect(row.follow_up_days).toBe(w);
        const e = expected.get(`${row.period}|${row.value}`);
        if (e) {
          expect([row.count, row.denominator], `${row.period} ${row.value}`).toEqual(e);
          some += Number(row.count);
        } else expect([row.status, row.counted_from], `${row.period} ${row.value}`).toEqual(['not_available', null]);
      }
      expect(some).toBeGreaterThan(10);
      // Within the window is at most within 365 days, of the same detainers.
      const long = await runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU, grain: 'fiscal_year' });
      for (const row of long.rows) {
        const short = r.rows.find((x) => x.period === row.period && x.value === row.value)!;
        if (row.status === 'exact') expect([Number(short.count) <= Number(row.count), short.denominator]).toEqual([true, row.denominator]);
      }
    });

    test('later arrests by setting over the whole release: the settings, none within the window and no identifier add up', async () => {
      const pooled = `person_id IS NOT NULL AND outcome_class IN ('declined', 'released_other') AND ${closed}`;
      const r = await runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU, grain: 'total', by: 'setting', follow_up_days: String(w) });
      const row = (v: string) => r.rows.find((x) => x.value === v)!;
      const n = async (where: string) => Number((await fstore.queryRow<{ n: string }>(`SELECT count(*) AS n ${LF} AND ${where}`))!.n);
      expect(row('any_later_arrest').count).toBe(await n(`${pooled} AND ${arrested}`));
      expect(row('community').count).toBe(await n(`${pooled} AND ${arrested} AND arrest_setting = 'community'`));
      expect(row('custodial').count).toBe(await n(`${pooled} AND ${arrested} AND arrest_setting = 'custodial'`));
      expect(row('none_found').count).toBe(await n(`${pooled} AND NOT (${arrested})`));
      expect(Number(row('any_later_arrest').count) + Number(row('none_found').count)).toBe(row('any_later_arrest').denominator);
      const med = await fstore.queryRow<{ m: number }>(`SELECT median(arrest_date::DATE - prepare_date) AS m ${LF} AND ${pooled} AND ${arrested}`);
      expect(row('any_later_arrest').median_days).toBe(Math.round(med!.m * 10) / 10);
      expect(Number(row('any_later_arrest').median_days)).toBeLessThanOrEqual(w);
    });

    test('later removals by outcome and fiscal year', async () => {
      const r = await runMetric(fpriv, 'later_removals_after_non_transfer', { release: FU, grain: 'fiscal_year', follow_up_days: String(w) });
      const expected = await q(`SELECT ${FY_OF('prepare_date')} || '|' || outcome_class AS k, count(*) FILTER (WHERE ${removed}) AS n, count(*) AS d
        ${LF} AND person_id IS NOT NULL AND outcome_class IN ('declined', 'lifted_by_ice', 'released_other') AND ${closed} GROUP BY 1`);
      expect(expected.size).toBeGreaterThanOrEqual(6);
      for (const row of r.rows) {
        const e = expected.get(`${row.period}|${row.value}`);
        if (e) expect([row.count, row.denominator], `${row.period} ${row.value}`).toEqual(e);
        else expect(row.status).toBe('not_available');
      }
    });

    test('public mode: published for states by fiscal year, not for counties, and never a small count', async () => {
      const st = await runMetric(fpub, 'later_arrests_after_non_transfer', { release: FU, grain: 'fiscal_year', place: 'state:MA', follow_up_days: String(w) });
      const priv = await runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU, grain: 'fiscal_year', place: 'state:MA', follow_up_days: String(w) });
      for (const row of st.rows) {
        const p = priv.rows.find((x) => x.period === row.period && x.value === row.value)!;
        if (row.status === 'exact') expect(row.count).toBe(p.count);
        else if (row.status !== 'not_available') expect(Number(row.count_low)).toBeLessThanOrEqual(Number(p.count));
        if (row.count !== null) expect(Number(row.count) === 0 || Number(row.count) > 10).toBe(true);
      }
      const county = (await fstore.queryRow<{ c: string }>(`SELECT county_fips AS c ${LF} AND county_fips IS NOT NULL LIMIT 1`))!.c;
      const c = await runMetric(fpub, 'later_arrests_after_non_transfer', { release: FU, grain: 'fiscal_year', place: `county:${county}`, follow_up_days: String(w) });
      expect(c.rows.every((x) => x.status === 'not_available')).toBe(true);
      expect(c.notes.join(' ')).toMatch(/published for the nation, states and areas of responsibility/);
    });
  });

  test('later_arrests_by_conviction: the later-arrested of each outcome by violent set, both definitions, against SQL', async () => {
    const UCR = "('homicide', 'sexual_assault', 'robbery', 'aggravated_assault')";
    const BROAD = "('homicide', 'sexual_assault', 'robbery', 'aggravated_assault', 'simple_assault', 'kidnapping', 'weapons', 'other_sexual_offense')";
    for (const [by, inSet, outSet] of [['violent_ucr', 'violent_ucr', 'not_violent_ucr'], ['violent_broad', 'violent_broad', 'not_violent_broad']] as const) {
      const set = by === 'violent_ucr' ? UCR : BROAD;
      const r = await runMetric(fpriv, 'later_arrests_by_conviction', { release: FU, grain: 'fiscal_year', by });
      const cls = `CASE WHEN offense_category IS NULL THEN 'unknown' WHEN offense_category IN ${set} THEN '${inSet}' ELSE '${outSet}' END`;
      const rows = await fstore.queryRows<{ k: string; n: string }>(`SELECT ${FY_OF('prepare_date')} || '|' || o || '|' || ${cls} AS k, count(*) AS n
        FROM (SELECT *, unnest(CASE WHEN outcome_class IN ('declined', 'released_other') THEN [outcome_class, 'declined_or_released_other'] ELSE [outcome_class] END) AS o ${LF}
              AND person_id IS NOT NULL AND outcome_class IN ('declined', 'lifted_by_ice', 'released_other') AND ${ARRESTED} AND ${CLOSED})
        GROUP BY 1`);
      const expected = new Map(rows.map((x) => [x.k, Number(x.n)]));
      const arrested = new Map<string, number>();
      for (const [k, n] of expected) {
        const g = k.split('|').slice(0, 2).join('|');
        arrested.set(g, (arrested.get(g) ?? 0) + n);
      }
      expect(expected.size, by).toBeGreaterThan(12);
      let checked = 0;
      for (const row of r.rows) {
        const g = `${row.period}|${row.outcome}`;
        if (!arrested.has(g)) {
          expect(row.status, g).toBe('not_available');
          continue;
        }
        expect([row.count, row.denominator], `${g} ${row.value}`).toEqual([expected.get(`${g}|${row.value}`) ?? 0, arrested.get(g)]);
        checked++;
      }
      expect(checked, by).toBeGreaterThanOrEqual(2 * 4 * 3);
    }
    const pub = await runMetric(fpub, 'later_arrests_by_conviction', { release: FU, grain: 'total', place: 'state:MA' });
    const priv = await runMetric(fpriv, 'later_arrests_by_conviction', { release: FU, grain: 'total', place: 'state:MA' });
    for (const row of pub.rows) {
      const p = priv.rows.find((x) => x.outcome === row.outcome && x.value === row.value)!;
      if (row.status === 'exact') expect(row.count).toBe(p.count);
      if (row.count !== null) expect(Number(row.count) === 0 || Number(row.count) > 10).toBe(true);
    }
    const county = await runMetric(fpub, 'later_arrests_by_conviction', { release: FU, grain: 'total', place: 'county:25025' });
    expect(county.rows.every((x) => x.status === 'not_available')).toBe(true);
  });

  test('follow_up_days: only the listed windows, only for the metrics that take one', async () => {
    await expect(runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU, follow_up_days: '30' })).rejects.toThrow(/not one of 90, 180, 365/);
    await expect(runMetric(fpriv, 'detainers_issued', { release: FU, follow_up_days: '90' })).rejects.toThrow(/applies only to later_arrests_after_non_transfer, later_removals_after_non_transfer/);
    const a = await runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU, grain: 'total' });
    const b = await runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU, grain: 'total', follow_up_days: '365' });
    expect(b.rows).toEqual(a.rows);
  });

  test('detainers_released_without_ice_custody: strict declined beside the upper bound, 90 days before the cut-off', async () => {
    const r = await runMetric(fpriv, 'detainers_released_without_ice_custody', { release: FU, grain: 'fiscal_year' });
    const closed90 = `${FY_END('prepare_date')} + INTERVAL 90 DAY <= ${BOUND('detainer_lifecycle', FU, 'prepare_date')}`;
    const expected = await q(`SELECT ${FY_OF('prepare_date')} AS k,
        count(*) FILTER (WHERE outcome_class = 'declined') AS n,
        count(*) FILTER (WHERE outcome_class IN ('declined', 'released_other') OR (outcome_class = 'open_or_unknown' AND lift_reason IS NULL)) AS d
      ${LF} AND ${closed90} GROUP BY 1`);
    const totals = await q(`SELECT ${FY_OF('prepare_date')} AS k, count(*) AS n, 0 AS d ${LF} GROUP BY 1`);
    expect(expected.size).toBe(3);
    for (const row of r.rows) {
      const e = expected.get(String(row.period));
      if (!e) {
        expect(row.status).toBe('not_available');
        continue;
      }
      expect(row.count, `${row.period} ${row.value}`).toBe(row.value === 'declined' ? e[0] : e[1]);
      expect(row.denominator).toBe(totals.get(String(row.period))![0]);
      expect(row.follow_up_days).toBe(90);
    }
  });

  test('ICE custody without a linked arrest is an outcome of its own, outside the later-arrest metrics', async () => {
    const r = await runMetric(fpriv, 'detainer_outcomes', { release: FU, grain: 'total' });
    const n = await fstore.queryRow<{ n: string }>(`SELECT count(*) AS n ${LF} AND outcome_class = 'ice_custody_unlinked'`);
    expect(r.rows.find((x) => x.value === 'ice_custody_unlinked')!.count).toBe(Number(n!.n));
    expect(Number(n!.n)).toBeGreaterThan(50);
  });

  test('raw-table path: the same rules from detainers, arrests and removals, with the detainer row\'s own departure', async () => {
    // Hand-written from the definitions: non-duplicate dated detainers; the next episode starts at the
    // person's first later prepare date with no detainer the day before; the next arrest is the first
    // on or after the prepare date; the cut-off is the latest event date of the release.
    const D = `(SELECT *, CASE detainer_lift_reason WHEN 'Detainer Declined by LEA' THEN 'declined' WHEN 'Lifted' THEN 'lifted_by_ice'
        WHEN 'Early Release' THEN 'released_other' WHEN 'Booked into Detention' THEN 'transferred_to_ice' ELSE 'open_or_unknown' END AS outcome
      FROM detainers WHERE release_id = '${FU_RAW}' AND NOT is_duplicate AND detainer_prepare_date IS NOT NULL)`;
    const NEXT = `(SELECT min(e.detainer_prepare_date) FROM detainers e WHERE e.release_id = d.release_id AND e.person_id = d.person_id
        AND e.detainer_prepare_date > d.detainer_prepare_date
        AND NOT EXISTS (SELECT 1 FROM detainers f WHERE f.release_id = e.release_id AND f.person_id = e.person_id AND f.detainer_prepare_date = e.detainer_prepare_date - 1))`;
    const FIRST_ARREST = `(SELECT min(a.apprehension_date::DATE) FROM arrests a WHERE a.release_id = d.release_id AND a.person_id = d.person_id
        AND NOT a.is_duplicate AND a.apprehension_date::DATE >= d.detainer_prepare_date)`;
    const CUTOFF = `(SELECT greatest((SELECT max(detainer_prepare_date) FROM detainers WHERE release_id = '${FU_RAW}'),
        (SELECT max(apprehension_date::DATE) FROM arrests WHERE release_id = '${FU_RAW}'), (SELECT max(departed_date) FROM removals WHERE release_id = '${FU_RAW}')))`;
    const REMOVAL_OK = (dt: string) => `${dt} >= d.detainer_prepare_date AND ${dt} - d.detainer_prepare_date <= 365 AND (nx IS NULL OR ${dt} < nx)`;
    const rows = await fstore.queryRows<{ k: string; n: string; rm: string; d: string }>(`
      SELECT ${FY_OF('pdate')} || '|' || outcome AS k, count(*) FILTER (WHERE fa IS NOT NULL AND (nx IS NULL OR fa < nx) AND fa - pdate <= 365) AS n,
        count(*) FILTER (WHERE removed) AS rm, count(*) AS d
      FROM (SELECT d.detainer_prepare_date AS pdate, d.outcome, ${FIRST_ARREST} AS fa, nx,
              EXISTS (SELECT 1 FROM removals r WHERE r.release_id = d.release_id AND r.person_id = d.person_id AND NOT r.is_duplicate AND ${REMOVAL_OK('r.departed_date')})
                OR (d.departed_date <= ${CUTOFF} AND ${REMOVAL_OK('d.departed_date')}) AS removed
            FROM (SELECT d.*, ${NEXT} AS nx FROM ${D} d) d
            WHERE d.person_id IS NOT NULL AND d.outcome IN ('declined', 'lifted_by_ice', 'released_other'))
      WHERE ${FY_END('pdate')} + INTERVAL 365 DAY <= ${BOUND('detainers', FU_RAW, 'detainer_prepare_date')}
      GROUP BY 1`);
    // Later detainers of a person run past June 2024, so the raw release closes more fiscal years.
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const a = await runMetric(fpriv, 'later_arrests_after_non_transfer', { release: FU_RAW, grain: 'fiscal_year' });
    const m = await runMetric(fpriv, 'later_removals_after_non_transfer', { release: FU_RAW, grain: 'fiscal_year' });
    expect(a.source).toBe('raw_tables');
    for (const e of rows) {
      const [period, value] = e.k.split('|');
      const ar = a.rows.find((x) => x.period === period && x.value === value)!;
      const mr = m.rows.find((x) => x.period === period && x.value === value)!;
      expect([ar.count, ar.denominator], e.k).toEqual([Number(e.n), Number(e.d)]);
      expect([mr.count, mr.denominator], e.k).toEqual([Number(e.rm), Number(e.d)]);
    }
    expect(rows.reduce((t, e) => t + Number(e.rm), 0)).toBeGreaterThan(5);
    for (const row of a.rows) if (!rows.some((e) => e.k === `${row.period}|${row.value}`)) expect(row.status).toBe('not_available');
  });

  test('public mode: a follow-up figure is the private one or says it is not exact', async () => {
    for (const [id, params] of [
      ['later_arrests_after_non_transfer', { release: FU, grain: 'fiscal_year' }],
      ['later_arrests_after_non_transfer', { release: FU, grain: 'total', by: 'setting', place: 'state:MA' }],
      ['detainers_released_without_ice_custody', { release: FU, grain: 'calendar_year' }],
    ] as const) {
      const [p, u] = await Promise.all([runMetric(fpriv, id, params), runMetric(fpub, id, params)]);
      p.rows.forEach((row, i) => {
        const other = u.rows[i]!;
        expect([other.period, other.value, other.counted_to]).toEqual([row.period, row.value, row.counted_to]);
        if (other.status === 'exact') expect(other.count).toBe(row.count);
        else expect(other.count).toBeNull();
      });
    }
  });
});
