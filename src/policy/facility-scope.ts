/**
 * Which custody a detainer was lodged with, from what a release says about the facility, so that the
 * right scope decides its policy (see DESIGN.md, "Scope").
 *
 * Does: read ICE's own facility-type column (`Detainer_Facility_Type` in 2025-ICFO-18038: "Federal
 * Facility", "State Facility", "County Facility", "Other Facility Type", ...) when the release has it;
 * otherwise the TYPE of the HIFLD record the facility's whole name matched (src/link/facilities, exact
 * name rules only; stored as detainer_lifecycle.facility_hifld_type): STATE a state prison, FEDERAL a federal
 * facility, COUNTY / LOCAL / MULTI / SHERIFF'S OFFICE a local jail; otherwise recognise Bureau of
 * Prisons facilities by unambiguous name patterns ("FED.CORR.INST", "F.C.I.", "U.S. PENITENTIARY", a
 * name with the word FEDERAL); otherwise assume a local jail, which is where most detainers are
 * lodged, and say so (`default`).
 * Does not: guess state prisons from names (too ambiguous: "CORRECTIONAL INSTITUTION" is used by
 * counties too), or take a type from a fuzzy name match (TDCJ's "TRAVIS COUNTY UNIT" is not the
 * county's "TRAVIS COUNTY JAIL") or from a match that rests on a city or a county named in the name.
 */
import type { DecisionScope } from './types.ts';

/** Where a facility scope came from. */
export type FacilityScopeBasis = 'facility_type_column' | 'hifld_type' | 'facility_name' | 'default';

/**
 * HIFLD's TYPE of a matched facility record → the custody it names. Prison_Boundaries gives STATE,
 * FEDERAL, COUNTY, LOCAL and MULTI (a regional jail of several counties); the sheriffs' offices of
 * Local_Law_Enforcement are county jails. Any other or empty TYPE says nothing.
 */
const HIFLD_TYPE_SCOPE: Readonly<Record<string, DecisionScope>> = {
  STATE: 'state_prisons',
  FEDERAL: 'federal',
  COUNTY: 'county_jails',
  LOCAL: 'county_jails',
  MULTI: 'county_jails',
  "SHERIFF'S OFFICE": 'county_jails',
};

const FEDERAL_NAME: readonly RegExp[] = [
  /\bFEDERAL\b/,
  /\bFED\.?\s*CORR/,
  /\bF\.\s?C\.\s?I\.?(?=\s|$|,)/,
  /\bFCI\b/,
  /\bU\.?\s?S\.? PENITENTIARY\b/,
  /\bUSP\b/,
  /\bBUREAU OF PRISONS\b/,
];

/**
 * The decision scope of a facility from ICE's facility-type text (may be null) and the facility name
 * (may be null), with the basis of the answer.
 */
export function facilityScope(
  facilityType: string | null | undefined,
  facilityName: string | null | undefined,
  hifldType?: string | null,
): { scope: DecisionScope; basis: FacilityScopeBasis } {
  const type = (facilityType ?? '').trim().toUpperCase();
  if (type) {
    if (/\bFEDERAL\b/.test(type)) return { scope: 'federal', basis: 'facility_type_column' };
    if (/\bSTATE\b/.test(type)) return { scope: 'state_prisons', basis: 'facility_type_column' };
    if (/\b(COUNTY|LOCAL|CITY|MUNICIPAL|JAIL)\b/.test(type)) return { scope: 'county_jails', basis: 'facility_type_column' };
  }
  const hifld = HIFLD_TYPE_SCOPE[(hifldType ?? '').trim().toUpperCase()];
  if (hifld) return { scope: hifld, basis: 'hifld_type' };
  const name = (facilityName ?? '').trim().toUpperCase();
  if (name && FEDERAL_NAME.some((re) => re.test(name))) return { scope: 'federal', basis: 'facility_name' };
  return { scope: 'county_jails', basis: 'default' };
}
