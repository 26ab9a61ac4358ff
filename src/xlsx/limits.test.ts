/**
 * The reader's memory and work caps (issue 21) on small generated workbooks: sheets sharing a part
 * are refused; rows per sheet and per workbook, and the shared strings' number and total length, are
 * capped with an error that names the file, the sheet and the limit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, EXCEL_MAX_ROWS, type InputLimits } from '../core/config.ts';
import { HandoffError } from '../core/errors.ts';
import { buildWorkbook, sheetXml } from './build-zip.test-helper.ts';
import { XlsxWorkbook } from './index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'xlsx-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function write(buf: Buffer): string {
  const file = path.join(dir, `w${n++}.xlsx`);
  writeFileSync(file, buf);
  return file;
}

/** `count` rows of one number cell each. */
function rows(count: number): string {
  return Array.from({ length: count }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('');
}

/** Reads every sheet in order; returns the rows delivered and the HandoffError it stopped with, if any. */
async function readAll(file: string, limits?: Partial<InputLimits>): Promise<{ delivered: number; error?: HandoffError }> {
  let delivered = 0;
  try {
    const wb = await XlsxWorkbook.open(file, limits);
    for (const s of wb.sheets) for await (const _ of wb.scanRows(s.name, () => delivered++));
    return { delivered };
  } catch (e) {
    expect(e).toBeInstanceOf(HandoffError);
    return { delivered, error: e as HandoffError };
  }
}

describe('sheets that share a worksheet part', () => {
  it('are refused when the workbook is opened, naming both sheets and the part', async () => {
    // Three sheets; the relationships of the second and third point at the first one's part.
    const rels =
      `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId3" Type="${REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/>`;
    const buf = buildWorkbook({
      sheets: [
        { name: 'Data', xml: sheetXml(rows(5)) },
        { name: 'Copy 1', xml: sheetXml(rows(1)) },
        { name: 'Copy 2', xml: sheetXml(rows(1)) },
      ],
      extra: [{ name: 'xl/_rels/workbook.xml.rels', data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>` }],
    });
    const file = write(buf);
    const { delivered, error } = await readAll(file);
    expect(delivered).toBe(0);
    expect(error?.code).toBe('bad_input');
    expect(error?.message).toContain('"Data" and "Copy 1"');
    expect(error?.message).toContain('xl/worksheets/sheet1.xml');
    expect(error?.location).toEqual({ file: path.basename(file), sheet: 'Copy 1' });
  });

  it('a workbook whose sheets each have their own part opens', async () => {
    const file = write(buildWorkbook({ sheets: [{ name: 'A', xml: sheetXml(rows(3)) }, { name: 'B', xml: sheetXml(rows(4)) }] }));
    expect(await readAll(file)).toEqual({ delivered: 7 });
  });
});

describe('row caps', () => {
  it('a sheet over maxSheetRows fails at the first row over, naming file, sheet and limit', async () => {
    const file = write(buildWorkbook({ sheets: [{ name: 'Big', xml: sheetXml(rows(50)) }] }));
    const { delivered, error } = await readAll(file, { maxSheetRows: 20 });
    expect(delivered).toBe(20);
    expect(error?.code).toBe('too_large');
    expect(error?.message).toMatch(/more than 20 rows .*maxSheetRows/);
    expect(error?.location).toMatchObject({ file: path.basename(file), sheet: 'Big', row: 21 });
    expect(await readAll(file, { maxSheetRows: 50 })).toEqual({ delivered: 50 });
  });

  it('maxRows counts all the sheets of a workbook, and a sheet read twice once', async () => {
    const file = write(buildWorkbook({ sheets: [{ name: 'First', xml: sheetXml(rows(30)) }, { name: 'Second', xml: sheetXml(rows(30)) }] }));
    const { delivered, error } = await readAll(file, { maxRows: 50 });
    expect(delivered).toBe(50);
    expect(error?.code).toBe('too_large');
    expect(error?.message).toMatch(/more than 50 rows in all its sheets .*maxRows/);
    expect(error?.location).toMatchObject({ file: path.basename(file), sheet: 'Second', row: 21 });

    const wb = await XlsxWorkbook.open(file, { maxRows: 50 });
    let again = 0;
    for (let i = 0; i < 3; i++) for await (const _ of wb.scanRows('First', () => again++));
    expect(again).toBe(90);
  });

  it('a sheet that declares more rows than maxSheetRows is refused before any row is handed on', async () => {
    const xml = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B${EXCEL_MAX_ROWS + 1}"/><sheetData>${rows(3)}</sheetData></worksheet>`;
    const file = write(buildWorkbook({ sheets: [{ name: 'Liar', xml }] }));
    const { delivered, error } = await readAll(file);
    expect(delivered).toBe(0);
    expect(error?.code).toBe('too_large');
    expect(error?.message).toContain(`declares ${EXCEL_MAX_ROWS + 1} rows`);
    expect(error?.location).toMatchObject({ file: path.basename(file), sheet: 'Liar' });
  });

  it('the defaults: Excel’s sheet limit, three full sheets per workbook', () => {
    expect(DEFAULT_LIMITS.maxSheetRows).toBe(1_048_576);
    expect(DEFAULT_LIMITS.maxRows).toBe(3 * 1_048_576);
  });
});

describe('shared-string caps', () => {
  const sst = ['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc'];
  const sheet = sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>');

  it('their total length is capped by maxSharedStringChars', async () => {
    const file = write(buildWorkbook({ sst, sheets: [{ name: 'S', xml: sheet }] }));
    const { error } = await readAll(file, { maxSharedStringChars: 25 });
    expect(error?.code).toBe('too_large');
    expect(error?.message).toMatch(/more than 25 characters .*maxSharedStringChars/);
    expect(error?.message).toContain('sharedStrings.xml');
    expect(error?.location).toMatchObject({ file: path.basename(file) });
    expect((await readAll(file, { maxSharedStringChars: 30 })).error).toBeUndefined();
  });

  it('their number is capped by maxSharedStrings, and the message names the limit', async () => {
    const file = write(buildWorkbook({ sst, sheets: [{ name: 'S', xml: sheet }] }));
    const { error } = await readAll(file, { maxSharedStrings: 2 });
    expect(error?.code).toBe('too_large');
    expect(error?.message).toMatch(/more than 2 shared strings .*maxSharedStrings/);
  });
});
