/**
 * The `place` parameter: `nation`, `state:MA`, `county:25025`, `aor:BOS`, `facility:CODE`. Records
 * the release could not place are in `state:unknown`, `county:unmatched-MA`, `aor:unknown` and
 * `facility:none-…` units, which can be asked for like any other.
 */
import { HandoffError } from '../core/errors.ts';
import { aorByName, countyByFips, stateByPostal } from '../geo/index.ts';
import type { Level } from './cube.ts';

export interface PlaceParam {
  unit: string;
  level: Level;
}

export const PLACE_FORMS = ['nation', 'state:MA', 'county:25025', 'aor:BOS', 'facility:CODE'];

export function parsePlaceParam(text: string | undefined): PlaceParam {
  const raw = (text ?? 'nation').trim();
  const fail = (why: string): never => {
    throw new HandoffError('bad_argument', `bad place "${raw}": ${why}; expected one of ${PLACE_FORMS.join(', ')}`);
  };
  if (raw === 'nation' || raw === '') return { unit: 'nation', level: 'nation' };
  const i = raw.indexOf(':');
  if (i < 0) return fail('no level');
  const kind = raw.slice(0, i).toLowerCase();
  const code = raw.slice(i + 1).trim();
  switch (kind) {
    case 'state': {
      if (code.toLowerCase() === 'unknown') return { unit: 'state:unknown', level: 'state' };
      const st = stateByPostal(code.toUpperCase());
      if (!st) return fail(`unknown state "${code}"`);
      return { unit: `state:${st.postal}`, level: 'state' };
    }
    case 'county': {
      if (/^\d{5}$/.test(code)) return { unit: `county:${code}`, level: 'county' };
      const m = /^unmatched-([A-Za-z]{2}|unknown)$/.exec(code);
      if (m) return { unit: `county:unmatched-${m[1] === 'unknown' ? 'unknown' : m[1]!.toUpperCase()}`, level: 'county' };
      return fail('a county is its 5-digit FIPS code');
    }
    case 'aor': {
      if (code.toLowerCase() === 'unknown') return { unit: 'aor:unknown', level: 'aor' };
      const aor = aorByName(code);
      if (!aor) return fail(`unknown AOR "${code}"`);
      return { unit: `aor:${aor.code}`, level: 'aor' };
    }
    case 'facility': {
      if (!/^[A-Za-z0-9 ._()\-]{1,80}$/.test(code)) return fail('a facility is its ICE facility code');
      return { unit: `facility:${code}`, level: 'facility' };
    }
    default:
      return fail(`unknown level "${kind}"`);
  }
}

/**
 * A reader's name for a unit key: "Massachusetts", "Suffolk County, MA", "Boston (ICE area of
 * responsibility)", a facility's name as ICE writes it (its `label`), and words for the units of
 * records the release could not place. Names come from src/geo (states, Census counties, AORs).
 */
export function placeName(key: string, label?: string | null): string {
  if (key === 'nation') return 'United States';
  const i = key.indexOf(':');
  const kind = key.slice(0, i);
  const id = key.slice(i + 1);
  const stateWords = (postal: string): string => (postal === 'unknown' ? 'state not recorded' : (stateByPostal(postal)?.name ?? postal));
  switch (kind) {
    case 'state':
      return id === 'unknown' ? 'State not recorded' : (stateByPostal(id)?.name ?? id);
    case 'county': {
      if (id.startsWith('unmatched-')) return `Not matched to a county (${stateWords(id.slice(10))})`;
      const county = countyByFips(id);
      return county ? `${county.name}, ${county.statePostal}` : `County ${id}`;
    }
    case 'aor': {
      if (id === 'unknown') return 'Area of responsibility not recorded';
      const aor = aorByName(id);
      return aor ? `${aor.name} (ICE area of responsibility)` : `ICE area of responsibility ${id}`;
    }
    case 'facility':
      return label && label !== key ? label : id.startsWith('none-') ? `Facility not recorded, ${placeName(`county:${id.slice(5)}`)}` : id;
    default:
      return label ?? key;
  }
}
