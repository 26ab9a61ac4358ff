/**
 * The named metrics. Each is a definition in code — what it counts, numerator, denominator,
 * exclusions and why, which "violent" definition applies, the `by` values it supports — and a
 * function that reads published cells of the publication cube. docs/metrics.md is generated from
 * this file (scripts/gen-docs.ts).
 */
import type { MetricRow, PolicyContextRow } from '../contract/index.ts';
import { FOLLOW_UP_DAYS, FOLLOW_UP_WINDOWS, NEAR_CUTOFF_DAYS } from '../link/index.ts';
import type { ViolenceDefinitionId } from '../offense/index.ts';
import type { Cube, Figure } from './cube.ts';
import { CRIMINALITY_VALUES, isBlankLiftDetail, NON_TRANSFER_OUTCOMES, OUTCOMES, REGIME_VALUES, SETTINGS, violenceClassesOf, WINDOW_PARTS, windowPartsWithin, type Universe } from './dimensions.ts';
import { monthEnd, monthStart, periodKey, type Period } from './periods.ts';
import type { PlaceParam } from './place.ts';
import { policyContextRows } from './context.ts';
import type { MetricsService } from './service.ts';
import { kthSmallest } from './sorted-parts.ts';

export type Row = Record<string, string | number | boolean | null>;

export interface MetricContext {
  cube: Cube | null;
  service: MetricsService;
  place: PlaceParam;
  periods: Period[];
  by: string;
  /** The follow-up window asked for (`follow_up_days`), for the metrics that take one; else FOLLOW_UP_DAYS. */
  followUpDays?: number;
}

export interface MetricDefinition {
  id: string;
  title: string;
  description: string;
  /** The records counted. */
  counts: string;
  numerator: string;
  denominator: string | null;
  exclusions: { what: string; why: string }[];
  /** Violence definitions the metric uses (and for which `by`). */
  violence: { by: string; definition: ViolenceDefinitionId }[];
  universe: Universe | 'context';
  /** Supported `by` values; the first is the default. */
  by: string[];
  /** Row columns, in order (JSON keys and CSV header): fields of the contract's metric rows. */
  columns: readonly MetricColumn[];
  /** The cube dimension whose publication plan a `by` follows, when it is not the `by` itself (for the plan's words). */
  planDim?: (by: string, followUpDays: number) => string;
  /** The follow-up windows the metric gives (`follow_up_days`); the last is the default. */
  followUpWindows?: readonly number[];
  compute(ctx: MetricContext): Row[];
}

/** A column of a metric's rows: a field of the contract's count row or policy-context row (src/contract). */
export type MetricColumn = keyof MetricRow | keyof PolicyContextRow;

const PERIOD_COLUMNS: MetricColumn[] = ['period', 'period_start', 'period_end', 'place', 'by', 'value'];
const COUNT_COLUMNS: MetricColumn[] = ['count', 'display', 'status', 'withheld', 'withheld_cells', 'count_low', 'count_high'];
const SHARE_COLUMNS: MetricColumn[] = ['denominator', 'share'];
const DAY_COLUMNS: MetricColumn[] = ['days_n', 'p25_days', 'median_days', 'p75_days'];
/** Columns of the follow-up metrics: the window, and the prepare dates of the detainers counted. */
const FOLLOW_UP_COLUMNS: MetricColumn[] = ['follow_up_days', 'counted_from', 'counted_to'];
/** The shorter follow-up windows, in words ("90 or 180 days"). */
const SHORTER_WINDOWS = `${FOLLOW_UP_WINDOWS.slice(0, -1).join(' or ')} days`;
const SHORTER_WINDOW_PLAN = `The shorter windows are published for the nation, states and areas of responsibility by fiscal year, calendar year and whole release (each arrest or removal is counted in the part of the window it fell in: ${WINDOW_PARTS.join(', ')} days); for a period whose longest window has closed, the shares within each window are of the same detainers and can be read side by side.`;

/** Detainer-universe exclusions shared by every detainer metric. */
const DETAINER_EXCLUSIONS = [
  {
    what: 'Rows flagged as duplicates (`is_duplicate`: the same person identifier and prepare date as an earlier row)',
    why: 'The same detainer listed twice would be counted twice. This is narrower than the Deportation Data Project\'s historical rule, which also drops a row prepared within 24 hours after the person\'s previous one (on dates: the next day); Handoff keeps next-day rows as detainers of the same episode, so it counts somewhat more detainers than DDP would (the count of such rows is in the quality ledger, `ddp_rule_next_day_detainers`).',
  },
  { what: 'Detainers without a prepare date', why: 'They cannot be placed in a month; their number is in /api/quality.json.' },
  { what: 'Other releases than the one named in `meta.releases`', why: 'ICE releases overlap in time; adding them would count a detainer once per release.' },
  { what: 'Cells of 1–10 and the cells withheld to protect them (public mode)', why: 'Small-cell protection; a figure with a withheld part says "at least N" (`status` at_least) and bounds the true value.' },
];

const ARREST_EXCLUSIONS = [
  { what: 'Rows flagged as duplicates', why: 'The same arrest listed twice would be counted twice.' },
  { what: 'Arrests without an apprehension date', why: 'They cannot be placed in a month.' },
  DETAINER_EXCLUSIONS[2]!,
  DETAINER_EXCLUSIONS[3]!,
];

/** What every removal figure leaves out, before the release and protection rows. */
const REMOVAL_RECORD_EXCLUSIONS = [
  { what: 'Rows flagged as duplicates', why: 'The same removal listed twice would be counted twice.' },
  { what: 'Removals without a departure date', why: 'They cannot be placed in a month.' },
];

const LATER_EXCLUSIONS = [
  ...DETAINER_EXCLUSIONS,
  { what: 'Detainers without a person identifier (reported as `no_identifier`, outside the denominator of linked shares)', why: 'They cannot be linked to a later arrest or removal.' },
  { what: 'Arrests and removals in other releases', why: 'Person identifiers are assigned per release and do not link across releases.' },
  {
    what: `Arrests and removals more than ${FOLLOW_UP_DAYS} days after the prepare date, and periods whose detainers have not all had ${FOLLOW_UP_DAYS} days of follow-up before the release's cut-off (\`not_available\`; the whole release is cut back to its fiscal years that have, named by \`counted_from\`..\`counted_to\`)`,
    why: 'Counting up to the cut-off gives recent detainers less time to be followed by anything, so shares would fall towards the cut-off for no reason but the calendar. The cut-off is bounded from below by the first day of the release\'s last month of detainers, so a period is given only when that bound is at least its last day plus the window.',
  },
  {
    what: 'Arrests and removals on or after the first prepare date of the person\'s next detainer episode',
    why: 'Those follow a new jail booking and a new detainer, not life after this detainer; they count for the later detainer instead.',
  },
];

/** What every "declined" figure has to say about the record it rests on. */
const DECLINED_RECORD =
  '"Detainer Declined by LEA" is the lift reason ICE records when it learns of a refusal; ICE itself reported that law-enforcement agencies "do not generally advise ICE" when a detainer is not honored (Declined Detainer Outcome Report, February 2017), and it dates a decline when it is recorded, not when it happened. Many releases without a handoff carry a blank lift reason instead, so `declined` is a floor, not the number of refusals.';
/** "Declined" asks about a hold; some detainer forms ask for none. */
const DETAINER_TYPE_NOTE =
  'For a notification request (I-247N) or a transfer request (I-247X) ICE asked for no hold, so "declined" does not mean a refused hold there; `detainers_by_detainer_type` gives the mix.';
const DECLINED_CAVEAT = `${DECLINED_RECORD} \`detainers_released_without_ice_custody\` gives the upper bound beside it. ${DETAINER_TYPE_NOTE}`;

/** The days measures of the follow-up metrics, in words. */
const FROM_PREPARE_DATE =
  'Days count from the detainer\'s prepare date, not from the person\'s release: ICE\'s data carry no jail release date, so the time a person spent at liberty is unknown.';

/** Display text of a figure: the exact count, "at least N" for a lower bound, else "withheld". */
export function displayOf(f: Figure): string {
  if (f.status === 'exact') return String(f.count);
  if (f.status === 'at_least') return `at least ${f.count_low}`;
  if (f.status === 'not_available') return 'not available';
  return 'withheld';
}

function countFields(f: Figure): Row {
  return {
    count: f.count,
    display: displayOf(f),
    status: f.status,
    withheld: f.withheld,
    withheld_cells: f.withheld_cells,
    count_low: f.count_low,
    count_high: f.count_high,
  };
}

function share(num: number | null, den: number | null): number | null {
  if (num === null || den === null || den <= 0) return null;
  return Math.round((num / den) * 10000) / 10000;
}

/**
 * Quartiles of day values; null when fewer than 11 values (a median of a few records describes
 * people). `days_n` is itself a count, of a set the protection does not cover (records with both
 * dates), so it is given only when it equals the figure's exact count — i.e. when it says nothing
 * more than the count. Otherwise it is null and the quartiles rest on at least 11 intervals.
 */
export function quartiles(parts: readonly ArrayLike<number>[] | undefined, count: number | null): Row {
  let n = 0;
  for (const p of parts ?? []) n += p.length;
  const daysN = count !== null && n === count ? n : null;
  if (!parts || n < 11) return { days_n: daysN, p25_days: null, median_days: null, p75_days: null };
  const q = (p: number): number => {
    const pos = (n - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const a = kthSmallest(parts, lo);
    const b = hi === lo ? a : kthSmallest(parts, hi);
    return Math.round((a + (b - a) * (pos - lo)) * 10) / 10;
  };
  return { days_n: daysN, p25_days: q(0.25), median_days: q(0.5), p75_days: q(0.75) };
}

function base(ctx: MetricContext, p: Period, value: string): Row {
  return { period: p.period, period_start: p.period_start, period_end: p.period_end, place: ctx.place.unit, by: ctx.by, value };
}

function slotsOf(cube: Cube, dim: string, values: readonly string[]): number[] {
  return values.map((v) => cube.slot(dim, v)).filter((s): s is number => s !== undefined);
}

/** Rows of counts by a dimension (or the total), with shares of the published total. */
function countRows(ctx: MetricContext, opts: { dim: string | null; shares: boolean; days: boolean }): Row[] {
  const cube = ctx.cube!;
  const rows: Row[] = [];
  const values = opts.dim ? cube.values(opts.dim) : ['total'];
  for (const p of ctx.periods) {
    const total = cube.figure(ctx.place.unit, p.cells, [0]);
    for (const v of values) {
      const f = cube.figure(ctx.place.unit, p.cells, [cube.slot(opts.dim, v)!], opts.days);
      // One object literal per row: the national answers run to thousands of rows.
      const row: Row = {
        period: p.period,
        period_start: p.period_start,
        period_end: p.period_end,
        place: ctx.place.unit,
        by: ctx.by,
        value: v,
        count: f.count,
        display: displayOf(f),
        status: f.status,
        withheld: f.withheld,
        withheld_cells: f.withheld_cells,
        count_low: f.count_low,
        count_high: f.count_high,
      };
      if (opts.shares) {
        row.denominator = total.count;
        row.share = share(f.count, total.count);
      }
      if (opts.days) Object.assign(row, quartiles(f.days, f.count));
      rows.push(row);
    }
  }
  return rows;
}

/** Outcome groups of `offense_categories_by_outcome`: the first is the default. */
const OUTCOME_GROUPS: Record<string, readonly string[]> = {
  declined_or_open: ['declined', 'open_or_unknown'],
  declined: ['declined'],
  open_or_unknown: ['open_or_unknown'],
  non_transfer: ['declined', 'lifted_by_ice', 'released_other', 'open_or_unknown'],
  transferred_to_ice: ['transferred_to_ice'],
  ice_custody_unlinked: ['ice_custody_unlinked'],
};

/** Offense categories within an outcome group: sums of published outcome × category cells. */
function offenseByOutcomeRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const outcomes = OUTCOME_GROUPS[ctx.by ?? 'declined_or_open'] ?? OUTCOME_GROUPS.declined_or_open!;
  const joint = cube.values('outcome_offense').filter((v) => outcomes.includes(v.slice(0, v.indexOf('|'))));
  const categories = [...new Set(joint.map((v) => v.slice(v.indexOf('|') + 1)))].sort();
  const jointSlots = slotsOf(cube, 'outcome_offense', joint);
  const categorySlots = categories.map((category) => slotsOf(cube, 'outcome_offense', outcomes.map((o) => `${o}|${category}`)));
  const rows: Row[] = [];
  for (const p of ctx.periods) {
    const total = cube.figure(ctx.place.unit, p.cells, jointSlots);
    categories.forEach((category, i) => {
      const f = cube.figure(ctx.place.unit, p.cells, categorySlots[i]!);
      const row = base(ctx, p, category);
      Object.assign(row, countFields(f));
      row.denominator = total.count;
      row.share = share(f.count, total.count);
      rows.push(row);
    });
  }
  return rows;
}

/**
 * Regimes under which a jail may hold on a detainer or must (src/policy's vocabulary), pooled in
 * `detainer_outcomes_by_regime` as `holds_allowed_or_required`: where the law let the jail cooperate,
 * what became of the detainers.
 */
export const HOLDS_ALLOWED_OR_REQUIRED: readonly string[] = ['hold_required', 'no_local_limits', 'holds_allowed', 'holds_conditional'];
const EXACT_ZERO: Figure = { count: 0, status: 'exact', withheld: false, withheld_cells: 0, count_low: 0, count_high: 0 };
/** `by` of `detainer_outcomes_by_regime` → the joint dimension it reads. */
const REGIME_JOINTS: Record<string, string> = { regime_at_prepare: 'regime_outcome', regime_at_lift: 'regime_at_lift_outcome' };
const regimeJointOf = (by: string): string => REGIME_JOINTS[by] ?? 'regime_outcome';

/** Outcomes of detainers within each regime in force (on the prepare or the lift date), with shares of the regime's detainers. */
function outcomesByRegimeRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const dim = regimeJointOf(ctx.by);
  const seen = [...new Set(cube.values(dim).map((v) => v.slice(0, v.indexOf('|'))))];
  const order = [...REGIME_VALUES, 'no_lift_date'] as string[];
  seen.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  const groups: [string, string[]][] = seen.map((r) => [r, [r]]);
  const pooled = seen.filter((r) => HOLDS_ALLOWED_OR_REQUIRED.includes(r));
  if (pooled.length) groups.push(['holds_allowed_or_required', pooled]);
  const regimeDim = ctx.by === 'regime_at_lift' ? 'regime_at_lift' : 'regime';
  return crossRows(ctx, { dim, column: 'regime', groups, values: OUTCOMES, totalOf: (parts) => slotsOf(cube, regimeDim, parts) });
}

/**
 * Rows of a published cross `<group part>|<value>`: for each group (one or more parts pooled) every
 * value, with its share of the group's records; a group with no records in the period is left out.
 * Where the cross is not published (a county, a month) one row per period says so.
 */
function crossRows(
  ctx: MetricContext,
  o: { dim: string; column: string; groups: [string, readonly string[]][]; values: readonly string[]; totalOf: (parts: readonly string[]) => number[] },
): Row[] {
  const cube = ctx.cube!;
  const slotsFor = (parts: readonly string[], values: readonly string[]): number[] => slotsOf(cube, o.dim, parts.flatMap((g) => values.map((v) => `${g}|${v}`)));
  // Slots per group, looked up once (not once per period). A group's total is read from the coarser
  // dimension's cells (`totalOf`), which are published more often than the sum of the cross's cells.
  const plan = o.groups.map(([name, parts]) => ({ name, all: slotsFor(parts, o.values), total: o.totalOf(parts), each: o.values.map((v) => slotsFor(parts, [v])) }));
  const rows: Row[] = [];
  for (const p of ctx.periods) {
    if (plan.length && cube.figure(ctx.place.unit, p.cells, plan[0]!.all).status === 'not_available') {
      const row = base(ctx, p, 'total');
      row[o.column] = null;
      Object.assign(row, countFields(NOT_AVAILABLE));
      row.denominator = null;
      row.share = null;
      rows.push(row);
      continue;
    }
    for (const g of plan) {
      const total = cube.figure(ctx.place.unit, p.cells, g.total);
      if (total.status === 'exact' && total.count === 0) continue; // no records of this group here
      o.values.forEach((v, i) => {
        const slots = g.each[i]!;
        // A value the release never has in this group is an exact 0 (the plan is the same for every
        // group, so a period where the cross is not published was answered above).
        const f = slots.length ? cube.figure(ctx.place.unit, p.cells, slots) : EXACT_ZERO;
        const row = base(ctx, p, v);
        row[o.column] = g.name;
        Object.assign(row, countFields(f));
        row.denominator = total.count;
        row.share = share(f.count, total.count);
        rows.push(row);
      });
    }
  }
  return rows;
}

/** ICE arrests of each setting by the person's criminality, with shares of the setting's arrests. */
function arrestsBySettingRows(ctx: MetricContext): Row[] {
  const groups: [string, readonly string[]][] = SETTINGS.map((s) => [s, [s]]);
  return crossRows(ctx, { dim: 'method_criminality', column: 'setting', groups, values: CRIMINALITY_VALUES, totalOf: (parts) => slotsOf(ctx.cube!, 'method', parts) });
}

/** Outcomes of the latest earlier detainer that say ICE did not take custody from the holding agency. */
export const NOT_TRANSFERRED: readonly string[] = ['declined', 'lifted_by_ice', 'released_other', 'open_or_unknown'];

/**
 * Community arrests by the outcome of the person's latest detainer prepared on or before the
 * arrest: one row per outcome, one pooled row for the outcomes without a transfer
 * (`latest_detainer_not_transferred`), `no_detainer_found`; shares of the community arrests with
 * an identifier. `no_identifier` is its own row, outside the denominator.
 */
function communityByPriorDetainerRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const latest = (outcomes: readonly string[]) =>
    slotsOf(cube, 'prior_detainer', ['declined_before', 'no_declined_before'].flatMap((d) => outcomes.map((x) => `community|${d}|latest_${x}`)));
  const none = slotsOf(cube, 'prior_detainer', ['community|declined_before|no_detainer_found', 'community|no_declined_before|no_detainer_found']);
  const linked = [...latest(OUTCOMES), ...none];
  const parts: [string, number[]][] = [
    ...OUTCOMES.map((x) => [`latest_detainer_${x}`, latest([x])] as [string, number[]]),
    ['latest_detainer_not_transferred', latest(NOT_TRANSFERRED)],
    ['no_detainer_found', none],
  ];
  const unlinked = slotsOf(cube, 'prior_detainer', ['community|no_identifier']);
  // The denominator from the coarser `arrest_link` cells (the same records, published more often).
  const linkedTotal = slotsOf(cube, 'arrest_link', ['community|after_declined_detainer', 'community|no_declined_detainer_found']);
  const rows: Row[] = [];
  for (const p of ctx.periods) {
    if (cube.figure(ctx.place.unit, p.cells, linked).status === 'not_available') {
      rows.push({ ...base(ctx, p, 'total'), ...countFields(NOT_AVAILABLE), denominator: null, share: null });
      continue;
    }
    const d = cube.figure(ctx.place.unit, p.cells, linkedTotal);
    for (const [value, slots] of parts) {
      const f = slots.length ? cube.figure(ctx.place.unit, p.cells, slots) : EXACT_ZERO;
      rows.push({ ...base(ctx, p, value), ...countFields(f), denominator: d.count, share: share(f.count, d.count) });
    }
    const u = cube.figure(ctx.place.unit, p.cells, unlinked);
    rows.push({ ...base(ctx, p, 'no_identifier'), ...countFields(u), denominator: null, share: null });
  }
  return rows;
}

const ARREST_SETTINGS_AFTER = ['community', 'custodial', 'other_or_unknown_setting'];

/**
 * Outcomes pooled in the "later" metrics' total rows: the holding agency declined the detainer or the
 * person left its custody another way. ICE's own withdrawals (`lifted_by_ice`) are not pooled with
 * them: a detainer ICE lifted says nothing about the jail. They are a row of their own by outcome.
 */
export const RELEASED_BY_AGENCY: readonly string[] = ['declined', 'released_other'];

/** `YYYY-MM-DD` plus `days`. */
function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Standard cells a follow-up figure of one period is read from, and the prepare dates they cover. */
export interface FollowUpCells {
  cells: string[];
  counted_from: string;
  counted_to: string;
}

/**
 * The cells of period `p` in which every detainer has had `windowDays` of follow-up before the
 * release's cut-off. The cut-off is bounded from below by the first day of the release's last month
 * of detainers (the cut-off is the latest event date, at least the latest prepare date), so a period
 * counts when its last day plus the window falls on or before that day. A period that has not closed
 * is cut back to the fiscal years at its start that have (the whole release becomes its first fiscal
 * years); when none has, null: the figure is not available yet, rather than a share that falls
 * towards the cut-off only because the later arrests have not happened yet.
 */
export function followUpCells(cube: Cube, p: Period, windowDays: number): FollowUpCells | null {
  if (!Number.isFinite(cube.lastMonth)) return null;
  const bound = monthStart(cube.lastMonth);
  if (addDays(p.period_end, windowDays) <= bound) return { cells: p.cells, counted_from: p.period_start, counted_to: p.period_end };
  const inPeriod = new Set(p.months);
  const cells: string[] = [];
  let i = p.months[0]!;
  let to: string | null = null;
  while (inPeriod.has(i)) {
    const key = periodKey(i, 'fiscal_year');
    let j = i;
    while (inPeriod.has(j + 1) && periodKey(j + 1, 'fiscal_year') === key) j++;
    // The fiscal year must lie whole inside the period (within the release's span) and have closed.
    const fyFirst = i - (((i % 12) + 3) % 12); // October of the fiscal year that holds month i
    const fyStart = Math.max(cube.firstMonth, fyFirst);
    const fyEnd = Math.min(cube.lastMonth, fyFirst + 11);
    if (fyStart !== i || fyEnd !== j || addDays(monthEnd(j), windowDays) > bound) break;
    cells.push(key);
    to = monthEnd(j);
    i = j + 1;
  }
  return to === null ? null : { cells, counted_from: p.period_start, counted_to: to };
}

/** The row of a figure over follow-up cells (or "not available" when the window has not closed). */
function followUpRow(ctx: MetricContext, p: Period, value: string, fu: FollowUpCells | null, num: number[], den: number[], days: boolean, windowDays = FOLLOW_UP_DAYS): Row {
  // One object literal per row, in the column order (cold answers build thousands of these).
  if (!fu) {
    return {
      period: p.period, period_start: p.period_start, period_end: p.period_end, place: ctx.place.unit, by: ctx.by, value,
      count: null, display: displayOf(NOT_AVAILABLE), status: 'not_available', withheld: false, withheld_cells: 0, count_low: null, count_high: null,
      denominator: null, share: null, days_n: null, p25_days: null, median_days: null, p75_days: null,
      follow_up_days: windowDays, counted_from: null, counted_to: null,
    };
  }
  const u = ctx.place.unit;
  const f = ctx.cube!.figure(u, fu.cells, num, days);
  const d = ctx.cube!.figure(u, fu.cells, den);
  const q = days ? quartiles(f.days, f.count) : NO_QUARTILES;
  return {
    period: p.period, period_start: p.period_start, period_end: p.period_end, place: u, by: ctx.by, value,
    count: f.count, display: displayOf(f), status: f.status, withheld: f.withheld, withheld_cells: f.withheld_cells, count_low: f.count_low, count_high: f.count_high,
    denominator: d.count, share: share(f.count, d.count), days_n: q.days_n, p25_days: q.p25_days, median_days: q.median_days, p75_days: q.p75_days,
    follow_up_days: windowDays, counted_from: fu.counted_from, counted_to: fu.counted_to,
  };
}

const NOT_AVAILABLE: Figure = { count: null, status: 'not_available', withheld: false, withheld_cells: 0, count_low: 0, count_high: null };
const NO_QUARTILES = { days_n: null, p25_days: null, median_days: null, p75_days: null } as const;

function laterArrestRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const rows: Row[] = [];
  // Slots are the same for every period: worked out once per answer.
  const memo = new Map<string, number[]>();
  const slots = (dim: string, values: string[]) => {
    const key = `${dim}/${values.join(',')}`;
    let out = memo.get(key);
    if (!out) memo.set(key, (out = slotsOf(cube, dim, values)));
    return out;
  };
  const pooled = RELEASED_BY_AGENCY;
  const windowDays = ctx.followUpDays ?? FOLLOW_UP_DAYS;
  // Within a shorter window: the window parts up to it (the longest window is the undivided value).
  const parts = windowDays === FOLLOW_UP_DAYS ? null : windowPartsWithin(windowDays);
  const after = parts ? WINDOW_PARTS.filter((w) => !parts.includes(w)) : [];
  // Each figure reads the coarsest cells that hold it, so a share is not a sum of small parts:
  // the detainers that can be linked (outcome × identifier), any later arrest (settings pooled).
  const linked = (os: readonly string[]) => slots('outcome_identifier', os.map((o) => `${o}|present`));
  const unlinked = (os: readonly string[]) => slots('outcome_identifier', os.map((o) => `${o}|missing`));
  const any = (os: readonly string[]) => (parts ? slots('later_arrest_any_window', os.flatMap((o) => parts.map((w) => `${o}|arrested|${w}`))) : slots('later_arrest_any', os.map((o) => `${o}|arrested`)));
  const none = (os: readonly string[]) => (parts ? slots('later_arrest_any_window', os.flatMap((o) => [`${o}|none`, ...after.map((w) => `${o}|arrested|${w}`)])) : slots('later_arrest_any', os.map((o) => `${o}|none`)));
  const inSetting = (os: readonly string[], s: string) => (parts ? slots('later_arrest_window', os.flatMap((o) => parts.map((w) => `${o}|${s}|${w}`))) : slots('later_arrest', os.map((o) => `${o}|${s}`)));
  for (const p of ctx.periods) {
    const fu = followUpCells(cube, p, windowDays);
    const push = (value: string, num: number[], den: number[], days: boolean) => rows.push(followUpRow(ctx, p, value, fu, num, den, days, windowDays));
    if (ctx.by === 'setting') {
      push('any_later_arrest', any(pooled), linked(pooled), true);
      for (const s of ARREST_SETTINGS_AFTER) push(s, inSetting(pooled, s), linked(pooled), true);
      // None within the window: the linked detainers less those arrested within it.
      push('none_found', none(pooled), linked(pooled), false);
      push('no_identifier', unlinked(pooled), slotsOf(cube, 'outcome', pooled), false);
    } else if (ctx.by === 'total') {
      push('any_later_arrest', any(pooled), linked(pooled), true);
    } else {
      for (const o of NON_TRANSFER_OUTCOMES) push(o, any([o]), linked([o]), true);
    }
  }
  return rows;
}

/** The values of `later_arrests_by_conviction` per `by`: each a set of violence classes (dimensions.ts, `violence_class`). */
const CONVICTION_SETS: Record<string, Record<string, readonly string[]>> = Object.fromEntries(
  (['violent_ucr', 'violent_broad'] as const).map((def) => [def, Object.fromEntries([def, `not_${def}`, 'unknown'].map((v) => [v, violenceClassesOf(def, v)]))]),
);

/** People later arrested after a non-transfer outcome, by whether their detainer's most serious conviction is in a violent set. */
function laterArrestConvictionRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const sets = CONVICTION_SETS[ctx.by] ?? CONVICTION_SETS.violent_ucr!;
  const groups: [string, readonly string[]][] = [...NON_TRANSFER_OUTCOMES.map((o): [string, readonly string[]] => [o, [o]]), ['declined_or_released_other', RELEASED_BY_AGENCY]];
  const plan = groups.map(([name, os]) => ({
    name,
    arrested: slotsOf(cube, 'later_arrest_any', os.map((o) => `${o}|arrested`)),
    each: Object.entries(sets).map(([value, classes]) => ({ value, slots: slotsOf(cube, 'later_arrest_violence', os.flatMap((o) => classes.map((c) => `${o}|arrested|${c}`))) })),
  }));
  const rows: Row[] = [];
  for (const p of ctx.periods) {
    const fu = followUpCells(cube, p, FOLLOW_UP_DAYS);
    for (const g of plan) {
      for (const e of g.each) rows.push({ ...followUpRow(ctx, p, e.value, fu, e.slots, g.arrested, false), outcome: g.name });
    }
  }
  return rows;
}

/**
 * The strict "declined" count beside the upper bound of detainers released without ICE custody:
 * declined + released otherwise + a blank lift reason (open_or_unknown, not unmapped), for periods
 * at least NEAR_CUTOFF_DAYS before the cut-off (so no blank in them is a person still in jail at it).
 */
function releasedWithoutCustodyRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const rows: Row[] = [];
  const declined = slotsOf(cube, 'outcome', ['declined']);
  const upper = [...slotsOf(cube, 'outcome', RELEASED_BY_AGENCY), ...slotsOf(cube, 'outcome_detail', ['open_or_unknown|blank', 'open_or_unknown|blank_near_cutoff'])];
  for (const p of ctx.periods) {
    const fu = followUpCells(cube, p, NEAR_CUTOFF_DAYS);
    rows.push(followUpRow(ctx, p, 'declined', fu, declined, [0], false, NEAR_CUTOFF_DAYS));
    rows.push(followUpRow(ctx, p, 'released_without_ice_custody_upper_bound', fu, upper, [0], false, NEAR_CUTOFF_DAYS));
  }
  return rows;
}

function laterRemovalRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const rows: Row[] = [];
  const windowDays = ctx.followUpDays ?? FOLLOW_UP_DAYS;
  // Within a shorter window: the window parts up to it of later_removal_window.
  const parts = windowDays === FOLLOW_UP_DAYS ? null : windowPartsWithin(windowDays);
  const groups = ctx.by === 'total' ? [['declined_or_released_other', RELEASED_BY_AGENCY] as const] : NON_TRANSFER_OUTCOMES.map((o) => [o, [o]] as const);
  // Slots are the same for every period: worked out once per answer. The denominator is one cell per
  // outcome (outcome × identifier), not removed + not removed.
  const plan = groups.map(([value, os]) => ({
    value,
    removed: parts ? slotsOf(cube, 'later_removal_window', os.flatMap((o) => parts.map((w) => `${o}|removed|${w}`))) : slotsOf(cube, 'later_removal', os.map((o) => `${o}|removed`)),
    linked: slotsOf(cube, 'outcome_identifier', os.map((o) => `${o}|present`)),
  }));
  for (const p of ctx.periods) {
    const fu = followUpCells(cube, p, windowDays);
    for (const g of plan) rows.push(followUpRow(ctx, p, g.value, fu, g.removed, g.linked, false, windowDays));
  }
  return rows;
}

function communityAfterDeclinedRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const rows: Row[] = [];
  for (const p of ctx.periods) {
    const f = cube.figure(ctx.place.unit, p.cells, slotsOf(cube, 'arrest_link', ['community|after_declined_detainer']));
    const d = cube.figure(ctx.place.unit, p.cells, slotsOf(cube, 'arrest_link', ['community|after_declined_detainer', 'community|no_declined_detainer_found']));
    rows.push({ ...base(ctx, p, 'community_after_declined_detainer'), ...countFields(f), denominator: d.count, share: share(f.count, d.count) });
  }
  return rows;
}

/** Sum of figures: exact only when every part is; bounds add. */
export function addFigures(figures: Figure[]): Figure {
  let low = 0;
  let withheld = 0;
  let published = 0;
  let high: number | null = 0;
  for (const f of figures) {
    low += f.count_low;
    withheld += f.withheld_cells;
    if (f.status !== 'withheld') published += f.count ?? f.count_low;
    high = high === null || f.count_high === null ? null : high + f.count_high;
  }
  const status = withheld === 0 ? 'exact' : published === 0 && figures.every((f) => f.status !== 'at_least') ? 'withheld' : 'at_least';
  return { count: status === 'exact' ? low : null, status, withheld: status === 'withheld', withheld_cells: withheld, count_low: low, count_high: high };
}

/** Records of a unit whose facility or place could not be put in a county, from published cells. */
export function countyUnmatched(cube: Cube, unit: string, months: readonly string[]): Figure | null {
  const info = cube.units.get(unit);
  if (!info) return addFigures([]);
  const zero = addFigures([]);
  const unmatched = (key: string) => key.startsWith('county:unmatched-');
  switch (info.level) {
    case 'nation':
      return addFigures([...cube.units.values()].filter((u) => u.level === 'county' && unmatched(u.key)).map((u) => cube.figure(u.key, months, [0])));
    case 'state':
      return cube.figure(`county:unmatched-${unit.slice(6)}`, months, [0]);
    case 'county':
      return unmatched(unit) ? cube.figure(unit, months, [0]) : zero;
    case 'facility':
      return info.parents.some(unmatched) ? cube.figure(unit, months, [0]) : zero;
    case 'aor': {
      const kids = cube.children.get(unit)?.get('facility');
      if (!kids) return null;
      return addFigures(kids.filter((k) => cube.units.get(k)!.parents.some(unmatched)).map((k) => cube.figure(k, months, [0])));
    }
  }
}

/** Data-quality figures that bound a slice, from published cells of the same cube. */
export function qualityFigures(cube: Cube, unit: string, months: readonly string[]): Row[] {
  const total = cube.figure(unit, months, [0]);
  const out: Row[] = [];
  const push = (measure: string, f: Figure | null, note: string) => {
    out.push({ measure, ...(f ? countFields(f) : { count: null, display: 'not available', status: 'not_available', withheld: false, withheld_cells: 0, count_low: null, count_high: null }), denominator: total.count, share: f ? share(f.count, total.count) : null, note });
  };
  if (cube.universe === 'detainers') {
    push('lift_reason_blank', cube.figure(unit, months, slotsOf(cube, 'outcome_detail', cube.values('outcome_detail').filter(isBlankLiftDetail))), 'Detainer Lift Reason is blank: the outcome rests on other evidence or is open_or_unknown.');
  }
  push('identifier_missing', cube.figure(unit, months, slotsOf(cube, 'identifier', ['missing'])), 'No person identifier: cannot be linked to later arrests or removals.');
  push('county_unmatched', countyUnmatched(cube, unit, months), cube.universe === 'detainers' ? 'Facility not matched to a county: counted in state and nation figures, in no county.' : 'Apprehension county not matched to a county FIPS code.');
  return out;
}

/** Every metric, in documentation order. */
export const METRICS: readonly MetricDefinition[] = [
  {
    id: 'detainers_issued',
    title: 'Detainers issued',
    description: 'Number of ICE detainers prepared in each period for facilities in the place. Every form ICE files in the detainer table counts: hold requests (I-247, I-247D, I-247A) and requests that ask for no hold, notification (I-247N) and voluntary transfer (I-247X); `by=detainer_type` splits them.',
    counts: 'Non-duplicate detainers of one release, placed in time by "Detainer Prepare Date" and in space by the detention facility named on the detainer.',
    numerator: 'Detainers prepared in the period (the period\'s own cell, counted from the records).',
    denominator: 'For `by` other than `total`: published detainers in the same period and place (shares).',
    exclusions: DETAINER_EXCLUSIONS,
    violence: [
      { by: 'violent_ucr', definition: 'violent_ucr' },
      { by: 'violent_broad', definition: 'violent_broad' },
    ],
    universe: 'detainers',
    by: ['total', 'criminality', 'offense_category', 'violent_ucr', 'violent_broad', 'detainer_type', 'regime', 'outcome'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    compute: (ctx) => countRows(ctx, { dim: ctx.by === 'total' ? null : ctx.by, shares: ctx.by !== 'total', days: false }),
  },
  {
    id: 'detainers_by_criminality',
    title: 'Detainers by criminality',
    description: 'Detainers prepared in each period, split by ICE\'s criminality field on the detainer, with each value\'s share.',
    counts: 'Non-duplicate detainers of one release by "Detainer Prepared Criminality".',
    numerator: 'Detainers with the criminality value.',
    denominator: 'Published detainers in the same period and place.',
    exclusions: DETAINER_EXCLUSIONS,
    violence: [],
    universe: 'detainers',
    by: ['criminality'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    compute: (ctx) => countRows(ctx, { dim: 'criminality', shares: true, days: false }),
  },
  {
    id: 'detainers_by_offense_category',
    title: 'Detainers by offense category',
    description: 'Detainers prepared in each period by the category of the most serious conviction, or by whether it falls in one of the two named "violent" sets.',
    counts: 'Non-duplicate detainers of one release by the offense category of the MSC charge (src/offense).',
    numerator: 'Detainers in the category (or in / outside the violent set).',
    denominator: 'Published detainers in the same period and place.',
    exclusions: [
      ...DETAINER_EXCLUSIONS,
      { what: 'Nothing is excluded for a blank, redacted or unmapped conviction', why: 'Those detainers are counted as `unknown`, so the categories add up to the total.' },
    ],
    violence: [
      { by: 'violent_ucr', definition: 'violent_ucr' },
      { by: 'violent_broad', definition: 'violent_broad' },
    ],
    universe: 'detainers',
    by: ['offense_category', 'violent_ucr', 'violent_broad'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    compute: (ctx) => countRows(ctx, { dim: ctx.by, shares: true, days: false }),
  },
  {
    id: 'offense_categories_by_outcome',
    title: 'Offense categories of detainers by outcome',
    description:
      'The category of the most serious conviction of the people whose detainers had a given outcome, e.g. those declined by the jail or still open: `by` names the outcome group (declined_or_open by default). `open_or_unknown` includes people still in jail (detainers prepared shortly before the cut-off with a blank lift reason), and `declined` is only what ICE recorded as declined.',
    counts: 'Non-duplicate detainers of one release with an outcome in the group, by the offense category of the MSC charge (src/offense, src/link).',
    numerator: 'Detainers in the outcome group with the category.',
    denominator: 'Published detainers in the outcome group in the same period and place.',
    exclusions: [
      ...DETAINER_EXCLUSIONS,
      { what: 'Nothing is excluded for a blank, redacted or unmapped conviction', why: 'Those detainers are counted as `unknown`, so the categories add up to the group.' },
    ],
    violence: [],
    universe: 'detainers',
    by: Object.keys(OUTCOME_GROUPS),
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    planDim: () => 'outcome_offense',
    compute: offenseByOutcomeRows,
  },
  {
    id: 'detainers_by_detainer_type',
    title: 'Detainers by detainer type',
    description: 'Detainers prepared in each period by ICE\'s "Detainer Type" field: the form, and so what it asked of the holding agency — a hold of up to 48 hours (I-247, I-247D, I-247A), a notification before release with no hold (I-247N), or a voluntary transfer (I-247X; the synthetic releases write I-247G). "Declined" and "transferred" mean different things for a request that asked for no hold.',
    counts: 'Non-duplicate detainers of one release by detainer type as written.',
    numerator: 'Detainers of the type.',
    denominator: 'Published detainers in the same period and place.',
    exclusions: DETAINER_EXCLUSIONS,
    violence: [],
    universe: 'detainers',
    by: ['detainer_type'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    compute: (ctx) => countRows(ctx, { dim: 'detainer_type', shares: true, days: false }),
  },
  {
    id: 'detainer_outcomes',
    title: 'Detainer lifecycle outcomes',
    description: 'What the release shows became of detainers prepared in each period: transferred to ICE (the lift reason says so, or a blank lift reason is followed by an ICE stay whose linked arrest is custodial), ICE custody without a linked arrest (`ice_custody_unlinked`: a blank lift reason and an ICE stay that no arrest record ties to the jail — a handoff whose arrest record is missing and an arrest at large whose record is missing look the same, so it is not counted as a transfer), declined, lifted by ICE, released otherwise, or open/unknown (blank lift reasons include people still in jail at the cut-off); with shares and the days from the prepare date to the outcome where both dates exist. `by=outcome_detail` splits each outcome by what it rests on: a transfer by its lift reason or by a linked book-in; ICE\'s withdrawals because the person is or claims to be a U.S. citizen apart from the others; open or unknown into a blank lift reason near the cut-off (the person may still be held), an older blank, and an unmapped lift reason. ' + DECLINED_CAVEAT,
    counts: 'Non-duplicate detainers of one release by lifecycle outcome class (src/link).',
    numerator: 'Detainers with the outcome.',
    denominator: 'Published detainers in the same period and place.',
    exclusions: [
      ...DETAINER_EXCLUSIONS,
      { what: 'Days: detainers without an outcome date (no lift date; no ICE stay for a transfer or ICE custody)', why: 'No interval can be measured; `days_n` is given only when every detainer counted has one (it is a count the protection does not cover), and quartiles always rest on at least 11.' },
      { what: 'Quartiles over fewer than 11 intervals', why: 'A median of a handful of records describes those people.' },
    ],
    violence: [],
    universe: 'detainers',
    by: ['outcome', 'outcome_detail'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS, ...DAY_COLUMNS],
    compute: (ctx) => countRows(ctx, { dim: ctx.by, shares: true, days: true }),
  },
  {
    id: 'detainers_released_without_ice_custody',
    title: 'Detainers declined, and released without ICE custody (upper bound)',
    description: `Two figures side by side for detainers prepared in each period. \`declined\`: the strict count, lift reason "Detainer Declined by LEA". \`released_without_ice_custody_upper_bound\`: declined, plus released otherwise (the person left the holding agency's custody, was transferred to another non-ICE custody, died, or a court ended the detainer), plus a blank lift reason that no evidence of a handoff followed (\`open_or_unknown\` with a blank lift reason: no ICE stay within 180 days of the prepare date, or one that followed an arrest at large). It is an upper bound: a blank lift reason can also hide a handoff whose book-in is not in the release or came later, or a person still held; ICE's own withdrawals (\`lifted_by_ice\`), unmapped lift reasons and ICE custody without a linked arrest are not in it. Given only for periods that end at least ${NEAR_CUTOFF_DAYS} days before the release's cut-off (\`counted_from\`..\`counted_to\`; the whole release is cut back to its fiscal years that do), since a blank lift reason near the cut-off mostly means the person is still in jail. ${DECLINED_RECORD} ${DETAINER_TYPE_NOTE}`,
    counts: 'Non-duplicate detainers of one release by lifecycle outcome class and whether the lift reason is blank (src/link).',
    numerator: '`declined`: detainers with outcome declined. `released_without_ice_custody_upper_bound`: detainers with outcome declined or released_other, or open_or_unknown with a blank lift reason.',
    denominator: 'Published detainers in the same cells and place.',
    exclusions: [
      ...DETAINER_EXCLUSIONS,
      { what: `Periods ending fewer than ${NEAR_CUTOFF_DAYS} days before the cut-off (\`not_available\`)`, why: 'Blank lift reasons there are mostly detainers still open (src/link/DESIGN.md, "Release cut-off and detainers still open").' },
    ],
    violence: [],
    universe: 'detainers',
    by: ['total'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS, ...FOLLOW_UP_COLUMNS],
    compute: releasedWithoutCustodyRows,
  },
  {
    id: 'detainer_outcomes_by_regime',
    title: 'Detainer outcomes by the policy in force',
    description: `What became of detainers (the lifecycle outcomes of \`detainer_outcomes\`) under each detainer policy in force at the facility's place, from reference/policies (src/policy): \`by=regime_at_prepare\` (default) takes the policy on the prepare date, \`by=regime_at_lift\` the policy on the lift date (release follows the law of the day the person is let go; \`no_lift_date\` where the release gives none). Each row is one outcome within one regime (\`regime\` column), with its share of that regime's detainers; \`regime = holds_allowed_or_required\` pools the regimes under which the jail may or must hold (hold_required, no_local_limits, holds_allowed, holds_conditional), so its \`lifted_by_ice\`, \`released_other\` and \`open_or_unknown\` rows show where the law let the jail hold and the release shows no transfer. Published for the nation, states and areas of responsibility by fiscal year, calendar year and whole release (a cross of two breakdowns; finer cells would nearly all be withheld). The policy in force is Handoff's reading of the law, with its citations on each place's timeline; \`no_data\` where no dated entry decides. ${DECLINED_CAVEAT}`,
    counts: 'Non-duplicate detainers of one release by the regime in force at the facility\'s place on the prepare (or lift) date and by lifecycle outcome class (src/policy, src/link).',
    numerator: 'Detainers under the regime with the outcome.',
    denominator: 'Published detainers under the same regime in the same period and place.',
    exclusions: [
      ...DETAINER_EXCLUSIONS,
      { what: 'Counties and facilities; months and quarters (`not_available`)', why: 'The cross of regime and outcome is published only where its cells can carry information (src/metrics/plan.ts); the place\'s own `detainer_outcomes` and the regime in force on its timeline give the rest.' },
    ],
    violence: [],
    universe: 'detainers',
    by: Object.keys(REGIME_JOINTS),
    columns: [...PERIOD_COLUMNS, 'regime', ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    planDim: regimeJointOf,
    compute: outcomesByRegimeRows,
  },
  {
    id: 'later_arrests_after_non_transfer',
    title: 'Later ICE arrests after a non-transfer outcome',
    description: `Among detainers that ended without a transfer to ICE, how many were followed by an ICE arrest of the same person within ${FOLLOW_UP_DAYS} days of the prepare date (or within ${SHORTER_WINDOWS} with \`follow_up_days\`) and before the person's next detainer. By default one row per outcome — declined by the holding agency, lifted by ICE (ICE's own withdrawal, which says nothing about the jail), released otherwise — never pooled across them; \`by=setting\` and \`by=total\` pool only the two in which the holding agency let the person go (declined, released otherwise), by the setting of the arrest (community or custodial). A figure is given only for periods whose every detainer has had the window's days of follow-up before the release's cut-off (\`counted_from\`..\`counted_to\` name the prepare dates counted; the whole release is cut back to the fiscal years that have), so recent periods read "not available" rather than falling for want of time; a shorter window reaches later periods. ${SHORTER_WINDOW_PLAN} Detainers with a blank lift reason (\`open_or_unknown\`) are not in this metric, though most releases without a handoff in non-cooperating places carry one. ${FROM_PREPARE_DATE} ${DECLINED_CAVEAT}`,
    counts: `Non-duplicate detainers of one release with outcome declined, lifted_by_ice or released_other, linked by person identifier to the person's next ICE arrest in the same release when it falls within ${FOLLOW_UP_DAYS} days of the prepare date and before the person's next detainer episode.`,
    numerator: `Detainers with such an arrest (in the setting named by \`value\`, or of the outcome named by \`value\`).`,
    denominator: 'Published detainers of the outcome (or of the pooled outcomes) with a person identifier in the same cells (for `no_identifier`: all of them).',
    exclusions: LATER_EXCLUSIONS,
    violence: [],
    universe: 'detainers',
    by: ['outcome', 'setting', 'total'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS, ...DAY_COLUMNS, ...FOLLOW_UP_COLUMNS],
    followUpWindows: FOLLOW_UP_WINDOWS,
    planDim: (by, days) => (days !== FOLLOW_UP_DAYS ? 'later_arrest_window' : by === 'total' ? 'outcome' : by),
    compute: laterArrestRows,
  },
  {
    id: 'later_removals_after_non_transfer',
    title: 'Later removals after a non-transfer outcome',
    description: `Among detainers that ended without a transfer to ICE, how many were followed by a removal of the same person departing within ${FOLLOW_UP_DAYS} days of the prepare date (or within ${SHORTER_WINDOWS} with \`follow_up_days\`) and before the person's next detainer. The departure comes from the removals table or from the detainer row's own "Departed Date" (a case-level field ICE repeats on the row), whichever is first. By default one row per outcome (declined, lifted by ICE, released otherwise); \`by=total\` pools declined and released otherwise (\`declined_or_released_other\`), never ICE's own withdrawals. Given only for periods whose every detainer has had the window's days of follow-up before the cut-off, as for later arrests. ${SHORTER_WINDOW_PLAN} ${DECLINED_CAVEAT}`,
    counts: `Non-duplicate detainers of one release with outcome declined, lifted_by_ice or released_other and a person identifier, with the first departure on or after the prepare date when it falls within ${FOLLOW_UP_DAYS} days and before the person's next detainer episode.`,
    numerator: 'Detainers followed by such a removal.',
    denominator: 'Published detainers of the outcome (or of the pooled outcomes) with a person identifier in the same cells.',
    exclusions: [
      ...LATER_EXCLUSIONS,
      { what: 'Removals of detainers without a person identifier (the detainer row\'s own Departed Date gives some; the lifecycle table records them)', why: 'The published breakdown keeps every detainer without an identifier in `no_identifier`, outside the denominator.' },
    ],
    violence: [],
    universe: 'detainers',
    by: ['outcome', 'total'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS, ...FOLLOW_UP_COLUMNS],
    followUpWindows: FOLLOW_UP_WINDOWS,
    planDim: (_by, days) => (days !== FOLLOW_UP_DAYS ? 'later_removal_window' : 'outcome'),
    compute: laterRemovalRows,
  },
  {
    id: 'later_arrests_by_conviction',
    title: 'Convictions of the people later arrested by ICE after a non-transfer outcome',
    description: `Among detainers that ended without a transfer to ICE and were followed by an ICE arrest of the same person within ${FOLLOW_UP_DAYS} days (as \`later_arrests_after_non_transfer\` counts them), whether the detainer's most serious conviction falls in a named violent set: \`by=violent_ucr\` (default) or \`by=violent_broad\`, each defined in src/offense with its sources. One row per outcome (\`outcome\` column: declined, lifted by ICE, released otherwise, and declined_or_released_other pooled), with its share of that outcome's later-arrested detainers. \`unknown\`: the release gives no categorized conviction (no conviction, or a charge the crosswalk does not map) — not "not violent". The conviction is the one ICE recorded on the detainer, not a conviction after the later arrest. Published for the nation, states and areas of responsibility by fiscal year, calendar year and whole release. ${FROM_PREPARE_DATE} ${DECLINED_CAVEAT}`,
    counts: `Non-duplicate detainers of one release with outcome declined, lifted_by_ice or released_other and a person identifier, followed by the person's next ICE arrest within ${FOLLOW_UP_DAYS} days and before the next detainer episode, by the violence class of the detainer's most serious conviction (src/offense).`,
    numerator: 'Later-arrested detainers of the outcome whose most serious conviction is in the set named by `value` (or outside it, or unknown).',
    denominator: 'Published later-arrested detainers of the outcome in the same cells.',
    exclusions: [
      ...LATER_EXCLUSIONS,
      { what: 'Counties, facilities, months and quarters (`not_available`)', why: 'The cross is published only where its cells can carry information (src/metrics/plan.ts).' },
    ],
    violence: [
      { by: 'violent_ucr', definition: 'violent_ucr' },
      { by: 'violent_broad', definition: 'violent_broad' },
    ],
    universe: 'detainers',
    by: ['violent_ucr', 'violent_broad'],
    columns: [...PERIOD_COLUMNS, 'outcome', ...COUNT_COLUMNS, ...SHARE_COLUMNS, ...FOLLOW_UP_COLUMNS],
    planDim: () => 'later_arrest_violence',
    compute: laterArrestConvictionRows,
  },
  {
    id: 'ice_arrests_by_method',
    title: 'ICE arrests by setting',
    description: 'ICE arrests in each period by setting — custodial (taken from a jail or prison) or community — from the apprehension method, or by criminality.',
    counts: 'Non-duplicate ICE arrests of one release, placed by apprehension date and apprehension state / county / AOR.',
    numerator: 'Arrests in the setting (or with the criminality value).',
    denominator: 'Published arrests in the same period and place.',
    exclusions: ARREST_EXCLUSIONS,
    violence: [],
    universe: 'arrests',
    by: ['method', 'criminality', 'total'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    compute: (ctx) => countRows(ctx, { dim: ctx.by === 'total' ? null : ctx.by, shares: ctx.by !== 'total', days: false }),
  },
  {
    id: 'ice_arrests_by_setting_and_criminality',
    title: 'ICE arrests by setting and criminality',
    description: 'ICE arrests in each period by setting — custodial (taken from a jail or prison), community, other, or unknown, from the apprehension method (reference/link/apprehension-methods.csv) — crossed with ICE\'s "Apprehension Criminality" of the person: convicted criminal, pending criminal charges, other immigration violator, other, unknown. Each row is one criminality within one setting (`setting` column), with its share of that setting\'s arrests; a setting without arrests in the period has no rows. The criminality is ICE\'s own field as the release gives it: "other immigration violator" means ICE recorded neither a conviction nor a pending charge, not that the person has none. ICE\'s threat level is not broken down (Handoff does not load it). Published for the nation, states and areas of responsibility by fiscal year, calendar year and whole release (a cross of two breakdowns; `ice_arrests_by_method` gives each alone by month).',
    counts: 'Non-duplicate ICE arrests of one release, placed by apprehension date and apprehension state / county / AOR, by setting and criminality.',
    numerator: 'Arrests in the setting with the criminality value.',
    denominator: 'Published arrests in the same setting, period and place.',
    exclusions: [
      ...ARREST_EXCLUSIONS,
      { what: 'Counties; months and quarters (`not_available`)', why: 'The cross is published only where its cells can carry information (src/metrics/plan.ts); `ice_arrests_by_method` gives the setting and the criminality one at a time.' },
    ],
    violence: [],
    universe: 'arrests',
    by: ['setting_criminality'],
    columns: [...PERIOD_COLUMNS, 'setting', ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    planDim: () => 'method_criminality',
    compute: arrestsBySettingRows,
  },
  {
    id: 'community_arrests_by_prior_detainer',
    title: 'Community arrests by the outcome of the person\'s latest earlier detainer',
    description: `Among ICE community arrests of a person with an identifier, what became of that person's latest detainer in the same release prepared on or before the arrest date: one row per lifecycle outcome (\`latest_detainer_<outcome>\`, src/link), a pooled row \`latest_detainer_not_transferred\` (declined, lifted by ICE, released otherwise, or open or unknown: the release shows no handoff to ICE on it), and \`no_detainer_found\`; each with its share of the community arrests with an identifier. \`no_identifier\` counts the community arrests that cannot be linked, outside the denominator. A detainer before the release's first month is not seen, so \`no_detainer_found\` is an upper bound early in a release. A detainer without a transfer in the release can still have ended in ICE custody that the release does not show (src/link/DESIGN.md). ${DECLINED_RECORD}`,
    counts: 'Non-duplicate community ICE arrests of one release with a person identifier, by the lifecycle outcome of the person\'s latest non-duplicate detainer prepared on or before the arrest date.',
    numerator: 'Community arrests whose person\'s latest earlier detainer had the outcome (or one of the pooled outcomes).',
    denominator: 'Published community arrests with a person identifier in the same period and place.',
    exclusions: [
      ...ARREST_EXCLUSIONS,
      { what: 'Community arrests without a person identifier (the `no_identifier` row)', why: 'They cannot be linked to detainers.' },
      { what: 'Detainers in other releases', why: 'ICE assigns new anonymized identifiers in each release, so records link within one release only.' },
      { what: 'Counties; months and quarters (`not_available`)', why: 'The cross is published only where its cells can carry information (src/metrics/plan.ts).' },
    ],
    violence: [],
    universe: 'arrests',
    by: ['prior_detainer'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    planDim: () => 'prior_detainer',
    compute: communityByPriorDetainerRows,
  },
  {
    id: 'removals',
    title: 'Removals',
    description: 'ICE removals in each period, by the date the person departed, or by ICE\'s case criminality. A removal is counted in the period of its departure; ICE\'s own fiscal-year totals can count a removal recorded in a year but departed before it (the FY2016 removals file holds 240,255 removals, 235,524 of them departed within FY2016).',
    counts: 'Non-duplicate removals of one release with a departure date, placed by "Departed Date" and by the apprehension state / county and the AOR the row gives.',
    numerator: 'Removals that departed in the period (or with the criminality value).',
    denominator: 'For `by=criminality`: published removals in the same period and place (shares).',
    exclusions: [
      ...REMOVAL_RECORD_EXCLUSIONS,
      DETAINER_EXCLUSIONS[2]!,
      DETAINER_EXCLUSIONS[3]!,
    ],
    violence: [],
    universe: 'removals',
    by: ['total', 'criminality'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    compute: (ctx) => countRows(ctx, { dim: ctx.by === 'total' ? null : ctx.by, shares: ctx.by !== 'total', days: false }),
  },
  {
    id: 'removals_after_detainer',
    title: 'Removals of people with an earlier detainer',
    description: 'How many of the removals that departed in each period were of a person with a detainer in the same release, prepared on or before the departure date (`after_detainer`), how many were not (`no_detainer_found`), and how many carry no person identifier and cannot be linked (`no_identifier`), each with its share of all removals. The detainer-connected share of removals lies between the `after_detainer` share and that share plus the `no_identifier` share. Identifiers link records within one release only, so a detainer lodged before the release\'s first month is not seen: the share is a lower bound for removals early in a release. Every row is "not available" when the release has no detainer records (a removals-only release).',
    counts: 'Non-duplicate removals of one release with a departure date, by whether a non-duplicate detainer of the same person identifier in the same release was prepared on or before the departure date.',
    numerator: 'Removals in the group.',
    denominator: 'Published removals in the same period and place.',
    exclusions: [
      ...REMOVAL_RECORD_EXCLUSIONS,
      { what: 'Detainers in other releases', why: 'ICE assigns new anonymized identifiers in each release, so records link within one release only.' },
      DETAINER_EXCLUSIONS[3]!,
    ],
    violence: [],
    universe: 'removals',
    by: ['detainer_link'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    // A release without detainer records is "not available" through missingInputs (query.ts).
    compute: (ctx) => countRows(ctx, { dim: 'detainer_link', shares: true, days: false }),
  },
  {
    id: 'community_arrests_after_declined_detainer',
    title: 'Community arrests that follow a declined detainer',
    description: 'Among ICE community arrests, how many were of a person for whom a detainer in the same release, prepared on or before the arrest date, was declined (lift reason "Detainer Declined by LEA"). A low share does not mean few people were released despite a detainer: ' + DECLINED_CAVEAT,
    counts: 'Non-duplicate community ICE arrests of one release with a person identifier.',
    numerator: 'Community arrests of a person with a declined detainer prepared on or before the arrest date.',
    denominator: 'Published community arrests with a person identifier in the same period and place.',
    exclusions: [
      ...ARREST_EXCLUSIONS,
      { what: 'Community arrests without a person identifier', why: 'They cannot be linked to detainers.' },
    ],
    violence: [],
    universe: 'arrests',
    by: ['total'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    compute: communityAfterDeclinedRows,
  },
  {
    id: 'policy_context',
    title: 'Detainer policy in force and 287(g) agreements',
    description: 'For each period: the detainer policy in force for the place at the start and end of the period, whether it changed, the entry that decides it with its citation, and the number of 287(g) agreements listed as participating in the latest ICE sheet on or before the period end, with their models (`agreements_287g_models`: jail enforcement, warrant service officer, task force, as the sheet names them) — read from the 287(g) sheets loaded, not typed by hand; null when no loaded sheet is that old.',
    counts: 'Reviewed policy entries (reference/policies) and 287(g) agreement rows; no person records.',
    numerator: 'Not a ratio.',
    denominator: null,
    exclusions: [
      { what: 'City policies', why: 'Facilities are placed in counties, not cities; a city policy can differ from its county\'s.' },
      { what: 'Nation and AOR places get no single regime (`varies`)', why: 'Policies are set by states, counties and cities.' },
    ],
    violence: [],
    universe: 'context',
    by: ['total'],
    columns: ['period', 'period_start', 'period_end', 'place', 'policy_place', 'regime_at_start', 'regime_at_end', 'changed_in_period', 'date_unknown', 'decided_by', 'citation', 'agreements_287g_participating', 'agreements_287g_models', 'agreements_287g_snapshot'],
    compute: (ctx) => policyContextRows(ctx),
  },
  {
    id: 'data_quality',
    title: 'Data quality of detainer records',
    description: 'For detainers prepared in each period: how many have a blank lift reason, no person identifier, or a facility not matched to a county. These bound every detainer metric for the same slice.',
    counts: 'Non-duplicate detainers of one release.',
    numerator: 'Detainers with the quality issue named by `value`.',
    denominator: 'Published detainers in the same period and place.',
    exclusions: DETAINER_EXCLUSIONS,
    violence: [],
    universe: 'detainers',
    by: ['total'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    compute: (ctx) =>
      ctx.periods.flatMap((p) =>
        qualityFigures(ctx.cube!, ctx.place.unit, p.cells).map((q) => {
          const { measure, note: _note, ...rest } = q;
          return { ...base(ctx, p, String(measure)), ...rest };
        }),
      ),
  },
];

export function findMetric(id: string): MetricDefinition | undefined {
  return METRICS.find((m) => m.id === id);
}
