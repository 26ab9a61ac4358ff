/**
 * The public cube of the fixture, attacked as an outsider would: every cell at every standard grain
 * is recounted from the records; no published cell holds 1–10; no two published cells whose record
 * sets nest differ by 1–10; and an interval-propagation attack written here, from the place,
 * period and breakdown hierarchies (not from the cube's own identity list), pins no withheld cell
 * that holds records and bounds none inside 1–10.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CELL_GRAINS, Cube, loadArrestFacts, loadDetainerFacts, MetricsService, monthIndex, periodKey, type BaseFact } from '../../src/metrics/index.ts';
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

async function factsOf(universe: 'detainers' | 'arrests'): Promise<BaseFact[]> {
  const loaded = universe === 'detainers' ? await loadDetainerFacts(store, MAIN) : await loadArrestFacts(store, MAIN);
  for (const f of loaded.facts) {
    f.regime = service.regimeOf(f.state, f.county, f.date);
    if (f.lift_date) f.regime_at_lift = service.regimeOf(f.state, f.county, f.lift_date);
  }
  return loaded.facts;
}

/** Record sets of every cell, from the records (bit i = record i). */
function recordSets(cube: Cube, facts: BaseFact[]): Map<string, bigint> {
  const sets = new Map<string, bigint>();
  facts.forEach((f, i) => {
    const m = monthIndex(f.date);
    const slots = [0, ...cube.dims.map((d) => cube.slot(d.id, d.derive(f))!)];
    const bit = 1n << BigInt(i);
    for (const u of cube.unitsOf(f)) {
      for (const grain of CELL_GRAINS) {
        for (const s of slots) {
          const k = `${u}|${periodKey(m, grain)}|${s}`;
          sets.set(k, (sets.get(k) ?? 0n) | bit);
        }
      }
    }
  });
  return sets;
}

function popcount(x: bigint): number {
  let n = 0;
  while (x) {
    x &= x - 1n;
    n++;
  }
  return n;
}

describe.each(['detainers', 'arrests'] as const)('%s cube', (universe) => {
  test('every cell of every grain is the count of its records; no published cell holds 1-10', async () => {
    const { cube } = await service.cube(MAIN, universe);
    const sets = recordSets(cube, await factsOf(universe));
    let withheld = 0;
    let checked = 0;
    for (const g of cube.groupList) {
      for (let s = 0; s < cube.nSlots; s++) {
        if (!g.mask[s]) continue;
        const n = popcount(sets.get(`${g.unit}|${g.period}|${s}`) ?? 0n);
        expect(g.counts[s], `${g.unit} ${g.period} ${s}`).toBe(n);
        checked++;
        if (g.pub[s]) expect(n === 0 || n > 10, `${g.unit} ${g.period} ${s} = ${n}`).toBe(true);
        else {
          withheld++;
          expect(g.lb[s]! <= n && n <= g.ub[s]!).toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(withheld).toBeGreaterThan(0);
    expect(cube.stats.exposed).toBe(0);
    // Some whole-release and fiscal-year cells are published exactly although their months are withheld.
    const total = cube.group('nation', 'total')!;
    expect(total.pub[0]).toBe(1);
    expect(total.counts[0]).toBe(cube.records);
  });

  test('the protection does not depend on the order in which the database returned the records', async () => {
    const facts = await factsOf(universe);
    const build = (xs: BaseFact[]) => Cube.build(xs.map((f) => ({ ...f })), { universe, releaseId: MAIN, suppress: true });
    const a = build(facts).exportProtection();
    // A fixed shuffle (a linear congruential sequence), and the reverse.
    const shuffled = facts.slice();
    let x = 12345;
    for (let i = shuffled.length - 1; i > 0; i--) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const j = x % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    for (const other of [shuffled, facts.slice().reverse()]) {
      const b = build(other).exportProtection();
      expect(b.fingerprint).toBe(a.fingerprint);
      expect([...b.cells]).toEqual([...a.cells]);
      expect([...b.low]).toEqual([...a.low]);
      expect([...b.high]).toEqual([...a.high]);
    }
  });

  test('no two published cells whose record sets nest differ by 1-10', async () => {
    const { cube } = await service.cube(MAIN, universe);
    const sets = recordSets(cube, await factsOf(universe));
    const cells: { label: string; set: bigint; n: number }[] = [];
    for (const g of cube.groupList) {
      for (let s = 0; s < cube.nSlots; s++) {
        if (!g.mask[s] || !g.pub[s] || g.counts[s] === 0) continue;
        cells.push({ label: `${g.unit} ${g.period} ${cube.slots[s]!.dim}=${cube.slots[s]!.value}`, set: sets.get(`${g.unit}|${g.period}|${s}`)!, n: g.counts[s]! });
      }
    }
    cells.sort((a, b) => a.n - b.n);
    const leaks: string[] = [];
    let lo = 0;
    for (let i = 0; i < cells.length; i++) {
      const a = cells[i]!;
      while (cells[lo]!.n < a.n - 10) lo++;
      for (let j = lo; j < i; j++) {
        const b = cells[j]!;
        const d = a.n - b.n;
        if (d >= 1 && d <= 10 && (a.set & b.set) === b.set) leaks.push(`${a.label} − ${b.label} = ${d}`);
      }
    }
    expect(cells.length).toBeGreaterThan(50);
    expect(leaks.slice(0, 10)).toEqual([]);
  });

  test('interval propagation over the hierarchies, as an outsider would run it, exposes no withheld cell', async () => {
    const { cube } = await service.cube(MAIN, universe);
    // The outsider's equations, from what the API documents: a place is the sum of its child
    // places, a period the sum of its sub-periods, a total the sum of a breakdown's values, a
    // coarse value the sum of the finer values inside it.
    const key = (u: string, p: string, s: number) => `${u}|${p}|${s}`;
    const known = (u: string, p: string, s: number): boolean => {
      const g = cube.group(u, p);
      return g !== undefined && g.mask[s] === 1;
    };
    const eqs: [string, string[]][] = [];
    const periods = [...cube.periodMonths.keys()];
    const childPeriods = (p: string): string[][] => {
      const months = cube.periodMonths.get(p)!;
      const at = (grain: (typeof CELL_GRAINS)[number]) => [...new Set(months.map((m) => periodKey(m, grain)))];
      const grain = cube.grainOf(p);
      if (grain === 'quarter') return [at('month')];
      if (grain === 'fiscal_year' || grain === 'calendar_year') return [at('quarter')];
      if (grain === 'total') return [at('fiscal_year'), at('calendar_year')];
      return [];
    };
    const slotGroups: number[][] = [];
    for (const d of cube.dims) {
      const values = cube.values(d.id).map((v) => cube.slot(d.id, v)!);
      slotGroups.push([0, ...values]);
      for (const parent of d.parents ?? []) {
        for (const cv of cube.values(parent.dim)) {
          slotGroups.push([cube.slot(parent.dim, cv)!, ...cube.values(d.id).filter((v) => parent.map(v) === cv).map((v) => cube.slot(d.id, v)!)]);
        }
      }
    }
    for (const u of cube.units.values()) {
      for (const p of periods) {
        if (!cube.group(u.key, p)) continue;
        for (const [head, ...parts] of slotGroups) {
          if (known(u.key, p, head!) && parts.every((s) => known(u.key, p, s))) eqs.push([key(u.key, p, head!), parts.map((s) => key(u.key, p, s))]);
        }
        for (let s = 0; s < cube.nSlots; s++) {
          if (!known(u.key, p, s)) continue;
          for (const kids of cube.children.get(u.key)?.values() ?? []) {
            const present = kids.filter((k) => cube.group(k, p));
            if (present.every((k) => known(k, p, s))) eqs.push([key(u.key, p, s), present.map((k) => key(k, p, s))]);
          }
          for (const sub of childPeriods(p)) {
            const present = sub.filter((q) => cube.group(u.key, q));
            if (present.every((q) => known(u.key, q, s))) eqs.push([key(u.key, p, s), present.map((q) => key(u.key, q, s))]);
          }
        }
      }
    }
    // Bounds: a published cell is its value; a withheld one starts in [0, ∞); a missing group is 0.
    const lo = new Map<string, number>();
    const hi = new Map<string, number>();
    const bound = (k: string): [number, number] => {
      if (!lo.has(k)) {
        const [u, p, s] = k.split('|');
        const g = cube.group(u!, p!)!;
        const pub = g.pub[Number(s)] === 1;
        lo.set(k, pub ? g.counts[Number(s)]! : 0);
        hi.set(k, pub ? g.counts[Number(s)]! : Number.POSITIVE_INFINITY);
      }
      return [lo.get(k)!, hi.get(k)!];
    };
    for (let sweep = 0, moved = true; moved && sweep < 100; sweep++) {
      moved = false;
      for (const [head, parts] of eqs) {
        const sides: [string[], string[]] = [[head], parts];
        for (let side = 0; side < 2; side++) {
          const own = sides[side]!;
          const other = sides[1 - side]!;
          const oLo = other.reduce((a, k) => a + bound(k)[0], 0);
          const oHi = other.reduce((a, k) => a + bound(k)[1], 0);
          for (const k of own) {
            const restLo = own.reduce((a, x) => (x === k ? a : a + bound(x)[0]), 0);
            const restHi = own.reduce((a, x) => (x === k ? a : a + bound(x)[1]), 0);
            const [l, h] = bound(k);
            const nh = oHi - restLo;
            const nl = oLo - restHi;
            if (nh < h) {
              hi.set(k, nh);
              moved = true;
            }
            if (nl > l) {
              lo.set(k, nl);
              moved = true;
            }
          }
        }
      }
    }
    const exposed: string[] = [];
    for (const [k, l] of lo) {
      const [u, p, s] = k.split('|');
      const g = cube.group(u!, p!)!;
      const v = g.counts[Number(s)]!;
      if (g.pub[Number(s)] || v < 1 || v > 10) continue;
      const h = hi.get(k)!;
      expect(l <= v && v <= h).toBe(true);
      if (l === h || (l >= 1 && h <= 10)) exposed.push(`${k} = ${v} in [${l}, ${h}]`);
    }
    expect(eqs.length).toBeGreaterThan(1000);
    expect(exposed.slice(0, 10)).toEqual([]);
  });
});
