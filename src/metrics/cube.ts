/**
 * The publication cube: every public figure is a sum of its cells. A cell is (geography unit, month,
 * slot), where slot 0 is the total and every other slot is one value of one `by` dimension. Units
 * nest: nation ⊃ state ⊃ county ⊃ facility, and nation ⊃ AOR ⊃ facility (each facility is placed
 * where most of its records place it). Records with no state, county, AOR or facility go to
 * "unknown"/"unmatched"/"none" units so that every parent is exactly the sum of its children.
 *
 * Suppression (public mode; the full argument is in DESIGN.md): cells with 1–10 are withheld
 * (primary); then every exact identity A₁+…+Aₙ = B₁+…+Bₘ the cube knows — total = Σ values of a
 * dimension, coarse value = Σ finer values, parent unit = Σ child units, equal record sets — is
 * checked, and while one has exactly one withheld cell, or its withheld cells all lie on one side
 * and add up to 1–10, the smallest positive published cell on that side (else the other) is
 * withheld too. Withholding only ever grows, so this reaches a fixed point.
 */
import type { BaseFact, DimensionDef, Universe } from './dimensions.ts';
import { dimensionsOf, equalValuePairs } from './dimensions.ts';
import { monthIndex } from './periods.ts';

export type Level = 'nation' | 'state' | 'aor' | 'county' | 'facility';
export const LEVELS: readonly Level[] = ['nation', 'state', 'aor', 'county', 'facility'];

/** The smallest count published; 1..SMALL_CELL_MAX are withheld. */
export const SMALL_CELL_MAX = 10;

export interface UnitInfo {
  key: string;
  level: Level;
  label: string;
  state: string | null;
  county: string | null;
  aor: string | null;
  /** Direct parents in the nesting (a facility has a county and an AOR). */
  parents: string[];
}

export interface Group {
  unit: string;
  month: number;
  counts: Int32Array;
  /** 1 = published, 0 = withheld. */
  pub: Uint8Array;
  /** Upper bound of a withheld cell derivable from published cells (Infinity: none). */
  ub: Float64Array;
  /** Day values per slot (only slots of dimensions with a days measure). */
  days: Map<number, number[]>;
}

export interface Slot {
  dim: string | null;
  value: string;
}

export interface Figure {
  /** Sum of the published cells; null when every contributing cell with records is withheld. */
  count: number | null;
  withheld: boolean;
  withheld_cells: number;
  /** The true value lies in [count_low, count_high]; count_high null when no finite bound is derivable. */
  count_low: number;
  count_high: number | null;
  /** Day values of the published cells (for medians); only when asked for. */
  days?: number[];
}

export interface CubeOptions {
  universe: Universe;
  releaseId: string;
  suppress: boolean;
  /** Policy regime for a record (detainers); omitted → 'no_data'. */
  regimeOf?: (state: string | null, county: string | null, date: string) => string;
}

interface Relation {
  a: number[];
  b: number[];
}

export class Cube {
  readonly universe: Universe;
  readonly releaseId: string;
  readonly suppressed: boolean;
  readonly dims: DimensionDef[];
  readonly slots: Slot[] = [{ dim: null, value: 'total' }];
  readonly slotIndex = new Map<string, Map<string, number>>();
  readonly groups = new Map<string, Group>();
  readonly units = new Map<string, UnitInfo>();
  readonly children = new Map<string, Map<Level, string[]>>();
  firstMonth = Number.POSITIVE_INFINITY;
  lastMonth = Number.NEGATIVE_INFINITY;
  records = 0;
  /** Fixed-point passes the suppression took (0 in private mode). */
  passes = 0;
  private readonly within: Relation[] = [];
  private readonly daySlots = new Map<number, keyof BaseFact>();

  private constructor(options: CubeOptions, dims: DimensionDef[]) {
    this.universe = options.universe;
    this.releaseId = options.releaseId;
    this.suppressed = options.suppress;
    this.dims = dims;
  }

  /** Builds the cube from records and, in public mode, runs suppression to its fixed point. */
  static build(facts: readonly BaseFact[], options: CubeOptions): Cube {
    const cube = new Cube(options, dimensionsOf(options.universe));
    if (options.regimeOf) for (const f of facts) f.regime = options.regimeOf(f.state, f.county, f.date);
    cube.layout(facts);
    cube.accumulate(facts);
    cube.relate();
    if (options.suppress) cube.suppress();
    cube.bound();
    return cube;
  }

  /** Slot of a dimension value; undefined when the value never occurs. */
  slot(dim: string | null, value = 'total'): number | undefined {
    if (dim === null) return 0;
    return this.slotIndex.get(dim)?.get(value);
  }

  /** Values of a dimension in reporting order. */
  values(dim: string): string[] {
    return [...(this.slotIndex.get(dim)?.keys() ?? [])];
  }

  group(unit: string, month: number): Group | undefined {
    return this.groups.get(`${unit}|${month}`);
  }

  /** Sum over months and slots for a unit, from published cells only. */
  figure(unit: string, months: readonly number[], slots: readonly number[], withDays = false): Figure {
    let count = 0;
    let withheld = 0;
    let high = 0;
    const days: number[] = [];
    for (const m of months) {
      const g = this.group(unit, m);
      if (!g) continue;
      for (const s of slots) {
        const v = g.counts[s]!;
        if (g.pub[s]) {
          count += v;
          if (withDays) {
            const d = g.days.get(s);
            if (d) for (const x of d) days.push(x);
          }
        } else {
          withheld++;
          high += g.ub[s]!;
        }
      }
    }
    const fully = withheld > 0 && count === 0;
    const out: Figure = {
      count: fully ? null : count,
      withheld: fully,
      withheld_cells: withheld,
      count_low: count + withheld,
      count_high: Number.isFinite(high) ? count + high : null,
    };
    if (withDays) out.days = days;
    return out;
  }

  /** The units a record is counted in (for audits and tests). */
  unitsOf(f: BaseFact): string[] {
    return this.locator ? this.locator(f) : [];
  }

  private locator: ((f: BaseFact) => string[]) | undefined;

  private layout(facts: readonly BaseFact[]): void {
    for (const dim of this.dims) {
      const seen = new Set<string>();
      for (const f of facts) seen.add(dim.derive(f));
      const ordered = [...dim.values];
      const extra = [...seen].filter((v) => !dim.values.includes(v)).sort((a, b) => (a === 'unknown' ? 1 : b === 'unknown' ? -1 : a.localeCompare(b)));
      // Unknown values go last; values listed in the definition are always present (zero when unseen).
      const all = [...ordered.filter((v) => v !== 'unknown'), ...extra.filter((v) => v !== 'unknown')];
      if (ordered.includes('unknown') || seen.has('unknown')) all.push('unknown');
      const map = new Map<string, number>();
      for (const v of all) {
        map.set(v, this.slots.length);
        this.slots.push({ dim: dim.id, value: v });
        if (dim.days) this.daySlots.set(this.slots.length - 1, dim.days);
      }
      this.slotIndex.set(dim.id, map);
    }
  }

  private unit(key: string, level: Level, info: Partial<UnitInfo>): void {
    if (this.units.has(key)) return;
    this.units.set(key, { key, level, label: info.label ?? key, state: info.state ?? null, county: info.county ?? null, aor: info.aor ?? null, parents: info.parents ?? [] });
    for (const p of info.parents ?? []) {
      let byLevel = this.children.get(p);
      if (!byLevel) this.children.set(p, (byLevel = new Map()));
      let list = byLevel.get(level);
      if (!list) byLevel.set(level, (list = []));
      list.push(key);
    }
  }

  private accumulate(facts: readonly BaseFact[]): void {
    const hasFacility = this.universe === 'detainers';
    // A facility's place is the one most of its records give, so that facilities nest in one county and one AOR.
    const placeVotes = new Map<string, Map<string, number>>();
    const names = new Map<string, string>();
    if (hasFacility) {
      for (const f of facts) {
        if (!f.facility) continue;
        const k = `${f.state ?? ''}|${f.county ?? ''}|${f.aor ?? ''}`;
        let votes = placeVotes.get(f.facility);
        if (!votes) placeVotes.set(f.facility, (votes = new Map()));
        votes.set(k, (votes.get(k) ?? 0) + 1);
        if (f.facility_name && !names.has(f.facility)) names.set(f.facility, f.facility_name);
      }
    }
    const canonical = new Map<string, [string | null, string | null, string | null]>();
    for (const [facility, votes] of placeVotes) {
      const best = [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0].split('|');
      canonical.set(facility, [best[0] || null, best[1] || null, best[2] || null]);
    }
    this.unit('nation', 'nation', { label: 'United States (all records)' });
    this.locator = (f) => {
      const [state, county, aor] = f.facility && canonical.has(f.facility) ? canonical.get(f.facility)! : [f.state, f.county, f.aor];
      const countyKey = county ? `county:${county}` : `county:unmatched-${state ?? 'unknown'}`;
      const keys = ['nation', `state:${state ?? 'unknown'}`, `aor:${aor ?? 'unknown'}`, countyKey];
      if (hasFacility) keys.push(f.facility ? `facility:${f.facility}` : `facility:none-${countyKey.slice(7)}-${aor ?? 'unknown'}`);
      return keys;
    };
    const nSlots = this.slots.length;
    const dimSlots = this.dims.map((d) => this.slotIndex.get(d.id)!);
    for (const f of facts) {
      const [state, county, aor] = f.facility && canonical.has(f.facility) ? canonical.get(f.facility)! : [f.state, f.county, f.aor];
      const stateKey = `state:${state ?? 'unknown'}`;
      const countyKey = county ? `county:${county}` : `county:unmatched-${state ?? 'unknown'}`;
      const aorKey = `aor:${aor ?? 'unknown'}`;
      this.unit(stateKey, 'state', { state, parents: ['nation'] });
      this.unit(aorKey, 'aor', { aor, parents: ['nation'] });
      this.unit(countyKey, 'county', { state, county, parents: [stateKey] });
      const keys = ['nation', stateKey, aorKey, countyKey];
      if (hasFacility) {
        const facilityKey = f.facility ? `facility:${f.facility}` : `facility:none-${countyKey.slice(7)}-${aor ?? 'unknown'}`;
        this.unit(facilityKey, 'facility', { label: (f.facility && names.get(f.facility)) || facilityKey, state, county, aor, parents: [countyKey, aorKey] });
        keys.push(facilityKey);
      }
      const month = monthIndex(f.date);
      if (month < this.firstMonth) this.firstMonth = month;
      if (month > this.lastMonth) this.lastMonth = month;
      const slots = this.dims.map((d, i) => dimSlots[i]!.get(d.derive(f))!);
      for (const u of keys) {
        const gk = `${u}|${month}`;
        let g = this.groups.get(gk);
        if (!g) {
          g = { unit: u, month, counts: new Int32Array(nSlots), pub: new Uint8Array(nSlots).fill(1), ub: new Float64Array(nSlots), days: new Map() };
          this.groups.set(gk, g);
        }
        g.counts[0]!++;
        for (const s of slots) {
          g.counts[s]!++;
          const measure = this.daySlots.get(s);
          if (measure) {
            const d = f[measure] as number | null;
            if (d !== null && d !== undefined && Number.isFinite(d)) {
              let arr = g.days.get(s);
              if (!arr) g.days.set(s, (arr = []));
              arr.push(d);
            }
          }
        }
      }
      this.records++;
    }
  }

  /** The identities inside one (unit, month): total = Σ values; coarse = Σ finer; equal sets. */
  private relate(): void {
    for (const dim of this.dims) {
      const map = this.slotIndex.get(dim.id)!;
      this.within.push({ a: [0], b: [...map.values()] });
      for (const parent of dim.parents ?? []) {
        const coarse = this.slotIndex.get(parent.dim)!;
        const byCoarse = new Map<number, number[]>();
        for (const [value, s] of map) {
          const c = coarse.get(parent.map(value));
          if (c === undefined) throw new Error(`dimension ${dim.id}: value ${value} maps to no value of ${parent.dim}`);
          let list = byCoarse.get(c);
          if (!list) byCoarse.set(c, (list = []));
          list.push(s);
        }
        for (const c of coarse.values()) this.within.push({ a: [c], b: byCoarse.get(c) ?? [] });
      }
    }
    for (const pair of equalValuePairs(this.universe)) {
      for (const v of pair.values) {
        const a = this.slotIndex.get(pair.a)?.get(v);
        const b = this.slotIndex.get(pair.b)?.get(v);
        if (a !== undefined && b !== undefined) this.within.push({ a: [a], b: [b] });
      }
    }
  }

  /** Every identity of the cube, as lists of cells on its two sides; `visit` may stop early. */
  private forEachIdentity(visit: (ga: Group[], sa: number[], gb: Group[], sb: number[]) => void): void {
    for (const g of this.groups.values()) {
      for (const r of this.within) {
        visit(r.a.map(() => g), r.a, r.b.map(() => g), r.b);
      }
    }
    for (const [parent, byLevel] of this.children) {
      for (const kids of byLevel.values()) {
        for (let m = this.firstMonth; m <= this.lastMonth; m++) {
          const pg = this.group(parent, m);
          if (!pg) continue;
          const cgs = kids.map((k) => this.group(k, m)).filter((g): g is Group => g !== undefined);
          for (let s = 0; s < this.slots.length; s++) {
            visit([pg], [s], cgs, cgs.map(() => s));
          }
        }
      }
    }
  }

  private suppress(): void {
    for (const g of this.groups.values()) {
      for (let s = 0; s < g.counts.length; s++) {
        const v = g.counts[s]!;
        g.pub[s] = v >= 1 && v <= SMALL_CELL_MAX ? 0 : 1;
      }
    }
    for (;;) {
      let changed = true;
      while (changed) {
        changed = false;
        this.passes++;
        this.forEachIdentity((ga, sa, gb, sb) => {
          if (fixIdentity(ga, sa, gb, sb)) changed = true;
        });
      }
      if (!this.auditNestedPairs()) break;
    }
  }

  /**
   * Identities alone do not stop every difference: a state's "not violent (UCR)" minus a county's
   * "other offense" mixes a geography step and a breakdown step. So, month by month, every pair of
   * published cells whose record sets nest by definition (unit inside unit, value inside value) is
   * checked, and when they differ by 1–10 the inner cell is withheld. Period figures are sums of
   * month cells, so nested period figures then differ by 0 or at least 11 as well.
   */
  private auditNestedPairs(): boolean {
    const unitAnc = new Map<string, Set<string>>();
    const ancOf = (u: string): Set<string> => {
      let set = unitAnc.get(u);
      if (set) return set;
      set = new Set([u]);
      for (const p of this.units.get(u)?.parents ?? []) for (const a of ancOf(p)) set.add(a);
      unitAnc.set(u, set);
      return set;
    };
    const slotAnc = this.slotAncestors();
    const byMonth = new Map<number, { g: Group; s: number; v: number }[]>();
    for (const g of this.groups.values()) {
      let list = byMonth.get(g.month);
      if (!list) byMonth.set(g.month, (list = []));
      for (let s = 0; s < g.counts.length; s++) if (g.pub[s] && g.counts[s]! > 0) list.push({ g, s, v: g.counts[s]! });
    }
    let changed = false;
    for (const cells of byMonth.values()) {
      cells.sort((a, b) => a.v - b.v);
      let lo = 0;
      for (let i = 0; i < cells.length; i++) {
        const a = cells[i]!;
        if (!a.g.pub[a.s]) continue;
        while (cells[lo]!.v < a.v - SMALL_CELL_MAX) lo++;
        for (let j = lo; j < i; j++) {
          const b = cells[j]!;
          if (b.v >= a.v || !b.g.pub[b.s]) continue;
          if (slotAnc[b.s]!.has(a.s) && ancOf(b.g.unit).has(a.g.unit)) {
            b.g.pub[b.s] = 0;
            changed = true;
          }
        }
      }
    }
    return changed;
  }

  /** For each slot, the slots whose record set contains it (itself, the total, coarser values, equal values). */
  private slotAncestors(): Set<number>[] {
    const direct: Set<number>[] = this.slots.map((_, s) => new Set(s === 0 ? [0] : [0, s]));
    for (const r of this.within) {
      // Σa = Σb with a single cell on one side: each cell of the other side lies inside it.
      if (r.a.length === 1) for (const b of r.b) direct[b]!.add(r.a[0]!);
      if (r.b.length === 1) for (const a of r.a) direct[a]!.add(r.b[0]!);
    }
    const closed = direct.map((d) => new Set(d));
    let grew = true;
    while (grew) {
      grew = false;
      for (const set of closed) {
        for (const x of [...set]) for (const y of closed[x]!) if (!set.has(y)) {
          set.add(y);
          grew = true;
        }
      }
    }
    return closed;
  }

  /** Upper bounds of withheld cells from identities whose other side is fully published. */
  private bound(): void {
    for (const g of this.groups.values()) g.ub.fill(Number.POSITIVE_INFINITY);
    this.forEachIdentity((ga, sa, gb, sb) => {
      boundSide(ga, sa, gb, sb);
      boundSide(gb, sb, ga, sa);
    });
  }
}

/** With every cell of `o` published, each withheld cell of `u` is at most Σo − Σ published u − (k − 1). */
function boundSide(gu: Group[], su: number[], go: Group[], so: number[]): void {
  let other = 0;
  for (let i = 0; i < go.length; i++) {
    if (!go[i]!.pub[so[i]!]) return;
    other += go[i]!.counts[so[i]!]!;
  }
  let pubSum = 0;
  let k = 0;
  for (let i = 0; i < gu.length; i++) {
    if (gu[i]!.pub[su[i]!]) pubSum += gu[i]!.counts[su[i]!]!;
    else k++;
  }
  if (k === 0) return;
  const bound = other - pubSum - (k - 1);
  for (let i = 0; i < gu.length; i++) {
    const g = gu[i]!;
    const s = su[i]!;
    if (!g.pub[s] && bound < g.ub[s]!) g.ub[s] = bound;
  }
}

/**
 * Checks one identity Σa = Σb and withholds one more cell when it would give a withheld cell away:
 * exactly one withheld cell (derivable exactly), or withheld cells all on one side adding up to 1–10.
 * Returns true when it withheld a cell.
 */
export function fixIdentity(ga: Group[], sa: number[], gb: Group[], sb: number[]): boolean {
  let ka = 0;
  let kb = 0;
  let suma = 0;
  let sumb = 0;
  for (let i = 0; i < ga.length; i++) {
    if (!ga[i]!.pub[sa[i]!]) {
      ka++;
      suma += ga[i]!.counts[sa[i]!]!;
    }
  }
  for (let i = 0; i < gb.length; i++) {
    if (!gb[i]!.pub[sb[i]!]) {
      kb++;
      sumb += gb[i]!.counts[sb[i]!]!;
    }
  }
  const k = ka + kb;
  if (k === 0 || (ka > 0 && kb > 0)) return false;
  const sum = ka > 0 ? suma : sumb;
  if (k >= 2 && (sum < 1 || sum > SMALL_CELL_MAX)) return false;
  const [gSame, sSame, gOther, sOther] = ka > 0 ? [ga, sa, gb, sb] : [gb, sb, ga, sa];
  return withholdSmallest(gSame, sSame) || withholdSmallest(gOther, sOther);
}

function withholdSmallest(gs: Group[], ss: number[]): boolean {
  let best = -1;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let i = 0; i < gs.length; i++) {
    const g = gs[i]!;
    const s = ss[i]!;
    const v = g.counts[s]!;
    if (g.pub[s] && v > 0 && v < bestValue) {
      best = i;
      bestValue = v;
    }
  }
  if (best < 0) return false;
  gs[best]!.pub[ss[best]!] = 0;
  return true;
}
