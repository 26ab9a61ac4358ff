/**
 * The publication cube: every public figure is read from its cells. A cell is (geography unit,
 * period, slot): units nest nation ⊃ state ⊃ county ⊃ facility and nation ⊃ AOR (each
 * facility is the unit of its records in the place most of them give; records that give another
 * place form a unit of their own there, so every place's total is its records' count); periods are every standard period of the
 * release — months, calendar quarters, federal fiscal years, calendar years and the whole release —
 * each counted from the records, never summed from published cells; slot 0 is the total and every
 * other slot is one value of one `by` dimension. Records with no state, county, AOR or facility go to
 * "unknown"/"unmatched"/"none" units so that every parent is exactly the sum of its children.
 *
 * Suppression (public mode; the argument is in DESIGN.md): cells of 1–10 are withheld (primary).
 * The cube knows every exact identity A₁+…+Aₙ = B₁+…+Bₘ between its cells — total = Σ values,
 * coarse value = Σ finer values, equal record sets, parent unit = Σ child units, parent period =
 * Σ child periods — and withholds complements until (1) no identity alone isolates a withheld cell
 * or bounds it inside 1–10, (2) no two published cells whose record sets nest differ by 1–10, and
 * (3) interval propagation over all identities at once (what an outsider can do with every public
 * figure) pins no withheld cell and bounds none inside 1–10. Withholding only grows, so it ends. The
 * bounds the API publishes for a withheld cell are exactly those the propagation derives.
 */
import type { BaseFact, DimensionDef, Universe } from './dimensions.ts';
import { dimensionsOf, equalValuePairs } from './dimensions.ts';
import { CELL_GRAINS, monthIndex, periodKey, type Grain } from './periods.ts';
import { inPlan } from './plan.ts';
import { sortedCopy } from './sorted-parts.ts';

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
  /** Position in `Cube.groupList`. */
  index: number;
  unit: string;
  /** Period key (`periodKey`): `2024-10`, `2024-Q4`, `FY2025`, `2024`, `total`. */
  period: string;
  grain: Grain;
  counts: Int32Array;
  /** 1 = published, 0 = withheld. */
  pub: Uint8Array;
  /** 1 = the cell is in the publication plan (plan.ts); other cells are never shown. */
  mask: Uint8Array;
  /** Bounds of each cell that all published cells allow (equal to the count when published). */
  lb: Float64Array;
  ub: Float64Array;
  /**
   * Day values per slot (month groups only; only slots of dimensions with a days measure), sorted
   * ascending once the cube is built, so that quartiles are read without merging (sorted-parts.ts).
   */
  days: Map<number, number[] | Float64Array>;
}

export interface Slot {
  dim: string | null;
  value: string;
}

/** How a figure relates to the records: their exact count, a lower bound, or withheld. */
export type FigureStatus = 'exact' | 'at_least' | 'withheld' | 'not_available';

export interface Figure {
  /** The exact count of the records; null unless every cell it is read from is published. */
  count: number | null;
  status: FigureStatus;
  /** True when no cell it is read from is published (`status` withheld). A withheld cell may hold no records. */
  withheld: boolean;
  /** Cells with records left out because they are withheld. */
  withheld_cells: number;
  /** The true count lies in [count_low, count_high]; count_high null when no finite bound is derivable. */
  count_low: number;
  count_high: number | null;
  /**
   * Day values of every record it counts (for medians), as sorted parts (one per month cell and
   * slot); only when asked for and the figure is exact.
   */
  days?: readonly ArrayLike<number>[];
}

/** Bump when the protection's rules change: stored results of another version are recomputed. */
export const PROTECTION_VERSION = 'p2';

/**
 * The result of a cube's protection as the pipeline stores it (src/pipeline/write-protection.ts):
 * the withheld cells of the plan (cell ids in the cube's sorted layout) with their bounds.
 */
export interface StoredProtection {
  fingerprint: string;
  stats: SuppressionStats;
  cells: Int32Array;
  low: Float64Array;
  high: Float64Array;
}

/** A cube as plain arrays (`Cube.toSnapshot`, `Cube.restore`; encoded by stored.ts). */
export interface CubeSnapshot {
  /** `layoutSignature` of the code that wrote it. */
  layout: string;
  universe: Universe;
  releaseId: string;
  records: number;
  firstMonth: number;
  lastMonth: number;
  /** First and last record dates (`YYYY-MM-DD`); absent in snapshots written before they were kept. */
  firstDate?: string | null;
  lastDate?: string | null;
  slots: Slot[];
  units: UnitInfo[];
  periodMonths: [string, number[]][];
  /** Per group (in the sorted layout): its unit's index in `units` and its period key. */
  groupUnit: Int32Array;
  groupPeriod: string[];
  /** groups × slots counts. */
  counts: Int32Array;
  /** Day values of (group, slot) pairs, concatenated. */
  days: { group: Int32Array; slot: Int32Array; length: Int32Array; values: Float64Array };
  protection?: StoredProtection;
}

/**
 * What a stored cube depends on besides the records: the protection's version, the dimensions'
 * declared values and days measures, and the publication plan of every slot. A snapshot is used
 * only when the running code gives the same signature for its slots.
 */
export function layoutSignature(universe: Universe, slots: readonly Slot[]): string {
  const dims = dimensionsOf(universe);
  const parts: string[] = [PROTECTION_VERSION, universe];
  for (const d of dims) parts.push(`${d.id}:${d.values.join(',')}:${d.days ?? ''}:${(d.parents ?? []).map((p) => p.dim).join(',')}`);
  for (const s of slots) {
    const plan = LEVELS.map((l) => CELL_GRAINS.map((g) => (inPlan(l, g, s.dim) ? 1 : 0)).join('')).join('');
    parts.push(`${s.dim}=${s.value}:${plan}`);
  }
  let h = 0x811c9dc5;
  const text = parts.join('\n');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${PROTECTION_VERSION}-${(h >>> 0).toString(16).padStart(8, '0')}-${slots.length}`;
}

export interface CubeOptions {
  universe: Universe;
  releaseId: string;
  suppress: boolean;
  /** A protection computed at ingest; used when its fingerprint matches the cube's cells. */
  stored?: StoredProtection;
  /** Policy regime for a record (detainers); omitted → 'no_data'. */
  regimeOf?: (state: string | null, county: string | null, date: string) => string;
}

interface Relation {
  a: number[];
  b: number[];
}

/** What the suppression did (for tests, benchmarks and the methodology page). */
export interface SuppressionStats {
  rounds: number;
  primary: number;
  secondary: number;
  /** Withheld cells with records that propagation could still pin or bound inside 1–10 (must be 0). */
  exposed: number;
  ms: number;
  /** Zero cells published because the published cells imply them. */
  zerosPublished: number;
}

/** Rounds in which an exposure next to a fresh complement waits for the next propagation. */
const DEFER_ROUNDS = 12;

const LEVEL_DEPTH: Record<Level, number> = { nation: 0, state: 1, aor: 1, county: 2, facility: 3 };
const GRAIN_DEPTH: Record<Grain, number> = { total: 0, calendar_year: 1, fiscal_year: 1, quarter: 2, month: 3 };

/** The identities of the cube as flat arrays: identity i has cells ids[start[i]..split[i]) = ids[split[i]..start[i+1]). */
interface IdentityTable {
  start: Int32Array;
  split: Int32Array;
  ids: Int32Array;
  count: number;
}

export class Cube {
  readonly universe: Universe;
  readonly releaseId: string;
  readonly suppressed: boolean;
  readonly dims: DimensionDef[];
  readonly slots: Slot[] = [{ dim: null, value: 'total' }];
  readonly slotIndex = new Map<string, Map<string, number>>();
  readonly groups = new Map<string, Group>();
  /** The same groups by unit, then period key: a lookup without building a key string. */
  private readonly groupsOfUnit = new Map<string, Map<string, Group>>();
  readonly groupList: Group[] = [];
  readonly units = new Map<string, UnitInfo>();
  readonly children = new Map<string, Map<Level, string[]>>();
  /** Months of each period key present in the release. */
  readonly periodMonths = new Map<string, number[]>();
  firstMonth = Number.POSITIVE_INFINITY;
  lastMonth = Number.NEGATIVE_INFINITY;
  /** First and last record dates of the release (`YYYY-MM-DD`): periods reaching past them are partial. */
  firstDate: string | null = null;
  lastDate: string | null = null;
  records = 0;
  /** Rounds the suppression took (0 in private mode). */
  passes = 0;
  stats: SuppressionStats = { rounds: 0, primary: 0, secondary: 0, exposed: 0, ms: 0, zerosPublished: 0 };
  private readonly within: Relation[] = [];
  private readonly daySlots = new Map<number, keyof BaseFact>();
  private identities: IdentityTable | undefined;

  private constructor(options: CubeOptions, dims: DimensionDef[]) {
    this.universe = options.universe;
    this.releaseId = options.releaseId;
    this.suppressed = options.suppress;
    this.dims = dims;
  }

  /** Builds the cube from records and, in public mode, runs suppression to its fixed point. */
  static build(facts: readonly BaseFact[], options: CubeOptions): Cube {
    const cube = new Cube(options, dimensionsOf(options.universe));
    // The regime the pipeline assigned wins (it knows the facility's custody); else the place's jail rule.
    if (options.regimeOf) {
      for (const f of facts) {
        f.regime ??= options.regimeOf(f.state, f.county, f.date);
        if (f.lift_date) f.regime_at_lift ??= options.regimeOf(f.state, f.county, f.lift_date);
      }
    }
    cube.layout(facts);
    cube.accumulate(facts);
    for (const g of cube.groupList) for (const [slot, d] of g.days) g.days.set(slot, sortedCopy(d));
    cube.rollUp();
    cube.sortLayout();
    cube.flatten();
    cube.relate();
    cube.checkIdentities();
    if (options.suppress && options.stored && options.stored.fingerprint === cube.fingerprint()) {
      cube.apply(options.stored);
      return cube;
    }
    cube.identities = cube.buildIdentities();
    if (options.suppress) cube.suppress();
    else cube.publishPlan();
    return cube;
  }

  get nSlots(): number {
    return this.slots.length;
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

  /** The group of a unit and a period key (a month index is accepted for months). */
  group(unit: string, period: string | number): Group | undefined {
    const key = typeof period === 'number' ? periodKey(period, 'month') : period;
    return this.groupsOfUnit.get(unit)?.get(key);
  }

  /**
   * A figure over standard cells (period keys) and slots of one unit: exact when every cell with
   * records is published; otherwise a lower bound (`at_least`) or withheld, with the bounds that
   * published cells allow.
   */
  figure(unit: string, cells: readonly string[], slots: readonly number[], withDays = false): Figure {
    let count = 0;
    let withheld = 0;
    let low = 0;
    let high = 0;
    const level = this.units.get(unit)?.level ?? 'nation';
    for (const key of cells) {
      const grain = this.grainOf(key);
      for (const s of slots) {
        if (!inPlan(level, grain, this.slots[s]!.dim)) {
          return { count: null, status: 'not_available', withheld: false, withheld_cells: 0, count_low: 0, count_high: null };
        }
      }
    }
    const ofUnit = this.groupsOfUnit.get(unit);
    for (const key of cells) {
      const g = ofUnit?.get(key);
      if (!g) continue;
      for (const s of slots) {
        const v = g.counts[s]!;
        if (g.pub[s]) {
          count += v;
          low += v;
          high += v;
        } else {
          withheld++;
          low += g.lb[s]!;
          high += g.ub[s]!;
        }
      }
    }
    const status: FigureStatus = withheld === 0 ? 'exact' : count === 0 ? 'withheld' : 'at_least';
    const out: Figure = {
      count: status === 'exact' ? count : null,
      status,
      withheld: status === 'withheld',
      withheld_cells: withheld,
      count_low: low,
      count_high: Number.isFinite(high) ? high : null,
    };
    if (withDays && status === 'exact') out.days = this.daysOf(unit, cells, slots);
    return out;
  }

  /** The grain of a period key. */
  grainOf(key: string): Grain {
    if (key === 'total') return 'total';
    if (key.startsWith('FY')) return 'fiscal_year';
    if (key.includes('-Q')) return 'quarter';
    return key.length === 4 ? 'calendar_year' : 'month';
  }

  /** Day values of every record of a unit in the given cells and slots (from the month groups). */
  private daysOf(unit: string, cells: readonly string[], slots: readonly number[]): ArrayLike<number>[] {
    const out: ArrayLike<number>[] = [];
    for (const key of cells) {
      for (const m of this.periodMonths.get(key) ?? []) {
        const g = this.group(unit, m);
        if (!g) continue;
        for (const s of slots) {
          const d = g.days.get(s);
          if (d && d.length) out.push(d);
        }
      }
    }
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

  private readonly masks = new Map<string, Uint8Array>();

  private maskOf(level: Level, grain: Grain): Uint8Array {
    const key = `${level}|${grain}`;
    let mask = this.masks.get(key);
    if (!mask) {
      mask = Uint8Array.from(this.slots, (slot) => (inPlan(level, grain, slot.dim) ? 1 : 0));
      this.masks.set(key, mask);
    }
    return mask;
  }

  /** A new group; its arrays are its own, or views of the flat arrays when they are already sized (restore). */
  private newGroup(unit: string, period: string, grain: Grain, flat = false): Group {
    const n = this.slots.length;
    const mask = this.maskOf(this.units.get(unit)!.level, grain);
    const index = this.groupList.length;
    const o = index * n;
    const g: Group = flat
      ? { index, unit, period, grain, counts: this.cnt.subarray(o, o + n), pub: this.pubAll.subarray(o, o + n), mask, lb: this.lbAll.subarray(o, o + n), ub: this.ubAll.subarray(o, o + n), days: new Map() }
      : { index, unit, period, grain, counts: new Int32Array(n), pub: new Uint8Array(n).fill(1), mask, lb: new Float64Array(n), ub: new Float64Array(n), days: new Map() };
    this.groups.set(`${unit}|${period}`, g);
    let ofUnit = this.groupsOfUnit.get(unit);
    if (!ofUnit) this.groupsOfUnit.set(unit, (ofUnit = new Map()));
    ofUnit.set(period, g);
    this.groupList.push(g);
    return g;
  }

  private accumulate(facts: readonly BaseFact[]): void {
    const hasFacility = this.universe === 'detainers';
    // A facility's place is the state and county most of its records give. (Its AOR is not part of
    // it: the AOR on a detainer is the office that lodged it, and one jail hears from several.)
    const placeVotes = new Map<string, Map<string, number>>();
    const names = new Map<string, string>();
    if (hasFacility) {
      for (const f of facts) {
        if (!f.facility) continue;
        const k = `${f.state ?? ''}|${f.county ?? ''}`;
        let votes = placeVotes.get(f.facility);
        if (!votes) placeVotes.set(f.facility, (votes = new Map()));
        votes.set(k, (votes.get(k) ?? 0) + 1);
        if (f.facility_name && !names.has(f.facility)) names.set(f.facility, f.facility_name);
      }
    }
    const canonical = new Map<string, [string | null, string | null]>();
    for (const [facility, votes] of placeVotes) {
      const best = [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0].split('|');
      canonical.set(facility, [best[0] || null, best[1] || null]);
    }
    this.unit('nation', 'nation', { label: 'United States (all records)' });
    // Every record counts in its own state, county and AOR. A facility is one unit where most of its
    // records place it; its records placed elsewhere (ICE's data disagree with themselves) form a
    // unit of their own inside that other county, so that every place's total is its records' count.
    // Facilities nest in counties; AORs are a hierarchy of their own under the nation.
    const facilityKeyOf = (f: BaseFact, countyKey: string): string => {
      if (!f.facility) return `facility:none-${countyKey.slice(7)}`;
      const c = canonical.get(f.facility);
      if (!c || (c[0] === f.state && c[1] === f.county)) return `facility:${f.facility}`;
      return `facility:${f.facility} (${f.state ?? 'unknown'}-${f.county ?? 'none'})`;
    };
    this.locator = (f) => {
      const countyKey = f.county ? `county:${f.county}` : `county:unmatched-${f.state ?? 'unknown'}`;
      const keys = ['nation', `state:${f.state ?? 'unknown'}`, `aor:${f.aor ?? 'unknown'}`, countyKey];
      if (hasFacility) keys.push(facilityKeyOf(f, countyKey));
      return keys;
    };
    const dimSlots = this.dims.map((d) => this.slotIndex.get(d.id)!);
    for (const f of facts) {
      const { state, county, aor } = f;
      const stateKey = `state:${state ?? 'unknown'}`;
      const countyKey = county ? `county:${county}` : `county:unmatched-${state ?? 'unknown'}`;
      const aorKey = `aor:${aor ?? 'unknown'}`;
      this.unit(stateKey, 'state', { state, parents: ['nation'] });
      this.unit(aorKey, 'aor', { aor, parents: ['nation'] });
      this.unit(countyKey, 'county', { state, county, parents: [stateKey] });
      const keys = ['nation', stateKey, aorKey, countyKey];
      if (hasFacility) {
        const facilityKey = facilityKeyOf(f, countyKey);
        const name = (f.facility && names.get(f.facility)) || null;
        const label = name ? (facilityKey === `facility:${f.facility}` ? name : `${name} (records placed in ${state ?? 'an unknown state'})`) : facilityKey;
        this.unit(facilityKey, 'facility', { label, state, county, aor, parents: [countyKey] });
        keys.push(facilityKey);
      }
      const month = monthIndex(f.date);
      if (month < this.firstMonth) this.firstMonth = month;
      if (month > this.lastMonth) this.lastMonth = month;
      if (this.firstDate === null || f.date < this.firstDate) this.firstDate = f.date;
      if (this.lastDate === null || f.date > this.lastDate) this.lastDate = f.date;
      const mkey = periodKey(month, 'month');
      const slots = this.dims.map((d, i) => dimSlots[i]!.get(d.derive(f))!);
      for (const u of keys) {
        const g = this.groups.get(`${u}|${mkey}`) ?? this.newGroup(u, mkey, 'month');
        g.counts[0]!++;
        for (const s of slots) {
          g.counts[s]!++;
          const measure = this.daySlots.get(s);
          if (measure) {
            const d = f[measure] as number | null;
            if (d !== null && d !== undefined && Number.isFinite(d)) {
              let arr = g.days.get(s) as number[] | undefined;
              if (!arr) g.days.set(s, (arr = []));
              arr.push(d);
            }
          }
        }
      }
      this.records++;
    }
  }

  /** Every coarser period cell is the sum of the unit's month cells (counted records, not published ones). */
  private rollUp(): void {
    const months = this.groupList.slice();
    for (const g of months) {
      const m = monthIndex(g.period);
      for (const grain of CELL_GRAINS) {
        const key = periodKey(m, grain);
        let list = this.periodMonths.get(key);
        if (!list) this.periodMonths.set(key, (list = []));
        if (!list.includes(m)) list.push(m);
        if (grain === 'month') continue;
        const target = this.groups.get(`${g.unit}|${key}`) ?? this.newGroup(g.unit, key, grain);
        const t = target.counts;
        const c = g.counts;
        for (let s = 0; s < c.length; s++) t[s]! += c[s]!;
      }
    }
    for (const list of this.periodMonths.values()) list.sort((a, b) => a - b);
  }

  /**
   * Groups in key order, children in key order: the layout (and so every choice the protection
   * makes) does not depend on the order in which the database returned the records.
   */
  private sortLayout(): void {
    this.groupList.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
    this.groupList.forEach((g, i) => (g.index = i));
    const byKey = <K extends string, V>(m: Map<K, V>): [K, V][] => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    // The maps too: identities are listed in their order, and the order of the identities decides
    // which complement the protection picks (two runs over the same records must withhold alike).
    const parents = byKey(this.children);
    this.children.clear();
    for (const [p, byLevel] of parents) {
      const levels = byKey(byLevel);
      byLevel.clear();
      for (const [level, list] of levels) byLevel.set(level, list.sort());
      this.children.set(p, byLevel);
    }
    const periods = byKey(this.periodMonths);
    this.periodMonths.clear();
    for (const [k, v] of periods) this.periodMonths.set(k, v);
    const sorted = [...this.units.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    this.units.clear();
    for (const [k, v] of sorted) this.units.set(k, v);
  }

  /** FNV-1a over the protection version, the slots and every group's key and counts. */
  fingerprint(): string {
    let h = 0x811c9dc5;
    const mix = (x: number) => {
      h ^= x & 0xff;
      h = Math.imul(h, 0x01000193);
      h ^= (x >>> 8) & 0xff;
      h = Math.imul(h, 0x01000193);
      h ^= (x >>> 16) & 0xff;
      h = Math.imul(h, 0x01000193);
      h ^= x >>> 24;
      h = Math.imul(h, 0x01000193);
    };
    const text = (t: string) => {
      for (let i = 0; i < t.length; i++) mix(t.charCodeAt(i));
      mix(0);
    };
    text(PROTECTION_VERSION);
    for (const slot of this.slots) text(`${slot.dim}=${slot.value}`);
    for (const g of this.groupList) {
      text(`${g.unit}|${g.period}`);
      for (let s = 0; s < g.counts.length; s++) mix(g.counts[s]!);
    }
    return `${PROTECTION_VERSION}-${(h >>> 0).toString(16).padStart(8, '0')}-${this.groupList.length}-${this.records}`;
  }

  /** The protection result, for the pipeline to store. */
  exportProtection(): StoredProtection {
    const ids: number[] = [];
    for (let c = 0; c < this.cnt.length; c++) {
      const g = this.groupList[Math.floor(c / this.slots.length)]!;
      if (g.mask[c % this.slots.length] && !this.pubAll[c]) ids.push(c);
    }
    const cells = Int32Array.from(ids);
    return { fingerprint: this.fingerprint(), stats: this.stats, cells, low: Float64Array.from(ids, (c) => this.lbAll[c]!), high: Float64Array.from(ids, (c) => this.ubAll[c]!) };
  }

  /** Publishes every cell of the plan at its count (private mode, and the start of `apply`). */
  private publishPlan(): void {
    // On the flat arrays (the groups' arrays are views of them): bounds = counts, published = in plan.
    this.lbAll.set(this.cnt);
    this.ubAll.set(this.cnt);
    const n = this.slots.length;
    for (const g of this.groupList) this.pubAll.set(g.mask, g.index * n);
  }

  /**
   * Publishes every cell of the plan except the stored withheld ones, with their stored bounds.
   * Only a withheld cell's bounds are ever read (a published cell's figure is its count), so the
   * published cells' bounds are left unset: at national scale that is two 70 MB writes saved.
   */
  private apply(stored: StoredProtection): void {
    const n = this.slots.length;
    for (const g of this.groupList) this.pubAll.set(g.mask, g.index * n);
    for (let i = 0; i < stored.cells.length; i++) {
      const c = stored.cells[i]!;
      this.pubAll[c] = 0;
      this.lbAll[c] = stored.low[i]!;
      this.ubAll[c] = stored.high[i]!;
    }
    this.stats = { ...stored.stats };
    this.passes = stored.stats.rounds;
    this.fromStore = true;
  }

  /**
   * The whole counted cube with its protection, as plain arrays for the pipeline to store
   * (stored.ts): slots, places, groups, counts and day values. `Cube.restore` rebuilds it without
   * the records.
   */
  toSnapshot(): CubeSnapshot {
    const unitKeys = [...this.units.keys()];
    const unitIndex = new Map(unitKeys.map((k, i) => [k, i]));
    const dayGroup: number[] = [];
    const daySlot: number[] = [];
    const dayLength: number[] = [];
    let total = 0;
    for (const g of this.groupList) for (const [s, d] of g.days) {
      dayGroup.push(g.index);
      daySlot.push(s);
      dayLength.push(d.length);
      total += d.length;
    }
    const dayValues = new Float64Array(total);
    let o = 0;
    for (const g of this.groupList) for (const d of g.days.values()) for (const x of d) dayValues[o++] = x;
    return {
      layout: layoutSignature(this.universe, this.slots),
      universe: this.universe,
      releaseId: this.releaseId,
      records: this.records,
      firstMonth: this.firstMonth,
      lastMonth: this.lastMonth,
      firstDate: this.firstDate,
      lastDate: this.lastDate,
      slots: this.slots.map((s) => ({ ...s })),
      units: [...this.units.values()].map((u) => ({ ...u, parents: [...u.parents] })),
      periodMonths: [...this.periodMonths.entries()].map(([k, v]) => [k, [...v]]),
      groupUnit: Int32Array.from(this.groupList, (g) => unitIndex.get(g.unit)!),
      groupPeriod: this.groupList.map((g) => g.period),
      counts: this.cnt.slice(),
      days: { group: Int32Array.from(dayGroup), slot: Int32Array.from(daySlot), length: Int32Array.from(dayLength), values: dayValues },
      protection: this.suppressed ? this.exportProtection() : undefined,
    };
  }

  /**
   * A cube from its snapshot, with the stored protection applied (public) or every planned cell
   * published (private). Undefined when the snapshot was written for another layout (other
   * dimension values, plan or protection version): the caller then counts the records.
   */
  static restore(snap: CubeSnapshot, suppress: boolean): Cube | undefined {
    if (snap.layout !== layoutSignature(snap.universe, snap.slots)) return undefined;
    if (suppress && !snap.protection) return undefined;
    const cube = new Cube({ universe: snap.universe, releaseId: snap.releaseId, suppress }, dimensionsOf(snap.universe));
    const daysOfDim = new Map(cube.dims.map((d) => [d.id, d.days]));
    cube.slots.length = 0;
    for (const slot of snap.slots) {
      cube.slots.push({ ...slot });
      if (slot.dim === null) continue;
      let map = cube.slotIndex.get(slot.dim);
      if (!map) cube.slotIndex.set(slot.dim, (map = new Map()));
      map.set(slot.value, cube.slots.length - 1);
      const measure = daysOfDim.get(slot.dim);
      if (measure) cube.daySlots.set(cube.slots.length - 1, measure);
    }
    for (const u of snap.units) cube.unit(u.key, u.level, u);
    for (const [k, v] of snap.periodMonths) cube.periodMonths.set(k, [...v]);
    // The flat arrays first, sized from the snapshot; the groups are views of them (no flatten).
    const cells = snap.groupPeriod.length * cube.slots.length;
    cube.cnt = snap.counts.slice(0, cells);
    cube.pubAll = new Uint8Array(cells).fill(1);
    cube.lbAll = new Float64Array(cells);
    cube.ubAll = new Float64Array(cells);
    for (let i = 0; i < snap.groupPeriod.length; i++) {
      const period = snap.groupPeriod[i]!;
      cube.newGroup(snap.units[snap.groupUnit[i]!]!.key, period, cube.grainOf(period), true);
    }
    // Day values were stored sorted per cell (`build` sorts them): one copy of them all, each cell a
    // view of it; a run that is not ascending (a snapshot from elsewhere) is sorted on its own.
    const values = snap.days.values.slice();
    let o = 0;
    for (let i = 0; i < snap.days.group.length; i++) {
      const len = snap.days.length[i]!;
      let part: Float64Array = values.subarray(o, o + len);
      for (let k = 1; k < len; k++) {
        if (part[k]! < part[k - 1]!) {
          part = sortedCopy(part);
          break;
        }
      }
      cube.groupList[snap.days.group[i]!]!.days.set(snap.days.slot[i]!, part);
      o += len;
    }
    cube.records = snap.records;
    // An empty cube's infinite bounds are written to JSON as null.
    cube.firstMonth = snap.firstMonth ?? Number.POSITIVE_INFINITY;
    cube.lastMonth = snap.lastMonth ?? Number.NEGATIVE_INFINITY;
    cube.firstDate = snap.firstDate ?? null;
    cube.lastDate = snap.lastDate ?? null;
    cube.relate();
    if (suppress) cube.apply(snap.protection!);
    else cube.publishPlan();
    cube.fromStore = true;
    return cube;
  }

  /** Every identity as two lists of cell ids, Σa = Σb (for audits; empty when the protection was read from the store). */
  identityList(): { a: number[]; b: number[] }[] {
    const t = this.identities;
    if (!t) return [];
    const out: { a: number[]; b: number[] }[] = [];
    for (let i = 0; i < t.count; i++) out.push({ a: [...t.ids.subarray(t.start[i]!, t.split[i]!)], b: [...t.ids.subarray(t.split[i]!, t.start[i + 1]!)] });
    return out;
  }

  /** A cell id's group and slot. */
  cellOf(id: number): { group: Group; slot: number } {
    return { group: this.groupList[Math.floor(id / this.slots.length)]!, slot: id % this.slots.length };
  }

  /** True when the protection was read from the database rather than computed. */
  fromStore = false;

  /** Flat arrays of every cell (cell id = group index × slots + slot); each group's arrays are views into them. */
  private cnt = new Int32Array(0);
  private pubAll = new Uint8Array(0);
  private lbAll = new Float64Array(0);
  private ubAll = new Float64Array(0);

  private flatten(): void {
    const n = this.slots.length;
    const cells = this.groupList.length * n;
    this.cnt = new Int32Array(cells);
    this.pubAll = new Uint8Array(cells).fill(1);
    this.lbAll = new Float64Array(cells);
    this.ubAll = new Float64Array(cells);
    for (const g of this.groupList) {
      const o = g.index * n;
      this.cnt.set(g.counts, o);
      g.counts = this.cnt.subarray(o, o + n);
      g.pub = this.pubAll.subarray(o, o + n);
      g.lb = this.lbAll.subarray(o, o + n);
      g.ub = this.ubAll.subarray(o, o + n);
    }
  }

  /** The identities inside one (unit, period): total = Σ values; coarse = Σ finer; equal sets. */
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

  /**
   * Every identity declared inside a (unit, period) holds on the counts. The protection reasons with
   * these identities as an outsider would; one that the records break (a dimension whose parent map
   * does not match its derivation) would make it trust equations that are false, so the build stops
   * here rather than publish on them.
   */
  private checkIdentities(): void {
    for (const r of this.within) {
      for (const g of this.groupList) {
        let a = 0;
        let b = 0;
        for (const s of r.a) a += g.counts[s]!;
        for (const s of r.b) b += g.counts[s]!;
        if (a !== b) {
          const name = (xs: number[]) => xs.map((s) => (this.slots[s]!.dim === null ? 'total' : `${this.slots[s]!.dim}=${this.slots[s]!.value}`)).join(' + ') || '0';
          throw new Error(`cube ${this.universe}: the identity ${name(r.a)} = ${name(r.b)} does not hold in ${g.unit} ${g.period} (${a} vs ${b}); a dimension's parents do not match its values`);
        }
      }
    }
  }

  /** Child period keys of a period along each nesting (quarter → months; FY, CY → quarters; release → FYs and → CYs). */
  private periodChildren(): Map<string, string[][]> {
    const out = new Map<string, string[][]>();
    const add = (parent: string, childGrain: Grain) => {
      const kids = [...new Set((this.periodMonths.get(parent) ?? []).map((m) => periodKey(m, childGrain)))];
      let list = out.get(parent);
      if (!list) out.set(parent, (list = []));
      list.push(kids);
    };
    for (const key of this.periodMonths.keys()) {
      const m = this.periodMonths.get(key)![0]!;
      if (key === periodKey(m, 'quarter')) add(key, 'month');
      else if (key === periodKey(m, 'fiscal_year') || key === periodKey(m, 'calendar_year')) add(key, 'quarter');
      else if (key === 'total') {
        add(key, 'fiscal_year');
        add(key, 'calendar_year');
      }
    }
    return out;
  }

  /**
   * Every identity of the cube with records, as flat cell ids (group index × slots + slot): within a
   * group, parent unit = Σ child units at each period and slot, parent period = Σ child periods at
   * each unit and slot.
   */
  private buildIdentities(): IdentityTable {
    const n = this.slots.length;
    let start: number[] = [];
    let split: number[] = [];
    const ids: number[] = [];
    const push = (a: readonly number[], b: readonly number[]) => {
      start.push(ids.length);
      for (const x of a) ids.push(x);
      split.push(ids.length);
      for (const x of b) ids.push(x);
    };
    for (const g of this.groupList) {
      const base = g.index * n;
      for (const r of this.within) {
        if (!r.a.every((s) => g.mask[s]) || !r.b.every((s) => g.mask[s])) continue;
        push(r.a.map((s) => base + s), r.b.map((s) => base + s));
      }
    }
    // A unit or period without records has no group: its cells are public zeros and drop out.
    const pushAcross = (pg: Group, kids: Group[]) => {
      for (let s = 0; s < n; s++) {
        if (!pg.mask[s] || !kids.every((k) => k.mask[s])) continue;
        push([pg.index * n + s], kids.map((k) => k.index * n + s));
      }
    };
    for (const [parent, byLevel] of this.children) {
      for (const kids of byLevel.values()) {
        for (const key of this.periodMonths.keys()) {
          const pg = this.group(parent, key);
          if (!pg) continue;
          pushAcross(pg, kids.map((k) => this.group(k, key)).filter((g): g is Group => g !== undefined));
        }
      }
    }
    const pc = this.periodChildren();
    for (const u of this.units.keys()) {
      for (const [parent, nestings] of pc) {
        const pg = this.group(u, parent);
        if (!pg) continue;
        for (const kids of nestings) pushAcross(pg, kids.map((k) => this.group(u, k)).filter((g): g is Group => g !== undefined));
      }
    }
    const table: IdentityTable = { start: Int32Array.from([...start, ids.length]), split: Int32Array.from(split), ids: Int32Array.from(ids), count: split.length };
    start = [];
    split = [];
    return table;
  }

  private valueOf(id: number): number {
    return this.cnt[id]!;
  }

  private isPub(id: number): boolean {
    return this.pubAll[id] === 1;
  }

  private withhold(id: number): void {
    this.pubAll[id] = 0;
    this.withheldSince.push(id);
    const byCell = this.cellIndex();
    for (let k = byCell.start[id]!; k < byCell.start[id + 1]!; k++) this.dirty.push(byCell.ids[k]!);
  }

  /** Identities with a cell withheld since fixLocal last looked (null: look at all). */
  private dirty: number[] = [];
  private dirtyAll = true;

  /**
   * Lower is a better complement: small, low in the place and period hierarchies, a breakdown value
   * rather than a total. Totals of large places over long periods are what users quote most.
   */
  private cost(id: number): number {
    return this.valueOf(id) * this.weights![id]! * (1 + this.aloneIn(id));
  }

  /** Weight of a cell as a complement (1 to 512): a total, and a place or period high in the hierarchies, weigh more. */
  private weightOf(group: Group, slot: number): number {
    const depth = LEVEL_DEPTH[this.units.get(group.unit)!.level] + GRAIN_DEPTH[group.grain];
    return (slot === 0 ? 8 : 1) * (1 << (6 - depth));
  }

  /**
   * Complement weight of each cell: its own, or that of the heaviest cell with the same records
   * (a county's only facility is the county, and a state's only county the state): withholding
   * the one withholds the other, so a facility total must not look cheap when it is a state total.
   */
  private weights: Uint16Array | undefined;

  /**
   * In how many identities a cell would be the only withheld one if it were withheld: each is one
   * more cell that would have to be withheld to protect it (a cascade to avoid).
   */
  private aloneIn(id: number): number {
    const byCell = this.cellIndex();
    const t = this.identities!;
    let alone = 0;
    for (let k = byCell.start[id]!; k < byCell.start[id + 1]!; k++) {
      const i = byCell.ids[k]!;
      let other = false;
      for (let j = t.start[i]!; j < t.start[i + 1]!; j++) {
        const c = t.ids[j]!;
        if (c !== id && !this.isPub(c)) {
          other = true;
          break;
        }
      }
      if (!other) alone++;
    }
    return alone;
  }

  /** The best published positive cell among `cells` to withhold; -1 when there is none. */
  private bestComplement(cells: Iterable<number>, not = -1): number {
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const id of cells) {
      if (id === not || !this.isPub(id) || this.valueOf(id) === 0) continue;
      const c = this.cost(id);
      if (c < bestCost) {
        best = id;
        bestCost = c;
      }
    }
    return best;
  }

  private identityCells(i: number): { a: Int32Array; b: Int32Array } {
    const t = this.identities!;
    return { a: t.ids.subarray(t.start[i]!, t.split[i]!), b: t.ids.subarray(t.split[i]!, t.start[i + 1]!) };
  }

  private suppress(): void {
    const started = performance.now();
    let primary = 0;
    for (const g of this.groupList) {
      for (let s = 0; s < g.counts.length; s++) {
        const v = g.counts[s]!;
        // Zero cells start withheld too, so that a withheld cell may hold no records: otherwise the
        // published zeros beside it would tell how many withheld cells hold at least one record.
        g.pub[s] = g.mask[s] && v > SMALL_CELL_MAX ? 1 : 0;
        if (g.mask[s] && v >= 1 && v <= SMALL_CELL_MAX) primary++;
      }
    }
    let exposed: number[] = [];
    for (let c = 0; c < this.cnt.length; c++) {
      this.lbAll[c] = this.pubAll[c] ? this.cnt[c]! : 0;
      this.ubAll[c] = this.pubAll[c] ? this.cnt[c]! : Number.POSITIVE_INFINITY;
    }
    this.nestedPairs = this.smallNestedPairs();
    // Rounds after the first propagate incrementally (bounds that may be stale are tighter than
    // an outsider's, so they can only withhold more); the loop ends only after a full propagation
    // from scratch finds nothing to fix, so the result is that of full propagation.
    let full = true;
    for (;;) {
      this.passes++;
      let changed = this.fixLocal();
      if (this.auditNestedPairs()) changed = true;
      const wasFull = full;
      exposed = this.propagate(full);
      this.fresh.clear();
      this.deferring = this.passes <= DEFER_ROUNDS;
      for (const id of exposed) if (this.breakExposure(id)) changed = true;
      if (!changed && wasFull) break;
      full = !changed;
    }
    // Cells the published ones already imply (zeros, and complements an outsider can solve for)
    // are published: it tells no one anything new and spares readers a "withheld".
    let secondary = 0;
    let zeros = 0;
    for (const g of this.groupList) {
      for (let s = 0; s < g.counts.length; s++) {
        if (!g.mask[s] || g.pub[s]) continue;
        const v = g.counts[s]!;
        if (g.lb[s] === g.ub[s] && (v === 0 || v > SMALL_CELL_MAX)) {
          g.pub[s] = 1;
          if (v === 0) zeros++;
        } else if (v > SMALL_CELL_MAX) secondary++;
      }
    }
    this.stats = { rounds: this.passes, primary, secondary, exposed: exposed.length, ms: Math.round(performance.now() - started), zerosPublished: zeros };
  }

  /**
   * Each identity alone: when exactly one of its cells is withheld, the others give it away. If that
   * cell holds records, the best complement on its side (else the other) is withheld too. Returns
   * true if any was.
   */
  private fixLocal(): boolean {
    const t = this.identities!;
    let any = false;
    let work: Iterable<number>;
    if (this.dirtyAll) {
      this.dirtyAll = false;
      this.dirty = [];
      work = { [Symbol.iterator]: function* () { for (let i = 0; i < t.count; i++) yield i; } };
    } else {
      work = this.dirty;
      this.dirty = [];
    }
    for (;;) {
      for (const i of work) {
        const { a, b } = this.identityCells(i);
        let k = 0;
        let lone = -1;
        let loneInA = false;
        for (const id of a) if (!this.isPub(id)) {
          k++;
          lone = id;
          loneInA = true;
        }
        if (k > 1) continue;
        for (const id of b) if (!this.isPub(id)) {
          k++;
          lone = id;
          loneInA = false;
          if (k > 1) break;
        }
        if (k !== 1 || this.valueOf(lone) === 0) continue;
        const [same, other] = loneInA ? [a, b] : [b, a];
        let pick = this.bestComplement(same, lone);
        if (pick < 0) pick = this.bestComplement(other, lone);
        if (pick < 0) continue;
        this.withhold(pick);
        any = true;
      }
      if (this.dirty.length === 0) break;
      work = this.dirty;
      this.dirty = [];
    }
    return any;
  }

  /** Ancestor group indexes of every group (itself included): unit ancestors × period ancestors. */
  private groupAncestors(): Int32Array[] {
    const unitAnc = new Map<string, string[]>();
    const ancOf = (u: string): string[] => {
      let list = unitAnc.get(u);
      if (list) return list;
      const set = new Set([u]);
      for (const p of this.units.get(u)?.parents ?? []) for (const x of ancOf(p)) set.add(x);
      list = [...set];
      unitAnc.set(u, list);
      return list;
    };
    return this.groupList.map((g) => {
      const periods = g.grain === 'month' ? CELL_GRAINS.map((gr) => periodKey(monthIndex(g.period), gr)) : this.periodAncestors(g);
      const out: number[] = [];
      for (const u of ancOf(g.unit)) for (const p of periods) {
        const a = this.group(u, p);
        if (a) out.push(a.index);
      }
      return Int32Array.from(out);
    });
  }

  private periodAncestors(g: Group): string[] {
    const m = this.periodMonths.get(g.period)?.[0];
    if (m === undefined) return [g.period];
    const from = CELL_GRAINS.indexOf(g.grain);
    return CELL_GRAINS.filter((gr, i) => i >= from && !(g.grain === 'fiscal_year' && gr === 'calendar_year') && !(g.grain === 'calendar_year' && gr === 'fiscal_year')).map((gr) => periodKey(m, gr));
  }

  /**
   * Identities alone do not stop every difference: a state's "not violent (UCR)" in a fiscal year
   * minus a county's "other offense" in one quarter mixes three steps. So every pair of published
   * cells whose record sets nest by definition (unit inside unit, period inside period, value inside
   * value) is compared, and when they differ by 1–10 the inner cell is withheld.
   */
  private auditNestedPairs(): boolean {
    const pairs = this.nestedPairs!;
    const { pubAll: pub, lbAll: lb, ubAll: ub } = this;
    // A cell is known when it is published or when the last propagation pinned it.
    const known = (c: number) => pub[c] === 1 || lb[c] === ub[c];
    let changed = false;
    for (let k = 0; k < pairs.length; ) {
      const id = pairs[k]!;
      let leak = false;
      for (; k < pairs.length && pairs[k] === id; k += 2) if (!leak && known(id) && known(pairs[k + 1]!)) leak = true;
      if (!leak) continue;
      if (pub[id]) {
        this.withhold(id);
        changed = true;
      } else if (this.breakExposure(id)) changed = true;
    }
    return changed;
  }

  /** Pairs (inner, outer) of cells in the plan whose record sets nest and whose counts differ by 1–10, flat and grouped by inner cell. */
  private nestedPairs: Int32Array | undefined;

  /** Lists the nested pairs (see `nestedPairs`) and sets the complement weights (see `weights`). */
  private smallNestedPairs(): Int32Array {
    const slotAnc = this.slotAncestors().map((set) => [...set]);
    const groupAnc = this.groupAncestors();
    const n = this.slots.length;
    const out: number[] = [];
    const weights = new Uint16Array(this.cnt.length);
    for (const g of this.groupList) {
      const anc = groupAnc[g.index]!;
      for (let s = 0; s < n; s++) {
        const v = g.counts[s]!;
        const id = g.index * n + s;
        weights[id] = this.weightOf(g, s);
        if (!g.mask[s] || v === 0) continue;
        for (let i = 0; i < anc.length; i++) {
          const ag = this.groupList[anc[i]!]!;
          for (const as of slotAnc[s]!) {
            if (ag === g && as === s) continue;
            if (!ag.mask[as]) continue;
            const d = ag.counts[as]! - v;
            if (d >= 1 && d <= SMALL_CELL_MAX) out.push(id, ag.index * n + as);
            else if (d === 0) weights[id] = Math.max(weights[id]!, this.weightOf(ag, as));
          }
        }
      }
    }
    this.weights = weights;
    return Int32Array.from(out);
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

  /**
   * Interval propagation over every identity at once, as an outsider holding every published cell
   * would run it: each withheld cell starts in [0, ∞) and each identity narrows its cells from the
   * bounds of the others, until nothing changes. Leaves the bounds in `lb`/`ub` and returns the
   * withheld cells with records that end up pinned (lb = ub) or inside 1–10 (lb ≥ 1 and ub ≤ 10).
   *
   * `full` starts from scratch. Otherwise only the cells withheld since the last propagation, and
   * the cells whose current bound an identity holding one of them gave (transitively), restart
   * from [0, ∞); other bounds are kept. A kept bound may rest on a cell since withheld, so it is
   * at least as tight as an outsider's: an incremental round can find more exposures, never fewer.
   */
  private propagate(full: boolean): number[] {
    const t = this.identities!;
    const { cnt, pubAll: pub, lbAll: lb, ubAll: ub } = this;
    const INF = Number.POSITIVE_INFINITY;
    const cells = cnt.length;
    const byCell = this.cellIndex();
    if (this.lbBy.length !== cells) {
      this.culprit = new Int32Array(cells);
      this.lbBy = new Int32Array(cells);
      this.ubBy = new Int32Array(cells);
      this.queued = new Uint8Array(t.count);
      this.queueA = new Int32Array(t.count);
      this.queueB = new Int32Array(t.count);
      let widest = 0;
      for (let i = 0; i < t.count; i++) widest = Math.max(widest, t.start[i + 1]! - t.start[i]!);
      this.movedBuf = new Int32Array(widest);
      full = true;
    }
    const { culprit, lbBy, ubBy, queued } = this;
    let queue = this.queueA;
    let next = this.queueB;
    let qn = 0;
    const enqueue = (i: number) => {
      if (!queued[i]) {
        queued[i] = 1;
        queue[qn++] = i;
      }
    };
    if (full) {
      for (let c = 0; c < cells; c++) {
        if (pub[c]) lb[c] = ub[c] = cnt[c]!;
        else {
          lb[c] = 0;
          ub[c] = INF;
        }
      }
      culprit.fill(-1);
      lbBy.fill(-1);
      ubBy.fill(-1);
      for (let i = 0; i < t.count; i++) {
        for (let j = t.start[i]!; j < t.start[i + 1]!; j++) {
          if (!pub[t.ids[j]!]) {
            enqueue(i);
            break;
          }
        }
      }
    } else {
      const tainted = new Set<number>();
      const stack: number[] = [];
      const taint = (c: number) => {
        tainted.add(c);
        stack.push(c);
        lb[c] = 0;
        ub[c] = INF;
        culprit[c] = lbBy[c] = ubBy[c] = -1;
      };
      for (const c of this.withheldSince) if (!pub[c] && !tainted.has(c)) taint(c);
      while (stack.length > 0) {
        const x = stack.pop()!;
        for (let k = byCell.start[x]!; k < byCell.start[x + 1]!; k++) {
          const i = byCell.ids[k]!;
          enqueue(i);
          for (let j = t.start[i]!; j < t.start[i + 1]!; j++) {
            const c = t.ids[j]!;
            if (!pub[c] && (lbBy[c] === i || ubBy[c] === i) && !tainted.has(c)) taint(c);
          }
        }
      }
    }
    this.withheldSince = [];
    const moved = this.movedBuf;
    while (qn > 0) {
      let nn = 0;
      for (let q = 0; q < qn; q++) {
        const i = queue[q]!;
        queued[i] = 0;
        const m = this.narrow(i);
        for (let x = 0; x < m; x++) {
          const id = moved[x]!;
          for (let k = byCell.start[id]!; k < byCell.start[id + 1]!; k++) {
            const j = byCell.ids[k]!;
            if (!queued[j]) {
              queued[j] = 1;
              next[nn++] = j;
            }
          }
        }
      }
      const swap = queue;
      queue = next;
      next = swap;
      qn = nn;
    }
    const n = this.slots.length;
    const exposed: number[] = [];
    for (const g of this.groupList) {
      for (let s = 0; s < n; s++) {
        const v = g.counts[s]!;
        if (!g.mask[s] || g.pub[s] || v < 1 || v > SMALL_CELL_MAX) continue;
        if (g.lb[s] === g.ub[s] || (g.lb[s]! >= 1 && g.ub[s]! <= SMALL_CELL_MAX)) exposed.push(g.index * n + s);
      }
    }
    return exposed;
  }

  /** Cells withheld since the last propagation. */
  private withheldSince: number[] = [];
  /** The identity that gave each cell its current lower and upper bound (-1: none). */
  private lbBy = new Int32Array(0);
  private ubBy = new Int32Array(0);
  /** Work buffers of the propagation (an identity is queued at most once at a time). */
  private queued = new Uint8Array(0);
  private queueA = new Int32Array(0);
  private queueB = new Int32Array(0);
  private movedBuf = new Int32Array(0);

  /** The identity that last narrowed each cell (-1: none), for choosing complements. */
  private culprit = new Int32Array(0);

  /** For each cell id, the identities it is in (built once). */
  private cellIndex(): { start: Int32Array; ids: Int32Array } {
    if (this.byCell) return this.byCell;
    const t = this.identities!;
    const cells = this.groupList.length * this.slots.length;
    const start = new Int32Array(cells + 1);
    for (let j = 0; j < t.ids.length; j++) start[t.ids[j]! + 1]!++;
    for (let c = 0; c < cells; c++) start[c + 1]! += start[c]!;
    const fill = start.slice(0, cells);
    const ids = new Int32Array(t.ids.length);
    for (let i = 0; i < t.count; i++) for (let j = t.start[i]!; j < t.start[i + 1]!; j++) ids[fill[t.ids[j]!]!++] = i;
    this.byCell = { start, ids };
    return this.byCell;
  }

  private byCell: { start: Int32Array; ids: Int32Array } | undefined;

  /**
   * Narrows the withheld cells of identity i from Σa = Σb (x = Σ other side − Σ rest of own side)
   * and writes the cells whose bounds moved to `movedBuf`; returns how many.
   */
  private narrow(i: number): number {
    const t = this.identities!;
    const ids = t.ids;
    const { pubAll: pub, lbAll: lb, ubAll: ub } = this;
    const INF = Number.POSITIVE_INFINITY;
    let count = 0;
    const sA = t.start[i]!;
    const sp = t.split[i]!;
    const eB = t.start[i + 1]!;
    // Sums of bounds per side, with infinite upper bounds counted apart.
    let loA = 0;
    let hiA = 0;
    let infA = 0;
    let loB = 0;
    let hiB = 0;
    let infB = 0;
    for (let j = sA; j < sp; j++) {
      const c = ids[j]!;
      loA += lb[c]!;
      const h = ub[c]!;
      if (h === INF) infA++;
      else hiA += h;
    }
    for (let j = sp; j < eB; j++) {
      const c = ids[j]!;
      loB += lb[c]!;
      const h = ub[c]!;
      if (h === INF) infB++;
      else hiB += h;
    }
    for (let side = 0; side < 2; side++) {
      const j0 = side === 0 ? sA : sp;
      const j1 = side === 0 ? sp : eB;
      const oLo = side === 0 ? loB : loA;
      const oHi = (side === 0 ? infB : infA) > 0 ? INF : side === 0 ? hiB : hiA;
      const sLo = side === 0 ? loA : loB;
      const sHi = side === 0 ? hiA : hiB;
      const sInf = side === 0 ? infA : infB;
      for (let j = j0; j < j1; j++) {
        const c = ids[j]!;
        if (pub[c]) continue;
        const h = ub[c]!;
        const restInf = sInf - (h === INF ? 1 : 0);
        const newHi = oHi - (sLo - lb[c]!);
        const newLo = restInf > 0 ? -INF : oLo - (sHi - (h === INF ? 0 : h));
        let m = false;
        if (newHi < h) {
          ub[c] = newHi;
          this.ubBy[c] = i;
          m = true;
        }
        if (newLo > lb[c]!) {
          lb[c] = newLo;
          this.lbBy[c] = i;
          m = true;
        }
        if (m) {
          this.culprit[c] = i;
          this.movedBuf[count++] = c;
        }
      }
    }
    return count;
  }

  /** Cells withheld since the last propagation: an exposure next to one waits for the next round. */
  private readonly fresh = new Set<number>();
  /**
   * Waiting saves complements (one small state needs one complement, not one per exposed cell)
   * but costs a round each time; after DEFER_ROUNDS rounds every exposure is fixed at once.
   */
  private deferring = true;

  /**
   * Withholds one more cell so that a withheld cell propagation exposed is no longer exposed: the
   * best complement in the identity that narrowed it, else in the identities that narrowed the
   * withheld cells of that identity, breadth first, else the nearest one around it. Returns false
   * when none could be found, or when the exposure waits for the next round.
   */
  private breakExposure(id: number): boolean {
    if (this.isPub(id)) return false;
    const seen = new Set<number>();
    let frontier = [this.culprit[id]!].filter((i) => i >= 0);
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    // Candidates from a few steps of the chain that narrowed the cell; each step back costs more.
    for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
      const next: number[] = [];
      for (const i of frontier) {
        if (seen.has(i)) continue;
        seen.add(i);
        const { a, b } = this.identityCells(i);
        for (const side of [a, b]) {
          for (const c of side) {
            if (c === id) continue;
            if (this.deferring && this.fresh.has(c)) return false;
            if (this.isPub(c)) {
              if (this.valueOf(c) === 0) continue;
              const cost = this.cost(c) * (1 + depth);
              if (cost < bestCost) {
                best = c;
                bestCost = cost;
              }
            } else if (this.culprit[c]! >= 0) next.push(this.culprit[c]!);
          }
        }
      }
      frontier = next;
    }
    if (best < 0) best = this.nearestComplement(id);
    if (best < 0) return false;
    this.withhold(best);
    this.fresh.add(best);
    return true;
  }

  /**
   * When the chain that narrowed a cell holds no published cell nearby, the best published cell
   * among the identities around it (the cell's own identities, then those of their withheld cells).
   */
  private nearestComplement(id: number): number {
    const byCell = this.cellIndex();
    const t = this.identities!;
    const seenCells = new Set<number>([id]);
    let frontier = [id];
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let depth = 0; depth < 3 && frontier.length > 0 && best < 0; depth++) {
      const next: number[] = [];
      for (const cell of frontier) {
        for (let k = byCell.start[cell]!; k < byCell.start[cell + 1]!; k++) {
          const i = byCell.ids[k]!;
          for (let j = t.start[i]!; j < t.start[i + 1]!; j++) {
            const c = t.ids[j]!;
            if (seenCells.has(c)) continue;
            if (this.deferring && this.fresh.has(c)) return -1;
            seenCells.add(c);
            if (this.isPub(c)) {
              if (this.valueOf(c) === 0) continue;
              const cost = this.cost(c);
              if (cost < bestCost) {
                best = c;
                bestCost = cost;
              }
            } else next.push(c);
          }
        }
      }
      frontier = next.length > 5000 ? next.slice(0, 5000) : next;
    }
    return best;
  }
}
