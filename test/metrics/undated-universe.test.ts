/**
 * A release whose rows of a family all lack the date that places them in a period (the real 2019
 * Seattle workbook: removals without "Departed Date") answers "not available" in words, naming how
 * many rows it holds; never an exact 0 and never a period made up from an empty cube. Reads the real
 * file from ../shared and skips with a message when it is missing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MetricsService, runMetric } from '../../src/metrics/index.ts';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import type { Store } from '../../src/store/index.ts';
import { SHARED_DIR } from '../helpers/published-headers.ts';

const FILE = path.join(SHARED_DIR, 'data/ice-real/3_25_19 FOIA 2018-ICFO-36170 Seattle Encounters Arrests and Removals_LESA_STU_Final-redacted-no-pwd.xlsx');
const HAVE = existsSync(FILE);
if (!HAVE) console.warn(`SKIPPED undated-universe tests: ${FILE} is missing (../shared/data/ice-real).`);

describe.skipIf(!HAVE)('a family with no dated rows (real Seattle 2019 workbook)', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'handoff-undated-'));
    const db = path.join(dir, 'sea.duckdb');
    await ingestFiles([FILE], { dbPath: db });
    store = await openReadOnly(db);
  }, 120_000);
  afterAll(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('removals: no rows, and a note that says how many rows carry no departure date', async () => {
    const rows = await store.queryRow<{ n: string; dated: string }>('SELECT count(*) AS n, count(departed_date) AS dated FROM removals');
    expect(Number(rows!.n)).toBeGreaterThan(0);
    expect(Number(rows!.dated), 'the file gives no Departed Date').toBe(0);
    const svc = await MetricsService.create(store, { mode: 'public' });
    for (const id of ['removals', 'removals_after_detainer']) {
      const r = await runMetric(svc, id, { grain: 'total' });
      expect(r.rows, id).toEqual([]);
      expect(r.notes.join(' '), id).toContain(`${Number(rows!.n).toLocaleString('en-US')} rows of removals carry no departure date`);
    }
    // The dated families of the same file still answer with the records' counts.
    const arrests = await runMetric(svc, 'ice_arrests_by_method', { grain: 'total', by: 'total' });
    const dated = await store.queryRow<{ n: string }>('SELECT count(*) AS n FROM arrests WHERE NOT coalesce(is_duplicate, false) AND apprehension_date IS NOT NULL');
    expect(arrests.rows[0]!.count).toBe(Number(dated!.n));
  });
});
