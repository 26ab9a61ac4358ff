/**
 * ICE's 287(g) agency sheets through the same guarantees as the releases: content-hashed, one
 * transaction per file, rejects kept. Each sheet is a release of its own (kind `agreements_287g`),
 * since it is a dated snapshot, not part of a FOIA production.
 *
 * Every sheet whose header is a 287(g) agreement header is loaded (a workbook may have several),
 * each with its status told by its header; side tables of tallies and other sheets are skipped with
 * a note. The snapshot is dated from the file name in any form ICE or an archivist wrote, checked
 * against the sheets' SIGNED dates and the workbook's own modified date (docProps/core.xml), which
 * stands in when the name is unreadable or implausible; an `asOf` option overrides both, and no
 * file fails for its name. Agreements whose SIGNED cannot be read are kept with SIGNED null,
 * counted in `column_quality` (`signed_date`: unparseable, up to five examples) and listed in the
 * notes. The date's basis, the notes and the skipped sheets are returned, and written as JSON to
 * the release's `note` (the pipeline writes `source_files.metadata` itself).
 */
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { open, readFile, stat } from 'node:fs/promises';
import {
  chooseSnapshotDate,
  isTallyHeader,
  mapHeader,
  normalize287gRows,
  readNameDates,
  REQUIRED_287G_FIELDS,
  signedDatesOf,
  summarize287gSnapshots,
} from '../ingest/sources/agreements-287g/index.ts';
import type { SnapshotBasis } from '../ingest/sources/agreements-287g/index.ts';
import { openTableFile, type SourceRow } from '../ingest/index.ts';
import { readCoreProperties } from '../xlsx/core-properties.ts';
import type { InputLimits } from '../core/config.ts';
import type { Store } from '../store/index.ts';

/** How many rows from the top are searched for a 287(g) header. */
const HEADER_ROWS = 10;
/** Notes listing single rows (unreadable SIGNED, SIGNED read from text) stop after this many per kind. */
const MAX_ROW_NOTES = 20;

/** The header row of a 287(g) sheet among the first rows, or -1. */
function findHeader(rows: SourceRow[]): number {
  return rows.slice(0, HEADER_ROWS).findIndex((row) => {
    const columns = mapHeader(row.cells);
    return REQUIRED_287G_FIELDS.every((f) => columns[f] !== undefined);
  });
}

function isBlank(row: SourceRow): boolean {
  return row.cells.every((c) => c === null || String(c).trim() === '');
}

/** A sheet as read: an agreement sheet with all its rows, or another with why it is not one. */
type ReadSheet =
  | { sheet: string; kind: 'agreements'; headerIndex: number; rows: SourceRow[] }
  | { sheet: string; kind: 'other'; reason: string };

/**
 * Reads every sheet of a file. Agreement sheets (a 287(g) header in the first rows) are kept whole:
 * 287(g) sheets are a few thousand rows. Other sheets are streamed through and only described.
 */
async function readSheets(file: string, limits: InputLimits): Promise<{ kind: 'xlsx' | 'csv'; sheets: ReadSheet[] }> {
  const source = await openTableFile(file, limits);
  try {
    if (source.sheets.length === 0) throw new HandoffError('empty', 'the workbook has no sheet', { location: { file: path.basename(file) } });
    const sheets: ReadSheet[] = [];
    for (const sheet of source.sheets) {
      let rows: SourceRow[] = [];
      let headerIndex = -2; // -2: not yet decided; -1: not an agreement sheet
      let filled = 0;
      let empty = 0;
      let first: SourceRow | undefined;
      const tally = (list: SourceRow[]): void => {
        for (const row of list) {
          if (isBlank(row)) empty += 1;
          else {
            first ??= row;
            filled += 1;
          }
        }
      };
      for await (const batch of source.rowBatches(sheet)) {
        if (headerIndex === -2) {
          rows.push(...batch);
          if (rows.length < HEADER_ROWS) continue;
          headerIndex = findHeader(rows);
          if (headerIndex >= 0) continue;
          tally(rows);
          rows = [];
        } else if (headerIndex >= 0) {
          rows.push(...batch);
        } else {
          tally(batch);
        }
      }
      if (headerIndex === -2) {
        headerIndex = findHeader(rows);
        if (headerIndex < 0) tally(rows);
      }
      if (headerIndex >= 0) {
        sheets.push({ sheet, kind: 'agreements', headerIndex, rows });
        continue;
      }
      const count = `${filled.toLocaleString('en-US')} filled row(s), ${empty.toLocaleString('en-US')} empty`;
      const head = first ? first.cells.map((c) => (c === null ? '' : String(c).trim())).join(', ').replace(/(, )+$/, '') : '';
      const reason = !first
        ? 'empty sheet'
        : isTallyHeader(first.cells)
          ? `side table of tallies by model (${head}), not agreements; ${count}`
          : `no 287(g) agreement header (STATE, LAW ENFORCEMENT AGENCY, SUPPORT TYPE) in its first ${HEADER_ROWS} rows (first row: ${head.slice(0, 120)}); ${count}`;
      sheets.push({ sheet, kind: 'other', reason });
    }
    return { kind: source.kind, sheets };
  } finally {
    await source.close();
  }
}

/** True when any sheet of the file has a 287(g) agency header (STATE, LAW ENFORCEMENT AGENCY, SUPPORT TYPE…). */
export async function is287gSheet(file: string, limits: InputLimits): Promise<boolean> {
  const source = await openTableFile(file, limits);
  try {
    for (const sheet of source.sheets) {
      for await (const batch of source.rowBatches(sheet, 64)) {
        if (findHeader(batch) >= 0) return true;
        break;
      }
    }
    return false;
  } finally {
    await source.close();
  }
}

/**
 * The date a file name reads as, in any form ICE or an archivist writes (see readNameDates):
 * participatingAgencies05182026am.xlsx → 2026-05-18, participatingAgencies-20250221214937.xlsx →
 * 2025-02-21. Null when the name has no date. Unchecked: load287gFile checks it against the sheet.
 */
export function snapshotDateFromName(name: string): string | null {
  return readNameDates(name).readings[0]?.date ?? null;
}

/** Options of load287gFile. */
export interface Load287gOptions {
  /** The snapshot date ('YYYY-MM-DD'), when the caller knows it: overrides the name and the workbook. */
  asOf?: string;
}

/** One agreement sheet as loaded. */
export interface Load287gSheet {
  sheet: string;
  /** 1-based row number of the header. */
  headerRow: number;
  status: 'participating' | 'pending';
  rows: number;
  rejects: number;
  blankRows: number;
  /** Agreements stored with SIGNED null because its text could not be read. */
  signedUnread: number;
}

export interface Load287gResult {
  rows: number;
  rejects: number;
  blankRows: number;
  snapshotDate: string;
  /** The agreement sheet's name; several are joined with ", ". */
  sheet: string;
  /** What gave the snapshot date. */
  snapshotBasis: SnapshotBasis;
  /** How the date and each sheet's status were told, what was skipped, what was read leniently. */
  notes: string[];
  /** Sheets that are not agreements (a tally table, an empty sheet), with why. */
  skippedSheets: { sheet: string; reason: string }[];
  sheets: Load287gSheet[];
  /** Agreements kept with SIGNED null because its text could not be read (all sheets). */
  signedUnread: number;
}

function rowNotes<T>(items: readonly T[], line: (item: T) => string, summary: (n: number) => string): string[] {
  const out = items.slice(0, MAX_ROW_NOTES).map(line);
  if (items.length > MAX_ROW_NOTES) out.push(summary(items.length - MAX_ROW_NOTES));
  return out;
}

/**
 * Loads every agreement sheet of one 287(g) workbook into `agreements_287g` (inside the caller's
 * transaction), its rejects into `ingest_rejects`, the SIGNED column's quality into
 * `column_quality`, and the date's basis and notes into the release's `note`.
 */
export async function load287gFile(
  store: Store,
  file: string,
  ids: { fileId: string; releaseId: string },
  limits: InputLimits,
  options: Load287gOptions = {},
): Promise<Load287gResult> {
  const name = path.basename(file);
  const read = await readSheets(file, limits);
  const agreementSheets = read.sheets.filter((s): s is Extract<ReadSheet, { kind: 'agreements' }> => s.kind === 'agreements');
  const skippedSheets = read.sheets.flatMap((s) => (s.kind === 'other' ? [{ sheet: s.sheet, reason: s.reason }] : []));
  if (agreementSheets.length === 0) {
    throw new HandoffError('unknown_layout', 'no 287(g) header row found in any sheet', {
      location: { file: name },
      details: { sheets: skippedSheets },
    });
  }

  const notes: string[] = [];
  let workbookModified: string | null = null;
  if (read.kind === 'xlsx') {
    try {
      workbookModified = (await readCoreProperties(file, limits)).modified ?? null;
    } catch (e) {
      notes.push(`the workbook's core properties could not be read (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const { mtime } = await stat(file);
  const bodies = agreementSheets.map((s) => ({ ...s, header: s.rows[s.headerIndex]!.cells, body: s.rows.slice(s.headerIndex + 1) }));
  const choice = chooseSnapshotDate({
    fileName: name,
    signedDates: bodies.flatMap((s) => signedDatesOf(s.header, s.body)),
    workbookModified,
    fileModified: mtime.toISOString(),
    ...(options.asOf !== undefined ? { asOf: options.asOf } : {}),
  });
  notes.unshift(...choice.notes);

  const sheets: Load287gSheet[] = [];
  let signedRows = 0;
  let signedFilled = 0;
  const unreadable: string[] = [];
  for (const s of bodies) {
    const result = normalize287gRows(s.header, s.body, { file: name, snapshotDate: choice.date });
    notes.push(`sheet "${s.sheet}": ${result.status_note}`);
    notes.push(
      ...rowNotes(
        result.signed_from_text,
        (r) => `sheet "${s.sheet}" row ${r.source_row}: SIGNED text "${r.raw}" read as ${r.date}`,
        (n) => `sheet "${s.sheet}": ${n} more SIGNED text value(s) read as dates`,
      ),
      ...rowNotes(
        result.signed_unread,
        (r) => `sheet "${s.sheet}" row ${r.source_row}: SIGNED "${r.raw}" has no single reading; the agreement is kept with SIGNED null`,
        (n) => `sheet "${s.sheet}": ${n} more agreement(s) kept with SIGNED null`,
      ),
    );
    if (mapHeader(s.header).signed !== undefined) {
      signedRows += result.agreements.length;
      signedFilled += result.signed_filled;
    }
    unreadable.push(...result.signed_unread.map((r) => r.raw));
    await store.insertRows(
      'agreements_287g',
      ['release_id', 'file_id', 'source_file', 'sheet', 'source_row', 'snapshot_date', 'status', 'state', 'state_postal', 'agency',
        'agency_type', 'county_name', 'county_fips', 'county_fips_method', 'support_type', 'support_type_raw', 'signed_date',
        'moa_text', 'moa_url', 'addendum'],
      result.agreements.map((a) => [
        ids.releaseId, ids.fileId, name, s.sheet, a.source_row, a.snapshot_date, a.status, a.state, a.state_postal,
        a.agency, a.agency_type, a.county_name, a.county_fips, a.county_fips_method, a.support_type,
        a.support_type_raw, a.signed_date, a.moa_text, a.moa_url ?? null, a.addendum ?? null,
      ]),
    );
    await store.insertRows(
      'ingest_rejects',
      ['file_id', 'sheet', 'source_row', 'reason'],
      result.rejects.map((r) => [ids.fileId, s.sheet, r.source_row, r.reason]),
    );
    sheets.push({
      sheet: s.sheet,
      headerRow: s.rows[s.headerIndex]!.rowNumber,
      status: result.status,
      rows: result.agreements.length,
      rejects: result.rejects.length,
      blankRows: result.blank_rows,
      signedUnread: result.signed_unread.length,
    });
  }
  for (const skipped of skippedSheets) notes.push(`sheet "${skipped.sheet}" skipped: ${skipped.reason}`);
  if (signedRows > 0) {
    await store.insertRows(
      'column_quality',
      ['file_id', 'family', 'column_name', 'rows_read', 'filled', 'redacted', 'unparseable', 'examples'],
      [[ids.fileId, 'agreements_287g', 'signed_date', signedRows, signedFilled, 0, unreadable.length,
        unreadable.length > 0 ? JSON.stringify([...new Set(unreadable)].slice(0, 5)) : null]],
    );
  }
  const out: Load287gResult = {
    rows: sheets.reduce((n, s) => n + s.rows, 0),
    rejects: sheets.reduce((n, s) => n + s.rejects, 0),
    blankRows: sheets.reduce((n, s) => n + s.blankRows, 0),
    snapshotDate: choice.date,
    sheet: sheets.map((s) => s.sheet).join(', '),
    snapshotBasis: choice.basis,
    notes,
    skippedSheets,
    sheets,
    signedUnread: unreadable.length,
  };
  // The pipeline writes source_files.metadata itself (date, blank rows, sheet); the rest of what
  // dated the sheet goes to the release, which is this file's alone.
  await store.run('UPDATE releases SET note = $2 WHERE release_id = $1', [
    ids.releaseId,
    JSON.stringify({
      snapshot_date: out.snapshotDate,
      snapshot_basis: out.snapshotBasis,
      notes: out.notes,
      skipped_sheets: out.skippedSheets,
      sheets: out.sheets,
    }),
  ]);
  return out;
}

/** The header of a 287(g) snapshot series: `date,state,county,...,agency,agency_id,...,type`. */
const SNAPSHOT_HEADER = /^\ufeff?date,state,county,(?:[^,\n]*,)*agency,agency_id,(?:[^,\n]*,)*type\b/i;

/** True when a delimited file is a dated series of 287(g) sheets (one row per agency per snapshot). */
export async function is287gSnapshotSeries(file: string): Promise<boolean> {
  if (!/\.(csv|txt)$/i.test(file)) return false;
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buffer, 0, 1024, 0);
    return SNAPSHOT_HEADER.test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

/** Loads a snapshot series as first/last appearance per agency and model (inside the caller's transaction). */
export async function load287gSnapshotSeries(
  store: Store,
  file: string,
  ids: { fileId: string; releaseId: string },
  limits: InputLimits,
): Promise<{ rows: number; rejects: number; snapshots: number }> {
  const name = path.basename(file);
  const { size } = await stat(file);
  if (size > limits.maxFileBytes) {
    throw new HandoffError('too_large', `the file is ${size} bytes, over the limit of ${limits.maxFileBytes}`, { location: { file: name } });
  }
  let summary;
  try {
    summary = summarize287gSnapshots(await readFile(file, 'utf8'));
  } catch (cause) {
    if (cause instanceof HandoffError) throw new HandoffError(cause.code, cause.message, { location: { file: name }, cause });
    throw new HandoffError('bad_input', `malformed 287(g) snapshot series: ${(cause as Error).message}`, { location: { file: name }, cause });
  }
  const rows: (string | number | boolean | null)[][] = [];
  for (const a of summary.agencies) {
    for (const t of a.by_support_type) {
      rows.push([ids.releaseId, ids.fileId, a.state, a.agency, a.agency_id, t.support_type, t.first_seen, t.last_seen, a.snapshots_present, a.snapshots_in_span, a.in_latest]);
    }
  }
  await store.insertRows(
    'agreement_287g_spans',
    ['release_id', 'file_id', 'state', 'agency', 'agency_id', 'support_type', 'first_seen', 'last_seen', 'snapshots_present', 'snapshots_in_span', 'in_latest'],
    rows,
  );
  await store.insertRows(
    'ingest_rejects',
    ['file_id', 'sheet', 'source_row', 'reason'],
    summary.rejects.map((r) => [ids.fileId, name, r.source_row, r.reason]),
  );
  return { rows: rows.length, rejects: summary.rejects.length, snapshots: summary.snapshots.length };
}
