/**
 * The codebook of a release (src/pipeline/codebook.ts). Every count is checked against a count of
 * rows made here: by SQL over ICE's own file (read by DuckDB's CSV reader, not by Handoff's ingest)
 * and over the loaded family table. Public mode is checked as an attacker would: no count of 1–10,
 * no identifier, birth, date or free-text value anywhere in the answer, and no withheld count that
 * the published ones pin by subtraction.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles, openReadOnly, readCodebook, type Codebook, type CodebookColumn } from '../../src/pipeline/index.ts';
import { protect } from '../../src/pipeline/codebook.ts';
import { Store } from '../../src/store/index.ts';
import { SHARED_DIR } from '../helpers/published-headers.ts';
import { tempDir } from '../helpers/tmp.ts';
import { withStore } from '../helpers/with-store.ts';

const REAL = path.join(SHARED_DIR, 'data', 'ice-real');
const ARRESTS = path.join(REAL, 'EROArrests_FY2016.csv.gz');
const SEATTLE = path.join(REAL, '3_25_19 FOIA 2018-ICFO-36170 Seattle Encounters Arrests and Removals_LESA_STU_Final-redacted-no-pwd.xlsx');
const haveReal = existsSync(ARRESTS) && existsSync(SEATTLE);
if (!haveReal) console.warn(`skipping the codebook's real-file tests: ${REAL} is missing`);

/** Fields of the answer that are counts of rows or cells (public mode: never 1–10). */
const COUNT_KEYS = new Set(['rows', 'filled', 'blank', 'redacted', 'unparseable', 'present', 'count']);

/** Every count field of a JSON value, with its path. */
function counts(value: unknown, at = '$'): { at: string; n: number }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => counts(v, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (COUNT_KEYS.has(k) && typeof v === 'number' ? [{ at: `${at}.${k}`, n: v }] : counts(v, `${at}.${k}`)));
  }
  return [];
}

/**
 * What subtraction gives an attacker from one column's published figures: for each identity whose
 * total is shown, the withheld members must be none, or at least two whose total leaves each of them
 * possibly 11 or more (so none is pinned, nor known to be 1–10).
 */
function pinned(c: CodebookColumn): string[] {
  const bad: string[] = [];
  const check = (name: string, total: number | null, members: { n: number | null; k?: number }[]) => {
    if (total === null) return;
    const hidden = members.filter((m) => m.n === null);
    const k = hidden.reduce((a, m) => a + (m.k ?? 1), 0);
    if (k === 0) return;
    const s = total - members.reduce((a, m) => a + (m.n ?? 0), 0);
    if (k < 2 || s - (k - 1) < 11) bad.push(`${c.family}.${c.column ?? c.headers} ${name}: ${k} withheld adding up to ${s}`);
  };
  check('rows = blank + filled', c.rows, [{ n: c.blank }, { n: c.filled }]);
  check('filled = redacted + unparseable + present', c.filled, [{ n: c.redacted }, ...(c.class === 'unmapped' ? [] : [{ n: c.unparseable }]), { n: c.present }]);
  if (c.values.length) check('present = values', c.present, c.values.map((v) => ({ n: v.count, k: v.entry === 'withheld' ? (v.values ?? 1) : 1 })));
  return bad;
}

/** The public-mode rules over a whole codebook. */
function checkPublic(book: Codebook): void {
  const small = counts(book).filter((x) => x.n >= 1 && x.n <= 10);
  expect(small, 'counts of 1-10 in public mode').toEqual([]);
  for (const c of book.columns) {
    if (c.class !== 'coded') {
      expect(c.values, `${c.family}.${c.column}`).toEqual([]);
      expect(c.why_not_listed, `${c.family}.${c.column}`).toMatch(/\w/);
    }
    for (const v of c.values) if (v.entry === 'value') expect(v.count!, `${c.column}=${v.value}`).toBeGreaterThanOrEqual(11);
  }
  expect(book.columns.flatMap(pinned)).toEqual([]);
}

async function count(store: Store, sql: string, params: string[] = []): Promise<number> {
  return Number((await store.queryRow<{ n: unknown }>(sql, params))?.n ?? -1);
}

// ---------------------------------------------------------------------------------------------

/** A release written row by row: identifiers, a date of birth, free text, rare and unknown values. */
async function handRelease(store: Store): Promise<void> {
  await store.run("INSERT INTO releases (release_id, label, synthetic, created_at) VALUES ('r_hand', 'Hand-made', false, TIMESTAMP '2025-01-01 00:00:00')");
  await store.run("INSERT INTO source_files VALUES ('f_hand', 'r_hand', 'hand.xlsx', 100, 'xlsx', TIMESTAMP '2025-01-01 00:00:00', 300, 0, NULL)");
  await store.run("INSERT INTO source_sheets VALUES ('f_hand', 'Sheet1', 'detainers', 1, 300, '')");
  const headers: [string, string | null][] = [
    ['Detainer Prepare Date', 'detainer_prepare_date'], ['Facility State', 'facility_state'], ['Gender', 'gender'], ['Unique Identifier', 'person_id'],
    ['Birth Date', 'birth_date'], ['Other Removal Reason', 'other_removal_reason'], ['Detainer Lift Reason', 'detainer_lift_reason'], ['MSC Sentence Days', 'msc_sentence_days'], ['Officer Notes', null],
  ];
  await store.insertRows('source_columns', ['file_id', 'sheet', 'position', 'header', 'family', 'column_name'], headers.map(([h, c], i) => ['f_hand', 'Sheet1', i + 1, h, 'detainers', c]));
  const lift = [...Array(200).fill('Booked into Detention'), ...Array(60).fill('Detainer Declined by LEA'), ...Array(30).fill('Mystery Reason'), ...Array(4).fill('Odd A'), ...Array(3).fill('Odd B'), ...Array(3).fill('Lifted')];
  const rows = lift.map((l, i) => [
    'r_hand', 'f_hand', 'hand.xlsx', 'Sheet1', i + 2, '2024-11-01', 'MASSACHUSETTS', i < 250 ? 'Male' : i < 295 ? 'Female' : 'X', `PID-${1000 + i}`,
    `1990-01-${String(1 + (i % 28)).padStart(2, '0')}`, i < 20 ? 'Told the officer he lives at 12 Elm Street' : null, l, i < 40 ? 30 + i : null,
    i < 15 ? JSON.stringify({ 'Officer Notes': 'free words about a person' }) : i === 20 ? JSON.stringify({ 'column 10 (no header)': 'stray words' }) : null, false,
  ]);
  await store.insertRows(
    'detainers',
    ['release_id', 'file_id', 'source_file', 'sheet', 'source_row', 'detainer_prepare_date', 'facility_state', 'gender', 'person_id', 'birth_date', 'other_removal_reason', 'detainer_lift_reason', 'msc_sentence_days', 'extra', 'is_duplicate'],
    rows,
  );
  // Filled and redacted cells per column, as ingest counts them: four birth-date cells held a
  // redaction marker (the last four rows, NULL in the table as ingest stores them).
  const filled: Record<string, [number, number]> = { detainer_prepare_date: [300, 0], facility_state: [300, 0], gender: [300, 0], person_id: [300, 0], birth_date: [300, 4], other_removal_reason: [20, 0], detainer_lift_reason: [300, 0], msc_sentence_days: [40, 0] };
  await store.insertRows(
    'column_quality',
    ['file_id', 'family', 'column_name', 'rows_read', 'filled', 'redacted', 'unparseable', 'examples'],
    Object.entries(filled).map(([c, [f, r]]) => ['f_hand', 'detainers', c, 300, f, r, 0, '[]']),
  );
  await store.run("UPDATE detainers SET birth_date = NULL WHERE source_row > 297");
}

describe('codebook of a hand-made release', () => {
  it('counts equal SQL over the rows; classes, vocabularies and known/unknown values from reference/', async () => {
    await withStore(async (store) => {
      await handRelease(store);
      const book = await readCodebook(store, 'r_hand', { mode: 'private' });
      const col = (name: string | null) => book.columns.find((c) => c.column === name)!;
      expect(book.columns.map((c) => [c.column, c.class])).toEqual([
        ['detainer_prepare_date', 'date'], ['facility_state', 'coded'], ['gender', 'coded'], ['birth_date', 'birth'], ['msc_sentence_days', 'number'],
        ['other_removal_reason', 'free_text'], ['detainer_lift_reason', 'coded'], ['person_id', 'identifier'], [null, 'unmapped'], [null, 'unmapped'],
      ]);
      // A cell past the last header is kept in `extra` as "column 10 (no header)", and described.
      expect(book.columns.at(-1)).toMatchObject({ headers: 'column 10 (no header)', filled: 1, values: [] });
      // Private mode lists every value of a coded column, 1–10 rows included, each equal to its rows.
      const gender = col('gender');
      for (const v of gender.values) expect(v.count, String(v.value)).toBe(await count(store, "SELECT count(*) AS n FROM detainers WHERE release_id = 'r_hand' AND gender = $1", [v.value!]));
      expect(gender.values.map((v) => v.value)).toEqual(['Male', 'Female', 'X']);
      const lift = col('detainer_lift_reason');
      expect(lift.vocabulary).toBe('reference/link/lift-reasons.csv');
      expect(Object.fromEntries(lift.values.map((v) => [v.value, [v.count, v.known]]))).toEqual({
        'Booked into Detention': [200, true], 'Detainer Declined by LEA': [60, true], 'Mystery Reason': [30, false], 'Odd A': [4, false], 'Odd B': [3, false], Lifted: [3, true],
      });
      expect(col('facility_state')).toMatchObject({ vocabulary: 'reference/geo/states.csv', values_known: 1, values_unknown: 0 });
      const birth = col('birth_date');
      expect(birth).toMatchObject({ rows: 300, filled: 300, redacted: 4, unparseable: 0, blank: 0, present: await count(store, "SELECT count(birth_date) AS n FROM detainers WHERE release_id = 'r_hand'"), values: [] });
      expect(birth.why_not_listed).toMatch(/birth/);
      expect(col('other_removal_reason')).toMatchObject({ filled: 20, fill_rate: 0.0667, blank: 280, values: [] });
      const notes = col(null);
      expect(notes).toMatchObject({ headers: 'Sheet1: Officer Notes (column 9)', filled: 15, redacted: 0 });
      expect(notes.why_not_listed).toMatch(/reference\/columns/);
      expect(book.files).toEqual([{ file: 'hand.xlsx', sha256: 'f_hand', format: 'xlsx', bytes: 100, sheets: [{ sheet: 'Sheet1', family: 'detainers', header_row: 1, rows: 300, columns: 9, unmapped_columns: 1 }] }]);
      // No identifier, birth date, free text or unmapped value, even in private mode.
      const text = JSON.stringify(book);
      for (const s of ['PID-', 'Elm Street', '1990-01', 'free words', 'stray words']) expect(text).not.toContain(s);
    });
  });

  it('public mode: no count of 1-10, rare values not named, complements so none is pinned (the ledger\'s unknown-value total included)', async () => {
    await withStore(async (store) => {
      await handRelease(store);
      const book = await readCodebook(store, 'r_hand', { mode: 'public' });
      checkPublic(book);
      const col = (name: string) => book.columns.find((c) => c.column === name)!;
      // X (5 rows) is withheld, and Female beside it: Male alone would give X as present − Male − Female.
      expect(col('gender').values).toEqual([
        { entry: 'value', value: 'Male', count: 250, known: null, values: null, note: null },
        expect.objectContaining({ entry: 'withheld', value: null, count: null, values: 2 }),
      ]);
      // Unknown values of 1–10 rows (Odd A, Odd B: 7 rows) are one total in the ledger, withheld; with
      // Lifted (3) they would be 10 rows of two cells, so Declined (60) is withheld too. Mystery
      // Reason, unknown with 30 rows, is named (as the ledger names it).
      const lift = col('detainer_lift_reason');
      expect(lift.values.filter((v) => v.entry === 'value').map((v) => [v.value, v.count, v.known])).toEqual([['Booked into Detention', 200, true], ['Mystery Reason', 30, false]]);
      expect(lift.values.find((v) => v.entry === 'withheld')?.values).toBe(4);
      // The 4 redacted birth dates are withheld, with a complement.
      expect(col('birth_date').redacted).toBeNull();
      const text = JSON.stringify(book);
      for (const s of ['PID-', 'Elm Street', '1990-01', 'free words', 'Odd A', '"X"', 'Lifted"']) expect(text).not.toContain(s);
    });
  });

  it('is computed once per store and release', async () => {
    await withStore(async (store) => {
      await handRelease(store);
      const pub = readCodebook(store, 'r_hand', { mode: 'public' });
      const priv = readCodebook(store, 'r_hand', { mode: 'private' });
      expect(readCodebook(store, 'r_hand', { mode: 'public' })).toBe(pub);
      expect(priv).not.toBe(pub);
      // Both finish before the store closes (closing DuckDB under a running query ends the process).
      await Promise.all([pub, priv]);
    });
  });

  it('a superseded release gives no counts in public mode', async () => {
    await withStore(async (store) => {
      await handRelease(store);
      const book = await readCodebook(store, 'r_hand', { mode: 'public', supersededBy: ['r_newer'] });
      expect(book.counts_withheld_because).toMatch(/r_newer/);
      expect(counts(book).filter((x) => x.n !== 0)).toEqual([]);
      expect(JSON.stringify(book)).not.toContain('Booked into Detention');
    });
  });
});

describe('codebook of a release of two files', () => {
  /** The hand-made release plus a second file of 60 detainers (genders Female 52, X 8). */
  async function twoFiles(store: Store): Promise<void> {
    await handRelease(store);
    await store.run("INSERT INTO source_files VALUES ('f_two', 'r_hand', 'two.xlsx', 50, 'xlsx', TIMESTAMP '2025-02-01 00:00:00', 60, 0, NULL)");
    await store.run("INSERT INTO source_sheets VALUES ('f_two', 'Data', 'detainers', 1, 60, '')");
    await store.insertRows('source_columns', ['file_id', 'sheet', 'position', 'header', 'family', 'column_name'], [['f_two', 'Data', 1, 'Gender', 'detainers', 'gender'], ['f_two', 'Data', 2, 'Prepare Date', 'detainers', 'detainer_prepare_date']]);
    await store.insertRows(
      'detainers',
      ['release_id', 'file_id', 'source_file', 'sheet', 'source_row', 'detainer_prepare_date', 'gender', 'is_duplicate'],
      Array.from({ length: 60 }, (_, i) => ['r_hand', 'f_two', 'two.xlsx', 'Data', i + 2, '2024-12-01', i < 52 ? 'Female' : 'X', false]),
    );
    await store.insertRows(
      'column_quality',
      ['file_id', 'family', 'column_name', 'rows_read', 'filled', 'redacted', 'unparseable', 'examples'],
      [['f_two', 'detainers', 'gender', 60, 60, 0, 0, '[]'], ['f_two', 'detainers', 'detainer_prepare_date', 60, 60, 0, 0, '[]']],
    );
  }

  it('private: one entry per file; public: one per release, so no file\'s count differences against the release\'s', async () => {
    await withStore(async (store) => {
      await twoFiles(store);
      const priv = await readCodebook(store, 'r_hand', { mode: 'private' });
      const gender = priv.columns.filter((c) => c.column === 'gender');
      expect(gender.map((c) => [c.scope, c.file, c.rows])).toEqual([['file', 'hand.xlsx', 300], ['file', 'two.xlsx', 60]]);
      expect(Object.fromEntries(gender[1]!.values.map((v) => [v.value, v.count]))).toEqual({ Female: 52, X: 8 });

      const pub = await readCodebook(store, 'r_hand', { mode: 'public' });
      checkPublic(pub);
      expect(new Set(pub.columns.map((c) => c.scope))).toEqual(new Set(['release']));
      const g = pub.columns.find((c) => c.column === 'gender')!;
      expect(g.rows).toBe(await count(store, "SELECT count(*) AS n FROM detainers WHERE release_id = 'r_hand'"));
      expect(g.headers).toBe('hand.xlsx: Sheet1: Gender (column 3); two.xlsx: Data: Gender (column 1)');
      // Over the release: Male 250, Female 97, X 13 (every value 11 or more, so each is named).
      for (const v of g.values) expect(v.count, String(v.value)).toBe(await count(store, "SELECT count(*) AS n FROM detainers WHERE release_id = 'r_hand' AND gender = $1", [v.value!]));
      expect(g.values.map((v) => v.value)).toEqual(['Male', 'Female', 'X']);
      // A column of one file only is counted over the release too: its other rows are blank.
      const state = pub.columns.find((c) => c.column === 'facility_state')!;
      expect([state.rows, state.filled, state.blank]).toEqual([360, 300, 60]);
      expect(pub.files.map((f) => f.sheets.map((s) => [s.sheet, s.rows]))).toEqual([[['Sheet1', 300]], [['Data', 60]]]);
    });
  });
});

describe('protect', () => {
  it('leaves no withheld cell of a published identity pinned or bounded inside 1-10 (random partitions)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 2000; t++) {
      const k = 1 + Math.floor(rnd() * 6);
      const ns = Array.from({ length: k }, () => (rnd() < 0.4 ? Math.floor(rnd() * 11) : Math.floor(rnd() * 60)));
      const total = ns.reduce((a, b) => a + b, 0);
      const cells = new Map(ns.map((n, i) => [`m${i}`, { n, withheld: false, fixed: rnd() < 0.2 }]));
      cells.set('total', { n: total, withheld: false, fixed: true });
      protect(cells, [{ total: 'total', members: ns.map((_, i) => `m${i}`) }]);
      for (const c of cells.values()) if (c.n >= 1 && c.n <= 10) expect(c.withheld).toBe(true);
      if (cells.get('total')!.withheld) continue;
      const hidden = ns.map((_, i) => cells.get(`m${i}`)!).filter((c) => c.withheld);
      if (hidden.length === 0) continue;
      const s = hidden.reduce((a, c) => a + c.n, 0);
      // Safe, or nothing more could be withheld (every other member zero or published elsewhere).
      const spare = ns.some((n, i) => !cells.get(`m${i}`)!.withheld && !cells.get(`m${i}`)!.fixed && n > 0);
      if (!spare) continue;
      expect(hidden.length >= 2 && s - (hidden.length - 1) >= 11, JSON.stringify(ns)).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** SQL over ICE's own pipe-delimited file, read by DuckDB (five title lines, then the header). */
const raw = (file: string) => `read_csv('${file.replaceAll("'", "''")}', delim = '|', quote = '"', skip = 5, header = true, all_varchar = true)`;
const REDACTED = "regexp_matches(v, '\\(b\\)|b\\([0-9]\\)', 'i')";

describe.skipIf(!haveReal)('codebook of real ICE files', () => {
  it('FY2016 arrests: rows, fill, redactions, unparseable dates and value counts equal SQL over ICE\'s file and over the table', async () => {
    const db = path.join(tempDir(), 'arrests.duckdb');
    const summary = await ingestFiles([ARRESTS], { dbPath: db, link: false });
    expect(summary.files.map((f) => f.status)).toEqual(['loaded']);
    const store = await openReadOnly(db);
    // ICE's file is read by a DuckDB of its own (the served store may not read files).
    const file = await Store.open(':memory:');
    try {
      const releaseId = String((await store.queryRow<{ r: string }>('SELECT release_id AS r FROM releases'))?.r);
      const book = await readCodebook(store, releaseId, { mode: 'private' });
      // ICE's header → the canonical column it maps to (reference/columns/arrests.csv).
      const HEADERS: Record<string, string> = {
        'Area of Responsibility': 'apprehension_aor', 'Apprehension Date': 'apprehension_date', 'Apprehension Method': 'apprehension_method',
        'Apprehension Landmark': 'apprehension_site_landmark', Operation: 'operation', 'Processing Disposition': 'processing_disposition',
        'Birth Date': 'birth_date', Citizenship: 'citizenship_country', Gender: 'gender',
      };
      expect(book.columns.map((c) => c.column).sort()).toEqual(Object.values(HEADERS).sort());
      const rows = await count(file, `SELECT count(*) AS n FROM ${raw(ARRESTS)}`);
      expect(rows).toBe(110_104);
      for (const [header, column] of Object.entries(HEADERS)) {
        const c = book.columns.find((x) => x.column === column)!;
        const q = `"${header}"`;
        const filled = await count(file, `SELECT count(*) AS n FROM (SELECT nullif(trim(${q}), '') AS v FROM ${raw(ARRESTS)}) WHERE v IS NOT NULL`);
        const redacted = await count(file, `SELECT count(*) AS n FROM (SELECT nullif(trim(${q}), '') AS v FROM ${raw(ARRESTS)}) WHERE v IS NOT NULL AND ${REDACTED}`);
        const present = await count(store, `SELECT count(${column}) AS n FROM arrests`);
        expect({ column, rows: c.rows, filled: c.filled, redacted: c.redacted, present: c.present, blank: c.blank }).toEqual({ column, rows, filled, redacted, present, blank: rows - filled });
        if (c.type === 'date' || c.type === 'datetime') {
          // Unparseable: a clean cell (neither blank nor redacted) that is not a M/D/YYYY date.
          const bad = await count(file, `SELECT count(*) AS n FROM (SELECT nullif(trim(${q}), '') AS v FROM ${raw(ARRESTS)}) WHERE v IS NOT NULL AND NOT ${REDACTED} AND try_strptime(v, '%m/%d/%Y') IS NULL`);
          expect(c.unparseable, column).toBe(bad);
        } else {
          expect(c.unparseable, column).toBe(0);
        }
      }
      // A coded column's values: each count equals the rows of ICE's file with that value, and the
      // rows of the table with it.
      for (const [header, column] of [['Apprehension Method', 'apprehension_method'], ['Gender', 'gender']] as const) {
        const c = book.columns.find((x) => x.column === column)!;
        const fromFile = await file.queryRows<{ v: string; n: unknown }>(
          `SELECT v, count(*) AS n FROM (SELECT nullif(trim("${header}"), '') AS v FROM ${raw(ARRESTS)}) WHERE v IS NOT NULL GROUP BY v`,
        );
        const fromTable = await store.queryRows<{ v: string; n: unknown }>(`SELECT ${column} AS v, count(*) AS n FROM arrests WHERE ${column} IS NOT NULL GROUP BY v`);
        const listed = Object.fromEntries(c.values.map((v) => [v.value, v.count]));
        expect(listed).toEqual(Object.fromEntries(fromFile.map((r) => [r.v, Number(r.n)])));
        expect(listed).toEqual(Object.fromEntries(fromTable.map((r) => [r.v, Number(r.n)])));
        expect(c.distinct_values).toBe(fromFile.length);
      }
      const method = book.columns.find((x) => x.column === 'apprehension_method')!;
      expect(method.vocabulary).toBe('reference/link/apprehension-methods.csv');
      expect(method.values.some((v) => v.known === false)).toBe(true);
      expect(book.columns.find((x) => x.column === 'birth_date')!).toMatchObject({ class: 'birth', redacted: 110_104, values: [] });

      // Public: the same counts where they are 11 or more; Gender "Unknown" (7 rows in ICE's file) not named.
      const pub = await readCodebook(store, releaseId, { mode: 'public' });
      checkPublic(pub);
      const gender = pub.columns.find((x) => x.column === 'gender')!;
      const unknown = await count(file, `SELECT count(*) AS n FROM ${raw(ARRESTS)} WHERE trim("Gender") = 'Unknown'`);
      expect(unknown).toBeGreaterThan(0);
      expect(unknown).toBeLessThanOrEqual(10);
      expect(gender.values.map((v) => v.value)).not.toContain('Unknown');
      for (const c of pub.columns) {
        const p = book.columns.find((x) => x.column === c.column)!;
        for (const k of ['rows', 'filled', 'redacted', 'unparseable', 'present'] as const) if (c[k] !== null) expect(c[k], `${c.column}.${k}`).toBe(p[k]);
        for (const v of c.values) if (v.entry === 'value') expect(v.count).toBe(p.values.find((x) => x.value === v.value)!.count);
      }
    } finally {
      store.close();
      file.close();
    }
  }, 120_000);

  it('Seattle workbook: three families in six sheets, each sheet\'s rows and each family\'s counts equal SQL over the loaded rows', async () => {
    const db = path.join(tempDir(), 'seattle.duckdb');
    const summary = await ingestFiles([SEATTLE], { dbPath: db, link: false });
    expect(summary.files.map((f) => f.status)).toEqual(['loaded']);
    const store = await openReadOnly(db);
    try {
      const releaseId = String((await store.queryRow<{ r: string }>('SELECT release_id AS r FROM releases'))?.r);
      const book = await readCodebook(store, releaseId, { mode: 'private' });
      // Row counts per sheet as SOURCES.md gives them (made by opening the file).
      expect(Object.fromEntries(book.files[0]!.sheets.map((s) => [s.sheet, s.rows]))).toEqual({
        'FY2018 Arrests': 1410, 'FY2018 Encounters': 7829, 'FY2018 Removals': 1267, 'FY2017 Arrests': 2656, 'FY2017 Encounters': 11712, 'FY2017 Removals': 1917,
      });
      for (const c of book.columns) {
        const table = c.family;
        expect(c.rows, `${table}.${c.column}`).toBe(await count(store, `SELECT count(*) AS n FROM ${table}`));
        if (c.column) {
          expect(c.present, `${table}.${c.column}`).toBe(await count(store, `SELECT count(${c.column}) AS n FROM ${table}`));
          // Filled cells are either stored, redacted or unparseable.
          expect(c.filled! - c.redacted! - c.unparseable!, `${table}.${c.column}`).toBe(c.present);
        }
        for (const v of c.values) expect(v.count, `${table}.${c.column}=${v.value}`).toBe(await count(store, `SELECT count(*) AS n FROM ${table} WHERE ${c.column} = $1`, [v.value!]));
        // Headers are named with their sheet and position, in both years' sheets.
        if (c.column) expect(c.headers.split('; ').length, `${table}.${c.column}`).toBe(2);
      }
      // ICE's event numbers are redacted in every row: an identifier, never listed.
      for (const f of ['arrests', 'encounters', 'removals']) {
        const e = book.columns.find((c) => c.family === f && c.column === 'event_number')!;
        expect(e).toMatchObject({ class: 'identifier', values: [], redacted: e.rows });
      }
      checkPublic(await readCodebook(store, releaseId, { mode: 'public' }));
    } finally {
      store.close();
    }
  }, 120_000);
});
