/**
 * Normalizes rows of ICE's 287(g) participating/pending agency sheets into agreements, one per
 * (agency, support type) row, with the county resolved to a FIPS code. Pure: the caller reads the
 * workbook (src/xlsx) and passes the header and rows.
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
  /** Defaults to 'pending' when the file name contains "pending", else 'participating'. */
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
  /** SIGNED as 'YYYY-MM-DD'; null when blank (the pending sheet has no SIGNED column). */
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

/**
 * Reads a SIGNED cell: an ISO date from the xlsx reader, an Excel serial number, or text such as
 * "5/18/2025" or "2025-05-18". Returns null for blank and throws 'bad_value' for anything else.
 */
export function parseSignedDate(cell: string | number | null): string | null {
  if (typeof cell === 'number') {
    const iso = serialToIso(cell);
    if (!iso) throw new HandoffError('bad_value', `SIGNED ${cell} is not a date serial`);
    return iso;
  }
  const t = text(cell);
  if (NO_VALUE.has(t.toUpperCase())) return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(t);
  if (m && isValidIso(+m[1]!, +m[2]!, +m[3]!)) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(t);
  if (m) {
    const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    if (isValidIso(year, +m[1]!, +m[2]!)) {
      return `${year}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
    }
  }
  if (/^\d+(\.\d+)?$/.test(t)) return parseSignedDate(Number(t));
  throw new HandoffError('bad_value', `SIGNED "${t}" is not a date`);
}

/** "<X> County" (or Parish/Borough) at the start of an agency name -> county FIPS. */
function countyFromAgencyName(stateFips: string, agency: string): string | null {
  const m = /^(.+?) (COUNTY|PARISH|BOROUGH)\b/.exec(toPlainUpper(agency));
  return m ? (findCounty(stateFips, `${m[1]} ${m[2]}`)?.fips ?? null) : null;
}

/**
 * Normalizes one sheet of ICE's 287(g) agencies. Header names are matched case-insensitively after
 * trimming; values are trimmed. Fully blank rows are counted, not returned; a repeated header row,
 * an unknown state, a missing agency, an unknown support type or an unreadable SIGNED date makes a
 * reject with its row number. A county that cannot be resolved leaves county_fips null (state
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
  const status = source.status ?? (/pending/i.test(source.file) ? 'pending' : 'participating');
  const cell = (row: SheetRow, field: Agreement287gField): string | number | null => {
    const i = columns[field];
    return i === undefined ? null : (row.cells[i] ?? null);
  };
  const headerText = header.map(headerKey).join('|');
  const result: Agreement287gResult = { agreements: [], rejects: [], blank_rows: 0 };
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
    let signed: string | null;
    try {
      signed = parseSignedDate(cell(row, 'signed'));
    } catch (e) {
      reject(e instanceof Error ? e.message : String(e));
      continue;
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
