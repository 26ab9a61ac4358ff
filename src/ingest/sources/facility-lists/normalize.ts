/**
 * ICE facility lists (the IIDS "Facility List Report" of 11/06/2017, the authorized-facilities list of
 * FOIA 2019-ICFO-31121, …) → one record per facility per sheet, with provenance.
 *
 * Every sheet whose header names DETLOC and a name (`Name` or `Facility Name`) is a facility sheet and
 * loads: the 2017 workbook has eleven of them (`Facility List - Main`, `Authorized List - DMCP`,
 * `GM Facilities`, …), so one facility appears on several sheets and each row says which. A sheet
 * without such a header (`Notes`, `Facility Type`) is kept as text notes. A title row's count
 * ("1685 Facilities") is checked against the rows read and the outcome reported per sheet.
 */
import { readFacilityTable, rowText, type FacilityNote, type FacilityRecord, type FacilityReject } from './facility-table.ts';
import type { SourceRow } from '../../read-table.ts';

/** One sheet as read by the workbook reader. */
export interface SheetRows {
  sheet: string;
  rows: SourceRow[];
}

/** A facility sheet's outcome. */
export interface FacilityListSheet {
  sheet: string;
  kind: 'facilities' | 'notes';
  headerRow: number | null;
  rows: number;
  rejects: number;
  totalsRows: number;
  /** The count the sheet's title states, or null. */
  declaredCount: number | null;
  /** The first date the title rows give (the data pull), ISO. */
  dataAsOf: string | null;
  /** "title says 1685 facilities; 1685 read", a mismatch, or why the sheet is notes. */
  note?: string;
}

export interface FacilityListRow extends FacilityRecord {
  sheet: string;
  /** The sheet's data date, else the workbook's. */
  data_as_of: string | null;
}

/** A note with the sheet it came from. */
export interface SheetNote extends FacilityNote {
  sheet: string;
}

export interface FacilityListResult {
  facilities: FacilityListRow[];
  rejects: (FacilityReject & { sheet: string })[];
  notes: SheetNote[];
  sheets: FacilityListSheet[];
}

/** True when a sheet's header names a facility list's fields (DETLOC and a name). */
export function isFacilityListSheet(rows: readonly SourceRow[]): boolean {
  return readFacilityTable(rows.slice(0, 30), ['detloc', 'name']) !== null;
}

/** The report line of a sheet's declared count against the rows read. */
export function countNote(declared: number | null, read: number, rejected = 0): string {
  const also = rejected > 0 ? ` (and ${rejected} rejected)` : '';
  if (declared === null) return `${read} facilities read${also}; the title states no count`;
  if (declared === read) return `title says ${declared} facilities; ${read} read${also}`;
  return `title says ${declared} facilities but ${read} were read${also} (${read > declared ? 'more' : 'fewer'} than stated)`;
}

/** Reads every sheet of a facility-list workbook. */
export function normalizeFacilityList(sheets: readonly SheetRows[]): FacilityListResult {
  const facilities: FacilityListRow[] = [];
  const rejects: (FacilityReject & { sheet: string })[] = [];
  const notes: SheetNote[] = [];
  const out: FacilityListSheet[] = [];
  const tables = sheets.map((s) => ({ ...s, table: readFacilityTable(s.rows, ['detloc', 'name']) }));
  const workbookDate = tables.find((t) => t.table?.dataAsOf)?.table?.dataAsOf ?? null;
  for (const { sheet, rows, table } of tables) {
    if (!table) {
      for (const row of rows) {
        const text = rowText(row.cells);
        if (text !== '') notes.push({ sheet, source_row: row.rowNumber, kind: 'note', text });
      }
      out.push({
        sheet, kind: 'notes', headerRow: null, rows: 0, rejects: 0, totalsRows: 0, declaredCount: null, dataAsOf: null,
        note: 'no DETLOC and Name header: kept as notes',
      });
      continue;
    }
    const asOf = table.dataAsOf ?? workbookDate;
    for (const f of table.facilities) facilities.push({ ...f, sheet, data_as_of: asOf });
    for (const r of table.rejects) rejects.push({ ...r, sheet });
    for (const n of table.notes) notes.push({ ...n, sheet });
    out.push({
      sheet,
      kind: 'facilities',
      headerRow: table.headerRow,
      rows: table.facilities.length,
      rejects: table.rejects.length,
      totalsRows: table.totalsRows,
      declaredCount: table.declaredCount,
      dataAsOf: table.dataAsOf,
      note: countNote(table.declaredCount, table.facilities.length, table.rejects.length),
    });
  }
  return { facilities, rejects, notes, sheets: out };
}
