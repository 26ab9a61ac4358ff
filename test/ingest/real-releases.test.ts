/**
 * Real ICE files of the 2016–2019 vintages (../shared/data/ice-real, see its SOURCES.md) load with
 * every row, into the right family, and give ICE's published FY2016 totals. Each count is checked
 * against a count made here from the source bytes (gunzip, split lines), not against Handoff's output.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import { SHARED_DIR } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';

const REAL = path.join(SHARED_DIR, 'data', 'ice-real');
const SEATTLE = '3_25_19 FOIA 2018-ICFO-36170 Seattle Encounters Arrests and Removals_LESA_STU_Final-redacted-no-pwd.xlsx';
const have = existsSync(REAL);
if (!have) console.warn(`skipping real-release tests: ${REAL} is missing`);

/** Data lines of one of ICE's pipe-delimited FY2016 exports: lines after the header (line 6) that are not empty. */
function dataLines(file: string): number {
  const lines = gunzipSync(readFileSync(path.join(REAL, file))).toString('utf8').split(/\r?\n/);
  return lines.slice(6).filter((l) => l.replace(/\|/g, '').trim() !== '').length;
}

async function ingestOne(file: string): Promise<string> {
  const db = path.join(tempDir(), 'real.duckdb');
  const summary = await ingestFiles([path.join(REAL, file)], { dbPath: db, link: false });
  expect(summary.files.map((f) => [f.file, f.status, f.error?.message])).toEqual([[file, 'loaded', undefined]]);
  return db;
}

async function count(db: string, sql: string): Promise<number> {
  const store = await openReadOnly(db);
  try {
    const row = await store.queryRow<{ n: bigint | number }>(sql);
    return Number(row?.n ?? -1);
  } finally {
    store.close();
  }
}

describe.skipIf(!have)('real ICE releases, 2016–2019 vintages', () => {
  it('FY2016 arrests (gzip, pipe-delimited, 5-line preamble): every row, ICE\'s 110,104 administrative arrests', async () => {
    const file = 'EROArrests_FY2016.csv.gz';
    const db = await ingestOne(file);
    const rows = await count(db, 'SELECT count(*) AS n FROM arrests');
    expect(rows).toBe(dataLines(file));
    expect(rows).toBe(110_104);
    // Every row has its AOR, date and method mapped, not left in `extra`.
    expect(await count(db, 'SELECT count(*) AS n FROM arrests WHERE apprehension_date IS NULL OR apprehension_method IS NULL')).toBe(0);
    expect(
      await count(db, "SELECT count(*) AS n FROM arrests WHERE date_trunc('day', apprehension_date) BETWEEN DATE '2015-10-01' AND DATE '2016-09-30'"),
    ).toBe(110_104);
  }, 60_000);

  it('FY2016 arrests: methods no vocabulary knows are loaded and listed by status with their rows, not dropped', async () => {
    const file = 'EROArrests_FY2016.csv.gz';
    const db = path.join(tempDir(), 'real.duckdb');
    await ingestFiles([path.join(REAL, file)], { dbPath: db });
    // Rows per method, counted from the source bytes (third pipe-delimited field, quotes off).
    const byMethod = new Map<string, number>();
    for (const line of gunzipSync(readFileSync(path.join(REAL, file))).toString('utf8').split(/\r?\n/).slice(6)) {
      if (line.replace(/\|/g, '').trim() === '') continue;
      const m = line.split('|')[2]!.replace(/^"|"$/g, '').trim();
      byMethod.set(m, (byMethod.get(m) ?? 0) + 1);
    }
    const store = await openReadOnly(db);
    try {
      const { readStatus } = await import('../../src/pipeline/index.ts');
      const unknown = (await readStatus(store)).unknownValues.filter((v) => v.column_name === 'apprehension_method');
      expect(unknown.length).toBeGreaterThan(0);
      for (const v of unknown) expect(v.rows, String(v.value)).toBe(byMethod.get(String(v.value)));
      // Their rows are in the table and read as the `unknown` setting in the figures.
      expect(await count(db, 'SELECT count(*) AS n FROM arrests')).toBe(110_104);
      const listed = unknown.map((v) => `'${String(v.value).replace(/'/g, "''")}'`).join(', ');
      expect(await count(db, `SELECT count(*) AS n FROM arrests WHERE trim(apprehension_method) IN (${listed})`)).toBe(unknown.reduce((n, v) => n + Number(v.rows), 0));
      // The public ledger names a value only when it has 11 rows or more; the rarer ones are one row whose count is protected.
      const { MetricsService, qualityLedger } = await import('../../src/metrics/index.ts');
      const ledger = (await qualityLedger(await MetricsService.create(store, { mode: 'public' }))).rows;
      const named = ledger.filter((r) => r.measure === 'value_not_in_vocabulary').map((r) => [String(r.note).match(/"(.*)"/)![1], r.count]);
      expect(named).toEqual(unknown.filter((v) => Number(v.rows) >= 11).map((v) => [v.value, v.rows]));
      const rare = unknown.filter((v) => Number(v.rows) <= 10);
      const rareRow = ledger.find((r) => r.measure === 'values_not_in_vocabulary_rare');
      const rareRows = rare.reduce((n, v) => n + Number(v.rows), 0);
      expect(rareRow?.count ?? 'none').toEqual(rare.length === 0 ? 'none' : rareRows <= 10 ? null : rareRows);
      for (const v of rare) expect(JSON.stringify(ledger)).not.toContain(String(v.value));
    } finally {
      store.close();
    }
  }, 90_000);

  it('FY2016 removals: every row; 235,524 departed within FY2016 (ICE\'s figure excluding the prior-year lag)', async () => {
    const file = 'ICERemovals_FY2016.csv.gz';
    const db = await ingestOne(file);
    expect(await count(db, 'SELECT count(*) AS n FROM removals')).toBe(dataLines(file));
    expect(await count(db, 'SELECT count(*) AS n FROM removals')).toBe(240_255);
    expect(
      await count(db, "SELECT count(*) AS n FROM removals WHERE departed_date BETWEEN DATE '2015-10-01' AND DATE '2016-09-30'"),
    ).toBe(235_524);
    expect(await count(db, 'SELECT count(*) AS n FROM arrests')).toBe(0);
    // The public removals metric gives the same at nation × FY2016, exactly, and the release in total.
    const store = await openReadOnly(db);
    try {
      const { MetricsService, runMetric } = await import('../../src/metrics/index.ts');
      const service = await MetricsService.create(store, { mode: 'public' });
      const fy = await runMetric(service, 'removals', { grain: 'fiscal_year' });
      expect(fy.rows.find((r) => r.period === 'FY2016')).toMatchObject({ count: 235_524, status: 'exact' });
      const total = await runMetric(service, 'removals', { grain: 'total' });
      const dated = await store.queryRow<{ n: bigint }>('SELECT count(*) AS n FROM removals WHERE departed_date IS NOT NULL AND NOT coalesce(is_duplicate, false)');
      expect(total.rows[0]).toMatchObject({ count: Number(dated!.n), status: 'exact' });
    } finally {
      store.close();
    }
  }, 120_000);

  it('FY2016 encounters: every row, the blank AORs kept', async () => {
    const file = 'EROEncounters_FY2016.csv.gz';
    const db = await ingestOne(file);
    expect(await count(db, 'SELECT count(*) AS n FROM encounters')).toBe(dataLines(file));
    expect(await count(db, 'SELECT count(*) AS n FROM encounters')).toBe(368_645);
    expect(await count(db, 'SELECT count(*) AS n FROM encounters WHERE responsible_aor IS NULL')).toBe(10_445);
  }, 120_000);

  it('2018-ICFO-36170 Seattle workbook: six sheets, three families, two fiscal years, every row', async () => {
    const db = await ingestOne(SEATTLE);
    const store = await openReadOnly(db);
    try {
      const sheets = await store.queryRows<{ sheet: string; family: string; header_row: number; rows_loaded: number }>(
        'SELECT sheet, family, header_row, rows_loaded FROM source_sheets ORDER BY sheet',
      );
      expect(sheets.map((s) => [s.sheet, s.family, Number(s.header_row), Number(s.rows_loaded)])).toEqual([
        ['FY2017 Arrests', 'arrests', 6, 2_656],
        ['FY2017 Encounters', 'encounters', 6, 11_712],
        ['FY2017 Removals', 'removals', 6, 1_917],
        ['FY2018 Arrests', 'arrests', 6, 1_410],
        ['FY2018 Encounters', 'encounters', 6, 7_829],
        ['FY2018 Removals', 'removals', 6, 1_267],
      ]);
      // The redaction markers with stray spaces ("(b)(7)(E )") count as redactions, not values.
      const event = await store.queryRow<{ redacted: bigint }>(
        "SELECT sum(redacted) AS redacted FROM column_quality WHERE column_name = 'event_number'",
      );
      expect(Number(event!.redacted)).toBe(1_410 + 7_829 + 1_267 + 2_656 + 11_712 + 1_917);
      const values = await store.queryRow<{ n: bigint }>(
        'SELECT (SELECT count(event_number) FROM arrests) + (SELECT count(event_number) FROM encounters) + (SELECT count(event_number) FROM removals) AS n',
      );
      expect(Number(values!.n)).toBe(0);
    } finally {
      store.close();
    }
  }, 60_000);
});
