/**
 * The facility-table reader on small generated sheets: the header found under a group row and title
 * lines, a "Source:" line between group row and header, keys for grouped columns, totals rows,
 * footers, side tables, redacted ORR rows, rejects, ZIP codes and the title's declared count. One
 * sheet is also written as a real .xlsx and read back through the project's reader.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTableFile, type SourceRow } from '../../index.ts';
import { writeXlsx, type XlsxWriteCell } from '../../../xlsx/index.ts';
import { tempDir } from '../../../../test/helpers/tmp.ts';
import {
  declaredFacilityCount,
  findFacilityHeader,
  readFacilityTable,
  valueKey,
  zipText,
} from './facility-table.ts';
import { countNote, normalizeFacilityList } from './normalize.ts';

const rowsOf = (grid: XlsxWriteCell[][]): SourceRow[] =>
  grid.map((cells, i) => ({ rowNumber: i + 1, cells: cells.map((c) => (c === undefined ? null : (c as string | number | null))) }));

/** A facility-list sheet in the 2017 layout: titles, a group row, the names row, facilities, then a footer. */
const LIST_SHEET: XlsxWriteCell[][] = [
  ['ERO Custody Management Division'],
  ['Facility List Report'],
  ['4 Facilities, Source: ICE Integrated Decision Support (IIDS), 11/06/2017'],
  [],
  ['Facility Information', null, null, null, null, null, null, null, 'ADP: Fiscal Year', null, 'FY18 ADP: Criminality', null, 'Capacity'],
  ['DETLOC', 'Name', 'Address', 'City', 'County', 'State', 'Zip', 'AOR', 'FY18 ADP', 'FY17 ADP', 'Male Crim', 'Female Crim', 'Capacity'],
  ['ABRDNWA', 'ABERDEEN CITY JAIL', '210 EAST MARKET ST', 'ABERDEEN', 'GRAYS HARBOR ', 'WA', 98520, 'SEA', 0, 1.5, 0, 0, 'AS NEEDED'],
  ['CTYORCI', 'YORK CORRECTIONAL INSTITUTION', '201 WEST MAIN STREET', 'NIANTIC', 'NEW LONDON', 'CT', 6357, 'BOS', 2, 3, 1, 1, 40],
  ['REDACTED', 'Redacted', 'Redacted', 'Redacted', 'Redacted', 'Redacted', 'Redacted', 'DEN', 0.5, 0, 0, 0, null],
  [null, 'FACILITY WITHOUT A CODE', null, 'BOSTON', 'SUFFOLK', 'MA', null, 'BOS', 1],
  ['NOCODE1', null, null, 'SOMEWHERE', null, 'TX'],
  [],
  [null, null, null, null, null, null, null, 'TOTAL', 2.5, 4.5],
  ['U.S. Immigration and Customs Enforcement\nDetention Management Control Program'],
];

describe('findFacilityHeader', () => {
  it('finds the names row and the group row above it, past title lines', () => {
    const found = findFacilityHeader(rowsOf(LIST_SHEET), ['detloc', 'name']);
    expect(found).toMatchObject({ headerIndex: 5, groupIndex: 4 });
    expect(found!.fields).toMatchObject({ detloc: 0, name: 1, address: 2, city: 3, county: 4, state: 5, zip: 6, aor: 7 });
  });

  it('takes the group row over a one-cell "Source:" line between it and the names', () => {
    const grid: XlsxWriteCell[][] = [
      ['ICE FACILITIES DATA, FY19'],
      ['Facility Information', null, null, null, 'FY19 ADP: Detainee Classification Level'],
      ['Source: ICE Integrated Decision Support (IIDS), 10/07/2019'],
      ['Name', 'City', 'State', 'AOR', 'Level A', 'Level B'],
      ['STEWART DETENTION CENTER', 'LUMPKIN', 'GA', 'ATL', 1150.2, 315],
    ];
    const table = readFacilityTable(rowsOf(grid), ['name', 'city', 'state'])!;
    expect(table.headerRow).toBe(4);
    expect(table.groupRow).toBe(2);
    expect(table.dataAsOf).toBe('2019-10-07');
    expect(table.facilities[0]!.measures).toEqual({
      'FY19 ADP: Detainee Classification Level / Level A': 1150.2,
      'FY19 ADP: Detainee Classification Level / Level B': 315,
    });
  });

  it('gives up when no row names the required fields', () => {
    expect(findFacilityHeader(rowsOf([['Term', 'Definition'], ['ADP', 'Average daily population']]), ['detloc', 'name'])).toBeNull();
    // "Name" alone is not a facility list without DETLOC.
    expect(findFacilityHeader(rowsOf([['Name', 'City', 'State']]), ['detloc', 'name'])).toBeNull();
  });
});

describe('readFacilityTable', () => {
  const table = readFacilityTable(rowsOf(LIST_SHEET), ['detloc', 'name'])!;

  it('reads facilities, with the ZIP restored and the county placed', () => {
    expect(table.facilities.map((f) => f.detloc)).toEqual(['ABRDNWA', 'CTYORCI', null]);
    const [aberdeen, york] = table.facilities;
    expect(aberdeen).toMatchObject({
      name: 'ABERDEEN CITY JAIL', city: 'ABERDEEN', county: 'GRAYS HARBOR', state: 'WA', state_postal: 'WA', zip: '98520', aor: 'SEA',
      county_fips: '53027', county_fips_method: 'county_column', source_row: 7,
    });
    expect(york!.zip).toBe('06357');
    expect(york!.county_fips).toBe('09011');
  });

  it('keeps numbers as measures and text as attributes, keyed by name or group / name', () => {
    expect(table.facilities[0]!.measures).toEqual({
      'FY18 ADP': 0,
      'FY17 ADP': 1.5,
      'FY18 ADP: Criminality / Male Crim': 0,
      'FY18 ADP: Criminality / Female Crim': 0,
    });
    expect(table.facilities[0]!.attributes).toEqual({ Capacity: 'AS NEEDED' });
    expect(table.facilities[1]!.measures.Capacity).toBe(40);
  });

  it('loads a redacted facility with its withheld fields null and named', () => {
    const orr = table.facilities[2]!;
    expect(orr).toMatchObject({ detloc: null, name: null, city: null, state: null, zip: null, aor: 'DEN' });
    expect(orr.redacted_fields).toEqual(['detloc', 'name', 'address', 'city', 'county', 'state', 'zip']);
  });

  it('rejects a name without a code and a code without a name', () => {
    expect(table.rejects.map((r) => [r.source_row, r.reason])).toEqual([
      [10, 'a facility without a DETLOC code'],
      [11, 'a DETLOC code without a facility name'],
    ]);
  });

  it('sets the totals row and the footer aside as notes, and counts the blank row', () => {
    expect(table.totalsRows).toBe(1);
    expect(table.notes.filter((n) => n.kind !== 'title').map((n) => [n.source_row, n.kind])).toEqual([
      [13, 'totals'],
      [14, 'note'],
    ]);
    expect(table.blankRows).toBe(1);
    expect(table.notes.filter((n) => n.kind === 'title').map((n) => n.source_row)).toEqual([1, 2, 3]);
  });

  it('reads the declared count and the data date from the title', () => {
    expect(table.declaredCount).toBe(4);
    expect(table.dataAsOf).toBe('2017-11-06');
  });
});

describe('helpers', () => {
  it('declaredFacilityCount reads ICE title lines', () => {
    expect(declaredFacilityCount('1685 Facilities, Source: ICE Integrated Decision Support (IIDS), 11/06/2017')).toBe(1685);
    expect(declaredFacilityCount('215 Authorized Facilities as of 11/06/2017')).toBe(215);
    expect(declaredFacilityCount('24 Authorized Facilities (non-JFRMU) as of 11/06/2017')).toBe(24);
    expect(declaredFacilityCount('1,234 Facilities')).toBe(1234);
    expect(declaredFacilityCount('Facility List Report')).toBeNull();
    expect(declaredFacilityCount('FY2018 data: IIDS as of 11/06/2017')).toBeNull();
  });

  it('valueKey keeps self-describing names and qualifies the rest', () => {
    expect(valueKey('FY19 ADP', 'ADP: Fiscal Year')).toBe('FY19 ADP');
    expect(valueKey('Population Count', 'Population')).toBe('Population Count');
    expect(valueKey('Level A', 'FY19 ADP: Detainee Classification Level')).toBe('FY19 ADP: Detainee Classification Level / Level A');
    expect(valueKey('Male/Female', 'Facility Information')).toBe('Male/Female');
    expect(valueKey('Docket', null)).toBe('Docket');
  });

  it('zipText restores leading zeros and keeps ZIP+4', () => {
    expect(zipText(6357)).toBe('06357');
    expect(zipText('2863')).toBe('02863');
    expect(zipText('98520-1234')).toBe('98520-1234');
    expect(zipText(null)).toBeNull();
  });

  it('countNote reports a mismatch', () => {
    expect(countNote(4, 4)).toBe('title says 4 facilities; 4 read');
    expect(countNote(5, 4, 1)).toMatch(/title says 5 facilities but 4 were read \(and 1 rejected\) \(fewer than stated\)/);
    expect(countNote(null, 3)).toMatch(/3 facilities read; the title states no count/);
  });
});

describe('normalizeFacilityList through a written workbook', () => {
  it('loads every facility sheet, keeps a notes sheet as text, and checks each title count', async () => {
    const file = path.join(tempDir(), 'facility-list.xlsx');
    await writeXlsx(file, [
      { name: 'Notes', rows: [['Facility List Notes'], ['Notes and Assumptions:'], ['The Facility List contains all facilities.']] },
      { name: 'Facility List - Main', rows: LIST_SHEET },
      {
        name: 'BOP Facilities',
        rows: [
          ['Bureau of Prisons (BOP) Facilities'],
          ['2 Facilities as of 11/06/2017'],
          [],
          ['DETLOC', 'Facility Name', 'City', 'State', 'Field Office'],
          ['BOPHON', 'HONOLULU FEDERAL DETENTION CENTER', 'HONOLULU', 'HI', 'SFR'],
        ],
      },
    ]);
    const source = await openTableFile(file);
    const sheets = [];
    for (const sheet of source.sheets) {
      const rows: SourceRow[] = [];
      for await (const batch of source.rowBatches(sheet)) rows.push(...batch);
      sheets.push({ sheet, rows });
    }
    await source.close();
    const result = normalizeFacilityList(sheets);
    expect(result.sheets.map((s) => [s.sheet, s.kind, s.rows, s.declaredCount])).toEqual([
      ['Notes', 'notes', 0, null],
      ['Facility List - Main', 'facilities', 3, 4],
      ['BOP Facilities', 'facilities', 1, 2],
    ]);
    expect(result.sheets[1]!.note).toBe('title says 4 facilities but 3 were read (and 2 rejected) (fewer than stated)');
    expect(result.sheets[2]!.note).toMatch(/title says 2 facilities but 1 were read/);
    expect(result.facilities.filter((f) => f.sheet === 'BOP Facilities').map((f) => [f.detloc, f.name, f.aor, f.data_as_of])).toEqual([
      ['BOPHON', 'HONOLULU FEDERAL DETENTION CENTER', 'SFR', '2017-11-06'],
    ]);
    expect(result.notes.filter((n) => n.sheet === 'Notes').map((n) => n.text)).toEqual([
      'Facility List Notes',
      'Notes and Assumptions:',
      'The Facility List contains all facilities.',
    ]);
    expect(result.rejects.map((r) => r.sheet)).toEqual(['Facility List - Main', 'Facility List - Main']);
  });
});
