import { describe, expect, test } from 'vitest';
import { buildFileName, contentDisposition, FILE_NAME_MAX, fileNamePartsOfRequest, SAFE_FILE_NAME, safeFilePart } from './file-name.ts';

const nameOf = (url: string, format: 'json' | 'csv', releases: string[] = []) => buildFileName(fileNamePartsOfRequest(new URL(url, 'http://h.invalid'), format, releases));

describe('buildFileName', () => {
  test('a metric: subject, place, grain, months, release', () => {
    expect(buildFileName({ subject: 'detainers_issued', place: 'state:CA', grain: 'month', from: '2015-01-01', to: '2015-12-31', release: 'r_0123abcd', format: 'csv' })).toBe(
      'handoff_detainers_issued_state-CA_month_2015-01_2015-12_r_0123abcd.csv',
    );
  });

  test('a breakdown and other parameters are named; missing parts are left out', () => {
    expect(buildFileName({ subject: 'detainer_outcomes', by: 'outcome_detail', extra: [['at', '2020-01-01']], format: 'json' })).toBe('handoff_detainer_outcomes_by-outcome_detail_at-2020-01-01.json');
    expect(buildFileName({ subject: '', format: 'json' })).toBe('handoff_answer.json');
  });

  test('hostile parts leave only safe characters, no dot runs, no quotes, no path', () => {
    const hostile = ['../../etc/passwd', '"; filename=evil.exe', 'a\r\nSet-Cookie: x=1', '<script>', 'state:МА', 'ｓｔａｔｅ：ＭＡ', '\u202Estate:MA', 'é'.repeat(300), '%00', '\\..\\win.ini', '..', '.', '___', '\u0000'];
    for (const h of hostile) {
      const name = buildFileName({ subject: h, place: h, grain: h, by: h, from: h, to: h, extra: [[h, h]], release: h, format: 'csv' });
      expect(name, h).toMatch(SAFE_FILE_NAME);
      expect(name.length, h).toBeLessThanOrEqual(FILE_NAME_MAX);
      expect(name, h).not.toContain('..');
      expect(name, h).toMatch(/^handoff_.*\.csv$/);
    }
    expect(safeFilePart('ｓｔａｔｅ：ＭＡ')).toBe('state-MA');
    expect(safeFilePart('état')).toBe('etat');
  });

  test('a long name is cut to the cap and keeps its extension', () => {
    const name = buildFileName({ subject: 'x'.repeat(500), place: 'y'.repeat(500), release: 'r_'.repeat(100), format: 'json' });
    expect(name.length).toBeLessThanOrEqual(FILE_NAME_MAX);
    expect(name.endsWith('.json')).toBe(true);
    expect(name).not.toMatch(/[-._]\.json$/);
  });
});

describe('fileNamePartsOfRequest', () => {
  test('route path, query and the one release answered from', () => {
    expect(nameOf('/api/places.csv', 'csv', ['r_1'])).toBe('handoff_places_r_1.csv');
    expect(nameOf('/api/places.csv?release=r_2', 'csv', ['r_2'])).toBe('handoff_places_r_2.csv');
    expect(nameOf('/api/metrics.json', 'json', ['r_1', 'r_2'])).toBe('handoff_metrics.json');
    expect(nameOf('/api/policies/state:MA.json?at=2020-01-01', 'json')).toBe('handoff_policies_state-MA_at-2020-01-01.json');
    expect(nameOf('/api/policy-changes/ga-2024-ga-hb-1105.csv?before=6&compare=state:TX,state:AZ', 'csv', ['r_1'])).toBe('handoff_policy-changes_ga-2024-ga-hb-1105_before-6_compare-state-TX-state-AZ_r_1.csv');
  });

  test('a release in the path is not said twice; `latest` gets the id it named', () => {
    expect(nameOf('/api/releases/r_1/codebook.csv', 'csv', ['r_1'])).toBe('handoff_releases_r_1_codebook.csv');
    expect(nameOf('/api/releases/latest/codebook.csv', 'csv', ['r_9'])).toBe('handoff_releases_latest_codebook_r_9.csv');
  });

  test('escaped and hostile paths and queries still give a safe name', () => {
    for (const url of ['/api/policies/%22%3B%20x%3D1.json', '/api/policies/%ZZ.json', '/api/places.csv?release=..%2F..%2Fetc', '/api/quality.csv?release=%0D%0ASet-Cookie:%20x', `/api/places.csv?release=${'a'.repeat(3000)}`]) {
      const name = nameOf(url, 'csv', ['r_1']);
      expect(name, url).toMatch(SAFE_FILE_NAME);
      expect(name.length, url).toBeLessThanOrEqual(FILE_NAME_MAX);
    }
  });
});

describe('contentDisposition', () => {
  test('CSV is an attachment, JSON inline; an unsafe name is cleaned', () => {
    expect(contentDisposition('handoff_places.csv', 'csv')).toBe('attachment; filename="handoff_places.csv"');
    expect(contentDisposition('handoff_places.json', 'json')).toBe('inline; filename="handoff_places.json"');
    expect(contentDisposition('a"b\r\n.csv', 'csv')).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"$/);
  });
});
