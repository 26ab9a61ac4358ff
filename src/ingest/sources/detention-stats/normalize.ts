/**
 * ICE's detention-statistics workbooks (FY19-detentionstats.xlsx, FY24_detentionStats.xlsx, …) →
 * per-facility records, long-format table cells and notes.
 *
 * Each sheet is one of three kinds: a facilities sheet (`Facilities FY19`, `Facilities EOFY24`: a header
 * naming Name, City and State, read like a facility list, one record per facility with its measures as
 * a map); a notes sheet (`Header`, `Footnotes`: kept line by line); or a sheet of small tables
 * (`ATD FY19`, `Detention FY24`, `Semiannual`, …: every value a cell, see tables.ts). The fiscal year
 * comes from the sheet names (FY19 → 2019, EOFY24 → 2024), a sheet naming its own year (`ATD EOFY23 `)
 * keeping it.
 */
import { countNote, type SheetRows } from '../facility-lists/normalize.ts';
import { readFacilityTable, rowText, type FacilityRecord, type FacilityReject } from '../facility-lists/facility-table.ts';
import { extractStatTables, type StatCell, type StatNote, type StatTable } from './tables.ts';

/** The fiscal year a sheet name or title names: `FY19`, `EOFY24`, `FY 2024`, `EOFY2024` → 2019, 2024. */
export function fiscalYearOf(text: string): number | null {
  const match = text.match(/(?:^|[^A-Za-z])(?:EO)?FY\s?(\d{4}|\d{2})(?!\d)/i);
  if (!match) return null;
  const n = Number(match[1]);
  return match[1]!.length === 2 ? 2000 + n : n;
}

/** Sheets of text only. */
const NOTES_SHEET = /^\s*(header|footnotes?|notes?)\s*$/i;
/** The sheet names ICE gives a detention-statistics workbook. */
const STATS_SHEET = /^\s*(?:ATD|Detention|Facilities)\s+(?:EO)?FY\s?\d{2,4}\s*$/i;

/** True when a workbook's sheet names, or the first line of its first sheet, say it is detention statistics. */
export function looksLikeDetentionStats(sheetNames: readonly string[], firstLine: string | null): boolean {
  return sheetNames.some((s) => STATS_SHEET.test(s)) || /^ICE Detention Statistics\b/i.test(firstLine ?? '');
}

export interface DetentionStatFacility extends FacilityRecord {
  sheet: string;
  fiscal_year: number | null;
  data_as_of: string | null;
}

export interface DetentionStatCell extends StatCell {
  sheet: string;
  fiscal_year: number | null;
}

export interface DetentionStatNote {
  sheet: string;
  source_row: number;
  source_col: number | null;
  kind: StatNote['kind'] | 'note' | 'totals';
  text: string;
  table_index: number | null;
}

export interface DetentionStatSheet {
  sheet: string;
  kind: 'facilities' | 'tables' | 'notes';
  fiscalYear: number | null;
  /** Facilities for a facilities sheet, cells for a sheet of tables, lines for a notes sheet. */
  rows: number;
  rejects: number;
  tables: number;
  note: string;
}

export interface DetentionStatsResult {
  /** The workbook's fiscal year: its facilities sheet's, else the most frequent in the sheet names. */
  fiscalYear: number | null;
  facilities: DetentionStatFacility[];
  cells: DetentionStatCell[];
  tables: (StatTable & { sheet: string })[];
  notes: DetentionStatNote[];
  rejects: (FacilityReject & { sheet: string })[];
  sheets: DetentionStatSheet[];
}

function workbookYear(sheets: readonly SheetRows[], facilitySheets: ReadonlySet<string>): number | null {
  for (const s of sheets) if (facilitySheets.has(s.sheet) && fiscalYearOf(s.sheet) !== null) return fiscalYearOf(s.sheet);
  const counts = new Map<number, number>();
  for (const s of sheets) {
    const fy = fiscalYearOf(s.sheet);
    if (fy !== null) counts.set(fy, (counts.get(fy) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0];
  if (best) return best[0];
  for (const s of sheets) {
    for (const r of s.rows.slice(0, 10)) {
      const fy = fiscalYearOf(rowText(r.cells));
      if (fy !== null) return fy;
    }
  }
  return null;
}

/** Reads every sheet of a detention-statistics workbook. */
export function normalizeDetentionStats(sheets: readonly SheetRows[]): DetentionStatsResult {
  const read = sheets.map((s) => ({
    ...s,
    facilityTable: NOTES_SHEET.test(s.sheet) ? null : readFacilityTable(s.rows, ['name', 'city', 'state']),
  }));
  const fiscalYear = workbookYear(sheets, new Set(read.filter((s) => s.facilityTable).map((s) => s.sheet)));
  const out: DetentionStatsResult = { fiscalYear, facilities: [], cells: [], tables: [], notes: [], rejects: [], sheets: [] };
  for (const { sheet, rows, facilityTable } of read) {
    const fy = fiscalYearOf(sheet) ?? fiscalYear;
    if (NOTES_SHEET.test(sheet)) {
      let lines = 0;
      for (const row of rows) {
        const text = rowText(row.cells);
        if (text === '') continue;
        lines++;
        out.notes.push({ sheet, source_row: row.rowNumber, source_col: null, kind: 'note', text, table_index: null });
      }
      out.sheets.push({ sheet, kind: 'notes', fiscalYear: fy, rows: lines, rejects: 0, tables: 0, note: `${lines} lines of notes` });
      continue;
    }
    if (facilityTable) {
      for (const f of facilityTable.facilities) out.facilities.push({ ...f, sheet, fiscal_year: fy, data_as_of: facilityTable.dataAsOf });
      for (const r of facilityTable.rejects) out.rejects.push({ ...r, sheet });
      for (const n of facilityTable.notes) {
        out.notes.push({ sheet, source_row: n.source_row, source_col: null, kind: n.kind, text: n.text, table_index: null });
      }
      out.sheets.push({
        sheet, kind: 'facilities', fiscalYear: fy, rows: facilityTable.facilities.length, rejects: facilityTable.rejects.length, tables: 0,
        note: countNote(facilityTable.declaredCount, facilityTable.facilities.length, facilityTable.rejects.length),
      });
      continue;
    }
    const found = extractStatTables(rows);
    for (const c of found.cells) out.cells.push({ ...c, sheet, fiscal_year: fy });
    for (const t of found.tables) out.tables.push({ ...t, sheet });
    for (const n of found.notes) out.notes.push({ ...n, sheet });
    out.sheets.push({
      sheet, kind: 'tables', fiscalYear: fy, rows: found.cells.length, rejects: 0, tables: found.tables.length,
      note: `${found.tables.length} tables, ${found.cells.length} cells, ${found.notes.length} notes`,
    });
  }
  return out;
}
