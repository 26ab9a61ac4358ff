/**
 * Gives every detainer of a release the detainer policy in force at its facility's place, for the
 * facility's custody, on its prepare date, and on its lift date when there is one (reference/policies
 * through src/policy).
 *
 * Does:
 * - decide each facility's custody scope (`facilityScope`): ICE's `Detainer_Facility_Type` column
 *   where the release has it, else the TYPE of the HIFLD record its name matched, else Bureau of
 *   Prisons name patterns, else a local jail; and record how in `policy_facility_scopes`;
 * - a local jail gets the jail rule of its county (or state when the county is unknown; `recordPlace`),
 *   which is the state rule in the unified-system states; a state prison gets the state rule for its
 *   prisons; a federal facility gets the regime `federal`;
 * - write each place's periods per scope to `policy_periods` (provenance for the figures) and join them
 *   by date range.
 * Does not: change the lifecycle's other columns.
 */
import { isHandoffError } from '../core/errors.ts';
import { facilityScope, loadPolicies, policyPeriods, recordPlace, type DecisionScope } from '../policy/index.ts';
import type { Store } from '../store/index.ts';

/** A key that stands for NULL in equality joins (IS NOT DISTINCT FROM made DuckDB use nested loops). */
const NULL_KEY = '\u0001';

/**
 * A place the policy table does not know (a territory such as Guam, a county FIPS outside the state)
 * gets no period: its detainers load and keep no policy (NULL, shown as "no policy data"), and the
 * place is returned in `unknownPlaces`. One unknown value never aborts a release.
 */
export async function assignPolicies(
  store: Store,
  releaseId: string,
): Promise<{ places: number; periods: number; unknownPlaces: string[]; scopes: Record<DecisionScope, number> }> {
  const policies = await loadPolicies();
  const facilities = await store.queryRows<{ facility_name: string | null; facility_type: string | null; hifld_type: string | null; n: bigint }>(
    `SELECT d.facility_name, x.detainer_facility_type AS facility_type, d.facility_hifld_type AS hifld_type, count(*) AS n
     FROM detainer_lifecycle AS d
     LEFT JOIN detainers AS x ON x.release_id = d.release_id AND x.file_id = d.file_id AND x.sheet = d.sheet AND x.source_row = d.source_row
     WHERE d.release_id = $1 GROUP BY ALL ORDER BY ALL`,
    [releaseId],
  );
  await store.run('DELETE FROM policy_facility_scopes WHERE release_id = $1', [releaseId]);
  const scopes: Record<DecisionScope, number> = { county_jails: 0, state_prisons: 0, federal: 0 };
  const scopeRows = facilities.map((f) => {
    const { scope, basis } = facilityScope(f.facility_type, f.facility_name, f.hifld_type);
    scopes[scope] += Number(f.n);
    return [releaseId, f.facility_name, f.facility_type, f.hifld_type, scope, basis, Number(f.n)];
  });
  await store.insertRows(
    'policy_facility_scopes',
    ['release_id', 'facility_name', 'facility_type', 'hifld_type', 'facility_scope', 'scope_basis', 'detainers'],
    scopeRows,
  );
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ap_scope AS
     SELECT d.file_id, d.sheet, d.source_row, d.state_postal, d.county_fips, coalesce(m.facility_scope, 'county_jails') AS facility_scope
     FROM detainer_lifecycle AS d
     LEFT JOIN detainers AS x ON x.release_id = d.release_id AND x.file_id = d.file_id AND x.sheet = d.sheet AND x.source_row = d.source_row
     LEFT JOIN policy_facility_scopes AS m ON m.release_id = d.release_id
       AND coalesce(m.facility_name, '${NULL_KEY}') = coalesce(d.facility_name, '${NULL_KEY}')
       AND coalesce(m.facility_type, '${NULL_KEY}') = coalesce(x.detainer_facility_type, '${NULL_KEY}')
       AND coalesce(m.hifld_type, '${NULL_KEY}') = coalesce(d.facility_hifld_type, '${NULL_KEY}')
     WHERE d.release_id = $1`,
    [releaseId],
  );
  const places = await store.queryRows<{ state_postal: string; county_fips: string | null; facility_scope: DecisionScope }>(
    `SELECT DISTINCT state_postal, county_fips, facility_scope FROM ap_scope WHERE state_postal IS NOT NULL ORDER BY ALL`,
  );
  await store.run('DELETE FROM policy_periods WHERE release_id = $1', [releaseId]);
  const rows: (string | boolean | null)[][] = [];
  const unknownPlaces = new Set<string>();
  for (const p of places) {
    let periods: ReturnType<typeof policyPeriods>;
    try {
      periods = policyPeriods(policies, recordPlace(p.state_postal, p.county_fips), { scope: p.facility_scope });
    } catch (error) {
      if (!isHandoffError(error) || error.code !== 'bad_argument') throw error;
      unknownPlaces.add(p.county_fips ? `${p.state_postal} ${p.county_fips}` : p.state_postal);
      continue;
    }
    for (const period of periods) {
      rows.push([releaseId, p.state_postal, p.county_fips, p.facility_scope, period.from, period.to, period.regime, period.entryId, period.citation, period.dateUnknown]);
    }
  }
  await store.insertRows(
    'policy_periods',
    ['release_id', 'state_postal', 'county_fips', 'facility_scope', 'valid_from', 'valid_to', 'regime', 'entry_id', 'citation', 'date_unknown'],
    rows,
  );
  for (const [dateColumn, suffix] of [['prepare_date', 'prepare'], ['lift_date', 'lift']] as const) {
    await store.run(
      `UPDATE detainer_lifecycle AS d SET policy_regime_at_${suffix} = p.regime, policy_entry_at_${suffix} = p.entry_id
       FROM ap_scope AS s, policy_periods AS p
       WHERE d.release_id = $1 AND p.release_id = $1
         AND s.file_id = d.file_id AND s.sheet = d.sheet AND s.source_row = d.source_row
         AND p.state_postal = d.state_postal AND p.county_fips IS NOT DISTINCT FROM d.county_fips
         AND p.facility_scope = s.facility_scope
         AND d.${dateColumn} >= p.valid_from AND (p.valid_to IS NULL OR d.${dateColumn} < p.valid_to)`,
      [releaseId],
    );
  }
  await store.run('DROP TABLE IF EXISTS ap_scope');
  return { places: places.length, periods: rows.length, unknownPlaces: [...unknownPlaces], scopes };
}
