/**
 * Protects a release's public figures at ingest and stores the result (`published_cubes`, migration
 * 011), so that `serve` reads it and answers from its first request. The pipeline is the only
 * writer; the cube and its rules are src/metrics. A release without detainers or arrests gets no row.
 */
import { encodeProtection, MetricsService } from '../metrics/index.ts';
import type { Store } from '../store/index.ts';

export interface ProtectionWritten {
  universe: 'detainers' | 'arrests';
  cells_withheld: number;
  seconds: number;
}

export async function writeProtection(store: Store, releaseId: string, now: Date = new Date()): Promise<ProtectionWritten[]> {
  if (!(await store.hasRelation('published_cubes'))) return [];
  const service = await MetricsService.create(store, { mode: 'public', useStored: false });
  const release = service.release(releaseId);
  const out: ProtectionWritten[] = [];
  await store.run('DELETE FROM published_cubes WHERE release_id = $1', [releaseId]);
  for (const universe of ['detainers', 'arrests'] as const) {
    if (!release || Number(release[universe]) === 0) continue;
    const started = performance.now();
    const { cube } = await service.cube(releaseId, universe);
    const p = cube.exportProtection();
    await store.run(
      'INSERT INTO published_cubes (release_id, universe, fingerprint, built_at, stats, withheld) VALUES ($1, $2, $3, $4::TIMESTAMP, $5, $6)',
      [releaseId, universe, p.fingerprint, now.toISOString().replace('T', ' ').slice(0, 19), JSON.stringify(p.stats), encodeProtection(p)],
    );
    out.push({ universe, cells_withheld: p.cells.length, seconds: (performance.now() - started) / 1000 });
  }
  return out;
}
