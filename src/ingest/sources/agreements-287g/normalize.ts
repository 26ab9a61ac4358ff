/**
 * Normalizes rows of ICE's 287(g) participating/pending agency sheets into agreements, one per
 * (agency, support type) row, with the county resolved to a FIPS code. Pure: the caller reads the
 * workbook (src/xlsx) and passes the header and rows.
 *
 * Whether a sheet lists participating or pending agencies is read from its header (only agreements
 * in force have a SIGNED column), not only from the file name. A SIGNED value is read when it has one
 * reading (`05/082025`, `5/8/2025`, `May 8, 2025`, an Excel serial); any other is stored as null and
 * listed with its text: no agreement is dropped for its SIGNED value.
 */
import { HandoffError } from '../../../core/errors.ts';
import { findCounty, resolveState, toPlainUpper } from '../../../geo/index.ts';
import { headerKey, mapHeader, parseSupportType, REQUIRED_287G_FIELDS } from './columns.ts';
import type { Agreement287gField, SupportType } from './columns.ts';

/** A row as the xlsx reader gives it. */
export interface SheetRow {
  /** 1-based row number in the sheet. */
  rowNumber: number;
  cells: (string | number | null)[];
}

/** Where the rows came from. */
export interface Agreement287gSource {
  /** File name, e.g. "participatingAgencies05182026am.xlsx". */
  file: string;
  /** Date of the sheet, 'YYYY-MM-DD' (ICE puts it in the file name). */
  snapshotDate: string;
  /** Defaults to what the header says (see `sheetStatus`). */
  status?: 'participating' | 'pending';
}

/** One 287(g) agreement row. */
export interface Agreement287g {
  state: string;
  /** State postal code. */
  state_postal: string;
  agency: string;
  /** TYPE as written, trimmed: "County", "Municipality", "State Agency". */
  agency_type: string | null;
  /** COUNTY as written, trimmed; null for "#N/A", "N/A" or blank. */
  county_name: string | null;
  county_fips: string | null;
  /** How county_fips was found: from the COUNTY column, or from "<X> County" in the agency name. */
  county_fips_method: 'county_column' | 'agency_name' | null;
  support_type: SupportType;
  support_type_raw: string;
  /**
   * SIGNED as 'YYYY-MM-DD'; null when blank (the pending sheet has no SIGNED column) or unreadable
   * (then listed in `signed_unread` with its text).
   */
  signed_date: string | null;
  /** MOA cell text: ICE writes "link" or "link pending" (the hyperlink target is not cell text). */
  moa_text: string | null;
  /** MOA address, when the cell holds one. */
  moa_url?: string;
  /** ADDENDUM cell text, when present. */
  addendum?: string;
  status: 'participating' | 'pending';
  snapshot_date: string;
  source_file: string;
  source_row: number;
}

/** A row that could not be read, and why. */
export interface Agreement287gReject {
  source_row: number;
  reason: string;
}

/** Result of `normalize287gRows`. */
export interface Agreement287gResult {
  agreements: Agreement287g[];
  rejects: Agreement287gReject[];
  /** Rows with no value in any column (Excel's formatted-but-empty tail); not data, counted here. */
  blank_rows: number;
  /** The sheet's status, and how it was told. */
  status: 'participating' | 'pending';
  status_note: string;
  /** Non-blank SIGNED cells among the agreements. */
  signed_filled: number;
  /** Agreements kept with SIGNED null because its text has no single reading. */
  signed_unread: { source_row: number; raw: string; reason: string }[];
  /** SIGNED cells that were text, not a date cell, and were read: the text and the date it gave. */
  signed_from_text: { source_row: number; raw: string; date: string }[];
}

/** Participating or pending, as the header and file name tell it. */
export interface SheetStatus {
  status: 'participating' | 'pending';
  /** 'header' when the header decided; 'file_name' when only the name could. */
  basis: 'header' | 'file_name';
  note: string;
}

const NO_VALUE = new Set(['', '#N/A', '#NA', 'N/A', 'NA', 'NONE']);

function text(cell: string | number | null | undefined): string {
  if (cell === null || cell === undefined) return '';
  return String(cell).replace(/\s+/g, ' ').trim();
}

/** Excel 1900-system serial day number -> 'YYYY-MM-DD' (serials after 1 March 1900). */
function serialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 61 || serial > 2958465) return null;
  const ms = Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

function isValidIso(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];

/** 1-12 for a month name or an abbreviation of at least three letters ("Sept", "Sep."), else 0. */
function monthNumber(word: string): number {
  const w = word.replace(/\.$/, '').toUpperCase();
  if (w.length < 3) return 0;
  return MONTHS.findIndex((m) => m.startsWith(w)) + 1;
}

/** A SIGNED year outside this range is a typo, not a date (287(g) dates from 1996; agreements from 2002). */
const SIGNED_MIN_YEAR = 1996;
const SIGNED_MAX_YEAR = 2099;

function signedIso(y: number, m: number, d: number, t: string): string {
  if (!isValidIso(y, m, d)) throw new HandoffError('bad_value', `SIGNED "${t}" is not a calendar date`);
  if (y < SIGNED_MIN_YEAR || y > SIGNED_MAX_YEAR) throw new HandoffError('bad_value', `SIGNED "${t}" has an impossible year ${y}`);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Reads a SIGNED cell: an ISO date from the xlsx reader, an Excel serial number, or text with one
 * reading: "5/18/2025", "05/18/25", "5-18-2025", "05/182025" (ICE's missing slash), "0518/2025",
 * "05182025", "2025-05-18", "2025/05/18", "May 18, 2025", "18 May 2025". Month-first, as ICE writes;
 * "18/5/2025" is not read as day-first. Returns null for blank and throws 'bad_value' for anything
 * else, or a year outside 1996-2099.
 */
export function parseSignedDate(cell: string | number | null): string | null {
  if (typeof cell === 'number') {
    const iso = serialToIso(cell);
    if (!iso) throw new HandoffError('bad_value', `SIGNED ${cell} is not a date serial`);
    return signedIso(+iso.slice(0, 4), +iso.slice(5, 7), +iso.slice(8, 10), String(cell));
  }
  const raw = text(cell);
  if (NO_VALUE.has(raw.toUpperCase())) return null;
  const t = raw.replace(/\s*([/.-])\s*/g, '$1');
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(t) ?? /^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})$/.exec(t);
  if (m) return m.length === 4 ? signedIso(+m[1]!, +m[2]!, +m[3]!, raw) : signedIso(+m[1]!, +m[3]!, +m[4]!, raw);
  m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/.exec(t);
  if (m) return signedIso(m[4]!.length === 2 ? 2000 + Number(m[4]) : Number(m[4]), +m[1]!, +m[3]!, raw);
  // A separator missing: "05/082025" (M/DDYYYY), "0508/2025" (MMDD/YYYY), "05082025" (MMDDYYYY).
  m = /^(\d{1,2})\/(\d{1,2})(\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})\/(\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (m) return signedIso(+m[3]!, +m[1]!, +m[2]!, raw);
  m = /^([A-Za-z]+\.?)\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})$/.exec(t);
  if (m && monthNumber(m[1]!) > 0) return signedIso(+m[3]!, monthNumber(m[1]!), +m[2]!, raw);
  m = /^(\d{1,2})(?:st|nd|rd|th)?\s*([A-Za-z]+\.?),?\s*(\d{4})$/.exec(t);
  if (m && monthNumber(m[2]!) > 0) return signedIso(+m[3]!, monthNumber(m[2]!), +m[1]!, raw);
  if (/^\d+(\.\d+)?$/.test(t)) return parseSignedDate(Number(t));
  throw new HandoffError('bad_value', `SIGNED "${raw}" is not a date`);
}

/** Every SIGNED date that reads in the rows (unreadable and blank ones left out). */
export function signedDatesOf(header: readonly (string | number | null)[], rows: readonly SheetRow[]): string[] {
  const at = mapHeader(header).signed;
  if (at === undefined) return [];
  const out: string[] = [];
  for (const row of rows) {
    try {
      const iso = parseSignedDate(row.cells[at] ?? null);
      if (iso) out.push(iso);
    } catch {
      // Counted by normalize287gRows; nothing to bound the snapshot with.
    }
  }
  return out;
}

/**
 * Participating or pending. The header decides: a sheet with a SIGNED column holding dates lists
 * agreements in force; one without SIGNED (or with SIGNED empty throughout) lists pending
 * agencies. The file name ("pendingAgencies…", "participatingAgencies…") is reported, and overruled
 * with a note when it disagrees.
 */
export function sheetStatus(header: readonly (string | number | null)[], rows: readonly SheetRow[], fileName: string): SheetStatus {
  const at = mapHeader(header).signed;
  const named = /pending/i.test(fileName) ? 'pending' : /participat/i.test(fileName) ? 'participating' : null;
  const filled = at === undefined ? 0 : rows.filter((r) => text(r.cells[at] ?? null) !== '').length;
  const status: SheetStatus['status'] = at !== undefined && filled > 0 ? 'participating' : 'pending';
  const why =
    at === undefined ? 'the header has no SIGNED column' : filled > 0 ? 'the header has a SIGNED column with dates' : 'its SIGNED column is empty throughout';
  if (named === null) return { status, basis: 'header', note: `${status}: ${why} (the file name does not say)` };
  if (named === status) return { status, basis: 'header', note: `${status}: ${why}, as the file name says` };
  return { status, basis: 'header', note: `${status}: ${why}, though the file name says ${named}; the header wins` };
}

/** "<X> County" (or Parish/Borough) at the start of an agency name -> county FIPS. */
function countyFromAgencyName(stateFips: string, agency: string): string | null {
  const m = /^(.+?) (COUNTY|PARISH|BOROUGH)\b/.exec(toPlainUpper(agency));
  return m ? (findCounty(stateFips, `${m[1]} ${m[2]}`)?.fips ?? null) : null;
}

/**
 * Normalizes one sheet of ICE's 287(g) agencies. Header names are matched case-insensitively after
 * trimming; values are trimmed. Fully blank rows are counted, not returned; a repeated header row,
 * an unknown state, a missing agency or an unknown support type makes a reject with its row number.
 * An unreadable SIGNED date does not: the agreement is kept with signed_date null and the text is
 * listed in `signed_unread`. A county that cannot be resolved leaves county_fips null (state
 * agencies have "#N/A").
 *
 * @throws HandoffError('unknown_layout') when a required column is missing from the header.
 */
export function normalize287gRows(
  header: readonly (string | number | null)[],
  rows: readonly SheetRow[],
  source: Agreement287gSource,
): Agreement287gResult {
  const columns = mapHeader(header);
  const missing = REQUIRED_287G_FIELDS.filter((f) => columns[f] === undefined);
  if (missing.length > 0) {
    throw new HandoffError('unknown_layout', `287(g) sheet lacks column(s): ${missing.join(', ')}`, {
      location: { file: source.file },
      details: { header: header.map(headerKey) },
    });
  }
  const told = source.status
    ? { status: source.status, note: `${source.status}: as the caller says` }
    : sheetStatus(header, rows, source.file);
  const status = told.status;
  const cell = (row: SheetRow, field: Agreement287gField): string | number | null => {
    const i = columns[field];
    return i === undefined ? null : (row.cells[i] ?? null);
  };
  const headerText = header.map(headerKey).join('|');
  const result: Agreement287gResult = {
    agreements: [],
    rejects: [],
    blank_rows: 0,
    status,
    status_note: told.note,
    signed_filled: 0,
    signed_unread: [],
    signed_from_text: [],
  };
  for (const row of rows) {
    const reject = (reason: string): void => {
      result.rejects.push({ source_row: row.rowNumber, reason });
    };
    if (row.cells.every((c) => text(c) === '')) {
      result.blank_rows += 1;
      continue;
    }
    if (row.cells.map(headerKey).join('|') === headerText) {
      reject('repeated header row');
      continue;
    }
    const stateText = text(cell(row, 'state'));
    const state = resolveState(stateText);
    if (!state) {
      reject(stateText === '' ? 'no STATE' : `unknown STATE "${stateText}"`);
      continue;
    }
    const agency = text(cell(row, 'agency'));
    if (agency === '') {
      reject('no LAW ENFORCEMENT AGENCY');
      continue;
    }
    const supportRaw = text(cell(row, 'support_type'));
    const supportType = parseSupportType(supportRaw);
    if (!supportType) {
      reject(supportRaw === '' ? 'no SUPPORT TYPE' : `unknown SUPPORT TYPE "${supportRaw}"`);
      continue;
    }
    // An unreadable SIGNED never costs the agreement: it is kept with SIGNED null, its text listed.
    const signedCell = cell(row, 'signed');
    let signed: string | null = null;
    if (text(signedCell) !== '') result.signed_filled += 1;
    try {
      signed = parseSignedDate(signedCell);
      if (signed && typeof signedCell === 'string' && !/^\d{4}-\d{2}-\d{2}/.test(signedCell.trim())) {
        result.signed_from_text.push({ source_row: row.rowNumber, raw: signedCell, date: signed });
      }
    } catch (e) {
      result.signed_unread.push({ source_row: row.rowNumber, raw: String(signedCell), reason: e instanceof Error ? e.message : String(e) });
    }
    const countyText = text(cell(row, 'county'));
    const countyName = NO_VALUE.has(countyText.toUpperCase()) ? null : countyText;
    let countyFips: string | null = countyName ? (findCounty(state.fips, countyName)?.fips ?? null) : null;
    let method: Agreement287g['county_fips_method'] = countyFips ? 'county_column' : null;
    if (!countyFips && countyName === null) {
      countyFips = countyFromAgencyName(state.fips, agency);
      if (countyFips) method = 'agency_name';
    }
    const agencyType = text(cell(row, 'agency_type'));
    const moa = text(cell(row, 'moa'));
    const addendum = text(cell(row, 'addendum'));
    const agreement: Agreement287g = {
      state: state.name,
      state_postal: state.postal,
      agency,
      agency_type: agencyType === '' ? null : agencyType,
      county_name: countyName,
      county_fips: countyFips,
      county_fips_method: method,
      support_type: supportType,
      support_type_raw: supportRaw,
      signed_date: signed,
      moa_text: moa === '' ? null : moa,
      status,
      snapshot_date: source.snapshotDate,
      source_file: source.file,
      source_row: row.rowNumber,
    };
    if (/^https?:\/\//i.test(moa)) agreement.moa_url = moa;
    if (addendum !== '') agreement.addendum = addendum;
    result.agreements.push(agreement);
  }
  return result;
}
