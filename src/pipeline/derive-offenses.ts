/**
 * Derives the offense category of every most-serious-conviction value of a release, inside DuckDB.
 * The crosswalk runs once per distinct (text, code) pair and is joined back, so a release with millions
 * of rows costs as much as its few thousand distinct charges.
 *
 * Arrests carry no conviction field in any published layout, so they get no category here.
 */
import { loadOffenseReference, offenseCrosswalkSql, offenseReferenceSql, coverageReport, type OffenseCoverage } from '../offense/index.ts';
import type { Store } from '../store/index.ts';

/** Tables with a most serious conviction (msc_charge, msc_charge_code). */
export const OFFENSE_TABLES_WITH_MSC = ['detainers', 'detention_stints', 'removals'] as const;

/**
 * Loads the reviewed crosswalk into ref_offense_* tables and sets offense_category on the rows of one
 * file (all tables with a conviction field that the file filled).
 */
export async function deriveOffenseCategories(store: Store, fileId: string, tables: readonly string[]): Promise<void> {
  const targets = OFFENSE_TABLES_WITH_MSC.filter((t) => tables.includes(t));
  if (targets.length === 0) return;
  await store.run(offenseReferenceSql(loadOffenseReference()));
  for (const table of targets) {
    const pairs = offenseCrosswalkSql(
      `(SELECT msc_charge, msc_charge_code FROM ${table} WHERE file_id = $1) src`,
      'src.msc_charge',
      'src.msc_charge_code',
    );
    await store.run(
      `UPDATE ${table} AS t SET offense_category = x.category, offense_basis = x.basis
       FROM (${pairs}) AS x
       WHERE t.file_id = $1
         AND t.msc_charge IS NOT DISTINCT FROM x.charge_text
         AND t.msc_charge_code IS NOT DISTINCT FROM x.charge_code`,
      [fileId],
    );
  }
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
