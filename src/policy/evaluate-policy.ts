/**
 * Evaluates detainer policy "as of" a date for a place (state, optionally county and city).
 *
 * Rules (narrative and examples in DESIGN.md):
 * - An entry is in force on D when it has started (effective_date <= D) and not ended (D < end_date).
 *   With only a year or month known, D inside that period counts as in force but flagged; with no
 *   date at all the entry counts as in force on any date, flagged `dateUnknown`.
 * - At each level the in-force entry that started last decides; undated entries rank below dated ones.
 * - The most local deciding entry wins (city, then county, then state), except that a state entry
 *   coded `mandatory` in force on D overrides county and city entries coded `no` or
 *   `judicial_warrant_only`, as does a state entry named in a local entry's `preempted_by`.
 */
import { HandoffError } from '../core/errors.ts';
import { approxAfter, approxStart, isIsoDate } from './dates.ts';
import { normalizePlace, slugify, type Place } from './places.ts';
import type {
  Confidence,
  HonorsDetainers,
  Jurisdiction,
  JurisdictionLevel,
  LoadedPolicyEntry,
  PolicySet,
} from './types.ts';
import { JURISDICTION_LEVELS } from './types.ts';

/** The outcome for a place and date: a coded value, or `no_data` when no entry is in force. */
export type Regime = HonorsDetainers | 'no_data';

/** Whether an entry applies on a date: surely not, surely, or only possibly (date not exact). */
export type InForceStatus = 'no' | 'yes' | 'uncertain';

/** A citation attached to an evaluation. */
export interface PolicyCitation {
  entry_id: string;
  jurisdiction_id: string;
  citation: string;
  sources: string[];
  confidence: Confidence;
}

/** Result of {@link policyAt}. */
export interface PolicyResult {
  /** The place as evaluated (state upper-case, city as slug). */
  place: { state: string; countyFips?: string; city?: string };
  date: string;
  regime: Regime;
  /** The entry that decides the regime, with its jurisdiction; null when `no_data`. */
  decidedBy: LoadedPolicyEntry | null;
  /** Local entries set aside by a state preemption on this date. */
  overridden: LoadedPolicyEntry[];
  /** Every entry in force on the date, by level (in file order). */
  considered: Record<JurisdictionLevel, LoadedPolicyEntry[]>;
  /** Citations of the deciding entry first, then overridden, then the other considered entries. */
  citations: PolicyCitation[];
  /** True when the deciding entry's dates are not exact enough to be sure it applies on `date`. */
  dateUnknown: boolean;
  /** Ids of all considered entries whose in-force status on `date` rests on an inexact date. */
  dateUnknownIds: string[];
  /** Jurisdictions with entries that cover the place (state, county, city), whether in force or not. */
  jurisdictions: Jurisdiction[];
}

/** One point of a place's policy timeline. */
export interface TimelineItem {
  entry: LoadedPolicyEntry;
  level: JurisdictionLevel;
  /** `effective_date`, or the approximate `YYYY` / `YYYY-MM`, or null when unknown. */
  start: string | null;
  startPrecision: 'day' | 'month' | 'year' | 'unknown';
  /** `end_date`, or the approximate end, or null when open-ended. */
  end: string | null;
  endPrecision: 'day' | 'month' | 'year' | 'none';
}

/** A jurisdiction with the number of entries it has. */
export interface JurisdictionSummary extends Jurisdiction {
  entry_count: number;
}

const RESTRICTIVE: ReadonlySet<HonorsDetainers> = new Set(['no', 'judicial_warrant_only']);

/** Whether `entry` is in force on `date` (ISO). See the module header for the rules. */
export function inForceStatus(entry: LoadedPolicyEntry, date: string): InForceStatus {
  let started: InForceStatus;
  if (entry.effective_date !== null) started = entry.effective_date <= date ? 'yes' : 'no';
  else if (entry.effective_date_approx !== null) {
    const a = entry.effective_date_approx;
    started = date < approxStart(a) ? 'no' : date >= approxAfter(a) ? 'yes' : 'uncertain';
  } else started = 'uncertain';
  let running: InForceStatus;
  if (entry.end_date !== null) running = date < entry.end_date ? 'yes' : 'no';
  else if (entry.end_date_approx !== null) {
    const a = entry.end_date_approx;
    running = date < approxStart(a) ? 'yes' : date >= approxAfter(a) ? 'no' : 'uncertain';
  } else running = 'yes';
  if (started === 'no' || running === 'no') return 'no';
  return started === 'uncertain' || running === 'uncertain' ? 'uncertain' : 'yes';
}

/** Sort key of an entry's start: exact date, first day of the approximate period, or null. */
function startKey(e: LoadedPolicyEntry): string | null {
  if (e.effective_date !== null) return e.effective_date;
  if (e.effective_date_approx !== null) return approxStart(e.effective_date_approx);
  return null;
}

/** Later-starting first; undated last; ties: later in file order first. */
function latestFirst(list: readonly LoadedPolicyEntry[]): LoadedPolicyEntry[] {
  const indexed = list.map((e, i) => ({ e, i, k: startKey(e) }));
  indexed.sort((a, b) => {
    if (a.k !== b.k) return a.k === null ? 1 : b.k === null ? -1 : a.k > b.k ? -1 : 1;
    return b.i - a.i;
  });
  return indexed.map((x) => x.e);
}

/** The jurisdictions (with entries) that cover a normalised place. */
function jurisdictionsFor(
  policies: PolicySet,
  place: { state: string; countyFips?: string; city?: string },
): Jurisdiction[] {
  return policies.jurisdictions.filter((j) => {
    if (j.state !== place.state) return false;
    if (j.level === 'state') return true;
    if (j.level === 'county') return place.countyFips !== undefined && j.fips === place.countyFips;
    if (place.city !== undefined && slugify(j.name) === place.city) return true;
    return (
      place.countyFips !== undefined &&
      j.consolidated_city_county === true &&
      j.county_fips === place.countyFips
    );
  });
}

function checkDate(date: string): void {
  if (!isIsoDate(date)) {
    throw new HandoffError('bad_argument', `date "${date}" is not a calendar date written YYYY-MM-DD`);
  }
}

/**
 * The detainer regime in force for `place` on `date` (ISO `YYYY-MM-DD`), with the deciding entry,
 * any entries a state preemption set aside, everything considered and the citations.
 * Throws HandoffError('bad_argument') for an unknown state, a county outside the state or a bad date.
 */
export function policyAt(policies: PolicySet, place: Place, date: string): PolicyResult {
  checkDate(date);
  const where = normalizePlace(place);
  const jurisdictions = jurisdictionsFor(policies, where);
  const considered: Record<JurisdictionLevel, LoadedPolicyEntry[]> = { state: [], county: [], city: [] };
  const status = new Map<string, InForceStatus>();
  for (const j of jurisdictions) {
    for (const e of policies.byJurisdiction.get(j.id) ?? []) {
      const s = inForceStatus(e, date);
      if (s === 'no') continue;
      status.set(e.id, s);
      considered[j.level].push(e);
    }
  }
  const deciders: Partial<Record<JurisdictionLevel, LoadedPolicyEntry>> = {};
  for (const level of JURISDICTION_LEVELS) {
    const first = latestFirst(considered[level])[0];
    if (first) deciders[level] = first;
  }
  const preempting = latestFirst(considered.state.filter((e) => e.honors_detainers === 'mandatory'))[0];

  const overridden: LoadedPolicyEntry[] = [];
  const overriddenBy = new Map<string, LoadedPolicyEntry>();
  for (const level of ['city', 'county'] as const) {
    const d = deciders[level];
    if (!d) continue;
    const named = d.preempted_by !== null && status.has(d.preempted_by) ? policies.byId.get(d.preempted_by) : undefined;
    const by = named ?? (preempting && RESTRICTIVE.has(d.honors_detainers) ? preempting : undefined);
    if (by) {
      overridden.push(d);
      overriddenBy.set(d.id, by);
    }
  }
  let decidedBy: LoadedPolicyEntry | null = null;
  for (const level of ['city', 'county'] as const) {
    const d = deciders[level];
    if (d && !overriddenBy.has(d.id)) {
      decidedBy = d;
      break;
    }
  }
  if (decidedBy === null) {
    const firstOverride = overridden[0];
    decidedBy = (firstOverride && overriddenBy.get(firstOverride.id)) ?? deciders.state ?? null;
  }

  const citations: PolicyCitation[] = [];
  const seen = new Set<string>();
  const cite = (e: LoadedPolicyEntry) => {
    if (seen.has(e.id)) return;
    seen.add(e.id);
    citations.push({
      entry_id: e.id,
      jurisdiction_id: e.jurisdiction.id,
      citation: e.citation,
      sources: [...e.sources],
      confidence: e.confidence,
    });
  };
  if (decidedBy) cite(decidedBy);
  overridden.forEach(cite);
  for (const level of JURISDICTION_LEVELS) considered[level].forEach(cite);

  return {
    place: where,
    date,
    regime: decidedBy ? decidedBy.honors_detainers : 'no_data',
    decidedBy,
    overridden,
    considered,
    citations,
    dateUnknown: decidedBy !== null && status.get(decidedBy.id) === 'uncertain',
    dateUnknownIds: [...status].filter(([, s]) => s === 'uncertain').map(([id]) => id),
    jurisdictions,
  };
}

/**
 * Every entry that affects a place (its state, county and city), ordered by start: exact or
 * approximate start first by date (state before county before city on the same day), undated last.
 * Meant for a policy timeline and for before/after marks on charts.
 */
export function policyTimeline(policies: PolicySet, place: Place): TimelineItem[] {
  const where = normalizePlace(place);
  const items: Array<TimelineItem & { key: string | null; order: number }> = [];
  let order = 0;
  for (const j of jurisdictionsFor(policies, where)) {
    for (const e of policies.byJurisdiction.get(j.id) ?? []) {
      const approx = e.effective_date_approx;
      const endApprox = e.end_date_approx;
      items.push({
        entry: e,
        level: j.level,
        start: e.effective_date ?? approx,
        startPrecision: e.effective_date ? 'day' : approx ? (approx.length === 4 ? 'year' : 'month') : 'unknown',
        end: e.end_date ?? endApprox,
        endPrecision: e.end_date ? 'day' : endApprox ? (endApprox.length === 4 ? 'year' : 'month') : 'none',
        key: startKey(e),
        order: order++,
      });
    }
  }
  const rank = (l: JurisdictionLevel) => JURISDICTION_LEVELS.indexOf(l);
  items.sort((a, b) => {
    if (a.key !== b.key) return a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1;
    if (a.level !== b.level) return rank(a.level) - rank(b.level);
    return a.order - b.order;
  });
  return items.map(({ key: _key, order: _order, ...item }) => item);
}

/** All jurisdictions with entries, ordered state, county, city, then id, with entry counts. */
export function listJurisdictions(policies: PolicySet): JurisdictionSummary[] {
  return policies.jurisdictions.map((j) => ({
    ...j,
    entry_count: policies.byJurisdiction.get(j.id)?.length ?? 0,
  }));
}
