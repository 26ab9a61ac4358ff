/**
 * The static server of the dashboard (src/api/routes/static.ts): confinement to web/dist, SPA
 * fallback, security headers, and the size of the JavaScript a first visit loads.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { confinePath, staticRoutes, WEB_DIST } from '../../../src/api/routes/static.ts';
import { ensureBuilt } from './stack.ts';

const JS_BUDGET_GZ = 250 * 1024;

describe('static dashboard server', () => {
  beforeAll(() => ensureBuilt(), 120_000);
  const app = staticRoutes();

  it('serves index.html with a strict CSP and no inline script', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain('<script type="module"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script has a src
    expect(html).not.toMatch(/\sstyle="/);
  });

  it('falls back to index.html for dashboard routes (permalinks)', async () => {
    for (const p of ['/state/MA', '/county/25025', '/facility/ABC', '/compare?places=state:MA,state:TX', '/methodology']) {
      const res = await app.request(p);
      expect(res.status, p).toBe(200);
      expect(await res.text()).toContain('id="banner"');
    }
  });

  it('serves hashed assets with long caching and gzip', async () => {
    const html = readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const res = await app.request(js, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('answers path traversal attempts with 404', async () => {
    const attempts = [
      '/..%2f..%2fpackage.json',
      '/%2e%2e/package.json',
      '/%2e%2e/%2e%2e/package.json',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/..%5c..%5cpackage.json',
      '/%252e%252e/package.json',
      '/index.html%00.js',
      '/../../package.json',
      '/assets/../../../package.json',
    ];
    for (const p of attempts) {
      const res = await app.request(`http://localhost${p}`);
      expect(res.status, p).toBe(404);
      const body = await res.text();
      expect(body, p).not.toContain('"dependencies"');
      expect(res.headers.get('content-security-policy'), p).toContain("default-src 'self'");
    }
    expect(confinePath(WEB_DIST, '/..%2fpackage.json')).toBeNull();
    expect(confinePath(WEB_DIST, '/%2e%2e/package.json')).toBeNull();
    expect(confinePath(WEB_DIST, '/assets/x.js')).toBe(path.join(WEB_DIST, 'assets/x.js'));
  });

  it('404s missing files and leaves /api to the API', async () => {
    expect((await app.request('/assets/missing.js')).status).toBe(404);
    expect((await app.request('/nope.png')).status).toBe(404);
    expect((await app.request('/api/metrics/nothing.json')).status).toBe(404);
  });

  it(`loads under ${JS_BUDGET_GZ / 1024} KB of gzipped JavaScript on first visit`, () => {
    const html = readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    const gz = scripts.reduce((n, s) => n + gzipSync(readFileSync(path.join(WEB_DIST, s))).length, 0);
    console.log(`first-load JavaScript: ${scripts.length} file(s), ${(gz / 1024).toFixed(1)} KB gzipped`);
    expect(gz).toBeLessThan(JS_BUDGET_GZ);
  });
});
