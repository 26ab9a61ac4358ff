import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { HandoffError } from '../../core/errors.ts';
import { findCounty, resolveState } from '../../geo/index.ts';
import {
  buildFacilityIndex,
  buildFacilityMatchReport,
  listJails,
  loadFacilityIndex,
  matchFacility,
  normalizeFacilityName,
} from './index.ts';
import type { FacilityIndex, FacilityInput } from './index.ts';

const UWCHR_FACILITIES = new URL('../../../../shared/data/uwchr-ice-facilities/facilities.csv.gz', import.meta.url);

let index: FacilityIndex;
beforeAll(async () => {
  index = await loadFacilityIndex();
});

describe('normalizeFacilityName', () => {
  it('expands abbreviations and drops building words', () => {
    expect(normalizeFacilityName("Harris Co. Sheriff's Office").key).toBe('HARRIS COUNTY');
    expect(normalizeFacilityName('HARRIS COUNTY JAIL').key).toBe('HARRIS COUNTY');
    expect(normalizeFacilityName('ST. LUCIE CNTY DET CTR').key).toBe('SAINT LUCIE COUNTY');
    expect(normalizeFacilityName('MIAMI-DADE PRE-TRIAL DETENTION CENTER').key).toBe('MIAMI DADE PRETRIAL');
    expect(normalizeFacilityName("LOS ANGELES COUNTY MEN'S CENTRAL JAIL").key).toBe('LOS ANGELES COUNTY MEN CENTRAL');
  });
});

describe('matchFacility on facilities as ICE writes them', () => {
  it.each<[FacilityInput, string]>([
    [{ name: 'SUFFOLK COUNTY HOUSE OF CORRECTION', city: 'BOSTON', state: 'MASSACHUSETTS' }, '25025'],
    [{ name: 'HARRIS COUNTY JAIL', city: 'HOUSTON', state: 'TEXAS' }, '48201'],
    [{ name: 'TRAVIS COUNTY JAIL', city: 'AUSTIN', state: 'TEXAS' }, '48453'],
    [{ name: 'ESSEX COUNTY CORRECTIONAL FACILITY', city: 'NEWARK', state: 'NEW JERSEY' }, '34013'],
    [{ name: "LOS ANGELES COUNTY MEN'S CENTRAL JAIL", city: 'LOS ANGELES', state: 'CALIFORNIA' }, '06037'],
    [{ name: 'COOK COUNTY JAIL', city: 'CHICAGO', state: 'ILLINOIS' }, '17031'],
    [{ name: 'MIAMI-DADE PRE-TRIAL DETENTION CENTER', city: 'MIAMI', state: 'FLORIDA' }, '12086'],
    [{ name: 'KING COUNTY CORRECTIONAL FACILITY', city: 'SEATTLE', state: 'WASHINGTON' }, '53033'],
    [{ name: 'BERKSHIRE CO JAIL', city: 'PITTSFIELD', state: 'MA' }, '25003'],
  ])('%o -> %s', (input, fips) => {
    const result = matchFacility(index, input);
    expect(result.countyFips).toBe(fips);
  });

  it('reports the rule that matched', () => {
    const r = matchFacility(index, { name: 'ESSEX COUNTY CORRECTIONAL FACILITY', city: 'NEWARK', state: 'NEW JERSEY' });
    expect(r).toMatchObject({ countyFips: '34013' });
    if (r.countyFips !== null) expect(['exact_name_city', 'exact_name_state', 'fuzzy_name_city', 'county_name_in_name']).toContain(r.method);
  });

  it('leaves unknown facilities and states unmatched, with a reason', () => {
    expect(matchFacility(index, { name: 'ZZYZX TRANSIT HOLD ROOM', city: 'NOWHERESVILLE', state: 'NEVADA' })).toEqual({
      countyFips: null,
      reason: 'no_candidate',
    });
    expect(matchFacility(index, { name: 'HARRIS COUNTY JAIL', city: 'HOUSTON', state: 'ATLANTIS' })).toEqual({
      countyFips: null,
      reason: 'state_unknown',
    });
    expect(matchFacility(index, { name: '  ', city: '', state: 'TEXAS' })).toMatchObject({ reason: 'no_name' });
  });

  it('applies reviewed overrides first, by code then by name', () => {
    const small = buildFacilityIndex({
      jails: [],
      cityCounties: [],
      overrides: [
        {
          facility_code: 'TESTXX1',
          facility_name: 'EXAMPLE REGIONAL JAIL',
          facility_city: 'EXAMPLE',
          facility_state: 'VIRGINIA',
          county_fips: '51179',
          reason: 'test',
          reviewed_by_source: 'test fixture',
        },
      ],
    });
    expect(matchFacility(small, { name: 'x', code: 'testxx1', state: 'VA' })).toMatchObject({ method: 'override', countyFips: '51179' });
    expect(matchFacility(small, { name: 'Example Regional Jail', city: 'Example', state: 'VIRGINIA' })).toMatchObject({
      method: 'override',
    });
    expect(() =>
      buildFacilityIndex({ jails: [], cityCounties: [], overrides: [{ facility_state: 'VA', county_fips: '1' }] }),
    ).toThrow(HandoffError);
  });

  it('marks a city spanning several counties as ambiguous', () => {
    const small = buildFacilityIndex({
      jails: [],
      cityCounties: [
        { state: 'TX', city: 'SPLITVILLE', county_fips: '48001' },
        { state: 'TX', city: 'SPLITVILLE', county_fips: '48003' },
      ],
      overrides: [],
    });
    expect(matchFacility(small, { name: 'SPLITVILLE HOLD ROOM', city: 'Splitville', state: 'TEXAS' })).toEqual({
      countyFips: null,
      reason: 'ambiguous',
      competing: ['48001', '48003'],
    });
  });
});

describe('buildFacilityMatchReport', () => {
  it('gives per-state rates and the unmatched list', () => {
    const report = buildFacilityMatchReport(
      [
        { name: 'HARRIS COUNTY JAIL', city: 'HOUSTON', state: 'TEXAS' },
        { name: 'TRAVIS COUNTY JAIL', city: 'AUSTIN', state: 'TEXAS' },
        { name: 'ZZYZX TRANSIT HOLD ROOM', city: 'NOWHERESVILLE', state: 'TEXAS' },
        { name: 'COOK COUNTY JAIL', city: 'CHICAGO', state: 'ILLINOIS' },
      ],
      index,
    );
    expect(report.total).toBe(4);
    expect(report.matched).toBe(3);
    expect(report.byState).toEqual([
      { state: 'IL', total: 1, matched: 1, rate: 1 },
      { state: 'TX', total: 3, matched: 2, rate: 2 / 3 },
    ]);
    expect(report.unmatched).toEqual([
      { name: 'ZZYZX TRANSIT HOLD ROOM', city: 'NOWHERESVILLE', state: 'TEXAS', reason: 'no_candidate' },
    ]);
  });
});

describe('listJails', () => {
  it('lists real county jails with county FIPS, stable order', () => {
    const jails = listJails(index, { state: 'MASSACHUSETTS', limit: 5 });
    expect(jails).toHaveLength(5);
    for (const j of jails) {
      expect(j.countyFips).toMatch(/^25\d{3}$/);
      expect(j.city).not.toBe('');
      expect(['COUNTY', 'LOCAL']).toContain(j.type);
    }
    expect(listJails(index, { state: 'MA', limit: 5 })).toEqual(jails);
    expect(() => listJails(index, { state: 'Atlantis' })).toThrow(HandoffError);
  });
});

// UWCHR's facility list has no licence file: it is read from ../shared here to measure accuracy and
// never copied into the project.
describe.skipIf(!existsSync(UWCHR_FACILITIES))('accuracy on the UWCHR ICE facility list', () => {
  it('matches most facilities to the county UWCHR gives', () => {
    const text = gunzipSync(readFileSync(UWCHR_FACILITIES)).toString('utf8');
    const [head, ...lines] = text.trim().split(/\r?\n/);
    const columns = head!.split('|');
    let comparable = 0;
    let matched = 0;
    let correct = 0;
    let connecticut = 0;
    for (const line of lines) {
      const cells = line.split('|');
      const r = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
      const state = resolveState(r.state ?? '');
      const truth = state ? findCounty(state.fips, (r.county ?? '').trim()) : undefined;
      if (!state || !truth) continue;
      // UWCHR gives Connecticut's old counties; HIFLD uses the 2022 planning regions: not comparable.
      if (state.postal === 'CT') {
        connecticut += 1;
        continue;
      }
      comparable += 1;
      const result = matchFacility(index, { name: r.name ?? '', code: r.detloc, city: r.city, state: r.state });
      if (result.countyFips === null) continue;
      matched += 1;
      if (result.countyFips === truth.fips) correct += 1;
    }
    const matchRate = matched / comparable;
    const accuracy = correct / matched;
    console.info(
      `UWCHR facilities: ${comparable} with a resolvable county (CT excluded: ${connecticut}); matched ${matched} (${(matchRate * 100).toFixed(1)}%), ` +
        `same county as UWCHR ${correct} (${(accuracy * 100).toFixed(1)}% of matched)`,
    );
    expect(matchRate).toBeGreaterThan(0.9);
    expect(accuracy).toBeGreaterThan(0.95);
  });
});
