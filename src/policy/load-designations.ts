/**
 * Loads official lists that designate jurisdictions (e.g. the Justice Department's list of
 * 5 August 2025). A designation is a labelled statement by a government body about a jurisdiction;
 * it is not a policy and never feeds `policyAt()`. See reference/designations/README.md.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { HandoffError } from '../core/errors.ts';
import { stateByPostal } from '../geo/states.ts';
import { jurisdictionId } from './places.ts';
import type { JurisdictionLevel } from './types.ts';
import { REPO_ROOT } from '../core/repo-root.ts';


/** Default path of the DOJ list of 5 Aug 2025 (transcribed; see the README next to it). */
export const DEFAULT_DESIGNATIONS_FILE = join(REPO_ROOT, 'reference/designations/doj-2025-08-05.csv');

/** One jurisdiction named on an official list. */
export interface Designation {
  /** Which list: `doj-2025-08-05`. */
  list: string;
  /** Date the list was published (ISO). */
  list_date: string;
  /** Who published it. */
  issued_by: string;
  level: JurisdictionLevel;
  /** Name as the list writes it. */
  jurisdiction: string;
  state: string;
  county_fips: string | null;
  /** Same id scheme as the policy files (`state:CA`, `county:17031`, `city:MA:boston`). */
  jurisdiction_id: string;
  /** True while the transcription has not been checked against the publisher's own page. */
  is_transcribed_unverified: boolean;
}

/**
 * Reads the DOJ designation list (default `reference/designations/doj-2025-08-05.csv`) and checks
 * each row. Throws HandoffError('not_found') if the file is missing, 'invalid_reference' for a bad row.
 */
export async function loadDesignations(file: string = DEFAULT_DESIGNATIONS_FILE): Promise<Designation[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new HandoffError('not_found', `designation list not found: ${file}`, { cause });
  }
  const rows = parseCsv(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return rows.map((r, i) => {
    const row = i + 2;
    const bad = (why: string): never => {
      throw new HandoffError('invalid_reference', `invalid designation row: ${why}`, { location: { file, row } });
    };
    const level = r.level as JurisdictionLevel;
    if (level !== 'state' && level !== 'county' && level !== 'city') return bad(`level "${r.level}"`);
    const st = stateByPostal(r.state ?? '');
    if (!st) return bad(`state "${r.state}"`);
    const fips = (r.county_fips ?? '').trim();
    if (level === 'county' && (!/^\d{5}$/.test(fips) || fips.slice(0, 2) !== st.fips)) {
      return bad(`county FIPS "${fips}" is not a county of ${st.postal}`);
    }
    const expected = jurisdictionId(level, { state: st.postal, fips, name: r.jurisdiction ?? '' });
    if (r.jurisdiction_id !== expected) return bad(`jurisdiction_id "${r.jurisdiction_id}" (expected "${expected}")`);
    return {
      list: 'doj-2025-08-05',
      list_date: '2025-08-05',
      issued_by: 'U.S. Department of Justice',
      level,
      jurisdiction: r.jurisdiction ?? '',
      state: st.postal,
      county_fips: fips === '' ? null : fips,
      jurisdiction_id: expected,
      is_transcribed_unverified: true,
    };
  });
}
