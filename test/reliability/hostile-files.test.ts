/**
 * Hostile ingest files (issue 21), turned into standing tests: each fails as one clear `bad_input`
 * (or `too_large`) naming the file, and where it applies the sheet and the limit, instead of an
 * `internal` error or a misleading message; the database is left as it was.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/core/config.ts';
import { buildZip } from '../../src/xlsx/build-zip.test-helper.ts';
import { ZipArchive } from '../../src/xlsx/zip.ts';
import { publishedHeaders } from '../helpers/published-headers.ts';
import { useBaseDatabase } from '../helpers/base-database.ts';
import { rowOf, SIX_PREAMBLE, writeWorkbook } from '../helpers/workbooks.ts';

const H = publishedHeaders().july2025.detainers;
const base = useBaseDatabase('handoff-hostile-');

/** A detainers CSV: the header line, then `rows` data lines with `fill` in the other cells. */
function csvText(rows: number, fill = 'x'): string {
  const line = (values: string[]) => values.map((v) => `"${v}"`).join(',');
  const data = Array.from({ length: rows }, (_, i) => line(H.map((h) => (h === 'Unique Identifier' ? `U${i}` : h === 'Detainer Prepare Date' ? '2024-02-01' : fill))));
  return `${[line([...H]), ...data].join('\n')}\n`;
}

describe('delimited text that is not UTF-8', () => {
  it('a Latin-1 byte in the first lines: bad_input that says the file is not UTF-8, with its offset and line', async () => {
    const text = Buffer.from(csvText(3), 'utf8');
    const at = text.indexOf('\n', text.indexOf('\n') + 1) + 5; // inside the second data line
    const bytes = Buffer.concat([text.subarray(0, at), Buffer.from([0xe9]), text.subarray(at)]);
    const file = path.join(base.dir, 'latin1-head.csv');
    writeFileSync(file, bytes);
    const { outcome, unchanged } = await base.ingestOne(file, 'latin1-head');
    expect(outcome.status).toBe('failed');
    expect(outcome.error!.code).toBe('bad_input');
    expect(outcome.error!.message).toContain('latin1-head.csv');
    expect(outcome.error!.message).toMatch(/not valid UTF-8 text/);
    expect(outcome.error!.message).toContain(`byte 0xE9 at byte offset ${at}`);
    expect(outcome.error!.message).toContain('(line 3)');
    expect(outcome.error!.message).not.toMatch(/no sheet with a table/);
    expect(unchanged).toBe(true);
  });

  it('an invalid byte far past the first 64 KB is found while streaming, at its offset', async () => {
    // Valid two-byte characters before it (so the offset counts bytes, not characters), then 0xFF.
    const text = Buffer.from(csvText(2000, '\u00e9'), 'utf8');
    expect(text.length).toBeGreaterThan(200 * 1024);
    const at = text.length - 50;
    const bytes = Buffer.concat([text.subarray(0, at), Buffer.from([0xff]), text.subarray(at)]);
    const file = path.join(base.dir, 'bad-tail.csv');
    writeFileSync(file, bytes);
    const { outcome, unchanged } = await base.ingestOne(file, 'bad-tail');
    expect(outcome.status).toBe('failed');
    expect(outcome.error!.code).toBe('bad_input');
    expect(outcome.error!.message).toContain(`byte 0xFF at byte offset ${at}`);
    expect(outcome.error!.message).toContain(`(line ${text.subarray(0, at).toString('latin1').split('\n').length})`);
    expect(unchanged).toBe(true);
  });

  it('valid UTF-8 with multi-byte characters across every chunk boundary still loads', async () => {
    // Each cell holds a 3-byte and a 4-byte character, so the 64 KB read chunks (about 4 here) split some.
    const line = (values: string[]) => values.map((v) => `"${v}"`).join(',');
    const data = Array.from({ length: 400 }, (_, i) => line(H.map((h) => (h === 'Unique Identifier' ? `U${i}` : h === 'Detainer Prepare Date' ? '2024-02-01' : 'a\u20ac\u{1F600}'))));
    const file = path.join(base.dir, 'multibyte.csv');
    const bytes = Buffer.from(`\ufeff${[line([...H]), ...data].join('\n')}\n`, 'utf8');
    // At least one 64 KB chunk starts on a continuation byte, i.e. inside a character.
    expect([1, 2, 3].some((k) => ((bytes[k * 65_536] ?? 0) & 0xc0) === 0x80)).toBe(true);
    writeFileSync(file, bytes);
    const { outcome } = await base.ingestOne(file, 'multibyte');
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe('loaded');
    expect(outcome.rows).toBe(400);
  });
});

/** The workbook at `file` rewritten so that `copies` more sheets point at its first sheet's part. */
async function withSharedPart(file: string, copies: number): Promise<string> {
  const archive = await ZipArchive.open(file, path.basename(file), DEFAULT_LIMITS);
  const entries = [];
  for (const e of archive.list()) {
    let data = (await archive.readEntry(e, 1 << 30)).toString('utf8');
    if (e.name === 'xl/workbook.xml') {
      const extra = Array.from({ length: copies }, (_, i) => `<sheet name="Copy ${i + 1}" sheetId="${i + 100}" r:id="rIdCopy${i}"/>`).join('');
      data = data.replace('</sheets>', `${extra}</sheets>`);
      expect(data).toContain('Copy 1');
    }
    if (e.name === 'xl/_rels/workbook.xml.rels') {
      const target = /Type="[^"]*\/worksheet" Target="([^"]+)"/.exec(data)![1];
      const extra = Array.from({ length: copies }, (_, i) => `<Relationship Id="rIdCopy${i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${target}"/>`).join('');
      data = data.replace('</Relationships>', `${extra}</Relationships>`);
    }
    entries.push({ name: e.name, data });
  }
  const out = file.replace(/\.xlsx$/, `-shared-${copies}.xlsx`);
  writeFileSync(out, buildZip(entries));
  return out;
}

describe('workbooks that multiply their rows', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => rowOf(H, { 'Detainer Prepare Date': { date: '2024-03-01' }, 'Unique Identifier': `R${i}` }));

  it('40 sheets over one worksheet part: refused as bad_input naming the file and the sheets, nothing loaded', async () => {
    const file = await writeWorkbook(base.dir, 'one-part.xlsx', [{ name: 'Detainers', preamble: SIX_PREAMBLE, headers: H, rows: rows(50) }]);
    const hostile = await withSharedPart(file, 40);
    const { outcome, unchanged } = await base.ingestOne(hostile, 'shared-part');
    expect(outcome.status).toBe('failed');
    expect(outcome.error!.code).toBe('bad_input');
    expect(outcome.error!.message).toContain('one-part-shared-40.xlsx');
    expect(outcome.error!.message).toMatch(/sheets "Detainers" and "Copy 1" both point at the worksheet part/);
    expect(unchanged).toBe(true);
    // The same workbook without the copies loads its 50 rows.
    expect((await base.ingestOne(file, 'one-part')).outcome).toMatchObject({ status: 'loaded', rows: 50 });
  });

  it('a sheet over the row cap fails as one error naming file, sheet and limit, and loads nothing of it', async () => {
    const file = await writeWorkbook(base.dir, 'long.xlsx', [{ name: 'Detainers', preamble: SIX_PREAMBLE, headers: H, rows: rows(300) }]);
    const { outcome, unchanged } = await base.ingestOne(file, 'long', { limits: { ...DEFAULT_LIMITS, maxSheetRows: 200 } });
    expect(outcome.status).toBe('failed');
    expect(outcome.error!.code).toBe('too_large');
    expect(outcome.error!.message).toContain('long.xlsx');
    expect(outcome.error!.message).toContain('sheet "Detainers"');
    expect(outcome.error!.message).toMatch(/more than 200 rows .*maxSheetRows/);
    expect(outcome.error!.location).toMatchObject({ file: 'long.xlsx', sheet: 'Detainers', row: 201 });
    expect(unchanged).toBe(true);
  });
});
