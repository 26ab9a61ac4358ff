/**
 * The /api/docs page (src/api/docs-page.ts) against the route registry and the served OpenAPI
 * document: every route has a section, a contents entry and a worked example that answers; every
 * parameter says where it goes, its type, whether it is required, its default and its allowed values,
 * and an enum lists all of its values; every contents anchor names an element; the page has no script
 * and no inline style, and its stylesheet is served under the same strict headers.
 */
import { describe, expect, test } from 'vitest';
import { DOCS_CSS_PATH, exampleUrl, routeAnchor } from '../../src/api/docs-page.ts';
import { ROUTES } from '../../src/api/registry.ts';
import { CSP } from '../../src/api/security.ts';
import { METRICS } from '../../src/metrics/index.ts';
import { useFixtureApps } from './fixture-apps.ts';

const fixture = useFixtureApps('handoff-docs-page-');

interface OpenApiParam {
  name: string;
  in: 'path' | 'query';
  schema?: { enum?: string[] };
}

const page = async (): Promise<string> => {
  const res = await fixture.pub.request('/api/docs');
  expect(res.status).toBe(200);
  return res.text();
};

/** The HTML of the element that opens with `id="…"`, up to its section's end. */
function sectionOf(html: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  expect(at, `no element with id ${id}`).toBeGreaterThan(-1);
  return html.slice(at, html.indexOf('</section>', at));
}

/** The row of parameter `name` in a route's section. */
function paramRow(section: string, name: string): string {
  const at = section.indexOf(`<tr data-param="${name}"`);
  expect(at, `no row for parameter ${name}`).toBeGreaterThan(-1);
  return section.slice(at, section.indexOf('</tr>', at));
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('/api/docs', () => {
  test('has no script and no inline style, and links its same-origin stylesheet', async () => {
    const html = await page();
    expect(html).not.toMatch(/<script|style=|<style/i);
    expect(html).toContain(`<link rel="stylesheet" href="${DOCS_CSS_PATH}">`);
    // No favicon request to a dashboard file the API cannot promise (img-src allows data:).
    expect(html).toContain('<link rel="icon" href="data:,">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  test('its stylesheet is served as CSS under the unchanged CSP, and wraps code anywhere', async () => {
    const res = await fixture.pub.request(DOCS_CSS_PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const css = await res.text();
    expect(css).toMatch(/code\s*\{[^}]*overflow-wrap:\s*anywhere/);
    expect(css).toMatch(/overflow-x:\s*auto/);
    expect((await fixture.pub.request(`${DOCS_CSS_PATH}?x=1`)).status).toBe(400);
  });

  test('every contents anchor names exactly one element; ids are unique', async () => {
    const html = await page();
    const nav = html.slice(html.indexOf('<nav id="contents"'), html.indexOf('</nav>'));
    const anchors = [...nav.matchAll(/href="#([^"]+)"/g)].map((m) => unescape(m[1]!));
    expect(anchors.length).toBeGreaterThanOrEqual(ROUTES.length + METRICS.length);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => unescape(m[1]!));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(anchors.filter((a) => !ids.includes(a))).toEqual([]);
    for (const r of ROUTES) expect(anchors, r.path).toContain(routeAnchor(r));
    // The dashboard and `meta.definition_url` link to /api/docs#<metric id>.
    for (const m of METRICS) expect(anchors, m.id).toContain(m.id);
  });

  test('every route has a worked example, linked, that answers 200 with the format it says', async () => {
    const html = await page();
    for (const r of ROUTES) {
      const section = sectionOf(html, routeAnchor(r));
      const link = /<a class="example" href="([^"]+)">/.exec(section);
      expect(link, `${r.path} has no example link`).not.toBeNull();
      const url = unescape(link![1]!);
      expect(url).toBe(exampleUrl(r));
      expect(url.startsWith(r.path.slice(0, r.path.search(/\{|\.[a-z]+$/)))).toBe(true);
      expect(url, `${r.path}: a path parameter has no example`).not.toMatch(/[{}]/);
      const res = await fixture.pub.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toContain({ csv: 'text/csv', html: 'text/html', css: 'text/css', json: 'application/json' }[r.format]);
      // Every query parameter with an example value is in the example, so the example shows them at work.
      for (const p of r.params.filter((q) => q.in === 'query' && q.example !== undefined)) expect(url, `${r.path} ${p.name}`).toContain(`${p.name}=`);
    }
  });

  test('every parameter has its place, type, required, default and allowed values; an enum lists every value', async () => {
    const html = await page();
    const openapi = (await (await fixture.pub.request('/api/openapi.json')).json()) as { paths: Record<string, { get: { parameters: OpenApiParam[] } }> };
    for (const r of ROUTES) {
      const section = sectionOf(html, routeAnchor(r));
      for (const p of openapi.paths[r.path]!.get.parameters) {
        const row = paramRow(section, p.name);
        for (const label of ['Name', 'In', 'Type', 'Required', 'Default', 'Allowed values', 'Description']) expect(row, `${r.path} ${p.name} ${label}`).toContain(`data-label="${label}"`);
        expect(row).toContain(`data-label="Required">${p.in === 'path' ? 'yes' : 'no'}<`);
        if (p.schema?.enum) {
          expect(p.schema.enum.length, `${r.path} ${p.name}: an enum with no values`).toBeGreaterThan(0);
          const allowed = row.slice(row.indexOf('class="allowed"'));
          for (const v of p.schema.enum) expect(allowed, `${r.path} ${p.name}`).toContain(`<code>${v}</code>`);
        }
      }
    }
  });

  test("a metric route's by lists each metric's values, and grain its grains", async () => {
    const html = await page();
    for (const r of ROUTES.filter((x) => x.params.some((p) => p.name === 'metric'))) {
      const section = sectionOf(html, routeAnchor(r));
      const by = paramRow(section, 'by');
      for (const m of METRICS) {
        const line = by.slice(by.indexOf(`<a href="#${m.id}">`), by.indexOf('</li>', by.indexOf(`<a href="#${m.id}">`)));
        for (const b of m.by) expect(line, `${m.id} by ${b}`).toContain(`<code>${b}</code>`);
      }
      expect(paramRow(section, 'grain')).toContain('<code>month</code>');
    }
  });

  test("every metric's section names its breakdowns and links a JSON and a CSV example that answer", async () => {
    const html = await page();
    for (const m of METRICS) {
      const section = sectionOf(html, m.id);
      for (const b of m.by) expect(section, `${m.id} ${b}`).toContain(`<code>${b}</code>`);
      const links = [...section.matchAll(/<a href="(\/api\/metrics\/[^"]+)">/g)].map((x) => unescape(x[1]!));
      expect(links.map((l) => l.replace(/\?.*$/, '')).sort()).toEqual([`/api/metrics/${m.id}.csv`, `/api/metrics/${m.id}.json`]);
      for (const l of links) expect((await fixture.pub.request(l)).status, l).toBe(200);
    }
  });
});
