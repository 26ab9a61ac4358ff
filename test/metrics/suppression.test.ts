/**
 * Differencing attacks on the public cube of the fixture: every public figure is a sum of published
 * month cells; for every pair of figures whose record sets nest, and for every parent minus the sum
 * of its published children, the difference must be 0 or at least 11.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Cube, loadArrestFacts, loadDetainerFacts, MetricsService, monthIndex, periodsOf, GRAINS, type BaseFact } from '../../src/metrics/index.ts';
import { Store } from '../../src/store/index.ts';
import { buildFixtureDb, MAIN } from './fixture.ts';

let dir: string;
let store: Store;
let service: MetricsService;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-supp-'));
  store = await Store.open(await buildFixtureDb(dir), { readOnly: true });
  service = await MetricsService.create(store, { mode: 'public' });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Fig {
  label: string;
  set: bigint;
  n: number;
}

function popcount(x: bigint): number {
  let n = 0;
  while (x) {
    x &= x - 1n;
    n++;
  }
  return n;
}

/** Every public figure (unit × period of every grain × slot) as the set of records it counts. */
function figures(cube: Cube, facts: BaseFact[]): { figs: Fig[]; cellSets: Map<string, bigint> } {
  const cellSets = new Map<string, bigint>(); // published cell → record set
  facts.forEach((f, i) => {
    const month = monthIndex(f.date);
    const slots = [0, ...cube.dims.map((d) => cube.slot(d.id, d.derive(f))!)];
    for (const u of cube.unitsOf(f)) {
      const g = cube.group(u, month)!;
      for (const s of slots) {
        if (!g.pub[s]) continue;
        const k = `${u}|${month}|${s}`;
        cellSets.set(k, (cellSets.get(k) ?? 0n) | (1n << BigInt(i)));
      }
    }
  });
  const figs: Fig[] = [];
  for (const grain of GRAINS) {
    for (const p of periodsOf(cube.firstMonth, cube.lastMonth, grain)) {
      for (const u of cube.units.keys()) {
        for (let s = 0; s < cube.slots.length; s++) {
          let set = 0n;
          for (const m of p.months) set |= cellSets.get(`${u}|${m}|${s}`) ?? 0n;
          const fig = cube.figure(u, p.months, [s]);
          const n = popcount(set);
          expect(fig.count ?? 0).toBe(n);
          figs.push({ label: `${u} ${p.period} ${cube.slots[s]!.dim}=${cube.slots[s]!.value}`, set, n });
        }
      }
    }
  }
  return { figs, cellSets };
}

function attackPairs(figs: Fig[]): string[] {
  const leaks: string[] = [];
  const sorted = [...figs].sort((a, b) => a.n - b.n);
  let lo = 0;
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    while (sorted[lo]!.n < a.n - 10) lo++;
    for (let j = lo; j < i; j++) {
      const b = sorted[j]!;
      const d = a.n - b.n;
      if (d >= 1 && d <= 10 && (a.set & b.set) === b.set) leaks.push(`${a.label} − ${b.label} = ${d}`);
    }
  }
  return leaks;
}

describe.each(['detainers', 'arrests'] as const)('%s cube', (universe) => {
  test('no published cell holds 1-10, and the suppression reached a fixed point', async () => {
    const { cube } = await service.cube(MAIN, universe);
    let withheld = 0;
    for (const g of cube.groups.values()) {
      for (let s = 0; s < g.counts.length; s++) {
        if (g.pub[s]) expect(g.counts[s]! === 0 || g.counts[s]! > 10).toBe(true);
        else withheld++;
      }
    }
    expect(withheld).toBeGreaterThan(0);
    expect(cube.passes).toBeGreaterThan(1);
  });

  test('differencing every nested pair of public slices never gives 1-10', async () => {
    const { cube } = await service.cube(MAIN, universe);
    const loaded = universe === 'detainers' ? await loadDetainerFacts(store, MAIN) : await loadArrestFacts(store, MAIN);
    for (const f of loaded.facts) f.regime = service.regimeOf(f.state, f.county, f.date);
    const { figs } = figures(cube, loaded.facts);
    expect(figs.length).toBeGreaterThan(1000);
    expect(attackPairs(figs)).toEqual([]);
  });

  test('parent minus its published children never gives 1-10', async () => {
    const { cube } = await service.cube(MAIN, universe);
    const leaks: string[] = [];
    const check = (label: string, parent: number, pubParent: boolean, kids: { v: number; pub: boolean }[]) => {
      if (!pubParent) return;
      const rest = parent - kids.filter((k) => k.pub).reduce((s, k) => s + k.v, 0);
      if (rest >= 1 && rest <= 10) leaks.push(`${label}: ${rest}`);
    };
    for (const g of cube.groups.values()) {
      for (const d of cube.dims) {
        const slots = cube.values(d.id).map((v) => cube.slot(d.id, v)!);
        check(`${g.unit} ${g.month} total vs ${d.id}`, g.counts[0]!, g.pub[0] === 1, slots.map((s) => ({ v: g.counts[s]!, pub: g.pub[s] === 1 })));
      }
    }
    for (const [parent, byLevel] of cube.children) {
      for (const kids of byLevel.values()) {
        for (let m = cube.firstMonth; m <= cube.lastMonth; m++) {
          const pg = cube.group(parent, m);
          if (!pg) continue;
          for (let s = 0; s < cube.slots.length; s++) {
            const ks = kids.map((k) => cube.group(k, m)).filter((x) => x !== undefined).map((g) => ({ v: g.counts[s]!, pub: g.pub[s] === 1 }));
            check(`${parent} ${m} slot ${s}`, pg.counts[s]!, pg.pub[s] === 1, ks);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
