/**
 * Policy context of a slice: the detainer policy in force (src/policy) and 287(g) agreements. These
 * are facts about jurisdictions, not counts of people, so nothing here is suppressed.
 */
import { policyAt, policyTimeline, type Place } from '../policy/index.ts';
import type { MetricContext, Row } from './definitions.ts';
import type { Agreement287gRow, MetricsService } from './service.ts';

/** The policy place of a cube unit: a state, a county, a facility's county; null for nation / AOR. */
export function policyPlaceOf(ctx: MetricContext): Place | null {
  const { unit, level } = ctx.place;
  if (level === 'state') return unit === 'state:unknown' ? null : { state: unit.slice(6) };
  if (level === 'county') {
    const fips = unit.slice(7);
    if (/^\d{5}$/.test(fips)) {
      const info = ctx.cube?.units.get(unit);
      const state = info?.state ?? stateOfFips(ctx.service, fips);
      return state ? { state, countyFips: fips } : null;
    }
    const st = fips.replace('unmatched-', '');
    return st === 'unknown' ? null : { state: st };
  }
  if (level === 'facility') {
    const info = ctx.cube?.units.get(unit);
    if (!info?.state) return null;
    return info.county ? { state: info.state, countyFips: info.county } : { state: info.state };
  }
  return null;
}

function stateOfFips(service: MetricsService, fips: string): string | null {
  const j = service.policies.jurisdictions.find((x) => x.level === 'state' && x.fips === fips.slice(0, 2));
  return j?.state ?? null;
}

function placeKey(p: Place): string {
  return p.countyFips ? `county:${p.countyFips}` : `state:${p.state}`;
}

/** 287(g) agreements listed as participating in the latest snapshot on or before `date`. */
export function agreementsInForce(rows: readonly Agreement287gRow[], place: Place, date: string): { count: number; snapshot: string | null; models: string[] } {
  return inForceAt(agreementsOfPlace(rows, place), latestSnapshot(snapshotDates(rows), date), date);
}

/** The rows of a place (a state, or a county when `countyFips` is set). */
function agreementsOfPlace(rows: readonly Agreement287gRow[], place: Place): Agreement287gRow[] {
  return rows.filter((r) => r.state_postal === place.state && (place.countyFips === undefined || r.county_fips === place.countyFips));
}

/** Every snapshot date of the sheets loaded (of any place), ascending. */
function snapshotDates(rows: readonly Agreement287gRow[]): string[] {
  return [...new Set(rows.map((r) => r.snapshot_date))].sort();
}

/** The latest of `dates` (ascending) on or before `date`, or null. */
function latestSnapshot(dates: readonly string[], date: string): string | null {
  let found: string | null = null;
  for (const d of dates) {
    if (d > date) break;
    found = d;
  }
  return found;
}

/** The place's agreements participating in `snapshot` and signed by `date`, and their models. */
function inForceAt(placeRows: readonly Agreement287gRow[], snapshot: string | null, date: string): { count: number; snapshot: string | null; models: string[] } {
  if (snapshot === null) return { count: 0, snapshot: null, models: [] };
  const inForce = placeRows.filter((r) => r.snapshot_date === snapshot && r.status === 'participating' && (r.signed_date === null || r.signed_date <= date));
  // The 287(g) models (jail enforcement, warrant service officer, task force) as ICE's sheet names them.
  const models = [...new Set(inForce.map((r) => r.support_type.trim()).filter(Boolean))].sort();
  return { count: inForce.length, snapshot, models };
}

export function policyContextRows(ctx: MetricContext): Row[] {
  const place = policyPlaceOf(ctx);
  const policies = ctx.service.policies;
  // Once per answer, not per period: the place's timeline and its 287(g) rows.
  const changes = place ? policyTimeline(policies, place).map((t) => t.start).filter((d): d is string => d !== null) : [];
  const all = ctx.service.agreements;
  const dates = all ? snapshotDates(all) : [];
  const agreements = place && all ? agreementsOfPlace(all, place) : null;
  return ctx.periods.map((p) => {
    if (!place) {
      return {
        period: p.period,
        period_start: p.period_start,
        period_end: p.period_end,
        place: ctx.place.unit,
        policy_place: null,
        regime_at_start: 'varies',
        regime_at_end: 'varies',
        changed_in_period: null,
        date_unknown: null,
        decided_by: null,
        citation: null,
        agreements_287g_participating: null,
        agreements_287g_models: null,
        agreements_287g_snapshot: null,
      };
    }
    const start = policyAt(policies, place, p.period_start);
    const end = policyAt(policies, place, p.period_end);
    const changed = start.regime !== end.regime || changes.some((d) => d > p.period_start && d <= p.period_end);
    const a = agreements ? inForceAt(agreements, latestSnapshot(dates, p.period_end), p.period_end) : null;
    return {
      period: p.period,
      period_start: p.period_start,
      period_end: p.period_end,
      place: ctx.place.unit,
      policy_place: placeKey(place),
      regime_at_start: start.regime,
      regime_at_end: end.regime,
      changed_in_period: changed,
      date_unknown: start.dateUnknown || end.dateUnknown,
      decided_by: end.decidedBy?.id ?? null,
      citation: end.decidedBy?.citation ?? null,
      agreements_287g_participating: a && a.snapshot ? a.count : null,
      agreements_287g_models: a && a.snapshot ? a.models.join('; ') : null,
      agreements_287g_snapshot: a?.snapshot ?? null,
    };
  });
}
