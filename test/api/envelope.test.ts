/**
 * The API contract: one success envelope and one error envelope on every route, security headers
 * everywhere, OpenAPI = the route list, CSV = JSON, 400 lists valid parameters, private mode flagged.
 */
import { describe, expect, test } from 'vitest';
import { csvCell } from '../../src/api/csv.ts';
import { ROUTES } from '../../src/api/registry.ts';
import { METRICS } from '../../src/metrics/index.ts';
import { useFixtureApps } from './fixture-apps.ts';
import { DEMO, MAIN } from '../metrics/fixture.ts';

const now = () => new Date('2025-07-01T12:00:00Z');
const fixture = useFixtureApps('handoff-api-', now);

function checkHeaders(res: Response) {
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

function checkSuccess(body: Record<string, unknown>, mode: 'public' | 'private') {
  expect(body.ok).toBe(true);
  expect(Array.isArray(body.rows)).toBe(true);
  const meta = body.meta as Record<string, unknown>;
  for (const k of ['metric', 'definition_url', 'releases', 'synthetic', 'mode', 'suppression', 'generated_at']) expect(meta).toHaveProperty(k);
  expect(meta.mode).toBe(mode);
  if (mode === 'private') expect(String(meta.notice)).toMatch(/PRIVATE MODE/);
  if (meta.synthetic) expect(String(meta.synthetic_label)).toContain('synthetic demo data');
}

function checkError(body: Record<string, unknown>, status: number) {
  expect(Object.keys(body).sort()).toEqual(['error', 'errors', 'ok', 'status']);
  expect(body.ok).toBe(false);
  expect(body.status).toBe(status);
}

describe('every route', () => {
  for (const route of ROUTES) {
    test(`${route.example} (public and private)`, async () => {
      for (const [app, mode] of [[fixture.pub, 'public'], [fixture.priv, 'private']] as const) {
        const res = await app.request(route.example);
        expect(res.status).toBe(200);
        checkHeaders(res);
        if (mode === 'private') expect(res.headers.get('x-handoff-mode')).toBe('private');
        if (route.format === 'json' && route.path !== '/api/openapi.json') checkSuccess((await res.json()) as Record<string, unknown>, mode);
        if (route.format === 'csv') {
          const text = await res.text();
          expect(res.headers.get('content-type')).toContain('text/csv');
          if (mode === 'private') expect(text).toMatch(/PRIVATE MODE/);
        }
        if (route.format === 'html') expect(await res.text()).not.toMatch(/<script|style=/i);
        if (route.format === 'css') expect(res.headers.get('content-type')).toContain('text/css');
      }
    });
  }

  test('every metric answers in JSON with its definition', async () => {
    for (const m of METRICS) {
      const res = await fixture.pub.request(`/api/metrics/${m.id}.json?grain=quarter`);
      expect(res.status, m.id).toBe(200);
      const body = (await res.json()) as Record<string, any>;
      checkSuccess(body, 'public');
      expect(body.meta.metric).toBe(m.id);
      // The fixture's only removals are in its synthetic demo release, the newest with removals.
      const removals = m.universe === 'removals';
      expect(body.meta.releases.map((r: any) => r.release_id)).toEqual([removals ? DEMO : MAIN]);
      expect(body.meta.synthetic).toBe(removals);
      for (const row of body.rows) expect(Object.keys(row)).toEqual(m.columns);
    }
  });
});

describe('errors', () => {
  test('404, 400 with valid parameters, 405, and the same envelope', async () => {
    let res = await fixture.pub.request('/api/nope.json');
    checkHeaders(res);
    checkError((await res.json()) as Record<string, unknown>, 404);
    res = await fixture.pub.request('/api/metrics/not_a_metric.json');
    checkError((await res.json()) as Record<string, unknown>, 404);
    res = await fixture.pub.request('/api/metrics/detainers_issued.json?plaec=state:MA');
    const body = (await res.json()) as Record<string, any>;
    checkError(body, 400);
    expect(body.errors.join(' ')).toContain('place, grain, from, to, by, release');
    res = await fixture.pub.request('/api/metrics/detainers_issued.json?from=2024-10-15');
    checkError((await res.json()) as Record<string, unknown>, 400);
    res = await fixture.pub.request('/api/metrics/detainers_issued.json?by=nope');
    expect(((await res.json()) as any).errors.join(' ')).toContain('criminality');
    res = await fixture.pub.request('/api/releases.json', { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    checkHeaders(res);
    checkError((await res.json()) as Record<string, unknown>, 405);
    res = await fixture.pub.request('/api/metrics/detainers_issued.json?release=r_missing');
    checkError((await res.json()) as Record<string, unknown>, 404);
    // A malformed percent-escape in a name is an unknown resource, not an internal error.
    for (const url of ['/api/metrics/%ZZ.json', '/api/policies/%ZZ.json', '/api/claims/%E0%A4%A.json']) {
      res = await fixture.pub.request(url);
      checkHeaders(res);
      checkError((await res.json()) as Record<string, unknown>, 404);
    }
    // Territories are places like the states.
    res = await fixture.pub.request('/api/metrics/detainers_issued.json?place=state:GU&grain=total');
    expect(res.status).toBe(200);
  });
});

describe('contract', () => {
  test('OpenAPI lists exactly the routes', async () => {
    const doc = (await (await fixture.pub.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).sort()).toEqual(ROUTES.map((r) => r.path).sort());
  });

  test('CSV and JSON of the same request agree', async () => {
    const q = '?place=state:MA&grain=fiscal_year&by=criminality';
    const json = (await (await fixture.pub.request(`/api/metrics/detainers_issued.json${q}`)).json()) as { rows: Record<string, unknown>[]; columns: string[] };
    const csv = await (await fixture.pub.request(`/api/metrics/detainers_issued.csv${q}`)).text();
    const lines = csv.trimEnd().split('\r\n').filter((l) => !l.startsWith('#'));
    expect(lines[0]).toBe(json.columns.join(','));
    expect(lines.length - 1).toBe(json.rows.length);
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',');
      json.columns.forEach((c, k) => {
        const v = json.rows[i]![c];
        expect(cells[k]).toBe(v === null ? '' : String(v));
      });
    });
  });

  test('synthetic releases are labelled in JSON and CSV', async () => {
    const json = (await (await fixture.pub.request(`/api/metrics/detainers_issued.json?release=${DEMO}`)).json()) as Record<string, any>;
    expect(json.meta.synthetic).toBe(true);
    expect(json.meta.synthetic_label).toMatch(/synthetic demo data/);
    const csv = await (await fixture.pub.request(`/api/metrics/detainers_issued.csv?release=${DEMO}`)).text();
    expect(csv.split('\r\n')[0]).toMatch(/^# SYNTHETIC DEMO DATA/);
  });

  test('public figures never show 1-10; private ones do and say so', async () => {
    const pubBody = (await (await fixture.pub.request('/api/metrics/detainers_issued.json?place=facility:NYRAREJ')).json()) as Record<string, any>;
    for (const r of pubBody.rows) expect(r.count === null || r.count === 0 || r.count > 10).toBe(true);
    const privBody = (await (await fixture.priv.request('/api/metrics/detainers_issued.json?place=facility:NYRAREJ')).json()) as Record<string, any>;
    expect(privBody.rows.some((r: any) => r.count >= 1 && r.count <= 10)).toBe(true);
    expect(privBody.meta.suppression.applied).toBe(false);
  });

  test('places lists facilities only with a published total of at least 11 in public mode', async () => {
    const body = (await (await fixture.pub.request('/api/places.json')).json()) as Record<string, any>;
    const facilities = body.rows.filter((r: any) => r.level === 'facility');
    expect(facilities.length).toBeGreaterThan(0);
    for (const f of facilities) expect(f.detainers === null ? f.arrests : f.detainers).toBeGreaterThanOrEqual(11);
    expect(facilities.some((f: any) => f.place === 'facility:NYRAREJ')).toBe(false);
  });

  test('policies: timeline with citations, and the policy at a date', async () => {
    const t = (await (await fixture.pub.request('/api/policies/state:MA.json')).json()) as Record<string, any>;
    expect(t.rows.length).toBeGreaterThan(0);
    expect(t.rows[0]).toHaveProperty('citation');
    // Scope and succession as `handoff policy MA` prints them: Lunn binds the jails and is superseded for
    // the courts only (by the Trial Court's 2025 policy), never ended by it; the DOC 287(g) entry is context.
    const lunn = t.rows.find((r: any) => r.entry_id === 'ma-2017-lunn-v-commonwealth');
    expect(lunn.scope).toContain('county_jails');
    expect(lunn.end).toBeNull();
    expect(lunn.context_only).toBe(false);
    expect(lunn.succession_note).toMatch(/^superseded as the deciding entry for courts by .+ from 2025-05-01 \(not repealed\)$/);
    const context = t.rows.filter((r: any) => r.context_only);
    expect(context.length).toBeGreaterThan(0);
    for (const r of context) expect(r.succession_note).toMatch(/^context only: /);
    expect(t.rows.some((r: any) => r.agreement_287g !== null)).toBe(true);
    const at = (await (await fixture.pub.request('/api/policies/state:MA.json?at=2020-01-01')).json()) as Record<string, any>;
    expect(at.policy.date).toBe('2020-01-01');
  });

  test('ETag and Cache-Control; 304 on a match', async () => {
    const res = await fixture.pub.request('/api/releases.json');
    const tag = res.headers.get('etag')!;
    expect(tag).toBeTruthy();
    expect(res.headers.get('cache-control')).toContain('max-age');
    const again = await fixture.pub.request('/api/releases.json', { headers: { 'If-None-Match': tag } });
    expect(again.status).toBe(304);
    expect((await fixture.priv.request('/api/releases.json')).headers.get('cache-control')).toBe('no-store');
  });

  test('CSV cells are safe against formula injection', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
  });

  test('no endpoint returns person-level fields', async () => {
    for (const route of ROUTES.filter((r) => r.format === 'json')) {
      const text = await (await fixture.pub.request(route.example)).text();
      expect(text).not.toMatch(/"person_id"|"source_row"|"birth_date"/);
    }
  });
});
