/**
 * A small base database (one detainer, July 2025 layout) built once per test file in a temp dir, and
 * ingests of a file into a fresh copy of it that say whether the copy changed: for the tests of files
 * that must fail without touching what was loaded.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ingestFiles, type IngestOptions } from '../../src/pipeline/index.ts';
import { publishedHeaders } from './published-headers.ts';
import { rowOf, SIX_PREAMBLE, writeWorkbook } from './workbooks.ts';

/** SHA-256 of a file, to tell a database byte-for-byte unchanged. */
export const sha256 = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

export interface BaseDatabase {
  /** The temp dir (files and copies go here). */
  readonly dir: string;
  /** The base database's path. */
  readonly path: string;
  /** Ingests `file` into `<dir>/<name>.duckdb`, a fresh copy of the base (linking off unless `options` say). */
  ingestOne(file: string, name: string, options?: Partial<IngestOptions>): Promise<{ outcome: Awaited<ReturnType<typeof ingestFiles>>['files'][number]; unchanged: boolean }>;
}

/** Registers the file's beforeAll/afterAll; `defaults` apply to every ingestOne. */
export function useBaseDatabase(prefix: string, defaults: Partial<IngestOptions> = {}): BaseDatabase {
  let dir = '';
  const base: BaseDatabase = {
    get dir() {
      return dir;
    },
    get path() {
      return path.join(dir, 'base.duckdb');
    },
    async ingestOne(file, name, options = {}) {
      const db = path.join(dir, `${name}.duckdb`);
      copyFileSync(base.path, db);
      const before = sha256(db);
      const summary = await ingestFiles([file], { dbPath: db, link: false, ...defaults, ...options });
      return { outcome: summary.files[0]!, unchanged: sha256(db) === before };
    },
  };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
    const H = publishedHeaders().july2025.detainers;
    const small = await writeWorkbook(dir, 'small.xlsx', [{ preamble: SIX_PREAMBLE, headers: H, rows: [rowOf(H, { 'Detainer Prepare Date': { date: '2024-01-01' }, 'Unique Identifier': 'S1' })] }]);
    await ingestFiles([small], { dbPath: base.path, link: false });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return base;
}
