/**
 * ICE's facility lists and detention-statistics workbooks through the loader: a small generated
 * workbook of each kind (written with src/xlsx), then the four real public files in
 * ../shared/data/ice-real (skipped with a message when ../shared is absent): the 2017 IIDS facility
 * list (1,685 facilities on `Facility List - Main`, every facility sheet's title count), the 214
 * authorized facilities of FOIA 2019-ICFO-31121, and the FY2019 and FY2024 detention statistics
 * (213 and 109 facilities; FY2019 initial book-ins 510,854 and overall ADP 50,165.44 as cells).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/core/config.ts';
import { hashFile } from '../../src/pipeline/ingest-files.ts';
import {
  detectFacilitySource,
  loadFacilitySourceRelease,
  type FacilitySourceOutcome,
} from '../../src/pipeline/load-facility-sources.ts';
import type { Store } from '../../src/store/index.ts';
import { writeXlsx } from '../../src/xlsx/index.ts';
import { SHARED_DIR } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';
import { withStore } from '../helpers/with-store.ts';

const ICE_REAL = path.join(SHARED_DIR, 'data/ice-real');
const NOW = () => new Date('2026-01-15T12:00:00Z');

async function load(store: Store, file: string): Promise<FacilitySourceOutcome> {
  const fileId = await hashFile(file);
  return store.transaction(() => loadFacilitySourceRelease(store, file, fileId, { now: NOW, limits: DEFAULT_LIMITS }));
}

const count = async (store: Store, sql: string, params: (string | number)[] = []): Promise<number> =>
  Number((await store.queryRow<{ n: string | number }>(sql, params))?.n ?? 0);

describe('generated facility list', () => {
  it('loads every facility sheet with provenance, keeps the notes sheet, and reports the title counts', async () => {
    const file = path.join(tempDir(), 'ICE_Facility_List_01-02-2020.xlsx');
    await writeXlsx(file, [
      { name: 'Notes', rows: [['Facility List Notes'], ['When the facility type is unavailable, IIDS shows Other.']] },
      {
        name: 'Facility List - Main',
        rows: [
          ['Facility List Report'],
          ['3 Facilities, Source: ICE Integrated Decision Support (IIDS), 01/02/2020'],
          [],
          ['Facility Information', null, null, null, null, null, null, 'ADP: Fiscal Year'],
          ['DETLOC', 'Name', 'City', 'County', 'State', 'Zip', 'AOR', 'FY20 ADP', 'FY19 ADP'],
          ['SUFFOMA', 'SUFFOLK COUNTY HOUSE OF CORRECTION', 'BOSTON', 'SUFFOLK', 'MA', 2118, 'BOS', 12.5, 100],
          ['YORCOPA', 'YORK COUNTY PRISON', 'YORK', 'YORK', 'PA', 17402, 'PHI', 695.4, 690.1],
          [null, null, null, null, null, null, 'Total', 707.9, 790.1],
        ],
      },
      {
        name: 'Prohibited Use List',
        rows: [['13 Facilities as of 01/02/2020'], ['DETLOC', 'Name', 'City', 'State', 'AOR'], ['BENTOWA', 'BENTON COUNTY JAIL', 'KENNEWICK', 'WA', 'SEA']],
      },
    ]);
    expect(await detectFacilitySource(file, DEFAULT_LIMITS)).toBe('facility_list');
    await withStore(async (store) => {
      const outcome = await load(store, file);
      expect(outcome).toMatchObject({ status: 'loaded', kind: 'facility_list', rows: 3, rejects: 0 });
      expect(outcome.skippedSheets.map((s) => s.sheet)).toEqual(['Notes']);
      const rows = await store.queryRows<Record<string, unknown>>(
        'SELECT sheet, source_row, detloc, county_fips, zip, strftime(data_as_of, \'%Y-%m-%d\') AS as_of, measures FROM facility_list_rows ORDER BY sheet, source_row',
      );
      expect(rows).toEqual([
        { sheet: 'Facility List - Main', source_row: 6, detloc: 'SUFFOMA', county_fips: '25025', zip: '02118', as_of: '2020-01-02', measures: '{"FY20 ADP":12.5,"FY19 ADP":100}' },
        { sheet: 'Facility List - Main', source_row: 7, detloc: 'YORCOPA', county_fips: '42133', zip: '17402', as_of: '2020-01-02', measures: '{"FY20 ADP":695.4,"FY19 ADP":690.1}' },
        { sheet: 'Prohibited Use List', source_row: 3, detloc: 'BENTOWA', county_fips: null, zip: null, as_of: '2020-01-02', measures: '{}' },
      ]);
      const release = await store.queryRow<{ kind: string; label: string; note: string }>(
        'SELECT kind, label, note FROM releases WHERE release_id = $1',
        [outcome.releaseId],
      );
      expect(release).toMatchObject({ kind: 'facility_list', label: 'ICE facility list (2020-01-02): ICE_Facility_List_01-02-2020.xlsx' });
      const notes = JSON.parse(release!.note).notes as string[];
      expect(notes).toContain('sheet "Facility List - Main": title says 3 facilities but 2 were read (fewer than stated)');
      expect(notes).toContain('sheet "Prohibited Use List": title says 13 facilities but 1 were read (fewer than stated)');
      expect(notes).toContain('sheet "Facility List - Main": 1 totals row(s) set aside as notes');
      expect(await count(store, "SELECT count(*) AS n FROM facility_source_notes WHERE sheet = 'Notes' AND kind = 'note'")).toBe(2);
      expect(await count(store, "SELECT count(*) AS n FROM facility_source_notes WHERE kind = 'totals' AND source_row = 8")).toBe(1);
      const meta = JSON.parse((await store.queryRow<{ metadata: string }>('SELECT metadata FROM source_files'))!.metadata);
      expect(meta).toMatchObject({ kind: 'facility_list', facilities: 3, data_as_of: '2020-01-02' });
    });
  });

  it('is not claimed for a 287(g)-style sheet or a plain table', async () => {
    const dir = tempDir();
    const other = path.join(dir, 'other.xlsx');
    await writeXlsx(other, [{ name: 'Sheet1', rows: [['STATE', 'LAW ENFORCEMENT AGENCY', 'SUPPORT TYPE'], ['MA', 'Plymouth County Sheriff', 'Jail Enforcement Model']] }]);
    expect(await detectFacilitySource(other, DEFAULT_LIMITS)).toBeNull();
  });
});

describe('generated detention statistics', () => {
  it('loads the facilities sheet, every table value as a cell, and the notes', async () => {
    const file = path.join(tempDir(), 'FY21_detentionStats.xlsx');
    await writeXlsx(file, [
      { name: 'Header', rows: [['ICE Detention Statistics'], ['These statistics are made available to the public.']] },
      {
        name: 'Detention FY21',
        rows: [
          ['ICE DETENTION DATA, FY21'],
          [],
          ['ICE Initial Book-Ins by Arresting Agency and Month: FY2021', null, null, null, null, 'ICE Removals: FY2021'],
          ['Agency', 'Oct', 'Total', null, null, null, null, 'Removals'],
          ['Total', 100, 1200, null, null, 'Total', null, 59011],
          ['ICE', 40, 500],
          ['CBP', 60, 700],
        ],
      },
      {
        name: 'Facilities FY21',
        rows: [
          ['ICE FACILITIES DATA, FY21'],
          ['Facility Information', null, null, null, 'FY21 ADP: Criminality'],
          ['Source: ICE Integrated Decision Support (IIDS), 10/04/2021'],
          ['Name', 'City', 'State', 'Type Detailed', 'Male Crim', 'Male Non-Crim'],
          ['ADELANTO ICE PROCESSING CENTER', 'ADELANTO', 'CA', 'DIGSA', 300.5, 400.25],
        ],
      },
      { name: 'Footnotes', rows: [['Term', 'Definition'], ['ADP', 'Average daily population']] },
    ]);
    expect(await detectFacilitySource(file, DEFAULT_LIMITS)).toBe('detention_stats');
    await withStore(async (store) => {
      const outcome = await load(store, file);
      expect(outcome).toMatchObject({ kind: 'detention_stats', rows: 1 + 7, rejects: 0 });
      expect(await store.queryRows('SELECT name, fiscal_year, facility_type, measures FROM detention_stat_facilities')).toEqual([
        { name: 'ADELANTO ICE PROCESSING CENTER', fiscal_year: 2021, facility_type: 'DIGSA', measures: '{"FY21 ADP: Criminality / Male Crim":300.5,"FY21 ADP: Criminality / Male Non-Crim":400.25}' },
      ]);
      expect(
        await store.queryRows(
          'SELECT table_index, table_title, row_label, column_label, value_number, source_row, source_col FROM detention_stat_cells WHERE row_label = $1 ORDER BY source_col',
          ['Total'],
        ),
      ).toEqual([
        { table_index: 0, table_title: 'ICE Initial Book-Ins by Arresting Agency and Month: FY2021', row_label: 'Total', column_label: 'Oct', value_number: 100, source_row: 5, source_col: 2 },
        { table_index: 0, table_title: 'ICE Initial Book-Ins by Arresting Agency and Month: FY2021', row_label: 'Total', column_label: 'Total', value_number: 1200, source_row: 5, source_col: 3 },
        { table_index: 1, table_title: 'ICE Removals: FY2021', row_label: 'Total', column_label: 'Removals', value_number: 59011, source_row: 5, source_col: 8 },
      ]);
      expect(await count(store, 'SELECT count(*) AS n FROM detention_stat_cells WHERE fiscal_year = 2021')).toBe(7);
      expect(await store.queryRows("SELECT sheet, kind, text FROM facility_source_notes WHERE sheet <> 'Facilities FY21' ORDER BY sheet, source_row")).toEqual([
        { sheet: 'Detention FY21', kind: 'caption', text: 'ICE DETENTION DATA, FY21' },
        { sheet: 'Footnotes', kind: 'note', text: 'Term | Definition' },
        { sheet: 'Footnotes', kind: 'note', text: 'ADP | Average daily population' },
        { sheet: 'Header', kind: 'note', text: 'ICE Detention Statistics' },
        { sheet: 'Header', kind: 'note', text: 'These statistics are made available to the public.' },
      ]);
      expect((await store.queryRow<{ label: string }>('SELECT label FROM releases'))!.label).toBe('ICE detention statistics FY2021: FY21_detentionStats.xlsx');
    });
  });
});

describe.skipIf(!existsSync(ICE_REAL))('real ICE facility lists and detention statistics (../shared/data/ice-real)', () => {
  const file = (name: string) => path.join(ICE_REAL, name);

  it('the 2017 IIDS facility list: 1,685 facilities on the main sheet, every facility sheet as its title says', async () => {
    const f = file('ICE_Facility_List_11-06-2017-web.xlsx');
    expect(await detectFacilitySource(f, DEFAULT_LIMITS)).toBe('facility_list');
    await withStore(async (store) => {
      const outcome = await load(store, f);
      expect(outcome.rejects).toBe(0);
      const bySheet = Object.fromEntries(
        (await store.queryRows<{ sheet: string; n: string }>('SELECT sheet, count(*) AS n FROM facility_list_rows GROUP BY sheet')).map((r) => [r.sheet, Number(r.n)]),
      );
      // Counts stated by the title row of each sheet ("1685 Facilities", "215 Authorized Facilities as of …").
      expect(bySheet).toEqual({
        'Facility List - Main': 1685,
        'Facility List - Pop Breakout': 1685,
        'Authorized List - DMCP Detailed': 215,
        'Authorized List - DMCP': 215,
        'GM Facilities': 29,
        'ERO Juvenile Facilities': 9,
        'Fam and Res Facilities': 4,
        'BOP Facilities': 1,
        'ICE Dedicated Facilities': 24,
        'Prohibited Use List': 13,
      });
      expect(outcome.skippedSheets.map((s) => s.sheet)).toEqual(['Notes', 'Facility Type']);
      const notes = JSON.parse((await store.queryRow<{ note: string }>('SELECT note FROM releases'))!.note).notes as string[];
      expect(notes).toContain('sheet "Facility List - Main": title says 1685 facilities; 1685 read');
      expect(notes.filter((n) => /but \d+ were read/.test(n))).toEqual([]);
      // A withheld DETLOC is named as redacted, never silently empty.
      expect(await count(store, "SELECT count(*) AS n FROM facility_list_rows WHERE detloc IS NULL AND NOT contains(coalesce(redacted_fields, ''), 'detloc')")).toBe(0);
      // The main sheet's group rows qualify grouped columns; the FY columns keep their names.
      expect(await count(store, `SELECT count(*) AS n FROM facility_list_rows WHERE sheet = 'Facility List - Main' AND measures LIKE '%"FY18 ADP":%'`)).toBe(1685);
      expect(await count(store, "SELECT count(*) AS n FROM facility_source_notes WHERE sheet = 'Notes'")).toBeGreaterThan(100);
    });
  });

  it('FOIA 2019-ICFO-31121: 214 authorized facilities under a group row', async () => {
    const f = file('2019-ICFO-31121.xlsx');
    expect(await detectFacilitySource(f, DEFAULT_LIMITS)).toBe('facility_list');
    await withStore(async (store) => {
      const outcome = await load(store, f);
      expect(outcome).toMatchObject({ rows: 214, rejects: 0 });
      expect(await count(store, 'SELECT count(DISTINCT detloc) AS n FROM facility_list_rows')).toBe(214);
      expect(await count(store, "SELECT count(*) AS n FROM facility_list_rows WHERE data_as_of = DATE '2019-03-25' AND measures LIKE '%\"FY19 ADP\"%'")).toBe(214);
    });
  });

  it('FY2019 detention statistics: 213 facilities; initial book-ins 510,854 and overall ADP 50,165.44 as cells', async () => {
    const f = file('FY19-detentionstats.xlsx');
    expect(await detectFacilitySource(f, DEFAULT_LIMITS)).toBe('detention_stats');
    await withStore(async (store) => {
      await load(store, f);
      expect(await count(store, "SELECT count(*) AS n FROM detention_stat_facilities WHERE sheet = 'Facilities FY19' AND fiscal_year = 2019")).toBe(213);
      const bookIns = await store.queryRows<{ table_title: string }>(
        `SELECT table_title FROM detention_stat_cells
         WHERE fiscal_year = 2019 AND row_label = 'Total' AND column_label = 'Total' AND value_number = 510854 ORDER BY table_index`,
      );
      expect(bookIns.map((r) => r.table_title)).toEqual([
        'ICE Initial Book-Ins by Arresting Agency and Month: FY2019',
        'ICE Initial Book-Ins by Facility Type and Criminality: FY2019',
      ]);
      const adp = await store.queryRows<{ row_label: string; value: number }>(
        `SELECT row_label, round(value_number, 2) AS value FROM detention_stat_cells
         WHERE fiscal_year = 2019 AND column_label = 'FY Overall' AND row_group IS NULL
           AND table_title LIKE 'ICE Average Daily Population by Arresting Agency%' ORDER BY source_row`,
      );
      // SOURCES.md: overall ADP 50,165.44 = ICE 20,115.38 + CBP 30,050.05.
      expect(adp).toEqual([
        { row_label: 'CBP Average', value: 30050.05 },
        { row_label: 'ICE Average', value: 20115.38 },
        { row_label: 'Average', value: 50165.44 },
      ]);
    });
  });

  it('FY2024 detention statistics: 109 facilities, twelve sheets, the sheet name with a trailing space keeps its year', async () => {
    const f = file('FY24_detentionStats.xlsx');
    expect(await detectFacilitySource(f, DEFAULT_LIMITS)).toBe('detention_stats');
    await withStore(async (store) => {
      await load(store, f);
      expect(await count(store, "SELECT count(*) AS n FROM detention_stat_facilities WHERE sheet = 'Facilities EOFY24' AND fiscal_year = 2024")).toBe(109);
      const meta = JSON.parse((await store.queryRow<{ metadata: string }>('SELECT metadata FROM source_files'))!.metadata);
      expect(meta.fiscal_year).toBe(2024);
      expect(meta.sheets).toHaveLength(12);
      expect(await count(store, "SELECT count(*) AS n FROM detention_stat_cells WHERE sheet = 'ATD EOFY23 ' AND fiscal_year <> 2023")).toBe(0);
      expect(await count(store, "SELECT count(*) AS n FROM detention_stat_cells WHERE sheet = 'ATD EOFY23 '")).toBeGreaterThan(0);
    });
  });

  it('a 287(g) sheet is not taken for a facility list', async () => {
    expect(await detectFacilitySource(file('participatingAgencies06272025am.xlsx'), DEFAULT_LIMITS)).toBeNull();
  });
});
