/**
 * link/facilities: places the facility a detainer names ("Detention Facility", "Detention
 * Facility Code", "Facility City", "Facility State") in a county, so detainers can be counted by
 * county and AOR.
 *
 * Does:
 * - normalize facility names and match them to HIFLD facilities (reference/facilities/hifld-jails.csv)
 *   by exact and fuzzy name within the state, then by a county named in the facility name, then by
 *   a city that HIFLD places in a single county; reviewed overrides (overrides.csv) come first;
 * - report match rates per state and the unmatched facilities with reasons;
 * - list real county/local jails per state for the synthetic-data generator.
 *
 * Does not:
 * - read DuckDB or write anything: callers store the results;
 * - guess: a facility with competing counties is returned unmatched ('ambiguous');
 * - ship ICE's or UWCHR's facility lists (UWCHR's has no licence; tests read it from ../shared).
 *
 * Rules and thresholds: DESIGN.md. Inputs: `FacilityInput` records and a `FacilityIndex` from
 * `loadFacilityIndex()`. Outputs: `FacilityMatchResult`, `FacilityMatchReport`, `JailListing`.
 */
export { buildFacilityIndex, loadFacilityIndex } from './facility-index.ts';
export type { FacilityIndex, FacilityOverride, HifldFacility } from './facility-index.ts';
export {
  FUZZY_MARGIN,
  FUZZY_THRESHOLD_SAME_CITY,
  FUZZY_THRESHOLD_STATE,
  SCORE_CITY_UNIQUE,
  SCORE_COUNTY_NAME,
  countyNamedIn,
  matchFacility,
} from './match-facility.ts';
export type {
  FacilityInput,
  FacilityMatch,
  FacilityMatchResult,
  FacilityNoMatch,
  MatchCandidate,
  MatchMethod,
  NoMatchReason,
} from './match-facility.ts';
export { buildFacilityMatchReport } from './match-report.ts';
export type { FacilityMatchReport, StateMatchRate, UnmatchedFacility } from './match-report.ts';
export { listJails } from './list-jails.ts';
export type { JailListing } from './list-jails.ts';
export { normalizeCityName, normalizeFacilityName, tokenSimilarity } from './normalize-name.ts';
export type { NormalizedFacilityName } from './normalize-name.ts';
