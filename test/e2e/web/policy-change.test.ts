/**
 * The before-and-after page (/policy-change/<entry>) in Chromium against a real server on a synthetic
 * database: reached from the policy timeline, every figure in its table equal to the API's JSON of the
 * same request (withheld stays withheld), the months and comparison controls rewrite the URL and the
 * table, a release that does not span the windows gets the API's words and no table, an unknown entry
 * a clear message, and axe-core finds nothing serious. Scale 0.05: smaller releases withhold nearly
 * every figure of a state over a year, and the page would show no exact count or ratio to check.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { GLOSSARY } from '../../../web/src/glossary.ts';
import { ARTIFACTS, AXE_SOURCE, ensureBuilt, hasChromium, launchChromium, type Stack, startStack, viewReady } from './stack.ts';

const SKIP = !hasChromium();
if (SKIP) console.warn('SKIPPED policy-change browser tests: /usr/bin/chromium is missing (apt-get install chromium).');

const GA = 'ga-2024-ga-hb-1105'; // Georgia HB 1105, effective 2024-05-01: inside the synthetic release
const LUNN = 'ma-2017-lunn-v-commonwealth'; // 2017: before the synthetic release begins

interface ApiRow {
  measure: string;
  label: string;
  before_count: number | null;
  before_status: string;
  before_low: number | null;
  after_count: number | null;
  after_status: string;
  after_low: number | null;
  comparison_before: number | null;
  comparison_after: number | null;
  comparison_places_used: number;
  ratio_of_ratios: number | null;
  interval_low: number | null;
  interval_high: number | null;
  note: string | null;
}
interface ApiChange {
  status: string;
  message: string | null;
  citation: string;
  effective: string;
  before: { from: string; to: string; months: number };
  after: { from: string; to: string; months: number };
}
interface ApiAnswer {
  ok: boolean;
  rows: ApiRow[];
  change: ApiChange;
}

const INT = new Intl.NumberFormat('en-US');
/** What the page must show for a published figure: the count only when exact, else the API's status in words. */
function expectedFigure(r: ApiRow, side: 'before' | 'after'): string {
  const status = r[`${side}_status`];
  if (status === 'exact') return INT.format(r[`${side}_count`]!);
  if (status === 'at_least') return `at least ${INT.format(r[`${side}_low`] ?? 0)}`;
  if (status === 'withheld') return 'withheld';
  if (status === 'not_available') return 'not available';
  throw new Error(`unexpected status ${status}`);
}
const num = (text: string): number | null => (text.trim() === '—' ? null : Number(text.replace(/,/g, '')));

describe.skipIf(SKIP)('before and after a policy change, in Chromium', () => {
  let stack: Stack;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack({ scale: 0.05 });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const ready = () => viewReady(page);
  const api = async (href: string): Promise<ApiAnswer> => (await page.request.get(`${stack.url}${href}`)).json() as Promise<ApiAnswer>;

  /** The page's table against the API's JSON of the request the page links to; returns that JSON. */
  async function expectTableEqualsApi(): Promise<ApiAnswer> {
    const href = await page.locator('#pc-answer a', { hasText: 'API JSON' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/policy-changes\/[^/]+\.json\?/);
    const csvHref = await page.locator('#pc-answer a', { hasText: 'API CSV' }).getAttribute('href');
    expect(csvHref).toBe(href!.replace('.json?', '.csv?'));
    const body = await api(href!);
    expect(body.ok).toBe(true);
    expect(body.change.status).toBe('ok');
    expect(await page.locator('#pc-window-before').textContent()).toContain(`${body.change.before.from} to ${body.change.before.to}`);
    expect(await page.locator('#pc-window-after').textContent()).toContain(`${body.change.after.from} to ${body.change.after.to}`);
    expect(await page.locator('#pc-measures tbody tr').count()).toBe(body.rows.length);
    for (const r of body.rows) {
      const row = page.locator(`#pc-measures tr[data-measure="${r.measure}"]`);
      expect(await row.locator('th').textContent()).toBe(r.label);
      const cells = await row.locator('td').allTextContents();
      expect(cells[0], `${r.measure} before`).toBe(expectedFigure(r, 'before'));
      expect(cells[1], `${r.measure} after`).toBe(expectedFigure(r, 'after'));
      // A withheld figure is never drawn as a number.
      if (r.before_status === 'withheld') expect(cells[0]).not.toMatch(/\d/);
      if (r.after_status === 'withheld') expect(cells[1]).not.toMatch(/\d/);
      expect(num(cells[2]!), `${r.measure} comparison before`).toBe(r.comparison_before);
      expect(num(cells[3]!), `${r.measure} comparison after`).toBe(r.comparison_after);
      expect(num(cells[4]!)).toBe(r.comparison_places_used);
      expect(num(cells[5]!), `${r.measure} ratio`).toBe(r.ratio_of_ratios);
      if (r.interval_low === null) expect(cells[6]).toBe('—');
      else expect(cells[6]!.split(' to ').map(num)).toEqual([r.interval_low, r.interval_high]);
      expect(cells[7]).toBe(r.note ?? '');
    }
    return body;
  }

  it('is linked from the policy timeline for an entry with an exact date, and shows the entry and its windows', async () => {
    await page.goto(`${stack.url}/state/GA`);
    await ready();
    // An entry with no known date gets no link.
    expect(await page.locator('#policy-ga-2016-sb-269 a[href^="/policy-change/"]').count()).toBe(0);
    await page.locator(`#policy-${GA} a[href="/policy-change/${GA}"]`).click();
    await page.waitForURL(new RegExp(`/policy-change/${GA}$`));
    await ready();
    const body = await api(`/api/policy-changes/${GA}.json?before=12&after=12`);
    expect(await page.locator('h1').textContent()).toContain(body.change.citation);
    expect(await page.locator('#pc-place').textContent()).toBe('Georgia');
    expect(await page.locator('#pc-effective').textContent()).toContain('2024-05-01');
    expect(await page.locator('.pc-entry a[href^="http"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#banner').textContent()).toContain('Synthetic demo data');
    expect(await page.locator('#pc-answer .source').textContent()).toContain('Synthetic demo data');
    await shot('policy-change-ga');
  });

  it('shows each measure exactly as the API gives it: counts, "at least N", withheld, ratio and interval', async () => {
    const body = await expectTableEqualsApi();
    // The synthetic release gives this table every kind of figure, so the comparison above covers each.
    const statuses = new Set(body.rows.flatMap((r) => [r.before_status, r.after_status]));
    expect(statuses).toContain('exact');
    expect(statuses).toContain('withheld');
    expect(body.rows.some((r) => r.ratio_of_ratios !== null && r.interval_low !== null)).toBe(true);
  });

  it('changes the months and the comparison places through the URL, and the table follows', async () => {
    const before = await page.locator('#pc-measures').textContent();
    await page.fill('#pc-before', '6');
    await page.fill('#pc-after', '6');
    await page.click('#main form.filters button[type=submit]');
    await page.waitForURL(/before=6/);
    await ready();
    const q = new URL(page.url()).searchParams;
    expect([q.get('before'), q.get('after'), q.get('compare')]).toEqual(['6', '6', null]);
    const six = await expectTableEqualsApi();
    expect(six.change.before.months).toBe(6);
    expect(await page.locator('#pc-measures').textContent()).not.toBe(before);

    await page.selectOption('#pc-compare', ['state:TX', 'state:CA']);
    await page.click('#main form.filters button[type=submit]');
    await page.waitForURL(/compare=/);
    await ready();
    expect(new URL(page.url()).searchParams.get('compare')).toBe('state:CA,state:TX');
    await expectTableEqualsApi();
    // The URL is a permalink: a reload shows the same view with the same controls.
    const url = page.url();
    const table = await page.locator('#pc-measures').textContent();
    await page.reload();
    await ready();
    expect(page.url()).toBe(url);
    expect(await page.locator('#pc-before').inputValue()).toBe('6');
    expect(await page.locator('#pc-compare option:checked').allTextContents()).toEqual(['California', 'Texas']);
    expect(await page.locator('#pc-measures').textContent()).toBe(table);
    await shot('policy-change-ga-6-6-compare');
  });

  it('uses plain words: glossary links that exist, and no raw snake_case code in the visible text', async () => {
    await page.goto(`${stack.url}/policy-change/${GA}`);
    await ready();
    await page.locator('#pc-comparison summary').click(); // the comparison places' regimes, in words too
    const hrefs = await page.locator('main a[href^="/about#g-"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    const ids = new Set(GLOSSARY.map((e) => e.id));
    const targets = [...new Set(hrefs.map((x) => x.replace('/about#g-', '')))];
    expect(targets.filter((t) => !ids.has(t))).toEqual([]);
    for (const id of ['detainer', 'declined', 'transferred', 'outcome', 'withheld']) expect(targets).toContain(id);
    const text = (await page.evaluate("document.getElementById('main').innerText")) as string;
    // Release ids (r_ and hex digits) are identifiers a reader cites, not labels.
    const codes = [...new Set(text.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g) ?? [])].filter((c) => !/^r_[0-9a-f]{8,}$/.test(c));
    expect(codes).toEqual([]);
  });

  it('says in words, with no table, when the release does not span the windows', async () => {
    await page.goto(`${stack.url}/policy-change/${LUNN}`);
    await ready();
    const body = await api(`/api/policy-changes/${LUNN}.json?before=12&after=12`);
    expect(body.change.status).toBe('release_does_not_span');
    const message = await page.locator('#pc-message').textContent();
    expect(message).toContain('does not span');
    expect(message!.toLowerCase()).toContain(body.change.message!.toLowerCase());
    expect(await page.locator('#pc-measures').count()).toBe(0);
    await shot('policy-change-lunn');
  });

  it('says clearly when there is no such entry', async () => {
    await page.goto(`${stack.url}/policy-change/no-such-entry`);
    await ready();
    expect(await page.locator('h1').textContent()).toBe('No such policy entry');
    expect(await page.locator('[role=alert]').textContent()).toContain('“no-such-entry”');
    expect(await page.locator('#pc-measures').count()).toBe(0);
  });

  it('has no serious or critical axe violations, and fits 375 px', async () => {
    const found: string[] = [];
    for (const p of [`/policy-change/${GA}?before=6&after=6`, `/policy-change/${LUNN}`, '/policy-change/no-such-entry']) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${stack.url}${p}`);
      await ready();
      await page.evaluate(AXE_SOURCE);
      const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
      for (const v of result.violations) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${p}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      await page.setViewportSize({ width: 375, height: 800 });
      await page.waitForTimeout(150);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(overflow, `${p} at 375 px`).toBeLessThanOrEqual(376);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(found).toEqual([]);
  }, 120_000);

  it('raised no CSP violations or page errors', () => {
    expect(cspViolations).toEqual([]);
    // The unknown entry's 404 is logged by the browser as a failed resource, not as a page error.
    expect(pageErrors).toEqual([]);
  });
});
