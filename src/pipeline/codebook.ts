/**
 * The codebook of a release: its files and sheets, and for each column of each family found in
 * them, what was read (fill rate, redacted and unparseable cells), the values seen, and what Handoff
 * maps the column to (canonical name and type from reference/columns, and for a coded column the
 * vocabulary that reads its values, with each value known to it or not). Served by the API as
 * /api/releases/{release}/codebook.json|.csv; computed once per open database and release.
 *
 * Does:
 * - read source_files, source_sheets, source_columns and column_quality, and count the rows of the
 *   family tables (every count is a count of loaded rows or of cells ingest counted as it read them);
 * - class each column from reference/columns (its type and name): coded, identifier, birth (date or
 *   year of birth), date, number, free text, or unmapped (a header no canonical column has, kept in
 *   `extra`); list the values of coded columns only, and say for every other column why not;
 * - in public mode, withhold every count of 1–10 (cells and values alike) and enough complements
 *   that no withheld count can be worked out by subtraction from the codebook or from the
 *   data-quality ledger (/api/quality.json), which publishes release-wide redactions and unknown
 *   values of the same columns; pool the counts of a family over the release's files when it spans
 *   several files, so that no file's count can be differenced from the release's.
 * Does not:
 * - write anything, or read the source files again;
 * - list values of identifiers, names, dates of birth, dates, numbers or free text in any mode;
 * - protect against differencing with the metrics' publication cube: the codebook counts every row
 *   loaded (duplicates and undated records included), the metrics only non-duplicate dated records
 *   (see the `limits` of the answer).
 */
import { SMALL_CELL_MAX, type Mode } from '../metrics/index.ts';
import { FAMILIES, familyColumns, tableOf, type CanonicalColumn, type Family } from '../ingest/index.ts';
import { aorByName, resolveState } from '../geo/index.ts';
import { detainerTypeClass, loadApprehensionMethods, loadLiftReasons, vocabularyKey } from '../link/index.ts';
import { categorizeOffense, loadOffenseReference, REDACTION_PATTERN, type OffenseReference } from '../offense/index.ts';
import type { Store } from '../store/index.ts';

/** How a column is read, and so whether its values are listed. */
export type ColumnClass = 'coded' | 'identifier' | 'birth' | 'date' | 'number' | 'free_text' | 'unmapped';

/** Why the values of each class but `coded` are not listed (the same words in every answer). */
export const NOT_LISTED_BECAUSE: Record<Exclude<ColumnClass, 'coded'>, string> = {
  identifier: 'an identifier (a person, case or event number, anonymized or not): values are never listed',
  birth: 'a date or year of birth identifies people: values are never listed',
  date: 'a date: its values are near-unique to records and are not a code, so they are not listed',
  number: 'a number (a sentence length, an amount), not a code: values are not listed',
  free_text: 'free text written by an officer: values are never listed',
  unmapped: 'not a column of reference/columns (kept in `extra` as read): its kind is not known, so its values are not listed',
};

/** At most this many values are listed per column (the largest first); the rest are one line. */
export const MAX_VALUES_LISTED = 1000;

/** Text columns that hold identifiers although reference/columns types them `text`. */
const IDENTIFIER_COLUMNS = new Set(['alien_file_number', 'eid_case_id', 'eid_subject_id', 'eid_dta_id', 'event_number']);
/** Columns of a person's birth. */
const BIRTH_COLUMNS = new Set(['birth_date', 'birth_year']);
/** Text columns ICE's officers fill in their own words. */
const FREE_TEXT_COLUMNS = new Set(['other_removal_reason']);

/** The class of a canonical column, from its reference type and name. */
export function columnClass(column: Pick<CanonicalColumn, 'name' | 'type'>): ColumnClass {
  if (column.type === 'id' || IDENTIFIER_COLUMNS.has(column.name) || column.name.endsWith('_id')) return 'identifier';
  if (BIRTH_COLUMNS.has(column.name)) return 'birth';
  if (column.type === 'date' || column.type === 'datetime') return 'date';
  if (column.type === 'int' || column.type === 'number') return 'number';
  if (FREE_TEXT_COLUMNS.has(column.name)) return 'free_text';
  return 'coded';
}

/** What reads a coded column's values: a reference file (or a rule in the code) and its test. */
interface Vocabulary {
  file: string;
  kind: 'reference' | 'rule';
  known: (value: string) => boolean;
}

const AOR_COLUMNS = new Set(['facility_aor', 'apprehension_aor', 'docket_aor', 'case_aor', 'responsible_aor', 'area_of_responsibility', 'book_in_aor']);
const STATE_COLUMNS = new Set(['facility_state', 'apprehension_state']);

let vocabularies: ((family: Family, column: string) => Vocabulary | null) | undefined;

/** The vocabulary of a (family, column), or null when Handoff reads the column as written. */
function vocabularyOf(family: Family, column: string): Vocabulary | null {
  if (!vocabularies) {
    const lift = new Set(loadLiftReasons().map((r) => vocabularyKey(r.value)));
    const methods = new Set(loadApprehensionMethods().map((r) => vocabularyKey(r.method)));
    let offenses: OffenseReference | undefined;
    const offense = () => (offenses ??= loadOffenseReference());
    const state: Vocabulary = { file: 'reference/geo/states.csv', kind: 'reference', known: (v) => resolveState(v) !== undefined };
    const aor: Vocabulary = { file: 'reference/geo/aors.csv', kind: 'reference', known: (v) => aorByName(v) !== undefined };
    vocabularies = (f, c) => {
      if (f === 'detainers' && c === 'detainer_lift_reason') return { file: 'reference/link/lift-reasons.csv', kind: 'reference', known: (v) => lift.has(vocabularyKey(v)) };
      if (f === 'arrests' && c === 'apprehension_method') return { file: 'reference/link/apprehension-methods.csv', kind: 'reference', known: (v) => methods.has(vocabularyKey(v)) };
      if (f === 'detainers' && c === 'detainer_type') return { file: 'src/link/lifecycle/vocabularies.ts (detainerTypeClass: hold, notification or transfer request)', kind: 'rule', known: (v) => detainerTypeClass(v) !== 'unknown' };
      if (STATE_COLUMNS.has(c)) return state;
      if (AOR_COLUMNS.has(c)) return aor;
      if (c === 'msc_charge') return { file: 'reference/offenses/charge-texts.csv, reference/offenses/text-patterns.csv', kind: 'reference', known: (v) => ['text', 'pattern'].includes(categorizeOffense(offense(), v, null).basis) };
      if (c === 'msc_charge_code') return { file: 'reference/offenses/code-ranges.csv', kind: 'reference', known: (v) => categorizeOffense(offense(), null, v).basis === 'code' };
      return null;
    };
  }
  return vocabularies(family, column);
}

/**
 * The coded columns whose release-wide unknown values the data-quality ledger publishes (by name
 * when 11 rows or more, the rest as one total): src/metrics/unknown-values.ts.
 */
const LEDGER_UNKNOWN: ReadonlySet<string> = new Set(['detainers.detainer_lift_reason', 'arrests.apprehension_method', 'detainers.facility_state', 'arrests.apprehension_state']);

export interface CodebookValue {
  /** `value`: one value as stored; `withheld`: values not named (public mode); `more`: values past the listing limit. */
  entry: 'value' | 'withheld' | 'more';
  value: string | null;
  /** Rows holding the value; null when withheld. */
  count: number | null;
  /** Known to the column's vocabulary; null without one (or for a line that is not one value). */
  known: boolean | null;
  /** How many values a `withheld` or `more` line stands for. */
  values: number | null;
  note: string | null;
}

export interface CodebookColumn {
  release_id: string;
  /** `file`: counted in one file; `release`: pooled over the release's files (public mode, a family in several files). */
  scope: 'file' | 'release';
  file: string | null;
  family: Family;
  /** Canonical column (reference/columns); null for a header no canonical column has. */
  column: string | null;
  /** The headers as found, `sheet: header (column N)`, joined by "; ". */
  headers: string;
  /** Type in reference/columns (text, id, date, datetime, int, number); null when unmapped. */
  type: string | null;
  class: ColumnClass;
  /** Rows of the family in scope (a file's sheets of the family, or the release). */
  rows: number | null;
  /** Cells with any text, redaction markers included. */
  filled: number | null;
  fill_rate: number | null;
  /** Empty cells (or, pooled over files, rows of files without the column). */
  blank: number | null;
  redacted: number | null;
  unparseable: number | null;
  /** Values stored (filled, neither redacted nor unparseable): the rows with a value in the table. */
  present: number | null;
  /** Distinct values stored (coded columns). */
  distinct_values: number | null;
  /** Names of the counts of this entry withheld in public mode. */
  withheld: string[];
  values_listed: boolean;
  why_not_listed: string | null;
  vocabulary: string | null;
  vocabulary_kind: 'reference' | 'rule' | null;
  /** Listed values the vocabulary knows, and does not know. */
  values_known: number | null;
  values_unknown: number | null;
  values: CodebookValue[];
  /** The note of reference/columns. */
  note: string;
}

export interface CodebookSheet {
  sheet: string;
  family: string;
  header_row: number | null;
  /** Rows loaded from the sheet; null when withheld. */
  rows: number | null;
  columns: number;
  unmapped_columns: number;
}

export interface CodebookFile {
  file: string;
  sha256: string;
  format: string;
  bytes: number;
  sheets: CodebookSheet[];
}

export interface Codebook {
  release_id: string;
  label: string;
  synthetic: boolean;
  mode: Mode;
  files: CodebookFile[];
  columns: CodebookColumn[];
  /** Set when public mode gives no counts for this release (a newer release covers its months). */
  counts_withheld_because: string | null;
  limits: string[];
}

export interface CodebookOptions {
  mode: Mode;
  /** Newer releases covering months of this one (public mode withholds every count then, as the ledger does). */
  supersededBy?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Protection: cells, identities among them, primary and complementary withholding.

interface Cell {
  n: number;
  withheld: boolean;
  /** Published elsewhere when 11 or more (the ledger): never chosen as a complement. */
  fixed: boolean;
}

/** A published total (or a withheld one) and the cells that add up to it. */
interface Identity {
  total: string;
  members: string[];
}

/**
 * Withholds counts of 1–10, then complements until, for every identity whose total is published,
 * the withheld members W (total S) satisfy |W| ≥ 2 and S − (|W| − 1) ≥ 11: no withheld member can be
 * pinned, nor bounded inside 1–10, from that identity alone; and for every withheld total, at least
 * one member is withheld (else the total is their sum). Complements are the smallest non-zero
 * members that are not published elsewhere.
 */
export function protect(cells: Map<string, Cell>, identities: readonly Identity[]): void {
  for (const c of cells.values()) if (c.n >= 1 && c.n <= SMALL_CELL_MAX) c.withheld = true;
  const pick = (members: string[]): boolean => {
    let best: Cell | undefined;
    for (const k of members) {
      const c = cells.get(k)!;
      if (c.withheld || c.fixed || c.n === 0) continue;
      if (!best || c.n < best.n) best = c;
    }
    if (!best) return false;
    best.withheld = true;
    return true;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of identities) {
      const members = id.members.filter((k) => cells.has(k));
      const w = members.map((k) => cells.get(k)!).filter((c) => c.withheld);
      if (cells.get(id.total)?.withheld) {
        if (w.length === 0 && pick(members)) changed = true;
        continue;
      }
      if (w.length === 0) continue;
      const s = w.reduce((a, c) => a + c.n, 0);
      if (w.length >= 2 && s - (w.length - 1) > SMALL_CELL_MAX) continue;
      if (pick(members)) changed = true;
    }
  }
}

// ---------------------------------------------------------------------------------------------

const codebooks = new WeakMap<Store, Map<string, Promise<Codebook>>>();

/** The codebook of one release, computed once per store (database generation), release and mode. */
export function readCodebook(store: Store, releaseId: string, options: CodebookOptions): Promise<Codebook> {
  let byKey = codebooks.get(store);
  if (!byKey) codebooks.set(store, (byKey = new Map()));
  const key = `${options.mode}|${releaseId}|${(options.supersededBy ?? []).join(',')}`;
  let p = byKey.get(key);
  if (!p) {
    p = computeCodebook(store, releaseId, options);
    byKey.set(key, p);
    p.catch(() => byKey!.delete(key));
  }
  return p;
}

const num = (v: unknown): number => Number(v ?? 0);
const sqlText = (s: string): string => `'${s.replaceAll("'", "''")}'`;

interface SheetRow { file_id: string; sheet: string; family: string; header_row: number | null; rows: number }
interface HeaderRow { file_id: string; sheet: string; position: number; header: string; family: string; column_name: string | null }

async function computeCodebook(store: Store, releaseId: string, options: CodebookOptions): Promise<Codebook> {
  const { mode } = options;
  const release = await store.queryRow<{ label: string; synthetic: boolean }>('SELECT label, synthetic FROM releases WHERE release_id = $1', [releaseId]);
  const files = await store.queryRows<{ file_id: string; file_name: string; format: string; bytes: string }>(
    'SELECT file_id, file_name, format, bytes FROM source_files WHERE release_id = $1 ORDER BY loaded_at, file_name',
    [releaseId],
  );
  const fileIds = files.map((f) => f.file_id);
  const inFiles = fileIds.length ? fileIds.map(sqlText).join(', ') : "''";
  // Sheets from the family tables (rows as loaded), with their header row where source_sheets has it.
  const sheetParts = FAMILIES.map((f) => `SELECT file_id, sheet, '${f}' AS family, count(*) AS rows FROM ${tableOf(f)} WHERE release_id = $1 GROUP BY ALL`);
  const sheetRows = (await store.queryRows<Record<string, unknown>>(`${sheetParts.join(' UNION ALL ')}`, [releaseId])).map((r) => ({ file_id: String(r.file_id), sheet: String(r.sheet), family: String(r.family), rows: num(r.rows) }));
  const sheetMeta = await store.queryRows<{ file_id: string; sheet: string; family: string; header_row: number }>(`SELECT file_id, sheet, family, header_row FROM source_sheets WHERE file_id IN (${inFiles})`);
  const sheets: SheetRow[] = sheetRows.map((s) => ({ ...s, header_row: sheetMeta.find((m) => m.file_id === s.file_id && m.sheet === s.sheet && m.family === s.family)?.header_row ?? null }));
  const headers = await store.queryRows<HeaderRow & Record<string, unknown>>(
    `SELECT file_id, sheet, position, header, family, column_name FROM source_columns WHERE file_id IN (${inFiles}) ORDER BY file_id, sheet, position`,
  );
  const quality = await store.queryRows<{ file_id: string; family: string; column_name: string; rows_read: string; filled: string; redacted: string; unparseable: string }>(
    `SELECT file_id, family, column_name, rows_read, filled, redacted, unparseable FROM column_quality WHERE file_id IN (${inFiles})`,
  );

  const fileName = new Map(files.map((f) => [f.file_id, f.file_name]));
  const order = new Map(files.map((f, i) => [f.file_id, i]));
  const sheetOrder = (s: { file_id: string; sheet: string }) => (order.get(s.file_id) ?? 0) * 1e4 + Math.max(0, sheetMeta.findIndex((m) => m.file_id === s.file_id && m.sheet === s.sheet));
  sheets.sort((a, b) => sheetOrder(a) - sheetOrder(b) || a.sheet.localeCompare(b.sheet));

  const superseded = mode === 'public' && (options.supersededBy ?? []).length > 0;
  const columns: CodebookColumn[] = [];
  const sheetCells = new Map<string, Cell>();
  const sheetIdentities: Identity[] = [];

  for (const family of FAMILIES) {
    const famSheets = sheets.filter((s) => s.family === family);
    if (famSheets.length === 0) continue;
    const famFiles = [...new Set(famSheets.map((s) => s.file_id))];
    const famRows = famSheets.reduce((a, s) => a + s.rows, 0);
    // Sheet rows add up to the family's rows in the release (published below as the columns' rows).
    sheetCells.set(`${family}|rows`, { n: famRows, withheld: false, fixed: true });
    for (const s of famSheets) sheetCells.set(`${family}|${s.file_id}|${s.sheet}`, { n: s.rows, withheld: false, fixed: false });
    sheetIdentities.push({ total: `${family}|rows`, members: famSheets.map((s) => `${family}|${s.file_id}|${s.sheet}`) });

    const pooled = mode === 'public' && famFiles.length > 1;
    const scopes: { fileIds: string[]; file: string | null }[] = pooled ? [{ fileIds: famFiles, file: null }] : famFiles.map((f) => ({ fileIds: [f], file: f }));
    for (const scope of scopes) {
      columns.push(...(await scopeColumns(store, releaseId, family, scope, { sheets: famSheets, headers, quality, fileName, mode, superseded })));
    }
  }

  if (mode === 'public') protect(sheetCells, sheetIdentities);
  const out: CodebookFile[] = files.map((f) => ({
    file: f.file_name,
    sha256: f.file_id,
    format: f.format,
    bytes: num(f.bytes),
    sheets: sheets
      .filter((s) => s.file_id === f.file_id)
      .map((s) => {
        const cell = sheetCells.get(`${s.family}|${s.file_id}|${s.sheet}`)!;
        const mine = headers.filter((h) => h.file_id === s.file_id && h.sheet === s.sheet && h.family === s.family);
        return {
          sheet: s.sheet,
          family: s.family,
          header_row: s.header_row,
          rows: superseded || cell.withheld ? null : s.rows,
          columns: mine.length,
          unmapped_columns: mine.filter((h) => h.column_name === null).length,
        };
      }),
  }));
  const limits = [
    'Counts are of every row loaded from the release\'s files, duplicates and undated records included; the metrics count non-duplicate dated records, so the two differ by those rows.',
    `Values are listed for coded columns only; identifiers, names, dates of birth, dates, numbers and free text are never listed. At most ${MAX_VALUES_LISTED} values per column are listed, the most frequent first.`,
    'Redacted and unparseable cells are counted by ingest per file and family (sheets of one family in one file are counted together).',
    'A coded column without a vocabulary (vocabulary null) is read as written: Handoff maps none of its values, so none is known or unknown.',
  ];
  if (columns.length === 0) {
    limits.push('No sheet of this release is an ICE record table (detainers, arrests, encounters, detention stints, removals): it has no columns to describe here (287(g) sheets: /api/agreements-287g.json).');
  }
  if (mode === 'public') {
    limits.push(
      `Public mode: no count of 1-${SMALL_CELL_MAX} is shown, and complements are withheld so that none can be worked out from this codebook or the data-quality ledger; values of 1-${SMALL_CELL_MAX} rows are not named. A family loaded from several files is counted over the release, not per file.`,
    );
  }
  return {
    release_id: releaseId,
    label: release?.label ?? releaseId,
    synthetic: release?.synthetic === true,
    mode,
    files: out,
    columns,
    counts_withheld_because: superseded ? `newer releases cover months of this one (${(options.supersededBy ?? []).join(', ')}): public mode gives no counts for it, as the data-quality ledger does not, so that releases cannot be differenced` : null,
    limits,
  };
}

interface ScopeInputs {
  sheets: SheetRow[];
  headers: HeaderRow[];
  quality: { file_id: string; family: string; column_name: string; rows_read: string; filled: string; redacted: string; unparseable: string }[];
  fileName: Map<string, string>;
  mode: Mode;
  superseded: boolean;
}

/** The column entries of one family in one scope (a file, or the release's files pooled). */
async function scopeColumns(store: Store, releaseId: string, family: Family, scope: { fileIds: string[]; file: string | null }, inp: ScopeInputs): Promise<CodebookColumn[]> {
  const { columns: canonical } = familyColumns(family);
  const table = tableOf(family);
  const inScope = (fileId: string) => scope.fileIds.includes(fileId);
  const myHeaders = inp.headers.filter((h) => h.family === family && inScope(h.file_id));
  const myQuality = inp.quality.filter((q) => q.family === family && inScope(q.file_id));
  const haveHeaders = new Set(myHeaders.map((h) => h.file_id));
  // The canonical columns found in scope: by the headers read, or (files loaded without
  // source_columns) by any filled cell.
  const present = canonical.filter(
    (c) => myHeaders.some((h) => h.column_name === c.name) || myQuality.some((q) => !haveHeaders.has(q.file_id) && q.column_name === c.name && num(q.filled) > 0),
  );
  const tableColumns = new Set(
    (await store.queryRows<{ column_name: string }>('SELECT column_name FROM duckdb_columns() WHERE table_name = $1', [table])).map((r) => r.column_name),
  );
  const counted = present.filter((c) => tableColumns.has(c.name));
  const fileFilter = `file_id IN (${scope.fileIds.map(sqlText).join(', ')})`;
  const where = `release_id = $1 AND ${fileFilter}`;
  const counts = (await store.queryRow<Record<string, unknown>>(
    `SELECT count(*) AS rows${counted.map((c, i) => `, count(${c.name}) AS p${i}`).join('')} FROM ${table} WHERE ${where}`,
    [releaseId],
  )) ?? {};
  const rows = num(counts.rows);
  const where3 = (fileId: string, sheet: string) => `${fileName(inp, fileId)}: ${sheet}`;
  const headerText = (name: string | null, pick: (h: HeaderRow) => boolean) =>
    myHeaders
      .filter(pick)
      .map((h) => `${scope.file === null ? where3(h.file_id, h.sheet) : h.sheet}: ${h.header} (column ${h.position})`)
      .join('; ') || (name ?? '');

  const out: CodebookColumn[] = [];
  for (const c of present) {
    const q = myQuality.filter((x) => x.column_name === c.name);
    const filled = q.reduce((a, x) => a + num(x.filled), 0);
    const redacted = q.reduce((a, x) => a + num(x.redacted), 0);
    const unparseable = q.reduce((a, x) => a + num(x.unparseable), 0);
    const i = counted.indexOf(c);
    const stored = i >= 0 ? num(counts[`p${i}`]) : 0;
    const cls = columnClass(c);
    const vocabulary = cls === 'coded' ? vocabularyOf(family, c.name) : null;
    let values: { value: string; n: number }[] = [];
    if (cls === 'coded' && i >= 0) {
      values = (await store.queryRows<{ value: string; n: string }>(
        `SELECT ${c.name} AS value, count(*) AS n FROM ${table} WHERE ${where} AND ${c.name} IS NOT NULL GROUP BY 1 ORDER BY n DESC, value`,
        [releaseId],
      )).map((v) => ({ value: String(v.value), n: num(v.n) }));
    }
    out.push(
      protectColumn({
        release_id: releaseId,
        scope: scope.file === null ? 'release' : 'file',
        file: scope.file === null ? null : fileName(inp, scope.file),
        family,
        column: c.name,
        headers: headerText(c.name, (h) => h.column_name === c.name),
        type: c.type,
        cls,
        rows,
        filled,
        redacted,
        unparseable,
        stored,
        values,
        vocabulary,
        note: c.note,
        mode: inp.mode,
        superseded: inp.superseded,
        ledgerUnknown: scope.file === null || inp.sheets.filter((s) => s.family === family).every((s) => s.file_id === scope.file) ? LEDGER_UNKNOWN.has(`${family}.${c.name}`) : false,
      }),
    );
  }

  // Headers no canonical column has: kept in `extra` under the header (a repeated one as "header (n)").
  const unmapped = myHeaders.filter((h) => h.column_name === null);
  const keys = new Map<string, { key: string; where: HeaderRow[] }>();
  const seenPerSheet = new Map<string, Set<string>>();
  for (const h of unmapped) {
    const sheetKey = `${h.file_id}|${h.sheet}`;
    let seen = seenPerSheet.get(sheetKey);
    if (!seen) seenPerSheet.set(sheetKey, (seen = new Set()));
    let key = h.header;
    for (let n = 2; seen.has(key); n++) key = `${h.header} (${n})`;
    seen.add(key);
    let entry = keys.get(key);
    if (!entry) keys.set(key, (entry = { key, where: [] }));
    entry.where.push(h);
  }
  // Cells past the header row's last column are kept in `extra` too, as "column N (no header)".
  const stray = await store.queryRows<{ k: string }>(
    `SELECT DISTINCT k FROM (SELECT unnest(json_keys(extra)) AS k FROM ${table} WHERE ${where} AND extra IS NOT NULL) ORDER BY k`,
    [releaseId],
  );
  for (const { k } of stray) if (!keys.has(k) && /^column \d+ \(no header\)$/.test(k)) keys.set(k, { key: k, where: [] });
  for (const { key, where: found } of keys.values()) {
    const path = `[${sqlText(key)}]`;
    const r = (await store.queryRow<Record<string, unknown>>(
      `SELECT count(*) FILTER (WHERE v IS NOT NULL) AS filled, count(*) FILTER (WHERE regexp_matches(v, '${REDACTION_PATTERN}', 'i')) AS redacted
       FROM (SELECT json_extract_string(extra, ${path})[1] AS v FROM ${table} WHERE ${where})`,
      [releaseId],
    )) ?? {};
    out.push(
      protectColumn({
        release_id: releaseId,
        scope: scope.file === null ? 'release' : 'file',
        file: scope.file === null ? null : fileName(inp, scope.file),
        family,
        column: null,
        headers: found.length ? headerText(key, (h) => found.includes(h)) : key,
        type: null,
        cls: 'unmapped',
        rows,
        filled: num(r.filled),
        redacted: num(r.redacted),
        unparseable: null,
        stored: num(r.filled) - num(r.redacted),
        values: [],
        vocabulary: null,
        note: 'kept in the row\'s `extra` (JSON) under this header',
        mode: inp.mode,
        superseded: inp.superseded,
        ledgerUnknown: false,
      }),
    );
  }
  return out;
}

function fileName(inp: ScopeInputs, fileId: string): string {
  return inp.fileName.get(fileId) ?? fileId;
}

/** What protectColumn is given: the entry's identity as published, and its raw counts. */
interface ColumnInput extends Pick<CodebookColumn, 'release_id' | 'scope' | 'file' | 'family' | 'column' | 'headers' | 'type' | 'note'> {
  cls: ColumnClass;
  rows: number;
  filled: number;
  redacted: number;
  unparseable: number | null;
  stored: number;
  values: { value: string; n: number }[];
  vocabulary: Vocabulary | null;
  mode: Mode;
  superseded: boolean;
  /** The ledger publishes this column's release-wide unknown values (same scope as here). */
  ledgerUnknown: boolean;
}

/** One column's entry, its counts withheld as public mode requires. */
function protectColumn(x: ColumnInput): CodebookColumn {
  const listed = x.cls === 'coded';
  const known = (v: string) => (x.vocabulary ? x.vocabulary.known(v) : null);
  const cells = new Map<string, Cell>();
  const set = (k: string, n: number, fixed = false) => cells.set(k, { n, withheld: false, fixed });
  // The ledger publishes rows and redactions release-wide: never complements.
  set('rows', x.rows, true);
  set('filled', x.filled);
  set('blank', Math.max(0, x.rows - x.filled));
  set('redacted', x.redacted, true);
  if (x.unparseable !== null) set('unparseable', x.unparseable);
  set('present', x.stored);
  const top = x.values.slice(0, MAX_VALUES_LISTED);
  const rest = x.values.slice(MAX_VALUES_LISTED);
  top.forEach((v, i) => set(`v${i}`, v.n, x.ledgerUnknown && known(v.value) === false));
  const valueKeys = top.map((_, i) => `v${i}`);
  if (rest.length) {
    set('more', rest.reduce((a, v) => a + v.n, 0));
    valueKeys.push('more');
  }
  const parts = ['blank', 'redacted', ...(x.unparseable !== null ? ['unparseable'] : [])];
  const identities: Identity[] = [
    { total: 'rows', members: ['blank', 'filled'] },
    { total: 'filled', members: ['redacted', ...(x.unparseable !== null ? ['unparseable'] : []), 'present'] },
    { total: 'rows', members: [...parts, 'present'] },
  ];
  if (listed && x.values.length) {
    // The ledger's total of unknown values of 1–10 rows each is one more published cell: the values
    // it adds up, and the other values beside it, must each stay safe.
    const rareUnknown = x.ledgerUnknown ? top.flatMap((v, i) => (v.n <= SMALL_CELL_MAX && known(v.value) === false ? [`v${i}`] : [])) : [];
    if (rareUnknown.length) {
      set('ledger_rare_unknown', rareUnknown.reduce((a, k) => a + cells.get(k)!.n, 0), true);
      identities.push({ total: 'ledger_rare_unknown', members: rareUnknown });
      const others = valueKeys.filter((k) => !rareUnknown.includes(k));
      identities.push({ total: 'present', members: [...others, 'ledger_rare_unknown'] });
      identities.push({ total: 'rows', members: [...parts, ...others, 'ledger_rare_unknown'] });
    } else {
      identities.push({ total: 'present', members: valueKeys });
      identities.push({ total: 'rows', members: [...parts, ...valueKeys] });
    }
  }
  if (x.mode === 'public') {
    if (x.superseded) for (const c of cells.values()) c.withheld = true;
    else protect(cells, identities);
  }
  const shown = (k: string): number | null => {
    const c = cells.get(k);
    return !c || c.withheld ? null : c.n;
  };
  const withheld = ['rows', 'filled', 'blank', 'redacted', 'unparseable', 'present'].filter((k) => cells.get(k)?.withheld);

  const values: CodebookValue[] = [];
  let hidden = 0;
  top.forEach((v, i) => {
    if (cells.get(`v${i}`)!.withheld) {
      hidden++;
      return;
    }
    values.push({ entry: 'value', value: v.value, count: v.n, known: known(v.value), values: null, note: null });
  });
  if (hidden) {
    values.push({
      entry: 'withheld',
      value: null,
      count: null,
      known: null,
      values: hidden,
      note: x.superseded ? 'not listed: public mode gives no counts for a superseded release' : `not named: values of 1-${SMALL_CELL_MAX} rows, and any withheld beside them so that none can be worked out`,
    });
  }
  if (rest.length) {
    const more = cells.get('more')!;
    values.push({ entry: 'more', value: null, count: more.withheld ? null : more.n, known: null, values: rest.length, note: `past the first ${MAX_VALUES_LISTED} values, not listed one by one` });
  }
  const listedValues = values.filter((v) => v.entry === 'value');
  const rowsShown = shown('rows');
  const filledShown = shown('filled');
  return {
    release_id: x.release_id,
    scope: x.scope,
    file: x.file,
    family: x.family,
    column: x.column,
    headers: x.headers,
    type: x.type,
    class: x.cls,
    rows: rowsShown,
    filled: filledShown,
    fill_rate: rowsShown === null || filledShown === null || x.rows === 0 ? null : Math.round((x.filled / x.rows) * 10000) / 10000,
    blank: shown('blank'),
    redacted: shown('redacted'),
    unparseable: x.unparseable === null ? null : shown('unparseable'),
    present: shown('present'),
    distinct_values: listed && !(x.mode === 'public' && x.superseded) ? x.values.length : null,
    withheld,
    values_listed: listed,
    why_not_listed: listed ? null : NOT_LISTED_BECAUSE[x.cls as Exclude<ColumnClass, 'coded'>],
    vocabulary: x.vocabulary?.file ?? null,
    vocabulary_kind: x.vocabulary?.kind ?? null,
    values_known: x.vocabulary ? listedValues.filter((v) => v.known === true).length : null,
    values_unknown: x.vocabulary ? listedValues.filter((v) => v.known === false).length : null,
    values: listed ? values : [],
    note: x.note,
  };
}
