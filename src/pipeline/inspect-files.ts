/**
 * `handoff inspect`: what each file is, without loading it into the user's database. Each file is
 * read by the very ingest that `handoff ingest` runs (same containers, layouts, vocabularies and
 * limits), into a scratch database of its own that is deleted afterwards; the report is read back
 * from the provenance tables that ingest wrote. So what inspect says is what ingest would do.
 *
 * Does: per file, its kind (ICE table families, 287(g) sheet, facility list, detention statistics),
 * sheets with header row and rows, columns mapped / unknown / missing, rows read and rejected, the
 * dates the rows cover, redaction markers and unreadable values seen; or why the file cannot load.
 * Does not: link, assign policies or protect figures (nothing is published), touch the user's database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InputLimits } from '../core/config.ts';
import { EVENT_DATE_COLUMN, FAMILIES, familyColumns, type Family } from '../ingest/index.ts';
import { Store } from '../store/index.ts';
import { ingestFiles } from './ingest-files.ts';

export interface InspectedSheet {
  sheet: string;
  family: string;
  header_row: number;
  rows: number;
  columns_mapped: number;
  columns_unknown: string[];
  columns_missing: string[];
}

export interface InspectedFile {
  file: string;
  status: 'readable' | 'unreadable';
  /** ICE table families, or the source kind of a file that is not an ICE table. */
  kind: string;
  format: string | null;
  bytes: number | null;
  rows: number;
  rejected: number;
  sheets: InspectedSheet[];
  skipped_sheets: { sheet: string; reason: string }[];
  /** What a 287(g) sheet, facility list or detention-statistics workbook says of itself. */
  notes: string[];
  /** Per family: the first and last date of the rows, by the family's event date. */
  dates: { family: string; column: string; first: string | null; last: string | null; undated: number }[];
  redacted: { family: string; column: string; cells: number }[];
  unreadable_values: { family: string; column: string; cells: number; examples: string[] }[];
  error?: { code: string; message: string };
  seconds: number;
}

export interface InspectOptions {
  limits?: InputLimits;
  /** The snapshot date for 287(g) sheets, as `ingest --as-of`. */
  asOf?: string;
}

/** Inspects each file on its own (a zip is one file: its members are its sheets' sources). */
export async function inspectFiles(files: string[], options: InspectOptions = {}): Promise<InspectedFile[]> {
  const out: InspectedFile[] = [];
  for (const file of files) out.push(await inspectOne(file, options));
  return out;
}

async function inspectOne(file: string, options: InspectOptions): Promise<InspectedFile> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'handoff-inspect-'));
  const started = performance.now();
  const base: InspectedFile = {
    file: path.basename(file),
    status: 'unreadable',
    kind: 'unknown',
    format: null,
    bytes: null,
    rows: 0,
    rejected: 0,
    sheets: [],
    skipped_sheets: [],
    notes: [],
    dates: [],
    redacted: [],
    unreadable_values: [],
    seconds: 0,
  };
  try {
    const dbPath = path.join(scratch, 'inspect.duckdb');
    const summary = await ingestFiles([file], { dbPath, link: false, protect: false, limits: options.limits, asOf: options.asOf });
    const failed = summary.files.find((f) => f.status === 'failed');
    if (failed || summary.files.length === 0) {
      return {
        ...base,
        error: failed?.error ? { code: failed.error.code, message: failed.error.message } : { code: 'empty', message: 'nothing to read' },
        skipped_sheets: failed?.skippedSheets ?? [],
        seconds: (performance.now() - started) / 1000,
      };
    }
    const store = await Store.open(dbPath, { readOnly: true });
    try {
      return { ...(await describe(store, base)), status: 'readable', seconds: (performance.now() - started) / 1000 };
    } finally {
      store.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function describe(store: Store, base: InspectedFile): Promise<InspectedFile> {
  const files = await store.queryRows<{ format: string; bytes: string; rows_loaded: string; rows_rejected: string; metadata: string | null; kind: string | null }>(
    `SELECT f.format, f.bytes, f.rows_loaded, f.rows_rejected, f.metadata, r.kind
     FROM source_files f JOIN releases r USING (release_id)`,
  );
  const meta = files.map((f) => (f.metadata ? (JSON.parse(f.metadata) as Record<string, unknown>) : {}));
  const sheets = await store.queryRows<{ sheet: string; family: string; header_row: number; rows_loaded: string }>(
    'SELECT sheet, family, header_row, rows_loaded FROM source_sheets ORDER BY sheet',
  );
  const columns = await store.queryRows<{ sheet: string; header: string; column_name: string | null }>(
    'SELECT sheet, header, column_name FROM source_columns ORDER BY sheet, position',
  );
  const inspected: InspectedSheet[] = sheets.map((s) => {
    const own = columns.filter((c) => c.sheet === s.sheet);
    const mapped = new Set(own.flatMap((c) => (c.column_name ? [c.column_name] : [])));
    const canonical = (FAMILIES as readonly string[]).includes(s.family) ? familyColumns(s.family as Family).columns.map((c) => c.name) : [];
    return {
      sheet: s.sheet,
      family: s.family,
      header_row: Number(s.header_row),
      rows: Number(s.rows_loaded),
      columns_mapped: mapped.size,
      columns_unknown: own.filter((c) => !c.column_name).map((c) => c.header),
      columns_missing: canonical.filter((c) => !mapped.has(c)),
    };
  });
  const families = [...new Set(inspected.map((s) => s.family))].filter((f): f is Family => (FAMILIES as readonly string[]).includes(f));
  const dates: InspectedFile['dates'] = [];
  for (const family of families) {
    const column = EVENT_DATE_COLUMN[family];
    const row = await store.queryRow<{ first: string | null; last: string | null; undated: string }>(
      `SELECT strftime(min(${column}), '%Y-%m-%d') AS first, strftime(max(${column}), '%Y-%m-%d') AS last,
              count(*) FILTER (WHERE ${column} IS NULL) AS undated FROM ${family}`,
    );
    dates.push({ family, column, first: row?.first ?? null, last: row?.last ?? null, undated: Number(row?.undated ?? 0) });
  }
  const quality = await store.queryRows<{ family: string; column_name: string; redacted: string; unparseable: string; examples: string | null }>(
    'SELECT family, column_name, redacted, unparseable, examples FROM column_quality WHERE redacted > 0 OR unparseable > 0 ORDER BY family, column_name',
  );
  const kinds = families.length ? families.join(', ') : [...new Set(files.map((f, i) => String(meta[i]!.kind ?? f.kind ?? 'unknown')))].join(', ');
  const skipped = meta.flatMap((m) =>
    Array.isArray(m.skipped_sheets)
      ? (m.skipped_sheets as unknown[]).map((x) => (typeof x === 'string' ? { sheet: x, reason: '' } : (x as { sheet: string; reason: string })))
      : [],
  );
  // What a source that is not an ICE table says of itself: 287(g) snapshot dates, facility-list sheets.
  const notes: string[] = [];
  for (const m of meta) {
    if (typeof m.snapshot_date === 'string') notes.push(`287(g) snapshot date ${m.snapshot_date} (${String(m.snapshot_basis ?? 'basis not recorded')})`);
    if (Array.isArray(m.notes)) for (const n of m.notes) notes.push(String(n));
    if (Array.isArray(m.sheets)) {
      for (const sh of m.sheets as { sheet: string; kind: string; rows: number; note?: string }[]) {
        notes.push(`sheet "${sh.sheet}": ${sh.kind}, ${sh.rows} rows${sh.note ? ` (${sh.note})` : ''}`);
      }
    }
  }
  return {
    ...base,
    kind: kinds,
    format: files[0]?.format ?? null,
    bytes: files[0] ? Number(files[0].bytes) : null,
    rows: files.reduce((n, f) => n + Number(f.rows_loaded), 0),
    rejected: files.reduce((n, f) => n + Number(f.rows_rejected), 0),
    sheets: inspected,
    skipped_sheets: skipped.map((s) => ({ sheet: s.sheet, reason: s.reason })),
    notes,
    dates,
    redacted: quality.filter((q) => Number(q.redacted) > 0).map((q) => ({ family: q.family, column: q.column_name, cells: Number(q.redacted) })),
    unreadable_values: quality
      .filter((q) => Number(q.unparseable) > 0)
      .map((q) => ({ family: q.family, column: q.column_name, cells: Number(q.unparseable), examples: q.examples ? (JSON.parse(q.examples) as string[]) : [] })),
  };
}
