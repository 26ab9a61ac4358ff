/**
 * Derives the offense category of every most-serious-conviction value, inside DuckDB, as rows are
 * loaded. The crosswalk runs once per distinct (text, code) pair and is joined in, so a release with
 * millions of rows costs as much as its few thousand distinct charges.
 *
 * Arrests carry no conviction field in any published layout, so they get no category here.
 */
import { loadOffenseReference, offenseCrosswalkSql, offenseReferenceSql, coverageReport, type OffenseCoverage } from '../offense/index.ts';
import type { DerivedLookup, Store } from '../store/index.ts';

/** Tables with a most serious conviction (msc_charge, msc_charge_code). */
export const OFFENSE_TABLES_WITH_MSC = ['detainers', 'detention_stints', 'removals'] as const;

/** Loads the reviewed crosswalk into the ref_offense_* tables that offenseLookup's SQL reads. */
export async function loadOffenseCrosswalk(store: Store): Promise<void> {
  await store.run(offenseReferenceSql(loadOffenseReference()));
}

/**
 * The offense category and basis of every row of a table with a conviction field, as a lookup the
 * loader joins in while it inserts (src/store/load-records.ts): the crosswalk runs once per new
 * distinct (text, code) pair. Undefined for tables without one. Needs loadOffenseCrosswalk first.
 */
export function offenseLookup(table: string): DerivedLookup | undefined {
  if (!(OFFENSE_TABLES_WITH_MSC as readonly string[]).includes(table)) return undefined;
  return {
    keys: [
      { column: 'msc_charge', lookupColumn: 'charge_text' },
      { column: 'msc_charge_code', lookupColumn: 'charge_code' },
    ],
    values: [
      { column: 'offense_category', lookupColumn: 'category' },
      { column: 'offense_basis', lookupColumn: 'basis' },
    ],
    sql: (source) => offenseCrosswalkSql(`${source} AS src`, 'src.msc_charge', 'src.msc_charge_code'),
  };
}

/** Coverage of the crosswalk over what is loaded: share of non-blank charges mapped, unmapped values. */
export async function readOffenseCoverage(store: Store): Promise<OffenseCoverage> {
  const ref = loadOffenseReference();
  const parts = OFFENSE_TABLES_WITH_MSC.map(
    (t) => `SELECT msc_charge AS text, msc_charge_code AS code, count(*) AS count FROM ${t} GROUP BY ALL`,
  );
  const rows = await store.queryRows<{ text: string | null; code: string | null; count: string }>(
    `SELECT text, code, sum(count) AS count FROM (${parts.join(' UNION ALL ')}) GROUP BY ALL`,
  );
  return coverageReport(ref, rows);
}
