import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles, openReadOnly, readStatus } from '../../src/pipeline/index.ts';
import { publishedHeaders } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';
import { rowOf, SIX_PREAMBLE, writeDelimited, writeWorkbook } from '../helpers/workbooks.ts';

const H = publishedHeaders().july2025;
const NOW = () => new Date('2026-01-15T12:00:00Z');

async function query(dbPath: string, sql: string) {
  const store = await openReadOnly(dbPath);
  try {
    return await store.queryRows(sql);
  } finally {
    store.close();
  }
}

function detainer(values: Record<string, unknown>) {
  return rowOf(H.detainers, values as never);
}

describe('ingestFiles', () => {
  it('loads a July 2025 detainer workbook with provenance, typed dates, redactions and the duplicate header', async () => {
    const dir = tempDir();
    const file = await writeWorkbook(dir, 'ERO Detainers_LESA-STU_FINAL Redacted.xlsx', [
      {
        preamble: SIX_PREAMBLE,
        headers: H.detainers,
        rows: [
          [...detainer({ 'Detainer Prepare Date': { date: '2024-10-03' }, 'Facility State': 'MASSACHUSETTS', 'Birth Date': 'b(6), b(7)c', 'MSC Charge Date': '00/00/2019', 'MSC Conviction Date': '3/5/19', 'Birth Year': 1990, 'MSC Charge Code': '5404', 'Most Serious Conviction (MSC) Charge': 'Driving Under Influence Liquor', 'Unique Identifier': 'A1' })].map((v, i) => (i === 32 ? 'YES' : i === 55 ? 'NO' : v)),
          detainer({ 'Detainer Prepare Date': { date: '2024-10-03' }, 'Birth Date': '(b)(6), (b)(7)(C)', 'Unique Identifier': 'A1', 'Apprehension Date': { date: '2024-10-01T08:30:00' } }),
          detainer({ 'Detainer Prepare Date': 45600, 'Birth Date': 'B(6), B(7)C', 'Unique Identifier': null }),
        ],
      },
    ]);
    const db = path.join(dir, 'h.duckdb');
    const summary = await ingestFiles([file], { dbPath: db, now: NOW });
    expect(summary.files[0]).toMatchObject({ status: 'loaded', rows: 3, tables: { detainers: 3 } });
    expect(summary.files[0]!.redactedColumns).toEqual(['detainers.birth_date']);
    expect(summary.files[0]!.unparseable).toEqual({ 'detainers.msc_charge_date': 1 });
    const rows = await query(
      db,
      `SELECT source_file, sheet, source_row, detainer_prepare_date::VARCHAR AS d, birth_date, birth_year, msc_charge_date,
              msc_conviction_date::VARCHAR AS conv, apprehension_date::VARCHAR AS appr, final_order_yes_no, final_order_yes_no_2,
              person_id, is_duplicate, episode_no, offense_category
       FROM detainers ORDER BY source_row`,
    );
    expect(rows).toEqual([
      { source_file: 'ERO Detainers_LESA-STU_FINAL Redacted.xlsx', sheet: 'Sheet1', source_row: 8, d: '2024-10-03', birth_date: null, birth_year: 1990, msc_charge_date: null, conv: '2019-03-05', appr: null, final_order_yes_no: 'YES', final_order_yes_no_2: 'NO', person_id: 'A1', is_duplicate: false, episode_no: 1, offense_category: 'dui' },
      { source_file: 'ERO Detainers_LESA-STU_FINAL Redacted.xlsx', sheet: 'Sheet1', source_row: 9, d: '2024-10-03', birth_date: null, birth_year: null, msc_charge_date: null, conv: null, appr: '2024-10-01 08:30:00', final_order_yes_no: null, final_order_yes_no_2: null, person_id: 'A1', is_duplicate: true, episode_no: 1, offense_category: 'unknown' },
      // 45600 without a date style is still an Excel serial in a date column: 2024-11-04.
      { source_file: 'ERO Detainers_LESA-STU_FINAL Redacted.xlsx', sheet: 'Sheet1', source_row: 10, d: '2024-11-04', birth_date: null, birth_year: null, msc_charge_date: null, conv: null, appr: null, final_order_yes_no: null, final_order_yes_no_2: null, person_id: null, is_duplicate: false, episode_no: null, offense_category: 'unknown' },
    ]);
    const quality = await query(db, "SELECT column_name, filled, redacted, unparseable, examples FROM column_quality WHERE column_name IN ('birth_date', 'msc_charge_date') ORDER BY 1");
    expect(quality).toEqual([
      { column_name: 'birth_date', filled: '3', redacted: '3', unparseable: '0', examples: '[]' },
      { column_name: 'msc_charge_date', filled: '1', redacted: '0', unparseable: '1', examples: '["00/00/2019"]' },
    ]);
    const sheets = await query(db, 'SELECT family, header_row, preamble FROM source_sheets');
    expect(sheets).toEqual([{ family: 'detainers', header_row: 7, preamble: SIX_PREAMBLE.join('\n') }]);
  });

  it('is idempotent: the same file again changes nothing and says so', async () => {
    const dir = tempDir();
    const file = await writeWorkbook(dir, 'arrests.xlsx', [
      { preamble: SIX_PREAMBLE, headers: H.arrests, rows: [rowOf(H.arrests, { 'Apprehension Date': { date: '2025-01-02T10:00:00' }, 'Apprehension Method': 'Located', 'Unique Identifier': 'P1' })] },
    ]);
    const db = path.join(dir, 'h.duckdb');
    await ingestFiles([file], { dbPath: db, now: NOW });
    const before = readFileSync(db);
    const again = await ingestFiles([file], { dbPath: db, now: NOW });
    expect(again.changed).toBe(false);
    expect(again.files[0]!.status).toBe('unchanged');
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('stacks a family split over sheets and keeps files given together in one release', async () => {
    const dir = tempDir();
    const row = (id: string, day: string) => rowOf(H.encounters, { 'Event Date': { date: day }, 'Unique Identifier': id });
    const a = await writeWorkbook(dir, 'encounters.xlsx', [
      { name: 'Page 1', preamble: SIX_PREAMBLE.slice(0, 5), headers: H.encounters, rows: [row('E1', '2024-01-01'), row('E2', '2024-01-02')] },
      { name: 'Page 2', preamble: SIX_PREAMBLE.slice(0, 5), headers: H.encounters, rows: [row('E3', '2024-01-03')] },
    ]);
    const b = await writeWorkbook(dir, 'removals FY25.xlsx', [
      { headers: H.removals, rows: [rowOf(H.removals, { 'Departed Date': { date: '2025-02-01' }, 'Unique Identifier': 'E1' })] },
    ]);
    const db = path.join(dir, 'h.duckdb');
    const summary = await ingestFiles([a, b], { dbPath: db, now: NOW });
    expect(summary.files.map((f) => f.status)).toEqual(['loaded', 'loaded']);
    expect(new Set(summary.files.map((f) => f.releaseId)).size).toBe(1);
    const rows = await query(db, "SELECT sheet, source_row, person_id FROM encounters ORDER BY person_id");
    expect(rows).toEqual([
      { sheet: 'Page 1', source_row: 7, person_id: 'E1' },
      { sheet: 'Page 1', source_row: 8, person_id: 'E2' },
      { sheet: 'Page 2', source_row: 7, person_id: 'E3' },
    ]);
  });

  it('reads tab-delimited NPR .csv and comma .txt with two-digit years', async () => {
    const dir = tempDir();
    const headers = ['Prepare Date', 'Detainer Type', 'Detainer Detention Facility', 'State', 'City', 'Detainer Lift Reason'];
    const tsv = await writeDelimited(dir, 'FY08.csv', [headers, ['10/01/07', 'I247', 'SUFFOLK COUNTY HOUSE OF CORRECTION', 'MASSACHUSETTS', 'BOSTON', 'Booked into Detention']], '\t');
    const txt = await writeDelimited(dir, 'FY09.txt', [headers, ['12/31/08', '', 'HARRIS COUNTY JAIL', 'TEXAS', 'HOUSTON', '']], ',');
    const db = path.join(dir, 'h.duckdb');
    const summary = await ingestFiles([tsv, txt], { dbPath: db, now: NOW });
    expect(summary.files.map((f) => f.status)).toEqual(['loaded', 'loaded']);
    const rows = await query(db, 'SELECT detainer_prepare_date::VARCHAR AS d, facility_state, facility_city, detainer_lift_reason FROM detainers ORDER BY d');
    expect(rows).toEqual([
      { d: '2007-10-01', facility_state: 'MASSACHUSETTS', facility_city: 'BOSTON', detainer_lift_reason: 'Booked into Detention' },
      { d: '2008-12-31', facility_state: 'TEXAS', facility_city: 'HOUSTON', detainer_lift_reason: null },
    ]);
  });

  it('keeps unknown columns in extra and reports them; sets aside repeated headers and footers', async () => {
    const dir = tempDir();
    const headers = [...H.removals, 'Brand New Column'];
    const file = await writeWorkbook(dir, 'removals.xlsx', [
      {
        headers,
        rows: [
          [...rowOf(H.removals, { 'Departed Date': { date: '2025-02-01' }, 'Unique Identifier': 'R1' }), 'x1'],
          [...headers],
          ['Note: data are subject to change'],
        ],
      },
    ]);
    const db = path.join(dir, 'h.duckdb');
    const summary = await ingestFiles([file], { dbPath: db, now: NOW });
    expect(summary.files[0]).toMatchObject({ status: 'loaded', rows: 1, rejects: 2, unknownColumns: ['Sheet1: Brand New Column'] });
    expect(await query(db, 'SELECT extra FROM removals')).toEqual([{ extra: '{"Brand New Column":"x1"}' }]);
    expect(await query(db, 'SELECT source_row, reason FROM ingest_rejects ORDER BY source_row')).toEqual([
      { source_row: 3, reason: 'repeated header row' },
      { source_row: 4, reason: 'one filled cell in a table row (a note or footer)' },
    ]);
    const status = await (async () => {
      const store = await openReadOnly(db);
      try {
        return await readStatus(store);
      } finally {
        store.close();
      }
    })();
    expect(status.unknownColumns).toEqual([{ file_name: 'removals.xlsx', sheet: 'Sheet1', position: 42, header: 'Brand New Column' }]);
  });

  it('refuses bad files with a clear error and leaves the database exactly as it was', async () => {
    const dir = tempDir();
    const good = await writeWorkbook(dir, 'good.xlsx', [{ headers: H.arrests, rows: [rowOf(H.arrests, { 'Unique Identifier': 'G1', 'Apprehension Date': { date: '2025-01-01' } })] }]);
    const db = path.join(dir, 'h.duckdb');
    await ingestFiles([good], { dbPath: db, now: NOW });
    const before = readFileSync(db);
    const notZip = path.join(dir, 'not-a-zip.xlsx');
    writeFileSync(notZip, 'this is not a workbook');
    const truncated = path.join(dir, 'truncated.xlsx');
    const bytes = readFileSync(await writeWorkbook(dir, 'full.xlsx', [{ headers: H.removals, rows: [rowOf(H.removals, { 'Unique Identifier': 'T1' })] }]));
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const ole = path.join(dir, 'protected.xlsx');
    writeFileSync(ole, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]));
    const empty = path.join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const unknown = await writeDelimited(dir, 'odd.csv', [['Name', 'Colour', 'Size', 'Weight'], ['a', 'b', 'c', 'd']], ',');
    const summary = await ingestFiles([notZip, truncated, ole, empty, unknown], { dbPath: db, now: NOW });
    expect(summary.changed).toBe(false);
    const errors = Object.fromEntries(summary.files.map((f) => [f.file, f.error?.code]));
    expect(errors).toEqual({
      'not-a-zip.xlsx': 'not_a_zip',
      'truncated.xlsx': expect.stringMatching(/^(truncated|not_a_zip|bad_input)$/),
      'protected.xlsx': 'encrypted',
      'empty.csv': 'empty',
      'odd.csv': 'unknown_layout',
    });
    for (const f of summary.files) expect(f.error!.message).toContain(f.file);
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(statSync(db).size).toBe(before.length);
  });

  it('refuses a named pipe at once (reading one would wait forever) and skips one inside a folder', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pipe.csv');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo here: nothing to test
    const db = path.join(dir, 'h.duckdb');
    await expect(ingestFiles([fifo], { dbPath: db, now: NOW })).rejects.toMatchObject({ code: 'bad_input' });
    const cells = detainer({ 'Unique Identifier': 'A1', 'Facility State': 'TEXAS' }).map((v) => (v === null ? '' : String(v)));
    await writeDelimited(dir, 'good.csv', [[...H.detainers], cells], ',');
    const summary = await ingestFiles([dir], { dbPath: db, now: NOW });
    expect(summary.files.map((f) => [f.file, f.status])).toEqual([['good.csv', 'loaded']]);
  }, 20_000);

  it('loads a workbook with two families on three sheets, over several loader rounds each', async () => {
    // Enough rows for several rounds per family (src/store/load-records.ts moves 32,768 at a time),
    // so two loaders' rounds and a loader's creation share the one connection.
    const dir = tempDir();
    const day = (i: number) => ({ date: new Date(Date.UTC(2023, 0, 1) + (i % 700) * 86_400_000).toISOString().slice(0, 10) });
    const detainerRows = (from: number, n: number) =>
      Array.from({ length: n }, (_, k) => detainer({ 'Unique Identifier': `P${from + k}`, 'Detainer Prepare Date': day(from + k), 'Facility State': k % 2 ? 'TEXAS' : 'OHIO' }));
    const encounterRows = Array.from({ length: 40_000 }, (_, k) =>
      rowOf(H.encounters, { 'Unique Identifier': `E${k}`, 'Event Date': day(k), 'Citizenship Country': k % 3 ? 'MEXICO' : 'HONDURAS' } as never),
    );
    const file = await writeWorkbook(dir, 'mixed.xlsx', [
      { name: 'Detainers FY23', headers: H.detainers, rows: detainerRows(0, 40_000) },
      { name: 'Encounters', headers: H.encounters, rows: encounterRows },
      { name: 'Detainers FY24', headers: H.detainers, rows: detainerRows(40_000, 30_000) },
    ]);
    const db = path.join(dir, 'h.duckdb');
    const summary = await ingestFiles([file], { dbPath: db, now: NOW, link: false });
    expect(summary.files[0]!.error).toBeUndefined();
    expect(summary.files[0]).toMatchObject({ status: 'loaded', rows: 110_000, tables: { detainers: 70_000, encounters: 40_000 } });
    const [d] = await query(
      db,
      `SELECT count(*) AS n, count(DISTINCT person_id) AS people, min(source_row) AS first_row, max(source_row) AS last_row,
         count(*) FILTER (WHERE sheet = 'Detainers FY24') AS fy24, count(*) FILTER (WHERE facility_state = 'TEXAS') AS texas,
         count(*) FILTER (WHERE detainer_prepare_date IS NULL) AS no_date,
         count(*) FILTER (WHERE person_id = 'P45000' AND sheet = 'Detainers FY24' AND source_row = 5002
                          AND detainer_prepare_date = DATE '2023-01-01' + INTERVAL 200 DAY) AS p45000
       FROM detainers`,
    );
    // The header is row 1, so data row k of a sheet is source row k + 2; P45000 is row 5,000 of FY24,
    // prepared on day 45,000 % 700 = 200 after 2023-01-01.
    expect(d).toMatchObject({ n: '70000', people: '70000', first_row: 2, last_row: 40_001, fy24: '30000', texas: '35000', no_date: '0', p45000: '1' });
    const [e] = await query(db, `SELECT count(*) AS n, count(*) FILTER (WHERE citizenship_country = 'HONDURAS') AS honduras FROM encounters`);
    expect(e).toMatchObject({ n: '40000', honduras: String(Math.ceil(40_000 / 3)) });
  }, 120_000);
});
