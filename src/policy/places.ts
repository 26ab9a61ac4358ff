/**
 * Jurisdiction ids, policy file names and place keys.
 *
 * Ids: `state:MA`, `county:48453` (5-digit county FIPS), `city:MA:boston` (state + name slug).
 * Files: `state-ma.yaml`, `county-48453-travis-tx.yaml`, `city-ma-boston.yaml`.
 */
import { HandoffError } from '../core/errors.ts';
import { stateByFips, stateByName, stateByPostal } from '../geo/states.ts';
import type { Jurisdiction, JurisdictionLevel } from './types.ts';

/** A place to evaluate policy for: a state, optionally narrowed to a county and/or a city. */
export interface Place {
  /** Postal code (`'TX'`). */
  state: string;
  /** 5-digit county FIPS (`'48453'`). */
  countyFips?: string;
  /** City name or slug (`'Austin'`, `'new-york-city'`). */
  city?: string;
}

/** A parsed place key. */
export interface PlaceKey {
  level: JurisdictionLevel;
  /** Normalised key, e.g. `city:MA:boston`. */
  key: string;
  /** The place to pass to `policyAt()` / `policyTimeline()`. */
  place: Place;
}

/** Lower-case slug: letters and digits, words joined by `-` (`'New York City'` -> `new-york-city`). */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The jurisdiction id for a level and its identifying parts. */
export function jurisdictionId(
  level: JurisdictionLevel,
  parts: { state: string; fips?: string | null; name?: string },
): string {
  if (level === 'state') return `state:${parts.state}`;
  if (level === 'county') return `county:${parts.fips ?? ''}`;
  return `city:${parts.state}:${slugify(parts.name ?? '')}`;
}

/** The policy file name a jurisdiction must live in (see DESIGN.md, "Files"). */
export function policyFileName(j: Jurisdiction): string {
  const state = j.state.toLowerCase();
  if (j.level === 'state') return `state-${state}.yaml`;
  if (j.level === 'county') {
    const short = slugify(j.name.replace(/\b(County|Parish)\b/g, ''));
    return `county-${j.fips ?? ''}-${short}-${state}.yaml`;
  }
  return `city-${state}-${slugify(j.name)}.yaml`;
}

/**
 * Parses a place key: `state:MA` (or `MA`, `state:25`, a state's name such as `Massachusetts` or
 * `state:New York`), `county:25025`, `city:MA:boston`.
 * Throws HandoffError('bad_argument') for anything else, or for an unknown state or county FIPS.
 */
export function parsePlaceKey(input: string): PlaceKey {
  const text = input.trim();
  const parts = text.split(':');
  const fail = (why: string): never => {
    throw new HandoffError(
      'bad_argument',
      `bad place "${input}": ${why}; expected state:MA, county:25025 or city:MA:boston`,
    );
  };
  if (parts.length === 1 || (parts.length === 2 && parts[0]!.toLowerCase() === 'state')) {
    const code = parts[parts.length - 1]!;
    const st = /^\d{1,2}$/.test(code) ? stateByFips(code) : (stateByPostal(code) ?? (code.trim().length > 2 ? stateByName(code) : undefined));
    if (!st) return fail(`unknown state "${code}"`);
    return { level: 'state', key: `state:${st.postal}`, place: { state: st.postal } };
  }
  const kind = parts[0]!.toLowerCase();
  if (kind === 'county' && parts.length === 2) {
    const fips = parts[1]!;
    if (!/^\d{5}$/.test(fips)) return fail('county FIPS must have 5 digits');
    const st = stateByFips(fips.slice(0, 2));
    if (!st) return fail(`no state has FIPS code ${fips.slice(0, 2)}`);
    return { level: 'county', key: `county:${fips}`, place: { state: st.postal, countyFips: fips } };
  }
  if (kind === 'city' && parts.length === 3) {
    const st = stateByPostal(parts[1]!);
    if (!st) return fail(`unknown state "${parts[1]}"`);
    const slug = slugify(parts[2]!);
    if (!slug) return fail('empty city name');
    return { level: 'city', key: `city:${st.postal}:${slug}`, place: { state: st.postal, city: slug } };
  }
  return fail('unrecognised form');
}

/** Checks a place and returns it normalised (upper-case state, city as slug). */
export function normalizePlace(place: Place): { state: string; countyFips?: string; city?: string } {
  const st = stateByPostal(place.state ?? '');
  if (!st) {
    throw new HandoffError('bad_argument', `unknown state "${place.state}" (use a postal code such as TX)`);
  }
  const out: { state: string; countyFips?: string; city?: string } = { state: st.postal };
  if (place.countyFips !== undefined) {
    if (!/^\d{5}$/.test(place.countyFips) || place.countyFips.slice(0, 2) !== st.fips) {
      throw new HandoffError(
        'bad_argument',
        `county FIPS "${place.countyFips}" is not a 5-digit code in ${st.name} (FIPS ${st.fips})`,
      );
    }
    out.countyFips = place.countyFips;
  }
  if (place.city !== undefined) {
    const slug = slugify(place.city);
    if (!slug) throw new HandoffError('bad_argument', 'empty city name');
    out.city = slug;
  }
  return out;
}

/**
 * The place whose policy applies to a record: its county when the facility was matched to one, else
 * its state. When the matched county lies in another state than the record's state field (a facility
 * on a state line, such as Texarkana's), the county decides, with its own state: the county is where
 * the facility was found, and a county belongs to one state.
 */
export function recordPlace(statePostal: string, countyFips: string | null | undefined): Place {
  if (!countyFips) return { state: statePostal };
  const countyState = stateByFips(countyFips.slice(0, 2));
  if (!countyState) return { state: statePostal };
  return { state: countyState.postal, countyFips };
}
