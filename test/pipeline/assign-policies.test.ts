import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import { publishedHeaders } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';
import { rowOf, SIX_PREAMBLE, writeWorkbook } from '../helpers/workbooks.ts';

const H = [...publishedHeaders().july2025.detainers, 'Detainer_Lift_Date', 'Detainer Facility Type'];

describe('policy in force on each detainer', () => {
  it('gives each detainer the policy at its facility on its prepare date and lift date', async () => {
    const dir = tempDir();
    const detainer = (id: string, facility: string, city: string, state: string, prepared: string, lifted: string | null, type: string | null = null) =>
      rowOf(H, {
        'Detainer Facility Type': type,
        'Detainer Prepare Date': { date: prepared },
        'Detention Facility': facility,
        'Facility City': city,
        'Facility State': state,
        'Detainer Lift Reason': lifted ? 'Detainer Declined by LEA' : null,
        Detainer_Lift_Date: lifted ? { date: lifted } : null,
        'Unique Identifier': id,
      });
    const file = await writeWorkbook(dir, 'detainers.xlsx', [
      {
        preamble: SIX_PREAMBLE,
        headers: H,
        rows: [
          // Prepared the week before Lunn v. Commonwealth (2017-07-24), lifted after it.
          detainer('A', 'SUFFOLK COUNTY HOUSE OF CORRECTION', 'BOSTON', 'MASSACHUSETTS', '2017-07-17', '2017-08-01'),
          // Travis County in 2017: Texas SB 4's detainer duty was enjoined from 2017-08-30 to 2017-09-25,
          // so the sheriff's offence-based policy decides on 2017-09-10; SB 4 (hold_required) on 2017-10-02.
          detainer('B', 'TRAVIS COUNTY JAIL', 'AUSTIN', 'TEXAS', '2017-09-10', '2017-10-02'),
          // A federal prison in Massachusetts, known by ICE's facility-type column: no state or local rule.
          detainer('C', 'FMC DEVENS', 'AYER', 'MASSACHUSETTS', '2018-03-01', null, 'Federal Facility'),
          // The same Suffolk County jail, as a state facility per the column: the state-prison rule (Lunn).
          detainer('D', 'SUFFOLK COUNTY HOUSE OF CORRECTION', 'BOSTON', 'MASSACHUSETTS', '2018-03-01', null, 'State Facility'),
          // No type column value: the name matches a HIFLD Prison_Boundaries record of TYPE STATE
          // (reference/facilities/hifld-jails.csv), so the state-prison rule decides.
          detainer('E', 'BOSTON PRE-RELEASE CENTER', 'ROSLINDALE', 'MASSACHUSETTS', '2018-03-01', null),
        ],
      },
    ]);
    const db = path.join(dir, 'h.duckdb');
    await ingestFiles([file], { dbPath: db, now: () => new Date('2026-01-01T00:00:00Z') });
    const store = await openReadOnly(db);
    try {
      const rows = await store.queryRows(
        `SELECT person_id, county_fips, policy_regime_at_prepare, policy_entry_at_prepare, policy_regime_at_lift, policy_entry_at_lift
         FROM detainer_lifecycle ORDER BY person_id`,
      );
      expect(rows[0]).toMatchObject({ person_id: 'A', county_fips: '25025', policy_regime_at_lift: 'no_holds', policy_entry_at_lift: 'ma-2017-lunn-v-commonwealth' });
      // Before Lunn nothing dated decides a Massachusetts jail (the undated-era DOC 287(g) binds state prisons only).
      expect(rows[0]).toMatchObject({ policy_regime_at_prepare: 'no_data', policy_entry_at_prepare: null });
      expect(rows[1]).toMatchObject({
        person_id: 'B',
        county_fips: '48453',
        policy_regime_at_prepare: 'holds_conditional',
        policy_entry_at_prepare: 'tx-travis-county-2017-travis-county-sheriff',
        policy_regime_at_lift: 'hold_required',
        policy_entry_at_lift: 'tx-2017-tex-sb-85r',
      });
      expect(rows[2]).toMatchObject({ person_id: 'C', policy_regime_at_prepare: 'federal', policy_entry_at_prepare: null });
      expect(rows[3]).toMatchObject({ person_id: 'D', policy_regime_at_prepare: 'no_holds', policy_entry_at_prepare: 'ma-2017-lunn-v-commonwealth' });
      expect(rows[4]).toMatchObject({ person_id: 'E', county_fips: '25025', policy_regime_at_prepare: 'no_holds', policy_entry_at_prepare: 'ma-2017-lunn-v-commonwealth' });
      const hifld = await store.queryRows("SELECT person_id, facility_hifld_type FROM detainer_lifecycle ORDER BY person_id");
      expect(hifld.find((r) => r.person_id === 'E')).toEqual({ person_id: 'E', facility_hifld_type: 'STATE' });
      const periods = await store.queryRows("SELECT count(*) AS n FROM policy_periods WHERE county_fips = '25025' AND facility_scope = 'county_jails'");
      expect(Number(periods[0]!.n)).toBeGreaterThan(1);
      const scopes = await store.queryRows<{ facility_name: string; facility_scope: string; scope_basis: string }>(
        'SELECT facility_name, facility_scope, scope_basis FROM policy_facility_scopes ORDER BY ALL',
      );
      expect(scopes).toEqual([
        { facility_name: 'BOSTON PRE-RELEASE CENTER', facility_scope: 'state_prisons', scope_basis: 'hifld_type' },
        { facility_name: 'FMC DEVENS', facility_scope: 'federal', scope_basis: 'facility_type_column' },
        // HIFLD lists the Suffolk County House of Correction under the sheriffs' offices: a local jail.
        { facility_name: 'SUFFOLK COUNTY HOUSE OF CORRECTION', facility_scope: 'county_jails', scope_basis: 'hifld_type' },
        { facility_name: 'SUFFOLK COUNTY HOUSE OF CORRECTION', facility_scope: 'state_prisons', scope_basis: 'facility_type_column' },
        // Its distinctive words match TDCJ's TRAVIS COUNTY UNIT (STATE) in Austin, its whole name no HIFLD
        // record: no type, so the default (a local jail), not the state-prison rule.
        { facility_name: 'TRAVIS COUNTY JAIL', facility_scope: 'county_jails', scope_basis: 'default' },
      ]);
    } finally {
      store.close();
    }
  });
});

describe('a place the policy table does not know', () => {
  it('territories ICE writes (Guam, the Northern Mariana Islands, the Virgin Islands) load with every row, as places with no policy data, never aborting the release', async () => {
    const dir = tempDir();
    // The 2008–2015 layout (FOIA 15-87693), as a delimited file: header on row 1, six columns.
    const lines = ['Prepare Date,Detainer Type,Det Facility,State,City,Lift Reason'];
    const states = ['GUAM', 'NORTHERN MARIANA ISLANDS', 'VIRGIN ISLANDS', 'TEXAS'];
    for (let i = 0; i < 40; i++) lines.push(`3/${(i % 27) + 1}/2015,I247D,DEPT OF CORRECTIONS ${i % 4},${states[i % 4]},CITY ${i % 4},`);
    const file = path.join(dir, 'detainers-fy2015.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const db = path.join(dir, 'h.duckdb');
    const summary = await ingestFiles([file], { dbPath: db });
    expect(summary.files.map((f) => [f.status, f.rows, f.error?.message])).toEqual([['loaded', 40, undefined]]);
    const store = await openReadOnly(db);
    try {
      const rows = await store.queryRows<{ state_postal: string | null; n: bigint; no_data: bigint }>(
        `SELECT state_postal, count(*) AS n, count(*) FILTER (WHERE policy_regime_at_prepare = 'no_data') AS no_data
         FROM detainer_lifecycle GROUP BY ALL ORDER BY state_postal`,
      );
      const got = Object.fromEntries(rows.map((r) => [r.state_postal, [Number(r.n), Number(r.no_data)]]));
      // reference/policies has no entry for a territory: its regime is no_data, like a state without one.
      expect(got.GU).toEqual([10, 10]);
      expect(got.MP).toEqual([10, 10]);
      expect(got.VI).toEqual([10, 10]);
      expect(got.TX?.[0]).toBe(10);
    } finally {
      store.close();
    }
  });
});
