/**
 * Privacy through the public API (issue 10), as an outside attacker sees it. test/metrics/suppression.test.ts
 * proves the cube's cells and nested slices; this test asks the HTTP API itself, over every supported
 * filter combination (metrics × by × places × grains, plus windows), and checks:
 * - no published count, denominator or place total is 1-10;
 * - differencing any two published figures of standard periods whose record sets nest (a period
 *   inside a period, a county or facility inside its state, a breakdown slot inside the total,
 *   anything inside the nation) never gives 1-10 (a window figure is a sum of such figures);
 * - no route in the OpenAPI document returns person-level fields or raw-row listings;
 * - CSV exports neutralize formula injection, including hostile text that came in with a release.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { csvCell } from '../../src/api/csv.ts';
import { GRAINS } from '../../src/metrics/index.ts';
import { migrate, Store } from '../../src/store/index.ts';
import { buildFixtureDb } from '../metrics/fixture.ts';
import { HOSTILE_STRINGS } from './fuzz-cases.ts';

let dir: string;
let store: Store;
let app: ReturnType<typeof createApp>;
let rawCounts: number[];

const HOSTILE_LABEL = "=cmd|' /C calc'!A0";

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-privacy-'));
  const fixture = await buildFixtureDb(dir);
  // A copy with hostile text in what the API echoes (a release label comes from a file name).
  const db = path.join(dir, 'hostile.duckdb');
  copyFileSync(fixture, db);
  const w = await Store.open(db);
  await migrate(w);
  await w.run("UPDATE releases SET label = $1 WHERE release_id = 'r_fixture_demo'", [HOSTILE_LABEL]);
  const raw = await w.queryRows<{ n: string }>(
    "SELECT count(*) AS n FROM detainers UNION ALL SELECT count(*) FROM arrests UNION ALL SELECT count(*) FROM removals UNION ALL SELECT count(*) FROM detainers WHERE release_id = 'r_fixture_main' UNION ALL SELECT count(*) FROM arrests WHERE release_id = 'r_fixture_main' UNION ALL SELECT count(*) FROM detainer_lifecycle",
  );
  rawCounts = raw.map((r) => Number(r.n)).filter((n) => n > 20);
  await w.run('CHECKPOINT');
  w.close();
  store = await Store.open(db, { readOnly: true });
  app = createApp({ store, mode: 'public', now: () => new Date('2026-01-01T00:00:00Z') });
}, 120_000);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.request(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Figure {
  metric: string;
  by: string;
  value: string;
  place: string;
  start: string;
  end: string;
  count: number;
}

interface PlaceRow {
  place: string;
  level: string;
  state: string | null;
  county_fips: string | null;
  detainers: number | null;
  arrests: number | null;
}

const COUNT_FIELDS = ['count', 'denominator', 'days_n'];
const small = (n: unknown) => typeof n === 'number' && n >= 1 && n <= 10;

describe('differencing attacks through the public API', () => {
  let figures: Figure[] = [];
  let places: PlaceRow[] = [];
  const smallCells: string[] = [];
  let requests = 0;

  beforeAll(async () => {
    places = (await getJson('/api/places.json')).body.rows as PlaceRow[];
    for (const p of places) for (const k of ['detainers', 'arrests'] as const) if (small(p[k])) smallCells.push(`places.json ${p.place} ${k}=${p[k]}`);
    const metrics = (await getJson('/api/metrics.json')).body.rows as { id: string; by: string[]; universe: string; follow_up_days: number[] | null }[];
    const windows = ['', '&from=2024-10-01&to=2024-12-31', '&from=2025-01-01&to=2025-03-31'];
    for (const m of metrics) {
      // Each follow-up window is its own figure: asked as a `by` of its own, so that figures of
      // different windows are not taken for one slot (their nesting is the cube's identities).
      for (const [by, fu] of m.by.flatMap((b) => [[b, ''], ...(m.follow_up_days ?? []).slice(0, -1).map((d) => [b, `&follow_up_days=${d}`])])) {
        for (const place of places) {
          for (const grain of GRAINS) {
            for (const w of grain === 'month' || grain === 'total' ? windows : ['']) {
              const url = `/api/metrics/${m.id}.json?place=${encodeURIComponent(place.place)}&grain=${grain}&by=${by}${fu}${w}`;
              const { status, body } = await getJson(url);
              requests++;
              if (status === 400) continue; // an unsupported combination (e.g. arrests by facility), refused
              expect(status, url).toBe(200);
              for (const row of body.rows as Record<string, unknown>[]) {
                for (const f of COUNT_FIELDS) if (small(row[f])) smallCells.push(`${url}: ${f}=${String(row[f])}`);
                if (row.status === 'exact' && w === '') {
                  // A row's slot is its value, within its regime where the metric has one (detainer_outcomes_by_regime).
                  figures.push({ metric: m.id, by: `${by}${fu}`, value: row.regime === undefined ? String(row.value ?? '') : `${String(row.regime)}|${String(row.value ?? '')}`, place: String(row.place), start: String(row.period_start), end: String(row.period_end), count: Number(row.count) });
                }
              }
            }
          }
        }
      }
    }
    // One figure per distinct cell (the same cell is asked for by several grains and windows).
    const seen = new Map<string, Figure>();
    for (const f of figures) seen.set(`${f.metric}|${f.by}|${f.value}|${f.place}|${f.start}|${f.end}`, f);
    figures = [...seen.values()];
  }, 300_000);

  it('no published count, denominator or place total is 1-10', () => {
    expect(requests).toBeGreaterThan(500);
    expect(figures.length).toBeGreaterThan(1000);
    expect(smallCells.slice(0, 20)).toEqual([]);
  });

  it('no two nested figures differ by 1-10 (periods, places, breakdowns)', () => {
    const placeOf = new Map(places.map((p) => [p.place, p]));
    /** True when every record of place `inner` is also in place `outer`. */
    const placeWithin = (inner: string, outer: string): boolean => {
      if (inner === outer || outer === 'nation') return true;
      const i = placeOf.get(inner);
      const o = placeOf.get(outer);
      if (!i || !o) return false;
      if (o.level === 'state') return i.level !== 'state' && i.level !== 'nation' && i.level !== 'aor' && i.state === o.state && i.state !== null;
      if (o.level === 'county') return i.level === 'facility' && i.county_fips === o.county_fips && i.county_fips !== null;
      return false;
    };
    const leaks: string[] = [];
    const label = (f: Figure) => `${f.metric} by=${f.by}:${f.value} ${f.place} ${f.start}..${f.end} = ${f.count}`;
    // An exact figure counts every record of its place, period and slot, so b's records lie within
    // a's when b's place, period and slot lie within a's.
    const within = (b: Figure, a: Figure): boolean => {
      const slotWithin = (b.by === a.by && b.value === a.value) || (a.by === 'total' && a.value === 'total');
      return slotWithin && placeWithin(b.place, a.place) && a.start <= b.start && b.end <= a.end;
    };
    // Group by metric: only figures of one metric count the same kind of records.
    const byMetric = new Map<string, Figure[]>();
    for (const f of figures) byMetric.set(f.metric, [...(byMetric.get(f.metric) ?? []), f]);
    let pairs = 0;
    for (const list of byMetric.values()) {
      const sorted = [...list].sort((a, b) => a.count - b.count);
      let lo = 0;
      for (let i = 0; i < sorted.length; i++) {
        const a = sorted[i]!;
        while (sorted[lo]!.count < a.count - 10) lo++;
        for (let j = lo; j < i; j++) {
          const b = sorted[j]!;
          const d = a.count - b.count;
          if (d < 1 || d > 10) continue;
          pairs++;
          if (within(b, a)) leaks.push(`${label(a)} − ${label(b)} = ${d}`);
        }
      }
    }
    expect(pairs).toBeGreaterThan(100);
    expect(leaks.slice(0, 20)).toEqual([]);
  });
});

describe('no person-level data on any public route', () => {
  const FORBIDDEN = /^(person_id|unique_identifier|unique_id|source_row|birth_year|year_of_birth|birth_date|date_of_birth|anumber|a_number|alien_number|eid_subject_id|subject_id|first_name|last_name|full_name|extra)$/i;

  it('every route of the OpenAPI document: no person-level fields, no listing of raw rows', async () => {
    const openapi = (await getJson('/api/openapi.json')).body as { paths: Record<string, unknown> };
    const paths = Object.keys(openapi.paths);
    expect(paths.length).toBeGreaterThan(10);
    const found: string[] = [];
    const urls = paths.flatMap((p) => {
      const base = p.replace('{metric}', 'detainers_issued').replace('{place}', 'state:MA');
      return p.includes('{metric}') ? ['detainers_issued', 'detainer_outcomes', 'ice_arrests_by_method', 'data_quality'].map((m) => p.replace('{metric}', m) + '?grain=total') : [base];
    });
    for (const url of urls) {
      const res = await app.request(url);
      expect(res.status, url).toBeLessThan(500);
      const text = await res.text();
      if (!(res.headers.get('content-type') ?? '').includes('json') || url.endsWith('openapi.json')) {
        // CSV header line and HTML: field names must not appear as columns either.
        const header = text.split('\r\n').find((l) => !l.startsWith('#')) ?? '';
        for (const col of header.split(',')) if (FORBIDDEN.test(col.trim())) found.push(`${url}: column ${col}`);
        continue;
      }
      const body = JSON.parse(text) as { rows?: unknown[] };
      const walk = (v: unknown, at: string): void => {
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
          if (FORBIDDEN.test(k)) found.push(`${url}: ${at}.${k}`);
          walk(x, `${at}.${k}`);
        }
      };
      walk(body, '$');
      if (Array.isArray(body.rows) && rawCounts.includes(body.rows.length)) found.push(`${url}: ${body.rows.length} rows, the size of a raw table`);
    }
    expect(found).toEqual([]);
  });
});

describe('CSV exports and formula injection', () => {
  const DANGEROUS = /^[=+\-@\t\r]/;
  const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

  it('csvCell prefixes every hostile start, quotes what needs quoting', () => {
    for (const s of [...HOSTILE_STRINGS, '=1+1', '+A1', '-A1', '@A1', '\tx', '\rx', '=', '-', '+']) {
      const cell = csvCell(s);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      if (DANGEROUS.test(s) && !PLAIN_NUMBER.test(s)) expect(unquoted.startsWith("'"), JSON.stringify(s)).toBe(true);
      if (/[",\n\r]/.test(unquoted)) expect(cell.startsWith('"')).toBe(true);
    }
    // Numbers stay numbers (a negative count is not a formula).
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('-1.5e3')).toBe('-1.5e3');
  });

  it('no cell of any CSV route starts a formula, hostile release label included', async () => {
    const urls = ['/api/releases.csv', '/api/places.csv', '/api/quality.csv', '/api/metrics/detainers_issued.csv?release=r_fixture_demo', '/api/metrics/detainers_issued.csv?by=outcome'];
    let sawLabel = false;
    for (const url of urls) {
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
      const text = await res.text();
      for (const cell of parseCsv(text.split('\r\n').filter((l) => !l.startsWith('#')).join('\r\n'))) {
        if (cell.includes('cmd|')) sawLabel = true;
        if (DANGEROUS.test(cell) && !PLAIN_NUMBER.test(cell)) throw new Error(`${url}: unsafe cell ${JSON.stringify(cell)}`);
      }
    }
    expect(sawLabel).toBe(true);
  });
});

/** Minimal RFC 4180 reader: every cell of every row, unquoted. */
function parseCsv(text: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote');
        cell += text.slice(i, q);
        if (text[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const m = /[,\r]/.exec(text.slice(i));
      const end = m ? i + m.index : text.length;
      cell = text.slice(i, end);
      i = end;
    }
    cells.push(cell);
    if (text[i] === ',') i++;
    else if (text[i] === '\r') i += 2;
  }
  return cells;
}
