/**
 * The README's screenshots, from the demo database (`npm start` builds it): the nation page and
 * Massachusetts, 1280 x 800, in Debian's Chromium. Usage:
 *   node --import tsx scripts/screenshots.ts [--db handoff.duckdb]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startServer } from '../src/cli/commands/serve.ts';
import { ensureWebBuilt } from '../src/cli/build-web.ts';

const { values } = parseArgs({ options: { db: { type: 'string', default: 'handoff.duckdb' } } });
const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;

await ensureWebBuilt((line) => process.stderr.write(line));
const server = await startServer({ dbPath: path.resolve(values.db!), port: 0 });
await server.holder.warm();
const context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'handoff-shots-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
try {
  const page = await context.newPage();
  for (const [url, name] of [['/', 'nation'], ['/state/MA?grain=quarter', 'state-ma']] as const) {
    await page.goto(server.url + url);
    await page.waitForSelector('html[data-view="ready"] main h1', { timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(OUT, `${name}.png`) });
    console.log(`wrote docs/screenshots/${name}.png`);
  }
} finally {
  await context.close();
  await server.close();
}
