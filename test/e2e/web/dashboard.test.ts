/**
 * The dashboard in a real browser (Debian Chromium via playwright-core) against a real server on a
 * small synthetic database: nation page, Massachusetts and its Lunn entry, period change, CSV
 * download checked against the API, permalink reload, synthetic banner, axe-core, 375 px layout,
 * no CSP violations. Screenshots go to test-artifacts/screenshots/ (gitignored).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, AXE_SOURCE, ensureBuilt, hasChromium, launchChromium, type Stack, startStack, viewReady } from './stack.ts';

const SKIP = !hasChromium();
if (SKIP) console.warn('SKIPPED dashboard browser tests: /usr/bin/chromium is missing (apt-get install chromium).');


describe.skipIf(SKIP)('dashboard in Chromium', () => {
  let stack: Stack;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack({ scale: 0.005 });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const ready = () => viewReady(page);

  it('loads the nation page with a map, the national series and the synthetic banner', async () => {
    await page.goto(`${stack.url}/`);
    await ready();
    await expect(page.locator('h1').textContent()).resolves.toContain('United States');
    expect(await page.locator('#map svg.map path.region').count()).toBeGreaterThan(40);
    expect(await page.locator('#national-outcomes svg').count()).toBeGreaterThan(0);
    const banner = page.locator('#banner');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain('Synthetic demo data');
    expect(await banner.textContent()).toContain('not ICE records');
    expect(await page.locator('#releases table').textContent()).toContain('synthetic');
    // The follow-up windows for the nation: the declined row's 365-day cell is the API's figure.
    const fu = page.locator('#follow-up');
    await fu.waitFor();
    const long = ((await (await page.request.get(`${stack.url}/api/metrics/later_arrests_after_non_transfer.json?grain=total`)).json()) as { rows: { value: string; counted_from: string | null; counted_to: string | null }[] }).rows.find((r) => r.counted_to !== null)!;
    const r = ((await (await page.request.get(`${stack.url}/api/metrics/later_arrests_after_non_transfer.json?grain=total&from=${long.counted_from}&to=${long.counted_to}&follow_up_days=365`)).json()) as { rows: { value: string; count: number | null; display: string }[] }).rows.find((x) => x.value === 'declined')!;
    const cell = ((await fu.locator('table[data-kind="arrests"] tr[data-outcome="declined"] td[data-window="365"]').textContent()) ?? '').replace(/\u00a0/g, ' ');
    expect(cell.startsWith(r.count === null ? r.display : r.count.toLocaleString('en-US')), cell).toBe(true);
    await shot('nation');
  });

  it('switches the map to the policy in force on a date (URL-driven)', async () => {
    await page.selectOption('#f-metric', 'policy');
    await page.waitForURL(/metric=policy/);
    await page.locator('#map-title', { hasText: 'Detainer policy in force' }).waitFor();
    await ready();
    expect(await page.locator('#map .place-list').textContent()).toContain('Massachusetts');
    await shot('nation-policy');
  });

  it('opens Massachusetts and shows Lunn v. Commonwealth in the policy timeline', async () => {
    await page.goto(`${stack.url}/`);
    await ready();
    await page.getByRole('link', { name: 'Massachusetts', exact: true }).first().click();
    await page.waitForURL(/\/state\/MA/);
    await ready();
    expect(await page.locator('h1').textContent()).toBe('Massachusetts');
    const policy = page.locator('#policy');
    await policy.locator('#policy-ma-2017-lunn-v-commonwealth').waitFor();
    const lunn = await policy.locator('#policy-ma-2017-lunn-v-commonwealth').textContent();
    expect(lunn).toContain('Lunn v. Commonwealth');
    expect(lunn).toContain('2017');
    expect(await policy.locator('#policy-ma-2017-lunn-v-commonwealth a[href^="http"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#banner').textContent()).toContain('Synthetic demo data');
    expect(await page.evaluate('window.scrollY')).toBe(0); // a new view starts at its top
    await shot('state-ma');
  });

  it('changes the period; the URL is a permalink that reloads the same view', async () => {
    await page.goto(`${stack.url}/state/TX`);
    await ready();
    await page.fill('#f-from', '2024-01');
    await page.fill('#f-to', '2024-12');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/from=2024-01/);
    await ready();
    expect(page.url()).toContain('to=2024-12');
    const periods = await page.locator('#outcomes details table tbody tr td:first-child').allTextContents();
    expect(periods.length).toBeGreaterThan(0);
    expect(periods.every((p) => p >= '2024-01' && p <= '2024-12')).toBe(true);
    const before = await page.locator('#outcomes details table').textContent();
    const url = page.url();
    await page.reload();
    await ready();
    expect(page.url()).toBe(url);
    expect(await page.locator('#f-from').inputValue()).toBe('2024-01');
    expect(await page.locator('#outcomes details table').textContent()).toBe(before);
    await shot('state-tx-2024');
  });

  it('saves a chart as a standalone SVG and as a PNG with its title and source', async () => {
    const [svgFile] = await Promise.all([page.waitForEvent('download'), page.locator('#outcomes button', { hasText: 'Download SVG' }).click()]);
    expect(svgFile.suggestedFilename()).toMatch(/^handoff_outcomes_state-TX_.*\.svg$/);
    const svg = readFileSync((await svgFile.path())!, 'utf8');
    const title = ((await page.locator('#outcomes-title').textContent()) ?? '').trim();
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain(`<title>${title}</title>`);
    // The page's styles travel with it: the bars carry their fills, and no class is left to look up.
    const rects = [...svg.matchAll(/<rect[^>]*>/g)].map((m) => m[0]);
    expect(rects.length, 'the chart has bars').toBeGreaterThan(5);
    expect(rects.filter((r) => /fill="(rgb|#|url\(#)/.test(r)).length, rects.slice(0, 3).join(' ')).toBeGreaterThan(5);
    // A pattern a bar points to (the hatch of a withheld cell) is inside the file.
    for (const [, id] of svg.matchAll(/fill="url\(#([^)]+)\)"/g)) expect(svg, id).toContain(`id="${id}"`);
    expect(svg).not.toMatch(/\sclass="/);
    const [pngFile] = await Promise.all([page.waitForEvent('download'), page.locator('#outcomes button', { hasText: 'Download PNG' }).click()]);
    expect(pngFile.suggestedFilename()).toMatch(/^handoff_outcomes_state-TX_.*\.png$/);
    const png = readFileSync((await pngFile.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const svgWidth = Number(svg.match(/<svg[^>]*\swidth="(\d+)"/)![1]);
    expect(width).toBe(2 * (Math.max(svgWidth, 320) + 24));
    expect(height).toBeGreaterThan(2 * Number(svg.match(/<svg[^>]*\sheight="(\d+)"/)![1]));
    expect(png.length, 'a drawn chart, not a blank page').toBeGreaterThan(10_000);
  });

  it('gives a citation of a chart: its title, release, definition and a permalink that pins the release', async () => {
    const box = page.locator('#outcomes details.cite');
    await box.locator('summary').click();
    const text = (await box.locator('.citation').textContent()) ?? '';
    const meta = (await (await page.request.get(`${stack.url}/api/releases.json`)).json()) as { rows: { release_id: string }[] };
    const title = ((await page.locator('#outcomes-title').textContent()) ?? '').trim();
    expect(text.slice(0, title.length + 12)).toBe(`Handoff, “${title}”.`);
    expect(text).toContain('synthetic demo data generated by Handoff, not ICE records');
    expect(text).toContain('Counts of 1 to 10');
    expect(meta.rows.some((r) => text.includes(`release ${r.release_id}`)), text).toBe(true);
    const link = text.match(/(http\S+#outcomes)/)?.[1];
    expect(link, text).toBeDefined();
    expect(new URL(link!).searchParams.get('release')).toMatch(/^r_/);
    expect(text).toMatch(/Definition: http\S+\/methodology#/);
    expect(text).toMatch(/\(accessed \d{4}-\d{2}-\d{2}\)\.$/);
  });

  it("downloads a chart's CSV that matches the API", async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#outcomes button', { hasText: 'Download CSV' }).click()]);
    // Named for the chart, place, grain and release; no comment lines (a spreadsheet reads them as rows).
    expect(download.suggestedFilename()).toMatch(/^handoff_outcomes_state-TX_[a-z_]+(_\d{4}-\d{2}){0,2}_r_[0-9a-f]+\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('#'))).toEqual([]);
    const header = lines[0]!.split(',');
    expect(header.slice(-2)).toEqual(['release_id', 'synthetic']);
    expect(lines.slice(1).every((l) => l.endsWith(',true')), 'every row says the demo is synthetic').toBe(true);
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    const apiHref = await page.locator('#outcomes a', { hasText: 'API CSV' }).getAttribute('href');
    const api = await (await page.request.get(`${stack.url}${apiHref!.replace('.csv', '.json')}`)).json();
    expect(rows.length).toBe(api.rows.length);
    api.rows.forEach((r: Record<string, unknown>, i: number) => {
      expect(rows[i]!.period).toBe(r.period);
      expect(rows[i]!.value).toBe(r.value);
      expect(rows[i]!.count).toBe(r.count === null ? '' : String(r.count));
      expect(rows[i]!.display).toBe(r.display);
    });
    // Withheld cells are never written as zero.
    for (const r of rows) if (r.withheld === 'true') expect(r.count).toBe('');
  });

  it('shows outcomes by the policy in force on a state page, each cell the API\'s row, on either date', async () => {
    await page.goto(`${stack.url}/state/TX`);
    await ready();
    const section = page.locator('#outcomes-by-regime');
    await section.waitFor();
    for (const by of ['regime_at_prepare', 'regime_at_lift']) {
      if (by === 'regime_at_lift') {
        await page.selectOption('#regime-date', by);
        await section.locator('caption', { hasText: 'the lift date' }).waitFor();
      }
      const api = (await (await browser.context.request.get(`${stack.url}/api/metrics/detainer_outcomes_by_regime.json?place=state:TX&grain=total&by=${by}`)).json()) as { rows: { regime: string; value: string; count: number | null; display: string }[] };
      const regimes = [...new Set(api.rows.map((r) => r.regime))];
      expect(await section.locator('tbody tr').count(), by).toBe(regimes.length);
      const outcomes = [...new Set(api.rows.map((r) => r.value))];
      for (const [i, regime] of regimes.entries()) {
        const cells = await section.locator('tbody tr').nth(i).locator('td').allTextContents();
        outcomes.forEach((o, k) => {
          const row = api.rows.find((r) => r.regime === regime && r.value === o)!;
          const text = cells[k + 1]!;
          if (row.count === null) expect(text, `${regime} ${o}`).toBe(row.display);
          else expect(text.replace(/\s*\(.*\)$/, '').replace(/,/g, ''), `${regime} ${o}`).toBe(String(row.count));
        });
      }
      expect(await section.locator('a', { hasText: 'API CSV' }).getAttribute('href')).toContain(`by=${by}`);
    }
  });

  it('shows removals after a detainer on a state page, each count the API\'s row', async () => {
    await page.goto(`${stack.url}/state/TX`);
    await ready();
    const api = (await (await browser.context.request.get(`${stack.url}/api/metrics/removals_after_detainer.json?place=state:TX&grain=total&by=detainer_link`)).json()) as { rows: { value: string; count: number | null; display: string }[] };
    expect(api.rows.map((r) => r.value)).toEqual(['after_detainer', 'no_detainer_found', 'no_identifier']);
    const rows = page.locator('#removals-after-detainer details.table-alt tbody tr');
    expect(await rows.count()).toBe(api.rows.length);
    for (const [i, r] of api.rows.entries()) {
      const cells = await rows.nth(i).locator('td').allTextContents();
      expect(cells[3]!.replace(/,/g, ''), r.value).toBe(r.count === null ? r.display : String(r.count));
    }
    expect(await page.locator('#removals-after-detainer svg').count()).toBeGreaterThan(0);
  });

  it('shows ICE arrests by setting and criminality on a state page, each cell the API\'s row, and community arrests by the latest earlier detainer', async () => {
    await page.goto(`${stack.url}/state/TX`);
    await ready();
    const section = page.locator('#arrests-setting');
    await section.waitFor();
    const get = async (metric: string) =>
      ((await (await browser.context.request.get(`${stack.url}/api/metrics/${metric}.json?place=state:TX&grain=total`)).json()) as {
        rows: { setting?: string; value: string; count: number | null; display: string; denominator: number | null; share: number | null }[];
      }).rows;
    const cross = await get('ice_arrests_by_setting_and_criminality');
    const settings = [...new Set(cross.map((r) => r.setting!))];
    expect(settings.length, 'Texas has ICE arrests in the demo').toBeGreaterThan(0);
    expect(await section.locator('tbody tr').count()).toBe(settings.length);
    const pct = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
    const exact = (n: number, share: number | null) => `${n.toLocaleString('en-US')}${share === null ? '' : ` (${pct.format(share)})`}`;
    for (const r of cross) {
      const text = (await section.locator(`tr[data-setting="${r.setting}"] td[data-value="${r.value}"]`).textContent())!;
      expect(text.replace(/\u00a0/g, ' '), `${r.setting} ${r.value}`).toBe(r.count === null ? r.display : exact(r.count, r.share));
      const den = r.denominator;
      if (den !== null) expect((await section.locator(`tr[data-setting="${r.setting}"] td[data-value="all"]`).textContent())!.replace(/,/g, '')).toBe(String(den));
    }
    const prior = await get('community_arrests_by_prior_detainer');
    for (const value of ['latest_detainer_not_transferred', 'no_detainer_found']) {
      const r = prior.find((x) => x.value === value)!;
      const text = (await section.locator(`li[data-value="${value}"]`).textContent())!.replace(/\u00a0/g, ' ');
      expect(text.endsWith(`: ${r.count === null ? r.display : exact(r.count, r.share)}`), `${value}: ${text}`).toBe(true);
    }
  });

  it('shows later arrests and removals within 90, 180 and 365 days on a state page, each cell the API\'s row over the same detainers', async () => {
    type Row = { value: string; count: number | null; display: string; share: number | null; counted_from: string | null; counted_to: string | null };
    let st = '';
    const get = async (metric: string, query: string) =>
      ((await (await browser.context.request.get(`${stack.url}/api/metrics/${metric}.json?place=state:${st}&grain=total${query}`)).json()) as { rows: Row[] }).rows;
    // The state of the demo with the most detainers that has a published 365-day share, so the curve is drawn.
    for (const candidate of ['CA', 'TX', 'FL', 'NY', 'AZ', 'GA', 'IL', 'NJ']) {
      st = candidate;
      if ((await get('later_arrests_after_non_transfer', '')).some((r) => r.share !== null)) break;
    }
    await page.goto(`${stack.url}/state/${st}`);
    await ready();
    const section = page.locator('#follow-up');
    await section.waitFor();
    const long = (await get('later_arrests_after_non_transfer', '&by=outcome')).find((r) => r.counted_to !== null);
    expect(long, 'the demo release has detainers with 365 days of follow-up').toBeDefined();
    const pct = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
    const exact = (r: Row) => (r.count === null ? r.display : `${r.count.toLocaleString('en-US')}${r.share === null ? '' : ` (${pct.format(r.share)})`}`);
    let exactCells = 0;
    for (const [kind, metric] of [['arrests', 'later_arrests_after_non_transfer'], ['removals', 'later_removals_after_non_transfer']] as const) {
      for (const days of ['90', '180', '365']) {
        const rows = await get(metric, `&from=${long!.counted_from}&to=${long!.counted_to}&follow_up_days=${days}`);
        for (const o of ['declined', 'lifted_by_ice', 'released_other']) {
          const r = rows.find((x) => x.value === o)!;
          const text = (await section.locator(`table[data-kind="${kind}"] tr[data-outcome="${o}"] td[data-window="${days}"]`).textContent())!.replace(/\u00a0/g, ' ');
          expect(text, `${kind} ${o} ${days}`).toBe(exact(r));
          if (r.count !== null) exactCells++;
        }
      }
    }
    expect(exactCells, 'some cells are published').toBeGreaterThan(0);
    // The convictions of those later arrested, under both violent sets, each cell the API's.
    for (const by of ['violent_ucr', 'violent_broad']) {
      const rows = (await get('later_arrests_by_conviction', `&by=${by}&from=${long!.counted_from}&to=${long!.counted_to}`)) as (Row & { outcome: string })[];
      for (const o of ['declined', 'lifted_by_ice', 'released_other', 'declined_or_released_other']) {
        const r = rows.find((x) => x.outcome === o && x.value === by)!;
        const text = (await section.locator(`table[data-kind="convictions"] tr[data-outcome="${o}"] td[data-value="${by}"]`).textContent())!.replace(/\u00a0/g, ' ');
        expect(text, `${by} ${o}`).toBe(exact(r));
      }
    }
    if (await section.locator('svg.curve').count()) expect(await section.locator('svg.curve').getAttribute('aria-label')).toMatch(/within 90, 180 and 365 days/);
    else expect(await section.textContent()).toMatch(/no curve is drawn/);
    await section.screenshot({ path: path.join(ARTIFACTS, 'state-follow-up.png') });
  });

  it('compares places on later arrests after a declined detainer within 90, 180 and 365 days, each cell the API\'s', async () => {
    await page.goto(`${stack.url}/compare?places=nation,state:TX`);
    await ready();
    const table = page.locator('#compare-headline table.compare');
    await table.waitFor();
    const pct = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
    type Row = { value: string; count: number | null; display: string; share: number | null; counted_from: string | null; counted_to: string | null };
    const rows = (q: string) => browser.context.request.get(`${stack.url}/api/metrics/later_arrests_after_non_transfer.json?grain=total&by=outcome${q}`).then(async (r) => ((await r.json()) as { rows: Row[] }).rows);
    for (const [col, place] of [[2, 'nation'], [3, 'state:TX']] as const) {
      const span = (await rows(`&place=${place}`)).find((r) => r.counted_to !== null);
      for (const d of ['90', '180', '365']) {
        const cell = ((await table.locator(`tr:has(th:text-is("Declined, then an ICE arrest within ${d} days")) td:nth-child(${col})`).textContent()) ?? '').replace(/\u00a0/g, ' ');
        if (!span) {
          expect(cell, `${place} ${d}`).toBe('—');
          continue;
        }
        const r = (await rows(`&place=${place}&from=${span.counted_from}&to=${span.counted_to}&follow_up_days=${d}`)).find((x) => x.value === 'declined')!;
        const count = r.count === null ? r.display : r.count.toLocaleString('en-US');
        expect(cell, `${place} ${d}`).toBe(`${count}${r.share === null ? '' : ` (${pct.format(r.share)})`}`);
      }
    }
  });

  it('lists the claims and shows one: its words, speaker and sources, and each figure the API\'s row', async () => {
    await page.goto(`${stack.url}/claims`);
    await ready();
    const list = (await (await browser.context.request.get(`${stack.url}/api/claims.json`)).json()) as { rows: { id: string; words: string }[] };
    expect(list.rows.length, 'reference/claims has claim files').toBeGreaterThan(0);
    expect(await page.locator('.claim-list > li').count()).toBe(list.rows.length);
    const id = list.rows[0]!.id;
    await page.locator(`li[data-claim="${id}"] a`).click();
    await ready();
    expect(page.url()).toBe(`${stack.url}/claims/${id}`);
    const api = (await (await browser.context.request.get(`${stack.url}/api/claims/${id}.json`)).json()) as {
      claim: {
        words: string;
        speaker: { name: string | null };
        sources: { url: string }[];
        statements: { id: string; testable: boolean; queries: string[] }[];
        queries: { id: string; not_available?: string; columns: string[]; rows: { count: number | null; display: string; citation?: string | null }[] }[];
      };
    };
    const c = api.claim;
    expect(await page.locator('blockquote.claim-words').textContent()).toBe(`“${c.words}”`);
    if (c.speaker.name) expect(await page.locator('main').textContent()).toContain(c.speaker.name);
    expect(await page.locator('#sources li').count()).toBe(c.sources.length);
    expect(await page.locator('#statements li[data-statement]').count()).toBe(c.statements.length);
    for (const st of c.statements) {
      const links = await page.locator(`li[data-statement="${st.id}"] a`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links, st.id).toEqual(st.testable ? st.queries.map((q) => `#q-${q}`) : []);
    }
    for (const q of c.queries) {
      const block = page.locator(`section[data-query="${q.id}"]`);
      if (q.not_available) {
        expect(await block.locator('.not-available').textContent()).toContain(q.not_available);
        continue;
      }
      expect(await block.locator('tbody tr').count(), q.id).toBe(q.rows.length);
      if (!q.columns.includes('count')) {
        // The policy in force: each row's citation is on the page as the API gives it.
        const text = (await block.textContent())!;
        for (const r of q.rows) if (r.citation) expect(text, q.id).toContain(r.citation);
        continue;
      }
      const counts = await block.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[2]?.textContent ?? ''));
      q.rows.forEach((r, i) => expect(counts[i]!.replace(/\s*\(.*\)$/, '').replace(/,/g, ''), `${q.id} row ${i}`).toBe(r.count === null ? r.display : String(r.count)));
    }
    expect(await page.locator('.source').textContent()).toContain('Synthetic demo data');
  });

  it('shades and names the partial periods the API lists, and no others', async () => {
    await page.goto(`${stack.url}/state/TX?grain=quarter`);
    await ready();
    const api = (await (await browser.context.request.get(`${stack.url}/api/metrics/detainer_outcomes.json?place=state:TX&grain=quarter&by=outcome`)).json()) as { meta: { partial_periods: string[]; coverage: { last_date: string } } };
    expect(api.meta.partial_periods.length, 'a synthetic release ends inside a quarter').toBeGreaterThan(0);
    const note = page.locator('#outcomes .partial-note');
    expect(await note.count()).toBe(1);
    const text = (await note.textContent()) ?? '';
    for (const p of api.meta.partial_periods) expect(text).toContain(p);
    expect(await page.locator('#outcomes svg text', { hasText: /^partial$/ }).count()).toBe(api.meta.partial_periods.length);
  });

  it('has no serious or critical axe violations on any page, and fits 375 px', async () => {
    const pages = ['/', '/state/MA', '/county/48201', '/facility/ZZZ', '/compare?places=state:MA,state:TX', '/methodology', '/about', '/claims', '/claims/ma-2025-05-dhs-sanctuary-releases'];
    const found: string[] = [];
    for (const p of pages) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${stack.url}${p}`);
      await ready();
      // addScriptTag({ path }) inserts an inline <script>, which the page's CSP (script-src 'self') refuses;
      // evaluating the file through the DevTools protocol is not subject to the page's CSP.
      await page.evaluate(AXE_SOURCE);
      // A string expression: the test program has no DOM types.
      const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
      for (const v of result.violations) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${p}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      await shot(`page-${p.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'nation'}`);
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
    expect(pageErrors).toEqual([]);
  });
});
