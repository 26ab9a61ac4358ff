/**
 * The stack the browser tests and scripts/bench-web.ts run against: a small synthetic database built
 * in a temp dir, the API from `startServer` on port 0, the dashboard built if web/dist is missing,
 * and Debian's Chromium through playwright-core.
 *
 * Until app.ts mounts `staticRoutes()`, the API server does not serve the dashboard; then a front
 * server on another port serves web/dist and passes /api/* to the API (node:http, no fetch).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildDemo } from '../../../src/cli/commands/demo.ts';
import { startServer, type RunningServer } from '../../../src/cli/commands/serve.ts';
import { staticRoutes, WEB_DIST } from '../../../src/api/routes/static.ts';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO, 'test-artifacts', 'screenshots');
export const hasChromium = (): boolean => existsSync(CHROMIUM);

/** Builds web/dist with Vite when it is missing (or when `force`). */
export function ensureBuilt(force = false): void {
  if (!force && existsSync(path.join(WEB_DIST, 'index.html'))) return;
  execFileSync(process.execPath, [path.join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
}

export interface Stack {
  /** Base URL of the dashboard (and the API under /api). */
  url: string;
  api: RunningServer;
  close(): Promise<void>;
}

const quiet = { write: () => true, isTTY: false } as never;

/** Builds a synthetic database (scale 0.005 by default) and serves the dashboard and the API. */
export async function startStack(opts: { scale?: number; seed?: number } = {}): Promise<Stack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-web-'));
  const dbPath = path.join(dir, 'demo.duckdb');
  await buildDemo({ seed: opts.seed ?? 1, scale: opts.scale ?? 0.005, outDir: path.join(dir, 'release'), dbPath, stderr: quiet, now: () => new Date('2025-08-01T00:00:00Z') });
  const api = await startServer({ dbPath, port: 0, host: '127.0.0.1' });
  const shell = await get(`${api.url}/state/MA`);
  if (shell.status === 200 && String(shell.headers['content-type']).startsWith('text/html') && shell.body.includes('id="banner"')) {
    return { url: api.url, api, close: async () => { await api.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  // The API does not serve the dashboard yet: serve web/dist here and pass /api/* through.
  const target = new URL(api.url);
  const front = new Hono();
  front.all('/api/*', (c) => proxy(c.req.raw, target));
  front.route('/', staticRoutes());
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: front.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    api,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

function proxy(req: Request, target: URL): Promise<Response> {
  const u = new URL(req.url);
  return new Promise((resolve, reject) => {
    const out = http.request({ host: target.hostname, port: target.port, path: u.pathname + u.search, method: req.method, headers: { accept: req.headers.get('accept') ?? '*/*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string' && k !== 'transfer-encoding' && k !== 'connection') headers.set(k, v);
        resolve(new Response(res.statusCode === 304 ? null : new Uint8Array(Buffer.concat(chunks)), { status: res.statusCode ?? 502, headers }));
      });
    });
    out.on('error', reject);
    out.end();
  });
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
