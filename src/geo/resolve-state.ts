/**
 * One lookup for the state field of any source: postal code, FIPS code or name, including the
 * territories outside `states.ts` that ICE sheets mention (Guam, the Northern Mariana Islands,
 * the US Virgin Islands, American Samoa).
 */
import { stateByFips, stateByName, stateByPostal } from './states.ts';

/** A state or territory: FIPS code, postal code and name. */
export interface StateOrTerritory {
  fips: string;
  postal: string;
  name: string;
}

/** Territories not covered by states.ts, with the name variants sources use (upper case). */
const TERRITORIES: readonly (StateOrTerritory & { aliases: string[] })[] = [
  { fips: '60', postal: 'AS', name: 'American Samoa', aliases: ['AMERICAN SAMOA'] },
  { fips: '66', postal: 'GU', name: 'Guam', aliases: ['GUAM'] },
  {
    fips: '69',
    postal: 'MP',
    name: 'Northern Mariana Islands',
    aliases: ['NORTHERN MARIANA ISLANDS', 'COMMONWEALTH OF THE NORTHERN MARIANA ISLANDS', 'CNMI'],
  },
  {
    fips: '78',
    postal: 'VI',
    name: 'United States Virgin Islands',
    aliases: ['UNITED STATES VIRGIN ISLANDS', 'US VIRGIN ISLANDS', 'U S VIRGIN ISLANDS', 'VIRGIN ISLANDS'],
  },
];

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
  const territory = TERRITORIES.find(
    (t) => t.postal === clean || t.fips === clean.padStart(2, '0') || t.aliases.includes(clean),
  );
  return territory ? { fips: territory.fips, postal: territory.postal, name: territory.name } : undefined;
}
