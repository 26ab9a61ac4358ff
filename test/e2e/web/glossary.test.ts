/**
 * Plain words in a real browser (Debian Chromium via playwright-core): the About page and its glossary
 * (web/src/glossary.ts), one anchor per entry; labels, legends and headings link to glossary entries
 * that exist; no raw snake_case code is visible as text on the nation page or a state page.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { GLOSSARY } from '../../../web/src/glossary.ts';
import { ARTIFACTS, ensureBuilt, hasChromium, launchChromium, type Stack, startStack, viewReady } from './stack.ts';

const SKIP = !hasChromium();
if (SKIP) console.warn('SKIPPED glossary browser tests: /usr/bin/chromium is missing (apt-get install chromium).');

/** The terms the brief asks the glossary to define, by entry id. */
const REQUIRED = ['detainer', 'i-247a', 'i-247n', 'i-247g', 'lift-reason', '287g', '287g-jail', '287g-task-force', '287g-wso', 'at-large', 'custodial', 'release', 'fiscal-year', 'withheld', 'at-least', 'not-available', 'transferred', 'declined', 'violent-ucr', 'violent-broad'];

/** Words with an underscore between letters: a code shown as a label (e.g. transferred_to_ice). */
const SNAKE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;

describe.skipIf(SKIP)('glossary and plain labels in Chromium', () => {
  let stack: Stack;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack({ scale: 0.005 });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const ready = () => viewReady(page);

  /** Glossary hrefs (`/about#g-…`) of links inside main on the current page. */
  const termHrefs = async (): Promise<string[]> => page.locator('main a[href^="/about#g-"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));

  it('the glossary data has every required term, unique ids, and no empty definition', () => {
    const ids = GLOSSARY.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(REQUIRED.filter((id) => !ids.includes(id))).toEqual([]);
    for (const e of GLOSSARY) expect(e.definition.length, e.id).toBeGreaterThan(40);
  });

  it('loads the About page, reached from the main navigation, with one anchor per glossary entry', async () => {
    await page.goto(`${stack.url}/`);
    await ready();
    await page.locator('header nav a', { hasText: 'About the data' }).click();
    await page.waitForURL(/\/about$/);
    await ready();
    expect(await page.locator('h1').textContent()).toBe('About the data');
    for (const e of GLOSSARY) {
      const dt = page.locator(`dl.glossary dt#g-${e.id}`);
      expect(await dt.count(), e.id).toBe(1);
      expect(await dt.textContent()).toBe(e.term);
    }
    expect(await page.locator('dl.glossary dt').count()).toBe(GLOSSARY.length);
    await page.screenshot({ path: path.join(ARTIFACTS, 'about.png'), fullPage: true });
  });

  it('a glossary link opened directly scrolls to its entry', async () => {
    await page.goto(`${stack.url}/about#g-withheld`);
    await ready();
    const top = (await page.locator('#g-withheld').evaluate((el) => el.getBoundingClientRect().top)) as number;
    const height = (await page.evaluate('window.innerHeight')) as number;
    expect(await page.evaluate('window.scrollY')).toBeGreaterThan(0);
    expect(top).toBeGreaterThanOrEqual(-1);
    expect(top).toBeLessThan(height - 20);
  });

  for (const [name, url, expected] of [
    ['nation', '/', ['detainer', 'outcome', 'transferred', 'declined', 'withheld']],
    ['state', '/state/MA', ['detainer', 'outcome', 'transferred', 'declined', 'at-large', 'custodial', '287g', '287g-jail', 'fiscal-year']],
  ] as const) {
    it(`links labels on the ${name} page to glossary entries that exist`, async () => {
      await page.goto(`${stack.url}${url}`);
      await ready();
      const hrefs = await termHrefs();
      const ids = new Set(GLOSSARY.map((e) => e.id));
      const targets = [...new Set(hrefs.map((h) => h.replace('/about#g-', '')))];
      expect(targets.filter((t) => !ids.has(t))).toEqual([]);
      for (const id of expected) expect(targets, `${url} links to g-${id}`).toContain(id);
      // A legend entry links to its term (the outcome legend of the series chart).
      const legendSel = name === 'nation' ? '#national-outcomes ul.legend a[href^="/about#g-"]' : '#outcomes ul.legend a[href^="/about#g-"]';
      expect(await page.locator(legendSel).count()).toBeGreaterThan(0);
      // Following a link lands on the entry, in place.
      await page.locator('main a[href="/about#g-detainer"]').first().click();
      await page.waitForURL(/\/about#g-detainer$/);
      await ready();
      expect(await page.locator('#g-detainer').isVisible()).toBe(true);
    });

    it(`shows no raw snake_case code as visible text on the ${name} page`, async () => {
      await page.goto(`${stack.url}${url}`);
      await ready();
      // innerText is the rendered text: closed <details> tables and hidden nodes are not in it.
      const text = (await page.evaluate("document.getElementById('main').innerText")) as string;
      // Release ids (r_ and hex digits) are identifiers a reader cites, not labels.
      const codes = [...new Set(text.match(SNAKE) ?? [])].filter((c) => !/^r_[0-9a-f]{8,}$/.test(c));
      const where = codes.map((c) => text.slice(Math.max(0, text.indexOf(c) - 60), text.indexOf(c) + c.length + 20).replace(/\s+/g, ' '));
      expect(codes, `${url}: ${where.join(' | ')}`).toEqual([]);
    });
  }

  it('shows no raw snake_case code as visible text on the county, compare and policy-map views', async () => {
    for (const url of ['/county/48201', '/compare?places=state:MA,state:TX', '/?metric=policy']) {
      await page.goto(`${stack.url}${url}`);
      await ready();
      const text = (await page.evaluate("document.getElementById('main').innerText")) as string;
      const codes = [...new Set(text.match(SNAKE) ?? [])].filter((c) => !/^r_[0-9a-f]{8,}$/.test(c));
      expect(codes, url).toEqual([]);
    }
  });

  it('names both violent sets in words on the methodology page, linked to their entries', async () => {
    await page.goto(`${stack.url}/methodology`);
    await ready();
    expect(await page.locator('main a[href="/about#g-violent-ucr"]', { hasText: 'Violent offense (UCR set)' }).count()).toBeGreaterThan(0);
    expect(await page.locator('main a[href="/about#g-violent-broad"]', { hasText: 'Violent offense (broad set)' }).count()).toBeGreaterThan(0);
    expect(await page.locator('main', { hasText: 'violent_ucr: violent_ucr' }).count()).toBe(0);
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
