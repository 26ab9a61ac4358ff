/**
 * A small migrated database with hand-designed records, so tests know the true counts from the rows
 * themselves (independent SQL), not from the code under test.
 *
 * - r_fixture_main (not synthetic, newest): 600 detainer lifecycles in MA and NY (7 facilities, one
 *   not placed in a county, a few rows without facility code / identifier / date), 320 ICE arrests,
 *   with the raw `detainers` rows behind them.
 * - r_fixture_demo (synthetic, older): 90 raw detainers, 40 arrests and 12 removals, no lifecycles,
 *   so the raw-table path is exercised.
 */
import path from 'node:path';
import { migrate, Store } from '../../src/store/index.ts';
import { prng as rng } from '../helpers/prng.ts';

export const MAIN = 'r_fixture_main';
export const DEMO = 'r_fixture_demo';


function pick<T>(r: () => number, items: [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[items.length - 1]![0];
}

function lit(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}

async function insert(store: Store, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    await store.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${chunk.map((r) => `(${cols.map((c) => lit(r[c])).join(', ')})`).join(', ')}`);
  }
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const FACILITIES: [{ code: string | null; name: string | null; state: string; county: string | null; aor: string }, number][] = [
  [{ code: 'MASUFFO', name: 'SUFFOLK COUNTY HOUSE OF CORRECTION', state: 'MA', county: '25025', aor: 'BOS' }, 30],
  [{ code: 'MAMIDDL', name: 'MIDDLESEX COUNTY JAIL', state: 'MA', county: '25017', aor: 'BOS' }, 20],
  [{ code: 'MAPLYMO', name: 'PLYMOUTH COUNTY CORRECTIONAL FACILITY', state: 'MA', county: '25023', aor: 'BOS' }, 5],
  [{ code: 'MABERKS', name: 'BERKSHIRE HOUSE', state: 'MA', county: null, aor: 'BOS' }, 5],
  [{ code: 'NYNYCDC', name: 'NYC DEPT OF CORRECTION', state: 'NY', county: '36061', aor: 'NYC' }, 25],
  [{ code: 'NYNASSA', name: 'NASSAU COUNTY JAIL', state: 'NY', county: '36059', aor: 'NYC' }, 10],
  [{ code: 'NYRAREJ', name: 'RARE LOCKUP', state: 'NY', county: '36061', aor: 'NYC' }, 2],
  [{ code: null, name: null, state: 'NY', county: '36059', aor: 'NYC' }, 3],
];

const MONTHS = ['2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04'];
const MONTH_W = [2, 12, 14, 14, 13, 12, 10, 1];

const LIFT: Record<string, string[]> = {
  transferred_to_ice: ['Booked into Detention'],
  declined: ['Detainer Declined by LEA'],
  lifted_by_ice: ['Lifted', 'Prosecutorial Discretion'],
  released_other: ['Early Release', 'No longer in State, Local, or Federal Custody'],
  open_or_unknown: [''],
};

/** Writes the fixture database to `<dir>/fixture.duckdb` and returns its path. */
export async function buildFixtureDb(dir: string): Promise<string> {
  const file = path.join(dir, 'fixture.duckdb');
  const store = await Store.open(file);
  try {
    await migrate(store);
    await store.run(`INSERT INTO releases (release_id, label, synthetic, created_at, kind) VALUES
      ('${DEMO}', 'Fixture demo (synthetic)', true, TIMESTAMP '2025-01-01 00:00:00', 'ice_release'),
      ('${MAIN}', 'Fixture FOIA 2025-ICFO-0001', false, TIMESTAMP '2025-06-01 00:00:00', 'ice_release')`);
    await store.run(`INSERT INTO source_files VALUES
      ('f_main', '${MAIN}', 'main.xlsx', 1, 'xlsx', TIMESTAMP '2025-06-01 00:00:00', 1, 0, NULL),
      ('f_demo', '${DEMO}', 'demo.xlsx', 1, 'xlsx', TIMESTAMP '2025-01-01 00:00:00', 1, 0, NULL)`);
    await store.run(`INSERT INTO column_quality VALUES
      ('f_main', 'detainers', 'birth_country', 600, 590, 7, 0, NULL),
      ('f_main', 'detainers', 'msc_charge', 600, 400, 150, 0, NULL)`);
    const r = rng(42);
    const life: Record<string, unknown>[] = [];
    const raw: Record<string, unknown>[] = [];
    for (let i = 0; i < 600; i++) {
      const f = pick(r, FACILITIES);
      const month = pick(r, MONTHS.map((m, k) => [m, MONTH_W[k]!] as [string, number]));
      const day = 1 + Math.floor(r() * 28);
      const prepare = i % 97 === 5 ? null : `${month}-${String(day).padStart(2, '0')}`;
      const outcome = pick(r, [['transferred_to_ice', 50], ['declined', 15], ['lifted_by_ice', 10], ['released_other', 10], ['open_or_unknown', 15]] as [string, number][]);
      const hasId = r() > 0.05;
      const person = hasId ? `p${i % 540}` : null;
      const lift = pick(r, LIFT[outcome]!.map((x) => [x, 1] as [string, number]));
      const nonTransfer = ['declined', 'lifted_by_ice', 'released_other'].includes(outcome);
      let arrestDate: string | null = null;
      let setting: string | null = null;
      let days: number | null = null;
      if (hasId && prepare && outcome !== 'transferred_to_ice' && r() < 0.45) {
        days = Math.floor(r() * 300);
        arrestDate = addDays(prepare, days);
        setting = pick(r, [['community', 6], ['custodial', 3], ['other', 1]] as [string, number][]);
      }
      const removal = hasId && prepare && nonTransfer && r() < 0.25 ? addDays(prepare, 20 + Math.floor(r() * 200)) : null;
      const liftDate = prepare && nonTransfer && r() < 0.8 ? addDays(prepare, Math.floor(r() * 60)) : null;
      life.push({
        release_id: MAIN, file_id: 'f_main', sheet: 'Sheet1', source_row: i + 2, person_id: person,
        link_status: hasId ? (prepare ? 'linked' : 'no_prepare_date') : 'no_identifier', duplicate_rows: 0,
        prepare_date: prepare, detainer_type: pick(r, [['I-247A', 80], ['I-247D', 15], [null, 5]] as [string | null, number][]),
        facility_name: f.name, facility_code: f.code, facility_state: f.state === 'MA' ? 'MASSACHUSETTS' : 'NEW YORK',
        state_postal: f.state, county_fips: f.county, place_method: f.county ? 'exact_name' : 'unplaced', aor_code: f.aor,
        criminality: pick(r, [['1 Convicted Criminal', 50], ['2 Pending Criminal Charges', 20], ['3 Other Immigration Violator', 25], [null, 5]] as [string | null, number][]),
        offense_category: pick(r, [['homicide', 2], ['aggravated_assault', 8], ['simple_assault', 10], ['drug_possession', 20], ['dui', 15], ['immigration', 10], ['larceny_theft', 10], [null, 25]] as [string | null, number][]),
        lift_reason: lift === '' ? null : lift, lift_reason_unmapped: false, lift_date: liftDate,
        outcome_class: outcome, outcome_basis: lift === '' ? 'no_lift_reason' : 'lift_reason', near_cutoff: false,
        days_to_book_in: outcome === 'transferred_to_ice' && r() < 0.9 ? Math.floor(r() * 30) : null,
        arrest_date: arrestDate, arrest_method: setting === 'community' ? 'Located' : setting === 'custodial' ? 'CAP Local Incarceration' : setting ? 'Other' : null,
        arrest_setting: setting, days_to_arrest: days, removal_date: removal,
      });
      raw.push({ release_id: MAIN, file_id: 'f_main', source_file: 'main.xlsx', sheet: 'Sheet1', source_row: i + 2, detainer_prepare_date: prepare, person_id: person, is_duplicate: false });
    }
    // Two duplicate raw rows: not in the lifecycle table, never counted.
    raw.push({ release_id: MAIN, file_id: 'f_main', source_file: 'main.xlsx', sheet: 'Sheet1', source_row: 700, detainer_prepare_date: '2024-11-03', person_id: 'p1', is_duplicate: true });
    await insert(store, 'detainer_lifecycle', life);
    await insert(store, 'detainers', raw);

    const declined = life.filter((l) => l.outcome_class === 'declined' && l.person_id && l.prepare_date).map((l) => l.person_id as string);
    const arrests: Record<string, unknown>[] = [];
    for (let i = 0; i < 320; i++) {
      const st = pick(r, [['MASSACHUSETTS', 6], ['NEW YORK', 4], [null, 0.3]] as [string | null, number][]);
      const county = st === 'MASSACHUSETTS' ? pick(r, [['Suffolk', 5], ['Middlesex', 3], ['Nowhere', 1], [null, 1]] as [string | null, number][]) : st ? pick(r, [['New York', 5], ['Kings', 3], [null, 1]] as [string | null, number][]) : null;
      const month = pick(r, MONTHS.map((m, k) => [m, MONTH_W[k]!] as [string, number]));
      const person = r() < 0.35 && declined.length ? declined[Math.floor(r() * declined.length)]! : r() < 0.95 ? `q${i}` : null;
      arrests.push({
        release_id: MAIN, file_id: 'f_main', source_file: 'main.xlsx', sheet: 'Arrests', source_row: i + 2,
        apprehension_date: i % 101 === 7 ? null : `${month}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')} 10:00:00`,
        apprehension_state: st, apprehension_county: county, apprehension_aor: st === 'MASSACHUSETTS' ? 'Boston Area of Responsibility' : st ? 'New York City' : null,
        apprehension_method: pick(r, [['Non-Custodial Arrest', 4], ['Located', 2], ['CAP Local Incarceration', 3], ['287(g) Program', 1], [null, 0.5]] as [string | null, number][]),
        apprehension_criminality: pick(r, [['1 Convicted Criminal', 5], ['2 Pending Criminal Charges', 2], ['3 Other Immigration Violator', 3]] as [string, number][]),
        person_id: person, is_duplicate: i % 150 === 3,
      });
    }
    await insert(store, 'arrests', arrests);

    const demo: Record<string, unknown>[] = [];
    for (let i = 0; i < 90; i++) {
      const month = pick(r, MONTHS.slice(1, 5).map((m) => [m, 1] as [string, number]));
      const prepare = `${month}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
      demo.push({
        release_id: DEMO, file_id: 'f_demo', source_file: 'demo.xlsx', sheet: 'Sheet1', source_row: i + 2,
        detainer_prepare_date: prepare, facility_state: 'MASSACHUSETTS', facility_aor: 'Boston Area of Responsibility',
        detention_facility_code: pick(r, [['MASUFFO', 3], ['MAMIDDL', 2]] as [string, number][]), detention_facility: 'X',
        detainer_prepared_criminality: '1 Convicted Criminal', detainer_type: 'I-247A',
        detainer_lift_reason: pick(r, [['Booked into Detention', 5], ['Detainer Declined by LEA', 3], [null, 2]] as [string | null, number][]),
        person_id: `d${i}`, is_duplicate: false,
      });
    }
    await insert(store, 'detainers', demo);
    await insert(store, 'arrests', demo.slice(0, 40).map((d, i) => ({
      release_id: DEMO, file_id: 'f_demo', source_file: 'demo.xlsx', sheet: 'Arrests', source_row: i + 2,
      apprehension_date: `${String(d.detainer_prepare_date).slice(0, 7)}-28 09:00:00`, apprehension_state: 'MA', apprehension_aor: 'BOS',
      apprehension_method: i % 2 ? 'Located' : 'CAP Local Incarceration', person_id: d.person_id, is_duplicate: false,
    })));
    await insert(store, 'removals', demo.slice(0, 12).map((d, i) => ({
      release_id: DEMO, file_id: 'f_demo', source_file: 'demo.xlsx', sheet: 'Removals', source_row: i + 2,
      departed_date: '2025-03-30', person_id: d.person_id, is_duplicate: false,
    })));
    await store.run('CHECKPOINT');
  } finally {
    store.close();
  }
  return file;
}

/** Runs statements on a fixture database (written, then checkpointed), for tests that change it. */
export async function alterFixture(db: string, statements: readonly string[]): Promise<void> {
  const store = await Store.open(db);
  try {
    for (const sql of statements) await store.run(sql);
    await store.run('CHECKPOINT');
  } finally {
    store.close();
  }
}

/** A later real release of the main release's records in which ICE revised a few: three detainers gone. */
export const LATER = 'r_fixture_later';
export const LATER_RELEASE: readonly string[] = [
  `INSERT INTO releases (release_id, label, synthetic, created_at, kind) VALUES ('${LATER}', 'Fixture FOIA 2025-ICFO-0002', false, TIMESTAMP '2025-09-01 00:00:00', 'ice_release')`,
  ...['detainers', 'detainer_lifecycle', 'arrests'].map(
    (table) => `INSERT INTO ${table} SELECT * REPLACE ('${LATER}' AS release_id) FROM ${table} WHERE release_id = '${MAIN}' AND source_row NOT IN (5, 6, 7)`,
  ),
];
