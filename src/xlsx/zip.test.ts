import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDeflateRaw } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { InputLimits } from '../core/config.ts';
import { HandoffError } from '../core/errors.ts';
import { buildWorkbook, buildZip, sheetXml } from './build-zip.test-helper.ts';
import { XlsxWorkbook } from './index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'xlsx-safety-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Opens and reads every sheet; returns the HandoffError it fails with. */
async function failure(buf: Buffer, limits?: Partial<InputLimits>): Promise<HandoffError> {
  const file = path.join(dir, `f${n++}.xlsx`);
  writeFileSync(file, buf);
  try {
    const wb = await XlsxWorkbook.open(file, limits);
    for (const s of wb.sheets) await wb.readAll(s.name);
  } catch (e) {
    expect(e).toBeInstanceOf(HandoffError);
    return e as HandoffError;
  }
  throw new Error('expected a failure');
}

const okSheet = sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>');

describe('container', () => {
  it('refuses non-zips, empty files, OLE2 (encrypted) files and encrypted entries', async () => {
    expect((await failure(Buffer.from('Prepare Date,Detainer Type\n'))).code).toBe('not_a_zip');
    expect((await failure(Buffer.alloc(0))).code).toBe('empty');
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    const e = await failure(ole);
    expect(e.code).toBe('encrypted');
    expect(e.message).toMatch(/password/);
    expect(e.location?.file).toMatch(/^f\d+\.xlsx$/);
    const enc = buildWorkbook({ sheets: [{ name: 'S', xml: okSheet }], extra: [{ name: 'xl/worksheets/sheet1.xml', data: okSheet, flags: 1 }] });
    expect((await failure(enc)).code).toBe('encrypted');
  });

  it('refuses truncated files, unknown methods, CRC and size mismatches', async () => {
    const good = buildWorkbook({ sheets: [{ name: 'S', xml: okSheet }] });
    expect((await failure(good.subarray(0, good.length - 30))).code).toBe('truncated');
    const bz = buildWorkbook({ sheets: [{ name: 'S', xml: okSheet }], extra: [{ name: 'xl/worksheets/sheet1.xml', data: okSheet, method: 12 as 8 }] });
    expect((await failure(bz)).message).toMatch(/method 12/);
    const crc = buildWorkbook({ sheets: [{ name: 'S', xml: okSheet }], extra: [{ name: 'xl/worksheets/sheet1.xml', data: okSheet, crc: 1234 }] });
    const ce = await failure(crc);
    expect(ce.message).toMatch(/CRC/);
    expect(ce.location).toMatchObject({ sheet: 'S' });
    const short = buildWorkbook({ sheets: [{ name: 'S', xml: okSheet }], extra: [{ name: 'xl/worksheets/sheet1.xml', data: okSheet, declaredSize: okSheet.length + 10 }] });
    expect((await failure(short)).code).toBe('truncated');
    expect((await failure(buildZip([{ name: 'readme.txt', data: 'hi' }]))).message).toMatch(/not an Excel workbook/);
  });

  it('stops zip bombs: declared-size lies, ratio and total budget', async () => {
    // 200 MB of zeros deflated streamingly (~200 KB): the declared ratio alone gives it away.
    const deflate = createDeflateRaw({ level: 9 });
    const parts: Buffer[] = [];
    deflate.on('data', (c: Buffer) => parts.push(c));
    const done = new Promise((r) => deflate.on('end', r));
    const mb = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 200; i++) deflate.write(mb);
    deflate.end();
    await done;
    const raw = Buffer.concat(parts);
    const zeros = '';
    const bomb = (declaredSize: number): Buffer =>
      buildWorkbook({ sheets: [{ name: 'S', xml: okSheet }], extra: [{ name: 'xl/worksheets/sheet1.xml', data: zeros, raw, declaredSize, crc: 0 }] });
    const honest = await failure(bomb(200 * 1024 * 1024));
    expect(honest.code).toBe('zip_bomb');
    // The lie: declares a modest size, then inflates past it.
    const liar = await failure(bomb(1000));
    expect(liar.code).toBe('zip_bomb');
    expect(liar.message).toMatch(/declared size/);
    // Within the ratio but over the workbook budget.
    const budget = await failure(bomb(200 * 1024 * 1024), { maxCompressionRatio: 1e9, maxUncompressedBytes: 50 * 1024 * 1024 });
    expect(budget.code).toBe('zip_bomb');
    expect(honest.message).toMatch(/ratio/);
  });
});

describe('XML', () => {
  it('refuses DOCTYPE and ENTITY declarations anywhere', async () => {
    const doctype = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>';
    expect((await failure(buildWorkbook({ sheets: [{ name: 'S', xml: doctype + okSheet.slice(okSheet.indexOf('?>') + 2) }] }))).code).toBe('hostile_xml');
    const sst = `${doctype}<sst><si><t>&a;</t></si></sst>`;
    const e = await failure(buildWorkbook({ sst, sheets: [{ name: 'S', xml: okSheet }] }));
    expect(e.code).toBe('hostile_xml');
    expect(e.message).toMatch(/entity declarations are not allowed/);
  });

  it('refuses unknown entities and malformed markup with a location', async () => {
    const e = await failure(buildWorkbook({ sheets: [{ name: 'S', xml: sheetXml('<row r="3"><c r="B3" t="str"><v>&nbsp;</v></c></row>') }] }));
    expect(e.code).toBe('malformed_xml');
    expect(e.location).toMatchObject({ sheet: 'S', row: 3, column: 'B' });
    const cut = await failure(buildWorkbook({ sheets: [{ name: 'S', xml: sheetXml('<row r="1"><c r="A1"><v>1</v></c>').replace('</sheetData></worksheet>', '') }] }));
    expect(cut.code).toBe('malformed_xml');
    const badIdx = await failure(buildWorkbook({ sst: ['a'], sheets: [{ name: 'S', xml: sheetXml('<row r="1"><c r="A1" t="s"><v>5</v></c></row>') }] }));
    expect(badIdx.message).toMatch(/out of range/);
    const noData = await failure(buildWorkbook({ sheets: [{ name: 'S', xml: '<worksheet></worksheet>' }] }));
    expect(noData.message).toMatch(/sheetData/);
  });

  it('enforces column, cell-length and shared-string limits', async () => {
    const xfe = await failure(buildWorkbook({ sheets: [{ name: 'S', xml: sheetXml('<row r="1"><c r="XFE1"><v>1</v></c></row>') }] }));
    expect(xfe.code).toBe('too_large');
    expect(xfe.message).toMatch(/16,384/);
    expect(xfe.location).toMatchObject({ sheet: 'S', row: 1 });
    const wide = await failure(buildWorkbook({ sheets: [{ name: 'S', xml: sheetXml('<row r="1"><c r="K1"><v>1</v></c></row>') }] }), { maxColumns: 10 });
    expect(wide).toMatchObject({ code: 'too_large', location: { row: 1, column: 'K' } });
    const long = await failure(buildWorkbook({ sheets: [{ name: 'S', xml: sheetXml(`<row r="2"><c r="A2" t="inlineStr"><is><t>${'x'.repeat(101)}</t></is></c></row>`) }] }), { maxCellChars: 100 });
    expect(long).toMatchObject({ code: 'too_large', location: { row: 2, column: 'A' } });
    const many = await failure(buildWorkbook({ sst: ['a', 'b', 'c'], sheets: [{ name: 'S', xml: okSheet }] }), { maxSharedStrings: 2 });
    expect(many.code).toBe('too_large');
  });
});
