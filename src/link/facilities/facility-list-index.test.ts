/**
 * Facility-list placements on a hand-made HIFLD index and list: the list fills in only what HIFLD
 * leaves unmatched, by DETLOC code (state must agree) or by name + city + state; a county HIFLD's city
 * table contradicts is set aside; a code placed in two counties is left out; unresolvable counties
 * ("COUNTY", a city name) are counted.
 */
import { describe, expect, it } from 'vitest';
import { buildFacilityIndex } from './facility-index.ts';
import { buildFacilityListIndex, matchFacilityWithList, matchFromFacilityList, type FacilityListEntry } from './facility-list-index.ts';
import { matchFacility } from './match-facility.ts';

const hifld = buildFacilityIndex({
  jails: [
    { source: 'hifld_prison_boundaries', source_id: '1', name: 'YORK COUNTY PRISON', type: 'COUNTY', status: 'OPEN', city: 'YORK', state: 'PA', county: 'YORK', county_fips: '42133' },
  ],
  cityCounties: [
    { state: 'PA', city: 'YORK', county_fips: '42133' },
    { state: 'TX', city: 'HOUSTON', county_fips: '48201' },
  ],
  overrides: [],
});

const LIST: FacilityListEntry[] = [
  { detloc: 'YORCOPA', name: 'YORK COUNTY PRISON', city: 'YORK', county: 'YORK', state: 'PA' },
  { detloc: 'CCAHOTX', name: 'HOUSTON CONTRACT DETENTION FACILITY', city: 'HOUSTON', county: 'HARRIS', state: 'TX' },
  // The same facility on a second sheet: agrees, counted once more.
  { detloc: 'CCAHOTX', name: 'HOUSTON CONTRACT DETENTION FACILITY', city: 'HOUSTON', county: 'HARRIS', state: 'TX' },
  // ICE's county column contradicted by HIFLD's city table (Houston is in Harris): set aside.
  { detloc: 'BADCOTX', name: 'SOME HOLD ROOM', city: 'HOUSTON', county: 'DALLAS', state: 'TX' },
  // Unresolvable county text.
  { detloc: 'ARTHOLD', name: 'ARTESIA HOLD ROOM', city: 'ARTESIA', county: 'COUNTY', state: 'NM' },
  { detloc: null, name: null, city: null, county: null, state: null },
  // One code in two counties: left out.
  { detloc: 'TWOCOAZ', name: 'ONE JAIL', city: 'FLORENCE', county: 'PINAL', state: 'AZ' },
  { detloc: 'TWOCOAZ', name: 'OTHER JAIL', city: 'YUMA', county: 'YUMA', state: 'AZ' },
];

describe('buildFacilityListIndex', () => {
  const { index, report } = buildFacilityListIndex(LIST, { facilityIndex: hifld });

  it('counts placed, unresolved and disputed rows, and conflicting codes', () => {
    expect(report).toMatchObject({ rows: 8, placed: 5, unresolved: 2, disputed: 1 });
    expect(report.conflicts).toEqual([{ key: 'TWOCOAZ', counties: ['04021', '04027'] }]);
    expect(index.byCode.get('CCAHOTX')).toMatchObject({ countyFips: '48201', rows: 2, state: 'TX' });
    expect(index.byCode.has('BADCOTX')).toBe(false);
    expect(index.byCode.has('TWOCOAZ')).toBe(false);
  });

  it('keeps a county HIFLD cannot check (a city HIFLD does not know)', () => {
    const { report: r } = buildFacilityListIndex([{ detloc: 'ELYCONV', name: 'X', city: 'NOWHERE', county: 'WHITE PINE', state: 'NV' }], {
      facilityIndex: hifld,
    });
    expect(r.placed).toBe(1);
  });
});

describe('matching with the list', () => {
  const { index } = buildFacilityListIndex(LIST, { facilityIndex: hifld });

  it('never changes what HIFLD placed', () => {
    const input = { name: 'YORK COUNTY PRISON', code: 'YORCOPA', city: 'YORK', state: 'PENNSYLVANIA' };
    expect(matchFacilityWithList(hifld, index, input)).toEqual(matchFacility(hifld, input));
  });

  it('places by code what HIFLD does not know, also without a state', () => {
    const input = { name: 'HOUSTON CDF', code: 'ccahotx', city: null, state: 'TEXAS' };
    expect(matchFacility(hifld, input).countyFips).toBeNull();
    expect(matchFacilityWithList(hifld, index, input)).toMatchObject({ countyFips: '48201', method: 'facility_list_code', score: 0.95 });
    expect(matchFromFacilityList(index, { name: 'X', code: 'CCAHOTX', state: null })).toMatchObject({ countyFips: '48201' });
  });

  it('refuses a code match in another state', () => {
    expect(matchFromFacilityList(index, { name: 'HOUSTON CDF', code: 'CCAHOTX', state: 'LOUISIANA' })).toBeNull();
  });

  it('places by name, city and state when the code is unknown', () => {
    expect(
      matchFromFacilityList(index, { name: 'Houston Contract Det. Fac.', code: 'XXXXXXX', city: 'Houston', state: 'TX' }),
    ).toMatchObject({ countyFips: '48201', method: 'facility_list_name', score: 0.9 });
  });
});
