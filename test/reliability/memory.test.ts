/**
 * Ingest memory is bounded by configuration (issue 21 item 3), at CI size: each cap is set low so a
 * small generated file crosses it. A file over a cap fails as one `too_large` error that names the
 * file, the sheet and the limit (never `internal`, never DuckDB's "Current transaction is aborted"),
 * and the database is byte-for-byte as before. The same files under the default caps load.
 * The full-size cases (a 1.5 M-row sheet, forty sheets over one part) are `npm run bench:memory`.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/core/config.ts';
import { ingestFiles } from '../../src/pipeline/index.ts';
import { publishedHeaders } from '../helpers/published-headers.ts';
import { useBaseDatabase, sha256 } from '../helpers/base-database.ts';
import { rowOf, SIX_PREAMBLE, writeWorkbook } from '../helpers/workbooks.ts';

const H = publishedHeaders().july2025.detainers;
const base = useBaseDatabase('handoff-memory-', { protect: false });

/** Detainer rows, each with its own identifier and a distinct free text (so each adds distinct texts). */
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    rowOf(H, { 'Detainer Prepare Date': { date: '2024-03-01' }, 'Unique Identifier': `R${i}`, 'Facility State': 'TEXAS', 'Detention Facility': `JAIL ${i}` }),
  );

describe('per-file caps', () => {
  it('more distinct texts than maxDistinctTexts: too_large naming file, sheet and limit; nothing loaded', async () => {
    const file = await writeWorkbook(base.dir, 'varied.xlsx', [{ name: 'Detainers', preamble: SIX_PREAMBLE, headers: H, rows: rows(3000) }]);
    const { outcome, unchanged } = await base.ingestOne(file, 'varied', { maxDistinctTexts: 1000 });
    expect(outcome.status).toBe('failed');
    expect(outcome.error!.code).toBe('too_large');
    expect(outcome.error!.message).toContain('varied.xlsx');
    expect(outcome.error!.message).toContain('sheet "Detainers"');
    expect(outcome.error!.message).toMatch(/more than 1000 distinct texts \(the limit maxDistinctTexts\)/);
    expect(outcome.error!.location).toMatchObject({ file: 'varied.xlsx', sheet: 'Detainers' });
    expect(unchanged).toBe(true);
    // Under the default cap the same file loads whole.
    expect((await base.ingestOne(file, 'varied-ok')).outcome).toMatchObject({ status: 'loaded', rows: 3000 });
  });

  it('a delimited file over maxRows: too_large naming the file, the row and the limit; nothing loaded', async () => {
    const line = (values: string[]) => values.map((v) => `"${v}"`).join(',');
    const data = Array.from({ length: 300 }, (_, i) => line(H.map((h) => (h === 'Unique Identifier' ? `U${i}` : h === 'Detainer Prepare Date' ? '2024-02-01' : 'x'))));
    const file = path.join(base.dir, 'long.csv');
    writeFileSync(file, `${[line([...H]), ...data].join('\n')}\n`);
    const { outcome, unchanged } = await base.ingestOne(file, 'long-csv', { limits: { ...DEFAULT_LIMITS, maxRows: 200 } });
    expect(outcome.status).toBe('failed');
    expect(outcome.error!.code).toBe('too_large');
    expect(outcome.error!.message).toContain('long.csv');
    expect(outcome.error!.message).toMatch(/more than 200 rows \(the limit maxRows\)/);
    expect(outcome.error!.location).toMatchObject({ file: 'long.csv', row: 201 });
    expect(unchanged).toBe(true);
  });
});

describe("DuckDB's memory limit", () => {
  // Rows enough that the staging of one round needs more than a tiny buffer pool.
  let file: string;
  beforeAll(async () => {
    file = await writeWorkbook(base.dir, 'rows.xlsx', [{ name: 'Detainers', preamble: SIX_PREAMBLE, headers: H, rows: rows(20_000) }]);
  }, 60_000);

  for (const memoryLimit of ['2MB', '16MB']) {
    it(`rows that do not fit in a ${memoryLimit} writer: too_large naming file, sheet and memoryLimit, not "transaction is aborted"`, async () => {
      const { outcome, unchanged } = await base.ingestOne(file, `tight-${memoryLimit}`, { memoryLimit });
      expect(outcome.status).toBe('failed');
      expect(outcome.error!.code).toBe('too_large');
      expect(outcome.error!.message).toContain('rows.xlsx');
      expect(outcome.error!.message).toContain('sheet "Detainers"');
      expect(outcome.error!.message).toContain(`memory limit of ${memoryLimit} (the limit memoryLimit)`);
      expect(outcome.error!.message).not.toMatch(/^TransactionContext/);
      expect(outcome.error!.location).toMatchObject({ file: 'rows.xlsx', sheet: 'Detainers' });
      expect(unchanged).toBe(true);
    }, 60_000);
  }

  it('the same rows load under the default limit, with DuckDB spilling to a directory removed afterwards', async () => {
    const { outcome } = await base.ingestOne(file, 'roomy');
    expect(outcome).toMatchObject({ status: 'loaded', rows: 20_000 });
    expect(readFileSync(path.join(base.dir, 'roomy.duckdb')).length).toBeGreaterThan(0);
    const leftovers = (await import('node:fs')).readdirSync(base.dir).filter((f) => f.startsWith('roomy.duckdb.'));
    expect(leftovers).toEqual([]);
  }, 60_000);
});

describe("DuckDB's memory limit after reading", () => {
  it('a release whose lifecycles do not fit in derivedMemoryLimit: too_large naming the step and limit; the database as before', async () => {
    const file = await writeWorkbook(base.dir, 'derived.xlsx', [{ name: 'Detainers', preamble: SIX_PREAMBLE, headers: H, rows: rows(20_000) }]);
    const db = path.join(base.dir, 'derived.duckdb');
    copyFileSync(base.path, db);
    const before = sha256(db);
    const error = await ingestFiles([file], { dbPath: db, link: true, protect: false, derivedMemoryLimit: '1MB' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'too_large' });
    expect(String((error as Error).message)).toMatch(/need more than DuckDB's memory limit of 1MB \(the limit derivedMemoryLimit\); nothing was written/);
    expect(sha256(db)).toBe(before);
  }, 60_000);
});
