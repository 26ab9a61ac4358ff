/**
 * Linear-programming audit of the small-cell protection: `npm run audit:lp -- [db] [--universe
 * arrests] [--limit N]`. Builds the public cube of the newest release, then for each withheld cell
 * of 1–10 (up to N) asks HiGHS for the smallest and largest value it can take given every
 * published cell and every identity of the cube (cells ≥ 0). Interval propagation, which the
 * protection runs, narrows one identity at a time; linear programming combines them all, so this
 * measures what an attacker with a solver could still learn. Prints how many cells the LP pins or
 * bounds inside 1–10; exits 1 if any.
 */
import { parseArgs } from 'node:util';
import { resolveDbPath } from '../src/core/config.ts';
import { MetricsService } from '../src/metrics/index.ts';
import { Store } from '../src/store/index.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { universe: { type: 'string', default: 'arrests' }, limit: { type: 'string', default: '400' } } });
const universe = values.universe === 'detainers' ? 'detainers' : 'arrests';
const store = await Store.open(resolveDbPath(positionals[0]), { readOnly: true });
try {
  const service = await MetricsService.create(store, { mode: 'public', useStored: false });
  const release = service.defaultRelease(universe);
  if (!release) throw new Error(`no release with ${universe}`);
  const { cube } = await service.cube(release.release_id, universe);
  const identities = cube.identityList();
  const known = (id: number) => {
    const { group, slot } = cube.cellOf(id);
    return group.pub[slot] === 1;
  };
  const used = new Set<number>();
  for (const { a, b } of identities) for (const c of [...a, ...b]) used.add(c);
  const lines: string[] = [];
  identities.forEach(({ a, b }, i) => {
    const terms = [...a.map((c) => `+ x${c}`), ...b.map((c) => `- x${c}`)];
    if (terms.length > 1) lines.push(` e${i}: ${terms.join(' ')} = 0`);
  });
  const bounds: string[] = [];
  for (const c of used) {
    const { group, slot } = cube.cellOf(c);
    bounds.push(known(c) ? ` x${c} = ${group.counts[slot]}` : ` x${c} >= 0`);
  }
  const targets = [...used].filter((c) => {
    const { group, slot } = cube.cellOf(c);
    const v = group.counts[slot]!;
    return !known(c) && v >= 1 && v <= 10;
  });
  const limit = Math.min(targets.length, Number(values.limit));
  // highs ships an ES module whose default export is the loader; its types describe the CommonJS build.
  const loader = (await import('highs')).default as unknown as () => Promise<{ solve(model: string, options?: object): { Status: string; ObjectiveValue: number } }>;
  const highs = await loader();
  const exposed: string[] = [];
  const started = performance.now();
  for (const c of targets.slice(0, limit)) {
    const solve = (sense: 'Minimize' | 'Maximize') => {
      const model = `${sense}\n obj: x${c}\nSubject To\n${lines.join('\n')}\nBounds\n${bounds.join('\n')}\nEnd\n`;
      const r = highs.solve(model, { presolve: 'on' });
      return r.Status === 'Optimal' ? r.ObjectiveValue : sense === 'Minimize' ? 0 : Number.POSITIVE_INFINITY;
    };
    // Counts are integers: an attacker rounds the LP bounds inwards.
    const lo = Math.ceil(solve('Minimize') - 1e-6);
    const hi = Math.floor(solve('Maximize') + 1e-6);
    const { group, slot } = cube.cellOf(c);
    if (lo === hi || (lo >= 1 && hi <= 10)) exposed.push(`${group.unit} ${group.period} ${cube.slots[slot]!.dim}=${cube.slots[slot]!.value} = ${group.counts[slot]} in [${lo}, ${hi}]`);
  }
  process.stdout.write(`${universe} of ${release.release_id}: ${identities.length} identities, ${used.size} cells; audited ${limit} of ${targets.length} withheld cells of 1–10 in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`pinned or bounded inside 1–10 by linear programming: ${exposed.length}\n`);
  for (const line of exposed.slice(0, 20)) process.stdout.write(`  ${line}\n`);
  process.exitCode = exposed.length > 0 ? 1 : 0;
} finally {
  store.close();
}
