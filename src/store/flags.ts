/**
 * The Deportation Data Project's duplicate and episode rules, as flag columns. No row is ever deleted:
 * metrics choose whether to count flagged rows, and say which they chose.
 *
 * - detainers: a row with the same (identifier, prepare date) as an earlier row is a likely duplicate;
 *   a new episode starts when a person's prepare dates are more than one day apart.
 * - arrests: sorted by identifier then date-time, "ERO Reprocessed Arrest" rows last; a new episode
 *   starts after a gap of more than 24 hours; every row but the first of an episode is a duplicate.
 * - encounters, removals: the same (identifier, date) as an earlier row.
 * - detention stints: exact duplicates (ignoring file, row and bond fields) after the first; then of
 *   the rows sharing (identifier, facility code, book-in, stay book-in), all but the last are superseded.
 * Rows without an identifier are never flagged (they cannot be compared) and get no episode.
 * "Earlier" is source order: file name, sheet, row.
 */
import type { Store } from './store.ts';

const SOURCE_ORDER = 'source_file, sheet, source_row';
const KEY = 'file_id, sheet, source_row';

function update(table: string, assignments: string[], select: string): string {
  return `UPDATE ${table} AS t SET ${assignments.map((a) => `${a} = f.${a}`).join(', ')}
    FROM (${select}) AS f
    WHERE t.release_id = $1 AND t.file_id = f.file_id AND t.sheet = f.sheet AND t.source_row = f.source_row`;
}

const RULES: Record<string, (columns: string[]) => string[]> = {
  detainers: () => [
    update(
      'detainers',
      ['is_duplicate', 'episode_no'],
      `SELECT ${KEY},
         CASE WHEN person_id IS NULL THEN false
              ELSE row_number() OVER (PARTITION BY person_id, detainer_prepare_date ORDER BY ${SOURCE_ORDER}) > 1 END AS is_duplicate,
         CASE WHEN person_id IS NULL THEN NULL
              ELSE sum(CASE WHEN prev IS NULL OR detainer_prepare_date - prev > 1 THEN 1 ELSE 0 END)
                   OVER (PARTITION BY person_id ORDER BY detainer_prepare_date, ${SOURCE_ORDER} ROWS UNBOUNDED PRECEDING) END AS episode_no
       FROM (SELECT *, lag(detainer_prepare_date) OVER (PARTITION BY person_id ORDER BY detainer_prepare_date, ${SOURCE_ORDER}) AS prev
             FROM detainers WHERE release_id = $1)`,
    ),
  ],
  arrests: () => [
    update(
      'arrests',
      ['is_duplicate', 'episode_no'],
      `SELECT ${KEY},
         CASE WHEN person_id IS NULL THEN false ELSE NOT is_first END AS is_duplicate,
         CASE WHEN person_id IS NULL THEN NULL
              ELSE sum(CASE WHEN is_first THEN 1 ELSE 0 END) OVER (PARTITION BY person_id ORDER BY apprehension_date, reprocessed, ${SOURCE_ORDER} ROWS UNBOUNDED PRECEDING) END AS episode_no
       FROM (
         SELECT *, (prev IS NULL OR apprehension_date - prev > INTERVAL 24 HOUR) AS is_first
         FROM (SELECT *,
                 (apprehension_method = 'ERO Reprocessed Arrest')::INTEGER AS reprocessed,
                 lag(apprehension_date) OVER (PARTITION BY person_id ORDER BY apprehension_date, (apprehension_method = 'ERO Reprocessed Arrest')::INTEGER, ${SOURCE_ORDER}) AS prev
               FROM arrests WHERE release_id = $1))`,
    ),
  ],
  encounters: () => [sameKeyRule('encounters', 'event_date')],
  removals: () => [sameKeyRule('removals', 'departed_date')],
  detention_stints: (columns) => {
    const compared = columns.filter(
      (c) => !['bond_posted_date', 'bond_posted_amount', 'initial_bond_set_amount', 'initial_bond_set_date'].includes(c),
    );
    return [
      update(
        'detention_stints',
        ['is_duplicate', 'is_superseded'],
        `SELECT ${KEY},
           CASE WHEN person_id IS NULL THEN false
                ELSE row_number() OVER (PARTITION BY ${compared.join(', ')} ORDER BY ${SOURCE_ORDER}) > 1 END AS is_duplicate,
           CASE WHEN person_id IS NULL THEN false
                ELSE row_number() OVER (PARTITION BY person_id, detention_facility_code, book_in_date_time, stay_book_in_date_time ORDER BY ${SOURCE_ORDER} DESC) > 1 END AS is_superseded
         FROM detention_stints WHERE release_id = $1`,
      ),
    ];
  },
};

function sameKeyRule(table: string, dateColumn: string): string {
  return update(
    table,
    ['is_duplicate'],
    `SELECT ${KEY},
       CASE WHEN person_id IS NULL THEN false
            ELSE row_number() OVER (PARTITION BY person_id, ${dateColumn} ORDER BY ${SOURCE_ORDER}) > 1 END AS is_duplicate
     FROM ${table} WHERE release_id = $1`,
  );
}

/**
 * Recomputes the duplicate flags of one family table for one release (all its files, so a file added
 * later is compared with the earlier ones).
 * @param columns the canonical data columns of the table (for the stints' exact-duplicate rule).
 */
export async function recomputeFlags(store: Store, table: string, releaseId: string, columns: string[]): Promise<void> {
  const rule = RULES[table];
  if (!rule) return;
  for (const sql of rule(columns)) await store.run(sql, [releaseId]);
}
