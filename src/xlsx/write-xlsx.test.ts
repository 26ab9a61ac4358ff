import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HandoffError } from '../core/errors.ts';
import { writeXlsx, XlsxWorkbook, type XlsxWriteCell, type XlsxWriteSheet } from './index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'xlsx-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmp = (): string => path.join(dir, `t${n++}.xlsx`);

async function roundTrip(sheets: XlsxWriteSheet[], options = {}): Promise<Record<string, unknown[]>> {
  const file = tmp();
  await writeXlsx(file, sheets, options);
  const wb = await XlsxWorkbook.open(file);
  const out: Record<string, unknown[]> = {};
  for (const s of wb.sheets) out[s.name] = await wb.readAll(s.name);
  await wb.close();
  return out;
}

const TEXTS = [
  'plain',
  ' leading and trailing ',
  'a & b < c > d "q" \'s\'',
  'line1\nline2\r\nline3\rend',
  'literal _x000D_ and _x005F_ text',
  'tab\there',
  'control \u0001\u0008\u001f chars',
  'emoji 😀 and ünïcödé',
  '',
];

describe('writeXlsx -> XlsxWorkbook round trip', () => {
  for (const strings of ['shared', 'inline'] as const) {
    it(`keeps strings, numbers and dates (${strings} strings)`, async () => {
      const rows: XlsxWriteCell[][] = [
        ['Header', 'Final Order Yes No', 'Final Order Yes No', 'Date', 'Date Time'],
        ...TEXTS.map((t, i) => [t, i, -i * 1.5 || 0, { date: '2024-02-29' }, { date: '2024-02-29T13:14:15' }]),
        [1e21, 0.1 + 0.2, -0, Number.MAX_SAFE_INTEGER, 1e-10],
        [{ date: '1900-01-01' }, { date: '1900-02-28' }, { date: '1900-03-01' }, { date: '9999-12-31' }],
      ];
      const got = await roundTrip([{ name: 'Data', rows }], { strings });
      const expected = rows.map((r, i) => ({
        rowNumber: i + 1,
        cells: r.map((c) => (c !== null && typeof c === 'object' ? c.date : c)),
      }));
      // Empty text is written as an (empty) string cell; -0 reads back as 0.
      (expected[TEXTS.length + 1]!.cells as unknown[])[2] = 0;
      expect(got.Data).toEqual(expected);
    });
  }

  it('keeps sparse cells and skipped rows', async () => {
    const rows: XlsxWriteCell[][] = [['a', null, undefined, 'd'], [], [null, null, null, null, null, 5], ['x']];
    const got = await roundTrip([{ name: 'S', rows }]);
    expect(got.S).toEqual([
      { rowNumber: 1, cells: ['a', null, null, 'd'] },
      { rowNumber: 3, cells: [null, null, null, null, null, 5] },
      { rowNumber: 4, cells: ['x'] },
    ]);
  });

  it('writes several sheets with awkward names, async rows, and the 1904 system', async () => {
    async function* gen(): AsyncGenerator<XlsxWriteCell[]> {
      for (let i = 0; i < 3; i++) yield [`r${i}`, { date: '2001-02-03' }];
    }
    const sheets: XlsxWriteSheet[] = [
      { name: "Tom's \"data\" & more", rows: [['one']] },
      { name: 'With spaces  ', rows: gen() },
      { name: 'Détainers FY25', rows: [[{ date: '1904-01-01' }]] },
    ];
    const file = tmp();
    const result = await writeXlsx(file, sheets, { date1904: true });
    expect(result.rows).toBe(5);
    const wb = await XlsxWorkbook.open(file);
    expect(wb.date1904).toBe(true);
    expect(wb.sheets.map((s) => s.name)).toEqual(sheets.map((s) => s.name));
    expect((await wb.readAll('With spaces  ')).map((r) => r.cells)).toEqual([
      ['r0', '2001-02-03'],
      ['r1', '2001-02-03'],
      ['r2', '2001-02-03'],
    ]);
    expect((await wb.readAll('détainers fy25'))[0]!.cells).toEqual(['1904-01-01']);
  });

  it('streams many rows across chunk boundaries', async () => {
    const rows = function* (): Generator<XlsxWriteCell[]> {
      for (let i = 0; i < 30_000; i++) yield [`id-${i}`, i, i % 7 === 0 ? null : `v${i % 100}`, { date: '2020-01-01' }, 'x'.repeat(i % 50)];
    };
    const file = tmp();
    await writeXlsx(file, [{ name: 'Big', rows: rows() }]);
    const wb = await XlsxWorkbook.open(file);
    let count = 0;
    let batches = 0;
    for await (const batch of wb.rowBatches('Big', 4096)) {
      batches++;
      expect(batch.length).toBeLessThanOrEqual(4096);
      for (const row of batch) {
        const i = count++;
        expect(row.rowNumber).toBe(i + 1);
        expect(row.cells[0]).toBe(`id-${i}`);
        expect(row.cells[1]).toBe(i);
        expect(row.cells[2]).toBe(i % 7 === 0 ? null : `v${i % 100}`);
        expect(row.cells[3]).toBe('2020-01-01');
      }
    }
    expect(count).toBe(30_000);
    expect(batches).toBe(Math.ceil(30_000 / 4096));
  });

  it('is byte-identical for identical input', async () => {
    const sheets = (): XlsxWriteSheet[] => [{ name: 'A', rows: [['x', 1, { date: '2020-05-06T07:08:09' }], ['y']] }];
    const a = tmp();
    const b = tmp();
    await writeXlsx(a, sheets());
    await new Promise((r) => setTimeout(r, 1100));
    await writeXlsx(b, sheets());
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('refuses bad sheet names, bad values and bad options', async () => {
    const bad = async (sheets: XlsxWriteSheet[], options = {}): Promise<HandoffError> => {
      const e = await writeXlsx(tmp(), sheets, options).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(HandoffError);
      return e as HandoffError;
    };
    expect((await bad([])).code).toBe('bad_argument');
    expect((await bad([{ name: 'a/b', rows: [] }])).code).toBe('bad_argument');
    expect((await bad([{ name: 'x'.repeat(32), rows: [] }])).code).toBe('bad_argument');
    expect((await bad([{ name: 'A', rows: [] }, { name: 'a', rows: [] }])).code).toBe('bad_argument');
    expect((await bad([{ name: 'A', rows: [[NaN]] }])).code).toBe('bad_value');
    expect((await bad([{ name: 'A', rows: [[{ date: '2023-02-30' }]] }])).location).toMatchObject({ row: 1, column: 'A' });
    expect((await bad([{ name: 'A', rows: [[true as unknown as string]] }])).code).toBe('bad_value');
    expect((await bad([{ name: 'A', rows: [['x'.repeat(32_768)]] }])).code).toBe('too_large');
    expect((await bad([{ name: 'A', rows: [] }], { compressionLevel: 11 })).code).toBe('bad_argument');
  });
});
