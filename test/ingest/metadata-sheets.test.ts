/**
 * Productions that put a Summary or Footnotes sheet beside the data sheets: such a sheet is metadata,
 * kept as text in source_files.metadata (as a notes sheet is) and not loaded or refused as an unknown
 * layout; a real table of an unknown layout still fails the file.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReleaseFile, type ReadEvent } from '../../src/ingest/index.ts';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import { existsSync } from 'node:fs';
import type { XlsxWriteCell } from '../../src/xlsx/index.ts';
import { writeXlsx, XlsxWorkbook } from '../../src/xlsx/index.ts';
import { SHARED_DIR } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';
import { SIX_PREAMBLE } from '../helpers/workbooks.ts';

/** The July 2025 arrests header, written here so the test does not depend on ../shared. */
const ARRESTS = ['Apprehension Date', 'Apprehension State', 'Apprehension AOR', 'Apprehension Method', 'Apprehension Criminality', 'Gender', 'Unique Identifier'];

function arrestRows(n: number): XlsxWriteCell[][] {
  return Array.from({ length: n }, (_, i) => [{ date: `2023-0${1 + (i % 9)}-15` }, 'TEXAS', 'Houston Area of Responsibility', 'Located', '1 Convicted Criminal', 'Male', `A${i}`]);
}

/** A Summary sheet of tallies: four columns, wider than a notes sheet. */
function summaryRows(years: number): XlsxWriteCell[][] {
  const rows: XlsxWriteCell[][] = [['Summary'], ['ERO Administrative Arrests, Encounters and Removals by Fiscal Year'], [], ['Fiscal Year', 'Arrests', 'Encounters', 'Removals']];
  for (let y = 0; y < years; y++) rows.push([`FY${2000 + y}`, 1000 + y, 2000 + y, 3000 + y]);
  rows.push(['Total', 1000 * years, 2000 * years, 3000 * years]);
  return rows;
}

const FOOTNOTES: XlsxWriteCell[][] = [
  ['U.S. Immigration and Customs Enforcement'],
  ['ICE FOOTNOTES'],
  ['Term', 'Definition', 'Source'],
  ['AOR', 'Area of Responsibility', 'IIDS'],
  ['CAP', 'Criminal Alien Program', 'IIDS'],
];

async function events(file: string): Promise<ReadEvent[]> {
  const out: ReadEvent[] = [];
  for await (const event of readReleaseFile(file)) out.push(event);
  return out;
}

async function workbook(sheets: { name: string; rows: XlsxWriteCell[][] }[]): Promise<string> {
  const file = path.join(tempDir(), 'production.xlsx');
  await writeXlsx(file, sheets);
  return file;
}

describe('Summary and Footnotes sheets beside data sheets', () => {
  it('loads the data sheet and keeps the Summary (wider than notes, more than 30 rows) and Footnotes as text', async () => {
    const years = 40; // the tallies run past the rows searched for a header
    const file = await workbook([
      { name: 'Summary', rows: summaryRows(years) },
      { name: 'FY2023 Arrests', rows: [...SIX_PREAMBLE.map((l) => [l]), ARRESTS, ...arrestRows(12)] },
      { name: 'Footnotes', rows: FOOTNOTES },
    ]);
    const db = path.join(path.dirname(file), 'p.duckdb');
    const summary = await ingestFiles([file], { dbPath: db, link: false });
    const outcome = summary.files[0]!;
    expect([outcome.status, outcome.error?.message]).toEqual(['loaded', undefined]);
    expect(outcome.rows).toBe(12);
    expect(outcome.skippedSheets).toEqual([
      { sheet: 'Summary', reason: 'Summary sheet (by its name): metadata, not data; its text is kept' },
      { sheet: 'Footnotes', reason: 'Footnotes sheet (by its name): metadata, not data; its text is kept' },
    ]);

    const store = await openReadOnly(db);
    try {
      const sheets = await store.queryRows<{ sheet: string; family: string; rows_loaded: unknown }>('SELECT sheet, family, rows_loaded FROM source_sheets');
      expect(sheets.map((s) => [s.sheet, s.family, Number(s.rows_loaded)])).toEqual([['FY2023 Arrests', 'arrests', 12]]);
      const row = await store.queryRow<{ metadata: string }>('SELECT metadata FROM source_files');
      const metadata = JSON.parse(row!.metadata) as { preamble: string[]; skipped_sheets: { sheet: string }[] };
      expect(metadata.skipped_sheets.map((s) => s.sheet)).toEqual(['Summary', 'Footnotes']);
      // Every non-empty row of both sheets, the tallies after row 30 included.
      expect(metadata.preamble).toContain('Fiscal Year | Arrests | Encounters | Removals');
      expect(metadata.preamble).toContain(`FY${2000 + years - 1} | ${1000 + years - 1} | ${2000 + years - 1} | ${3000 + years - 1}`);
      expect(metadata.preamble).toContain(`Total | ${1000 * years} | ${2000 * years} | ${3000 * years}`);
      expect(metadata.preamble).toContain('CAP | Criminal Alien Program | IIDS');
      expect(metadata.preamble.filter((l) => /^FY\d{4} \| /.test(l))).toHaveLength(years);
      expect(Number((await store.queryRow<{ n: string }>('SELECT count(*) AS n FROM arrests'))!.n)).toBe(12);
    } finally {
      store.close();
    }
  }, 30_000);

  it('a sheet named Summary is never loaded as records, even when its tally headers look like a family', async () => {
    const file = await workbook([
      { name: 'Summary FY23', rows: [['Apprehension AOR', 'Apprehension Method', 'Apprehension Criminality', 'Apprehension State', 'Count'], ['Houston Area of Responsibility', 'Located', '1 Convicted Criminal', 'TEXAS', 12]] },
      { name: 'Arrests', rows: [ARRESTS, ...arrestRows(3)] },
    ]);
    const got = await events(file);
    const skipped = got.filter((e) => e.kind === 'skipped_sheet');
    expect(skipped.map((e) => e.sheet)).toEqual(['Summary FY23']);
    expect(skipped[0]!.kind === 'skipped_sheet' && skipped[0]!.reason).toMatch(/resembles the arrests layout but was not loaded/);
    expect(got.filter((e) => e.kind === 'sheet').map((e) => e.sheet)).toEqual(['Arrests']);
  });

  it('a tally sheet with another name is recognised by its title when its table matches no family', async () => {
    const rows = summaryRows(3);
    rows[0] = ['Summary of Arrests, Encounters and Removals by Fiscal Year'];
    const file = await workbook([
      { name: 'Arrests', rows: [ARRESTS, ...arrestRows(3)] },
      { name: 'Tallies', rows },
    ]);
    const skipped = (await events(file)).filter((e) => e.kind === 'skipped_sheet');
    expect(skipped.map((e) => [e.sheet, e.kind === 'skipped_sheet' && e.reason])).toEqual([
      ['Tallies', 'metadata sheet (titled "Summary of Arrests, Encounters and Removals by Fiscal Year"): not data; its text is kept'],
    ]);
  });

  it('a real table of an unknown layout still fails the file, whatever sheet sits beside it', async () => {
    const unknown = [['Some report'], ['Name', 'Colour', 'Departed Date', 'Size'], ['a', 'b', 'c', 'd']];
    for (const name of ['Other', 'Removals Summary', 'Summary of 2023']) {
      const file = await workbook([
        { name: 'Summary', rows: summaryRows(2) },
        { name: 'Arrests', rows: [ARRESTS, ...arrestRows(2)] },
        { name, rows: unknown },
      ]);
      await expect(events(file), name).rejects.toMatchObject({ code: 'unknown_layout', location: { sheet: name } });
    }
  });

  it('a workbook of metadata sheets only is not a table', async () => {
    const file = await workbook([
      { name: 'Summary', rows: summaryRows(2) },
      { name: 'Footnotes', rows: FOOTNOTES },
    ]);
    await expect(events(file)).rejects.toMatchObject({ code: 'empty' });
  });

  const FACILITY_LIST = path.join(SHARED_DIR, 'data', 'ice-real', 'ICE_Facility_List_11-06-2017-web.xlsx');
  it.skipIf(!existsSync(FACILITY_LIST))('a real Notes sheet of three columns (ICE facility list, 2017) is kept as text; the unknown table after it still fails', async () => {
    // The sheet's own rows, read here: every non-empty row, its filled cells joined.
    const workbook = await XlsxWorkbook.open(FACILITY_LIST);
    const lines: string[] = [];
    try {
      expect(workbook.sheets[0]!.name).toBe('Notes');
      for await (const batch of workbook.rowBatches('Notes', 256)) {
        for (const row of batch) {
          const line = row.cells.filter((c) => c !== null && String(c).trim() !== '').map((c) => String(c).trim()).join(' | ');
          if (line) lines.push(line);
        }
      }
    } finally {
      await workbook.close();
    }
    expect(Math.max(...lines.map((l) => l.split(' | ').length))).toBe(3); // wider than a notes-only sheet
    const seen: ReadEvent[] = [];
    const read = async () => {
      for await (const event of readReleaseFile(FACILITY_LIST)) seen.push(event);
    };
    await expect(read()).rejects.toMatchObject({ code: 'unknown_layout', location: { sheet: 'Facility List - Main' } });
    expect(seen).toEqual([{ kind: 'skipped_sheet', sheet: 'Notes', reason: 'Notes sheet (by its name): metadata, not data; its text is kept', text: lines }]);
  }, 30_000);
});
