/**
 * Hand-built timelines for the lifecycle tests: rows inserted straight into the family tables of a
 * migrated in-memory store, with provenance, then flagged by the store's own duplicate rules.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { recomputeFlags, type Store } from '../../src/store/index.ts';

export type FamilyTable = 'detainers' | 'arrests' | 'encounters' | 'detention_stints' | 'removals';

const PROVENANCE = new Set(['release_id', 'file_id', 'source_file', 'sheet', 'source_row', 'extra', 'is_duplicate', 'episode_no', 'is_superseded']);
const rowCounters = new WeakMap<Store, Map<string, number>>();

/** Adds a release row (idempotent). */
export async function addRelease(store: Store, releaseId: string, label = releaseId): Promise<void> {
  await store.run(
    `INSERT INTO releases (release_id, label, synthetic, created_at) VALUES ($1, $2, true, TIMESTAMP '2025-08-01') ON CONFLICT DO NOTHING`,
    [releaseId, label],
  );
}

/**
 * Inserts rows into a family table of a release. Each row gets file `<release>-<table>.xlsx`, sheet
 * "Sheet1" and the next source row (from 8, as after ICE's preamble) unless given.
 */
export async function insertRows(
  store: Store,
  releaseId: string,
  table: FamilyTable,
  rows: Record<string, DuckDBValue>[],
): Promise<void> {
  await addRelease(store, releaseId);
  const counters = rowCounters.get(store) ?? new Map<string, number>();
  rowCounters.set(store, counters);
  for (const row of rows) {
    const key = `${releaseId}|${table}`;
    const next = (counters.get(key) ?? 7) + 1;
    counters.set(key, next);
    const values: Record<string, DuckDBValue> = {
      release_id: releaseId,
      file_id: `${releaseId}-${table}`,
      source_file: `${releaseId}-${table}.xlsx`,
      sheet: 'Sheet1',
      source_row: next,
      ...row,
    };
    const columns = Object.keys(values);
    await store.run(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
      columns.map((c) => values[c]!),
    );
  }
}

/** Runs the store's duplicate rules over every family table of a release, as ingest does. */
export async function flagRelease(store: Store, releaseId: string): Promise<void> {
  for (const table of ['detainers', 'arrests', 'encounters', 'detention_stints', 'removals']) {
    const columns = (
      await store.queryRows<{ c: string }>(
        `SELECT column_name AS c FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [table],
      )
    )
      .map((r) => r.c)
      .filter((c) => !PROVENANCE.has(c));
    await recomputeFlags(store, table, releaseId, columns);
  }
}

/** A detainer row at a real county jail (Suffolk County, MA) with the given fields on top. */
export function detainer(fields: Record<string, DuckDBValue>): Record<string, DuckDBValue> {
  return {
    detention_facility: 'SUFFOLK COUNTY HOUSE OF CORRECTION',
    detention_facility_code: null,
    facility_city: 'BOSTON',
    facility_state: 'MASSACHUSETTS',
    facility_aor: 'Boston Area of Responsibility',
    detainer_prepared_criminality: '1 Convicted Criminal',
    detainer_type: 'I-247A - Immigration Detainer - Notice of Action',
    ...fields,
  };
}
