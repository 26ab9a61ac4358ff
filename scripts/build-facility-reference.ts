/**
 * Builds reference/facilities/hifld-jails.csv and reference/facilities/hifld-city-counties.csv
 * from the HIFLD attribute tables in ../shared (deportationdata/ice-detention-facilities):
 * Prison_Boundaries (every facility) and Local_Law_Enforcement (sheriff's offices as facilities;
 * every agency's city -> county pair for the city rule). Only the columns the matcher needs are kept.
 *
 *   npx tsx scripts/build-facility-reference.ts [--shared ../shared]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { countyByFips } from '../src/geo/counties.ts';
import { REPO_ROOT, sharedDir, toCsv } from './shared-path.ts';

const dir = join(sharedDir(), 'data', 'deportationdata-ice-detention-facilities');
const read = (file: string): Record<string, string>[] =>
  parse(readFileSync(join(dir, file), 'utf8'), { columns: true, skip_empty_lines: true, bom: true });

const clean = (v: string | undefined): string => {
  const t = (v ?? '').trim().replace(/\s+/g, ' ');
  return t === 'NOT AVAILABLE' || t === '-999' ? '' : t;
};
const fips5 = (v: string | undefined): string => {
  const t = clean(v);
  return /^\d{4,5}$/.test(t) ? t.padStart(5, '0') : '';
};

const prisons = read('Prison_Boundaries.attributes.csv');
const agencies = read('Local_Law_Enforcement.attributes.csv');

type Row = [string, string, string, string, string, string, string, string, string];
const jails: Row[] = [];
for (const p of prisons) {
  jails.push([
    'hifld_prison_boundaries',
    clean(p.FACILITYID),
    clean(p.NAME),
    clean(p.TYPE),
    clean(p.STATUS),
    clean(p.CITY),
    clean(p.STATE),
    clean(p.COUNTY),
    fips5(p.COUNTYFIPS),
  ]);
}
for (const a of agencies) {
  if (a.TYPE !== "SHERIFF'S OFFICE") continue;
  jails.push([
    'hifld_local_law_enforcement',
    clean(a.ID),
    clean(a.NAME),
    clean(a.TYPE),
    clean(a.STATUS),
    clean(a.CITY),
    clean(a.STATE),
    clean(a.COUNTY),
    fips5(a.COUNTYFIPS),
  ]);
}
jails.sort((x, y) => x[6].localeCompare(y[6]) || x[2].localeCompare(y[2]) || x[0].localeCompare(y[0]) || x[1].localeCompare(y[1]));

// City -> county pairs from every HIFLD record that has both. Where a city has records under a
// current county code, records under a retired code (Connecticut's old counties in the Local Law
// Enforcement layer) are dropped for that city.
const pairs = new Map<string, Map<string, number>>();
for (const r of [...prisons, ...agencies]) {
  const state = clean(r.STATE);
  const city = clean(r.CITY);
  const fips = fips5(r.COUNTYFIPS);
  if (!state || !city || !fips) continue;
  const key = `${state}|${city}`;
  const counts = pairs.get(key) ?? new Map<string, number>();
  counts.set(fips, (counts.get(fips) ?? 0) + 1);
  pairs.set(key, counts);
}
const cityRows: [string, string, string, number][] = [];
for (const [key, counts] of pairs) {
  const [state, city] = key.split('|') as [string, string];
  const hasCurrent = [...counts.keys()].some((f) => countyByFips(f)?.isCurrent !== false);
  for (const [fips, n] of counts) {
    if (hasCurrent && countyByFips(fips)?.isCurrent === false) continue;
    cityRows.push([state, city, fips, n]);
  }
}
cityRows.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]));

const outDir = join(REPO_ROOT, 'reference', 'facilities');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'hifld-jails.csv'),
  toCsv(['source', 'source_id', 'name', 'type', 'status', 'city', 'state', 'county', 'county_fips'], jails),
);
writeFileSync(join(outDir, 'hifld-city-counties.csv'), toCsv(['state', 'city', 'county_fips', 'records'], cityRows));
process.stdout.write(`hifld-jails.csv: ${jails.length} rows; hifld-city-counties.csv: ${cityRows.length} rows\n`);
