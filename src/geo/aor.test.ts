import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HandoffError } from '../core/errors.ts';
import { aorByName, aorForCounty, listAors, requireAor } from './aor.ts';
import { buildAorCountyCrosswalk, parseIceOfficesCsv } from './aor-crosswalk.ts';
import { listCounties } from './counties.ts';
import { readReferenceCsv } from './reference-files.ts';
import { resolveState } from './resolve-state.ts';

const SHARED = new URL('../../../shared/data/', import.meta.url);
const ICE_OFFICES = new URL('deportationdata-ice-offices/ice-areas-of-responsibility.csv', SHARED);
const UWCHR_COUNTY_AOR = new URL('uwchr-ice-enforce/county_aor.csv', SHARED);

describe('aorByName', () => {
  it('accepts ICE labels, office names and codes', () => {
    expect(aorByName('Boston Area of Responsibility')?.code).toBe('BOS');
    expect(aorByName('Boston')?.code).toBe('BOS');
    expect(aorByName('BOS')?.code).toBe('BOS');
    expect(aorByName('bos')?.code).toBe('BOS');
    expect(aorByName('St Paul Area of Responsibility')?.code).toBe('SPM');
    expect(aorByName('Saint Paul')?.code).toBe('SPM');
    expect(aorByName('New York City Area of Responsibility')?.code).toBe('NYC');
    expect(aorByName('Harlingen Area of Responsibility')?.code).toBe('HAL');
    expect(aorByName('Nowhere Area of Responsibility')).toBeUndefined();
    expect(aorByName('')).toBeUndefined();
    expect(() => requireAor('Nowhere')).toThrow(HandoffError);
  });

  it('lists 25 offices with ICE names', () => {
    const aors = listAors();
    expect(aors).toHaveLength(25);
    expect(aors.find((a) => a.code === 'SEA')?.iceName).toBe('Seattle Area of Responsibility');
  });
});

describe('county -> AOR crosswalk', () => {
  it('covers every current county of the 50 states, DC and Puerto Rico exactly once', () => {
    const rows = readReferenceCsv('geo/aor-counties.csv');
    const fips = rows.map((r) => r.fips);
    expect(new Set(fips).size).toBe(fips.length);
    const inStates = listCounties().filter((c) => c.isCurrent && resolveState(c.stateFips)?.postal !== undefined);
    const missing = inStates.filter((c) => Number(c.stateFips) <= 72 && !aorForCounty(c.fips) && c.statePostal !== 'AS');
    expect(missing.map((c) => c.fips)).toEqual([]);
  });

  it('puts split states where the ice-offices table says', () => {
    expect(aorForCounty('36029')?.code).toBe('BUF'); // Erie County, NY
    expect(aorForCounty('36061')?.code).toBe('NYC'); // New York County
    expect(aorForCounty('06073')?.code).toBe('SND'); // San Diego
    expect(aorForCounty('06037')?.code).toBe('LOS');
    expect(aorForCounty('06075')?.code).toBe('SFR');
    expect(aorForCounty('48201')?.code).toBe('HOU'); // Harris
    expect(aorForCounty('48061')?.code).toBe('HAL'); // Cameron
    expect(aorForCounty('25025')?.code).toBe('BOS');
    expect(aorForCounty('72127')?.code).toBe('MIA'); // San Juan, PR
  });

  it('parses the quoted ", "-separated table', () => {
    const rows = parseIceOfficesCsv(
      '"office_name", "state_name", "county_name", "notes"\n"Boston", "Maine", "", ""\n"Buffalo", "New York", "Erie", "Upstate"\n',
    );
    expect(rows).toEqual([
      { officeName: 'Boston', stateName: 'Maine', countyName: '', notes: '', line: 2 },
      { officeName: 'Buffalo', stateName: 'New York', countyName: 'Erie', notes: 'Upstate', line: 3 },
    ]);
    expect(() => buildAorCountyCrosswalk([{ officeName: 'Gotham', stateName: 'Maine', countyName: '', notes: '', line: 2 }])).toThrow(
      HandoffError,
    );
  });

  it.skipIf(!existsSync(ICE_OFFICES))('matches a fresh build from ../shared', () => {
    const built = buildAorCountyCrosswalk(parseIceOfficesCsv(readFileSync(ICE_OFFICES, 'utf8')));
    const shipped = readReferenceCsv('geo/aor-counties.csv');
    expect(built.map((r) => `${r.fips},${r.aorCode}`)).toEqual(shipped.map((r) => `${r.fips},${r.aor_code}`));
  });

  // UWCHR's county_aor.csv is GPL-3.0: read from ../shared in this test only, never shipped.
  it.skipIf(!existsSync(UWCHR_COUNTY_AOR))('agrees with UWCHR county_aor.csv outside Texas', () => {
    const lines = readFileSync(UWCHR_COUNTY_AOR, 'utf8').trim().split(/\r?\n/).slice(1);
    let agree = 0;
    const differences: string[] = [];
    for (const line of lines) {
      const m = /^(\d{5}),\d+,\d+,"(.*)",(\w*)$/.exec(line);
      if (!m) continue;
      const ours = aorForCounty(m[1]!)?.code;
      if (ours === m[3]) agree += 1;
      else differences.push(`${m[1]} ${m[2]}: UWCHR ${m[3]}, ours ${ours}`);
    }
    const rate = agree / lines.length;
    console.info(
      `AOR crosswalk vs UWCHR county_aor.csv: ${agree}/${lines.length} counties agree (${(rate * 100).toFixed(2)}%)\n  ${differences.join('\n  ')}`,
    );
    // Every difference is in Texas: UWCHR's table predates the Harlingen office (HAL) and puts ten
    // central-Texas counties in San Antonio where the ice-offices table has Houston.
    expect(differences.every((d) => d.startsWith('48'))).toBe(true);
    expect(rate).toBeGreaterThan(0.99);
  });
});
