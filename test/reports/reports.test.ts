/**
 * Claim checks and reports on a small synthetic database (buildDemo, scale 0.003, MA and TX):
 * every seeded claim renders, its figures equal the API's for the same call (public and private),
 * withheld figures never read as zero, every number links to a definition in the report, the HTML
 * is self-contained, the claims routes answer in the common envelope, and a PDF's first page is not
 * blank (skipped, with the reason in the test name, when Chromium or pdftoppm is missing).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { StoreHolder } from '../../src/api/holder.ts';
import { claimsRoutes } from '../../src/api/routes/claims.ts';
import { errorOf, sendError } from '../../src/api/envelope.ts';
import { buildDemo } from '../../src/cli/commands/demo.ts';
import { MetricsService, type Mode } from '../../src/metrics/index.ts';
import { openReadOnly } from '../../src/pipeline/index.ts';
import { chromiumPath, htmlToPdf, loadClaims, renderReport, type Claim, type RenderedReport } from '../../src/reports/index.ts';
import type { Store } from '../../src/store/index.ts';
import { GROUP_COLUMNS } from '../../src/contract/index.ts';
import { inkStats, readPngGrey } from './png.ts';

const now = () => new Date('2025-07-01T12:00:00Z');
let dir: string;
let store: Store;
let claims: Claim[];
const services = {} as Record<Mode, MetricsService>;
const apps = {} as Record<Mode, ReturnType<typeof createApp>>;
const claimApps = {} as Record<Mode, Hono>;

function hasPdftoppm(): boolean {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const PDF_SKIP = !chromiumPath() ? 'no Chromium (set HANDOFF_CHROMIUM)' : !hasPdftoppm() ? 'no pdftoppm (poppler-utils)' : null;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-reports-'));
  const dbPath = path.join(dir, 'demo.duckdb');
  await buildDemo({ seed: 1, scale: 0.003, outDir: path.join(dir, 'demo'), dbPath, states: ['MA', 'TX'], stderr: { write: () => {}, isTTY: false }, now });
  store = await openReadOnly(dbPath);
  claims = await loadClaims();
  for (const mode of ['public', 'private'] as const) {
    services[mode] = await MetricsService.create(store, { mode });
    apps[mode] = createApp({ store, mode, now });
    const holder = new StoreHolder(store, mode, undefined, false);
    const api = new Hono();
    api.route('/', claimsRoutes({ holder, mode, now, queryTimeoutMs: 30_000 }));
    // Mounted as app.ts mounts the other routes, with the same error envelope.
    api.onError((err, c) => sendError(c, errorOf(err)));
    claimApps[mode] = new Hono().route('/api', api);
  }
}, 180_000);

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The numbers a report shows for one figure element, keyed by period|value. */
function figureNumbers(html: string, api: string): Map<string, string> {
  const esc = api.replace(/&/g, '&amp;');
  const start = html.indexOf(`data-api="${esc}"`);
  expect(start, `figure for ${api}`).toBeGreaterThan(-1);
  const end = html.indexOf('</figure>', start);
  const out = new Map<string, string>();
  for (const m of html.slice(start, end).matchAll(/data-period="([^"]*)" data-value="([^"]*)" data-count="([^"]*)" data-display="([^"]*)"[^>]*>([^<]*)</g)) {
    out.set(`${m[1]}|${m[2]}`, `${m[3]}|${m[5]}`);
  }
  return out;
}

function checkSelfContained(html: string) {
  expect(html).not.toMatch(/<script|<link\b|<img\b|<iframe|@import|url\(\s*['"]?https?:/i);
  expect(html).not.toMatch(/\ssrc=/i);
  expect(html).toContain("default-src 'none'");
  // Every number links to a definition that exists in the report.
  const ids = new Set([...html.matchAll(/id="(def-[^"]+)"/g)].map((m) => m[1]));
  const links = [...html.matchAll(/<a class="n[^"]*" href="#([^"]+)"/g)].map((m) => m[1]!);
  expect(links.length).toBeGreaterThan(0);
  for (const l of links) expect(ids.has(l), l).toBe(true);
}

describe.each(['public', 'private'] as const)('claim checks (%s mode)', (mode) => {
  test('every seeded claim renders and its figures equal the API for the same call', async () => {
    expect(claims).toHaveLength(3);
    for (const claim of claims) {
      const report: RenderedReport = await renderReport(services[mode], { template: 'claim-check', claim, now });
      const evaluated = report.claim!;
      expect(report.html).toContain(claim.words.replace(/'/g, '&#39;'));
      expect(report.html).toContain('SYNTHETIC DEMO DATA');
      expect(report.html).toMatch(new RegExp(`Source status: ${claim.source_status}`));
      checkSelfContained(report.html);
      // The first page (before the template body) states releases, suppression, cut-off and quality.
      const head = report.html.slice(0, report.html.indexOf('<main>'));
      expect(head).toContain(evaluated.limits.releases[0]!.release_id);
      expect(head).toMatch(/cut-off/);
      expect(head).toMatch(mode === 'public' ? /counts of 1–10 are withheld/ : /PRIVATE MODE/);
      for (const q of evaluated.queries) {
        const res = await apps[mode].request(q.api_url);
        expect(res.status, q.api_url).toBe(200);
        const body = (await res.json()) as { rows: Record<string, unknown>[]; quality: unknown[]; meta: { synthetic: boolean } };
        expect(q.rows, `${claim.id} ${q.id}`).toEqual(body.rows);
        expect(q.quality).toEqual(body.quality);
        expect(body.meta.synthetic).toBe(true);
        if (!q.columns.includes('count')) continue;
        const shown = figureNumbers(report.html, q.api_url);
        for (const row of body.rows) {
          // A cross's rows are named with their group (render.ts, groupColumnOf).
          const g = GROUP_COLUMNS.find((c) => q.columns.includes(c));
          const key = g ? `${row.period}|${String(row[g])}|${row.value}` : `${row.period}|${row.value}`;
          const [count, text] = shown.get(key)!.split('|');
          expect(count).toBe(row.count === null ? '' : String(row.count));
          if (row.count === null) {
            // Not the count: says what it is instead ("at least N", withheld, not available), never zero.
            expect(text).toMatch(/^(at least [\d,]+|withheld|not available)/);
          } else {
            expect(text!.replace(/,/g, '')).toMatch(new RegExp(`^${row.count}\\b`));
          }
        }
      }
      for (const p of evaluated.policy) {
        const res = await apps[mode].request(p.api_url);
        const body = (await res.json()) as { rows: { entry_id: string; citation: string }[] };
        expect(p.timeline.map((t) => t.entry_id)).toEqual(body.rows.map((r) => r.entry_id));
        for (const r of body.rows) expect(report.html).toContain(r.citation.replace(/'/g, '&#39;'));
      }
    }
  });

  test('GET /api/claims.json and /api/claims/<id>.json', async () => {
    const list = await claimApps[mode].request('/api/claims.json');
    expect(list.status).toBe(200);
    const lb = (await list.json()) as { ok: boolean; rows: { id: string; url: string; source_status: string }[]; meta: Record<string, unknown> };
    expect(lb.ok).toBe(true);
    expect(lb.rows.map((r) => r.id)).toEqual(claims.map((c) => c.id));
    for (const row of lb.rows) {
      const res = await claimApps[mode].request(row.url);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { ok: boolean; rows: Record<string, unknown>[]; claim: { queries: { id: string; api_url: string; rows: Record<string, unknown>[] }[] }; meta: Record<string, unknown> };
      expect(body.ok).toBe(true);
      expect(body.meta.mode).toBe(mode);
      expect(body.meta.synthetic).toBe(true);
      expect(String(body.meta.synthetic_label)).toContain('synthetic demo data');
      for (const q of body.claim.queries) {
        const direct = (await (await apps[mode].request(q.api_url)).json()) as { rows: Record<string, unknown>[] };
        expect(q.rows).toEqual(direct.rows);
        expect(body.rows.filter((r) => r.query_id === q.id).map(({ query_id: _q, metric: _m, api_url: _u, ...r }) => r)).toEqual(direct.rows);
      }
    }
    const missing = await claimApps[mode].request('/api/claims/no-such-claim.json');
    expect(missing.status).toBe(404);
    expect(Object.keys((await missing.json()) as object).sort()).toEqual(['error', 'errors', 'ok', 'status']);
    const bad = await claimApps[mode].request('/api/claims/ma-2025-05-dhs-sanctuary-releases.json?bogus=1');
    expect(bad.status).toBe(400);
  });
});

describe('the sources\' other sentences', () => {
  test('every statement of each claim file is shown, testable ones linked to queries the report holds, the others with their reason', async () => {
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    let statements = 0;
    for (const claim of claims) {
      const report = await renderReport(services.public, { template: 'claim-check', claim, now });
      const html = report.html;
      const queryIds = new Set([...html.matchAll(/<section class="query" id="query-([^"]+)"/g)].map((m) => m[1]));
      expect(report.claim!.statements.map((s) => s.id)).toEqual((claim.statements ?? []).map((s) => s.id));
      for (const st of claim.statements ?? []) {
        statements++;
        const start = html.indexOf(`id="statement-${st.id}"`);
        expect(start, `${claim.id} ${st.id}`).toBeGreaterThan(-1);
        const section = html.slice(start, html.indexOf('</section>', start));
        expect(section).toContain(escape(st.words));
        for (const u of st.sources) expect(section).toContain(escape(u));
        if (st.testable) {
          const links = [...section.matchAll(/href="#query-([^"]+)"/g)].map((m) => m[1]);
          expect(links, st.id).toEqual([...(st.queries ?? [])]);
          for (const l of links) expect(queryIds.has(l), `${st.id} links ${l}`).toBe(true);
        } else {
          expect(section).not.toContain('href="#query-');
          expect(section).toContain(escape(st.not_testable_reason!));
        }
      }
      const res = await claimApps.public.request(`/api/claims/${claim.id}.json`);
      const body = (await res.json()) as { claim: { statements: { id: string; words: string; testable: boolean; queries: string[] }[] } };
      expect(body.claim.statements.map((s) => [s.id, s.words, s.testable])).toEqual((claim.statements ?? []).map((s) => [s.id, s.words, s.testable]));
    }
    // The seeded claim files carry statements of both kinds.
    expect(statements).toBeGreaterThan(0);
    expect(claims.flatMap((c) => c.statements ?? []).some((s) => !s.testable)).toBe(true);
    expect(claims.flatMap((c) => c.statements ?? []).some((s) => s.testable)).toBe(true);
  });
});

describe('state report', () => {
  test('renders MA FY2025 with charts, definitions and limits', async () => {
    const report = await renderReport(services.public, { template: 'state', place: 'MA', period: 'FY2025', now });
    expect(report.title).toBe('Detainers and the custody handoff: Massachusetts, FY2025');
    checkSelfContained(report.html);
    expect(report.html).toContain('<svg');
    expect(report.html).toContain('SYNTHETIC DEMO DATA');
    expect(report.html).toMatch(/lift_reason_blank/);
    expect(report.html).toMatch(/county_unmatched/);
    expect(report.html).toMatch(/identifier_missing/);
    expect(report.html).toMatch(/Lunn v\. Commonwealth, 477 Mass\. 517 \(2017\)/);
    expect(report.html).not.toMatch(/\{\{/);
    // Before and after: one section per dated MA entry that sets a rule; the demo release (FY2023 on)
    // spans none of their windows, so each says so in words and gives no figures.
    const dated = services.public.policies.byJurisdiction.get('state:MA')!.filter((e) => e.honors_detainers !== 'context' && (e.effective_date || /^\d{4}-\d{2}$/.test(e.effective_date_approx ?? '')));
    const sections = [...report.html.matchAll(/<section class="policy-change">([\s\S]*?)<\/section>/g)].map((m) => m[1]!);
    expect(sections.length).toBe(dated.length);
    expect(dated.length).toBeGreaterThan(0);
    for (const sec of sections) {
      expect(sec).toMatch(/No half answer is given/);
      expect(sec).not.toMatch(/<table/);
    }
    for (const r of report.results) {
      const body = (await (await apps.public.request(r.api_url)).json()) as { rows: unknown[] };
      expect(r.rows).toEqual(body.rows);
    }
  });

  test('renders for the nation too: the policy section says policies are set by states, counties and cities', async () => {
    const report = await renderReport(services.public, { template: 'state', period: 'FY2025', now });
    checkSelfContained(report.html);
    expect(report.html).toMatch(/has no single policy in force/);
    expect(report.html).not.toMatch(/bad place/);
  });

  test('an unknown directive or metric fails with a clear message', async () => {
    const file = path.join(dir, 'bad.md');
    writeFileSync(file, '# Bad\n\n{{metric no_such_metric}}\n');
    await expect(renderReport(services.public, { template: file, place: 'MA', period: 'FY2025', now })).rejects.toThrow(/unknown metric "no_such_metric"/);
    writeFileSync(file, '# Bad\n\n{{chart detainers_issued}}\n');
    await expect(renderReport(services.public, { template: file, place: 'MA', period: 'FY2025', now })).rejects.toThrow(/unknown template directive \{\{chart detainers_issued\}\}/);
  });
});

describe('PDF', () => {
  test.skipIf(PDF_SKIP !== null)(`first page is not blank${PDF_SKIP ? ` (skipped: ${PDF_SKIP})` : ''}`, async () => {
    const claim = claims.find((c) => c.id === 'ma-2025-05-trial-court-detainer-authority')!;
    const report = await renderReport(services.public, { template: 'claim-check', claim, now });
    const pdf = await htmlToPdf(report.html);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfFile = path.join(dir, 'claim.pdf');
    writeFileSync(pdfFile, pdf);
    execFileSync('pdftoppm', ['-png', '-f', '1', '-l', '1', '-r', '50', pdfFile, path.join(dir, 'page')]);
    const png = [path.join(dir, 'page-1.png'), path.join(dir, 'page-01.png')].find((f) => existsSync(f))!;
    const { width, height, grey } = readPngGrey(readFileSync(png));
    expect(width).toBeGreaterThan(300);
    expect(height).toBeGreaterThan(300);
    const ink = inkStats(grey);
    expect(ink.variance).toBeGreaterThan(100);
    expect(ink.inked).toBeGreaterThan(0.01);
  }, 120_000);
});
