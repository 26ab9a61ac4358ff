/**
 * Facility -> county matching: the rules, in order, are described in DESIGN.md beside this file.
 */
import { findCounty, resolveState, toPlainUpper } from '../../geo/index.ts';
import type { FacilityIndex, HifldFacility } from './facility-index.ts';
import { overrideNameKey } from './facility-index.ts';
import { normalizeCityName, normalizeFacilityName, tokenSimilarity } from './normalize-name.ts';

/** A facility as a detainer names it. */
export interface FacilityInput {
  /** "Detention Facility" / "Detainer Facility". */
  name: string;
  /** "Detention Facility Code" (ICE DETLOC), when present. */
  code?: string | null;
  /** "Facility City". */
  city?: string | null;
  /** "Facility State": ICE's upper-case full name; postal codes are accepted too. */
  state?: string | null;
}

/** How a county was found. */
export type MatchMethod =
  | 'override'
  | 'exact_name_city'
  | 'exact_name_state'
  | 'fuzzy_name_city'
  | 'fuzzy_name_state'
  | 'county_name_in_name'
  | 'city_unique_county';

/** Why no county was found. */
export type NoMatchReason = 'state_unknown' | 'no_name' | 'ambiguous' | 'no_candidate';

/** The HIFLD record a name rule matched, for review. */
export type MatchCandidate = Pick<
  HifldFacility,
  'source' | 'sourceId' | 'name' | 'type' | 'city' | 'state' | 'countyFips'
>;

/** A facility placed in a county. */
export interface FacilityMatch {
  countyFips: string;
  method: MatchMethod;
  /** 1 for exact and override; the name similarity for fuzzy rules; a fixed value for the others (DESIGN.md). */
  score: number;
  candidate?: MatchCandidate;
  /**
   * HIFLD's TYPE (STATE, FEDERAL, COUNTY, ...) when the facility's whole normalized name equals that of
   * the matched records and they agree on it; never from a fuzzy or other rule.
   */
  hifldType?: string;
}

/** A facility left without a county, and why. */
export interface FacilityNoMatch {
  countyFips: null;
  reason: NoMatchReason;
  /** Counties that competed when the reason is 'ambiguous'. */
  competing?: string[];
}

/** Result of `matchFacility`. */
export type FacilityMatchResult = FacilityMatch | FacilityNoMatch;

/** Minimum name similarity (Dice over core tokens) when the cities agree. */
export const FUZZY_THRESHOLD_SAME_CITY = 0.75;
/** Minimum name similarity when the cities differ or the facility has no city. */
export const FUZZY_THRESHOLD_STATE = 0.9;
/** A rival candidate in another county within this distance of the best score makes a fuzzy match ambiguous. */
export const FUZZY_MARGIN = 0.1;
/** Fixed score of the county-name rule. */
export const SCORE_COUNTY_NAME = 0.9;
/** Fixed score of the city rule. */
export const SCORE_CITY_UNIQUE = 0.6;

const COUNTY_WORDS = new Set(['COUNTY', 'PARISH', 'BOROUGH', 'CO', 'CNTY']);

function toCandidate(f: HifldFacility): MatchCandidate {
  return {
    source: f.source,
    sourceId: f.sourceId,
    name: f.name,
    type: f.type,
    city: f.city,
    state: f.state,
    countyFips: f.countyFips,
  };
}

/**
 * Finds the county of a facility named in an ICE record. Rules, first hit wins: reviewed override
 * (by code, then by name+city+state); exact normalized name in the same city, then anywhere in the
 * state when all such records agree on the county; token similarity in the same city, then in the
 * state (thresholds above); a county named in the facility name ("SUFFOLK COUNTY HOUSE OF
 * CORRECTION"); the facility's city lying in exactly one county according to HIFLD.
 */
export function matchFacility(index: FacilityIndex, input: FacilityInput): FacilityMatchResult {
  const code = (input.code ?? '').trim().toUpperCase();
  if (code) {
    const byCode = index.overridesByCode.get(code);
    if (byCode) return { countyFips: byCode.countyFips, method: 'override', score: 1 };
  }
  const state = resolveState(input.state ?? '');
  if (!state) return { countyFips: null, reason: 'state_unknown' };
  const byName = index.overridesByName.get(overrideNameKey(state.postal, input.name, input.city ?? ''));
  if (byName) return { countyFips: byName.countyFips, method: 'override', score: 1 };

  const name = normalizeFacilityName(input.name);
  const cityKey = normalizeCityName(input.city ?? '');
  if (name.tokens.length === 0) return { countyFips: null, reason: 'no_name' };
  const inState = index.facilitiesByState.get(state.postal) ?? [];
  let competing: Set<string> | undefined;

  if (name.key !== '') {
    const exact = inState.filter((f) => f.normalized.key === name.key);
    const exactCity = exact.filter((f) => cityKey !== '' && f.cityKey === cityKey);
    for (const [group, method] of [
      [exactCity, 'exact_name_city'],
      [exact, 'exact_name_state'],
    ] as const) {
      const counties = new Set(group.map((f) => f.countyFips));
      if (counties.size === 1) {
        // The key leaves out generic words ("TRAVIS COUNTY JAIL" and TDCJ's "TRAVIS COUNTY UNIT" share
        // it): a TYPE is given only by records whose every word equals the facility's, and only when they agree.
        const whole = group.filter((f) => f.normalized.tokens.join(' ') === name.tokens.join(' '));
        const types = new Set(whole.map((f) => f.type));
        const hifldType = types.size === 1 && whole[0]!.type ? whole[0]!.type : undefined;
        return { countyFips: group[0]!.countyFips, method, score: 1, candidate: toCandidate(whole[0] ?? group[0]!), ...(hifldType ? { hifldType } : {}) };
      }
      if (counties.size > 1) competing ??= counties;
    }

    const scored = inState
      .map((f) => ({ f, score: tokenSimilarity(name.core, f.normalized.core), sameCity: cityKey !== '' && f.cityKey === cityKey }))
      .filter((s) => s.score >= (s.sameCity ? FUZZY_THRESHOLD_SAME_CITY : FUZZY_THRESHOLD_STATE))
      .sort((a, b) => Number(b.sameCity) - Number(a.sameCity) || b.score - a.score);
    if (scored.length > 0) {
      const best = scored[0]!;
      const rivals = scored.filter(
        (s) => s.sameCity === best.sameCity && s.score >= best.score - FUZZY_MARGIN && s.f.countyFips !== best.f.countyFips,
      );
      if (rivals.length === 0) {
        return {
          countyFips: best.f.countyFips,
          method: best.sameCity ? 'fuzzy_name_city' : 'fuzzy_name_state',
          score: Math.round(best.score * 1000) / 1000,
          candidate: toCandidate(best.f),
        };
      }
      competing ??= new Set([best.f.countyFips, ...rivals.map((r) => r.f.countyFips)]);
    }
  }

  const named = countyNamedIn(state.fips, input.name);
  if (named) return { countyFips: named, method: 'county_name_in_name', score: SCORE_COUNTY_NAME };

  if (cityKey !== '') {
    const counties = index.cityCounties.get(`${state.postal}|${cityKey}`);
    if (counties && counties.size === 1) {
      return { countyFips: [...counties][0]!, method: 'city_unique_county', score: SCORE_CITY_UNIQUE };
    }
    if (counties && counties.size > 1) competing ??= counties;
  }
  if (competing) return { countyFips: null, reason: 'ambiguous', competing: [...competing].sort() };
  return { countyFips: null, reason: 'no_candidate' };
}

/**
 * The county a facility name spells out: the one to three words before COUNTY/PARISH/BOROUGH
 * (longest that names a county of the state), e.g. "SUFFOLK COUNTY HOUSE OF CORRECTION" -> Suffolk.
 */
export function countyNamedIn(stateFips: string, facilityName: string): string | undefined {
  const words = toPlainUpper(facilityName).split(' ');
  for (let i = 1; i < words.length; i += 1) {
    if (!COUNTY_WORDS.has(words[i]!)) continue;
    for (let n = Math.min(3, i); n >= 1; n -= 1) {
      const county = findCounty(stateFips, `${words.slice(i - n, i).join(' ')} County`);
      if (county) return county.fips;
    }
  }
  return undefined;
}
