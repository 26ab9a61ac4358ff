/**
 * ICE's 287(g) agency sheets through the same guarantees as the releases: content-hashed, one
 * transaction per file, rejects kept. Each sheet is a release of its own (kind `agreements_287g`),
 * since it is a dated snapshot, not part of a FOIA production.
 */
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { mapHeader, normalize287gRows, REQUIRED_287G_FIELDS } from '../ingest/sources/agreements-287g/index.ts';
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
  const columns =
    'release_id, file_id, source_file, sheet, source_row, snapshot_date, status, state, state_postal, agency, agency_type, county_name, county_fips, county_fips_method, support_type, support_type_raw, signed_date, moa_text, moa_url, addendum';
  const width = columns.split(',').length;
  for (let start = 0; start < result.agreements.length; start += 200) {
    const chunk = result.agreements.slice(start, start + 200);
    const params: (string | number | null)[] = [];
    for (const a of chunk) {
      params.push(ids.releaseId, ids.fileId, name, sheet, a.source_row, a.snapshot_date, a.status, a.state, a.state_postal,
        a.agency, a.agency_type, a.county_name, a.county_fips, a.county_fips_method, a.support_type,
        a.support_type_raw, a.signed_date, a.moa_text, a.moa_url ?? null, a.addendum ?? null);
    }
    const tuples = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`);
    await store.run(`INSERT INTO agreements_287g (${columns}) VALUES ${tuples.join(', ')}`, params);
  }
  for (const reject of result.rejects) {
    await store.run('INSERT INTO ingest_rejects (file_id, sheet, source_row, reason, raw) VALUES ($1, $2, $3, $4, NULL)', [
      ids.fileId,
      sheet,
      reject.source_row,
      reject.reason,
    ]);
  }
  return { rows: result.agreements.length, rejects: result.rejects.length, blankRows: result.blank_rows, snapshotDate, sheet };
}
