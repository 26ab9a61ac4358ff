/**
 * Golden files: each small generated workbook has one quirk; what ingest stores for it is compared
 * with test/golden/<family>/<quirk>.json. `vitest -u` rewrites them and a reviewer reads the diff; with
 * CI=true a missing golden file fails instead of being written.
 */
import path from 'node:path';
import { writeXlsx } from '../../src/xlsx/index.ts';
import { describe, expect, it } from 'vitest';
import { FAMILIES, familyColumns, type Family } from '../../src/ingest/index.ts';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import { publishedHeaders } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';
import { rowOf, SIX_PREAMBLE, writeDelimited, writeWorkbook } from '../helpers/workbooks.ts';

const P = publishedHeaders();
const H = P.july2025;
const NOW = () => new Date('2026-01-15T12:00:00Z');

/** What ingest stored for one file, family by family: provenance, non-null values, flags. */
async function stored(file: string): Promise<Record<string, unknown>> {
  const dir = path.dirname(file);
  const db = path.join(dir, `${path.basename(file)}.duckdb`);
  const summary = await ingestFiles([file], { dbPath: db, now: NOW, link: false });
  const outcome = summary.files[0]!;
  if (outcome.status !== 'loaded') return { error: outcome.error };
  const store = await openReadOnly(db);
  try {
    const result: Record<string, unknown> = { rejects: await store.queryRows('SELECT sheet, source_row, reason FROM ingest_rejects ORDER BY sheet, source_row') };
    for (const family of FAMILIES) {
      const names = familyColumns(family).columns.map((c) => c.name);
      const rows = await store.queryRows(
        `SELECT * EXCLUDE (release_id, file_id) FROM ${family} ORDER BY sheet, source_row`,
      );
      if (rows.length === 0) continue;
      result[family] = rows.map((row) =>
        Object.fromEntries(
          Object.entries(row).filter(([k, v]) => v !== null || !names.includes(k)).map(([k, v]) => [k, v]),
        ),
      );
    }
    result.quality = (await store.queryRows(
      'SELECT column_name, filled, redacted, unparseable, examples FROM column_quality WHERE redacted > 0 OR unparseable > 0 ORDER BY column_name',
    ));
    result.sheets = await store.queryRows('SELECT sheet, family, header_row, rows_loaded, preamble FROM source_sheets ORDER BY sheet');
    return result;
  } finally {
    store.close();
  }
}

async function golden(family: Family, quirk: string, file: string): Promise<void> {
  const value = await stored(file);
  await expect(`${JSON.stringify(value, null, 2)}\n`).toMatchFileSnapshot(`../golden/${family}/${quirk}.json`);
}

describe('golden files, one quirk each', () => {
  it('detainers: six preamble rows, the duplicate "Final Order Yes No", date and date-time cells', async () => {
    const dir = tempDir();
    const row = rowOf(H.detainers, {
      'Detainer Prepare Date': { date: '2025-03-04' }, 'Facility State': 'MASSACHUSETTS', 'Facility AOR': 'Boston Area of Responsibility',
      'Detention Facility': 'SUFFOLK COUNTY HOUSE OF CORRECTION', 'Facility City': 'BOSTON', 'Apprehension Date': { date: '2025-03-01T13:45:10' },
      'Most Serious Conviction (MSC) Charge': 'Assault', 'MSC Charge Code': '1399', 'Detainer Lift Reason': 'Detainer Declined by LEA', 'Unique Identifier': 'ID-1',
    });
    row[32] = 'YES';
    row[55] = 'NO';
    await golden('detainers', 'six-preamble-duplicate-header', await writeWorkbook(dir, 'd.xlsx', [{ preamble: SIX_PREAMBLE, headers: H.detainers, rows: [row] }]));
  });

  it('detainers: every redaction spelling becomes NULL and is counted', async () => {
    const dir = tempDir();
    const rows = ['b(6), b(7)c', 'b(6), b(7)C', '(b)(6), (b)(7)(C)', 'B(6); B(7)(C)'].map((marker, i) =>
      rowOf(H.detainers, { 'Detainer Prepare Date': { date: '2025-01-0' + (i + 1) }, 'Birth Date': marker, 'Alien File Number': marker, 'EID Case ID': i ? marker : '', 'Unique Identifier': `R${i}` }),
    );
    await golden('detainers', 'redaction-markers', await writeWorkbook(dir, 'd.xlsx', [{ preamble: SIX_PREAMBLE, headers: H.detainers, rows }]));
  });

  it('detainers: the 2015 NPR layout, tab-delimited .csv, two-digit years, header on row 1', async () => {
    const dir = tempDir();
    const file = await writeDelimited(dir, 'FY2012.csv', [
      ['Prepare Date', 'Detainer Type', 'Detainer Detention Facility', 'State', 'City', 'Detainer Lift Reason'],
      ['01/15/12', 'I247 - Immigration Detainer - Notice of Action (prior to March 2013)', 'TRAVIS COUNTY JAIL', 'TEXAS', 'AUSTIN', 'Booked into Detention'],
      ['12/31/99', '', 'COOK COUNTY JAIL', 'ILLINOIS', 'CHICAGO', 'Detainer Declined by LEA'],
    ], '\t');
    await golden('detainers', 'npr-2015-tab-delimited', file);
  });

  it('detainers: text dates in several spellings, and values no date reader can take', async () => {
    const dir = tempDir();
    const values = ['2019-03-05', '3/5/2019', '03/05/19', '5-Mar-2019', '00/00/2019', '13/45/2019', 'unknown', '1/1/1899'];
    const rows = values.map((v, i) => rowOf(H.detainers, { 'Detainer Prepare Date': { date: '2025-02-01' }, 'MSC Charge Date': v, 'MSC Conviction Date': 43000 + i, 'Unique Identifier': `T${i}` }));
    await golden('detainers', 'text-dates-and-serials', await writeWorkbook(dir, 'd.xlsx', [{ preamble: SIX_PREAMBLE, headers: H.detainers, rows }]));
  });

  it('detainers: a workbook in the 1904 date system', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'd1904.xlsx');
    await writeXlsx(file, [{ name: 'Detainers', rows: [[...H.detainers], rowOf(H.detainers, { 'Detainer Prepare Date': { date: '2024-02-29' }, 'Unique Identifier': 'Y1' })] }], { date1904: true });
    await golden('detainers', 'date1904', file);
  });

  it('arrests: the March 2026 renames, five preamble rows, a reprocessed arrest within 24 hours', async () => {
    const dir = tempDir();
    const h = P.march2026.arrests;
    const rows = [
      rowOf(h, { 'Apprehension Date': { date: '2026-01-05T09:00:00' }, State: 'TEXAS', 'TOA Current Duty AOR': 'Houston Area of Responsibility', 'Apprehension Method': 'CAP Local Incarceration', 'Anonymized Identifier': 'M1' }),
      rowOf(h, { 'Apprehension Date': { date: '2026-01-05T20:00:00' }, State: 'TEXAS', 'Apprehension Method': 'ERO Reprocessed Arrest', 'Anonymized Identifier': 'M1' }),
      rowOf(h, { 'Apprehension Date': { date: '2026-02-10T08:00:00' }, State: 'TEXAS', 'Apprehension Method': 'Located', 'Anonymized Identifier': 'M1' }),
    ];
    await golden('arrests', 'march-2026-renames', await writeWorkbook(dir, 'a.xlsx', [{ preamble: SIX_PREAMBLE.slice(0, 5), headers: h, rows }]));
  });

  it('encounters: a table split over two sheets is stacked', async () => {
    const dir = tempDir();
    const r = (id: string, d: string) => rowOf(H.encounters, { 'Event Date': { date: d }, 'Lead Event Type': 'CAP', 'Unique Identifier': id });
    await golden('encounters', 'two-sheets', await writeWorkbook(dir, 'e.xlsx', [
      { name: 'Encounters 1', preamble: SIX_PREAMBLE, headers: H.encounters, rows: [r('E1', '2024-05-01'), r('E1', '2024-05-01')] },
      { name: 'Encounters 2', preamble: SIX_PREAMBLE, headers: H.encounters, rows: [r('E2', '2024-06-01')] },
    ]));
  });

  it('detention stints: exact duplicates and superseded stints are flagged, not deleted', async () => {
    const dir = tempDir();
    const base = { 'Stay Book In Date Time': { date: '2024-03-01T10:00:00' }, 'Book In Date Time': { date: '2024-03-01T10:00:00' }, 'Detention Facility Code': 'BTV', 'Unique Identifier': 'S1' };
    const rows = [
      rowOf(H.detention_stints, { ...base, 'Detention Release Reason': 'Transferred', 'Bond Posted Amount': 1000 }),
      rowOf(H.detention_stints, { ...base, 'Detention Release Reason': 'Transferred', 'Bond Posted Amount': 2000 }),
      rowOf(H.detention_stints, { ...base, 'Detention Release Reason': 'Removed' }),
    ];
    await golden('detention_stints', 'duplicates-and-superseded', await writeWorkbook(dir, 's.xlsx', [{ preamble: SIX_PREAMBLE, headers: H.detention_stints, rows }]));
  });

  it('removals: an unknown column is kept in extra; a repeated header and a footer are rejected', async () => {
    const dir = tempDir();
    const headers = [...H.removals, 'Brand New Column'];
    await golden('removals', 'unknown-column-and-footer', await writeWorkbook(dir, 'r.xlsx', [{
      preamble: SIX_PREAMBLE,
      headers,
      rows: [[...rowOf(H.removals, { 'Departed Date': { date: '2025-02-01' }, 'MSC NCIC Charge': 'Driving Under Influence Liquor', 'Unique Identifier': 'R1' }), 'x'], [...headers], ['Data are subject to change.']],
    }]));
  });

  it('an unknown layout fails with the headers found and the nearest family', async () => {
    const dir = tempDir();
    const file = await writeWorkbook(dir, 'odd.xlsx', [{ preamble: ['Some report'], headers: ['Name', 'Departed Date', 'Gender', 'Colour'], rows: [['a', 'b', 'c', 'd']] }]);
    await golden('detainers', 'unknown-layout-error', file);
  });
});
