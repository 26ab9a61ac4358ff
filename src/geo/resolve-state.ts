/**
 * One lookup for the state field of any source: postal code, FIPS code or name, from the one
 * table of states and territories (`states.ts`), plus the other spellings some sources use.
 */
import { stateByFips, stateByName, stateByPostal } from './states.ts';

/** A state or territory: FIPS code, postal code and name. */
export interface StateOrTerritory {
  fips: string;
  postal: string;
  name: string;
}

/** Other spellings sources use for a state or territory (upper case, no periods), by postal code. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  MP: ['COMMONWEALTH OF THE NORTHERN MARIANA ISLANDS', 'CNMI'],
  VI: ['UNITED STATES VIRGIN ISLANDS', 'US VIRGIN ISLANDS', 'U S VIRGIN ISLANDS'],
};

/**
 * Resolves a state or territory written as a postal code ("MA"), a FIPS code ("25") or a name in
 * any case ("MASSACHUSETTS ", "Massachusetts"). Undefined when nothing matches.
 */
export function resolveState(text: string): StateOrTerritory | undefined {
  const clean = text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\./g, '')
    .toUpperCase();
  if (clean === '') return undefined;
  const state =
    (clean.length === 2 && /^[A-Z]{2}$/.test(clean) ? stateByPostal(clean) : undefined) ??
    (/^\d{1,2}$/.test(clean) ? stateByFips(clean) : undefined) ??
    stateByName(clean);
  if (state) return { fips: state.fips, postal: state.postal, name: state.name };
  const alias = Object.entries(ALIASES).find(([, names]) => names.includes(clean));
  const other = alias ? stateByPostal(alias[0]) : undefined;
  return other ? { fips: other.fips, postal: other.postal, name: other.name } : undefined;
}
