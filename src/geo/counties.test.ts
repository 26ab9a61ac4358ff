import { describe, expect, it } from 'vitest';
import { countyByFips, findCounty, listCounties } from './counties.ts';
import { normalizeCountyName } from './county-names.ts';

describe('normalizeCountyName', () => {
  it('treats St./Saint, suffixes and punctuation alike', () => {
    expect(normalizeCountyName('St. Louis County').key).toBe('SAINTLOUIS');
    expect(normalizeCountyName('Saint Louis').key).toBe('SAINTLOUIS');
    expect(normalizeCountyName('Miami-Dade').key).toBe('MIAMIDADE');
    expect(normalizeCountyName("Prince George's County").key).toBe('PRINCEGEORGES');
    expect(normalizeCountyName('Bossier Parish')).toMatchObject({ key: 'BOSSIER', kind: 'county' });
    expect(normalizeCountyName('Richmond city')).toMatchObject({ key: 'RICHMOND', kind: 'city' });
    expect(normalizeCountyName('Guadalupe Conty ')).toMatchObject({ key: 'GUADALUPE', kind: 'county' });
  });
});

describe('counties', () => {
  it('knows every state, DC, Puerto Rico and the newer county equivalents', () => {
    const all = listCounties();
    expect(all.length).toBeGreaterThan(3200);
    expect(countyByFips('25025')?.name).toBe('Suffolk County');
    expect(countyByFips('46102')).toMatchObject({ name: 'Oglala Lakota County', isCurrent: true });
    expect(countyByFips('46113')).toMatchObject({ isCurrent: false, replacedBy: '46102' });
    expect(countyByFips('09110')?.name).toBe('Capitol Planning Region');
    expect(countyByFips('09001')?.isCurrent).toBe(false);
    expect(countyByFips('1001')?.fips).toBe('01001');
  });

  it.each([
    ['29', 'St. Louis', '29189'],
    ['29', 'Saint Louis County', '29189'],
    ['29', 'St. Louis city', '29510'],
    ['51', 'Richmond', '51159'],
    ['51', 'Richmond city', '51760'],
    ['51', 'James City', '51095'],
    ['32', 'Carson City', '32510'],
    ['22', 'Bossier Parish', '22015'],
    ['12', 'Miami-Dade', '12086'],
    ['02', 'Juneau', '02110'],
    ['02', 'Anchorage', '02020'],
    ['72', 'Añasco', '72011'],
    ['17', 'La Salle', '17099'],
    ['18', 'De Kalb County', '18033'],
    ['11', 'District of Columbia', '11001'],
    ['24', 'Baltimore', '24005'],
    ['24', 'Baltimore City', '24510'],
    ['16', 'Custer Countey', '16037'],
    ['09', 'Fairfield County', '09001'],
  ])('findCounty(%s, %s) -> %s', (state, name, fips) => {
    expect(findCounty(state, name)?.fips).toBe(fips);
  });

  it('returns undefined for unknown names and wrong states', () => {
    expect(findCounty('25', 'Harris')).toBeUndefined();
    expect(findCounty('48', '#N/A')).toBeUndefined();
    expect(findCounty('48', '')).toBeUndefined();
  });
});
