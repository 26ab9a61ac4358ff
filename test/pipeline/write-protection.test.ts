/**
 * The cube and protection written at ingest (src/pipeline/write-protection.ts) are the ones the
 * server would compute: same cells, counts, day values, withheld cells and bounds, and so the same
 * answers; a stale row (other cells, another layout) is ignored, not trusted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Cube, decodeProtection, decodeSnapshot, encodeProtection, encodeSnapshot, METRICS, MetricsService, runMetric } from '../../src/metrics/index.ts';
import { writeProtection } from '../../src/pipeline/write-protection.ts';
import { migrate, Store } from '../../src/store/index.ts';
import { buildFixtureDb, MAIN } from '../metrics/fixture.ts';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-protect-'));
  db = await buildFixtureDb(dir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('stored protection equals the computed one, and the server uses it', async () => {
  const w = await Store.open(db);
  await migrate(w);
  const written = await writeProtection(w, MAIN, new Date('2026-01-01T00:00:00Z'));
  expect(written.map((x) => x.universe).sort()).toEqual(['arrests', 'detainers']);
  await w.run('CHECKPOINT');
  w.close();
  const store = await Store.open(db, { readOnly: true });
  try {
    const fresh = await MetricsService.create(store, { mode: 'public', useStored: false });
    const served = await MetricsService.create(store, { mode: 'public' });
    for (const universe of ['detainers', 'arrests'] as const) {
      const a = (await fresh.cube(MAIN, universe)).cube;
      const b = (await served.cube(MAIN, universe)).cube;
      expect(a.fromStore).toBe(false);
      expect(b.fromStore).toBe(true);
      expect(b.fingerprint()).toBe(a.fingerprint());
      for (let i = 0; i < a.groupList.length; i++) {
        const ga = a.groupList[i]!;
        const gb = b.groupList[i]!;
        expect(`${gb.unit}|${gb.period}`).toBe(`${ga.unit}|${ga.period}`);
        expect([...gb.counts]).toEqual([...ga.counts]);
        expect([...gb.days.entries()]).toEqual([...ga.days.entries()]);
        for (let s = 0; s < ga.counts.length; s++) {
          if (!ga.mask[s]) continue;
          expect(gb.pub[s]).toBe(ga.pub[s]);
          // A published cell's bounds are its count and are not stored; only a withheld cell's are read.
          if (!ga.pub[s]) expect([gb.lb[s], gb.ub[s]]).toEqual([ga.lb[s], ga.ub[s]]);
        }
      }
      expect([...b.units.values()]).toEqual([...a.units.values()]);
      expect([b.records, b.firstMonth, b.lastMonth, b.slots]).toEqual([a.records, a.firstMonth, a.lastMonth, a.slots]);
    }
    // Every metric answers the same from the stored cube as from the records.
    for (const m of METRICS) {
      for (const params of [{}, { place: 'state:MA', grain: 'fiscal_year' }, { grain: 'quarter', from: '2024-11', to: '2025-04' }]) {
        const x = await runMetric(fresh, m.id, params).then((r) => r.rows, (e: Error) => e.message);
        const y = await runMetric(served, m.id, params).then((r) => r.rows, (e: Error) => e.message);
        expect(y, `${m.id} ${JSON.stringify(params)}`).toEqual(x);
      }
    }
  } finally {
    store.close();
  }
});

test('a stored protection of other cells is ignored', async () => {
  const store = await Store.open(db, { readOnly: true });
  try {
    const service = await MetricsService.create(store, { mode: 'public', useStored: false });
    const cube = (await service.cube(MAIN, 'arrests')).cube;
    const p = cube.exportProtection();
    const back = decodeProtection(encodeProtection(p), p.fingerprint, p.stats);
    expect([...back.cells]).toEqual([...p.cells]);
    expect([...back.high]).toEqual([...p.high]);
    const { Cube, loadArrestFacts } = await import('../../src/metrics/index.ts');
    const facts = (await loadArrestFacts(store, MAIN)).facts;
    const stale = Cube.build(facts.slice(1), { universe: 'arrests', releaseId: MAIN, suppress: true, stored: back });
    expect(stale.fromStore).toBe(false);
    const same = Cube.build(facts, { universe: 'arrests', releaseId: MAIN, suppress: true, stored: back });
    expect(same.fromStore).toBe(true);
  } finally {
    store.close();
  }
});

test('a stored cube written for another layout, or without its protection, is not used in public', async () => {
  const store = await Store.open(db, { readOnly: true });
  try {
    const service = await MetricsService.create(store, { mode: 'public', useStored: false });
    const build = await service.cube(MAIN, 'detainers');
    const snap = decodeSnapshot(encodeSnapshot({ snapshot: build.cube.toSnapshot(), source: build.source, excludedUndated: build.excludedUndated }))!;
    expect(Cube.restore(snap.snapshot, true)?.fingerprint()).toBe(build.cube.fingerprint());
    expect(Cube.restore({ ...snap.snapshot, layout: 'p0-00000000-1' }, true)).toBeUndefined();
    expect(Cube.restore({ ...snap.snapshot, protection: undefined }, true)).toBeUndefined();
    // Private mode publishes every planned cell of the same counts.
    const priv = Cube.restore({ ...snap.snapshot, protection: undefined }, false)!;
    expect(priv.groupList.every((g) => g.counts.every((c, s) => !g.mask[s] || (g.pub[s] === 1 && g.lb[s] === c)))).toBe(true);
  } finally {
    store.close();
  }
});
