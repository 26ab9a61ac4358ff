/**
 * An outsider's attack on the public figures: `npm run attack -- [db] [--grains month,quarter,…]`.
 * Serves the database in public mode on a loopback port, pulls every count figure an outsider can
 * ask for (each metric that counts single cells, each `by`, each place it can name — states and
 * territories, AORs, and the places the API lists — at each grain), then solves them jointly by
 * interval propagation over every identity it can infer from the figures themselves: a total is the
 * sum of a breakdown's values; a quarter the sum of its months, a year the sum of its quarters, the
 * release the sum of its years; a place holds at least the sum of the places inside it. It prints
 * how many withheld figures it pinned to one value or narrowed inside 1–10. Then it asks the same
 * figures of every other release the API lists (`release=`) and differences each figure published by
 * two releases: a difference of 1–10 would count the few records ICE revised between them. It exits
 * 1 if anything was pinned, narrowed or differenced. The attack uses only public responses, never
 * the database.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { STATES } from '../src/geo/states.ts';

type Get = (url: string) => Promise<{ status: number; body: Record<string, unknown> }>;

interface Cell {
  lo: number;
  hi: number;
  withheld: boolean;
}

export interface AttackResult {
  requests: number;
  figures: number;
  withheld: number;
  identities: number;
  pinned: string[];
  narrowed: string[];
  /** Figures published by two releases whose difference is 1–10. */
  differenced: string[];
}

/** Metrics whose rows are single cells (place, period, breakdown value), by universe. */
const CELL_METRICS: { metric: string; universe: string; by: string[] }[] = [
  { metric: 'detainers_issued', universe: 'detainers', by: ['total', 'criminality', 'offense_category', 'violent_ucr', 'violent_broad', 'detainer_type', 'regime', 'outcome'] },
  { metric: 'ice_arrests_by_method', universe: 'arrests', by: ['total', 'method', 'criminality'] },
  { metric: 'removals', universe: 'removals', by: ['total', 'criminality'] },
];

const ALL_GRAINS = ['month', 'quarter', 'fiscal_year', 'calendar_year', 'total'];

/** The period a period key nests in, per grain of parent. */
function parentsOf(period: string): string[] {
  let m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return [`${m[1]}-Q${Math.floor((Number(m[2]) - 1) / 3) + 1}`];
  m = /^(\d{4})-Q(\d)$/.exec(period);
  if (m) {
    const y = Number(m[1]);
    return [`FY${m[2] === '4' ? y + 1 : y}`, String(y)];
  }
  if (/^FY\d{4}$/.test(period) || /^\d{4}$/.test(period)) return ['total'];
  return [];
}

export async function runAttack(get: Get, options: { places?: string[]; grains?: string[] } = {}): Promise<AttackResult> {
  let requests = 0;
  const fetchJson = async (url: string) => {
    requests++;
    // A server still building its cubes answers 503 "retry shortly": wait, as a patient outsider would.
    for (let tries = 0; ; tries++) {
      const res = await get(url);
      if (res.status !== 503 || tries >= 120) return res;
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  const listed = ((await fetchJson('/api/places.json')).body.rows as { place: string; level: string; state: string | null; county_fips: string | null; aor: string | null }[]) ?? [];
  const info = new Map(listed.map((p) => [p.place, p]));
  const places = new Set<string>(options.places ?? []);
  if (!options.places) {
    for (const p of listed) places.add(p.place);
    // Every state and territory can be named, listed or not.
    for (const s of STATES) places.add(`state:${s.postal}`);
  }
  const grains = options.grains ?? ALL_GRAINS;
  const cells = new Map<string, Cell>();
  // Values of each (universe, place, period, dim), to write total = Σ values.
  const values = new Map<string, Set<string>>();
  /** Every cell figure an outsider can ask of a release (the default one when none is named). */
  const eachFigure = async (release: string | null, onRow: (universe: string, place: string, b: string, row: Record<string, unknown>) => void) => {
    for (const { metric, universe, by } of CELL_METRICS) {
      for (const place of places) {
        for (const b of by) {
          for (const grain of grains) {
            const { status, body } = await fetchJson(`/api/metrics/${metric}.json?place=${encodeURIComponent(place)}&grain=${grain}&by=${b}${release ? `&release=${release}` : ''}`);
            if (status !== 200) continue;
            for (const row of (body.rows as Record<string, unknown>[]) ?? []) onRow(universe, place, b, row);
          }
        }
      }
    }
  };
  await eachFigure(null, (universe, place, b, row) => {
    if (row.status === 'not_available' || row.status === 'at_least') return;
    const dim = b === 'total' ? 'total' : b;
    const value = b === 'total' ? 'total' : String(row.value);
    const key = `${universe}|${place}|${String(row.period)}|${dim}|${value}`;
    const withheld = row.count === null;
    const lo = withheld ? Math.max(0, Number(row.count_low ?? 0)) : Number(row.count);
    const hi = withheld ? (row.count_high === null || row.count_high === undefined ? Number.POSITIVE_INFINITY : Number(row.count_high)) : Number(row.count);
    cells.set(key, { lo, hi, withheld });
    if (dim !== 'total') {
      const vk = `${universe}|${place}|${String(row.period)}|${dim}`;
      let set = values.get(vk);
      if (!set) values.set(vk, (set = new Set()));
      set.add(value);
    }
  });
  // Identities: [head, parts, exact]. exact: head = Σ parts; otherwise head ≥ Σ parts.
  const eqs: [string, string[], boolean][] = [];
  for (const [vk, vals] of values) {
    const head = `${vk.slice(0, vk.lastIndexOf('|'))}|total|total`;
    if (cells.has(head)) eqs.push([head, [...vals].map((v) => `${vk}|${v}`), true]);
  }
  const byParent = new Map<string, string[]>();
  for (const key of cells.keys()) {
    const [universe, place, period, dim, value] = key.split('|') as [string, string, string, string, string];
    for (const parent of parentsOf(period)) {
      // One identity per parent and child grain (a release is the sum of its fiscal years and, apart, of its calendar years).
      const childGrain = /^\d{4}-\d{2}$/.test(period) ? 'month' : /^\d{4}-Q/.test(period) ? 'quarter' : period.startsWith('FY') ? 'fy' : 'cy';
      const pk = `${universe}|${place}|${parent}|${dim}|${value}|${childGrain}-${parent.startsWith('FY') ? 'fy' : 'other'}`;
      let list = byParent.get(pk);
      if (!list) byParent.set(pk, (list = []));
      list.push(key);
    }
    const p = info.get(place);
    const outer: string[] = [];
    if (place !== 'nation') outer.push('nation');
    if (p?.level === 'county' || p?.level === 'facility') if (p.state) outer.push(`state:${p.state}`);
    // (A facility's detainers can come from several AORs, so an AOR is not a sum of facilities.)
    if (p?.level === 'facility' && p.county_fips) outer.push(`county:${p.county_fips}`);
    for (const o of outer) {
      const level = o === 'nation' ? (p?.level ?? (place.startsWith('aor:') ? 'aor' : 'state')) : (p?.level ?? 'x');
      const pk = `${universe}|${o}|${period}|${dim}|${value}|place-${level}`;
      let list = byParent.get(pk);
      if (!list) byParent.set(pk, (list = []));
      list.push(key);
    }
  }
  for (const [pk, parts] of byParent) {
    const head = pk.slice(0, pk.lastIndexOf('|'));
    if (!cells.has(head)) continue;
    // Sub-periods of a period the release covers add up to it; places inside a place at most.
    eqs.push([head, parts, !pk.includes('|place-')]);
  }
  // Interval propagation to a fixed point.
  for (let sweep = 0, moved = true; moved && sweep < 200; sweep++) {
    moved = false;
    for (const [head, parts, exact] of eqs) {
      const h = cells.get(head)!;
      const ps = parts.map((k) => cells.get(k)!);
      const sumLo = ps.reduce((a, c) => a + c.lo, 0);
      const sumHi = ps.reduce((a, c) => a + c.hi, 0);
      if (sumLo > h.lo) {
        h.lo = sumLo;
        moved = true;
      }
      if (exact && sumHi < h.hi) {
        h.hi = sumHi;
        moved = true;
      }
      for (const c of ps) {
        const hi = h.hi - (sumLo - c.lo);
        if (hi < c.hi) {
          c.hi = hi;
          moved = true;
        }
        if (exact && Number.isFinite(sumHi - c.hi)) {
          const lo = h.lo - (sumHi - c.hi);
          if (lo > c.lo) {
            c.lo = lo;
            moved = true;
          }
        }
      }
    }
  }
  // Releases differenced against each other: the same figure asked of every release listed.
  const differenced: string[] = [];
  const releaseRows = ((await fetchJson('/api/releases.json')).body.rows as { release_id: string; synthetic: boolean }[] | undefined) ?? [];
  const syntheticOf = new Map(releaseRows.map((r) => [r.release_id, r.synthetic]));
  const exact = new Map<string, Map<string, number>>();
  for (const { release_id: release } of releaseRows) {
    await eachFigure(release, (universe, place, b, row) => {
      if (typeof row.count !== 'number') return;
      const key = `${universe}|${place}|${String(row.period)}|${b}|${b === 'total' ? 'total' : String(row.value)}`;
      let byRelease = exact.get(key);
      if (!byRelease) exact.set(key, (byRelease = new Map()));
      byRelease.set(release, row.count);
    });
  }
  for (const [key, byRelease] of exact) {
    const list = [...byRelease];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        // A synthetic release against a real one: the difference says nothing about any record.
        if (syntheticOf.get(list[i]![0]) !== syntheticOf.get(list[j]![0])) continue;
        const d = Math.abs(list[i]![1] - list[j]![1]);
        if (d >= 1 && d <= 10) differenced.push(`${key}: ${list[i]![0]} ${list[i]![1]} vs ${list[j]![0]} ${list[j]![1]}`);
      }
    }
  }
  const pinned: string[] = [];
  const narrowed: string[] = [];
  let withheld = 0;
  for (const [key, c] of cells) {
    if (!c.withheld) continue;
    withheld++;
    if (c.lo === c.hi && c.lo > 0 && c.lo <= 10) pinned.push(`${key} = ${c.lo}`);
    else if (c.lo >= 1 && c.hi <= 10) narrowed.push(`${key} in [${c.lo}, ${c.hi}]`);
  }
  return { requests, figures: cells.size, withheld, identities: eqs.length, pinned, narrowed, differenced };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { grains: { type: 'string' } } });
  const { startServer } = await import('../src/cli/commands/serve.ts');
  const { resolveDbPath } = await import('../src/core/config.ts');
  const server = await startServer({ dbPath: resolveDbPath(positionals[0]), port: 0, mode: 'public' });
  const started = performance.now();
  try {
    const get: Get = async (url) => {
      const res = await fetch(`${server.url}${url}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const r = await runAttack(get, { grains: values.grains?.split(',') });
    process.stdout.write(`${r.requests} requests, ${r.figures} figures (${r.withheld} withheld), ${r.identities} identities, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    process.stdout.write(`withheld figures pinned to a value of 1–10: ${r.pinned.length}\n`);
    process.stdout.write(`withheld figures narrowed inside 1–10: ${r.narrowed.length}\n`);
    process.stdout.write(`figures of two releases that differ by 1–10: ${r.differenced.length}\n`);
    for (const line of [...r.pinned, ...r.narrowed, ...r.differenced].slice(0, 20)) process.stdout.write(`  ${line}\n`);
    process.exitCode = r.pinned.length + r.narrowed.length + r.differenced.length > 0 ? 1 : 0;
  } finally {
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
