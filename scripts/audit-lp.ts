/**
 * Linear-programming audit of the small-cell protection: `npm run audit:lp -- [db] [--universe
 * arrests] [--limit N]`. Builds the public cube of the newest release, then for each withheld cell
 * of 1–10 (up to N) asks HiGHS for the smallest and largest value it can take given every
 * published cell and every identity of the cube (cells ≥ 0). Interval propagation, which the
 * protection runs, narrows one identity at a time; linear programming combines them all, so this
 * measures what an attacker with a solver could still learn. Prints how many cells the LP pins or
 * bounds inside 1–10; exits 1 if any. `lpBounds` is also what test/metrics/lp-audit.test.ts runs.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { Cube } from '../src/metrics/index.ts';

type Highs = { solve(model: string, options?: object): { Status: string; ObjectiveValue: number } };

export interface LpBound {
  label: string;
  value: number;
  lo: number;
  hi: number;
  /** Pinned to one value or bounded inside 1–10. */
  exposed: boolean;
}

/** The tightest bounds LP gives each of the first `limit` withheld cells of 1–10, and how many there are. */
export async function lpBounds(cube: Cube, limit = Number.POSITIVE_INFINITY): Promise<{ targets: number; bounds: LpBound[] }> {
  const identities = cube.identityList();
  const used = new Set<number>();
  for (const { a, b } of identities) for (const c of [...a, ...b]) used.add(c);
  const rows = identities.map(({ a, b }, i) => ` e${i}: ${[...a.map((c) => `+ x${c}`), ...b.map((c) => `- x${c}`)].join(' ')} = 0`);
  const bounds = [...used].map((c) => {
    const { group, slot } = cube.cellOf(c);
    return group.pub[slot] ? ` x${c} = ${group.counts[slot]}` : ` x${c} >= 0`;
  });
  const targets = [...used].filter((c) => {
    const { group, slot } = cube.cellOf(c);
    return !group.pub[slot] && group.counts[slot]! >= 1 && group.counts[slot]! <= 10;
  });
  // highs ships an ES module whose default export is the loader; its types describe the CommonJS build.
  const loader = (await import('highs')).default as unknown as () => Promise<Highs>;
  const highs = await loader();
  const out: LpBound[] = [];
  for (const c of targets.slice(0, limit)) {
    const solve = (sense: 'Minimize' | 'Maximize') => {
      const res = highs.solve(`${sense}\n obj: x${c}\nSubject To\n${rows.join('\n')}\nBounds\n${bounds.join('\n')}\nEnd\n`);
      return res.Status === 'Optimal' ? res.ObjectiveValue : sense === 'Minimize' ? 0 : Number.POSITIVE_INFINITY;
    };
    // Counts are integers: an attacker rounds the LP bounds inwards.
    const lo = Math.ceil(solve('Minimize') - 1e-6);
    const hi = Math.floor(solve('Maximize') + 1e-6);
    const { group, slot } = cube.cellOf(c);
    out.push({ label: `${group.unit} ${group.period} ${cube.slots[slot]!.dim}=${cube.slots[slot]!.value}`, value: group.counts[slot]!, lo, hi, exposed: lo === hi || (lo >= 1 && hi <= 10) });
  }
  return { targets: targets.length, bounds: out };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { universe: { type: 'string', default: 'arrests' }, limit: { type: 'string', default: '400' } } });
  const universe = values.universe === 'detainers' ? 'detainers' : 'arrests';
  const { resolveDbPath } = await import('../src/core/config.ts');
  const { MetricsService } = await import('../src/metrics/index.ts');
  const { Store } = await import('../src/store/index.ts');
  const store = await Store.open(resolveDbPath(positionals[0]), { readOnly: true });
  try {
    const service = await MetricsService.create(store, { mode: 'public', useStored: false });
    const release = service.defaultRelease(universe);
    if (!release) throw new Error(`no release with ${universe}`);
    const { cube } = await service.cube(release.release_id, universe);
    const started = performance.now();
    const { targets, bounds } = await lpBounds(cube, Number(values.limit));
    const exposed = bounds.filter((b) => b.exposed);
    process.stdout.write(`${universe} of ${release.release_id}: ${cube.identityList().length} identities; audited ${bounds.length} of ${targets} withheld cells of 1–10 in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    process.stdout.write(`pinned or bounded inside 1–10 by linear programming: ${exposed.length}\n`);
    for (const b of exposed.slice(0, 20)) process.stdout.write(`  ${b.label} = ${b.value} in [${b.lo}, ${b.hi}]\n`);
    process.exitCode = exposed.length > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
