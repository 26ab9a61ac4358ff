/**
 * The place search in the header (web/src/search.ts), in a real browser (Debian Chromium): on every
 * page; a county found by part of its Census name, a facility by its code, a state by its postal
 * code; keyboard (arrows, Enter, Escape) and tap; only places /api/places.json lists; words when
 * nothing matches; axe clean and usable at 375 px. Expectations come from the API's rows and the
 * Census county list (src/geo), not from the search code.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { countyByFips } from '../../../src/geo/index.ts';
import { ARTIFACTS, AXE_SOURCE, ensureBuilt, hasChromium, launchChromium, type Stack, startStack, viewReady } from './stack.ts';


const SKIP = !hasChromium();
if (SKIP) console.warn('SKIPPED place search browser tests: /usr/bin/chromium is missing (apt-get install chromium).');

interface Place { place: string; level: string; name: string; label: string; state: string | null; county_fips: string | null }

describe.skipIf(SKIP)('place search in Chromium', () => {
  let stack: Stack;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let places: Place[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack({ scale: 0.005 });
    browser = await launchChromium();
    places = ((await (await browser.context.request.get(`${stack.url}/api/places.json`)).json()) as { rows: Place[] }).rows;
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const ready = () => viewReady(page);
  const box = () => page.locator('header.site input[role="combobox"]');
  const options = () => page.locator('#place-search-list [role="option"]');

  /** A county of the release, with its Census name and the word to type (unique enough to list it). */
  const aCounty = (): { row: Place; census: string } => {
    const row = places.find((p) => p.level === 'county' && /^\d{5}$/.test(p.county_fips ?? '') && countyByFips(p.county_fips!));
    expect(row, 'the demo release lists a county').toBeDefined();
    return { row: row!, census: countyByFips(row!.county_fips!)!.name };
  };

  it('is in the header of every page, labelled', async () => {
    for (const url of ['/', '/about', '/methodology', '/compare', '/state/MA']) {
      await page.goto(`${stack.url}${url}`);
      await ready();
      expect(await box().count(), url).toBe(1);
      expect(await page.locator('label[for="place-search"]').textContent(), url).toBe('Find a place');
    }
  });

  it('finds a county by part of its Census name and opens its page with Enter', async () => {
    const { row, census } = aCounty();
    await page.goto(`${stack.url}/`);
    await ready();
    const typed = census.split(' ')[0]!.slice(0, 5).toLowerCase();
    await box().fill(typed);
    await expect.poll(() => options().count()).toBeGreaterThan(0);
    expect(await box().getAttribute('aria-expanded')).toBe('true');
    const keys = await options().evaluateAll((els) => els.map((e) => e.getAttribute('data-place')));
    expect(keys.length).toBeLessThanOrEqual(10);
    // Every listed place is one the API publishes, and its words contain what was typed.
    for (const k of keys) expect(places.some((p) => p.place === k), String(k)).toBe(true);
    const i = keys.indexOf(row.place);
    if (i < 0) {
      // More than ten places share the start: the full name narrows it down.
      await box().fill(census);
      await expect.poll(() => options().evaluateAll((els) => els.map((e) => e.getAttribute('data-place')))).toContain(row.place);
    }
    const now = await options().evaluateAll((els) => els.map((e) => e.getAttribute('data-place')));
    for (let k = 0; k <= now.indexOf(row.place); k++) await box().press('ArrowDown');
    expect(await box().getAttribute('aria-activedescendant')).toBe(`place-search-opt-${now.indexOf(row.place)}`);
    expect(await page.locator(`#place-search-opt-${now.indexOf(row.place)}`).getAttribute('aria-selected')).toBe('true');
    await box().press('Enter');
    await page.waitForURL(new RegExp(`/county/${row.county_fips}$`));
    await ready();
    expect(await box().inputValue()).toBe('');
    expect(await page.locator('#place-search-list').isHidden()).toBe(true);
  });

  it('lists a county under its Census name and state, with its FIPS code', async () => {
    const { row, census } = aCounty();
    await box().fill(census);
    const opt = page.locator(`#place-search-list [data-place="${row.place}"]`);
    await opt.waitFor();
    expect(await opt.locator('.place-search-name').textContent()).toBe(`${census}, ${row.state}`);
    expect(await opt.locator('.place-search-detail').textContent()).toContain(`FIPS ${row.county_fips}`);
    await box().press('Escape');
    expect(await page.locator('#place-search-list').isHidden()).toBe(true);
    expect(await box().getAttribute('aria-expanded')).toBe('false');
  });

  it('finds a facility by its code and a state by its postal code, opened by a tap or click', async () => {
    const facility = places.find((p) => p.level === 'facility' && !p.place.startsWith('facility:none-') && !p.place.includes(' ('));
    expect(facility, 'the demo release lists a facility').toBeDefined();
    const code = facility!.place.slice('facility:'.length);
    await box().fill(code);
    const opt = page.locator(`#place-search-list [data-place="${facility!.place}"]`);
    await opt.waitFor();
    await opt.click();
    await page.waitForURL(new RegExp(`/facility/${encodeURIComponent(code)}$`));
    await ready();

    await box().fill('ma');
    const ma = page.locator('#place-search-list [data-place="state:MA"]');
    await ma.waitFor();
    expect(await options().first().getAttribute('data-place'), 'the exact postal code is listed first').toBe('state:MA');
    await box().press('Enter'); // no option active: the first match opens
    await page.waitForURL(/\/state\/MA$/);
    await ready();
  });

  it('says so in words when nothing matches, and never lists a place the API does not publish', async () => {
    await box().fill('zzzz qqqq');
    const empty = page.locator('#place-search-list .place-search-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toMatch(/No place/);
    expect(await options().count()).toBe(0);
    await box().fill('unknown');
    await page.waitForTimeout(150);
    const keys = await options().evaluateAll((els) => els.map((e) => e.getAttribute('data-place') ?? ''));
    expect(keys.filter((k) => /:(unknown|unmatched-|none-)/.test(k))).toEqual([]);
    await box().press('Escape');
  });

  it('is axe-clean with the list open, and fits a 375 px phone', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${stack.url}/`);
    await ready();
    await box().fill(aCounty().census.slice(0, 4));
    await options().first().waitFor();
    // Evaluated through the DevTools protocol: the page's CSP refuses an inline script (see dashboard.test.ts).
    await page.evaluate(AXE_SOURCE);
    const result = (await page.evaluate("axe.run('header.site', { resultTypes: ['violations'] })")) as { violations: { id: string; impact: string }[] };
    expect(result.violations.map((v) => `${v.id} (${v.impact})`)).toEqual([]);
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    const list = await page.locator('#place-search-list').boundingBox();
    expect(list!.x).toBeGreaterThanOrEqual(0);
    expect(list!.x + list!.width).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(ARTIFACTS, 'search-phone.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(pageErrors).toEqual([]);
  });
});
