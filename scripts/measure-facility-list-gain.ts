/**
 * How many more facilities get a county when ICE's facility lists back up the HIFLD matcher:
 * `npx tsx scripts/measure-facility-list-gain.ts <database.duckdb> [answer-key.json] [list.xlsx …]`.
 *
 * Places every distinct detainer facility of the database (name, code, city, state, as the linker
 * does) with `matchFacility` alone and with `matchFacilityWithList`, and prints both counts, the
 * gain by method and, given a demo's answer key, how many extra placements name the county the
 * generator used. Then does the same for the facilities of the lists themselves (what real ICE data,
 * which carries the same DETLOC codes, would gain). Lists default to the two in ../shared/data/ice-real.
 * Read only; nothing is written.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_LIMITS } from '../src/core/config.ts';
import { openTableFile, type SourceRow } from '../src/ingest/index.ts';
import { normalizeFacilityList, type FacilityListRow } from '../src/ingest/sources/facility-lists/index.ts';
import { loadFacilityIndex, matchFacility } from '../src/link/facilities/index.ts';
import { buildFacilityListIndex, matchFacilityWithList } from '../src/link/facilities/facility-list-index.ts';
import { Store } from '../src/store/index.ts';
import { sharedDir } from './shared-path.ts';

async function readList(file: string): Promise<FacilityListRow[]> {
  const source = await openTableFile(file, DEFAULT_LIMITS);
  try {
    const sheets: { sheet: string; rows: SourceRow[] }[] = [];
    for (const sheet of source.sheets) {
      const rows: SourceRow[] = [];
      for await (const batch of source.rowBatches(sheet)) rows.push(...batch);
      sheets.push({ sheet, rows });
    }
    return normalizeFacilityList(sheets).facilities;
  } finally {
    await source.close();
  }
}

async function main(): Promise<void> {
  const [dbPath, keyPath, ...lists] = process.argv.slice(2);
  if (!dbPath) {
    process.stderr.write('usage: tsx scripts/measure-facility-list-gain.ts <database.duckdb> [answer-key.json|-] [list.xlsx …]\n');
    process.exit(2);
  }
  const listFiles = lists.length > 0
    ? lists
    : ['ICE_Facility_List_11-06-2017-web.xlsx', '2019-ICFO-31121.xlsx'].map((f) => path.join(sharedDir([]), 'data/ice-real', f));
  const rows = (await Promise.all(listFiles.map(readList))).flat();
  const facilityIndex = await loadFacilityIndex();
  const { index: list, report } = buildFacilityListIndex(rows, { facilityIndex });
  process.stdout.write(`list rows ${report.rows}: placed ${report.placed}, unresolved county ${report.unresolved}, disputed by HIFLD city ${report.disputed}, conflicting keys ${report.conflicts.length}; ${list.byCode.size} codes, ${list.byName.size} names\n`);

  const truth = new Map<string, string>();
  if (keyPath && keyPath !== '-') {
    const key = JSON.parse(await readFile(keyPath, 'utf8')) as { people: { detainers?: { facility_code?: string; county_fips?: string }[] }[] };
    for (const p of key.people) for (const d of p.detainers ?? []) if (d.facility_code && d.county_fips) truth.set(d.facility_code, d.county_fips);
  }

  const store = await Store.open(dbPath, { readOnly: true });
  let places: { n: string | null; c: string | null; ci: string | null; s: string | null }[];
  try {
    places = await store.queryRows(
      'SELECT DISTINCT detention_facility AS n, detention_facility_code AS c, facility_city AS ci, facility_state AS s FROM detainers',
    );
  } finally {
    store.close();
  }
  const measure = (label: string, inputs: { name: string; code: string | null; city: string | null; state: string | null }[]): void => {
    let base = 0;
    let withList = 0;
    const gained = new Map<string, number>();
    let right = 0;
    let checked = 0;
    let both = 0;
    let agree = 0;
    for (const input of inputs) {
      const a = matchFacility(facilityIndex, input);
      const b = matchFacilityWithList(facilityIndex, list, input);
      if (a.countyFips !== null) base++;
      const listed = input.code ? list.byCode.get(input.code.trim().toUpperCase()) : undefined;
      if (a.countyFips !== null && listed) {
        both++;
        if (listed.countyFips === a.countyFips) agree++;
      }
      if (b.countyFips !== null) withList++;
      if (a.countyFips === null && b.countyFips !== null && 'method' in b) {
        gained.set(b.method, (gained.get(b.method) ?? 0) + 1);
        const expected = input.code ? truth.get(input.code) : undefined;
        if (expected) {
          checked++;
          if (expected === b.countyFips) right++;
        }
      }
    }
    process.stdout.write(
      `${label}: ${inputs.length} facilities; HIFLD matcher ${base}; with the list ${withList} (+${withList - base}: ` +
        `${[...gained].map(([m, n]) => `${m} ${n}`).join(', ') || 'none'})` +
        (checked > 0 ? `; answer key agrees on ${right} of ${checked} gained` : '') +
        (both > 0 ? `; where both place a facility by its code, they agree on ${agree} of ${both}` : '') + '\n',
    );
  };
  measure(path.basename(dbPath), places.map((p) => ({ name: p.n ?? '', code: p.c, city: p.ci, state: p.s })));
  const main = rows.filter((r) => r.sheet === 'Facility List - Main' && r.name);
  measure('2017 list, Facility List - Main (real DETLOC codes)', main.map((r) => ({ name: r.name!, code: r.detloc, city: r.city, state: r.state })));
}

await main();
