/**
 * Gives every detainer of a release the detainer policy in force at its facility's place on its
 * prepare date, and on its lift date when there is one (reference/policies through src/policy).
 * The place is the county the facility was matched to, else the facility's state (`recordPlace`). The periods of each
 * place are written to `policy_periods` (provenance for the figures) and joined by date range.
 */
import { isHandoffError } from '../core/errors.ts';
import { loadPolicies, policyPeriods, recordPlace } from '../policy/index.ts';
import type { Store } from '../store/index.ts';

/**
 * A place the policy table does not know (a territory such as Guam, a county FIPS outside the state)
 * gets no period: its detainers load and keep no policy (NULL, shown as "no policy data"), and the
 * place is returned in `unknownPlaces`. One unknown value never aborts a release.
 */
export async function assignPolicies(
  store: Store,
  releaseId: string,
): Promise<{ places: number; periods: number; unknownPlaces: string[] }> {
  const policies = await loadPolicies();
  const places = await store.queryRows<{ state_postal: string; county_fips: string | null }>(
    `SELECT DISTINCT state_postal, county_fips FROM detainer_lifecycle
     WHERE release_id = $1 AND state_postal IS NOT NULL ORDER BY ALL`,
    [releaseId],
  );
  await store.run('DELETE FROM policy_periods WHERE release_id = $1', [releaseId]);
  const rows: (string | boolean | null)[][] = [];
  const unknownPlaces: string[] = [];
  for (const p of places) {
    let periods: ReturnType<typeof policyPeriods>;
    try {
      periods = policyPeriods(policies, recordPlace(p.state_postal, p.county_fips));
    } catch (error) {
      if (!isHandoffError(error) || error.code !== 'bad_argument') throw error;
      unknownPlaces.push(p.county_fips ? `${p.state_postal} ${p.county_fips}` : p.state_postal);
      continue;
    }
    for (const period of periods) {
      rows.push([releaseId, p.state_postal, p.county_fips, period.from, period.to, period.regime, period.entryId, period.citation, period.dateUnknown]);
    }
  }
  await store.insertRows(
    'policy_periods',
    ['release_id', 'state_postal', 'county_fips', 'valid_from', 'valid_to', 'regime', 'entry_id', 'citation', 'date_unknown'],
    rows,
  );
  for (const [dateColumn, suffix] of [['prepare_date', 'prepare'], ['lift_date', 'lift']] as const) {
    await store.run(
      `UPDATE detainer_lifecycle AS d SET policy_regime_at_${suffix} = p.regime, policy_entry_at_${suffix} = p.entry_id
       FROM policy_periods AS p
       WHERE d.release_id = $1 AND p.release_id = $1
         AND p.state_postal = d.state_postal AND p.county_fips IS NOT DISTINCT FROM d.county_fips
         AND d.${dateColumn} >= p.valid_from AND (p.valid_to IS NULL OR d.${dateColumn} < p.valid_to)`,
      [releaseId],
    );
  }
  return { places: places.length, periods: rows.length, unknownPlaces };
}
