/**
 * The table finder on small hand-made sheets in the shapes of ICE's detention statistics: tables side
 * by side, a label merged over two columns, a caption band above a table without a title row, a
 * three-row header with merged upper cells, two label columns, heading rows, repeated labels under
 * unique heads, footnotes under a table, text values. Also the workbook reader: facilities sheet,
 * notes sheets and fiscal years.
 */
import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../index.ts';
import { extractStatTables, type StatCell } from './tables.ts';
import { fiscalYearOf, looksLikeDetentionStats, normalizeDetentionStats } from './normalize.ts';

type Grid = (string | number | null)[][];
/** Rows numbered from `first`; an empty array is an empty row (the reader omits it). */
const rowsOf = (grid: Grid, first = 1): SourceRow[] =>
  grid.flatMap((cells, i) => (cells.length === 0 ? [] : [{ rowNumber: first + i, cells }]));
const _ = null;

const find = (cells: StatCell[], where: Partial<StatCell>): StatCell[] =>
  cells.filter((c) => Object.entries(where).every(([k, v]) => c[k as keyof StatCell] === v));

describe('extractStatTables', () => {
  it('splits tables side by side and joins a label merged over two columns to its values', () => {
    const grid: Grid = [
      ['ICE DETENTION DATA, FY19'],
      [],
      ['Book-Ins by Facility Type', _, _, _, 'Final Releases by Facility Type', _, _, _, 'Removals'],
      ['Facility Type', 'Criminal', 'Total', _, 'Facility Type', _, 'Total', _, _, _, 'Removals'],
      ['Total', 10, 30, _, 'Total', _, 7, _, 'Total', _, 5],
      ['Adult', 9, 20, _, 'Adult', _, 6, _, 'With an FRC Detention', _, 1],
    ];
    const { tables, cells, notes } = extractStatTables(rowsOf(grid));
    expect(tables.map((t) => [t.title, t.first_col, t.last_col, t.cells])).toEqual([
      ['Book-Ins by Facility Type', 1, 3, 4],
      ['Final Releases by Facility Type', 5, 7, 2],
      ['Removals', 9, 11, 2],
    ]);
    expect(find(cells, { table_index: 1, row_label: 'Adult' })).toMatchObject([
      { column_label: 'Total', value_number: 6, row_header: 'Facility Type', source_row: 6, source_col: 7 },
    ]);
    expect(find(cells, { table_index: 2, row_label: 'Total' })).toMatchObject([{ column_label: 'Removals', value_number: 5, row_header: null }]);
    expect(notes).toMatchObject([{ source_row: 1, kind: 'caption', text: 'ICE DETENTION DATA, FY19', table_index: null }]);
  });

  it('keeps tables one empty column apart separate when both hold numbers', () => {
    const grid: Grid = [
      ['Counts by Technology', _, _, _, 'Court Appearance'],
      ['Technology', 'Count', _, _, 'Metric', 'Count'],
      ['GPS', 12, _, _, 'Attended', 78],
      ['Total', 12, _, _, 'Court data from BI Inc.'],
    ];
    // Columns 0-1 and 4-5 with two empty columns between; and the one-column gap case below.
    const gap1: Grid = [
      ['Counts by Technology', _, _, 'Court Appearance'],
      ['Technology', 'Count', _, 'Metric', 'Count'],
      ['GPS', 12, _, 'Attended', 78],
      ['Total', 12, _, 'Court data from BI Inc.'],
    ];
    for (const g of [grid, gap1]) {
      const { tables, notes } = extractStatTables(rowsOf(g));
      expect(tables.map((t) => [t.title, t.cells])).toEqual([
        ['Counts by Technology', 2],
        ['Court Appearance', 1],
      ]);
      expect(notes).toMatchObject([{ source_row: 4, kind: 'footnote', text: 'Court data from BI Inc.', table_index: 1 }]);
    }
  });

  it('titles a table from the caption band above it and joins a three-row header, spreading merged cells', () => {
    const grid: Grid = [
      ['Average In Custody Length of Stay'],
      [],
      [],
      ['Population', 2023, _, _, 2024],
      [_, 'January', _, 'February', 'January'],
      [_, 'mid', 'end', 'mid', 'mid'],
      ['Adult Facility Individuals', 50.5, 43.6, 42.8, 53],
      ['Total', 52.3, 45.4, 44.8, 56.1],
    ];
    const { tables, cells, notes } = extractStatTables(rowsOf(grid));
    expect(tables).toMatchObject([{ title: 'Average In Custody Length of Stay', title_row: null, header_rows: [4, 5, 6], data_rows: 2 }]);
    expect(notes).toEqual([]);
    expect(find(cells, { row_label: 'Adult Facility Individuals' }).map((c) => [c.column_label, c.value_number])).toEqual([
      ['2023 / January / mid', 50.5],
      ['2023 / January / end', 43.6],
      ['2023 / February / mid', 42.8],
      ['2024 / January / mid', 53],
    ]);
    expect(cells.every((c) => c.row_header === 'Population')).toBe(true);
  });

  it('reads two label columns: the first is the group of the second', () => {
    const grid: Grid = [
      ['Final Book Outs by Release Reason and Criminality'],
      ['Release Reason', 'Criminality', 'Oct', 'Total'],
      ['Total', _, 20, 268],
      ['Bonded Out', 'Total', 9, 113],
      [_, 'Convicted Criminal', 1, 25],
      [_, 'Other Immigration Violator', 5, 58],
      ['Paroled', 'Total', 56, 606],
      [_, 'Convicted Criminal', 1, 6],
    ];
    const { cells } = extractStatTables(rowsOf(grid));
    expect(cells.filter((c) => c.column_label === 'Total').map((c) => [c.row_group, c.row_label, c.value_number])).toEqual([
      [null, 'Total', 268],
      ['Bonded Out', 'Total', 113],
      ['Bonded Out', 'Convicted Criminal', 25],
      ['Bonded Out', 'Other Immigration Violator', 58],
      ['Paroled', 'Total', 606],
      ['Paroled', 'Convicted Criminal', 6],
    ]);
    expect(cells[0]!.row_header).toBe('Release Reason / Criminality');
  });

  it('groups the rows under a heading row', () => {
    const grid: Grid = [
      ['Detainees'],
      ['Population', 'Sep'],
      ['Adult Facility Individuals'],
      ['0-180 Days', 100],
      ['Total', 110],
      ['Single Adults with a Positive Fear Determination'],
      ['0-180 Days', 5],
      ['Total', 6],
    ];
    const { cells } = extractStatTables(rowsOf(grid));
    expect(cells.map((c) => [c.row_group, c.row_label, c.value_number])).toEqual([
      ['Adult Facility Individuals', '0-180 Days', 100],
      ['Adult Facility Individuals', 'Total', 110],
      ['Single Adults with a Positive Fear Determination', '0-180 Days', 5],
      ['Single Adults with a Positive Fear Determination', 'Total', 6],
    ]);
  });

  it('infers the group of repeated labels from the nearest unique label above, and only then', () => {
    const repeated: Grid = [
      ['ADP by Arresting Agency'],
      ['Agency', 'FY Overall'],
      ['CBP Average', 30050.05],
      ['Convicted Criminal', 5598.47],
      ['Non-Criminal', 24451.59],
      ['ICE Average', 20115.38],
      ['Convicted Criminal', 14025.46],
      ['Non-Criminal', 6089.92],
      ['Average', 50165.44],
    ];
    const { cells } = extractStatTables(rowsOf(repeated));
    expect(cells.map((c) => [c.row_group, c.row_label])).toEqual([
      [null, 'CBP Average'],
      ['CBP Average', 'Convicted Criminal'],
      ['CBP Average', 'Non-Criminal'],
      [null, 'ICE Average'],
      ['ICE Average', 'Convicted Criminal'],
      ['ICE Average', 'Non-Criminal'],
      [null, 'Average'],
    ]);
    // One label that happens to appear twice is not a pattern: no groups.
    const once: Grid = [['By AOR'], ['AOR', 'Count'], ['Philadelphia', 5], ['Newark', 2], ['Philadelphia', 1]];
    expect(extractStatTables(rowsOf(once)).cells.map((c) => c.row_group)).toEqual([null, null, null]);
  });

  it('keeps text values and reads plain-number text', () => {
    const grid: Grid = [
      ['Stateless Noncitizens by Detention Facility'],
      ['Detention Facility', 'Detention Facility Code', 'Total'],
      ['Total', _, '1,023'],
      ['ADAMS COUNTY DET CENTER', 'ADAMSMS', 3],
      ['GUARANTEED MINIMUM', '(b)(4)', _],
    ];
    const { cells } = extractStatTables(rowsOf(grid));
    expect(cells.map((c) => [c.row_label, c.column_label, c.value_number, c.value_text])).toEqual([
      ['Total', 'Total', 1023, '1,023'],
      ['ADAMS COUNTY DET CENTER', 'Detention Facility Code', null, 'ADAMSMS'],
      ['ADAMS COUNTY DET CENTER', 'Total', 3, null],
      ['GUARANTEED MINIMUM', 'Detention Facility Code', null, '(b)(4)'],
    ]);
  });

  it('keeps extra title lines and header text over empty columns as notes', () => {
    const grid: Grid = [
      ['ICE ALTERNATIVES TO DETENTION DATA, FY19'],
      ['ATD Active Population by Status'],
      ['Status', 'Count', 'ALIP', 'Unused'],
      ['FAMU', 58608, 292.2],
      ['Data from BI Inc. Participants Report, 9.30.2019'],
    ];
    const { tables, notes } = extractStatTables(rowsOf(grid, 4));
    expect(tables).toMatchObject([{ title: 'ATD Active Population by Status', title_row: 5, cells: 2 }]);
    expect(notes.map((n) => [n.source_row, n.source_col, n.kind, n.text])).toEqual([
      [4, 1, 'title', 'ICE ALTERNATIVES TO DETENTION DATA, FY19'],
      [6, 4, 'title', 'Unused'],
      [8, 1, 'footnote', 'Data from BI Inc. Participants Report, 9.30.2019'],
    ]);
  });
});

describe('detention-statistics workbooks', () => {
  it('fiscalYearOf reads ICE sheet names and titles', () => {
    expect(fiscalYearOf('Facilities FY19')).toBe(2019);
    expect(fiscalYearOf('Facilities EOFY24')).toBe(2024);
    expect(fiscalYearOf('ATD EOFY23 ')).toBe(2023);
    expect(fiscalYearOf('ICE DETENTION DATA, EOFY2024')).toBe(2024);
    expect(fiscalYearOf('Semiannual')).toBeNull();
    expect(fiscalYearOf('DIGSA')).toBeNull();
  });

  it('looksLikeDetentionStats by sheet names or the header line', () => {
    expect(looksLikeDetentionStats(['Header', 'ATD FY19', 'Detention FY19'], 'ICE Detention Statistics')).toBe(true);
    expect(looksLikeDetentionStats(['Sheet1'], 'ICE Detention Statistics')).toBe(true);
    expect(looksLikeDetentionStats(['Facility List - Main'], 'ERO Custody Management Division')).toBe(false);
  });

  it('reads the facilities sheet, the tables, the notes sheets, each with its fiscal year', () => {
    const sheets = [
      { sheet: 'Header', rows: rowsOf([['ICE Detention Statistics'], ['These statistics are made available to the public.']]) },
      {
        sheet: 'Detention FY19',
        rows: rowsOf([['ICE Initial Book-Ins by Arresting Agency'], ['Agency', 'Oct', 'Total'], ['Total', 40551, 510854], ['ICE ', 11892, 137084]]),
      },
      { sheet: 'ATD EOFY18 ', rows: rowsOf([['ATD by Status'], ['Status', 'Count'], ['FAMU', 5]]) },
      {
        sheet: 'Facilities FY19',
        rows: rowsOf([
          ['ICE FACILITIES DATA, FY19'],
          ['Facility Information', _, _, _, _, 'FY19 ADP: Criminality', 'Contract Facility Inspections Information'],
          ['Source: ICE Integrated Decision Support (IIDS), 10/07/2019'],
          ['Name', 'City', 'State', 'Zip', 'Type Detailed', 'Male Crim', 'Last Inspection Type'],
          ['STEWART DETENTION CENTER', 'LUMPKIN', 'GA', 31815, 'DIGSA', 882.98, 'Regular'],
          ['CUMBERLAND COUNTY JAIL', 'PORTLAND', 'ME', 4102, 'USMS IGA', 0.45, _],
        ]),
      },
      { sheet: 'Footnotes', rows: rowsOf([['Term', 'Definition'], ['ADP', 'Average daily population']]) },
    ];
    const result = normalizeDetentionStats(sheets);
    expect(result.fiscalYear).toBe(2019);
    expect(result.sheets.map((s) => [s.sheet, s.kind, s.fiscalYear, s.rows])).toEqual([
      ['Header', 'notes', 2019, 2],
      ['Detention FY19', 'tables', 2019, 4],
      ['ATD EOFY18 ', 'tables', 2018, 1],
      ['Facilities FY19', 'facilities', 2019, 2],
      ['Footnotes', 'notes', 2019, 2],
    ]);
    expect(result.facilities.map((f) => [f.name, f.state_postal, f.zip, f.facility_type, f.fiscal_year, f.data_as_of])).toEqual([
      ['STEWART DETENTION CENTER', 'GA', '31815', 'DIGSA', 2019, '2019-10-07'],
      ['CUMBERLAND COUNTY JAIL', 'ME', '04102', 'USMS IGA', 2019, '2019-10-07'],
    ]);
    expect(result.facilities[0]!.measures).toEqual({ 'FY19 ADP: Criminality / Male Crim': 882.98 });
    expect(result.facilities[0]!.attributes).toEqual({ 'Contract Facility Inspections Information / Last Inspection Type': 'Regular' });
    expect(find(result.cells, { row_label: 'Total', column_label: 'Total' })).toMatchObject([{ value_number: 510854, sheet: 'Detention FY19' }]);
    expect(result.notes.filter((n) => n.sheet === 'Footnotes').map((n) => n.text)).toEqual(['Term | Definition', 'ADP | Average daily population']);
  });
});
