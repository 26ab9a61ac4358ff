import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestFiles, openReadOnly } from '../pipeline/index.ts';
import { ZipWriter } from '../xlsx/zip-writer.ts';
import { tempDir } from '../../test/helpers/tmp.ts';
import { DEFAULT_LIMITS } from '../core/config.ts';
import { containerOf } from './containers.ts';

/** A small detainer CSV in the 2015 layout (FOIA 15-87693 headers), `n` rows, generated. */
function detainerCsv(n: number): string {
  const lines = ['Prepare Date,Detainer Type,Det Facility,State,City,Lift Reason'];
  for (let i = 0; i < n; i++) lines.push(`10/${(i % 28) + 1}/2014,I247D,COUNTY JAIL ${i % 3},TEXAS,HOUSTON,${i % 2 ? 'Booked into Detention' : ''}`);
  return `${lines.join('\n')}\n`;
}

async function rowsOf(db: string): Promise<{ source_file: string; n: number }[]> {
  const store = await openReadOnly(db);
  try {
    const rows = await store.queryRows<{ source_file: string; n: bigint }>(
      'SELECT source_file, count(*) AS n FROM detainers GROUP BY source_file ORDER BY source_file',
    );
    return rows.map((r) => ({ source_file: r.source_file, n: Number(r.n) }));
  } finally {
    store.close();
  }
}

describe('containers', () => {
  it('reads a gzipped CSV under its own name, every row', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'detainers-2015.csv.gz');
    writeFileSync(file, gzipSync(detainerCsv(40)));
    expect(await containerOf(file, DEFAULT_LIMITS)).toBe('gzip');
    const summary = await ingestFiles([file], { dbPath: path.join(dir, 'h.duckdb'), link: false });
    expect(summary.files.map((f) => [f.file, f.status, f.rows])).toEqual([['detainers-2015.csv.gz', 'loaded', 40]]);
    expect(await rowsOf(path.join(dir, 'h.duckdb'))).toEqual([{ source_file: 'detainers-2015.csv.gz', n: 40 }]);
  });

  it('reads the tables inside a zip (a gzip among them), names each by archive and member, and lists what it skipped', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'production.zip');
    const zip = await ZipWriter.create(file);
    await zip.addEntry('data/a.csv', [Buffer.from(detainerCsv(12))], 6);
    await zip.addEntry('b.csv.gz', [gzipSync(detainerCsv(7))], 0);
    await zip.addEntry('cover letter.pdf', [Buffer.from('%PDF-1.4 not a table')], 6);
    await zip.addEntry('__MACOSX/._a.csv', [Buffer.from('junk')], 6);
    await zip.finish();
    expect(await containerOf(file, DEFAULT_LIMITS)).toBe('zip');
    const db = path.join(dir, 'h.duckdb');
    const summary = await ingestFiles([file], { dbPath: db, link: false });
    expect(summary.files.map((f) => [f.file, f.status, f.rows, f.archive])).toEqual([
      ['production.zip:data/a.csv', 'loaded', 12, 'production.zip'],
      ['production.zip:b.csv.gz', 'loaded', 7, 'production.zip'],
    ]);
    expect(summary.files[0]!.skippedMembers).toEqual(['production.zip:cover letter.pdf']);
    expect(await rowsOf(db)).toEqual([
      { source_file: 'production.zip:b.csv.gz', n: 7 },
      { source_file: 'production.zip:data/a.csv', n: 12 },
    ]);
  });

  it('a truncated gzip fails as that one file, with a clear error; the other file loads', async () => {
    const dir = tempDir();
    const whole = gzipSync(detainerCsv(500));
    const bad = path.join(dir, 'cut.csv.gz');
    writeFileSync(bad, whole.subarray(0, Math.floor(whole.length / 2)));
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, detainerCsv(5));
    const db = path.join(dir, 'h.duckdb');
    const summary = await ingestFiles([bad, good], { dbPath: db, link: false });
    const byName = Object.fromEntries(summary.files.map((f) => [f.file, f]));
    expect(byName['cut.csv.gz']!.status).toBe('failed');
    expect(byName['cut.csv.gz']!.error!.code).toBe('truncated');
    expect(byName['good.csv']!.status).toBe('loaded');
    expect(await rowsOf(db)).toEqual([{ source_file: 'good.csv', n: 5 }]);
  });

  it('a workbook is not unpacked: an xlsx is a zip but reads as itself', async () => {
    const xlsx = path.join(tempDir(), 'w.xlsx');
    const { writeXlsx } = await import('../xlsx/index.ts');
    await writeXlsx(xlsx, [{ name: 'Sheet1', rows: [['a', 'b'], [1, 2]] }]);
    expect(await containerOf(xlsx, DEFAULT_LIMITS)).toBe('none');
    expect(readFileSync(xlsx).subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
