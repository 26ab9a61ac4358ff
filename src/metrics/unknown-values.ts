/**
 * Coded values that no vocabulary of Handoff knows (lift reasons, apprehension methods, states and
 * territories), read from the loaded rows. Nothing is dropped for them: the rows are loaded and the
 * value reads as unknown in the figures. `handoff status` lists them all (private: it is the
 * user's own database); the public data-quality ledger lists those of 11 rows or more.
 */
import { resolveState } from '../geo/resolve-state.ts';
import { loadApprehensionMethods, loadLiftReasons, vocabularyKey } from '../link/index.ts';
import type { Store } from '../store/index.ts';

export interface UnknownValue {
  release_id: string;
  table: string;
  column_name: string;
  value: string;
  rows: number;
  /** The reference file to add it to. */
  vocabulary: string;
  [key: string]: string | number;
}

/** A coded column, the vocabulary that reads it and the keys that vocabulary knows. */
interface CodedColumn {
  table: string;
  column: string;
  vocabulary: string;
  known: (value: string) => boolean;
}

/**
 * Values of coded columns that the reference vocabularies do not know (lift reasons, apprehension
 * methods, states and territories), with their rows and the file to add them to. Nothing is
 * dropped for them: the rows are loaded and the value reads as unknown in the figures.
 */
export async function readUnknownValues(store: Store): Promise<UnknownValue[]> {
  const lift = new Set(loadLiftReasons().map((r) => vocabularyKey(r.value)));
  const methods = new Set(loadApprehensionMethods().map((r) => vocabularyKey(r.method)));
  const state = (v: string) => resolveState(v) !== undefined;
  const coded: CodedColumn[] = [
    { table: 'detainers', column: 'detainer_lift_reason', vocabulary: 'reference/link/lift-reasons.csv', known: (v) => lift.has(vocabularyKey(v)) },
    { table: 'arrests', column: 'apprehension_method', vocabulary: 'reference/link/apprehension-methods.csv', known: (v) => methods.has(vocabularyKey(v)) },
    { table: 'detainers', column: 'facility_state', vocabulary: 'reference/geo/states.csv', known: state },
    { table: 'arrests', column: 'apprehension_state', vocabulary: 'reference/geo/states.csv', known: state },
  ];
  const out: UnknownValue[] = [];
  for (const c of coded) {
    const has = await store.queryRow<{ n: string }>(
      'SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = $1 AND column_name = $2',
      [c.table, c.column],
    );
    if (has?.n === '0') continue;
    const values = await store.queryRows<{ release_id: string; value: string; n: string }>(
      `SELECT release_id, trim(${c.column}) AS value, count(*) AS n FROM ${c.table}
       WHERE nullif(trim(${c.column}), '') IS NOT NULL GROUP BY ALL ORDER BY n DESC, value`,
    );
    for (const v of values) {
      if (c.known(v.value)) continue;
      out.push({ release_id: v.release_id, table: c.table, column_name: c.column, value: v.value, rows: Number(v.n), vocabulary: c.vocabulary });
    }
  }
  return out;
}
