/**
 * The `place` parameter: `nation`, `state:MA`, `county:25025`, `aor:BOS`, `facility:CODE`. Records
 * the release could not place are in `state:unknown`, `county:unmatched-MA`, `aor:unknown` and
 * `facility:none-…` units, which can be asked for like any other.
 */
import { HandoffError } from '../core/errors.ts';
import { aorByName, stateByPostal } from '../geo/index.ts';
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
