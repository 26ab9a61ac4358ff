/**
 * Runs a named metric for a set of parameters: checks them, picks the release and the cube, cuts
 * the window into periods and asks the definition for rows. The API and the CLI both call this.
 */
import { METRIC_PARAMS, type MetricQuery } from '../contract/index.ts';
import { HandoffError } from '../core/errors.ts';
import { findMetric, METRICS, qualityFigures, type MetricDefinition, type Row } from './definitions.ts';
import { GRAINS, monthIndex, monthLabel, parseWindow, periodsOf, tileCells, type Grain } from './periods.ts';
import { parsePlaceParam, type PlaceParam } from './place.ts';
import type { FactSource } from './facts.ts';
import type { MetricsService, RedactionRow, ReleaseInfo } from './service.ts';
import { SMALL_CELL_MAX, type Cube, type Level } from './cube.ts';
import { planNote } from './plan.ts';
import { FOLLOW_UP_DAYS } from '../link/index.ts';
import { isLaterArrestValue, UNIVERSE_WORDS, type Universe } from './dimensions.ts';

/** Query parameters every metric accepts (their one home is the API contract). */
export { METRIC_PARAMS };

/**
 * What runMetric uses for a parameter left out: a value it applies, or words for a default that
 * depends on the metric or the release. The API registry (and so /api/docs and OpenAPI) reads this.
 */
export const METRIC_DEFAULTS: Readonly<Record<(typeof METRIC_PARAMS)[number], { value: string } | { words: string }>> = {
  place: { value: 'nation' },
  grain: { value: 'month' },
  by: { words: "the metric's first (see its section)" },
  from: { words: "the release's first month" },
  to: { words: "the release's last month" },
  release: { words: 'the newest release with these records' },
  follow_up_days: { words: `${FOLLOW_UP_DAYS}, for the metrics that take a follow-up window (later arrests and removals)` },
};
export type MetricParams = MetricQuery;

export interface MetricResult {
  metric: MetricDefinition;
  rows: Row[];
  columns: readonly string[];
  place: PlaceParam;
  grain: Grain;
  by: string;
  release: ReleaseInfo;
  source: FactSource | null;
  /** Data-quality figures bounding the whole window for the place. */
  quality: Row[];
  redactions: Row[];
  notes: string[];
  /** First and last record dates of the release's universe (null when unknown). */
  coverage: { first_date: string | null; last_date: string | null };
  /** Periods of the rows that cover only part of their calendar span (fewer months, or cut mid-month). */
  partial_periods: string[];
}

/** Withholds a count of 1–10 in public mode (for figures outside the cube: release-level ledgers). */
export function primary(n: number, mode: 'public' | 'private'): number | null {
  return mode === 'public' && n >= 1 && n <= SMALL_CELL_MAX ? null : n;
}

export function redactionRows(list: RedactionRow[] | undefined, table: string | null, mode: 'public' | 'private'): Row[] {
  return (list ?? [])
    .filter((r) => table === null || r.table === table)
    .map((r) => {
      const redacted = primary(r.redacted, mode);
      // The rows a column was read from are a count too: withheld like one.
      const rows = primary(r.rows, mode);
      return { table: r.table, column_name: r.column_name, redacted, display: redacted === null ? 'withheld' : String(redacted), rows, share: redacted === null || rows === null ? null : Math.round((redacted / Math.max(1, r.rows)) * 10000) / 10000 };
    });
}

/** What a row of a metric whose inputs the release lacks says in place of figures. */
const NOT_AVAILABLE: Row = { count: null, display: 'not available', status: 'not_available', withheld: false, withheld_cells: 0, count_low: null, count_high: null, denominator: null, share: null, days_n: null, p25_days: null, median_days: null, p75_days: null };

/** The date that places a record of each universe in a period (facts.ts). */
const DATE_WORDS: Record<Universe, string> = { detainers: 'prepare date', arrests: 'apprehension date', removals: 'departure date ("Departed Date")' };

/** True when the release has rows of the cube's universe but none with the date that places one in a period. */
const undatedOnly = (cube: Cube, release: ReleaseInfo): boolean => cube.records === 0 && Number(release[cube.universe]) > 0;

/**
 * Why a metric cannot be computed from a release (null when it can): linking needs person
 * identifiers, and the table the link looks in. A count of zero would claim that nobody was
 * arrested or removed, which the release cannot say.
 */
export function missingInputs(id: string, cube: Cube, release: ReleaseInfo): string | null {
  const needs: Record<string, ('identifier' | 'arrests' | 'removals' | 'detainers')[]> = {
    later_arrests_after_non_transfer: ['identifier', 'arrests'],
    later_removals_after_non_transfer: ['identifier', 'removals'],
    later_arrests_by_conviction: ['identifier', 'arrests'],
    community_arrests_after_declined_detainer: ['identifier', 'detainers'],
    community_arrests_by_prior_detainer: ['identifier', 'detainers'],
    removals_after_detainer: ['detainers'],
  };
  const reasons: string[] = [];
  // Rows of the universe, none with the date that places a record in a period: not a zero.
  if (undatedOnly(cube, release)) {
    reasons.push(`its ${Number(release[cube.universe]).toLocaleString('en-US')} rows of ${UNIVERSE_WORDS[cube.universe]} carry no ${DATE_WORDS[cube.universe]}, so none can be placed in a period`);
  }
  for (const need of needs[id] ?? []) {
    if (need === 'identifier') {
      const present = cube.slot('identifier', 'present');
      const g = cube.group('nation', 'total');
      if (present === undefined || !g || g.counts[present] === 0) reasons.push('its records carry no person identifier, so nothing can be linked');
    } else if (Number(release[need]) === 0 && !linkedAny(cube, need)) reasons.push(`it has no ${need === 'arrests' ? 'ICE arrests' : need} table`);
  }
  return reasons.length ? reasons.join('; ') : null;
}

const placedMemo = new WeakMap<Cube, Map<Level, number>>();

/** Units of a level that hold records, apart from the ones for records that do not give the place (once per cube). */
function placedUnits(cube: Cube, level: Level): number {
  let memo = placedMemo.get(cube);
  if (!memo) placedMemo.set(cube, (memo = new Map()));
  const known = memo.get(level);
  if (known !== undefined) return known;
  let n = 0;
  for (const u of cube.units.values()) {
    if (u.level !== level || /^(state|aor):unknown$|^county:unmatched-|^facility:none-/.test(u.key)) continue;
    if ((cube.group(u.key, 'total')?.counts[0] ?? 0) > 0) n++;
  }
  memo.set(level, n);
  return n;
}

const PLACE_WORDS: Partial<Record<Level, string>> = { state: 'state', county: 'county', aor: 'ICE area of responsibility', facility: 'facility' };

/**
 * Why a release cannot give figures for places of a level (null when it can): none of its records
 * names such a place (the 2019 Seattle arrests give an AOR and no state). A zero would be false.
 */
export function missingPlace(cube: Cube, level: PlaceParam['level']): string | null {
  if (level === 'nation' || cube.records === 0) return null;
  const levels: Level[] = level === 'facility' ? ['state', 'county', 'facility'] : level === 'county' ? ['state', 'county'] : [level as Level];
  for (const l of levels) {
    if (l === 'facility' && cube.universe !== 'detainers') continue;
    if (placedUnits(cube, l) === 0) return `its ${UNIVERSE_WORDS[cube.universe]} give no ${PLACE_WORDS[l]}, so no ${PLACE_WORDS[level as Level]} can be counted`;
  }
  return null;
}

/** A note when a published number of records give no state: they count in the nation and in no state. */
function unplacedNote(cube: Cube, level: PlaceParam['level']): string | null {
  if (level !== 'state' && level !== 'county' && level !== 'facility') return null;
  const g = cube.group('state:unknown', 'total');
  // Only a published count is told: a note for a withheld one would say it is not zero.
  if (!g || g.counts[0] === 0 || !g.pub[0]) return null;
  const n = g.counts[0]!.toLocaleString('en-US');
  return `${n} of the release's ${UNIVERSE_WORDS[cube.universe]} give no state: they are counted in the nation and in no state.`;
}

/** True when the cube holds records linked to the table (a lifecycle built with it). */
function linkedAny(cube: Cube, table: 'arrests' | 'removals' | 'detainers'): boolean {
  const g = cube.group('nation', 'total');
  if (!g || table === 'detainers') return false;
  const dim = table === 'arrests' ? 'later_arrest' : 'later_removal';
  const hit = (v: string) => (table === 'arrests' ? isLaterArrestValue(v) : v.endsWith('|removed'));
  return cube.values(dim).some((v) => hit(v) && g.counts[cube.slot(dim, v)!]! > 0);
}

/** The follow-up window asked for: one of the metric's windows (default the longest); an error for a metric without one. */
function parseFollowUp(metric: MetricDefinition, raw: string | undefined): number {
  const windows = metric.followUpWindows;
  if (raw === undefined) return windows?.at(-1) ?? FOLLOW_UP_DAYS;
  if (!windows) {
    const takers = METRICS.filter((m) => m.followUpWindows).map((m) => m.id);
    throw new HandoffError('bad_argument', `follow_up_days applies only to ${takers.join(', ')}, not to ${metric.id}`, { details: { param: 'follow_up_days' } });
  }
  const days = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!windows.includes(days)) {
    throw new HandoffError('bad_argument', `follow_up_days="${raw}" is not one of ${windows.join(', ')}`, { details: { param: 'follow_up_days', valid: windows.map(String) } });
  }
  return days;
}

export async function runMetric(service: MetricsService, id: string, params: MetricParams): Promise<MetricResult> {
  const metric = findMetric(id);
  if (!metric) {
    throw new HandoffError('not_found', `no metric "${id}"; metrics: ${METRICS.map((m) => m.id).join(', ')}`);
  }
  const grain = (params.grain ?? (METRIC_DEFAULTS.grain as { value: string }).value) as Grain;
  if (!(GRAINS as readonly string[]).includes(grain)) {
    throw new HandoffError('bad_argument', `grain="${params.grain}" is not one of ${GRAINS.join(', ')}`, { details: { param: 'grain', valid: GRAINS } });
  }
  const by = params.by ?? metric.by[0]!;
  if (!metric.by.includes(by)) {
    throw new HandoffError('bad_argument', `by="${by}" is not supported by ${metric.id}; use one of ${metric.by.join(', ')}`, { details: { param: 'by', valid: metric.by } });
  }
  const followUpDays = parseFollowUp(metric, params.follow_up_days);
  const place = parsePlaceParam(params.place ?? (METRIC_DEFAULTS.place as { value: string }).value);
  const window = parseWindow(params.from, params.to);
  const universe = metric.universe === 'context' ? 'detainers' : metric.universe;
  const release = service.resolveRelease(universe, params.release);
  const notes: string[] = [];
  const build = await service.cube(release.release_id, universe);
  const cube = build.cube;
  if (place.level === 'facility' && universe !== 'detainers') {
    throw new HandoffError('bad_argument', `${metric.id} counts ${UNIVERSE_WORDS[universe]}, which have no facility; use nation, state:, county: or aor:`, { details: { param: 'place' } });
  }
  const first = Math.max(window.first ?? cube.firstMonth, cube.firstMonth);
  const last = Math.min(window.last ?? cube.lastMonth, cube.lastMonth);
  const span = { first: cube.firstMonth, last: cube.lastMonth };
  const periods = Number.isFinite(first) && Number.isFinite(last) && first <= last ? periodsOf(first, last, grain, span) : [];
  if (periods.some((p) => !p.standard && p.cells.length > 1)) {
    notes.push('The window cuts a period: its row is read from the months, quarters and fiscal years that tile it exactly, and says "at least N" when one of them is withheld.');
  }
  // (A release whose rows all lack the date is said so below, as not available, not as an empty window.)
  if (periods.length === 0 && !undatedOnly(cube, release)) notes.push('The release has no records in the requested window.');
  // Every row carries exactly the metric's columns, in order (JSON keys = CSV header).
  const columns = metric.columns;
  let rows = metric.compute({ cube, service, place, periods, by, followUpDays }).map((r) => {
    const out: Row = {};
    for (const c of columns) out[c] = r[c] ?? null;
    return out;
  });
  // A row's figures replaced by "not available"; its period and place stay.
  const notAvailableRow = (r: Row): Row => {
    const out: Row = {};
    for (const c of columns) out[c] = c in NOT_AVAILABLE ? NOT_AVAILABLE[c]! : r[c]!;
    return out;
  };
  const missing = missingInputs(metric.id, cube, release) ?? (metric.universe === 'context' ? null : missingPlace(cube, place.level));
  const unplaced = metric.universe === 'context' || missing ? null : unplacedNote(cube, place.level);
  if (unplaced) notes.push(unplaced);
  if (missing) {
    notes.push(`Not available in this release: ${missing}.`);
    rows = rows.map(notAvailableRow);
  } else {
    // A row whose follow-up window has not closed by the cut-off is not a grain the plan leaves out.
    const openWindow = (r: Row) => r.follow_up_days !== null && r.follow_up_days !== undefined && r.counted_from === null;
    const open = rows.find((r) => r.status === 'not_available' && openWindow(r));
    if (open) {
      notes.push(`Not available for periods whose detainers have not all had ${String(open.follow_up_days)} days of follow-up before the release's cut-off: a later count would fall for want of time, not for want of arrests.`);
    }
    if (rows.some((r) => r.status === 'not_available' && !openWindow(r))) {
      const level = cube.units.get(place.unit)?.level ?? place.level;
      notes.push(`Not published at this grain: ${planNote(level as Level, grain, metric.planDim?.(by, followUpDays) ?? (by === 'total' ? 'outcome' : by))}.`);
    }
  }
  // A period is partial when it has fewer months than its grain (the release or the window cuts
  // it), or begins before the release's first record or ends after its last (a month cut mid-way).
  const coverage = { first_date: cube.firstDate, last_date: cube.lastDate };
  const fullMonths = FULL_MONTHS[grain];
  const partial = grain === 'total' || metric.universe === 'context' ? [] : periods.filter((p) =>
    (fullMonths !== undefined && p.months.length < fullMonths) ||
    (coverage.last_date !== null && p.period_end > coverage.last_date) ||
    (coverage.first_date !== null && p.period_start < coverage.first_date));
  if (partial.length) {
    // A period exists only where records do, so the cube has their dates (built, or read by the service).
    const span = `this release's ${UNIVERSE_WORDS[universe]} run from ${coverage.first_date} to ${coverage.last_date}`;
    const cut = window.first !== undefined || window.last !== undefined ? `, or the window cuts ${partial.length === 1 ? 'it' : 'them'}` : '';
    notes.push(`Partial ${partial.length === 1 ? 'period' : 'periods'}: ${partial.map((p) => p.period).join(', ')} ${partial.length === 1 ? 'covers' : 'cover'} only part of ${partial.length === 1 ? 'its' : 'their'} calendar span (${span}${cut}); a lower count there is the calendar, not a change.`);
  }
  // One release per month in public: months a newer release covers are served from it only.
  const superseded = service.mode === 'public' && metric.universe !== 'context' ? service.supersessions(release.release_id, universe) : [];
  const overlaps = (a: number, b: number) => superseded.filter((x) => x.first <= b && x.last >= a);
  if (superseded.length) {
    let hidden = false;
    rows = rows.map((r) => {
      if (typeof r.period_start !== 'string' || typeof r.period_end !== 'string') return r;
      if (overlaps(monthIndex(r.period_start), monthIndex(r.period_end)).length === 0) return r;
      hidden = true;
      return notAvailableRow(r);
    });
    if (hidden) {
      const by = [...new Set(superseded.map((x) => `${x.by.label} (release=${x.by.release_id}, ${monthLabel(x.first)} to ${monthLabel(x.last)})`))];
      notes.push(`Superseded: a newer release covers months of this one: ${by.join('; ')}. Handoff publishes one release per month, so that two releases cannot be differenced into the few records ICE revised between them; ask for the newer release, or run Handoff in private mode on your own copy. Rows of those months read "not available".`);
    }
  }
  const windowCells = periods.length === 0 ? [] : tileCells(first, last, span);
  const quality = metric.universe === 'context' || (superseded.length && overlaps(first, last).length) ? [] : qualityFigures(cube, place.unit, windowCells);
  if (build.source === 'raw_tables' && metric.universe === 'detainers' && ['detainer_outcomes', 'later_arrests_after_non_transfer', 'later_removals_after_non_transfer'].includes(metric.id)) {
    notes.push('Lifecycles were derived from the raw tables (the link stage has not built detainer_lifecycle in this database): the outcome comes from the lift reason alone.');
  }
  if (metric.universe === 'arrests' && ['community_arrests_after_declined_detainer', 'community_arrests_by_prior_detainer'].includes(metric.id) && build.source === 'raw_tables') {
    notes.push('Detainer outcomes were taken from the lift reason alone (no detainer_lifecycle table in this database).');
  }
  return {
    metric,
    rows,
    columns: metric.columns,
    place,
    grain,
    by,
    release,
    source: metric.universe === 'context' ? null : build.source,
    quality,
    redactions: metric.universe === 'context' ? [] : redactionRows(service.redactions.get(release.release_id), universe === 'detainers' ? 'detainers' : 'arrests', service.mode),
    notes,
    coverage,
    partial_periods: partial.map((p) => p.period),
  };
}

/** Months in a full period of a grain (months and the whole release are never partial by count). */
const FULL_MONTHS: Partial<Record<Grain, number>> = { quarter: 3, fiscal_year: 12, calendar_year: 12 };
