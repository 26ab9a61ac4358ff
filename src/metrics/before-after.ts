/**
 * Before and after a dated policy change (issue 18, item 1): the published figures of the place an
 * entry binds in the months before and after its effective date, beside the same figures for
 * comparison places whose regime did not change in those months, and their difference in
 * differences as a ratio with an approximate interval.
 *
 * Does:
 * - read every number through `runMetric` in the service's mode, so each one is a published figure
 *   (exact, "at least N", withheld or not available, as the API gives it) and nothing new is
 *   disclosed: a difference in differences is computed only from exact figures;
 * - choose the windows in whole months: the month the entry takes effect in is left out unless the
 *   entry takes effect on its first day (a month that holds both regimes belongs to neither side);
 *   the release's last month is left out as possibly partial;
 * - say in words, and give no figures, when the release does not span both windows, when the entry
 *   has no day or month of effect, or when the place it binds has no place in the figures (a city);
 * - by default compare with every state whose jail regime (`policyAt`, county_jails scope) is known
 *   (not `no_data`) and the same on the first day of every month of both windows; or with the places
 *   the caller names (each used only if its regime holds through the windows).
 * Does not: model anything beyond counts (no covariates, no trend adjustment), or claim a cause. The
 *   interval is the usual one for a ratio of ratios of Poisson counts (standard error of the log
 *   ratio sqrt(1/a + 1/b + 1/c + 1/d)); it is given only when all four counts are at least
 *   MIN_COUNT_FOR_INTERVAL, and says how much of a change noise alone could explain, not more.
 */
import { HandoffError } from '../core/errors.ts';
import { policyAt, recordPlace, type LoadedPolicyEntry, type Regime } from '../policy/index.ts';
import { STATES } from '../geo/index.ts';
import { monthEnd, monthIndex, monthLabel, monthStart as firstDay } from './periods.ts';
import { runMetric } from './query.ts';
import type { MetricsService } from './service.ts';

/** Counts below this give no interval: the normal approximation of log counts is poor there. */
export const MIN_COUNT_FOR_INTERVAL = 20;
/** Default months on each side of the change. */
export const DEFAULT_MONTHS = 12;
/** Most months on one side. */
export const MAX_MONTHS = 60;

/** The figures compared: a metric, its breakdown and the value of the row read. */
export const MEASURES = [
  { id: 'detainers', metric: 'detainers_issued', by: 'total', value: 'total', label: 'Detainers issued (non-duplicate)' },
  { id: 'declined', metric: 'detainer_outcomes', by: 'outcome', value: 'declined', label: 'Outcome: declined by the holding agency (strict)' },
  { id: 'transferred_to_ice', metric: 'detainer_outcomes', by: 'outcome', value: 'transferred_to_ice', label: 'Outcome: transferred to ICE custody' },
  { id: 'released_other', metric: 'detainer_outcomes', by: 'outcome', value: 'released_other', label: 'Outcome: released otherwise' },
  { id: 'lifted_by_ice', metric: 'detainer_outcomes', by: 'outcome', value: 'lifted_by_ice', label: 'Outcome: lifted by ICE' },
  { id: 'open_or_unknown', metric: 'detainer_outcomes', by: 'outcome', value: 'open_or_unknown', label: 'Outcome: open or unknown (blank lift reason, no evidence of a handoff)' },
] as const;

export interface Window {
  from: string;
  to: string;
  months: number;
}

/** One published figure as the API gives it. */
export interface Figure {
  count: number | null;
  status: string;
  count_low: number | null;
  count_high: number | null;
}

export interface MeasureRow {
  measure: string;
  label: string;
  metric: string;
  /** The treated place before and after. */
  before: Figure;
  after: Figure;
  /** The comparison places, summed over those whose figures are exact on both sides. */
  comparison_before: number | null;
  comparison_after: number | null;
  comparison_places_used: number;
  /** The comparison places summed: those with exact figures for this measure on both sides. */
  comparison_places: string[];
  /** (after / before at the place) / (after / before in the comparison); null when not computable. */
  ratio_of_ratios: number | null;
  interval_low: number | null;
  interval_high: number | null;
  /** Why a ratio or interval is missing, in words. */
  note: string | null;
}

export interface BeforeAfter {
  entry_id: string;
  citation: string;
  place: string;
  effective: string;
  effective_precision: 'day' | 'month';
  regime_before: Regime;
  regime_after: Regime;
  before: Window | null;
  after: Window | null;
  release_id: string;
  release_months: { from: string; to: string } | null;
  /** `ok`, or why there are no figures. */
  status: 'ok' | 'release_does_not_span' | 'no_place';
  message: string | null;
  comparison: { place: string; regime: Regime; used: boolean; why_not: string | null }[];
  comparison_basis: 'default' | 'given';
  rows: MeasureRow[];
  caveats: string[];
}

export interface BeforeAfterOptions {
  monthsBefore?: number;
  monthsAfter?: number;
  /** Place keys (`state:TX`, `county:48453`); default: the unchanged states. */
  compare?: string[];
  release?: string;
}

const CAVEATS = [
  'Counts by the detainer\'s prepare date: a detainer prepared before the change may have ended under it; outcomes are as ICE recorded them, and jails rarely record a decline as such.',
  'ICE revises records between releases; the figures are those of the release named.',
  'The comparison places differ from the place in more than the policy; the ratio of ratios shows how the change at the place compares with theirs over the same months, not what caused it.',
  'The interval assumes independent Poisson counts and says how much of the ratio chance alone could produce; it does not cover differences in recording, trends, or other changes in the same months.',
];

function placeOf(entry: LoadedPolicyEntry): string | null {
  const j = entry.jurisdiction;
  if (j.level === 'state') return `state:${j.state}`;
  if (j.level === 'county' && j.fips) return `county:${j.fips}`;
  if (j.county_fips) return `county:${j.county_fips}`;
  return null;
}

/** The first month of the after window and the month of effect, from the entry's date. */
function effectOf(entry: LoadedPolicyEntry): { effective: string; precision: 'day' | 'month'; firstAfter: number; lastBefore: number } {
  if (entry.effective_date) {
    const m = monthIndex(entry.effective_date.slice(0, 7));
    const onFirst = entry.effective_date.endsWith('-01');
    return { effective: entry.effective_date, precision: 'day', firstAfter: onFirst ? m : m + 1, lastBefore: m - 1 };
  }
  const approx = entry.effective_date_approx ?? '';
  if (/^\d{4}-\d{2}$/.test(approx)) {
    const m = monthIndex(approx);
    return { effective: approx, precision: 'month', firstAfter: m + 1, lastBefore: m - 1 };
  }
  throw new HandoffError(
    'bad_argument',
    `entry ${entry.id} has ${approx ? `only a year of effect (${approx})` : 'no date of effect'}: a before-and-after comparison needs its day or at least its month`,
  );
}

function regimeAt(service: MetricsService, place: string, date: string): Regime {
  const [level, code] = place.split(':') as [string, string];
  const p = level === 'state' ? recordPlace(code, null) : recordPlace(STATES.find((s) => s.fips === code.slice(0, 2))?.postal ?? '', code);
  return policyAt(service.policies, p, date).regime as Regime;
}

/** Whether the jail regime of `place` is the same on the first day of every month from `from` to `to`. */
function unchanged(service: MetricsService, place: string, from: number, to: number): Regime | null {
  let first: Regime | null = null;
  for (let m = from; m <= to; m++) {
    const r = regimeAt(service, place, firstDay(m));
    if (first === null) first = r;
    else if (r !== first) return null;
  }
  return first;
}

async function figure(service: MetricsService, measure: (typeof MEASURES)[number], place: string, w: Window, release: string): Promise<{ f: Figure; note: string | null }> {
  const result = await runMetric(service, measure.metric, { place, grain: 'total', from: w.from, to: w.to, by: measure.by, release });
  const row = result.rows.find((r) => r.value === measure.value);
  if (!row) return { f: { count: 0, status: 'exact', count_low: 0, count_high: 0 }, note: null };
  const f: Figure = {
    count: typeof row.count === 'number' ? row.count : null,
    status: String(row.status),
    count_low: typeof row.count_low === 'number' ? row.count_low : null,
    count_high: typeof row.count_high === 'number' ? row.count_high : null,
  };
  return { f, note: f.status === 'exact' ? null : (result.notes.find((n) => /^Not published|^Not available/.test(n)) ?? null) };
}

const exact = (f: Figure): number | null => (f.status === 'exact' ? f.count : null);

/** A figure that is not exact, in the words the API's `display` uses. */
function inWords(f: Figure): string {
  if (f.status === 'at_least') return `at least ${f.count_low ?? 0}`;
  if (f.status === 'withheld') return 'withheld (a count of 1-10, or a cell withheld to protect one)';
  if (f.status === 'not_available') return 'not available';
  return f.status;
}

/** The comparison of `entryId` before and after its effective date. */
export async function beforeAfter(service: MetricsService, entryId: string, options: BeforeAfterOptions = {}): Promise<BeforeAfter> {
  const entry = service.policies.byId.get(entryId);
  if (!entry) throw new HandoffError('not_found', `no policy entry "${entryId}" (see /api/policies.json)`);
  const monthsBefore = options.monthsBefore ?? DEFAULT_MONTHS;
  const monthsAfter = options.monthsAfter ?? DEFAULT_MONTHS;
  for (const [name, n] of [['before', monthsBefore], ['after', monthsAfter]] as const) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_MONTHS) throw new HandoffError('bad_argument', `${name} must be a whole number of months from 1 to ${MAX_MONTHS} (got ${n})`);
  }
  for (const c of options.compare ?? []) {
    if (!/^(state:[A-Z]{2}|county:\d{5})$/.test(c)) throw new HandoffError('bad_argument', `compare: "${c}" is not state:XX or county:FIPS`);
  }
  const { effective, precision, firstAfter, lastBefore } = effectOf(entry);
  const release = service.resolveRelease('detainers', options.release);
  const cube = (await service.cube(release.release_id, 'detainers')).cube;
  const span = Number.isFinite(cube.firstMonth) ? { first: cube.firstMonth, last: cube.lastMonth - 1 } : null;
  const before: Window = { from: firstDay(lastBefore - monthsBefore + 1), to: monthEnd(lastBefore), months: monthsBefore };
  const after: Window = { from: firstDay(firstAfter), to: monthEnd(firstAfter + monthsAfter - 1), months: monthsAfter };
  const place = placeOf(entry);
  const base = {
    entry_id: entry.id,
    citation: entry.citation,
    place: place ?? entry.jurisdiction.id,
    effective,
    effective_precision: precision,
    regime_before: place ? regimeAt(service, place, firstDay(lastBefore)) : ('no_data' as Regime),
    regime_after: place ? regimeAt(service, place, firstDay(firstAfter)) : ('no_data' as Regime),
    before,
    after,
    release_id: release.release_id,
    release_months: span ? { from: firstDay(span.first), to: monthEnd(span.last) } : null,
    comparison: [],
    comparison_basis: options.compare ? ('given' as const) : ('default' as const),
    rows: [],
    caveats: CAVEATS,
  };
  if (!place) {
    return { ...base, status: 'no_place', message: `${entry.jurisdiction.name} is a city: the figures have no place for a city's own jails, so its change cannot be compared` };
  }
  const needFirst = lastBefore - monthsBefore + 1;
  const needLast = firstAfter + monthsAfter - 1;
  if (!span || needFirst < span.first || needLast > span.last) {
    const covered = span ? `${monthLabel(span.first)} to ${monthLabel(span.last)} (its last month, possibly partial, left out)` : 'no dated detainers';
    return {
      ...base,
      status: 'release_does_not_span',
      message: `the release covers ${covered}; ${monthsBefore} months before and ${monthsAfter} after ${effective} need ${monthLabel(needFirst)} to ${monthLabel(needLast)}. No half answer is given: choose fewer months or another release.`,
    };
  }

  // Comparison places: given, or every state whose regime holds through both windows.
  const candidates = options.compare ?? STATES.map((s) => `state:${s.postal}`).filter((p) => p !== place);
  const comparison: BeforeAfter['comparison'] = [];
  for (const c of candidates) {
    let regime: Regime | null;
    try {
      regime = unchanged(service, c, needFirst, needLast);
    } catch {
      regime = null;
    }
    if (regime === 'no_data' && !options.compare) continue;
    if (regime === null) {
      if (options.compare) comparison.push({ place: c, regime: regimeAt(service, c, firstDay(firstAfter)), used: false, why_not: 'its regime changed within the windows' });
      continue;
    }
    comparison.push({ place: c, regime, used: true, why_not: null });
  }

  const rows: MeasureRow[] = [];
  const cache = new Map<string, Figure>();
  const get = async (m: (typeof MEASURES)[number], p: string, w: Window) => {
    const key = `${m.id}|${p}|${w.from}`;
    let f = cache.get(key);
    if (!f) {
      f = (await figure(service, m, p, w, release.release_id)).f;
      cache.set(key, f);
    }
    return f;
  };
  for (const m of MEASURES) {
    const b = await figure(service, m, place, before, release.release_id);
    const a = await figure(service, m, place, after, release.release_id);
    let cb = 0;
    let ca = 0;
    const summed: string[] = [];
    for (const c of comparison.filter((x) => x.used)) {
      const fb = exact(await get(m, c.place, before));
      const fa = exact(await get(m, c.place, after));
      if (fb === null || fa === null) continue;
      cb += fb;
      ca += fa;
      summed.push(c.place);
    }
    const used = summed.length;
    const row: MeasureRow = {
      measure: m.id,
      label: m.label,
      metric: m.metric,
      before: b.f,
      after: a.f,
      comparison_before: used ? cb : null,
      comparison_after: used ? ca : null,
      comparison_places_used: used,
      comparison_places: summed,
      ratio_of_ratios: null,
      interval_low: null,
      interval_high: null,
      note: null,
    };
    const pb = exact(b.f);
    const pa = exact(a.f);
    if (pb === null || pa === null) {
      const [side, f] = pb === null ? (['before', b] as const) : (['after', a] as const);
      row.note = `the place's figure ${side} the change is ${inWords(f.f)}${f.note ? ` (${f.note})` : ''}: no ratio is computed from a figure that is not exact`;
    } else if (!used) {
      row.note = 'no comparison place has exact figures on both sides';
    } else if (pb === 0 || cb === 0 || ca === 0 || pa === 0) {
      row.note = 'a count of zero: the ratio is not defined';
    } else {
      row.ratio_of_ratios = round((pa / pb) / (ca / cb));
      if (Math.min(pa, pb, ca, cb) >= MIN_COUNT_FOR_INTERVAL) {
        const se = Math.sqrt(1 / pa + 1 / pb + 1 / ca + 1 / cb);
        const log = Math.log((pa / pb) / (ca / cb));
        row.interval_low = round(Math.exp(log - 1.96 * se));
        row.interval_high = round(Math.exp(log + 1.96 * se));
      } else {
        row.note = `a count under ${MIN_COUNT_FOR_INTERVAL}: no interval is given, as the approximation behind it is poor for such counts`;
      }
    }
    rows.push(row);
  }
  return { ...base, status: 'ok', message: null, comparison, rows };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
