/**
 * Facility-name normalization: the same rules applied to ICE's "Detention Facility" values and to
 * HIFLD names, so that both sides reduce to comparable token lists. See DESIGN.md.
 */
import { toPlainUpper } from '../../geo/index.ts';

/** Abbreviations expanded to one spelling before comparison. */
const EXPANSIONS: Record<string, string> = {
  CO: 'COUNTY',
  CNTY: 'COUNTY',
  CTY: 'COUNTY',
  ST: 'SAINT',
  STE: 'SAINTE',
  FT: 'FORT',
  MT: 'MOUNT',
  DET: 'DETENTION',
  CTR: 'CENTER',
  CENTRE: 'CENTER',
  CNTR: 'CENTER',
  CORR: 'CORRECTIONAL',
  CORRECTION: 'CORRECTIONAL',
  CORRECTIONS: 'CORRECTIONAL',
  FAC: 'FACILITY',
  FACIL: 'FACILITY',
  SHERIFFS: 'SHERIFF',
  SO: 'SHERIFF',
  DEPT: 'DEPARTMENT',
  PD: 'POLICE',
  REG: 'REGIONAL',
  RGNL: 'REGIONAL',
  JUV: 'JUVENILE',
  INST: 'INSTITUTION',
  CI: 'INSTITUTION',
  MENS: 'MEN',
  WOMENS: 'WOMEN',
  PRETRIAL: 'PRETRIAL',
};

/**
 * Words that say what kind of building a facility is rather than which one it is. They are removed
 * from the comparison key, so "HARRIS COUNTY JAIL" and "HARRIS COUNTY SHERIFF'S OFFICE" both give
 * "HARRIS COUNTY". COUNTY, CITY and PARISH are kept: they tell a county jail from a city jail.
 */
const GENERIC = new Set([
  'JAIL',
  'JAILS',
  'DETENTION',
  'CENTER',
  'FACILITY',
  'FACILITIES',
  'CORRECTIONAL',
  'ADULT',
  'SHERIFF',
  'OFFICE',
  'DEPARTMENT',
  'HOUSE',
  'OF',
  'THE',
  'AND',
  'AT',
  'COMPLEX',
  'INSTITUTION',
  'PRISON',
  'DIVISION',
  'BUILDING',
  'UNIT',
  'LOCKUP',
  'HOLDING',
  'DETENTIONS',
]);

/** A facility name split into tokens. */
export interface NormalizedFacilityName {
  /** All tokens after abbreviation expansion, e.g. ["HARRIS", "COUNTY", "JAIL"]. */
  tokens: string[];
  /** Tokens without generic building words, e.g. ["HARRIS", "COUNTY"]. */
  core: string[];
  /** `core` joined by spaces: the exact-match key. Empty when the name is only generic words. */
  key: string;
}

/**
 * Normalizes a facility name: upper case, accents and apostrophes dropped ("SHERIFF'S" ->
 * "SHERIFFS"), other punctuation to spaces, "PRE-TRIAL" -> "PRETRIAL", abbreviations expanded
 * (CO/CNTY -> COUNTY, DET CTR -> DETENTION CENTER, CORR -> CORRECTIONAL, SO -> SHERIFF,
 * ST -> SAINT), then generic building words removed for the key.
 */
export function normalizeFacilityName(name: string): NormalizedFacilityName {
  const plain = toPlainUpper(name).replace(/\bPRE TRIAL\b/g, 'PRETRIAL');
  const tokens = plain
    .split(' ')
    .filter((t) => t !== '')
    .map((t) => EXPANSIONS[t] ?? t);
  const core = tokens.filter((t) => !GENERIC.has(t));
  return { tokens, core, key: core.join(' ') };
}

/** Normalizes a city name the same way on both sides: "ST. LOUIS" and "SAINT LOUIS" are equal. */
export function normalizeCityName(city: string): string {
  return toPlainUpper(city)
    .split(' ')
    .filter((t) => t !== '')
    .map((t) => (t === 'ST' ? 'SAINT' : t === 'FT' ? 'FORT' : t === 'MT' ? 'MOUNT' : t))
    .join(' ');
}

/**
 * Similarity of two token lists: the Dice coefficient over distinct tokens,
 * 2·|A∩B| / (|A| + |B|), between 0 and 1. Order-insensitive.
 */
export function tokenSimilarity(a: readonly string[], b: readonly string[]): number {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size === 0 || setB.size === 0) return 0;
  let shared = 0;
  for (const t of setA) if (setB.has(t)) shared += 1;
  return (2 * shared) / (setA.size + setB.size);
}
