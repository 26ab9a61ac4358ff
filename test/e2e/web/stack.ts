/**
 * The stack the browser tests and scripts/bench-web.ts run against: a small synthetic database built
 * in a temp dir (or a given one), the API and dashboard from `startServer` on port 0, the dashboard
 * built if web/dist is missing, and Debian's Chromium through playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildDemo } from '../../../src/cli/commands/demo.ts';
import { startServer, type RunningServer } from '../../../src/cli/commands/serve.ts';
import { isWebStale } from '../../../src/cli/build-web.ts';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO, 'test-artifacts', 'screenshots');
export const hasChromium = (): boolean => existsSync(CHROMIUM);

/** Builds web/dist with Vite when it is missing or older than a file under web/ (or when `force`). */
export function ensureBuilt(force = false): void {
  if (!force && !isWebStale()) return;
  execFileSync(process.execPath, [path.join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
}

export interface Stack {
  /** Base URL of the dashboard (and the API under /api). */
  url: string;
  api: RunningServer;
  close(): Promise<void>;
}

const quiet = { write: () => true, isTTY: false } as never;

/**
 * Serves the dashboard and the API on `dbPath`, or on a synthetic database (scale 0.005 by default)
 * built in a temp dir.
 */
export async function startStack(opts: { scale?: number; seed?: number; dbPath?: string } = {}): Promise<Stack> {
  let dir: string | undefined;
  let dbPath = opts.dbPath;
  if (!dbPath) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-web-'));
    dbPath = path.join(dir, 'demo.duckdb');
    await buildDemo({ seed: opts.seed ?? 1, scale: opts.scale ?? 0.005, outDir: path.join(dir, 'release'), dbPath, stderr: quiet, now: () => new Date('2025-08-01T00:00:00Z') });
  }
  const api = await startServer({ dbPath, port: 0, host: '127.0.0.1' });
  return {
    url: api.url,
    api,
    close: async () => {
      await api.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches Debian's Chromium headless with a fresh profile directory (a persistent context in a temp dir). */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'handoff-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the view has drawn: the router marks <html data-view> 'loading' while a view fetches
 * and draws, then 'ready' (networkidle alone is already reached after a client-side navigation).
 */
export async function viewReady(page: Page): Promise<void> {
  await page.waitForSelector('html[data-view="ready"] main h1');
  await page.waitForLoadState('networkidle');
}

/** axe-core's script, evaluated through the DevTools protocol (the page's CSP refuses an inline script). */
export const AXE_SOURCE = readFileSync(path.join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8');
