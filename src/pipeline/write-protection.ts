/**
 * Counts and protects a release's public figures at ingest and stores the cube with its protection
 * (`published_cubes`, migrations 011 and 012), so that `serve` reads it and answers from its first
 * request without reading the records. The pipeline is the only
 * writer; the cube and its rules are src/metrics. A release without detainers or arrests gets no row.
 */
import { encodeProtection, encodeSnapshot, MetricsService } from '../metrics/index.ts';
import type { Store } from '../store/index.ts';

export interface ProtectionWritten {
  universe: 'detainers' | 'arrests' | 'removals';
  cells_withheld: number;
  seconds: number;
}

export async function writeProtection(store: Store, releaseId: string, now: Date = new Date()): Promise<ProtectionWritten[]> {
  if (!(await store.hasRelation('published_cubes'))) return [];
  const service = await MetricsService.create(store, { mode: 'public', useStored: false });
  const release = service.release(releaseId);
  const out: ProtectionWritten[] = [];
  await store.run('DELETE FROM published_cubes WHERE release_id = $1', [releaseId]);
  for (const universe of ['detainers', 'arrests', 'removals'] as const) {
    if (!release || Number(release[universe]) === 0) continue;
    const started = performance.now();
    const { cube, source, excludedUndated } = await service.cube(releaseId, universe);
    // The snapshot carries the protection; it is exported once and stored in both columns.
    const snap = cube.toSnapshot();
    const p = snap.protection!;
    const snapshot = encodeSnapshot({ snapshot: snap, source, excludedUndated });
    await store.run(
      'INSERT INTO published_cubes (release_id, universe, fingerprint, built_at, stats, withheld, snapshot) VALUES ($1, $2, $3, $4::TIMESTAMP, $5, $6, $7)',
      [releaseId, universe, p.fingerprint, now.toISOString().replace('T', ' ').slice(0, 19), JSON.stringify(p.stats), encodeProtection(p), snapshot],
    );
    out.push({ universe, cells_withheld: p.cells.length, seconds: (performance.now() - started) / 1000 });
  }
  return out;
}
