/**
 * Match-rate report over a list of facilities: how many were placed in a county, per state and per
 * rule, and which were not and why. Used to review coverage before publishing county figures.
 */
import { resolveState } from '../../geo/index.ts';
import type { FacilityIndex } from './facility-index.ts';
import { matchFacility } from './match-facility.ts';
import type { FacilityInput, FacilityMatchResult, MatchMethod, NoMatchReason } from './match-facility.ts';

/** Per-state counts. */
export interface StateMatchRate {
  /** Postal code, or the raw value when the state is unknown. */
  state: string;
  total: number;
  matched: number;
  /** matched / total, 0..1. */
  rate: number;
}

/** One facility left without a county. */
export interface UnmatchedFacility extends FacilityInput {
  reason: NoMatchReason;
  competing?: string[];
}

/** The whole report. */
export interface FacilityMatchReport {
  total: number;
  matched: number;
  rate: number;
  byState: StateMatchRate[];
  byMethod: Partial<Record<MatchMethod, number>>;
  unmatched: UnmatchedFacility[];
  /** Results in input order, for callers that store them. */
  results: FacilityMatchResult[];
}

/**
 * Matches every facility and summarizes. Duplicates are counted as given: pass distinct
 * facilities to get a per-facility rate, or every detainer's facility for a per-record rate.
 */
export function buildFacilityMatchReport(facilities: FacilityInput[], index: FacilityIndex): FacilityMatchReport {
  const states = new Map<string, { total: number; matched: number }>();
  const byMethod: Partial<Record<MatchMethod, number>> = {};
  const unmatched: UnmatchedFacility[] = [];
  const results: FacilityMatchResult[] = [];
  let matched = 0;
  for (const facility of facilities) {
    const result = matchFacility(index, facility);
    results.push(result);
    const state = resolveState(facility.state ?? '')?.postal ?? (facility.state ?? '').trim();
    const s = states.get(state) ?? { total: 0, matched: 0 };
    s.total += 1;
    if (result.countyFips !== null) {
      s.matched += 1;
      matched += 1;
      byMethod[result.method] = (byMethod[result.method] ?? 0) + 1;
    } else {
      const row: UnmatchedFacility = { ...facility, reason: result.reason };
      if (result.competing) row.competing = result.competing;
      unmatched.push(row);
    }
    states.set(state, s);
  }
  const byState = [...states.entries()]
    .map(([state, s]) => ({ state, total: s.total, matched: s.matched, rate: s.total ? s.matched / s.total : 0 }))
    .sort((a, b) => a.state.localeCompare(b.state));
  return {
    total: facilities.length,
    matched,
    rate: facilities.length ? matched / facilities.length : 0,
    byState,
    byMethod,
    unmatched,
    results,
  };
}
