/**
 * Download names (src/api/file-name.ts) as the API sends them: every CSV is an attachment and every
 * data route's JSON inline, each under a name of [A-Za-z0-9._-] only, at most 150 characters, that
 * says what it holds; the documents (OpenAPI, the docs page) and errors carry none; hostile values
 * that a route accepts never reach the name unsafely.
 */
import { describe, expect, test } from 'vitest';
import { FILE_NAME_MAX } from '../../src/api/file-name.ts';
import { parameterExamples, ROUTES } from '../../src/api/registry.ts';
import { useFixtureApps } from './fixture-apps.ts';
import { MAIN } from '../metrics/fixture.ts';

const fixture = useFixtureApps('handoff-file-names-');

const DISPOSITION = /^(attachment|inline); filename="([A-Za-z0-9._-]+)"$/;

/** The disposition type and file name of an answer, checked for shape; null when it has none. */
function fileNameOf(res: Response, what: string): { type: string; name: string } | null {
  const header = res.headers.get('content-disposition');
  if (header === null) return null;
  const m = DISPOSITION.exec(header);
  expect(m, `${what}: ${header}`).not.toBeNull();
  expect(m![2]!.length, what).toBeLessThanOrEqual(FILE_NAME_MAX);
  expect(m![2], what).not.toContain('..');
  return { type: m![1]!, name: m![2]! };
}

const DOCUMENTS = ['/api/openapi.json', '/api/docs'];

describe('Content-Disposition', () => {
  test('every CSV route is an attachment and every data JSON route inline, named for its route', async () => {
    for (const r of ROUTES) {
      for (const app of [fixture.pub, fixture.priv]) {
        const res = await app.request(r.example);
        expect(res.status, r.example).toBe(200);
        const got = fileNameOf(res, r.example);
        if (DOCUMENTS.includes(r.path) || r.format === 'html' || r.format === 'css') {
          expect(got, `${r.path} is a document, not a download`).toBeNull();
          continue;
        }
        expect(got, `${r.example} has no Content-Disposition`).not.toBeNull();
        expect(got!.type, r.example).toBe(r.format === 'csv' ? 'attachment' : 'inline');
        expect(got!.name, r.example).toMatch(new RegExp(`^handoff_.+\\.${r.format}$`));
        // The route's words are in the name: its first path segment, or the metric or entry asked for.
        const examples = parameterExamples(r);
        const word = r.path.replace(/^\/api\//, '').split(/[/.]/)[0]!;
        const named = r.path.includes('{metric}') ? examples.metric! : word;
        expect(got!.name, r.example).toContain(named);
      }
    }
  });

  test('a metric CSV says the metric, place, grain, months, breakdown and release; a cached answer says the same', async () => {
    const url = `/api/metrics/detainers_issued.csv?place=state:MA&grain=quarter&from=2024-10-01&to=2025-03-31&release=${MAIN}`;
    const want = `attachment; filename="handoff_detainers_issued_state-MA_quarter_2024-10_2025-03_${MAIN}.csv"`;
    for (let i = 0; i < 2; i++) expect((await fixture.pub.request(url)).headers.get('content-disposition')).toBe(want);
    const by = await fixture.pub.request('/api/metrics/detainers_issued.json?place=state:ma&grain=fiscal_year&by=outcome');
    expect(by.status).toBe(200);
    const name = fileNameOf(by, 'by')!.name;
    // The place as the metric read it (state:MA), the breakdown, and the release it resolved to.
    expect(name).toMatch(/^handoff_detainers_issued_state-MA_fiscal_year_by-outcome_\d{4}-\d{2}_\d{4}-\d{2}_r_[A-Za-z0-9_]+\.json$/);
  });

  test('errors and 304s carry no file name', async () => {
    for (const url of ['/api/metrics/nope.csv', '/api/metrics/detainers_issued.csv?grain=century', '/api/places.csv?release=r_missing', '/api/quality.csv?zz=1']) {
      const res = await fixture.pub.request(url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-disposition'), url).toBeNull();
    }
    const first = await fixture.pub.request('/api/places.csv');
    const again = await fixture.pub.request('/api/places.csv', { headers: { 'If-None-Match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-disposition')).toBeNull();
  });

  test('hostile values that a route accepts leave a safe name', async () => {
    const places = ['facility:../../etc (passwd)', 'facility:a..b..c', `facility:${'x'.repeat(80)}`, 'facility:( )', 'facility:_-._', 'state:ma', ' state:MA ', 'county:unmatched-ma', 'STATE:MA', 'aor:unknown'];
    const urls = [
      ...places.flatMap((p) => [`/api/metrics/detainers_issued.csv?place=${encodeURIComponent(p)}`, `/api/metrics/detainers_issued.json?place=${encodeURIComponent(p)}&grain=total`]),
      ...['state:ma', 'county:25025', 'state:MA'].map((p) => `/api/policies/${encodeURIComponent(p)}.json?at=2020-01-01`),
      `/api/agreements-287g.json?place=${encodeURIComponent('state:ma')}`,
      `/api/policy-changes/ga-2024-ga-hb-1105.csv?compare=${encodeURIComponent(' state:TX , state:AZ ,, ')}&before=1&after=60`,
      `/api/releases/${MAIN}/codebook.csv`,
      `/api/quality.csv?release=${MAIN}`,
    ];
    let accepted = 0;
    for (const url of urls) {
      const res = await fixture.pub.request(url);
      expect(res.status, url).toBeLessThan(500);
      if (res.status !== 200) {
        expect(res.headers.get('content-disposition'), url).toBeNull();
        continue;
      }
      accepted++;
      const got = fileNameOf(res, url);
      expect(got, url).not.toBeNull();
      expect(got!.name, url).toMatch(/^handoff_[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]\.(csv|json)$/);
    }
    // The point is names built from odd accepted values: most of these must have been accepted.
    expect(accepted).toBeGreaterThan(urls.length / 2);
  });
});
