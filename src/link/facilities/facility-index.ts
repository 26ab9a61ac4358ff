/**
 * The lookup tables the facility matcher works on, built from reference/facilities:
 * HIFLD facilities (hifld-jails.csv), HIFLD city -> county pairs (hifld-city-counties.csv) and the
 * reviewed overrides (overrides.csv).
 */
import { readFile } from 'node:fs/promises';
import { HandoffError } from '../../core/errors.ts';
import { parseCsvRecords, referencePath, resolveState } from '../../geo/index.ts';
import { normalizeCityName, normalizeFacilityName } from './normalize-name.ts';
import type { NormalizedFacilityName } from './normalize-name.ts';

/** One HIFLD facility (a Prison_Boundaries polygon or a Local Law Enforcement sheriff's office). */
export interface HifldFacility {
  source: 'hifld_prison_boundaries' | 'hifld_local_law_enforcement';
  sourceId: string;
  name: string;
  /** HIFLD TYPE: COUNTY, LOCAL, STATE, FEDERAL, MULTI, SHERIFF'S OFFICE, or empty. */
  type: string;
  /** HIFLD STATUS: OPEN, CLOSED or empty. */
  status: string;
  city: string;
  /** Postal code. */
  state: string;
  county: string;
  countyFips: string;
}

/** One reviewed override: a facility whose county was checked by hand against a cited source. */
export interface FacilityOverride {
  facilityCode: string;
  facilityName: string;
  facilityCity: string;
  /** Postal code. */
  facilityState: string;
  countyFips: string;
  reason: string;
  reviewedBySource: string;
}

interface IndexedFacility extends HifldFacility {
  normalized: NormalizedFacilityName;
  cityKey: string;
}

/** The matcher's tables, grouped by state postal code. */
export interface FacilityIndex {
  facilitiesByState: Map<string, IndexedFacility[]>;
  /** `${state}|${city}` -> county FIPS codes that HIFLD records place that city in. */
  cityCounties: Map<string, Set<string>>;
  overridesByCode: Map<string, FacilityOverride>;
  /** `${state}|${name key}|${city}` -> override. */
  overridesByName: Map<string, FacilityOverride>;
}

/** Key of an override or facility by name, city and state. */
export function overrideNameKey(state: string, name: string, city: string): string {
  return `${state}|${normalizeFacilityName(name).tokens.join(' ')}|${normalizeCityName(city)}`;
}

/**
 * Builds the index from parsed CSV records (header names as in the shipped files). Pure; use
 * `loadFacilityIndex` to read the shipped files.
 */
export function buildFacilityIndex(input: {
  jails: Record<string, string>[];
  cityCounties: Record<string, string>[];
  overrides: Record<string, string>[];
}): FacilityIndex {
  const facilitiesByState = new Map<string, IndexedFacility[]>();
  for (const r of input.jails) {
    const facility: IndexedFacility = {
      source: r.source as HifldFacility['source'],
      sourceId: r.source_id ?? '',
      name: r.name ?? '',
      type: r.type ?? '',
      status: r.status ?? '',
      city: r.city ?? '',
      state: r.state ?? '',
      county: r.county ?? '',
      countyFips: r.county_fips ?? '',
      normalized: normalizeFacilityName(r.name ?? ''),
      cityKey: normalizeCityName(r.city ?? ''),
    };
    if (!facility.countyFips) continue;
    const list = facilitiesByState.get(facility.state) ?? [];
    list.push(facility);
    facilitiesByState.set(facility.state, list);
  }
  const cityCounties = new Map<string, Set<string>>();
  for (const r of input.cityCounties) {
    const key = `${r.state}|${normalizeCityName(r.city ?? '')}`;
    const set = cityCounties.get(key) ?? new Set<string>();
    set.add(r.county_fips!);
    cityCounties.set(key, set);
  }
  const overridesByCode = new Map<string, FacilityOverride>();
  const overridesByName = new Map<string, FacilityOverride>();
  input.overrides.forEach((r, i) => {
    const state = resolveState(r.facility_state ?? '');
    if (!state || !/^\d{5}$/.test(r.county_fips ?? '') || !r.reviewed_by_source) {
      throw new HandoffError('invalid_reference', 'override needs a known state, a 5-digit county_fips and a source', {
        location: { file: 'reference/facilities/overrides.csv', row: i + 2 },
      });
    }
    const override: FacilityOverride = {
      facilityCode: (r.facility_code ?? '').trim().toUpperCase(),
      facilityName: r.facility_name ?? '',
      facilityCity: r.facility_city ?? '',
      facilityState: state.postal,
      countyFips: r.county_fips!,
      reason: r.reason ?? '',
      reviewedBySource: r.reviewed_by_source!,
    };
    if (override.facilityCode) overridesByCode.set(override.facilityCode, override);
    if (override.facilityName) {
      overridesByName.set(overrideNameKey(state.postal, override.facilityName, override.facilityCity), override);
    }
  });
  return { facilitiesByState, cityCounties, overridesByCode, overridesByName };
}

/**
 * Reads reference/facilities/{hifld-jails,hifld-city-counties,overrides}.csv and builds the index.
 * Paths can be replaced for tests.
 */
export async function loadFacilityIndex(
  paths: { jails?: string; cityCounties?: string; overrides?: string } = {},
): Promise<FacilityIndex> {
  const read = async (path: string): Promise<Record<string, string>[]> => {
    try {
      return parseCsvRecords(await readFile(path, 'utf8'));
    } catch (cause) {
      throw new HandoffError('invalid_reference', `cannot read ${path}`, { cause });
    }
  };
  const [jails, cityCounties, overrides] = await Promise.all([
    read(paths.jails ?? referencePath('facilities/hifld-jails.csv')),
    read(paths.cityCounties ?? referencePath('facilities/hifld-city-counties.csv')),
    read(paths.overrides ?? referencePath('facilities/overrides.csv')),
  ]);
  return buildFacilityIndex({ jails, cityCounties, overrides });
}
