/**
 * Which custody a detainer was lodged with, from what a release says about the facility, so that the
 * right scope decides its policy (see DESIGN.md, "Scope").
 *
 * Does: read ICE's own facility-type column (`Detainer_Facility_Type` in 2025-ICFO-18038: "Federal
 * Facility", "State Facility", "County Facility", "Other Facility Type", ...) when the release has it;
 * otherwise recognise Bureau of Prisons facilities by unambiguous name patterns ("FED.CORR.INST",
 * "F.C.I.", "U.S. PENITENTIARY", a name with the word FEDERAL); otherwise assume a local jail, which is
 * where most detainers are lodged, and say so (`default`).
 * Does not: guess state prisons from names (too ambiguous: "CORRECTIONAL INSTITUTION" is used by
 * counties too), or read HIFLD's TYPE (the facility matcher does not carry it into the lifecycle).
 */
import type { DecisionScope } from './types.ts';

/** Where a facility scope came from. */
export type FacilityScopeBasis = 'facility_type_column' | 'facility_name' | 'default';

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
): { scope: DecisionScope; basis: FacilityScopeBasis } {
  const type = (facilityType ?? '').trim().toUpperCase();
  if (type) {
    if (/\bFEDERAL\b/.test(type)) return { scope: 'federal', basis: 'facility_type_column' };
    if (/\bSTATE\b/.test(type)) return { scope: 'state_prisons', basis: 'facility_type_column' };
    if (/\b(COUNTY|LOCAL|CITY|MUNICIPAL|JAIL)\b/.test(type)) return { scope: 'county_jails', basis: 'facility_type_column' };
  }
  const name = (facilityName ?? '').trim().toUpperCase();
  if (name && FEDERAL_NAME.some((re) => re.test(name))) return { scope: 'federal', basis: 'facility_name' };
  return { scope: 'county_jails', basis: 'default' };
}
