/**
 * A cube's protection as the pipeline stores it in `published_cubes` (migration 011): the withheld
 * cells' ids, delta-encoded, with their bounds, deflated and base64-encoded into one text value.
 * Reading it lets the server answer from its first request instead of protecting the cube at start.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type { Store } from '../store/index.ts';
import type { StoredProtection, SuppressionStats } from './cube.ts';
import type { Universe } from './dimensions.ts';

/** Upper bounds are integers or infinite; infinite is written as -1. */
export function encodeProtection(p: StoredProtection): string {
  const n = p.cells.length;
  const ints = new Int32Array(1 + 3 * n);
  ints[0] = n;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    ints[1 + i] = p.cells[i]! - prev;
    prev = p.cells[i]!;
    ints[1 + n + i] = p.low[i]!;
    ints[1 + 2 * n + i] = Number.isFinite(p.high[i]!) ? p.high[i]! : -1;
  }
  return deflateSync(new Uint8Array(ints.buffer)).toString('base64');
}

export function decodeProtection(text: string, fingerprint: string, stats: SuppressionStats): StoredProtection {
  const bytes = inflateSync(Buffer.from(text, 'base64'));
  const ints = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const n = ints[0]!;
  const cells = new Int32Array(n);
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    prev += ints[1 + i]!;
    cells[i] = prev;
    low[i] = ints[1 + n + i]!;
    const h = ints[1 + 2 * n + i]!;
    high[i] = h < 0 ? Number.POSITIVE_INFINITY : h;
  }
  return { fingerprint, stats, cells, low, high };
}

/** The stored protection of a release's cube, or undefined (none, or a database from before migration 011). */
export async function readStoredProtection(store: Store, releaseId: string, universe: Universe): Promise<StoredProtection | undefined> {
  if (!(await store.hasRelation('published_cubes'))) return undefined;
  const row = await store.queryRow<{ fingerprint: string; stats: string; withheld: string }>(
    'SELECT fingerprint, stats, withheld FROM published_cubes WHERE release_id = $1 AND universe = $2 ORDER BY built_at DESC LIMIT 1',
    [releaseId, universe],
  );
  if (!row) return undefined;
  return decodeProtection(row.withheld, row.fingerprint, JSON.parse(row.stats) as SuppressionStats);
}
