/** Place keys: parsing the `place` parameter, and the reader's name of each kind of unit. */
import { describe, expect, it } from 'vitest';
import { countyByFips, listAors, stateByPostal } from '../geo/index.ts';
import { parsePlaceParam, placeName } from './place.ts';

describe('placeName', () => {
  it('names states, counties and AORs from src/geo, not from the key', () => {
    expect(placeName('nation')).toBe('United States');
    expect(placeName('state:MA')).toBe(stateByPostal('MA')!.name);
    const suffolk = countyByFips('25025')!;
    expect(placeName('county:25025')).toBe(`${suffolk.name}, MA`);
    expect(placeName('county:22015')).toMatch(/Parish, LA$/);
    const aor = listAors()[0]!;
    expect(placeName(`aor:${aor.code}`)).toBe(`${aor.name} (ICE area of responsibility)`);
  });

  it('uses a facility\'s own label, and words for records the release could not place', () => {
    expect(placeName('facility:BSTNMA', 'SUFFOLK HOUSE OF CORRECTION')).toBe('SUFFOLK HOUSE OF CORRECTION');
    expect(placeName('facility:BSTNMA', 'facility:BSTNMA')).toBe('BSTNMA');
    expect(placeName('state:unknown')).toBe('State not recorded');
    expect(placeName('aor:unknown')).toBe('Area of responsibility not recorded');
    expect(placeName('county:unmatched-MA')).toBe('Not matched to a county (Massachusetts)');
    expect(placeName('county:unmatched-unknown')).toBe('Not matched to a county (state not recorded)');
    expect(placeName('facility:none-25025')).toBe(`Facility not recorded, ${countyByFips('25025')!.name}, MA`);
    expect(placeName('county:99999')).toBe('County 99999');
  });

  it('names every key parsePlaceParam accepts without throwing', () => {
    for (const p of ['nation', 'state:TX', 'county:48201', 'aor:HOU', 'facility:ABC']) {
      expect(placeName(parsePlaceParam(p).unit).length).toBeGreaterThan(0);
    }
  });
});
