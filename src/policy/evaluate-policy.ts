/**
 * Evaluates detainer policy "as of" a date for a place (state, optionally county and city) and the
 * custody the detainer was lodged with (a local jail by default, a state prison, or a federal facility).
 *
 * Does (narrative and examples in DESIGN.md):
 * - An entry is in force on D when it has started (effective_date <= D) and not ended (D < end_date).
 *   With only a year or month known, D inside that period counts as in force but flagged.
 * - Only dated entries that set a rule (`honors_detainers` other than `context`), that bind the
 *   deciding scope and that no injunction in force suspends can decide. Undated entries, context
 *   entries (287(g) agreements, notice laws, injunctions), entries of another scope (courts, police)
 *   and enjoined entries are returned as context.
 * - The deciding scope is the custody's: a local jail is decided by entries binding `county_jails`
 *   (in a unified-system state, where the state runs every jail, by the state entries binding its
 *   prisons); a state prison by state entries binding `state_prisons` or `all_state_agencies`; a
 *   federal facility by no state or local rule (`federal`).
 * - At each level the candidate that started last decides; the others are superseded as the deciding
 *   entry (not repealed).
 * - The most local deciding entry wins (city, then county, then state), except that an `unclear`
 *   local entry yields to a known rule above it, and that a state entry coded `hold_required`
 *   overrides local entries coded otherwise and one coded `no_local_limits` overrides local
 *   restrictions (`holds_conditional`, `judicial_warrant_only`, `no_holds`), as does a state entry
 *   named in a local entry's `preempted_by`; a local entry protected by a federal court order
 *   (`preemption_blocked_by`) is not overridden.
 *
 * Does not: read the clock, judge jurisdictions, or derive 287(g) periods from ICE's sheets (agreement
 * entries typed in the files are returned as context).
 */
import { HandoffError } from '../core/errors.ts';
import { approxAfter, approxStart, isIsoDate } from './dates.ts';
import { normalizePlace, slugify, type Place } from './places.ts';
import type {
  Confidence,
  DecisionScope,
  HonorsDetainers,
  Jurisdiction,
  JurisdictionLevel,
  LoadedPolicyEntry,
  PolicyScope,
  PolicySet,
  RegimeCode,
} from './types.ts';
import { DECISION_SCOPES, JURISDICTION_LEVELS } from './types.ts';

/** The outcome for a place and date: a coded rule, `federal`, or `no_data` when no entry decides. */
export type Regime = RegimeCode | 'federal' | 'no_data';

/** Whether an entry applies on a date: surely not, surely, or only possibly (date not exact). */
export type InForceStatus = 'no' | 'yes' | 'uncertain';

/** The part an in-force entry plays in a result. */
export type EntryRole = 'decides' | 'overridden' | 'superseded' | 'context';

/**
 * Why an in-force entry does not decide:
 * - `undated`: no start date, not even a year;
 * - `no_rule`: it sets no detainer rule of its own (`context`: 287(g) agreement, notice law, injunction);
 * - `other_scope`: it binds others (courts, police, state prisons) than the custody being decided;
 * - `local_not_applicable`: a county or city entry, where the state runs the custody (state prison,
 *   unified-system jail);
 * - `federal_facility`: the custody is federal, so no state or local rule decides;
 * - `enjoined`: a court has suspended it on the date;
 * - `superseded`: a later entry of the same jurisdiction and scope decides (it is not repealed);
 * - `overridden`: a state entry preempts it;
 * - `unclear_yields`: it records no rule found, and a known rule above it decides;
 * - `local_rule_decides`: it would decide at its level, but a more local rule decides.
 */
export type RoleReason =
  | 'undated'
  | 'no_rule'
  | 'other_scope'
  | 'local_not_applicable'
  | 'federal_facility'
  | 'enjoined'
  | 'superseded'
  | 'overridden'
  | 'unclear_yields'
  | 'local_rule_decides';

/** An entry in force on the date, with its part in the result. */
export interface ConsideredEntry {
  entry: LoadedPolicyEntry;
  level: JurisdictionLevel;
  role: EntryRole;
  /** Null for the deciding entry. */
  reason: RoleReason | null;
  /** The entry that overrides, supersedes or enjoins this one, or that decides above it. */
  byId: string | null;
  /** The in-force status rests on an inexact date. */
  dateUnknown: boolean;
}

/** A citation attached to an evaluation. */
export interface PolicyCitation {
  entry_id: string;
  jurisdiction_id: string;
  citation: string;
  sources: string[];
  confidence: Confidence;
}

/** Options of {@link policyAt}. */
export interface PolicyAtOptions {
  /** The custody whose rule decides; default `county_jails`. */
  scope?: DecisionScope;
}

/** Result of {@link policyAt}. */
export interface PolicyResult {
  /** The place as evaluated (state upper-case, city as slug). */
  place: { state: string; countyFips?: string; city?: string };
  date: string;
  /** The custody whose rule decided. */
  scope: DecisionScope;
  /** True when the state runs every jail (AK, CT, DE, HI, RI, VT): its rule is the jail rule. */
  unifiedJailSystem: boolean;
  regime: Regime;
  /** The entry that decides the regime, with its jurisdiction; null for `no_data` and `federal`. */
  decidedBy: LoadedPolicyEntry | null;
  /** Local entries set aside by a state preemption on this date. */
  overridden: LoadedPolicyEntry[];
  /** Local entries a state rule would preempt but a federal court order protects. */
  preemptionBlocked: LoadedPolicyEntry[];
  /** Every entry in force on the date, by level (in file order), whatever its role. */
  considered: Record<JurisdictionLevel, LoadedPolicyEntry[]>;
  /** Every entry in force on the date with its role, deciding entry first. */
  entries: ConsideredEntry[];
  /** 287(g) agreements in force on the date that bind the deciding scope. */
  agreements287g: LoadedPolicyEntry[];
  /** Citations of the deciding entry first, then overridden, then the other considered entries. */
  citations: PolicyCitation[];
  /** True when the deciding entry's dates are not exact enough to be sure it applies on `date`. */
  dateUnknown: boolean;
  /** Ids of all considered entries whose in-force status on `date` rests on an inexact date. */
  dateUnknownIds: string[];
  /** Jurisdictions with entries that cover the place (state, county, city), whether in force or not. */
  jurisdictions: Jurisdiction[];
}

/** A later entry that takes over as the deciding entry for some of an entry's scopes. */
export interface Succession {
  entryId: string;
  /** Its start (`effective_date` or the approximate `YYYY` / `YYYY-MM`). */
  from: string;
  /** The scopes of the earlier entry it takes over. */
  scopes: PolicyScope[];
}

/** One point of a place's policy timeline. */
export interface TimelineItem {
  entry: LoadedPolicyEntry;
  level: JurisdictionLevel;
  /** `effective_date`, or the approximate `YYYY` / `YYYY-MM`, or null when unknown. */
  start: string | null;
  startPrecision: 'day' | 'month' | 'year' | 'unknown';
  /** `end_date`, or the approximate end, or null when open-ended. Never a succession. */
  end: string | null;
  endPrecision: 'day' | 'month' | 'year' | 'none';
  /** True when the entry never decides (undated, or sets no rule of its own). */
  contextOnly: boolean;
  /** Later entries of the same jurisdiction that decide instead of it, scope by scope. */
  supersededBy: Succession[];
  /** Injunction entries that suspend it for a while. */
  enjoinedBy: string[];
}

/** A jurisdiction with the number of entries it has. */
export interface JurisdictionSummary extends Jurisdiction {
  entry_count: number;
}

const RESTRICTIVE: ReadonlySet<HonorsDetainers> = new Set(['holds_conditional', 'judicial_warrant_only', 'no_holds']);

/** Whether a state rule preempts a local one (see the module header). */
function preempts(state: HonorsDetainers, local: HonorsDetainers): boolean {
  if (state === 'hold_required') return local !== 'hold_required' && local !== 'unclear';
  if (state === 'no_local_limits') return RESTRICTIVE.has(local);
  return false;
}

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

/** True when an entry can never decide: it has no start date or sets no rule of its own. */
export function isContextOnly(e: LoadedPolicyEntry): boolean {
  return e.honors_detainers === 'context' || startKey(e) === null;
}

/** Later-starting first; undated last; ties: later in file order first. */
function latestFirst<T extends { e: LoadedPolicyEntry; i: number }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => {
    const ka = startKey(a.e);
    const kb = startKey(b.e);
    if (ka !== kb) return ka === null ? 1 : kb === null ? -1 : ka > kb ? -1 : 1;
    return b.i - a.i;
  });
}

/** Whether an entry's scope covers a scope (all state agencies include the state prisons). */
function covers(scopes: readonly PolicyScope[], s: PolicyScope): boolean {
  return scopes.includes(s) || (s === 'state_prisons' && scopes.includes('all_state_agencies'));
}

/** Whether an entry at `level` binds the custody `scope` (see the module header). */
function binds(e: LoadedPolicyEntry, scope: Exclude<DecisionScope, 'federal'>, unified: boolean): boolean {
  if (scope === 'state_prisons') return covers(e.scope, 'state_prisons');
  if (unified) return covers(e.scope, 'county_jails') || covers(e.scope, 'state_prisons');
  return covers(e.scope, 'county_jails');
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
    if (place.countyFips === undefined) return false;
    if (j.consolidated_city_county === true && j.county_fips === place.countyFips) return true;
    return (j.covers_counties ?? []).includes(place.countyFips);
  });
}

function checkDate(date: string): void {
  if (!isIsoDate(date)) {
    throw new HandoffError('bad_argument', `date "${date}" is not a calendar date written YYYY-MM-DD`);
  }
}

function checkScope(scope: string): DecisionScope {
  if (!(DECISION_SCOPES as readonly string[]).includes(scope)) {
    throw new HandoffError('bad_argument', `scope "${scope}" is not one of ${DECISION_SCOPES.join(', ')}`);
  }
  return scope as DecisionScope;
}

/**
 * The detainer regime in force for `place` on `date` (ISO `YYYY-MM-DD`) for the custody
 * `options.scope` (default a local jail), with the deciding entry, any entries a state preemption set
 * aside, every entry in force with its role, and the citations.
 * Throws HandoffError('bad_argument') for an unknown state, a county outside the state, a bad date
 * or an unknown scope.
 */
export function policyAt(policies: PolicySet, place: Place, date: string, options: PolicyAtOptions = {}): PolicyResult {
  checkDate(date);
  const scope = checkScope(options.scope ?? 'county_jails');
  const where = normalizePlace(place);
  const jurisdictions = jurisdictionsFor(policies, where);
  const unified = jurisdictions.some((j) => j.level === 'state' && j.unified_jail_system === true);
  const considered: Record<JurisdictionLevel, LoadedPolicyEntry[]> = { state: [], county: [], city: [] };
  const status = new Map<string, InForceStatus>();
  const inForce: Array<{ e: LoadedPolicyEntry; level: JurisdictionLevel; i: number }> = [];
  for (const j of jurisdictions) {
    for (const e of policies.byJurisdiction.get(j.id) ?? []) {
      const s = inForceStatus(e, date);
      if (s === 'no') continue;
      status.set(e.id, s);
      considered[j.level].push(e);
      inForce.push({ e, level: j.level, i: inForce.length });
    }
  }
  const enjoinedBy = new Map<string, string>();
  for (const { e } of inForce) for (const target of e.enjoins) if (!enjoinedBy.has(target)) enjoinedBy.set(target, e.id);

  const roles = new Map<string, Omit<ConsideredEntry, 'entry' | 'level' | 'dateUnknown'>>();
  const candidates: Record<JurisdictionLevel, typeof inForce> = { state: [], county: [], city: [] };
  for (const x of inForce) {
    const { e, level } = x;
    const context = (reason: RoleReason, byId: string | null = null) => roles.set(e.id, { role: 'context', reason, byId });
    if (scope === 'federal') context('federal_facility');
    else if (e.honors_detainers === 'context') context('no_rule');
    else if (startKey(e) === null) context('undated');
    else if (level !== 'state' && (scope === 'state_prisons' || unified)) context('local_not_applicable');
    else if (!binds(e, scope, unified)) context('other_scope');
    else if (enjoinedBy.has(e.id)) context('enjoined', enjoinedBy.get(e.id)!);
    else candidates[level].push(x);
  }
  const deciders: Partial<Record<JurisdictionLevel, LoadedPolicyEntry>> = {};
  for (const level of JURISDICTION_LEVELS) {
    const [first, ...rest] = latestFirst(candidates[level]);
    if (!first) continue;
    deciders[level] = first.e;
    for (const r of rest) roles.set(r.e.id, { role: 'superseded', reason: 'superseded', byId: first.e.id });
  }

  const overridden: LoadedPolicyEntry[] = [];
  const preemptionBlocked: LoadedPolicyEntry[] = [];
  const overriddenBy = new Map<string, LoadedPolicyEntry>();
  const stateDecider = deciders.state;
  for (const level of ['city', 'county'] as const) {
    const d = deciders[level];
    if (!d) continue;
    const named =
      d.preempted_by !== null && status.has(d.preempted_by) && !enjoinedBy.has(d.preempted_by)
        ? policies.byId.get(d.preempted_by)
        : undefined;
    const by = named ?? (stateDecider && preempts(stateDecider.honors_detainers, d.honors_detainers) ? stateDecider : undefined);
    if (!by) continue;
    if (d.preemption_blocked_by) {
      preemptionBlocked.push(d);
      continue;
    }
    overridden.push(d);
    overriddenBy.set(d.id, by);
    roles.set(d.id, { role: 'overridden', reason: 'overridden', byId: by.id });
  }

  let decidedBy: LoadedPolicyEntry | null = null;
  const open = (['city', 'county', 'state'] as const)
    .map((level) => deciders[level])
    .filter((d): d is LoadedPolicyEntry => d !== undefined && !overriddenBy.has(d.id));
  decidedBy = open.find((d) => d.honors_detainers !== 'unclear') ?? open[0] ?? null;
  if (decidedBy === null && overridden.length > 0) decidedBy = overriddenBy.get(overridden[0]!.id) ?? null;
  if (decidedBy) {
    roles.set(decidedBy.id, { role: 'decides', reason: null, byId: null });
    for (const d of open) {
      if (d !== decidedBy && d.honors_detainers === 'unclear') roles.set(d.id, { role: 'context', reason: 'unclear_yields', byId: decidedBy.id });
    }
  }
  for (const d of Object.values(deciders)) {
    if (!roles.has(d.id)) roles.set(d.id, { role: 'context', reason: 'local_rule_decides', byId: decidedBy?.id ?? null });
  }

  const order: Record<EntryRole, number> = { decides: 0, overridden: 1, superseded: 2, context: 3 };
  const entries: ConsideredEntry[] = inForce
    .map(({ e, level }) => ({ entry: e, level, ...roles.get(e.id)!, dateUnknown: status.get(e.id) === 'uncertain' }))
    .sort((a, b) => order[a.role] - order[b.role]);
  const agreements287g =
    scope === 'federal'
      ? []
      : inForce
          .filter(({ e, level }) => e.kind === 'agreement_287g' && (level === 'state' || (scope === 'county_jails' && !unified)) && binds(e, scope, unified))
          .map(({ e }) => e);

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
  for (const x of entries) cite(x.entry);

  return {
    place: where,
    date,
    scope,
    unifiedJailSystem: unified,
    regime: scope === 'federal' ? 'federal' : decidedBy ? (decidedBy.honors_detainers as RegimeCode) : 'no_data',
    decidedBy,
    overridden,
    preemptionBlocked,
    considered,
    entries,
    agreements287g,
    citations,
    dateUnknown: decidedBy !== null && status.get(decidedBy.id) === 'uncertain',
    dateUnknownIds: [...status].filter(([, s]) => s === 'uncertain').map(([id]) => id),
    jurisdictions,
  };
}

function startText(e: LoadedPolicyEntry): string | null {
  return e.effective_date ?? e.effective_date_approx;
}

/** Later entries of the same jurisdiction that take over `e`'s scopes, nearest first. */
function successionsOf(e: LoadedPolicyEntry, siblings: readonly LoadedPolicyEntry[]): Succession[] {
  const k = startKey(e);
  if (k === null || isContextOnly(e)) return [];
  const later = siblings
    .filter((f) => f !== e && !isContextOnly(f) && startKey(f)! > k)
    .sort((a, b) => (startKey(a)! < startKey(b)! ? -1 : startKey(a)! > startKey(b)! ? 1 : 0));
  const taken = new Map<string, Succession>();
  for (const s of e.scope) {
    const f = later.find((x) => covers(x.scope, s) || (s === 'all_state_agencies' && x.scope.includes('all_state_agencies')));
    if (!f) continue;
    const item = taken.get(f.id) ?? { entryId: f.id, from: startText(f)!, scopes: [] };
    item.scopes.push(s);
    taken.set(f.id, item);
  }
  return [...taken.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/**
 * Every entry that affects a place (its state, county and city), ordered by start: exact or
 * approximate start first by date (state before county before city on the same day), undated last.
 * Each item says whether the entry is context only, which later entries of its jurisdiction take
 * over its scopes (succession, not repeal) and which injunctions suspend it.
 * Meant for a policy timeline and for before/after marks on charts.
 */
export function policyTimeline(policies: PolicySet, place: Place): TimelineItem[] {
  const where = normalizePlace(place);
  const items: Array<TimelineItem & { key: string | null; order: number }> = [];
  let order = 0;
  const enjoiners = new Map<string, string[]>();
  for (const e of policies.entries) for (const t of e.enjoins) enjoiners.set(t, [...(enjoiners.get(t) ?? []), e.id]);
  for (const j of jurisdictionsFor(policies, where)) {
    const siblings = policies.byJurisdiction.get(j.id) ?? [];
    for (const e of siblings) {
      const approx = e.effective_date_approx;
      const endApprox = e.end_date_approx;
      items.push({
        entry: e,
        level: j.level,
        start: e.effective_date ?? approx,
        startPrecision: e.effective_date ? 'day' : approx ? (approx.length === 4 ? 'year' : 'month') : 'unknown',
        end: e.end_date ?? endApprox,
        endPrecision: e.end_date ? 'day' : endApprox ? (endApprox.length === 4 ? 'year' : 'month') : 'none',
        contextOnly: isContextOnly(e),
        supersededBy: successionsOf(e, siblings),
        enjoinedBy: enjoiners.get(e.id) ?? [],
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
