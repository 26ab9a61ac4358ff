/**
 * Golden tests of the real vintages, one per vintage, built at test time from the real files in
 * ../shared/data/ice-real (see its SOURCES.md): FOIA 2019-ICFO-53623 (FY2016 nationwide arrests,
 * encounters, removals; gzip, pipe-delimited, 5-line preamble) and FOIA 2018-ICFO-36170 (the Seattle
 * workbook: three families, two fiscal years, six sheets).
 *
 * The test excerpts the rows itself (the first 300 data lines of each FY2016 file, gzipped again; the
 * first 50 data rows of each Seattle sheet) and states, per family, which canonical column each of
 * ICE's headers means. Every expected value is made here from the source cells (trim; DDP's redaction
 * test gives no value; `M/D/YYYY` read as a date), never from Handoff's output; row counts come from
 * the bytes or from SOURCES.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestFiles, openReadOnly } from '../../src/pipeline/index.ts';
import { XlsxWorkbook } from '../../src/xlsx/index.ts';
import { SHARED_DIR } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';

const REAL = path.join(SHARED_DIR, 'data', 'ice-real');
const have = existsSync(path.join(REAL, 'SOURCES.md'));
if (!have) console.warn(`skipping the real-vintage golden tests: ${REAL} is missing`);

type Kind = 'text' | 'date';
type Family = 'arrests' | 'encounters' | 'removals';

/**
 * What each header of the 2016–2019 layouts means, by family: the canonical column and whether it is a
 * date. Written from ICE's headers and ICE-RELEASES.md, not read from reference/columns.
 */
/** The person and event columns every 2016–2019 family has. */
const PERSON: Record<string, [string, Kind]> = {
  'Birth Date': ['birth_date', 'date'],
  'Date of Birth': ['birth_date', 'date'],
  Citizenship: ['citizenship_country', 'text'],
  'Country of Citizenship': ['citizenship_country', 'text'],
  Gender: ['gender', 'text'],
  'Event Number': ['event_number', 'text'],
};

const MEANING: Record<Family, Record<string, [string, Kind]>> = {
  arrests: {
    'Area of Responsibility': ['apprehension_aor', 'text'],
    'Apprehension Date': ['apprehension_date', 'date'],
    'Arrest Date': ['apprehension_date', 'date'],
    'Apprehension Method': ['apprehension_method', 'text'],
    'Arrest Method': ['apprehension_method', 'text'],
    'Apprehension Landmark': ['apprehension_site_landmark', 'text'],
    Operation: ['operation', 'text'],
    'Processing Disposition': ['processing_disposition', 'text'],
    ...PERSON,
  },
  encounters: {
    'Event Area of Responsibility': ['responsible_aor', 'text'],
    'Event Date': ['event_date', 'date'],
    Landmark: ['event_landmark', 'text'],
    Operation: ['operation', 'text'],
    'Processing Disposition': ['processing_disposition', 'text'],
    ...PERSON,
  },
  removals: {
    // ICE does not say whose AOR this is; it is kept apart from Docket AOR.
    'Area of Responsibility': ['area_of_responsibility', 'text'],
    'Apprehension Date': ['apprehension_date', 'date'],
    'Arrest Date': ['apprehension_date', 'date'],
    'Processing Disposition Code': ['processing_disposition_code', 'text'],
    ...PERSON,
    'RC Threat Level': ['rc_threat_level', 'text'],
    'Final Charge Section': ['final_charge_section_code', 'text'],
    'Departed Date': ['departed_date', 'date'],
    'Removal Date': ['removal_date', 'date'],
    'Removal Case COL': ['removal_case_col', 'text'],
  },
};

/** DDP's redaction test, as ICE-RELEASES.md gives it. */
const REDACTED = /\(b\)|\(B\)|b\([0-9]\)|B\([0-9]\)/;

/** The value a source cell should be stored as, made from the cell alone. */
function expected(cell: string | number | null | undefined, kind: Kind): string | null {
  if (cell === null || cell === undefined) return null;
  const text = String(cell).trim();
  if (text === '' || REDACTED.test(text)) return null;
  if (kind === 'text') return text;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : undefined;
  if (iso === undefined) throw new Error(`the test cannot read the date "${text}"`);
  // A year outside 1900–2099 is no date: the Seattle removals write 01/01/0001 for none.
  const year = Number(iso.slice(0, 4));
  return year >= 1900 && year < 2100 ? iso : null;
}

/** One delimited line as ICE writes it: fields split on `|`, surrounding quotes off. */
function fields(line: string): string[] {
  return line.split('|').map((f) => f.replace(/^"(.*)"$/, '$1'));
}

interface SourceRecord {
  sheet?: string;
  row: number;
  cells: (string | number | null)[];
}

/** Stored rows of a family, the given columns as text (dates as YYYY-MM-DD), keyed by sheet and row. */
async function storedRows(db: string, family: Family, columns: [string, Kind][]): Promise<Map<string, Record<string, string | null>>> {
  const store = await openReadOnly(db);
  try {
    const select = [...new Map(columns.map((c) => [c[0], c])).values()]
      .map(([name, kind]) => (kind === 'date' ? `CAST(CAST(${name} AS DATE) AS VARCHAR) AS ${name}` : `CAST(${name} AS VARCHAR) AS ${name}`))
      .join(', ');
    const rows = await store.queryRows<Record<string, string | null>>(`SELECT sheet, CAST(source_row AS VARCHAR) AS source_row, extra, ${select} FROM ${family}`);
    return new Map(rows.map((r) => [`${r.sheet}#${r.source_row}`, r]));
  } finally {
    store.close();
  }
}

/** Checks every source record against the stored row of the same sheet and source row. */
async function compare(db: string, family: Family, headers: string[], records: SourceRecord[], sheetOf: (r: SourceRecord) => string): Promise<void> {
  const meaning = headers.map((h) => {
    const m = MEANING[family][h];
    if (!m) throw new Error(`the test does not know what the ${family} header "${h}" means`);
    return m;
  });
  const stored = await storedRows(db, family, meaning);
  const mismatches: string[] = [];
  for (const record of records) {
    const key = `${sheetOf(record)}#${record.row}`;
    const row = stored.get(key);
    if (!row) {
      mismatches.push(`${key}: not stored`);
      continue;
    }
    if (row.extra !== null) mismatches.push(`${key}: extra ${row.extra}`);
    meaning.forEach(([column, kind], i) => {
      const want = expected(record.cells[i], kind);
      if (row[column] !== want) mismatches.push(`${key} ${headers[i]} → ${column}: stored ${JSON.stringify(row[column])}, source ${JSON.stringify(record.cells[i])}`);
    });
  }
  expect(mismatches.slice(0, 20)).toEqual([]);
}

/** The header → column list ingest recorded for a sheet (source_columns). */
async function recordedColumns(db: string, sheet?: string): Promise<[string, string | null][]> {
  const store = await openReadOnly(db);
  try {
    const rows = await store.queryRows<{ header: string; column_name: string | null }>(
      `SELECT header, column_name FROM source_columns ${sheet === undefined ? '' : 'WHERE sheet = $1'} ORDER BY position`,
      sheet === undefined ? undefined : [sheet],
    );
    return rows.map((r) => [r.header, r.column_name]);
  } finally {
    store.close();
  }
}

async function ingestOne(file: string, dir = path.dirname(file)): Promise<string> {
  const db = path.join(dir, 'golden.duckdb');
  const summary = await ingestFiles([file], { dbPath: db, link: false });
  expect(summary.files.map((f) => [f.status, f.error?.message, f.unknownColumns])).toEqual([['loaded', undefined, []]]);
  return db;
}

/** FY2016 (FOIA 2019-ICFO-53623): the header is on line 6 (SOURCES.md). */
const FY2016_HEADER_LINE = 6;
const EXCERPT_LINES = 300;

const FY2016: { file: string; family: Family }[] = [
  { file: 'EROArrests_FY2016.csv.gz', family: 'arrests' },
  { file: 'EROEncounters_FY2016.csv.gz', family: 'encounters' },
  { file: 'ICERemovals_FY2016.csv.gz', family: 'removals' },
];

describe.skipIf(!have)('golden: FOIA 2019-ICFO-53623, FY2016 nationwide (excerpt of 300 data lines each)', () => {
  for (const { file, family } of FY2016) {
    it(`${file}: ${family}, every header mapped, every value as the source gives it`, async () => {
      const lines = gunzipSync(readFileSync(path.join(REAL, file))).toString('utf8').split(/\r?\n/);
      const header = fields(lines[FY2016_HEADER_LINE - 1]!);
      const records: SourceRecord[] = [];
      let last = FY2016_HEADER_LINE;
      for (let i = FY2016_HEADER_LINE; i < lines.length && records.length < EXCERPT_LINES; i++) {
        last = i + 1;
        if (lines[i]!.replace(/\|/g, '').trim() === '') continue;
        const cells = fields(lines[i]!);
        expect(cells, `line ${i + 1}`).toHaveLength(header.length);
        records.push({ row: i + 1, cells });
      }
      expect(records).toHaveLength(EXCERPT_LINES);
      const excerpt = path.join(tempDir(), file.replace('.csv.gz', '-excerpt.csv.gz'));
      await writeFile(excerpt, gzipSync(`${lines.slice(0, last).join('\r\n')}\r\n`));
      const db = await ingestOne(excerpt);

      let sheet = '';
      expect(await recordedColumns(db)).toEqual(header.map((h) => [h, MEANING[family][h]?.[0] ?? `(the test does not know "${h}")`]));
      const store = await openReadOnly(db);
      try {
        const sheets = await store.queryRows<{ sheet: string; family: string; header_row: number; rows_loaded: unknown; preamble: string }>(
          'SELECT sheet, family, header_row, rows_loaded, preamble FROM source_sheets',
        );
        sheet = sheets[0]?.sheet ?? '';
        const preamble = lines.slice(0, FY2016_HEADER_LINE - 1).map((l) => fields(l).filter((f) => f.trim() !== '').join(' | ')).filter(Boolean);
        expect(sheets.map((s) => [s.family, Number(s.header_row), Number(s.rows_loaded), s.preamble])).toEqual([
          [family, FY2016_HEADER_LINE, EXCERPT_LINES, preamble.join('\n')],
        ]);
        const total = await store.queryRow<{ n: unknown }>(`SELECT count(*) AS n FROM ${family}`);
        expect(Number(total!.n)).toBe(EXCERPT_LINES);
        // Redactions are counted per column as the source has them.
        const quality = await store.queryRows<{ column_name: string; redacted: unknown }>('SELECT column_name, redacted FROM column_quality WHERE redacted > 0');
        const redactedBySource = new Map<string, number>();
        header.forEach((h, i) => {
          const n = records.filter((r) => REDACTED.test(String(r.cells[i] ?? ''))).length;
          if (n > 0) redactedBySource.set(MEANING[family][h]![0], n);
        });
        expect(new Map(quality.map((q) => [q.column_name, Number(q.redacted)]))).toEqual(redactedBySource);
      } finally {
        store.close();
      }
      await compare(db, family, header, records, () => sheet);
    }, 60_000);
  }
});

const SEATTLE = '3_25_19 FOIA 2018-ICFO-36170 Seattle Encounters Arrests and Removals_LESA_STU_Final-redacted-no-pwd.xlsx';
const ROWS_PER_SHEET = 50;

/** The sheets and row counts SOURCES.md gives for the Seattle workbook, and its header row. */
function seattleFromSources(): { sheets: Map<string, number>; headerRow: number } {
  const line = readFileSync(path.join(REAL, 'SOURCES.md'), 'utf8').split('\n').find((l) => l.startsWith(`| \`${SEATTLE}\``));
  if (!line) throw new Error('SOURCES.md has no row for the Seattle workbook');
  const sheets = new Map([...line.matchAll(/`(FY\d{4} [A-Za-z]+)` ([\d,]+)/g)].map((m) => [m[1]!, Number(m[2]!.replace(/,/g, ''))]));
  const header = /header on row (\d+) in every sheet/.exec(line);
  if (sheets.size === 0 || !header) throw new Error('SOURCES.md: cannot read the Seattle sheets or header row');
  return { sheets, headerRow: Number(header[1]) };
}

describe.skipIf(!have)('golden: FOIA 2018-ICFO-36170, Seattle (six sheets, 50 data rows of each compared)', () => {
  it('three families, two fiscal years: each sheet in its family with every row; every header mapped; values as the source gives them', async () => {
    const { sheets: counts, headerRow } = seattleFromSources();
    expect(counts.size).toBe(6);
    const source = new Map<string, { family: Family; header: string[]; records: SourceRecord[] }>();
    const workbook = await XlsxWorkbook.open(path.join(REAL, SEATTLE));
    try {
      for (const { name } of workbook.sheets) {
        const family = (/ (Arrests|Encounters|Removals)$/.exec(name)?.[1]?.toLowerCase() ?? '') as Family;
        expect(Object.keys(MEANING), name).toContain(family);
        let header: string[] = [];
        const records: SourceRecord[] = [];
        for await (const batch of workbook.rowBatches(name, 256)) {
          for (const row of batch) {
            if (row.rowNumber === headerRow) header = row.cells.map((c) => String(c ?? '').trim());
            else if (row.rowNumber > headerRow && records.length < ROWS_PER_SHEET && row.cells.some((c) => c !== null && String(c).trim() !== '')) {
              records.push({ sheet: name, row: row.rowNumber, cells: row.cells });
            }
          }
          if (records.length >= ROWS_PER_SHEET) break;
        }
        expect(records, name).toHaveLength(ROWS_PER_SHEET);
        source.set(name, { family, header, records });
      }
    } finally {
      await workbook.close();
    }
    expect(new Set(source.keys())).toEqual(new Set(counts.keys()));

    // The whole workbook is read (it is small): the sheets, their families and row counts are checked
    // in full, the values on the excerpt.
    const db = await ingestOne(path.join(REAL, SEATTLE), tempDir());
    const store = await openReadOnly(db);
    try {
      const sheets = await store.queryRows<{ sheet: string; family: string; header_row: number; rows_loaded: unknown }>(
        'SELECT sheet, family, header_row, rows_loaded FROM source_sheets ORDER BY sheet',
      );
      expect(sheets.map((s) => [s.sheet, s.family, Number(s.header_row), Number(s.rows_loaded)])).toEqual(
        [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([sheet, n]) => [sheet, source.get(sheet)!.family, headerRow, n]),
      );
    } finally {
      store.close();
    }
    for (const [sheet, { family, header, records }] of source) {
      expect(await recordedColumns(db, sheet), sheet).toEqual(header.map((h) => [h, MEANING[family][h]?.[0] ?? `(the test does not know "${h}")`]));
      await compare(db, family, header, records, (r) => r.sheet!);
    }
  }, 60_000);
});
