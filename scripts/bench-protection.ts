/**
 * What the small-cell protection keeps and what it costs: `npm run bench:protection -- [db]`.
 * Builds the public cubes of the newest releases (as `serve` does; `--fresh` recomputes the
 * protection instead of reading the one stored at ingest) and prints, per grain, how many
 * cells with at least 11 records are published exactly, then the time, rounds, withheld cells and
 * peak memory of the protection. Grains: state × release, state × fiscal year, county × fiscal year,
 * facility × fiscal year, state × month, state × fiscal year × outcome.
 */
import { resolveDbPath } from '../src/core/config.ts';
import { MetricsService, type Cube } from '../src/metrics/index.ts';
import { Store } from '../src/store/index.ts';

const args = process.argv.slice(2);
const fresh = args.includes('--fresh');
const dbPath = resolveDbPath(args.find((a) => !a.startsWith('--')));
const store = await Store.open(dbPath, { readOnly: true });
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

function kept(cube: Cube, level: string, grain: string, dim: string | null): string {
  let big = 0;
  let exact = 0;
  const slots = dim === null ? [0] : cube.values(dim).map((v) => cube.slot(dim, v)!);
  for (const g of cube.groupList) {
    if (g.grain !== grain || cube.units.get(g.unit)?.level !== level) continue;
    for (const s of slots) {
      if (g.counts[s]! < 11) continue;
      big++;
      if (g.pub[s]) exact++;
    }
  }
  return big === 0 ? 'no cells ≥ 11' : `${exact} of ${big} (${((100 * exact) / big).toFixed(1)} %)`;
}

try {
  // --fresh computes the protection instead of reading what the pipeline stored.
  const service = await MetricsService.create(store, { mode: 'public', useStored: !fresh });
  for (const universe of ['detainers', 'arrests'] as const) {
    const release = service.defaultRelease(universe);
    if (!release) continue;
    const started = performance.now();
    const { cube } = await service.cube(release.release_id, universe);
    const ms = performance.now() - started;
    const place = universe === 'detainers' ? 'facility' : 'county';
    process.stdout.write(`\n${universe}, release ${release.release_id}: ${cube.records.toLocaleString('en-US')} records, ${cube.groupList.length.toLocaleString('en-US')} place × period groups, ${cube.slots.length} slots\n`);
    process.stdout.write(`  built in ${(ms / 1000).toFixed(1)} s${cube.fromStore ? ' with the stored protection' : ''} (protection ${(cube.stats.ms / 1000).toFixed(1)} s${cube.fromStore ? ' at ingest' : ''}, ${cube.stats.rounds} rounds); withheld: ${cube.stats.primary.toLocaleString('en-US')} cells of 1–10, ${cube.stats.secondary.toLocaleString('en-US')} complements over 10; exposed after propagation: ${cube.stats.exposed}\n`);
    process.stdout.write('  cells with ≥ 11 records published exactly:\n');
    const rows: [string, string, string, string | null][] = [
      ['state × release', 'state', 'total', null],
      ['state × fiscal year', 'state', 'fiscal_year', null],
      ['county × fiscal year', 'county', 'fiscal_year', null],
      [`${place} × fiscal year`, place, 'fiscal_year', null],
      ['state × month', 'state', 'month', null],
      [`state × fiscal year × ${universe === 'detainers' ? 'outcome' : 'method'}`, 'state', 'fiscal_year', universe === 'detainers' ? 'outcome' : 'method'],
    ];
    const seen = new Set<string>();
    for (const [label, level, grain, dim] of rows) {
      if (seen.has(label)) continue;
      seen.add(label);
      process.stdout.write(`    ${label.padEnd(34)} ${kept(cube, level, grain, dim)}\n`);
    }
  }
  process.stdout.write(`\npeak resident memory: ${(peak / 2 ** 20).toFixed(0)} MiB\n`);
} finally {
  clearInterval(sampler);
  store.close();
}
