/**
 * ICE's facility lists and detention-statistics workbooks through the same guarantees as the releases
 * (content-hashed by the caller, one transaction per file, rejects kept). Neither is a table of
 * person-level records, so neither matches a family layout ("no known ICE table layout"); the
 * pipeline offers such a file here once the ICE layouts and the 287(g) sheet test have passed on it.
 *
 * - A facility list (any sheet whose header names DETLOC and Name) → `facility_list_rows`, one row per
 *   facility per sheet, every facility sheet of the workbook (src/ingest/sources/facility-lists).
 * - A detention-statistics workbook (sheets `Detention FY19`, `Facilities EOFY24`, …) → its facilities
 *   sheet into `detention_stat_facilities`, every other table's values into `detention_stat_cells`
 *   (src/ingest/sources/detention-stats).
 * - Text that is not data (notes sheets, titles, captions, footnotes, totals rows) → `facility_source_notes`.
 *
 * Each file is meant to be a release of its own (kind `facility_list` or `detention_stats`), like a
 * 287(g) sheet: `loadFacilitySourceRelease` makes that release and its `source_files` row and loads the
 * file; `loadFacilitySourceFile` only loads, for a caller that made them itself.
 */
import path from 'node:path';
import { stat } from 'node:fs/promises';
import type { InputLimits } from '../core/config.ts';
import { HandoffError, isHandoffError } from '../core/errors.ts';
import { openTableFile, type SourceRow } from '../ingest/index.ts';
import {
  isFacilityListSheet,
  normalizeFacilityList,
  rowText,
  type FacilityRecord,
  type SheetRows,
} from '../ingest/sources/facility-lists/index.ts';
import { looksLikeDetentionStats, normalizeDetentionStats } from '../ingest/sources/detention-stats/index.ts';
import type { Store } from '../store/index.ts';
import { openSourceRelease, recordSourceFile } from './source-release.ts';

export type FacilitySourceKind = 'facility_list' | 'detention_stats';

/** Rows read from the top of each sheet to tell the kind of file. */
const DETECT_ROWS = 30;
/** These workbooks run to a few thousand rows a sheet; more is not one of them. */
const MAX_SHEET_ROWS = 250_000;

/** Tells the kind from the sheet names and the first rows of each sheet. */
export function classifyFacilitySource(sheets: readonly SheetRows[]): FacilitySourceKind | null {
  const firstLine = sheets[0]?.rows.map((r) => rowText(r.cells)).find((t) => t !== '') ?? null;
  if (looksLikeDetentionStats(sheets.map((s) => s.sheet), firstLine)) return 'detention_stats';
  if (sheets.some((s) => isFacilityListSheet(s.rows))) return 'facility_list';
  return null;
}

async function readSheets(file: string, limits: InputLimits, maxRows: number): Promise<SheetRows[]> {
  const source = await openTableFile(file, limits);
  try {
    const out: SheetRows[] = [];
    for (const sheet of source.sheets) {
      const rows: SourceRow[] = [];
      for await (const batch of source.rowBatches(sheet, Math.min(maxRows, 1000))) {
        rows.push(...batch);
        if (rows.length >= maxRows) break;
      }
      if (maxRows === MAX_SHEET_ROWS && rows.length >= MAX_SHEET_ROWS) {
        throw new HandoffError('too_large', `sheet "${sheet}" has more than ${MAX_SHEET_ROWS} rows: not a facility list or statistics workbook`, {
          location: { file: path.basename(file), sheet },
        });
      }
      out.push({ sheet, rows: rows.slice(0, maxRows) });
    }
    return out;
  } finally {
    await source.close();
  }
}

/**
 * 'facility_list' when a sheet's header (within its first rows) names DETLOC and Name;
 * 'detention_stats' when the sheet names are ICE's (`Detention FY19`, `Facilities EOFY24`) or the first
 * sheet opens with "ICE Detention Statistics"; otherwise null (also for a file that cannot be read as a
 * table at all). Reads only the first rows of each sheet.
 */
export async function detectFacilitySource(file: string, limits: InputLimits): Promise<FacilitySourceKind | null> {
  let sheets: SheetRows[];
  try {
    sheets = await readSheets(file, limits, DETECT_ROWS);
  } catch (error) {
    // Unreadable as a table (binary, encrypted, too large): not ours; the caller keeps its own error.
    if (isHandoffError(error)) return null;
    throw error;
  }
  return classifyFacilitySource(sheets);
}

/** One sheet as loaded. */
export interface FacilitySourceSheet {
  sheet: string;
  kind: 'facilities' | 'tables' | 'notes';
  /** Facilities for a facility sheet, cells for a sheet of tables, lines for a notes sheet. */
  rows: number;
  rejects?: number;
  /** The count check ("title says 1685 facilities; 1685 read"), or what the sheet held. */
  note?: string;
  /** Facility lists: the count the title states; null when it states none. */
  declaredCount?: number | null;
  fiscalYear?: number | null;
}

export interface LoadFacilitySourceResult {
  kind: FacilitySourceKind;
  /** Facility rows, plus table cells for detention statistics. */
  rows: number;
  rejects: number;
  sheets: FacilitySourceSheet[];
  /** What the load found worth saying: count checks, notes sheets kept, totals rows set aside. */
  notes: string[];
  facilities: number;
  cells: number;
  /** Lines stored in facility_source_notes. */
  noteLines: number;
  /** Detention statistics: the workbook's fiscal year. */
  fiscalYear: number | null;
  /** Facility lists: the first data date a title gives. */
  dataAsOf: string | null;
}

const FACILITY_COLUMNS = [
  'release_id', 'file_id', 'source_file', 'sheet', 'source_row', 'data_as_of', 'detloc', 'name', 'address', 'city', 'county',
  'state', 'state_postal', 'zip', 'aor', 'facility_type', 'facility_type_detailed', 'county_fips', 'county_fips_method',
  'measures', 'attributes', 'redacted_fields',
] as const;

const STAT_FACILITY_COLUMNS = [
  'release_id', 'file_id', 'source_file', 'sheet', 'source_row', 'fiscal_year', 'data_as_of', 'name', 'address', 'city', 'state',
  'state_postal', 'zip', 'aor', 'facility_type', 'facility_type_detailed', 'measures', 'attributes', 'redacted_fields',
] as const;

const CELL_COLUMNS = [
  'release_id', 'file_id', 'sheet', 'fiscal_year', 'table_index', 'table_title', 'row_header', 'row_group', 'row_label',
  'column_label', 'value_number', 'value_text', 'source_row', 'source_col',
] as const;

const NOTE_COLUMNS = ['release_id', 'file_id', 'sheet', 'source_row', 'source_col', 'kind', 'table_index', 'text'] as const;

const redactedText = (f: FacilityRecord): string | null => (f.redacted_fields.length > 0 ? f.redacted_fields.join(',') : null);

/**
 * Loads one facility list or detention-statistics workbook (inside the caller's transaction; the
 * caller has inserted the file's `source_files` row, which `ingest_rejects` refers to). Throws
 * `unknown_layout` when the file is neither.
 */
export async function loadFacilitySourceFile(
  store: Store,
  file: string,
  ids: { fileId: string; releaseId: string },
  limits: InputLimits,
): Promise<LoadFacilitySourceResult> {
  const name = path.basename(file);
  const sheets = await readSheets(file, limits, MAX_SHEET_ROWS);
  const kind = classifyFacilitySource(sheets);
  if (!kind) {
    throw new HandoffError('unknown_layout', 'neither a facility list (no DETLOC and Name header) nor a detention-statistics workbook', {
      location: { file: name },
    });
  }
  const { releaseId, fileId } = ids;
  const notes: string[] = [];
  const insertNotes = async (rows: { sheet: string; source_row: number; source_col?: number | null; kind: string; table_index?: number | null; text: string }[]) => {
    await store.insertRows('facility_source_notes', NOTE_COLUMNS, rows.map((n) => [
      releaseId, fileId, n.sheet, n.source_row, n.source_col ?? null, n.kind, n.table_index ?? null, n.text,
    ]));
  };
  const insertRejects = async (rows: { sheet: string; source_row: number; reason: string; raw: string }[]) => {
    await store.insertRows('ingest_rejects', ['file_id', 'sheet', 'source_row', 'reason', 'raw'], rows.map((r) => [
      fileId, r.sheet, r.source_row, r.reason, r.raw,
    ]));
  };

  if (kind === 'facility_list') {
    const result = normalizeFacilityList(sheets);
    if (result.facilities.length === 0) {
      throw new HandoffError('empty', 'the facility list has a DETLOC header but no facility rows', { location: { file: name } });
    }
    await store.insertRows('facility_list_rows', FACILITY_COLUMNS, result.facilities.map((f) => [
      releaseId, fileId, name, f.sheet, f.source_row, f.data_as_of, f.detloc, f.name, f.address, f.city, f.county, f.state,
      f.state_postal, f.zip, f.aor, f.facility_type, f.facility_type_detailed, f.county_fips, f.county_fips_method,
      JSON.stringify(f.measures), JSON.stringify(f.attributes), redactedText(f),
    ]));
    await insertRejects(result.rejects);
    await insertNotes(result.notes);
    for (const s of result.sheets) {
      if (s.kind === 'notes') notes.push(`sheet "${s.sheet}": no DETLOC and Name header; its text is kept as notes`);
      else {
        notes.push(`sheet "${s.sheet}": ${s.note}`);
        if (s.totalsRows > 0) notes.push(`sheet "${s.sheet}": ${s.totalsRows} totals row(s) set aside as notes`);
      }
    }
    return {
      kind,
      rows: result.facilities.length,
      rejects: result.rejects.length,
      sheets: result.sheets.map((s) => ({
        sheet: s.sheet,
        kind: s.kind,
        rows: s.kind === 'notes' ? result.notes.filter((n) => n.sheet === s.sheet).length : s.rows,
        rejects: s.rejects,
        ...(s.note ? { note: s.note } : {}),
        ...(s.kind === 'facilities' ? { declaredCount: s.declaredCount } : {}),
      })),
      notes,
      facilities: result.facilities.length,
      cells: 0,
      noteLines: result.notes.length,
      fiscalYear: null,
      dataAsOf: result.sheets.find((s) => s.dataAsOf)?.dataAsOf ?? null,
    };
  }

  const result = normalizeDetentionStats(sheets);
  if (result.facilities.length === 0 && result.cells.length === 0) {
    throw new HandoffError('empty', 'the detention-statistics workbook has no facility rows and no table values', { location: { file: name } });
  }
  await store.insertRows('detention_stat_facilities', STAT_FACILITY_COLUMNS, result.facilities.map((f) => [
    releaseId, fileId, name, f.sheet, f.source_row, f.fiscal_year, f.data_as_of, f.name, f.address, f.city, f.state,
    f.state_postal, f.zip, f.aor, f.facility_type, f.facility_type_detailed, JSON.stringify(f.measures),
    JSON.stringify(f.attributes), redactedText(f),
  ]));
  await store.insertRows('detention_stat_cells', CELL_COLUMNS, result.cells.map((c) => [
    releaseId, fileId, c.sheet, c.fiscal_year, c.table_index, c.table_title, c.row_header, c.row_group, c.row_label,
    c.column_label, c.value_number, c.value_text, c.source_row, c.source_col,
  ]));
  await insertRejects(result.rejects);
  await insertNotes(result.notes);
  if (result.fiscalYear === null) notes.push('no fiscal year in the sheet names or titles');
  for (const s of result.sheets) notes.push(`sheet "${s.sheet}" (${s.kind}${s.fiscalYear ? `, FY${s.fiscalYear}` : ''}): ${s.note}`);
  return {
    kind,
    rows: result.facilities.length + result.cells.length,
    rejects: result.rejects.length,
    sheets: result.sheets.map((s) => ({ sheet: s.sheet, kind: s.kind, rows: s.rows, rejects: s.rejects, note: s.note, fiscalYear: s.fiscalYear })),
    notes,
    facilities: result.facilities.length,
    cells: result.cells.length,
    noteLines: result.notes.length,
    fiscalYear: result.fiscalYear,
    dataAsOf: result.facilities.find((f) => f.data_as_of)?.data_as_of ?? null,
  };
}

/** What `loadFacilitySourceRelease` returns: the fields of the pipeline's FileOutcome it fills. */
export interface FacilitySourceOutcome {
  file: string;
  status: 'loaded';
  fileId: string;
  releaseId: string;
  rows: number;
  rejects: number;
  skippedSheets: { sheet: string; reason: string }[];
  kind: FacilitySourceKind;
}

/**
 * Makes the file's own release (kind `facility_list` or `detention_stats`, id `f_` + 16 hex of the
 * file's hash) and its `source_files` row, loads it, and records what the load found in
 * `source_files.metadata` and the release's note. Inside the caller's transaction.
 */
export async function loadFacilitySourceRelease(
  store: Store,
  file: string,
  fileId: string,
  options: { now: () => Date; limits: InputLimits },
): Promise<FacilitySourceOutcome> {
  const name = path.basename(file);
  const releaseId = `f_${fileId.slice(0, 16)}`;
  const info = await stat(file);
  const format = /\.(xlsx|xlsm)$/i.test(name) ? 'xlsx' : 'csv';
  await openSourceRelease(store, { releaseId, label: name, kind: 'facility_source', fileId, fileName: name, bytes: info.size, format, now: options.now() });
  const result = await loadFacilitySourceFile(store, file, { fileId, releaseId }, options.limits);
  const label = result.kind === 'facility_list'
    ? `ICE facility list${result.dataAsOf ? ` (${result.dataAsOf})` : ''}: ${name}`
    : `ICE detention statistics${result.fiscalYear ? ` FY${result.fiscalYear}` : ''}: ${name}`;
  await store.run('UPDATE releases SET kind = $2, label = $3, note = $4 WHERE release_id = $1', [
    releaseId, result.kind, label, JSON.stringify({ kind: result.kind, notes: result.notes }),
  ]);
  await recordSourceFile(store, fileId, {
    rows: result.rows,
    rejects: result.rejects,
    metadata: {
      kind: result.kind,
      fiscal_year: result.fiscalYear,
      data_as_of: result.dataAsOf,
      facilities: result.facilities,
      cells: result.cells,
      note_lines: result.noteLines,
      sheets: result.sheets,
    },
  });
  return {
    file: name,
    status: 'loaded',
    fileId,
    releaseId,
    rows: result.rows,
    rejects: result.rejects,
    skippedSheets: result.sheets.filter((s) => s.kind === 'notes').map((s) => ({ sheet: s.sheet, reason: 'notes: kept as text in facility_source_notes' })),
    kind: result.kind,
  };
}
