/**
 * The named metrics. Each is a definition in code — what it counts, numerator, denominator,
 * exclusions and why, which "violent" definition applies, the `by` values it supports — and a
 * function that reads published cells of the publication cube. docs/metrics.md is generated from
 * this file (scripts/gen-docs.ts).
 */
import type { ViolenceDefinitionId } from '../offense/index.ts';
import type { Cube, Figure } from './cube.ts';
import { NON_TRANSFER_OUTCOMES, type Universe } from './dimensions.ts';
import type { Period } from './periods.ts';
import type { PlaceParam } from './place.ts';
import { policyContextRows } from './context.ts';
import type { MetricsService } from './service.ts';

export type Row = Record<string, string | number | boolean | null>;

export interface MetricContext {
  cube: Cube | null;
  service: MetricsService;
  place: PlaceParam;
  periods: Period[];
  by: string;
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
  /** Row columns, in order (JSON keys and CSV header). */
  columns: string[];
  compute(ctx: MetricContext): Row[];
}

const PERIOD_COLUMNS = ['period', 'period_start', 'period_end', 'place', 'by', 'value'];
const COUNT_COLUMNS = ['count', 'display', 'status', 'withheld', 'withheld_cells', 'count_low', 'count_high'];
const SHARE_COLUMNS = ['denominator', 'share'];
const DAY_COLUMNS = ['days_n', 'p25_days', 'median_days', 'p75_days'];

/** Detainer-universe exclusions shared by every detainer metric. */
const DETAINER_EXCLUSIONS = [
  { what: 'Rows flagged as duplicates (`is_duplicate`)', why: 'The same detainer listed twice would be counted twice.' },
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

const LATER_EXCLUSIONS = [
  ...DETAINER_EXCLUSIONS,
  { what: 'Detainers without a person identifier (reported as `no_identifier`, outside the denominator of linked shares)', why: 'They cannot be linked to a later arrest or removal.' },
  { what: 'Arrests and removals in other releases', why: 'Person identifiers are assigned per release and do not link across releases.' },
];

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
export function quartiles(values: number[] | undefined, count: number | null): Row {
  const n = values?.length ?? 0;
  const daysN = count !== null && n === count ? n : null;
  if (!values || n < 11) return { days_n: daysN, p25_days: null, median_days: null, p75_days: null };
  const v = [...values].sort((a, b) => a - b);
  const q = (p: number): number => {
    const pos = (n - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return Math.round((v[lo]! + (v[hi]! - v[lo]!) * (pos - lo)) * 10) / 10;
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
      const row: Row = { ...base(ctx, p, v), ...countFields(f) };
      if (opts.shares) Object.assign(row, { denominator: total.count, share: share(f.count, total.count) });
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
};

/** Offense categories within an outcome group: sums of published outcome × category cells. */
function offenseByOutcomeRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const outcomes = OUTCOME_GROUPS[ctx.by ?? 'declined_or_open'] ?? OUTCOME_GROUPS.declined_or_open!;
  const joint = cube.values('outcome_offense').filter((v) => outcomes.includes(v.slice(0, v.indexOf('|'))));
  const categories = [...new Set(joint.map((v) => v.slice(v.indexOf('|') + 1)))].sort();
  const rows: Row[] = [];
  for (const p of ctx.periods) {
    const total = cube.figure(ctx.place.unit, p.cells, slotsOf(cube, 'outcome_offense', joint));
    for (const category of categories) {
      const f = cube.figure(ctx.place.unit, p.cells, slotsOf(cube, 'outcome_offense', outcomes.map((o) => `${o}|${category}`)));
      rows.push({ ...base(ctx, p, category), ...countFields(f), denominator: total.count, share: share(f.count, total.count) });
    }
  }
  return rows;
}

const ARREST_SETTINGS_AFTER = ['community', 'custodial', 'other_or_unknown_setting'];

function laterArrestRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const rows: Row[] = [];
  const la = (outcomes: readonly string[], settings: readonly string[]) =>
    slotsOf(cube, 'later_arrest', outcomes.flatMap((o) => settings.map((s) => `${o}|${s}`)));
  const linked = (outcomes: readonly string[]) => la(outcomes, [...ARREST_SETTINGS_AFTER, 'none']);
  for (const p of ctx.periods) {
    const u = ctx.place.unit;
    const push = (value: string, num: number[], den: number[], days: boolean) => {
      const f = cube.figure(u, p.cells, num, days);
      const d = cube.figure(u, p.cells, den);
      rows.push({ ...base(ctx, p, value), ...countFields(f), denominator: d.count, share: share(f.count, d.count), ...(days ? quartiles(f.days, f.count) : quartiles(undefined, null)) });
    };
    if (ctx.by === 'setting') {
      push('any_later_arrest', la(NON_TRANSFER_OUTCOMES, ARREST_SETTINGS_AFTER), linked(NON_TRANSFER_OUTCOMES), true);
      for (const s of ARREST_SETTINGS_AFTER) push(s, la(NON_TRANSFER_OUTCOMES, [s]), linked(NON_TRANSFER_OUTCOMES), true);
      push('none_found', la(NON_TRANSFER_OUTCOMES, ['none']), linked(NON_TRANSFER_OUTCOMES), false);
      push('no_identifier', la(NON_TRANSFER_OUTCOMES, ['no_identifier']), slotsOf(cube, 'outcome', NON_TRANSFER_OUTCOMES), false);
    } else if (ctx.by === 'outcome') {
      for (const o of NON_TRANSFER_OUTCOMES) push(o, la([o], ARREST_SETTINGS_AFTER), linked([o]), true);
    } else {
      push('any_later_arrest', la(NON_TRANSFER_OUTCOMES, ARREST_SETTINGS_AFTER), linked(NON_TRANSFER_OUTCOMES), true);
    }
  }
  return rows;
}

function laterRemovalRows(ctx: MetricContext): Row[] {
  const cube = ctx.cube!;
  const rows: Row[] = [];
  const lr = (outcomes: readonly string[], parts: string[]) => slotsOf(cube, 'later_removal', outcomes.flatMap((o) => parts.map((x) => `${o}|${x}`)));
  for (const p of ctx.periods) {
    const outcomes = ctx.by === 'outcome' ? NON_TRANSFER_OUTCOMES.map((o) => [o, [o]] as const) : [['any_non_transfer', NON_TRANSFER_OUTCOMES] as const];
    for (const [value, os] of outcomes) {
      const f = cube.figure(ctx.place.unit, p.cells, lr(os, ['removed']));
      const d = cube.figure(ctx.place.unit, p.cells, lr(os, ['removed', 'not_removed']));
      rows.push({ ...base(ctx, p, value), ...countFields(f), denominator: d.count, share: share(f.count, d.count) });
    }
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
    push('lift_reason_blank', cube.figure(unit, months, slotsOf(cube, 'lift_reason', cube.values('lift_reason').filter((v) => v.endsWith('|blank')))), 'Detainer Lift Reason is blank: the outcome rests on other evidence or is open_or_unknown.');
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
    description: 'Number of ICE detainers prepared in each period for facilities in the place.',
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
      'The category of the most serious conviction of the people whose detainers had a given outcome, e.g. those declined by the jail or still open: `by` names the outcome group (declined_or_open by default).',
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
    compute: offenseByOutcomeRows,
  },
  {
    id: 'detainers_by_detainer_type',
    title: 'Detainers by detainer type',
    description: 'Detainers prepared in each period by ICE\'s "Detainer Type" field.',
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
    description: 'What the release shows became of detainers prepared in each period: transferred to ICE, declined, lifted by ICE, released otherwise, or open/unknown; with shares and the days from the prepare date to the outcome where both dates exist.',
    counts: 'Non-duplicate detainers of one release by lifecycle outcome class (src/link).',
    numerator: 'Detainers with the outcome.',
    denominator: 'Published detainers in the same period and place.',
    exclusions: [
      ...DETAINER_EXCLUSIONS,
      { what: 'Days: detainers without an outcome date (no lift date; no ICE arrest for a transfer)', why: 'No interval can be measured; `days_n` is given only when every detainer counted has one (it is a count the protection does not cover), and quartiles always rest on at least 11.' },
      { what: 'Quartiles over fewer than 11 intervals', why: 'A median of a handful of records describes those people.' },
    ],
    violence: [],
    universe: 'detainers',
    by: ['outcome'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS, ...DAY_COLUMNS],
    compute: (ctx) => countRows(ctx, { dim: 'outcome', shares: true, days: true }),
  },
  {
    id: 'later_arrests_after_non_transfer',
    title: 'Later ICE arrests after a non-transfer outcome',
    description: 'Among detainers that ended without a transfer to ICE (declined, lifted by ICE, released otherwise), how many were followed by an ICE arrest of the same person on or after the prepare date; by the setting of that arrest (community or custodial) or by outcome; with quartiles of the days from the prepare date to the arrest.',
    counts: 'Non-duplicate detainers of one release with outcome declined, lifted_by_ice or released_other, linked by person identifier to the next ICE arrest in the same release.',
    numerator: 'Detainers with a later ICE arrest (in the setting named by `value`).',
    denominator: 'Published non-transfer detainers with a person identifier in the same period and place (for `no_identifier`: all published non-transfer detainers).',
    exclusions: LATER_EXCLUSIONS,
    violence: [],
    universe: 'detainers',
    by: ['setting', 'outcome', 'total'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS, ...DAY_COLUMNS],
    compute: laterArrestRows,
  },
  {
    id: 'later_removals_after_non_transfer',
    title: 'Later removals after a non-transfer outcome',
    description: 'Among detainers that ended without a transfer to ICE, how many were followed by a removal of the same person departing on or after the prepare date.',
    counts: 'Non-duplicate non-transfer detainers of one release with a person identifier, linked to removals in the same release.',
    numerator: 'Detainers followed by a removal.',
    denominator: 'Published non-transfer detainers with a person identifier in the same period and place.',
    exclusions: LATER_EXCLUSIONS,
    violence: [],
    universe: 'detainers',
    by: ['total', 'outcome'],
    columns: [...PERIOD_COLUMNS, ...COUNT_COLUMNS, ...SHARE_COLUMNS],
    compute: laterRemovalRows,
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
    id: 'community_arrests_after_declined_detainer',
    title: 'Community arrests that follow a declined detainer',
    description: 'Among ICE community arrests, how many were of a person for whom a detainer in the same release, prepared on or before the arrest date, was declined.',
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
    description: 'For each period: the detainer policy in force for the place at the start and end of the period, whether it changed, the entry that decides it with its citation, and the number of 287(g) agreements listed as participating in the latest ICE sheet on or before the period end.',
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
    columns: ['period', 'period_start', 'period_end', 'place', 'policy_place', 'regime_at_start', 'regime_at_end', 'changed_in_period', 'date_unknown', 'decided_by', 'citation', 'agreements_287g_participating', 'agreements_287g_snapshot'],
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
