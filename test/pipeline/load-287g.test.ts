/**
 * ICE's 287(g) sheets through the ingest pipeline, from the real public files in ../shared/data/287g:
 * a participating-agencies sheet (trailing spaces, date cells, pending sheet) and the dated snapshot
 * series, which becomes first and last appearance per agency.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import { SHARED_DIR } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';

const DIR = path.join(SHARED_DIR, 'data/287g');

describe('287(g) sheets through the pipeline', () => {
  it('loads the participating and pending sheets and the snapshot series, each as a dated release, once', async () => {
    const db = path.join(tempDir(), 'h.duckdb');
    const files = ['participatingAgencies05182026am.xlsx', 'pendingAgencies12312025am.xlsx', 'agreements.csv'].map((f) => path.join(DIR, f));
    const first = await ingestFiles(files, { dbPath: db });
    expect(first.files.map((f) => f.status)).toEqual(['loaded', 'loaded', 'loaded']);
    expect(new Set(first.files.map((f) => f.releaseId)).size).toBe(3);
    const again = await ingestFiles(files, { dbPath: db });
    expect(again.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const store = await openReadOnly(db);
    try {
      const sheets = await store.queryRows(
        'SELECT status, snapshot_date::VARCHAR AS d, count(*) AS n, count(county_fips) AS with_fips FROM agreements_287g GROUP BY ALL ORDER BY status',
      );
      expect(sheets).toEqual([
        { status: 'participating', d: '2026-05-18', n: '1843', with_fips: expect.any(String) },
        { status: 'pending', d: '2025-12-31', n: '24', with_fips: '24' },
      ]);
      // Trailing spaces are gone from the values the sheet carries them in.
      const spaced = await store.queryRow("SELECT count(*) AS n FROM agreements_287g WHERE agency <> trim(agency) OR support_type_raw <> trim(support_type_raw)");
      expect(spaced!.n).toBe('0');
      const spans = await store.queryRow(
        "SELECT count(DISTINCT state || agency) AS agencies, min(first_seen)::VARCHAR AS first, max(last_seen)::VARCHAR AS last FROM agreement_287g_spans",
      );
      expect(spans).toEqual({ agencies: '622', first: '2025-05-16', last: '2025-07-03' });
      const kinds = await store.queryRows("SELECT DISTINCT kind FROM releases ORDER BY 1");
      expect(kinds).toEqual([{ kind: 'agreements_287g' }]);
    } finally {
      store.close();
    }
  });
});
