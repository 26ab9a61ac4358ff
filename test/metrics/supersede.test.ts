/**
 * Two real releases that cover the same months cannot be differenced in public: the months a newer
 * release covers are served from it only, the older one's rows of those months read "not available"
 * and its ledger says it is superseded. Private mode serves both. A synthetic release is never
 * superseded by a real one (their difference says nothing about any record).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { METRICS, MetricsService, qualityLedger, runMetric } from '../../src/metrics/index.ts';
import { Store } from '../../src/store/index.ts';
import { alterFixture, buildFixtureDb, DEMO, LATER, LATER_RELEASE, MAIN } from './fixture.ts';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-supersede-'));
  const db = await buildFixtureDb(dir);
  await alterFixture(db, LATER_RELEASE);
  store = await Store.open(db, { readOnly: true });
}, 120_000);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('public: the older release is not published for the months the newer covers; nothing can be differenced', async () => {
  const pub = await MetricsService.create(store, { mode: 'public' });
  expect(pub.supersessions(MAIN, 'detainers').map((x) => x.by.release_id)).toEqual([LATER]);
  expect(pub.supersessions(DEMO, 'detainers')).toEqual([]);
  expect(pub.supersessions(LATER, 'detainers')).toEqual([]);
  let compared = 0;
  // The fixture's real releases hold detainers and arrests (its removals are in the synthetic one).
  for (const m of METRICS.filter((x) => x.universe === 'detainers' || x.universe === 'arrests')) {
    for (const params of [{ grain: 'month' }, { grain: 'fiscal_year', place: 'state:MA' }, { grain: 'total' }]) {
      const old = await runMetric(pub, m.id, { ...params, release: MAIN });
      const now = await runMetric(pub, m.id, { ...params, release: LATER });
      expect(old.notes.join(' '), m.id).toMatch(/Superseded/);
      const published = (rows: typeof old.rows) => rows.filter((r) => typeof r.count === 'number');
      const key = (r: (typeof old.rows)[number]) => `${r.period}|${r.value}`;
      const newer = new Map(published(now.rows).map((r) => [key(r), r.count as number]));
      // No cell is published by both releases, so no difference of two published cells exists.
      for (const r of published(old.rows)) {
        compared++;
        expect(newer.has(key(r)), `${m.id} ${key(r)} published in both`).toBe(false);
      }
      expect(old.quality).toEqual([]);
    }
  }
  expect(compared).toBe(0);
  const ledger = (await qualityLedger(pub)).rows;
  expect(ledger.filter((r) => r.release_id === MAIN).map((r) => r.measure)).toEqual(['superseded']);
  expect(ledger.some((r) => r.release_id === LATER && r.measure === 'records_published')).toBe(true);
});

test('the newer release gives the records\' counts; private mode serves both releases', async () => {
  const priv = await MetricsService.create(store, { mode: 'private' });
  for (const release of [MAIN, LATER]) {
    const r = await runMetric(priv, 'detainers_issued', { grain: 'total', release });
    const n = await store.queryRow<{ n: bigint }>(
      `SELECT count(*) AS n FROM detainers WHERE release_id = '${release}' AND NOT coalesce(is_duplicate, false) AND detainer_prepare_date IS NOT NULL`,
    );
    expect(r.rows[0]!.count).toBe(Number(n!.n));
    expect(r.notes.join(' ')).not.toMatch(/Superseded/);
  }
});
