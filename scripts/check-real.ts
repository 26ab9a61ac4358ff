/**
 * Ingests every real ICE file in ../shared/data/ice-real on its own, into a fresh database each, and
 * prints per file: status, families and rows loaded, the data lines of the file (delimited files,
 * counted from the bytes), rejects, unparseable values, coded values no vocabulary knows (values /
 * rows), seconds. For the delimited files it also times DuckDB's own read_csv of the same bytes.
 * Usage: npm run check:real [-- DIR]
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ingestFiles, openReadOnly, readStatus } from '../src/pipeline/index.ts';
import { Store } from '../src/store/index.ts';

const dir = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/ice-real/', import.meta.url));
const files = readdirSync(dir).filter((f) => /\.(xlsx|csv|txt|gz|zip)$/i.test(f)).sort();
const scratch = mkdtempSync(path.join(tmpdir(), 'handoff-check-real-'));
const table: string[][] = [['file', 'status', 'rows', 'lines in file', 'by family', 'rejects', 'unparseable', 'unknown values', 'seconds', 'duckdb read_csv s']];
try {
  for (const file of files) {
    const db = path.join(scratch, `${file}.duckdb`);
    const started = performance.now();
    const summary = await ingestFiles([path.join(dir, file)], { dbPath: db });
    const seconds = (performance.now() - started) / 1000;
    let duck = '';
    let lines = '';
    let unknown = '';
    if (summary.files.some((f) => f.status === 'loaded')) {
      const store = await openReadOnly(db);
      try {
        const u = (await readStatus(store)).unknownValues;
        unknown = u.length ? `${u.length} / ${u.reduce((n, v) => n + Number(v.rows), 0)}` : '0';
      } finally {
        store.close();
      }
    }
    if (/\.csv\.gz$/i.test(file)) {
      const plain = path.join(scratch, file.replace(/\.gz$/i, ''));
      const bytes = gunzipSync(readFileSync(path.join(dir, file)));
      writeFileSync(plain, bytes);
      // Data lines: after the 5-line preamble and the header, not blank.
      lines = String(bytes.toString('utf8').split(/\r?\n/).slice(6).filter((l) => l.replace(/\|/g, '').trim() !== '').length);
      const store = await Store.open(':memory:');
      const t0 = performance.now();
      await store.run(`CREATE TABLE t AS SELECT * FROM read_csv('${plain.replace(/'/g, "''")}', delim = '|', skip = 5, header = true, all_varchar = true)`);
      duck = ((performance.now() - t0) / 1000).toFixed(2);
      store.close();
    }
    for (const f of summary.files) {
      table.push([
        f.file.length > 60 ? `${f.file.slice(0, 57)}...` : f.file,
        f.status === 'failed' ? `failed: ${f.error?.code}` : f.status,
        String(f.rows ?? ''),
        lines,
        Object.entries(f.tables ?? {}).map(([k, v]) => `${k} ${v}`).join(', '),
        String(f.rejects ?? ''),
        Object.entries(f.unparseable ?? {}).map(([k, v]) => `${k} ${v}`).join(', '),
        unknown,
        seconds.toFixed(2),
        duck,
      ]);
      if (f.status === 'failed') console.error(`${f.file}: ${f.error?.message}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join('  '));
