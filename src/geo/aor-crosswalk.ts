/**
 * Builds the county -> ICE area of responsibility (AOR) crosswalk from the Deportation Data
 * Project's CC0 table `ice-areas-of-responsibility.csv` (deportationdata/ice-offices). That table
 * lists, per field office, the states it covers, and for states split between offices (California,
 * New York, Texas) the counties. Pure functions: the build script does the file I/O.
 */
import { HandoffError } from '../core/errors.ts';
import { findCounty, listCounties } from './counties.ts';
import { resolveState } from './resolve-state.ts';

/** One row of the ice-offices table. */
export interface IceOfficeRow {
  officeName: string;
  stateName: string;
  countyName: string;
  notes: string;
  /** 1-based line number in the file (header is line 1). */
  line: number;
}

/** One AOR as shipped in reference/geo/aors.csv. */
export interface AorDefinition {
  /** Three-letter code, e.g. "BOS". */
  code: string;
  /** Field office name, e.g. "Boston", "St. Paul". */
  name: string;
  /** The spelling of ICE's "Facility AOR" / "Case AOR" columns, e.g. "Boston Area of Responsibility". */
  iceName: string;
}

/**
 * The ICE ERO field offices. Office names follow the ice-offices table; the three-letter codes are
 * the abbreviations ICE uses for its areas of responsibility (also used by UWCHR, which is how the
 * test cross-checks them; no UWCHR file is copied). Harlingen (HAL) is the 25th office, split off
 * from San Antonio in South Texas.
 */
export const AOR_DEFINITIONS: readonly AorDefinition[] = [
  ['ATL', 'Atlanta'],
  ['BAL', 'Baltimore'],
  ['BOS', 'Boston'],
  ['BUF', 'Buffalo'],
  ['CHI', 'Chicago'],
  ['DAL', 'Dallas'],
  ['DEN', 'Denver'],
  ['DET', 'Detroit'],
  ['ELP', 'El Paso'],
  ['HAL', 'Harlingen'],
  ['HOU', 'Houston'],
  ['LOS', 'Los Angeles'],
  ['MIA', 'Miami'],
  ['NEW', 'Newark'],
  ['NOL', 'New Orleans'],
  ['NYC', 'New York City'],
  ['PHI', 'Philadelphia'],
  ['PHO', 'Phoenix'],
  ['SEA', 'Seattle'],
  ['SFR', 'San Francisco'],
  ['SLC', 'Salt Lake City'],
  ['SNA', 'San Antonio'],
  ['SND', 'San Diego'],
  ['SPM', 'St. Paul'],
  ['WAS', 'Washington'],
].map(([code, name]) => ({ code: code!, name: name!, iceName: `${name} Area of Responsibility` }));

/**
 * Parses the ice-offices CSV. Each field is double-quoted and fields are separated by `", "`
 * (comma and a space), which standard CSV readers turn into values with leading spaces and stray
 * quotes; this reads the quoted values directly.
 */
export function parseIceOfficesCsv(text: string): IceOfficeRow[] {
  const lines = text.split(/\r?\n/);
  const rows: IceOfficeRow[] = [];
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const fields = [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"').trim());
    if (fields.length < 3) {
      throw new HandoffError('bad_input', `expected 4 quoted fields, found ${fields.length}`, {
        location: { file: 'ice-areas-of-responsibility.csv', row: i + 1 },
      });
    }
    rows.push({
      officeName: fields[0]!,
      stateName: fields[1]!,
      countyName: fields[2]!,
      notes: fields[3] ?? '',
      line: i + 1,
    });
  });
  return rows;
}

/** Normalizes an office name for comparison: "St Paul" and "St. Paul" are the same office. */
function officeKey(name: string): string {
  return name.toUpperCase().replace(/[^A-Z]/g, '').replace(/^SAINT/, 'ST');
}

/** A county's AOR as derived, with the table line it came from. */
export interface AorCountyRow {
  fips: string;
  aorCode: string;
  /** 'state' when the whole state belongs to one office, 'county' when the table names the county. */
  level: 'state' | 'county';
  line: number;
}

/**
 * Assigns every county (current and retired codes) of every state or territory in the table to one
 * AOR. Throws when an office, state or county name is unknown, when a county would get two offices,
 * or when a split state leaves a county unassigned.
 */
export function buildAorCountyCrosswalk(rows: IceOfficeRow[]): AorCountyRow[] {
  const codeByOffice = new Map(AOR_DEFINITIONS.map((a) => [officeKey(a.name), a.code]));
  const counties = listCounties();
  const out = new Map<string, AorCountyRow>();
  const splitStates = new Set<string>();
  const fail = (line: number, message: string): never => {
    throw new HandoffError('invalid_reference', message, {
      location: { file: 'ice-areas-of-responsibility.csv', row: line },
    });
  };
  for (const row of rows) {
    const code = codeByOffice.get(officeKey(row.officeName)) ?? fail(row.line, `unknown office "${row.officeName}"`);
    const state = resolveState(row.stateName) ?? fail(row.line, `unknown state "${row.stateName}"`);
    const assign = (fips: string, level: 'state' | 'county'): void => {
      const previous = out.get(fips);
      if (previous && previous.aorCode !== code) {
        fail(row.line, `county ${fips} is in both ${previous.aorCode} and ${code}`);
      }
      out.set(fips, { fips, aorCode: code, level, line: row.line });
    };
    if (row.countyName === '') {
      const inState = counties.filter((c) => c.stateFips === state.fips);
      if (inState.length === 0) fail(row.line, `no counties known for ${row.stateName}`);
      for (const c of inState) assign(c.fips, 'state');
    } else {
      splitStates.add(state.fips);
      const county =
        findCounty(state.fips, row.countyName) ??
        fail(row.line, `unknown county "${row.countyName}" in ${row.stateName}`);
      assign(county.fips, 'county');
      // A retired code follows the county that replaced it (and vice versa).
      for (const c of counties) {
        if (c.replacedBy === county.fips) assign(c.fips, 'county');
      }
    }
  }
  for (const stateFips of splitStates) {
    const missing = counties.filter((c) => c.stateFips === stateFips && !out.has(c.fips));
    if (missing.length > 0) {
      throw new HandoffError(
        'invalid_reference',
        `split state ${stateFips} leaves counties without an AOR: ${missing.map((c) => c.fips).join(', ')}`,
      );
    }
  }
  return [...out.values()].sort((a, b) => a.fips.localeCompare(b.fips));
}
