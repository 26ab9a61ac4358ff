import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkJoiner } from './chunks.ts';
import { buildWorkbook, sheetXml, stylesXml, type WorkbookParts } from './build-zip.test-helper.ts';
import type { RowCells } from './row-cells.ts';
import { SheetParser } from './sheet-reader.ts';
import type { XlsxRow } from './types.ts';
import { writeXlsx, XlsxWorkbook } from './index.ts';
import { DEFAULT_LIMITS } from '../core/config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'xlsx-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function save(buf: Buffer): string {
  const file = path.join(dir, `w${n++}.xlsx`);
  writeFileSync(file, buf);
  return file;
}
async function rowsOf(parts: WorkbookParts, sheet?: string): Promise<XlsxRow[]> {
  const wb = await XlsxWorkbook.open(save(buildWorkbook(parts)));
  return wb.readAll(sheet ?? wb.sheets[0]!.name);
}

describe('XlsxWorkbook cell values', () => {
  it('reads every cell type', async () => {
    const rows = await rowsOf({
      sst: ['zero', 'one &amp; &lt;two&gt; &#65;&#x42;', 'a_x000D_b'],
      styles: stylesXml([0, 14, 22, 164, 165, 4], { 164: 'yyyy\\-mm\\-dd', 165: '0.00' }),
      sheets: [
        {
          name: 'S',
          xml: sheetXml(
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>' +
              '<row r="2"><c r="A2"><v>42</v></c><c r="B2" s="1"><v>45293</v></c><c r="C2" s="2"><v>45293.25</v></c>' +
              '<c r="D2" s="3"><v>60</v></c><c r="E2" s="4"><v>45293</v></c><c r="F2" s="5"><v>1.5E3</v></c></row>' +
              '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="b"><v>0</v></c><c r="C3" t="e"><v>#N/A</v></c>' +
              '<c r="D3" t="str"><f>A1&amp;"x"</f><v>zerox</v></c><c r="E3" t="inlineStr"><is><t xml:space="preserve">  in line </t></is></c>' +
              '<c r="F3" t="d"><v>2024-01-02T00:00:00Z</v></c></row>',
          ),
        },
      ],
    });
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['zero', 'one & <two> AB', 'a\rb'] },
      { rowNumber: 2, cells: [42, '2024-01-02', '2024-01-02T06:00:00', null, 45293, 1500] },
      { rowNumber: 3, cells: ['TRUE', 'FALSE', '#N/A', 'zerox', '  in line ', '2024-01-02'] },
    ]);
  });

  it('concatenates rich text runs and drops phonetic runs', async () => {
    const sst =
      '<sst xmlns="x"><si><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r></si>' +
      '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si><si/></sst>';
    const rows = await rowsOf({
      sst,
      sheets: [{ name: 'S', xml: sheetXml('<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>') }],
    });
    expect(rows).toEqual([{ rowNumber: 1, cells: ['Bold and plain', '漢字', ''] }]);
  });

  it('places cells without r sequentially, fills gaps, and handles self-closing cells and rows', async () => {
    const rows = await rowsOf({
      sheets: [
        {
          name: 'S',
          xml: sheetXml(
            '<row r="2"><c><v>1</v></c><c/><c><v>3</v></c><c r="F2"><v>6</v></c><c><v>7</v></c></row>' +
              '<row r="4"/><row><c r="c5" s="0"/><c r="B5"><v>2</v></c></row>',
          ),
        },
      ],
    });
    expect(rows).toEqual([
      { rowNumber: 2, cells: [1, null, 3, null, null, 6, 7] },
      { rowNumber: 4, cells: [] },
      { rowNumber: 5, cells: [null, 2] },
    ]);
  });

  it('accepts namespace prefixes, comments, CDATA and absolute targets', async () => {
    const rows = await rowsOf({
      absoluteTargets: true,
      workbookPr: '<workbookPr date1904="true"/>',
      styles: stylesXml([0, 14]),
      sheets: [
        {
          name: 'S',
          xml: sheetXml(
            '<!-- note --><x:row r="1"><x:c r="A1" t="str"><x:v><![CDATA[<raw> & ]]></x:v></x:c>' +
              '<x:c r="B1" s="1"><x:v>0</x:v></x:c></x:row>',
            'x',
          ),
        },
      ],
    });
    expect(rows).toEqual([{ rowNumber: 1, cells: ['<raw> & ', '1904-01-01'] }]);
  });

  it('lists sheets with state and resolves them case-insensitively', async () => {
    const buf = buildWorkbook({ sheets: [{ name: 'One', xml: sheetXml('') }, { name: 'Two', xml: sheetXml('<row><c><v>2</v></c></row>') }] });
    const wb = await XlsxWorkbook.open(save(buf));
    expect(wb.sheets).toEqual([
      { name: 'One', index: 0 },
      { name: 'Two', index: 1 },
    ]);
    expect(await wb.readAll('One')).toEqual([]);
    expect((await wb.readAll('two'))[0]!.cells).toEqual([2]);
    await expect(wb.readAll('Three')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('parses correctly whatever the chunk boundaries', async () => {
    const xml = Buffer.from(
      sheetXml(
        Array.from({ length: 40 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>t&amp;${i}</t></is></c><c r="C${i + 1}"><v>${i}.5</v></c></row>`).join(''),
      ),
    );
    const expected = Array.from({ length: 40 }, (_, i) => ({ rowNumber: i + 1, cells: [`t&${i}`, null, i + 0.5] }));
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const parser = new SheetParser({ sharedStrings: [], dateStyles: new Uint8Array(0), date1904: false, limits: DEFAULT_LIMITS });
      const joiner = new ChunkJoiner();
      const out: XlsxRow[] = [];
      const collect = (row: RowCells) => out.push({ rowNumber: row.rowNumber, cells: row.toArray() });
      for (let p = 0; p < xml.length; p += size) {
        const buf = joiner.push(xml.subarray(p, p + size));
        if (buf) joiner.consumed(buf, parser.parse(buf, collect, false));
      }
      parser.parse(joiner.rest(), collect, true);
      parser.assertComplete();
      expect(out).toEqual(expected);
    }
  });
});

describe('file handles', () => {
  it('closes the file when the consumer breaks early', async () => {
    const file = path.join(dir, 'many.xlsx');
    await writeXlsx(file, [{ name: 'S', rows: Array.from({ length: 50_000 }, (_, i) => [i, `s${i}`]) }]);
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const wb = await XlsxWorkbook.open(file);
    const before = fds();
    for (let i = 0; i < 20; i++) {
      for await (const batch of wb.rowBatches('S', 100)) {
        expect(batch.length).toBe(100);
        break;
      }
    }
    const rows: XlsxRow[] = [];
    for await (const batch of wb.rowBatches('S', 100)) {
      rows.push(...batch);
      if (rows.length >= 300) break;
    }
    expect(fds()).toBeLessThanOrEqual(before);
    expect((await wb.readAll('S')).length).toBe(50_000);
    await wb.close();
    await expect(wb.readAll('S')).rejects.toMatchObject({ code: 'bad_argument' });
  });
});
