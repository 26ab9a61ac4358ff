/**
 * First meaningful paint of the dashboard's nation page on localhost, measured in Debian Chromium
 * (playwright-core): the time from navigation start until the map and the national series are drawn
 * (polled every animation frame), plus First Contentful Paint and
 * the page's transfer sizes. Runs against DB (a database file) or a synthetic database built at SCALE
 * (0.005 by default).
 *
 *   node --import tsx scripts/bench-web.ts            # 5 runs, cold cache each run
 *   DB=/tmp/nat.duckdb node --import tsx scripts/bench-web.ts   # on a national-scale database
 */
import { ensureBuilt, hasChromium, launchChromium, startStack } from '../test/e2e/web/stack.ts';

const RUNS = Number(process.env.RUNS ?? 5);

async function main(): Promise<void> {
  if (!hasChromium()) {
    console.error('bench-web: /usr/bin/chromium is missing');
    process.exit(1);
  }
  ensureBuilt();
  const stack = await startStack({ scale: Number(process.env.SCALE ?? 0.005), ...(process.env.DB ? { dbPath: process.env.DB } : {}) });
  const { context, close } = await launchChromium();
  const results: { fcp: number; fmp: number; js: number }[] = [];
  try {
    // The server builds its publication cubes once after start (about 20 s at national scale), as a
    // running server would have; then one warm-up visit.
    const cubes = performance.now();
    await stack.api.holder.warm();
    console.log(`cubes ready in ${((performance.now() - cubes) / 1000).toFixed(1)} s`);
    const warm = await context.newPage();
    await warm.goto(`${stack.url}/`);
    await warm.waitForSelector('#map svg.map', { timeout: 120_000 });
    await warm.close();
    for (let i = 0; i < RUNS; i++) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      await page.goto(`${stack.url}/`, { waitUntil: 'commit' });
      // String expressions: this script's program has no DOM types. Polled every animation frame.
      const fmp = (await (
        await page.waitForFunction(
          () => {
            const d = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
            return d.querySelector('#map svg.map path.region') && d.querySelector('#national-outcomes svg') ? performance.now() : 0;
          },
          undefined,
          { polling: 'raf', timeout: 15_000 },
        )
      ).jsonValue()) as number;
      const m = (await page.evaluate(
        "({ fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN, js: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).reduce((n, r) => n + r.transferSize, 0) })",
      )) as { fcp: number; js: number };
      results.push({ ...m, fmp });
      await page.close();
    }
  } finally {
    await close();
    await stack.close();
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(JSON.stringify({ runs: results.length, first_contentful_paint_ms_median: Math.round(med(results.map((r) => r.fcp))), first_meaningful_paint_ms_median: Math.round(med(results.map((r) => r.fmp))), first_meaningful_paint_ms_max: Math.round(Math.max(...results.map((r) => r.fmp))), js_transfer_bytes: results[0]?.js, target_ms: 1000 }, null, 2));
}

void main();
