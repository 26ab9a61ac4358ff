/**
 * Header aliases for ICE's 287(g) sheets ("participating agencies" and "pending agencies"), and the
 * header of the side tables ICE leaves in some workbooks (state tallies by model), which are not
 * agreements. Headers are matched after trimming, collapsing spaces and upper-casing.
 */

/** The fields of a 287(g) row, by their canonical names. */
export type Agreement287gField =
  | 'state'
  | 'agency'
  | 'agency_type'
  | 'county'
  | 'support_type'
  | 'signed'
  | 'moa'
  | 'addendum';

/** Accepted header spellings per field (upper case). */
export const AGREEMENT_287G_COLUMNS: Record<Agreement287gField, readonly string[]> = {
  state: ['STATE'],
  agency: ['LAW ENFORCEMENT AGENCY', 'AGENCY', 'LEA'],
  agency_type: ['TYPE', 'AGENCY TYPE'],
  county: ['COUNTY'],
  support_type: ['SUPPORT TYPE', 'MODEL', 'PROGRAM TYPE'],
  signed: ['SIGNED', 'DATE SIGNED', 'SIGNED DATE'],
  moa: ['MOA'],
  addendum: ['ADDENDUM'],
};

/** Fields a sheet must have for its rows to be read. */
export const REQUIRED_287G_FIELDS: readonly Agreement287gField[] = ['state', 'agency', 'support_type'];

/** ICE's three 287(g) models. */
export type SupportType = 'jail_enforcement' | 'warrant_service_officer' | 'task_force';

/**
 * Maps a SUPPORT TYPE value to a model, tolerant of case, trailing spaces and the variants seen
 * ("Warrant Services Officer" in the pending sheet). Undefined for anything else.
 */
export function parseSupportType(raw: string): SupportType | undefined {
  const t = raw.trim().replace(/\s+/g, ' ').toUpperCase();
  if (/^JAIL ENFORCEMENT( MODEL)?$/.test(t) || t === 'JEM') return 'jail_enforcement';
  if (/^WARRANT SERVICES? OFFICERS?( MODEL)?$/.test(t) || t === 'WSO') return 'warrant_service_officer';
  if (/^TASK FORCE( MODEL)?$/.test(t) || t === 'TFM') return 'task_force';
  return undefined;
}

/** Normalizes a header cell for lookup. */
export function headerKey(cell: string | number | null | undefined): string {
  return String(cell ?? '').trim().replace(/\s+/g, ' ').toUpperCase();
}

/** Column index of each field found in a header row (first occurrence wins). */
export function mapHeader(header: readonly (string | number | null)[]): Partial<Record<Agreement287gField, number>> {
  const out: Partial<Record<Agreement287gField, number>> = {};
  header.forEach((cell, i) => {
    const key = headerKey(cell);
    for (const [field, aliases] of Object.entries(AGREEMENT_287G_COLUMNS) as [Agreement287gField, readonly string[]][]) {
      if (out[field] === undefined && aliases.includes(key)) out[field] = i;
    }
  });
  return out;
}

/** Headers of a tally table: counts by model ("Total, , JEM, , TFM, , WSO"), not agreements. */
const TALLY_WORDS = new Set(['TOTAL', 'TOTALS', 'COUNT', 'GRAND TOTAL', 'STATE', 'STATES', 'JEM', 'TFM', 'WSO']);

/**
 * True when a row is the header of a side table of tallies: at least two filled cells, every one a
 * model (abbreviated or not), "Total" or "State", and at least one a model.
 */
export function isTallyHeader(cells: readonly (string | number | null)[]): boolean {
  const keys = cells.map(headerKey).filter((k) => k !== '');
  return (
    keys.length >= 2 &&
    keys.every((k) => TALLY_WORDS.has(k) || parseSupportType(k) !== undefined) &&
    keys.some((k) => parseSupportType(k) !== undefined)
  );
}
