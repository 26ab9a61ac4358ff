/**
 * The API documentation page (/api/docs) in a real browser (Debian Chromium via playwright-core), on
 * a 375 px-wide phone: its stylesheet loads under the strict CSP (no violation), the page does not
 * scroll sideways, no parameter table or code sticks out of the page, and every anchor of the table
 * of contents names an element that following the link brings into view.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, hasChromium, launchChromium, startStack, type Stack } from './stack.ts';

const SKIP = !hasChromium();
if (SKIP) console.warn('SKIPPED API docs browser tests: /usr/bin/chromium is missing (apt-get install chromium).');

const PHONE = { width: 375, height: 800 };

describe.skipIf(SKIP)('/api/docs on a phone in Chromium', () => {
  let stack: Stack;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The page is the API's own: the dashboard build is not needed.
    stack = await startStack({ scale: 0.002 });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${m.text()} ${m.location().url}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('loads with its stylesheet applied and no CSP violation', async () => {
    await page.goto(`${stack.url}/api/docs`);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('h1').textContent()).toBe('Handoff API');
    // The sheet is applied: main has its measure and code its wrapping rule.
    const style = (await page.evaluate(`(() => {
      const main = getComputedStyle(document.querySelector('main'));
      const code = getComputedStyle(document.querySelector('code'));
      return { sheets: document.styleSheets.length, wrap: code.overflowWrap, padding: main.paddingLeft };
    })()`)) as { sheets: number; wrap: string; padding: string };
    expect(style.sheets).toBe(1);
    expect(style.wrap).toBe('anywhere');
    expect(style.padding).not.toBe('0px');
    await page.screenshot({ path: path.join(ARTIFACTS, 'api-docs-phone.png'), fullPage: false });
  });

  it('does not scroll sideways at 375 px, and no element reaches past the right edge', async () => {
    await page.goto(`${stack.url}/api/docs`);
    await page.waitForLoadState('networkidle');
    const m = (await page.evaluate(`(() => {
      const s = document.scrollingElement;
      const width = s.clientWidth;
      const over = [...document.querySelectorAll('main *')]
        .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1 && !el.closest('.table-scroll'); })
        .slice(0, 5)
        .map((el) => el.tagName + (el.id ? '#' + el.id : '') + ': ' + (el.textContent || '').slice(0, 60));
      const boxes = [...document.querySelectorAll('.table-scroll')].filter((b) => b.getBoundingClientRect().right > width + 1).length;
      return { scrollWidth: s.scrollWidth, clientWidth: width, over, boxes };
    })()`)) as { scrollWidth: number; clientWidth: number; over: string[]; boxes: number };
    expect(m.clientWidth).toBeLessThanOrEqual(PHONE.width);
    expect(m.scrollWidth, `page ${m.scrollWidth} px wide in a ${m.clientWidth} px viewport`).toBeLessThanOrEqual(m.clientWidth);
    expect(m.over).toEqual([]);
    expect(m.boxes).toBe(0);
  });

  it('every parameter table fits its box at 375 px (one card per parameter, nothing to scroll)', async () => {
    const wide = (await page.evaluate(`[...document.querySelectorAll('.table-scroll')].filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.closest('section').id)`)) as string[];
    expect(wide).toEqual([]);
  });

  it('every anchor of the table of contents names an element, and following one brings it into view', async () => {
    await page.goto(`${stack.url}/api/docs`);
    await page.waitForLoadState('networkidle');
    const hrefs = (await page.locator('nav#contents a[href^="#"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) as string[];
    expect(hrefs.length).toBeGreaterThan(10);
    const missing = (await page.evaluate(`((hrefs) => hrefs.filter((h) => !document.getElementById(decodeURIComponent(h.slice(1)))))(${JSON.stringify(hrefs)})`)) as string[];
    expect(missing).toEqual([]);
    for (const href of [hrefs.find((h) => h.startsWith('#route-'))!, hrefs[hrefs.length - 1]!]) {
      await page.locator(`nav#contents a[href="${href}"]`).click();
      await page.waitForURL(new RegExp(`${href}$`));
      const top = (await page.locator(href).evaluate((el) => el.getBoundingClientRect().top)) as number;
      expect(top, href).toBeGreaterThanOrEqual(-1);
      expect(top, href).toBeLessThan(PHONE.height - 20);
    }
  });

  it('a worked example link answers', async () => {
    await page.goto(`${stack.url}/api/docs`);
    const href = (await page.locator('a.example').first().getAttribute('href'))!;
    const res = await page.request.get(`${stack.url}${href}`);
    expect(res.status(), href).toBe(200);
  });

  it('raised no page error, console error or failed request', () => {
    expect(problems).toEqual([]);
  });
});
