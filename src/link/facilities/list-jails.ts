/**
 * Real county and local jails from the shipped HIFLD table, for the synthetic-data generator to
 * place made-up detainers at facilities that exist.
 */
import { HandoffError } from '../../core/errors.ts';
import { resolveState } from '../../geo/index.ts';
import type { FacilityIndex } from './facility-index.ts';

/** A jail as the generator needs it. */
export interface JailListing {
  name: string;
  city: string;
  /** Postal code. */
  state: string;
  countyFips: string;
  /** HIFLD TYPE: COUNTY or LOCAL. */
  type: string;
  source: string;
  sourceId: string;
}

/**
 * Up to `limit` open county/local jails (HIFLD Prison Boundaries TYPE COUNTY or LOCAL) in a state,
 * county jails first, then by name: the order is stable so generated data is reproducible.
 * `state` may be a postal code, FIPS code or name. Throws HandoffError('bad_argument') for an
 * unknown state.
 */
export function listJails(index: FacilityIndex, options: { state: string; limit?: number }): JailListing[] {
  const state = resolveState(options.state);
  if (!state) throw new HandoffError('bad_argument', `unknown state "${options.state}"`);
  const limit = options.limit ?? 10;
  return (index.facilitiesByState.get(state.postal) ?? [])
    .filter(
      (f) =>
        f.source === 'hifld_prison_boundaries' &&
        (f.type === 'COUNTY' || f.type === 'LOCAL') &&
        f.status !== 'CLOSED' &&
        f.city !== '',
    )
    .sort((a, b) => (a.type === b.type ? 0 : a.type === 'COUNTY' ? -1 : 1) || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((f) => ({
      name: f.name,
      city: f.city,
      state: f.state,
      countyFips: f.countyFips,
      type: f.type,
      source: f.source,
      sourceId: f.sourceId,
    }));
}
