/**
 * One ICE facility table read from a sheet's rows: the header row found by its names (DETLOC, Name or
 * Facility Name, City, State…), the group row above it ("ADP: Fiscal Year", "FY18 ADP: Criminality")
 * when there is one, and every row below sorted into facilities, totals rows, notes and rejects.
 *
 * Shared by ICE's facility lists (every facility has a DETLOC code) and the `Facilities FY19` /
 * `Facilities EOFY24` sheets of the detention-statistics workbooks (no code). A facility keeps its
 * identity and place as fields; every other cell is kept, numbers in `measures` and text in
 * `attributes`, under a key made from the column's name and, where the name alone is unclear, its
 * group (`FY18 ADP: Criminality / Male Crim`). Pure: rows in, records out.
 */
import { isRedacted } from '../../../core/redaction.ts';
import { findCounty, resolveState } from '../../../geo/index.ts';
import type { SourceRow } from '../../read-table.ts';

/** The fields a facility row is read into; everything else goes to `measures` or `attributes`. */
export type FacilityField =
  | 'detloc'
  | 'name'
  | 'address'
  | 'city'
  | 'county'
  | 'state'
  | 'zip'
  | 'aor'
  | 'facility_type'
  | 'facility_type_detailed';

/** Header spellings per field, folded (upper case, punctuation as spaces). */
const FIELD_HEADERS: Record<FacilityField, readonly string[]> = {
  detloc: ['DETLOC', 'DETLOC CODE', 'DETENTION FACILITY CODE', 'FACILITY CODE'],
  name: ['NAME', 'FACILITY NAME'],
  address: ['ADDRESS', 'STREET ADDRESS', 'FACILITY ADDRESS'],
  city: ['CITY', 'FACILITY CITY'],
  county: ['COUNTY', 'FACILITY COUNTY'],
  state: ['STATE', 'FACILITY STATE'],
  zip: ['ZIP', 'ZIP CODE', 'ZIPCODE', 'POSTAL CODE'],
  aor: ['AOR', 'FIELD OFFICE', 'AREA OF RESPONSIBILITY'],
  facility_type: ['TYPE', 'FACILITY TYPE'],
  facility_type_detailed: ['TYPE DETAILED', 'FACILITY TYPE DETAILED'],
};

const FIELD_ORDER = Object.keys(FIELD_HEADERS) as FacilityField[];

/** How many rows from the top are searched for the header. */
export const HEADER_SEARCH_ROWS = 25;
/** How far above the header a group row may sit (a "Source: …" line can come between). */
const GROUP_ROW_DISTANCE = 3;
/** A group cell longer than this, or reading as a sentence, is a note written in the group row. */
const MAX_GROUP_LABEL = 80;

/** Upper case, accents and punctuation folded to spaces, runs of space collapsed. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

/** A cell as text: trimmed (non-breaking spaces too), '' for empty; numbers as written by JavaScript. */
export function cellText(cell: string | number | null | undefined): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'number' ? String(cell) : cell.replace(/\u00a0/g, ' ').trim();
}

/** A row's non-empty cells joined with " | ", for notes. */
export function rowText(cells: readonly (string | number | null)[]): string {
  return cells.map(cellText).filter((t) => t !== '').join(' | ');
}

/** The field a header names, or undefined. */
export function fieldOfHeader(header: string): FacilityField | undefined {
  const folded = foldText(header);
  for (const [field, names] of Object.entries(FIELD_HEADERS) as [FacilityField, readonly string[]][]) {
    if (names.includes(folded)) return field;
  }
  return undefined;
}

/** Field → 0-based column of its first header cell. */
export type FieldColumns = Partial<Record<FacilityField, number>>;

/** The fields a header row names (first occurrence of each). */
export function mapFacilityHeader(cells: readonly (string | number | null)[]): FieldColumns {
  const out: FieldColumns = {};
  cells.forEach((cell, i) => {
    if (typeof cell !== 'string') return;
    const field = fieldOfHeader(cell);
    if (field && out[field] === undefined) out[field] = i;
  });
  return out;
}

/** Where a facility table's header is, and the group row above it. */
export interface FacilityHeader {
  /** Index into the rows given. */
  headerIndex: number;
  /** Index of the group row ("Facility Information", "ADP: Fiscal Year", …), or -1. */
  groupIndex: number;
  fields: FieldColumns;
}

/**
 * Finds the first row among the top HEADER_SEARCH_ROWS that names every required field, and the
 * group row above it: the nearest of the GROUP_ROW_DISTANCE rows above with two or more cells (a
 * single cell is a title or a "Source:" line).
 */
export function findFacilityHeader(rows: readonly SourceRow[], required: readonly FacilityField[]): FacilityHeader | null {
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let i = 0; i < limit; i++) {
    const fields = mapFacilityHeader(rows[i]!.cells);
    if (!required.every((f) => fields[f] !== undefined)) continue;
    let groupIndex = -1;
    for (let j = i - 1; j >= 0 && j >= i - GROUP_ROW_DISTANCE; j--) {
      const filled = rows[j]!.cells.filter((c) => cellText(c) !== '').length;
      if (filled >= 2) {
        groupIndex = j;
        break;
      }
    }
    return { headerIndex: i, groupIndex, fields };
  }
  return null;
}

/** True when a group-row cell is a group label, not a sentence of explanation. */
function isGroupLabel(text: string): boolean {
  return text.length > 0 && text.length <= MAX_GROUP_LABEL && !/[.!?]\s+\S/.test(text);
}

const GENERAL_GROUP = /^(GENERAL )?FACILITY INFORMATION$/;
const PERIOD_IN_NAME = /\b(?:FY|CY)\s?\d{2,4}\b/i;

/** One column that is neither a field nor empty: where its values go and under what key. */
export interface ValueColumn {
  column: number;
  header: string;
  group: string | null;
  key: string;
}

/**
 * The key of a value column: its name, or `group / name` when the group says what the name leaves
 * open (`Level A` under `FY19 ADP: Detainee Classification Level`). The name alone when there is no
 * group, the group is the general "Facility Information", the name already carries its fiscal year
 * (`FY19 ADP`) or begins with the group (`Population Count` under `Population`).
 */
export function valueKey(header: string, group: string | null): string {
  if (!group) return header;
  const g = foldText(group);
  if (GENERAL_GROUP.test(g) || PERIOD_IN_NAME.test(header) || foldText(header).startsWith(g)) return header;
  return `${group} / ${header}`;
}

/** The value columns of a header: every named column that is not a field, with unique keys. */
export function valueColumns(
  header: readonly (string | number | null)[],
  group: readonly (string | number | null)[] | null,
  fields: FieldColumns,
): { columns: ValueColumn[]; groupNotes: string[] } {
  const fieldCols = new Set(Object.values(fields));
  const groupAt: (string | null)[] = [];
  const groupNotes: string[] = [];
  let current: string | null = null;
  const width = Math.max(header.length, group?.length ?? 0);
  for (let c = 0; c < width; c++) {
    const text = cellText(group?.[c]);
    if (text !== '') {
      if (isGroupLabel(text)) current = text;
      else {
        groupNotes.push(text);
        current = null;
      }
    }
    groupAt.push(current);
  }
  const columns: ValueColumn[] = [];
  const used = new Set<string>();
  for (let c = 0; c < header.length; c++) {
    const name = cellText(header[c]);
    if (name === '' || fieldCols.has(c)) continue;
    let key = valueKey(name, groupAt[c] ?? null);
    for (let n = 2; used.has(key); n++) key = `${valueKey(name, groupAt[c] ?? null)} (${n})`;
    used.add(key);
    columns.push({ column: c, header: name, group: groupAt[c] ?? null, key });
  }
  return { columns, groupNotes };
}

/** A facility as read, with provenance. */
export interface FacilityRecord {
  source_row: number;
  /** Null when ICE redacted it (the ORR facilities of the 2017 list read `REDACTED`). */
  detloc: string | null;
  /** Null when ICE redacted it. */
  name: string | null;
  address: string | null;
  city: string | null;
  county: string | null;
  /** As written. */
  state: string | null;
  state_postal: string | null;
  zip: string | null;
  aor: string | null;
  facility_type: string | null;
  facility_type_detailed: string | null;
  county_fips: string | null;
  /** 'county_column' when the sheet's county and state name one county; null otherwise. */
  county_fips_method: 'county_column' | null;
  measures: Record<string, number>;
  attributes: Record<string, string>;
  /** Fields ICE withheld (`Redacted`, `(b)(7)(E)`): stored as null and named here. */
  redacted_fields: FacilityField[];
}

/** True for a withheld value: a FOIA exemption marker or the word `Redacted`. */
export function isWithheld(text: string): boolean {
  return isRedacted(text) || /^redacted$/i.test(text);
}

/** A row that looks like a facility but cannot be read as one. */
export interface FacilityReject {
  source_row: number;
  reason: string;
  raw: string;
}

/** A row below the header that is not a facility: a totals row, a footer, a side table. */
export interface FacilityNote {
  source_row: number;
  kind: 'title' | 'totals' | 'note';
  text: string;
}

export interface FacilityTable {
  /** 1-based row number of the header. */
  headerRow: number;
  groupRow: number | null;
  columns: ValueColumn[];
  facilities: FacilityRecord[];
  rejects: FacilityReject[];
  /** Title rows above the header, totals rows, footers and side tables below it. */
  notes: FacilityNote[];
  blankRows: number;
  totalsRows: number;
  /** The facility count a title row states ("1685 Facilities", "215 Authorized Facilities as of …"), or null. */
  declaredCount: number | null;
  /** The first date a title row gives (the data pull: "IIDS, 11/06/2017", "as of 03/25/2019"), ISO; or null. */
  dataAsOf: string | null;
}

/** ICE's DETLOC codes: letters and digits, 2 to 12 of them (`BTV`, `KRO`, `ORPARL2`, `STWRTGA`). */
const DETLOC = /^[A-Z0-9]{2,12}$/;
const TOTALS = /^(?:grand\s+)?totals?\b/i;
const DECLARED_COUNT = /^\s*(\d[\d,]*)\s+(?:[A-Za-z()/-]+\s+){0,3}?Facilities\b/i;
const TITLE_DATE = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/;

/** The count a title row states, e.g. "1685 Facilities, Source: …" → 1685. */
export function declaredFacilityCount(text: string): number | null {
  const match = text.match(DECLARED_COUNT);
  return match ? Number(match[1]!.replace(/,/g, '')) : null;
}

function isoDate(text: string): string | null {
  const match = text.match(TITLE_DATE);
  if (!match) return null;
  const [, mm, dd, yyyy] = match;
  const iso = `${yyyy}-${mm!.padStart(2, '0')}-${dd!.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** A ZIP code as text: ICE's sheets store it as a number, losing the leading zero (6357 → "06357"). */
export function zipText(cell: string | number | null | undefined): string | null {
  if (typeof cell === 'number') {
    return Number.isInteger(cell) && cell >= 0 && cell < 100_000 ? String(cell).padStart(5, '0') : String(cell);
  }
  const text = cellText(cell);
  if (/^\d{1,4}$/.test(text)) return text.padStart(5, '0');
  return text === '' ? null : text;
}

/**
 * Reads a facility table: header and group row (see findFacilityHeader), then each row below it.
 * With a DETLOC column, a facility is a row with a code and a name; a row with a code and no name,
 * or a name and no code, is rejected; a row whose DETLOC cell is not a code (a footer) or empty is a
 * note, or a totals row when it says Total. Without a DETLOC column, any row with a name is a
 * facility unless the name says Total. Returns null when no header names the required fields.
 */
export function readFacilityTable(rows: readonly SourceRow[], required: readonly FacilityField[]): FacilityTable | null {
  const header = findFacilityHeader(rows, required);
  if (!header) return null;
  const headerCells = rows[header.headerIndex]!.cells;
  const groupCells = header.groupIndex >= 0 ? rows[header.groupIndex]!.cells : null;
  const { columns, groupNotes } = valueColumns(headerCells, groupCells, header.fields);
  const f = header.fields;

  const notes: FacilityNote[] = [];
  let declaredCount: number | null = null;
  let dataAsOf: string | null = null;
  for (let i = 0; i < header.headerIndex; i++) {
    if (i === header.groupIndex) continue;
    const text = rowText(rows[i]!.cells);
    if (text === '') continue;
    notes.push({ source_row: rows[i]!.rowNumber, kind: 'title', text });
    declaredCount ??= declaredFacilityCount(text);
    dataAsOf ??= isoDate(text);
  }
  if (groupCells) {
    for (const text of groupNotes) {
      notes.push({ source_row: rows[header.groupIndex]!.rowNumber, kind: 'title', text });
      dataAsOf ??= isoDate(text);
    }
  }

  const facilities: FacilityRecord[] = [];
  const rejects: FacilityReject[] = [];
  let blankRows = 0;
  let totalsRows = 0;
  const at = (cells: SourceRow['cells'], field: FacilityField): string => (f[field] === undefined ? '' : cellText(cells[f[field]!]));
  for (const row of rows.slice(header.headerIndex + 1)) {
    const raw = rowText(row.cells);
    if (raw === '') {
      blankRows++;
      continue;
    }
    const detloc = at(row.cells, 'detloc').toUpperCase();
    const name = at(row.cells, 'name');
    if (TOTALS.test(detloc) || TOTALS.test(name) || (detloc === '' && name === '' && /\btotals?\b/i.test(raw))) {
      totalsRows++;
      notes.push({ source_row: row.rowNumber, kind: 'totals', text: raw });
      continue;
    }
    if (f.detloc !== undefined) {
      if (detloc !== '' && !DETLOC.test(detloc)) {
        notes.push({ source_row: row.rowNumber, kind: 'note', text: raw });
        continue;
      }
      if (detloc === '' && name === '') {
        notes.push({ source_row: row.rowNumber, kind: 'note', text: raw });
        continue;
      }
      if (detloc === '' || name === '') {
        rejects.push({ source_row: row.rowNumber, reason: detloc === '' ? 'a facility without a DETLOC code' : 'a DETLOC code without a facility name', raw });
        continue;
      }
    } else if (name === '') {
      notes.push({ source_row: row.rowNumber, kind: 'note', text: raw });
      continue;
    }
    facilities.push(facilityRecord(row, f, columns));
  }
  return {
    headerRow: rows[header.headerIndex]!.rowNumber,
    groupRow: header.groupIndex >= 0 ? rows[header.groupIndex]!.rowNumber : null,
    columns,
    facilities,
    rejects,
    notes,
    blankRows,
    totalsRows,
    declaredCount,
    dataAsOf,
  };
}

function facilityRecord(row: SourceRow, f: FieldColumns, columns: readonly ValueColumn[]): FacilityRecord {
  const redacted: FacilityField[] = [];
  const text = (field: FacilityField): string | null => {
    if (f[field] === undefined) return null;
    const t = cellText(row.cells[f[field]!]).replace(/\s+/g, ' ');
    if (t !== '' && isWithheld(t)) {
      if (!redacted.includes(field)) redacted.push(field);
      return null;
    }
    return t === '' ? null : t;
  };
  const detloc = text('detloc')?.toUpperCase() ?? null;
  const name = text('name');
  const stateText = text('state');
  const state = stateText ? resolveState(stateText) : undefined;
  const countyText = text('county');
  const county = state && countyText ? findCounty(state.fips, countyText) : undefined;
  const measures: Record<string, number> = {};
  const attributes: Record<string, string> = {};
  for (const c of columns) {
    const cell = row.cells[c.column];
    if (typeof cell === 'number') {
      if (Number.isFinite(cell)) measures[c.key] = cell;
    } else {
      const t = cellText(cell);
      if (t !== '') attributes[c.key] = t;
    }
  }
  return {
    source_row: row.rowNumber,
    detloc,
    name,
    address: text('address'),
    city: text('city'),
    county: countyText,
    state: stateText,
    state_postal: state?.postal ?? null,
    zip: f.zip === undefined || text('zip') === null ? null : zipText(row.cells[f.zip]),
    aor: text('aor'),
    facility_type: text('facility_type') ?? text('facility_type_detailed'),
    facility_type_detailed: text('facility_type_detailed'),
    county_fips: county?.fips ?? null,
    county_fips_method: county ? 'county_column' : null,
    measures,
    attributes,
    redacted_fields: FIELD_ORDER.filter((field) => redacted.includes(field)),
  };
}
