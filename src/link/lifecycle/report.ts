/**
 * Read-only reports over the lifecycle tables: the lift-reason values the vocabulary does not know,
 * and the quality figures per release and state.
 */
import type { Store } from '../../store/index.ts';

/** A lift-reason value that reference/link/lift-reasons.csv does not map, with its row count. */
export interface UnmappedLiftReason {
  releaseId: string;
  value: string;
  rows: number;
}

/**
 * The lift-reason values that mapped to nothing (outcome `open_or_unknown`, `lift_reason_unmapped`),
 * most frequent first. Add each to reference/link/lift-reasons.csv with its source, then rebuild.
 */
export async function listUnmappedLiftReasons(store: Store, releaseId?: string): Promise<UnmappedLiftReason[]> {
  const rows = await store.queryRows<{ release_id: string; value: string; n: string }>(
    `SELECT release_id, lift_reason AS value, count(*) AS n FROM detainer_lifecycle
     WHERE lift_reason_unmapped AND ($1::VARCHAR IS NULL OR release_id = $1::VARCHAR)
     GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
    [releaseId ?? null],
  );
  return rows.map((r) => ({ releaseId: r.release_id, value: r.value, rows: Number(r.n) }));
}

/** One row of `lifecycle_quality`. */
export interface LifecycleQualityRow {
  release_id: string;
  state_postal: string;
  detainers: number;
  no_identifier: number;
  blank_lift_reason: number;
  blank_lift_reason_share: number | null;
  unmapped_lift_reason: number;
  near_cutoff: number;
  near_cutoff_share: number | null;
  inferred_transfers: number;
  county_placed: number;
  transferred_to_ice: number;
  declined: number;
  lifted_by_ice: number;
  released_other: number;
  open_or_unknown: number;
  /**
   * Not a column of the table (migration 003 predates the class): the detainers left when the other
   * classes are taken away, which is exact because every detainer has exactly one class.
   */
  ice_custody_unlinked: number;
}

/** The quality table of a release ('ALL' first, then states by postal code), counts as numbers. */
export async function readLifecycleQuality(store: Store, releaseId: string): Promise<LifecycleQualityRow[]> {
  const rows = await store.queryRows(
    `SELECT * FROM lifecycle_quality WHERE release_id = $1 ORDER BY state_postal <> 'ALL', state_postal`,
    [releaseId],
  );
  return rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      out[k] = k === 'release_id' || k === 'state_postal' || v === null ? v : Number(v);
    }
    const q = out as unknown as LifecycleQualityRow;
    q.ice_custody_unlinked = q.detainers - q.transferred_to_ice - q.declined - q.lifted_by_ice - q.released_other - q.open_or_unknown;
    return q;
  });
}
