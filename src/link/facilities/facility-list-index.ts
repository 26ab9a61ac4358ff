/**
 * Extra facility → county placements from ICE's own facility lists (the `facility_list_rows` that
 * src/pipeline/load-facility-sources.ts loads): a list row names a facility's DETLOC code, name, city,
 * county and state, so a detainer's `Detention Facility Code` can be placed in the county the list
 * gives it, through the county name + state → FIPS lookup of src/geo.
 *
 * It supplements `matchFacility` and never overrides it: `matchFacilityWithList` returns the HIFLD
 * match whenever there is one and asks the list only for facilities HIFLD leaves unmatched. The list's
 * County column is ICE's free text (sometimes a city, sometimes just "COUNTY"), so a list row counts
 * only when its county and state name exactly one county, and, when a facility index is given, when
 * that county is among the counties HIFLD places the row's city in (if HIFLD knows the city). A code or
 * name the list places in two different counties is left out (`conflicts`). A code match needs the
 * detainer's state, when it has one, to be the list row's. Pure: rows in, an index and matches out.
 */
import { findCounty, resolveState } from '../../geo/index.ts';
import type { FacilityIndex } from './facility-index.ts';
import { matchFacility, type FacilityInput, type FacilityMatchResult } from './match-facility.ts';
import { normalizeCityName, normalizeFacilityName } from './normalize-name.ts';

/** One facility-list row, as `facility_list_rows` holds it. */
export interface FacilityListEntry {
  detloc: string | null;
  name: string | null;
  city: string | null;
  county: string | null;
  state: string | null;
  /** When the loader already resolved it; else resolved here from county and state. */
  county_fips?: string | null;
}

/** Where the list puts a facility. */
export interface ListPlacement {
  countyFips: string;
  /** Postal code. */
  state: string;
  detloc: string | null;
  name: string | null;
  city: string | null;
  /** List rows that agree (a facility appears on several sheets and lists). */
  rows: number;
}

export interface FacilityListIndex {
  byCode: Map<string, ListPlacement>;
  /** `${state}|${name key}|${city}` → placement. */
  byName: Map<string, ListPlacement>;
}

export interface FacilityListIndexReport {
  rows: number;
  /** Rows whose county and state name one county. */
  placed: number;
  /** Rows without a county FIPS (no county, `COUNTY`, a city in the county column, no state, redacted). */
  unresolved: number;
  /** Rows whose county is not one HIFLD places their city in. */
  disputed: number;
  /** Codes, then names, the list places in more than one county: left out. */
  conflicts: { key: string; counties: string[] }[];
}

/** How the list placed a facility. */
export type FacilityListMethod = 'facility_list_code' | 'facility_list_name';

export interface FacilityListMatch {
  countyFips: string;
  method: FacilityListMethod;
  /** Fixed labels for sorting and review: 0.95 by code, 0.9 by name + city + state. */
  score: number;
  listed: ListPlacement;
}

export const SCORE_LIST_CODE = 0.95;
export const SCORE_LIST_NAME = 0.9;

function nameKey(state: string, name: string, city: string | null): string | null {
  const tokens = normalizeFacilityName(name).tokens;
  if (tokens.length === 0) return null;
  return `${state}|${tokens.join(' ')}|${normalizeCityName(city ?? '')}`;
}

/** Builds the index from list rows; with a facility index, rows whose county HIFLD contradicts are set aside. */
export function buildFacilityListIndex(
  rows: readonly FacilityListEntry[],
  options: { facilityIndex?: FacilityIndex } = {},
): { index: FacilityListIndex; report: FacilityListIndexReport } {
  const report: FacilityListIndexReport = { rows: rows.length, placed: 0, unresolved: 0, disputed: 0, conflicts: [] };
  const codes = new Map<string, Map<string, ListPlacement>>();
  const names = new Map<string, Map<string, ListPlacement>>();
  const add = (map: Map<string, Map<string, ListPlacement>>, key: string, p: Omit<ListPlacement, 'rows'>): void => {
    const byCounty = map.get(key) ?? new Map<string, ListPlacement>();
    const seen = byCounty.get(p.countyFips);
    if (seen) seen.rows++;
    else byCounty.set(p.countyFips, { ...p, rows: 1 });
    map.set(key, byCounty);
  };
  for (const row of rows) {
    const state = resolveState(row.state ?? '');
    const fips = row.county_fips ?? (state && row.county ? findCounty(state.fips, row.county)?.fips : undefined);
    if (!state || !fips) {
      report.unresolved++;
      continue;
    }
    const city = row.city ? normalizeCityName(row.city) : '';
    const hifld = options.facilityIndex && city ? options.facilityIndex.cityCounties.get(`${state.postal}|${city}`) : undefined;
    if (hifld && hifld.size > 0 && !hifld.has(fips)) {
      report.disputed++;
      continue;
    }
    report.placed++;
    const placement = { countyFips: fips, state: state.postal, detloc: row.detloc, name: row.name, city: row.city };
    const code = (row.detloc ?? '').trim().toUpperCase();
    if (code) add(codes, code, placement);
    const key = row.name ? nameKey(state.postal, row.name, row.city) : null;
    if (key) add(names, key, placement);
  }
  const settle = (map: Map<string, Map<string, ListPlacement>>): Map<string, ListPlacement> => {
    const out = new Map<string, ListPlacement>();
    for (const [key, byCounty] of map) {
      if (byCounty.size === 1) out.set(key, [...byCounty.values()][0]!);
      else report.conflicts.push({ key, counties: [...byCounty.keys()].sort() });
    }
    return out;
  };
  return { index: { byCode: settle(codes), byName: settle(names) }, report };
}

/** The list's placement of a facility: by DETLOC code (state must agree), else by name + city + state. */
export function matchFromFacilityList(list: FacilityListIndex, input: FacilityInput): FacilityListMatch | null {
  const state = resolveState(input.state ?? '');
  const code = (input.code ?? '').trim().toUpperCase();
  if (code) {
    const listed = list.byCode.get(code);
    if (listed && (!state || state.postal === listed.state)) {
      return { countyFips: listed.countyFips, method: 'facility_list_code', score: SCORE_LIST_CODE, listed };
    }
  }
  if (state && input.name) {
    const key = nameKey(state.postal, input.name, input.city ?? null);
    const listed = key ? list.byName.get(key) : undefined;
    if (listed) return { countyFips: listed.countyFips, method: 'facility_list_name', score: SCORE_LIST_NAME, listed };
  }
  return null;
}

/**
 * `matchFacility`, then the facility list for what it leaves unmatched. Returns the HIFLD result
 * unchanged whenever it has a county, so adding a list never moves a placed facility.
 */
export function matchFacilityWithList(
  index: FacilityIndex,
  list: FacilityListIndex,
  input: FacilityInput,
): FacilityMatchResult | FacilityListMatch {
  const base = matchFacility(index, input);
  if (base.countyFips !== null) return base;
  return matchFromFacilityList(list, input) ?? base;
}
