/**
 * `handoff inspect` says what a real file is without touching the user's database, and a release
 * that lacks what a figure needs (no detainers; arrests without a state) answers "not available",
 * in the metrics and in reports, instead of a zero or a stop. Expected figures come from
 * ../shared/data/ice-real/SOURCES.md and from SQL over the loaded rows, not from the code under test.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetricsService, runMetric } from '../../src/metrics/index.ts';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import { inspectFiles } from '../../src/pipeline/inspect-files.ts';
import { renderReport } from '../../src/reports/index.ts';
import { SHARED_DIR } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';

const REAL = path.join(SHARED_DIR, 'data', 'ice-real');
const SEATTLE = '3_25_19 FOIA 2018-ICFO-36170 Seattle Encounters Arrests and Removals_LESA_STU_Final-redacted-no-pwd.xlsx';
const have = existsSync(REAL);
if (!have) console.warn(`skipping inspect tests on real files: ${REAL} is missing`);

describe.skipIf(!have)('handoff inspect on real files', () => {
  it('the Seattle workbook: six sheets of three families, header on row 6, the rows SOURCES.md gives, encounters undated', async () => {
    const before = readdirSync(path.dirname(tempDir()));
    const [f] = await inspectFiles([path.join(REAL, SEATTLE)]);
    expect(f!.status).toBe('readable');
    expect(f!.kind).toBe('arrests, encounters, removals');
    const sheets = Object.fromEntries(f!.sheets.map((s) => [s.sheet, [s.family, s.header_row, s.rows]]));
    expect(sheets).toEqual({
      'FY2017 Arrests': ['arrests', 6, 2656],
      'FY2017 Encounters': ['encounters', 6, 11712],
      'FY2017 Removals': ['removals', 6, 1917],
      'FY2018 Arrests': ['arrests', 6, 1410],
      'FY2018 Encounters': ['encounters', 6, 7829],
      'FY2018 Removals': ['removals', 6, 1267],
    });
    expect(f!.rows).toBe(2656 + 11712 + 1917 + 1410 + 7829 + 1267);
    // SOURCES.md: "encounters have no date column".
    const enc = f!.dates.find((d) => d.family === 'encounters')!;
    expect([enc.first, enc.undated]).toEqual([null, 11712 + 7829]);
    const arr = f!.dates.find((d) => d.family === 'arrests')!;
    expect(arr.first! >= '2016-10-01' && arr.last! <= '2018-09-30').toBe(true);
    // Redaction markers are reported per column; the arrests' birth dates are all redacted.
    expect(f!.redacted.find((r) => r.family === 'arrests' && r.column === 'birth_date')?.cells).toBe(2656 + 1410);
    // The scratch database is gone.
    expect(readdirSync(path.dirname(tempDir())).filter((n) => n.startsWith('handoff-inspect-'))).toEqual(before.filter((n) => n.startsWith('handoff-inspect-')));
  }, 120_000);

  it('a 287(g) sheet with a text SIGNED date, and a file that cannot load, each say what they are', async () => {
    const bad = path.join(tempDir(), 'notes.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'just,a\nnote,here\n');
    const [g, b] = await inspectFiles([path.join(REAL, 'participatingAgencies06272025am.xlsx'), bad]);
    expect([g!.status, g!.kind, g!.rows]).toEqual(['readable', 'agreements_287g', 737]);
    expect(g!.notes.join('\n')).toMatch(/2025-06-27/);
    expect(g!.notes.join('\n')).toMatch(/05\/082025.*2025-05-08/);
    expect(b!.status).toBe('unreadable');
    expect(b!.error?.message).toBeTruthy();
  }, 60_000);
});

describe.skipIf(!have)('figures a release cannot give are "not available"', () => {
  it('Seattle arrests give an AOR and no state: state figures are not available; AOR and nation figures are the rows\' counts', async () => {
    const db = path.join(tempDir(), 'seattle.duckdb');
    const summary = await ingestFiles([path.join(REAL, SEATTLE)], { dbPath: db });
    expect(summary.files[0]!.status).toBe('loaded');
    const store = await openReadOnly(db);
    try {
      const service = await MetricsService.create(store, { mode: 'public' });
      const wa = await runMetric(service, 'ice_arrests_by_method', { place: 'state:WA', grain: 'fiscal_year' });
      expect(wa.rows.every((r) => r.status === 'not_available' && r.count === null)).toBe(true);
      expect(wa.notes.join(' ')).toMatch(/give no state/);
      const byFy = await store.queryRows<{ fy: string; n: bigint }>(
        `SELECT 'FY' || (year(apprehension_date) + CASE WHEN month(apprehension_date) >= 10 THEN 1 ELSE 0 END) AS fy, count(*) AS n
         FROM arrests WHERE NOT coalesce(is_duplicate, false) GROUP BY 1 ORDER BY 1`,
      );
      for (const place of ['nation', `aor:${(await store.queryRow<{ a: string }>('SELECT any_value(apprehension_aor) AS a FROM arrests'))!.a}`]) {
        const r = await runMetric(service, 'ice_arrests_by_method', { place, grain: 'fiscal_year', by: 'total' });
        const got = Object.fromEntries(r.rows.map((x) => [x.period, x.count]));
        for (const { fy, n } of byFy) expect(got[fy], `${place} ${fy}`).toBe(Number(n));
      }
      // A report on a release without detainers renders, and says so.
      const { html } = await renderReport(service, { template: 'state', place: 'WA', period: 'FY2017', now: () => new Date('2026-12-01T00:00:00Z') });
      expect(html).toMatch(/Not available: no release loaded in this database has detainers/);
      expect(html).toMatch(/has detainers, so no change can be compared before and after/);
      // ... and names what the loaded release does hold, removals included, as the rows count them.
      const held = (await store.queryRow<{ a: number; r: number }>('SELECT (SELECT count(*) FROM arrests)::INTEGER AS a, (SELECT count(*) FROM removals)::INTEGER AS r'))!;
      expect(held.r).toBeGreaterThan(0);
      expect(html).toContain(`0 detainers, ${held.a} arrests, ${held.r} removals`);
    } finally {
      store.close();
    }
  }, 180_000);
});
