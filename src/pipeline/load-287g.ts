/**
 * ICE's 287(g) agency sheets through the same guarantees as the releases: content-hashed, one
 * transaction per file, rejects kept. Each sheet is a release of its own (kind `agreements_287g`),
 * since it is a dated snapshot, not part of a FOIA production.
 */
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { open, readFile, stat } from 'node:fs/promises';
import { mapHeader, normalize287gRows, REQUIRED_287G_FIELDS, summarize287gSnapshots } from '../ingest/sources/agreements-287g/index.ts';
import { openTableFile, type SourceRow } from '../ingest/index.ts';
import type { InputLimits } from '../core/config.ts';
import type { Store } from '../store/index.ts';

/** How many rows from the top are searched for a 287(g) header. */
const HEADER_ROWS = 10;

/** The header row of a 287(g) sheet among the first rows, or -1. */
function findHeader(rows: SourceRow[]): number {
  return rows.slice(0, HEADER_ROWS).findIndex((row) => {
    const columns = mapHeader(row.cells);
    return REQUIRED_287G_FIELDS.every((f) => columns[f] !== undefined);
  });
}

/** Reads every row of the first sheet of a file. 287(g) sheets are a few thousand rows. */
async function readFirstSheet(file: string, limits: InputLimits): Promise<{ sheet: string; rows: SourceRow[] }> {
  const source = await openTableFile(file, limits);
  try {
    const sheet = source.sheets[0];
    if (!sheet) throw new HandoffError('empty', 'the workbook has no sheet', { location: { file: path.basename(file) } });
    const rows: SourceRow[] = [];
    for await (const batch of source.rowBatches(sheet)) rows.push(...batch);
    return { sheet, rows };
  } finally {
    await source.close();
  }
}

/** True when the file's first sheet has a 287(g) agency header (STATE, LAW ENFORCEMENT AGENCY, SUPPORT TYPE…). */
export async function is287gSheet(file: string, limits: InputLimits): Promise<boolean> {
  const source = await openTableFile(file, limits);
  try {
    const sheet = source.sheets[0];
    if (!sheet) return false;
    for await (const batch of source.rowBatches(sheet, 64)) return findHeader(batch) >= 0;
    return false;
  } finally {
    await source.close();
  }
}

/** ICE names the sheets with the date as MMDDYYYY: participatingAgencies05182026am.xlsx → 2026-05-18. */
export function snapshotDateFromName(name: string): string | null {
  const match = name.match(/(\d{2})(\d{2})(20\d{2})/);
  if (!match) return null;
  const [, mm, dd, yyyy] = match;
  const iso = `${yyyy}-${mm}-${dd}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
}

export interface Load287gResult {
  rows: number;
  rejects: number;
  blankRows: number;
  snapshotDate: string;
  sheet: string;
}

/** Loads one 287(g) sheet into `agreements_287g` (inside the caller's transaction). */
export async function load287gFile(
  store: Store,
  file: string,
  ids: { fileId: string; releaseId: string },
  limits: InputLimits,
): Promise<Load287gResult> {
  const name = path.basename(file);
  const snapshotDate = snapshotDateFromName(name);
  if (!snapshotDate) {
    throw new HandoffError('bad_input', 'a 287(g) sheet needs its date in the file name as ICE writes it (MMDDYYYY)', {
      location: { file: name },
    });
  }
  const { sheet, rows } = await readFirstSheet(file, limits);
  const headerIndex = findHeader(rows);
  if (headerIndex < 0) throw new HandoffError('unknown_layout', 'no 287(g) header row found', { location: { file: name, sheet } });
  const result = normalize287gRows(rows[headerIndex]!.cells, rows.slice(headerIndex + 1), { file: name, snapshotDate });
  await store.insertRows(
    'agreements_287g',
    ['release_id', 'file_id', 'source_file', 'sheet', 'source_row', 'snapshot_date', 'status', 'state', 'state_postal', 'agency',
      'agency_type', 'county_name', 'county_fips', 'county_fips_method', 'support_type', 'support_type_raw', 'signed_date',
      'moa_text', 'moa_url', 'addendum'],
    result.agreements.map((a) => [
      ids.releaseId, ids.fileId, name, sheet, a.source_row, a.snapshot_date, a.status, a.state, a.state_postal,
      a.agency, a.agency_type, a.county_name, a.county_fips, a.county_fips_method, a.support_type,
      a.support_type_raw, a.signed_date, a.moa_text, a.moa_url ?? null, a.addendum ?? null,
    ]),
  );
  await store.insertRows(
    'ingest_rejects',
    ['file_id', 'sheet', 'source_row', 'reason'],
    result.rejects.map((r) => [ids.fileId, sheet, r.source_row, r.reason]),
  );
  return { rows: result.agreements.length, rejects: result.rejects.length, blankRows: result.blank_rows, snapshotDate, sheet };
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
