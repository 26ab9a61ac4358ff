/**
 * Before and after a dated policy change (src/metrics/before-after.ts, /api/policy-changes): on a
 * small synthetic database of four states, every figure equals hand-written SQL over the lifecycle
 * (private mode) or the published window figure (public mode, never exact where that is withheld);
 * the ratio of ratios and its interval are recomputed here from the SQL counts; the default
 * comparison places are exactly the states whose jail regime is known and constant; a release that
 * does not span the windows gives words and no figures; an entry dated by year only is refused.
 */
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { buildDemo } from '../../src/cli/commands/demo.ts';
import { beforeAfter, MEASURES, MIN_COUNT_FOR_INTERVAL } from '../../src/metrics/before-after.ts';
import { MetricsService, runMetric, type Mode } from '../../src/metrics/index.ts';
import { openReadOnly } from '../../src/pipeline/index.ts';
import { policyAt, recordPlace } from '../../src/policy/index.ts';
import { renderReport } from '../../src/reports/index.ts';
import type { Store } from '../../src/store/index.ts';

const now = () => new Date('2025-07-01T12:00:00Z');
const ENTRY = 'ga-2024-ga-hb-1105';
const STATES = ['GA', 'TX', 'AZ', 'NY'];
let dir: string;
let store: Store;
const services = {} as Record<Mode, MetricsService>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-before-after-'));
  const dbPath = path.join(dir, 'demo.duckdb');
  await buildDemo({ seed: 5, scale: 0.01, outDir: path.join(dir, 'demo'), dbPath, states: STATES, stderr: { write: () => {}, isTTY: false }, now });
  store = await openReadOnly(dbPath);
  for (const mode of ['public', 'private'] as const) services[mode] = await MetricsService.create(store, { mode });
}, 300_000);

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Non-duplicate detainers of a state prepared in [from, to], by the lifecycle's outcome class. */
async function sqlCounts(state: string, from: string, to: string): Promise<Record<string, number>> {
  const rows = await store.queryRows<{ outcome_class: string; n: bigint }>(
    `SELECT outcome_class, count(*) AS n FROM detainer_lifecycle
     WHERE state_postal = $1 AND prepare_date BETWEEN $2::DATE AND $3::DATE GROUP BY ALL`,
    [state, from, to],
  );
  const out: Record<string, number> = { detainers: 0 };
  for (const r of rows) {
    out[r.outcome_class] = Number(r.n);
    out.detainers! += Number(r.n);
  }
  return out;
}

describe('before and after a dated change', () => {
  test('private mode: every figure is the SQL count, and the ratio and interval follow from them', async () => {
    const r = await beforeAfter(services.private, ENTRY);
    expect(r.status).toBe('ok');
    // HB 1105 takes effect on 2024-05-01, a first of the month: that month opens the after window.
    expect(r.before).toEqual({ from: '2023-05-01', to: '2024-04-30', months: 12 });
    expect(r.after).toEqual({ from: '2024-05-01', to: '2025-04-30', months: 12 });
    expect(r.regime_before).not.toBe(r.regime_after);
    // Default comparison: the other states whose regime is known and the same on every month's first day.
    const used = r.comparison.filter((c) => c.used).map((c) => c.place);
    const months: string[] = [];
    for (let y = 2023, m = 5; y < 2025 || (y === 2025 && m <= 4); m === 12 ? ((m = 1), y++) : m++) months.push(`${y}-${String(m).padStart(2, '0')}-01`);
    const constant = ['TX', 'AZ', 'NY'].filter((s) => {
      const regimes = new Set(months.map((d) => policyAt(services.private.policies, recordPlace(s, null), d).regime));
      return regimes.size === 1 && !regimes.has('no_data');
    });
    for (const s of constant) expect(used).toContain(`state:${s}`);
    expect(used).not.toContain('state:GA');
    for (const c of used) {
      const s = c.slice(6);
      const regimes = new Set(months.map((d) => policyAt(services.private.policies, recordPlace(s, null), d).regime));
      expect(regimes.size, c).toBe(1);
    }

    const pb = await sqlCounts('GA', r.before!.from, r.before!.to);
    const pa = await sqlCounts('GA', r.after!.from, r.after!.to);
    expect(r.rows.map((x) => x.measure)).toEqual(MEASURES.map((m) => m.id));
    let intervals = 0;
    for (const row of r.rows) {
      const key = row.measure;
      expect(row.before, key).toMatchObject({ status: 'exact', count: pb[key] ?? 0 });
      expect(row.after, key).toMatchObject({ status: 'exact', count: pa[key] ?? 0 });
      let cb = 0;
      let ca = 0;
      for (const c of row.comparison_places) {
        cb += (await sqlCounts(c.slice(6), r.before!.from, r.before!.to))[key] ?? 0;
        ca += (await sqlCounts(c.slice(6), r.after!.from, r.after!.to))[key] ?? 0;
      }
      expect(row.comparison_places).toEqual(used);
      expect([row.comparison_before, row.comparison_after], key).toEqual([cb, ca]);
      const [a, b] = [pa[key] ?? 0, pb[key] ?? 0];
      if (a && b && ca && cb) {
        expect(row.ratio_of_ratios!, key).toBeCloseTo(a / b / (ca / cb), 3);
        if (Math.min(a, b, ca, cb) >= MIN_COUNT_FOR_INTERVAL) {
          const se = Math.sqrt(1 / a + 1 / b + 1 / ca + 1 / cb);
          expect(row.interval_low!).toBeCloseTo((a / b / (ca / cb)) * Math.exp(-1.96 * se), 3);
          expect(row.interval_high!).toBeCloseTo((a / b / (ca / cb)) * Math.exp(1.96 * se), 3);
          expect(row.interval_low!).toBeLessThanOrEqual(row.ratio_of_ratios!);
          expect(row.interval_high!).toBeGreaterThanOrEqual(row.ratio_of_ratios!);
          intervals++;
        } else {
          expect(row.interval_low).toBeNull();
          expect(row.note).toMatch(/no interval/);
        }
      } else {
        expect(row.ratio_of_ratios).toBeNull();
        expect(row.note).toBeTruthy();
      }
    }
    expect(pb.detainers).toBeGreaterThan(0);
    expect(intervals).toBeGreaterThan(0);
  });

  test('public mode: each figure is the published window figure; no ratio rests on one that is not exact', async () => {
    const r = await beforeAfter(services.public, ENTRY);
    for (const row of r.rows) {
      const m = MEASURES.find((x) => x.id === row.measure)!;
      for (const [side, w] of [['before', r.before!], ['after', r.after!]] as const) {
        const pub = await runMetric(services.public, m.metric, { place: 'state:GA', grain: 'total', from: w.from, to: w.to, by: m.by });
        const want = pub.rows.find((x) => x.value === m.value);
        const got = row[side];
        expect(got.status, `${row.measure} ${side}`).toBe(want ? want.status : 'exact');
        expect(got.count).toBe(want ? want.count : 0);
        expect([got.count_low, got.count_high]).toEqual(want ? [want.count_low, want.count_high] : [0, 0]);
      }
      if (row.before.status !== 'exact' || row.after.status !== 'exact') {
        expect(row.ratio_of_ratios).toBeNull();
        expect(row.note).toMatch(/not exact/);
        expect(row.note).not.toMatch(/at_least|not_available/);
      }
    }
  });

  test('a release that does not span the windows: words, no figures', async () => {
    const r = await beforeAfter(services.public, 'ma-2017-lunn-v-commonwealth');
    expect(r.status).toBe('release_does_not_span');
    expect(r.rows).toEqual([]);
    // Lunn took effect on 2017-07-24: July 2017 is left out; the windows are the 12 months either side.
    expect(r.before).toEqual({ from: '2016-07-01', to: '2017-06-30', months: 12 });
    expect(r.after).toEqual({ from: '2017-08-01', to: '2018-07-31', months: 12 });
    expect(r.message).toMatch(/^the release covers \d{4}-\d\d to \d{4}-\d\d .*need 2016-07 to 2018-07\. No half answer is given/);
  });

  test('refusals: an entry dated by year only, an unknown entry, windows out of range', async () => {
    await expect(beforeAfter(services.public, 'mn-hennepin-county-2014-hennepin-county-sheriff')).rejects.toThrow(/has only a year of effect \(2014\): a before-and-after comparison needs its day or at least its month/);
    await expect(beforeAfter(services.public, 'no-such-entry')).rejects.toMatchObject({ code: 'not_found' });
    await expect(beforeAfter(services.public, ENTRY, { monthsBefore: 0 })).rejects.toThrow(/before must be a whole number of months/);
    const given = await beforeAfter(services.public, ENTRY, { compare: ['state:TX', 'state:GA'] });
    expect(given.comparison_basis).toBe('given');
    expect(given.comparison.find((c) => c.place === 'state:GA')).toMatchObject({ used: false, why_not: 'its regime changed within the windows' });
  });
});

describe('the state report', () => {
  test("the Georgia report's before-and-after table shows the same figures, each as the API words it", async () => {
    const report = await renderReport(services.public, { template: 'state', place: 'GA', period: 'FY2024', now });
    const r = await beforeAfter(services.public, ENTRY);
    const start = report.html.indexOf(`<section class="policy-change"><h3>${r.citation.replace(/'/g, '&#39;')}`);
    expect(start).toBeGreaterThan(-1);
    const table = report.html.slice(report.html.indexOf('<tbody>', start), report.html.indexOf('</tbody>', start));
    const cells = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!));
    expect(cells.length).toBe(r.rows.length);
    const words = (f: (typeof r.rows)[number]['before']) =>
      f.status === 'exact' ? f.count!.toLocaleString('en-US') : f.status === 'at_least' ? `at least ${f.count_low!.toLocaleString('en-US')}` : f.status === 'withheld' ? 'withheld' : 'not available';
    r.rows.forEach((m, i) => {
      expect(cells[i]![1]).toBe(words(m.before));
      expect(cells[i]![2]).toBe(words(m.after));
      expect(cells[i]![5]).toBe(String(m.comparison_places_used));
      if (m.ratio_of_ratios !== null) expect(cells[i]![6]).toContain(m.ratio_of_ratios.toFixed(2));
      else expect(cells[i]![6]).toBe('');
    });
  });
});

describe('GET /api/policy-changes/<entry>', () => {
  test('JSON and CSV in the envelope; bad parameters named', async () => {
    const app = createApp({ store, mode: 'public', now });
    const res = await app.request(`/api/policy-changes/${ENTRY}.json?before=6&after=6&compare=state:TX,state:AZ`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; rows: Record<string, unknown>[]; change: Record<string, unknown>; meta: { synthetic: boolean; notes: string[] } };
    expect(body.ok).toBe(true);
    expect(body.meta.synthetic).toBe(true);
    expect(body.change).toMatchObject({ entry_id: ENTRY, status: 'ok', before: { from: '2023-11-01', to: '2024-04-30', months: 6 } });
    const direct = await beforeAfter(services.public, ENTRY, { monthsBefore: 6, monthsAfter: 6, compare: ['state:TX', 'state:AZ'] });
    expect(body.rows.map((r) => [r.measure, r.before_count, r.after_count, r.ratio_of_ratios])).toEqual(direct.rows.map((r) => [r.measure, r.before.count, r.after.count, r.ratio_of_ratios]));
    expect(body.meta.notes.some((n) => /not what caused it/.test(n))).toBe(true);
    const csv = await app.request(`/api/policy-changes/${ENTRY}.csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toMatch(/measure,label,metric,place/);
    const bad = await app.request(`/api/policy-changes/${ENTRY}.json?before=x`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/before="x"/);
    expect((await app.request('/api/policy-changes/nope.json')).status).toBe(404);
  });
});
