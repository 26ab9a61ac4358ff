/**
 * /api/releases/{release}/codebook.json|.csv over the fixture database: `latest` and release ids,
 * the envelope, the CSV's lines, refusals that name the release, and public mode's withholding.
 */
import { describe, expect, test } from 'vitest';
import { useFixtureApps } from './fixture-apps.ts';
import { DEMO, MAIN } from '../metrics/fixture.ts';

const fixture = useFixtureApps('handoff-codebook-');

type Body = { ok: boolean; rows: Record<string, any>[]; codebook: Record<string, any>; meta: Record<string, any>; error?: string; errors?: string[] };

describe('/api/releases/{release}/codebook', () => {
  test('latest is the newest ICE release; rows are its columns, with files, sheets and limits beside them', async () => {
    const res = await fixture.pub.request('/api/releases/latest/codebook.json');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    expect(body.ok).toBe(true);
    expect(body.meta.releases.map((r: { release_id: string }) => r.release_id)).toEqual([MAIN]);
    expect(body.codebook.release_id).toBe(MAIN);
    expect(body.codebook.files[0].file).toBe('main.xlsx');
    expect(body.codebook.limits.join(' ')).toMatch(/duplicates and undated/);
    const byColumn = new Map(body.rows.map((r) => [`${r.family}.${r.column}`, r]));
    // The fixture's column_quality: 7 birth countries redacted of 600: withheld in public, with a complement.
    expect(byColumn.get('detainers.birth_country')).toMatchObject({ class: 'coded', redacted: null });
    expect(byColumn.get('detainers.birth_country')!.withheld).toContain('redacted');
    expect(byColumn.get('detainers.msc_charge')).toMatchObject({ redacted: 150, vocabulary: 'reference/offenses/charge-texts.csv, reference/offenses/text-patterns.csv' });
    const same = (await (await fixture.pub.request(`/api/releases/${MAIN}/codebook.json`)).json()) as Body;
    expect(same.rows).toEqual(body.rows);
  });

  test('private mode shows what public withholds, and says it is private', async () => {
    const res = await fixture.priv.request(`/api/releases/${MAIN}/codebook.json`);
    const body = (await res.json()) as Body;
    expect(res.headers.get('x-handoff-mode')).toBe('private');
    expect(body.rows.find((r) => r.column === 'birth_country')).toMatchObject({ redacted: 7, withheld: [] });
  });

  test('CSV: one line per sheet, column and value, with the release and mode in its notes', async () => {
    const demo = await fixture.pub.request(`/api/releases/${DEMO}/codebook.csv`);
    expect(demo.status).toBe(200);
    expect(await demo.text()).toMatch(/^# SYNTHETIC DEMO DATA/);
    const res = await fixture.pub.request(`/api/releases/${MAIN}/codebook.csv`);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    expect(text).toContain(`# release: ${MAIN}; mode: public`);
    const lines = text.split('\r\n').filter((l) => l && !l.startsWith('#'));
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['release_id', 'entry', 'scope', 'file']);
    const entries = new Set(lines.slice(1).map((l) => l.split(',')[1]));
    expect([...entries].filter((e) => !['sheet', 'column', 'value', 'withheld', 'more'].includes(e!))).toEqual([]);
    expect(entries.has('column')).toBe(true);
  });

  test('refusals are envelopes that name the release or the resource', async () => {
    for (const [url, status, pattern] of [
      ['/api/releases/r_nope/codebook.json', 404, /no release "r_nope"/],
      ['/api/releases/latest/codebook.xml', 404, /no such resource/],
      ['/api/releases/latest/extra/codebook.json', 404, /no such resource/],
      ['/api/codebook.json', 404, /belongs to a release/],
      ['/api/releases/latest/codebook.json?release=x', 400, /unknown parameter: release/],
    ] as const) {
      const res = await fixture.pub.request(url);
      expect(res.status, url).toBe(status);
      const body = (await res.json()) as Body;
      expect(body.ok).toBe(false);
      expect(body.error, url).toMatch(pattern);
    }
  });

  test('each release of /api/releases.json names its codebook, which answers', async () => {
    const body = (await (await fixture.pub.request('/api/releases.json')).json()) as Body;
    expect(body.rows.map((r) => r.codebook)).toEqual([DEMO, MAIN].map((id) => `/api/releases/${id}/codebook.json`));
    for (const r of body.rows) expect((await fixture.pub.request(r.codebook)).status).toBe(200);
  });

  test('answers with an ETag and 304 on a repeat', async () => {
    const first = await fixture.pub.request('/api/releases/latest/codebook.json');
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    const again = await fixture.pub.request('/api/releases/latest/codebook.json', { headers: { 'If-None-Match': tag! } });
    expect(again.status).toBe(304);
  });
});
