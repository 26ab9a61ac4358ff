/**
 * ICE's 287(g) sheets through the ingest pipeline: workbooks generated here with one quirk each
 * (a broken name, a name with no date, a side table of tallies, a second agreement sheet, a SIGNED
 * that cannot be read, a name that says pending over a SIGNED column), and the real public files
 * in ../shared: the participating-agencies sheet and pending sheet of 2025-2026, the dated snapshot
 * series, and the five sheets of ice-real (capture-stamp names, `05/082025`, a tally sheet, `Sheet 1`).
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/core/config.ts';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import { load287gFile } from '../../src/pipeline/load-287g.ts';
import { buildWorkbook, sheetXml } from '../../src/xlsx/build-zip.test-helper.ts';
import { readCoreProperties } from '../../src/xlsx/core-properties.ts';
import { columnLetters } from '../../src/xlsx/index.ts';
import { SHARED_DIR } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';
import { withStore } from '../helpers/with-store.ts';
import { writeWorkbook } from '../helpers/workbooks.ts';

const DIR = path.join(SHARED_DIR, 'data/287g');
const ICE_REAL = path.join(SHARED_DIR, 'data/ice-real');

const PARTICIPATING = ['STATE', 'LAW ENFORCEMENT AGENCY', 'TYPE', 'COUNTY', 'SUPPORT TYPE', 'SIGNED', 'MOA'];
const PENDING = ['STATE', 'LAW ENFORCEMENT AGENCY', 'TYPE', 'COUNTY', 'SUPPORT TYPE'];

/** A workbook of inline-string sheets with a docProps/core.xml whose dcterms:modified is `modified`. */
function workbookWithCoreProps(file: string, sheets: { name: string; rows: (string | null)[][] }[], modified: string): string {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const xml = (rows: (string | null)[][]) =>
    sheetXml(
      rows
        .map((cells, r) => {
          const filled = cells.map((c, i) => (c === null ? '' : `<c r="${columnLetters(i)}${r + 1}" t="inlineStr"><is><t>${esc(c)}</t></is></c>`));
          return `<row r="${r + 1}">${filled.join('')}</row>`;
        })
        .join(''),
    );
  const rel = 'http://schemas.openxmlformats.org';
  writeFileSync(
    file,
    buildWorkbook({
      sheets: sheets.map((s) => ({ name: s.name, xml: xml(s.rows) })),
      extra: [
        {
          name: '_rels/.rels',
          data:
            `<Relationships xmlns="${rel}/package/2006/relationships">` +
            `<Relationship Id="rId1" Type="${rel}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
            `<Relationship Id="rId2" Type="${rel}/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
            `</Relationships>`,
        },
        {
          name: 'docProps/core.xml',
          data:
            `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="${rel}/package/2006/metadata/core-properties" ` +
            `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
            `<dc:creator>ICE &amp; co</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2025-02-15T19:41:07Z</dcterms:created>` +
            `<dcterms:modified xsi:type="dcterms:W3CDTF">${modified}</dcterms:modified></cp:coreProperties>`,
        },
      ],
    }),
  );
  return file;
}

interface Note {
  snapshot_date: string;
  snapshot_basis: string;
  notes: string[];
  skipped_sheets: { sheet: string; reason: string }[];
  sheets: { sheet: string; status: string; rows: number; blankRows: number; signedUnread: number }[];
}

/** The release note the loader writes, per file name. */
async function releaseNotes(db: string): Promise<Map<string, Note>> {
  const store = await openReadOnly(db);
  try {
    const rows = await store.queryRows<{ file_name: string; note: string }>(
      'SELECT f.file_name, r.note FROM source_files f JOIN releases r USING (release_id)',
    );
    return new Map(rows.map((r) => [r.file_name, JSON.parse(r.note) as Note]));
  } finally {
    store.close();
  }
}

describe('287(g) workbooks of every form', () => {
  it('repairs a broken name, loads every agreement sheet, skips a tally sheet and keeps an unreadable SIGNED', async () => {
    const dir = tempDir();
    const file = await writeWorkbook(dir, 'participatingAgencies062272025am.xlsx', [
      {
        name: 'Sheet1',
        headers: PARTICIPATING,
        rows: [
          ['ALABAMA', "Colbert County Sheriff's Office", 'County', 'Colbert County', 'Warrant Service Officer', { date: '2025-05-08' }, 'link'],
          ['VIRGINIA', "Campbell County Sheriff's Office", 'County', 'Campbell County', 'Task Force Model', '05/082025', 'link'],
          ['TEXAS', "Harris County Sheriff's Office", 'County', 'Harris County', 'Task Force Model', 'pending signature', 'link pending'],
          ['ALABAMA', "Cherokee County Sheriff's Office", 'County', 'Cherokee County', 'Warrant Service Officer', { date: '2025-06-25' }, 'link'],
          [null, null, null, null, null, null, null],
        ],
      },
      { name: 'Sheet2', headers: ['Total', '', 'JEM', '', 'TFM', '', 'WSO'], rows: [['ALABAMA', null, 'ALABAMA', null, 'ALABAMA', null, 'ALABAMA'], [null], [null]] },
      { name: 'Pending', headers: PENDING, rows: [['ARKANSAS', "Franklin County Sheriff's Office", 'County', 'Franklin County', 'Task Force Model']] },
    ]);
    const db = path.join(dir, 'h.duckdb');
    const summary = await ingestFiles([file], { dbPath: db });
    expect(summary.files.map((f) => [f.status, f.rows, f.rejects])).toEqual([['loaded', 5, 0]]);
    const note = (await releaseNotes(db)).get('participatingAgencies062272025am.xlsx')!;
    expect(note).toMatchObject({ snapshot_date: '2025-06-27', snapshot_basis: 'file_name' });
    expect(note.notes[0]).toBe('snapshot date 2025-06-27 from the file name ("062272025am" as MMDDYYYYam, repaired: nine digits, the 4th dropped)');
    expect(note.notes).toContain('sheet "Sheet1" row 3: SIGNED text "05/082025" read as 2025-05-08');
    expect(note.notes).toContain('sheet "Sheet1" row 4: SIGNED "pending signature" has no single reading; the agreement is kept with SIGNED null');
    expect(note.notes).toContain('sheet "Pending": pending: the header has no SIGNED column, though the file name says participating; the header wins');
    expect(note.skipped_sheets).toEqual([{ sheet: 'Sheet2', reason: expect.stringContaining('side table of tallies by model (Total, , JEM, , TFM, , WSO), not agreements') }]);
    expect(note.sheets.map((s) => [s.sheet, s.status, s.rows, s.signedUnread])).toEqual([
      ['Sheet1', 'participating', 4, 1],
      ['Pending', 'pending', 1, 0],
    ]);
    const store = await openReadOnly(db);
    try {
      expect(
        await store.queryRows("SELECT sheet, source_row, status, strftime(signed_date, '%Y-%m-%d') AS signed, snapshot_date::VARCHAR AS d FROM agreements_287g ORDER BY sheet DESC, source_row"),
      ).toEqual([
        { sheet: 'Sheet1', source_row: 2, status: 'participating', signed: '2025-05-08', d: '2025-06-27' },
        { sheet: 'Sheet1', source_row: 3, status: 'participating', signed: '2025-05-08', d: '2025-06-27' },
        { sheet: 'Sheet1', source_row: 4, status: 'participating', signed: null, d: '2025-06-27' },
        { sheet: 'Sheet1', source_row: 5, status: 'participating', signed: '2025-06-25', d: '2025-06-27' },
        { sheet: 'Pending', source_row: 2, status: 'pending', signed: null, d: '2025-06-27' },
      ]);
      expect(await store.queryRow("SELECT rows_read, filled, unparseable, examples FROM column_quality WHERE column_name = 'signed_date'")).toEqual({
        rows_read: '4',
        filled: '4',
        unparseable: '1',
        examples: '["pending signature"]',
      });
      const meta = await store.queryRow<{ metadata: string }>('SELECT metadata FROM source_files');
      expect(JSON.parse(meta!.metadata)).toMatchObject({ snapshot_date: '2025-06-27', sheet: 'Sheet1, Pending' });
    } finally {
      store.close();
    }
  });

  it('dates a name without a date by the workbook\'s own modified date, and takes the header over a name that says pending', async () => {
    const dir = tempDir();
    const file = workbookWithCoreProps(
      path.join(dir, 'pendingAgencies.xlsx'),
      [{ name: 'Sheet 1', rows: [PARTICIPATING, ['FLORIDA', "Alachua County Sheriff's Office", 'County', 'Alachua County', 'Task Force Model', '2/26/2025', 'link'], [null]] }],
      '2025-06-27T05:06:11Z',
    );
    expect(await readCoreProperties(file)).toEqual({ created: '2025-02-15T19:41:07Z', modified: '2025-06-27T05:06:11Z' });
    const db = path.join(dir, 'h.duckdb');
    const summary = await ingestFiles([file], { dbPath: db });
    expect(summary.files.map((f) => [f.status, f.rows])).toEqual([['loaded', 1]]);
    const note = (await releaseNotes(db)).get('pendingAgencies.xlsx')!;
    expect(note).toMatchObject({ snapshot_date: '2025-06-27', snapshot_basis: 'workbook_modified' });
    expect(note.notes.slice(0, 2)).toEqual([
      "snapshot date 2025-06-27 from the workbook's own modified date (docProps/core.xml dcterms:modified 2025-06-27T05:06:11Z), since the file name gives no usable date",
      'the file name has no date',
    ]);
    expect(note.notes).toContain('sheet "Sheet 1": participating: the header has a SIGNED column with dates, though the file name says pending; the header wins');
    const store = await openReadOnly(db);
    try {
      expect(await store.queryRow("SELECT status, strftime(signed_date, '%Y-%m-%d') AS signed FROM agreements_287g")).toEqual({ status: 'participating', signed: '2025-02-26' });
    } finally {
      store.close();
    }
  });

  it('takes asOf over the name and the workbook, and returns what the pipeline stores', async () => {
    const dir = tempDir();
    const file = workbookWithCoreProps(
      path.join(dir, 'participatingAgencies06272205am.xlsx'),
      [
        { name: 'Sheet1', rows: [PARTICIPATING, ['OHIO', "Butler County Sheriff's Office", 'County', 'Butler County', 'Task Force Model', 'April 2, 2025', 'link']] },
        { name: 'Empty', rows: [] },
      ],
      '2025-06-27T05:06:11Z',
    );
    await withStore(async (store) => {
      await store.run("INSERT INTO releases (release_id, label, synthetic, created_at, kind) VALUES ('g_t', 't', false, TIMESTAMP '2026-01-01 00:00:00', 'agreements_287g')");
      await store.run(
        "INSERT INTO source_files (file_id, release_id, file_name, bytes, format, loaded_at, rows_loaded, rows_rejected) VALUES ('f_t', 'g_t', 't', 1, 'xlsx', TIMESTAMP '2026-01-01 00:00:00', 0, 0)",
      );
      const ids = { fileId: 'f_t', releaseId: 'g_t' };
      // Without asOf: the impossible year gives way to the workbook's modified date.
      const plain = await load287gFile(store, file, ids, DEFAULT_LIMITS);
      expect(plain).toMatchObject({ rows: 1, rejects: 0, blankRows: 0, snapshotDate: '2025-06-27', snapshotBasis: 'workbook_modified', sheet: 'Sheet1' });
      expect(plain.notes[1]).toBe('the file name\'s "06272205" reads as 2205-06-27, and the year 2205 is impossible for a 287(g) sheet');
      expect(plain.skippedSheets).toEqual([{ sheet: 'Empty', reason: 'empty sheet' }]);
      await store.run('DELETE FROM agreements_287g');
      await store.run('DELETE FROM column_quality');
      const given = await load287gFile(store, file, ids, DEFAULT_LIMITS, { asOf: '2025-07-01' });
      expect(given).toMatchObject({ snapshotDate: '2025-07-01', snapshotBasis: 'as_of', signedUnread: 0 });
      expect(given.notes[0]).toBe('snapshot date 2025-07-01 given by the asOf option');
      expect(await store.queryRow("SELECT snapshot_date::VARCHAR AS d, strftime(signed_date, '%Y-%m-%d') AS signed FROM agreements_287g")).toEqual({ d: '2025-07-01', signed: '2025-04-02' });
      const note = await store.queryRow<{ note: string }>("SELECT note FROM releases WHERE release_id = 'g_t'");
      expect(JSON.parse(note!.note)).toMatchObject({ snapshot_date: '2025-07-01', snapshot_basis: 'as_of' });
      await expect(load287gFile(store, file, ids, DEFAULT_LIMITS, { asOf: 'July 1' })).rejects.toThrow(/asOf must be a date/);
    });
  });

  it('reads no core properties from a workbook that has none', async () => {
    const file = await writeWorkbook(tempDir(), 'x.xlsx', [{ headers: ['A'], rows: [] }]);
    expect(await readCoreProperties(file)).toEqual({});
  });
});

const HAVE_287G = existsSync(DIR);
if (!HAVE_287G) console.info(`skipping the real 287(g) sheets through the pipeline: ${DIR} is missing`);
describe.skipIf(!HAVE_287G)('287(g) sheets through the pipeline', () => {
  it('loads the participating and pending sheets and the snapshot series, each as a dated release, once', async () => {
    const db = path.join(tempDir(), 'h.duckdb');
    const files = ['participatingAgencies05182026am.xlsx', 'pendingAgencies12312025am.xlsx', 'agreements.csv'].map((f) => path.join(DIR, f));
    const first = await ingestFiles(files, { dbPath: db });
    expect(first.files.map((f) => f.status)).toEqual(['loaded', 'loaded', 'loaded']);
    expect(new Set(first.files.map((f) => f.releaseId)).size).toBe(3);
    const again = await ingestFiles(files, { dbPath: db });
    expect(again.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const store = await openReadOnly(db);
    try {
      const sheets = await store.queryRows(
        'SELECT status, snapshot_date::VARCHAR AS d, count(*) AS n, count(county_fips) AS with_fips FROM agreements_287g GROUP BY ALL ORDER BY status',
      );
      expect(sheets).toEqual([
        { status: 'participating', d: '2026-05-18', n: '1843', with_fips: expect.any(String) },
        { status: 'pending', d: '2025-12-31', n: '24', with_fips: '24' },
      ]);
      // Trailing spaces are gone from the values the sheet carries them in.
      const spaced = await store.queryRow("SELECT count(*) AS n FROM agreements_287g WHERE agency <> trim(agency) OR support_type_raw <> trim(support_type_raw)");
      expect(spaced!.n).toBe('0');
      const spans = await store.queryRow(
        "SELECT count(DISTINCT state || agency) AS agencies, min(first_seen)::VARCHAR AS first, max(last_seen)::VARCHAR AS last FROM agreement_287g_spans",
      );
      expect(spans).toEqual({ agencies: '622', first: '2025-05-16', last: '2025-07-03' });
      const kinds = await store.queryRows("SELECT DISTINCT kind FROM releases ORDER BY 1");
      expect(kinds).toEqual([{ kind: 'agreements_287g' }]);
    } finally {
      store.close();
    }
  });
});

// ../shared/data/ice-real: row counts as SOURCES.md gives them.
const HAVE_ICE_REAL = existsSync(ICE_REAL);
if (!HAVE_ICE_REAL) console.info(`skipping the real ICE 287(g) sheets of ice-real: ${ICE_REAL} is missing`);
describe.skipIf(!HAVE_ICE_REAL)('the 287(g) sheets of ice-real through the pipeline', () => {
  it('loads every agreement of all five, dated by name or capture stamp', async () => {
    const expected = {
      'participatingAgencies-20250221214937.xlsx': { rows: 151, status: 'participating', date: '2025-02-21', basis: 'capture_stamp', sheet: 'Sheet1', blank: 0 },
      'participatingAgencies06272025am.xlsx': { rows: 737, status: 'participating', date: '2025-06-27', basis: 'file_name', sheet: 'Sheet1', blank: 2 },
      'participatingAgencies03022026am.xlsx': { rows: 1499, status: 'participating', date: '2026-03-02', basis: 'file_name', sheet: 'Sheet1', blank: 6 },
      'pendingAgencies-20250221214937.xlsx': { rows: 41, status: 'pending', date: '2025-02-21', basis: 'capture_stamp', sheet: 'Sheet1', blank: 0 },
      'pendingAgencies02272026am.xlsx': { rows: 2, status: 'pending', date: '2026-02-27', basis: 'file_name', sheet: 'Sheet 1', blank: 69 },
    } as const;
    const db = path.join(tempDir(), 'h.duckdb');
    const summary = await ingestFiles(Object.keys(expected).map((f) => path.join(ICE_REAL, f)), { dbPath: db });
    expect(summary.files.map((f) => [f.file, f.status, f.rows, f.rejects])).toEqual(
      Object.entries(expected).map(([file, e]) => [file, 'loaded', e.rows, 0]),
    );
    const notes = await releaseNotes(db);
    const store = await openReadOnly(db);
    try {
      const counts = await store.queryRows<{ source_file: string; status: string; d: string; sheet: string; n: string }>(
        'SELECT source_file, status, snapshot_date::VARCHAR AS d, sheet, count(*) AS n FROM agreements_287g GROUP BY ALL',
      );
      const metadata = await store.queryRows<{ file_name: string; metadata: string }>('SELECT file_name, metadata FROM source_files');
      for (const [file, e] of Object.entries(expected)) {
        expect(counts.filter((c) => c.source_file === file)).toEqual([{ source_file: file, status: e.status, d: e.date, sheet: e.sheet, n: String(e.rows) }]);
        expect(notes.get(file)).toMatchObject({ snapshot_date: e.date, snapshot_basis: e.basis });
        expect(JSON.parse(metadata.find((m) => m.file_name === file)!.metadata)).toMatchObject({
          snapshot_date: e.date,
          snapshot_basis: e.basis,
          blank_rows: e.blank,
          sheet: e.sheet,
        });
      }
      // ICE's SIGNED "05/082025" (row 692) is Campbell County's 2025-05-08, not a reject.
      expect(
        await store.queryRow(
          "SELECT agency, strftime(signed_date, '%Y-%m-%d') AS signed FROM agreements_287g WHERE source_file = 'participatingAgencies06272025am.xlsx' AND source_row = 692",
        ),
      ).toEqual({ agency: "Campbell County Sheriff's Office", signed: '2025-05-08' });
      expect((await store.queryRow('SELECT count(*) AS n FROM ingest_rejects'))!.n).toBe('0');
      expect(notes.get('participatingAgencies03022026am.xlsx')!.skipped_sheets).toEqual([
        { sheet: 'Sheet2', reason: 'side table of tallies by model (Total, , JEM, , TFM, , WSO), not agreements; 42 filled row(s), 1,458 empty' },
      ]);
    } finally {
      store.close();
    }
  });
});
