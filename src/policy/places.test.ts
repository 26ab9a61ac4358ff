import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STATES, stateByFips, stateByName, stateByPostal } from '../geo/states.ts';
import { parsePlaceKey, policyFileName, recordPlace, slugify } from './places.ts';

describe('parsePlaceKey', () => {
  it('parses state, county and city keys', () => {
    expect(parsePlaceKey('state:MA')).toEqual({ level: 'state', key: 'state:MA', place: { state: 'MA' } });
    expect(parsePlaceKey('ma').key).toBe('state:MA');
    expect(parsePlaceKey('state:25').key).toBe('state:MA');
    expect(parsePlaceKey('Massachusetts').key).toBe('state:MA');
    expect(parsePlaceKey('state:New York').key).toBe('state:NY');
    expect(parsePlaceKey('district of columbia').key).toBe('state:DC');
    expect(parsePlaceKey('county:25025')).toEqual({
      level: 'county',
      key: 'county:25025',
      place: { state: 'MA', countyFips: '25025' },
    });
    expect(parsePlaceKey('city:MA:Boston')).toEqual({
      level: 'city',
      key: 'city:MA:boston',
      place: { state: 'MA', city: 'boston' },
    });
  });

  it('rejects malformed keys with bad_argument', () => {
    for (const bad of ['county:255', 'county:99001', 'city:ZZ:x', 'town:MA:x', 'state:ZZ', '']) {
      expect(() => parsePlaceKey(bad), bad).toThrow(expect.objectContaining({ code: 'bad_argument' }));
    }
  });

  it('names files after the jurisdiction', () => {
    expect(slugify('Louisville / Jefferson County')).toBe('louisville-jefferson-county');
    expect(
      policyFileName({ id: 'county:48453', level: 'county', name: 'Travis County', state: 'TX', fips: '48453' }),
    ).toBe('county-48453-travis-tx.yaml');
  });
});

describe('state table', () => {
  it('has the 50 states, DC and PR, matching reference/geo/states.csv', () => {
    expect(STATES).toHaveLength(56);
    const csv = readFileSync(new URL('../../reference/geo/states.csv', import.meta.url), 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('fips,postal,name,name_upper');
    expect(lines.slice(1)).toEqual(STATES.map((s) => [s.fips, s.postal, s.name, s.name_upper].join(',')));
  });

  it('looks up by postal, FIPS and name (ICE upper case too)', () => {
    expect(stateByPostal('ma')?.fips).toBe('25');
    expect(stateByFips(6)?.postal).toBe('CA');
    expect(stateByFips('72')?.name).toBe('Puerto Rico');
    expect(stateByName('MASSACHUSETTS')?.postal).toBe('MA');
    expect(stateByName('district  of columbia')?.postal).toBe('DC');
    expect(stateByName('Nowhere')).toBeUndefined();
  });
});

describe('recordPlace', () => {
  it('uses the matched county, with the county\'s own state when the record names another', () => {
    expect(recordPlace('MA', '25025')).toEqual({ state: 'MA', countyFips: '25025' });
    expect(recordPlace('TX', '05091')).toEqual({ state: 'AR', countyFips: '05091' });
    expect(recordPlace('TX', null)).toEqual({ state: 'TX' });
    expect(recordPlace('TX', '99999')).toEqual({ state: 'TX' });
  });
});
