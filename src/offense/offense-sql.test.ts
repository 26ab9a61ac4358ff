import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categorizeOffense,
  coverageReport,
  loadOffenseReference,
  offenseBasisSql,
  offenseCategorySql,
  offenseCrosswalkSql,
  offenseInchoateSql,
  offenseReferenceSql,
} from './index.ts';

const ref = loadOffenseReference();
let conn: DuckDBConnection;

beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(offenseReferenceSql(ref));
});
afterAll(() => {
  conn?.closeSync();
});

const sqlLit = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);

/** Every reference text (as written, upper-cased, with and without its code) plus edge cases. */
function inputs(): [string | null, string | null][] {
  const out: [string | null, string | null][] = [];
  for (const t of ref.texts.values()) {
    out.push([t.chargeText, null], [` ${t.chargeText.toUpperCase()}  `, t.ncicCode], [null, t.ncicCode]);
  }
  for (const r of ref.codeRanges) out.push([null, r.codeFrom], [null, String(r.to)]);
  out.push(
    [null, null],
    ['', ''],
    ['   ', ' \t'],
    [' - ', null],
    ['b(6), b(7)c', null],
    ['(B)(6), (B)(7)(C)', ''],
    [null, 'b(6)'],
    ['b(6), b(7)c', '5404'],
    [null, '999'],
    [null, '5404.0'],
    [null, '\u00a05404 - DRIVING UNDER INFLUENCE LIQUOR'],
    ['Cocaine - Sell', '8888'],
    ['Cocaine - Sell', '35300'],
    ["Driver's License Violation", null],
    ['Hit & Run', null],
    ['Aggravated Assault on a Peace Officer', null],
    ['Assault 4th Degree', null],
    ['Involuntary Manslaughter - DUI', null],
    ['Possession of Methamphetamine for Sale', null],
    ['Possession of Cocaine', null],
    ['Driving Under the Influence of Alcohol', null],
    ['Unlawful Reentry 8 USC 1326', null],
    ['Identity Theft - Aggravated', null],
    ['Quantum Widget Misuse', null],
    ['Solicitation to Commit Murder', '0999'],
    ['Attempted Robbery - Street - Gun', null],
    ['Solicitation of Prostitution', null],
    ['b(6) conspiracy', null],
    ['Café Assault', null],
    [null, '9876'],
    [null, 'ABCD'],
  );
  return out;
}

describe('offenseCategorySql', () => {
  it('agrees with categorizeOffense on every reference text, code range and edge case', async () => {
    const rows = inputs();
    const values = rows.map(([t, c], i) => `(${i}, ${sqlLit(t)}, ${sqlLit(c)})`).join(',\n');
    const reader = await conn.runAndReadAll(
      `SELECT i, ${offenseCategorySql('t', 'c')} AS category, ${offenseBasisSql('t', 'c')} AS basis, ` +
        `${offenseInchoateSql('t')} AS inchoate FROM (VALUES ${values}) v(i, t, c) ORDER BY i`,
    );
    const got = reader.getRowObjectsJson() as { i: number; category: string; basis: string; inchoate: boolean }[];
    expect(got).toHaveLength(rows.length);
    const mismatches = got.filter((g) => {
      const [t, c] = rows[g.i]!;
      const js = categorizeOffense(ref, t, c);
      return js.category !== g.category || js.basis !== g.basis || js.inchoate !== g.inchoate;
    });
    expect(mismatches.map((m) => ({ input: rows[m.i], sql: m }))).toEqual([]);
    // The flag is exercised both ways, so agreement is not agreement on all-false.
    expect(got.filter((g) => g.inchoate).length).toBeGreaterThan(3);
  });

  it('reads numeric code columns (INTEGER and DOUBLE) as JavaScript reads numbers', async () => {
    const reader = await conn.runAndReadAll(
      `SELECT ${offenseCategorySql('NULL', 'c')} AS category FROM (VALUES (999), (5404), (1313)) v(c)`,
    );
    const dbl = await conn.runAndReadAll(
      `SELECT ${offenseCategorySql('NULL', 'c')} AS category FROM (VALUES (999.0::DOUBLE)) v(c)`,
    );
    expect(reader.getRowObjectsJson().map((r) => r.category)).toEqual(['homicide', 'dui', 'simple_assault']);
    expect(dbl.getRowObjectsJson()[0]!.category).toBe(categorizeOffense(ref, null, 999).category);
  });

  it('builds a distinct-pair crosswalk whose counts feed coverageReport', async () => {
    await conn.run(`CREATE OR REPLACE TABLE msc AS SELECT * FROM (VALUES
      ('Assault', '1399'), ('Assault', '1399'), ('Dangerous Drugs', NULL), (NULL, NULL),
      ('b(6), b(7)c', NULL), ('Quantum Widget Misuse', NULL), ('Conspiracy to Commit Murder', NULL)) v(msc_charge, msc_code)`);
    const reader = await conn.runAndReadAll(
      `${offenseCrosswalkSql('msc', 'msc_charge', 'msc_code')} ORDER BY charge_text NULLS FIRST`,
    );
    const rows = reader.getRowObjectsJson() as {
      charge_text: string | null;
      charge_code: string | null;
      category: string;
      basis: string;
      inchoate: boolean;
      n: string;
    }[];
    expect(rows.map((r) => [r.charge_text, r.category, r.basis, r.inchoate, r.n])).toEqual([
      [null, 'unknown', 'blank', false, '1'],
      ['Assault', 'simple_assault', 'code', false, '2'],
      ['Conspiracy to Commit Murder', 'other', 'text', true, '1'],
      ['Dangerous Drugs', 'drug_possession', 'text', false, '1'],
      ['Quantum Widget Misuse', 'unknown', 'unmapped', false, '1'],
      ['b(6), b(7)c', 'unknown', 'redacted', false, '1'],
    ]);
    const report = coverageReport(
      ref,
      rows.map((r) => ({ text: r.charge_text, code: r.charge_code, count: r.n })),
    );
    expect(report).toMatchObject({ total: 7, mapped: 4, unmapped: 1, blank: 1, redacted: 1 });
  });
});
