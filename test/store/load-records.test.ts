/**
 * RecordLoader end to end on an in-memory store: 70,000 hand-built rows over two sheets, appended as
 * ColumnBatches built one at a time (so the dictionary grows while rounds of 32,768 rows run), then
 * finished. Every row is compared with values computed here from the row number: text trimmed, dates
 * written in several spellings or given as Unix seconds, two-digit years read with the pivot, numbers
 * with commas, redacted and blank cells as NULL, and a derived lookup (upper-case name and a kind)
 * whose `late …` keys appear only after the first round. The quality counts (filled, redacted,
 * unparseable with examples) are checked against counts of the cells as written, the staging tables
 * must be gone, and abandon() inside a rolled-back transaction must leave none of that file's rows.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CellDictionary, newColumnBatch, NO_VALUE, REDACTED_VALUE, type ColumnBatch } from '../../src/core/column-batch.ts';
import { RecordLoader, Store, type LoadTarget } from '../../src/store/index.ts';

const TOTAL = 70_000;
/** Rows before this go to the first sheet. */
const SPLIT = 41_000;
/** Names `late …` start here: well after the first round (32,768 rows). */
const LATE = 52_000;
const SHEETS = ['Detainers FY20', 'Detainers FY21'];
const COLUMNS = ['name', 'born', 'seen_at', 'amount'] as const;

/** How a cell is written, and what the loader should count it as. */
type Tag = 'ok' | 'redacted' | 'bad' | 'blank' | 'absent';
interface Cell {
  tag: Tag;
  raw?: string;
  seconds?: number;
}
interface Row {
  cells: Cell[];
  extra: string | null;
  expected: Record<string, string | number | null>;
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const isoDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const isoTime = (d: Date) => `${isoDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
function withCommas(n: number): string {
  let s = String(n);
  let out = '';
  while (s.length > 3) {
    out = `,${s.slice(-3)}${out}`;
    s = s.slice(0, -3);
  }
  return s + out;
}
const text = (raw: string): Cell => ({ tag: raw.trim() === '' ? 'blank' : 'ok', raw });
const redacted = (raw: string): Cell => ({ tag: 'redacted', raw });
const bad = (raw: string): Cell => ({ tag: 'bad', raw });
const absent: Cell = { tag: 'absent' };

/** Row `g` as written in the sheet and as it should be stored. */
function rowAt(g: number): Row {
  let name: Cell;
  let base: string | null = null;
  if (g % 50 === 7) name = redacted(g % 100 < 50 ? 'b(6), b(7)c' : '(b)(6), (b)(7)(C)');
  else if (g % 50 === 13) name = text('   ');
  else if (g % 50 === 21) name = absent;
  else {
    base = `${g < LATE ? 'early' : 'late'} ${g % 397}`;
    name = text([base, ` ${base} `, `${base}\t`][g % 3]!);
  }

  const day = new Date(Date.UTC(1995, 0, 1) + ((g * 37) % 3300) * 86_400_000);
  const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
  let born: Cell;
  let bornValue: string | null = isoDate(day);
  switch (g % 12) {
    case 0: born = text(`${pad(m)}/${pad(d)}/${y}`); break;
    case 1: born = text(`${m}/${d}/${y}`); break;
    case 2: born = text(` ${y}-${pad(m)}-${pad(d)}`); break;
    case 3:
      // DD-Mon-YYYY, and DD-Mon-YY (two-digit years: 95 → 1995, 21 → 2021, 45 → 1945 after the pivot).
      if (Math.floor(g / 12) % 3 === 0) born = text(`${pad(d)}-${MONTHS[m - 1]}-${y}`);
      else if (Math.floor(g / 12) % 3 === 1) born = text(`${pad(d)}-${MONTHS[m - 1]}-${String(y).slice(2)}`);
      else [born, bornValue] = [text('4-Mar-45'), '1945-03-04'];
      break;
    case 4:
      // Two-digit years: 45 would be 2045, after the pivot year, so it is 1945.
      if (g % 5 === 0) [born, bornValue] = [text('7/1/45'), '1945-07-01'];
      else born = text(`${m}/${d}/${String(y).slice(2)}`);
      break;
    case 5: born = { tag: 'ok', seconds: day.getTime() / 1000 }; break;
    case 6: born = { tag: 'ok', seconds: day.getTime() / 1000 + 13 * 3600 + 7 }; break;
    case 7: [born, bornValue] = [redacted('b(6)'), null]; break;
    case 8: [born, bornValue] = [text(''), null]; break;
    case 9: [born, bornValue] = [bad('13/45/2021'), null]; break;
    case 10:
      // Out of the accepted range (1900-2100) when given as seconds: unparseable too.
      born = g % 24 === 10 ? bad('unknown') : { tag: 'bad', seconds: Date.UTC(2150, 0, 1) / 1000 };
      bornValue = null;
      break;
    default: [born, bornValue] = [absent, null];
  }

  const t = new Date((Date.UTC(2015, 0, 1) / 1000 + ((g * 7919) % 200_000_000)) * 1000);
  const [ty, tm, td, th, tmi, ts] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
  let seenAt: Cell;
  let seenValue: string | null = isoTime(t);
  switch (g % 9) {
    case 0: seenAt = text(`${isoDate(t)} ${pad(th)}:${pad(tmi)}:${pad(ts)}`); break;
    case 1: seenAt = text(`${isoDate(t)}T${pad(th)}:${pad(tmi)}:${pad(ts)}`); break;
    case 2:
      seenAt = text(`${pad(tm)}/${pad(td)}/${ty} ${pad(th)}:${pad(tmi)}`);
      seenValue = isoTime(new Date(Date.UTC(ty, tm - 1, td, th, tmi)));
      break;
    case 3: seenAt = text(`${tm}/${td}/${ty} ${th % 12 || 12}:${pad(tmi)}:${pad(ts)} ${th < 12 ? 'AM' : 'PM'}`); break;
    case 4: case 8: seenAt = { tag: 'ok', seconds: t.getTime() / 1000 }; break;
    case 5: [seenAt, seenValue] = [text(`${pad(tm)}/${pad(td)}/${ty}`), `${isoDate(t)} 00:00:00`]; break;
    case 6: [seenAt, seenValue] = [redacted('(b)(6), (b)(7)(C)'), null]; break;
    default: [seenAt, seenValue] = [absent, null];
  }

  let amount: Cell;
  let amountValue: number | null = null;
  switch (g % 8) {
    case 0: [amount, amountValue] = [text(String(g)), g]; break;
    case 1: [amount, amountValue] = [text(withCommas(g * 1000)), g * 1000]; break;
    case 2: [amount, amountValue] = [text(` ${g % 100} `), g % 100]; break;
    case 3: [amount, amountValue] = [text(`${g}.0`), g]; break;
    case 4: [amount, amountValue] = g % 16 === 4 ? [bad(`${g}.5`), null] : [text('-12'), -12]; break;
    case 5: amount = bad('n/a'); break;
    case 6: amount = redacted('B(6), B(7)C'); break;
    default: amount = absent;
  }

  const sheet = g < SPLIT ? 0 : 1;
  const extra = g % 9 === 0 ? JSON.stringify({ note: `n${g}` }) : null;
  return {
    cells: [name, born, seenAt, amount],
    extra,
    expected: {
      release_id: 'r_test',
      file_id: 'f_main',
      source_file: 'detainers.xlsx',
      sheet: SHEETS[sheet]!,
      source_row: g - (sheet ? SPLIT : 0) + 2,
      name: base,
      born: bornValue,
      seen_at: seenValue,
      amount: amountValue,
      extra,
      name_upper: base?.toUpperCase() ?? null,
      name_kind: base === null ? 'none' : base.startsWith('late') ? 'late' : 'early',
    },
  };
}

/** Rows [from, to) of one sheet as a batch, coded the way ColumnMapper codes cells. */
function batchOf(dictionary: CellDictionary, from: number, to: number): ColumnBatch {
  const batch = newColumnBatch(SHEETS[from < SPLIT ? 0 : 1]!, [false, true, true, false], dictionary.values, true);
  for (let g = from; g < to; g++) {
    const r = batch.size++;
    const row = rowAt(g);
    batch.sourceRows[r] = row.expected.source_row as number;
    batch.extra![r] = row.extra;
    row.cells.forEach((cell, c) => {
      if (cell.seconds !== undefined) {
        batch.seconds[c]![r] = cell.seconds;
        batch.counts.filled[c]!++;
        batch.counts.clean[c]!++;
        return;
      }
      const code = cell.raw === undefined ? NO_VALUE : dictionary.code(cell.raw);
      if (code === NO_VALUE) return;
      batch.counts.filled[c]!++;
      if (code === REDACTED_VALUE) batch.counts.redacted[c]!++;
      else {
        batch.counts.clean[c]!++;
        batch.columns[c]![r] = code;
      }
    });
  }
  return batch;
}

/** Batch bounds: 2,048 rows, cut at the sheet boundary. */
function* bounds(total: number): Generator<[number, number]> {
  for (let from = 0; from < total; ) {
    const to = Math.min(from + 2048, total, from < SPLIT ? SPLIT : total);
    yield [from, to];
    from = to;
  }
}

function target(fileId: string): LoadTarget {
  return {
    table: 'records',
    columns: [
      { name: 'name', type: 'text' },
      { name: 'born', type: 'date' },
      { name: 'seen_at', type: 'datetime' },
      { name: 'amount', type: 'int' },
    ],
    derived: {
      keys: [{ column: 'name', lookupColumn: 'key_name' }],
      values: [
        { column: 'name_upper', lookupColumn: 'upper_name' },
        { column: 'name_kind', lookupColumn: 'kind' },
      ],
      sql: (source) => `SELECT name AS key_name, upper(name) AS upper_name,
          CASE WHEN name IS NULL THEN 'none' WHEN name LIKE 'late %' THEN 'late' ELSE 'early' END AS kind
        FROM ${source} AS src`,
    },
    releaseId: 'r_test',
    fileId,
    sourceFile: 'detainers.xlsx',
    pivotYear: 2027,
  };
}

const count = async (store: Store, fileId: string) =>
  Number((await store.queryRow<{ n: string }>('SELECT count(*) AS n FROM records WHERE file_id = $1', [fileId]))!.n);
const stagingTables = async (store: Store) =>
  (await store.queryRows<{ t: string }>("SELECT table_name AS t FROM duckdb_tables() WHERE table_name LIKE 'handoff_stage%'")).map((r) => r.t);

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
  await store.run(`CREATE TABLE records (release_id VARCHAR, file_id VARCHAR, source_file VARCHAR, sheet VARCHAR,
    source_row INTEGER, name VARCHAR, born DATE, seen_at TIMESTAMP, amount INTEGER, extra VARCHAR,
    name_upper VARCHAR, name_kind VARCHAR)`);
  // Another file's rows, with values: the loader's counts must look at its own file only.
  await store.run(`INSERT INTO records VALUES ('r_old', 'f_keep', 'old.xlsx', 'S', 2, 'x', DATE '2020-01-01',
    TIMESTAMP '2020-01-01 10:00:00', 1, NULL, 'X', 'early')`);
});
afterEach(() => store.close());

describe('RecordLoader', () => {
  it('loads 70,000 rows in rounds, typed, with the derived lookup and quality counts', async () => {
    const run = vi.spyOn(store, 'run');
    const dictionary = new CellDictionary();
    const loader = await RecordLoader.create(store, target('f_main'));
    expect(await stagingTables(store)).toContain('handoff_stage_records');
    for (const [from, to] of bounds(TOTAL)) {
      await loader.append(batchOf(dictionary, from, to));
      await new Promise((resolve) => setImmediate(resolve)); // as a reader would, between batches
    }
    const quality = await loader.finish();

    const rounds = run.mock.calls.filter(([sql]) => /^\s*INSERT INTO records \(/.test(sql)).length;
    expect(rounds).toBeGreaterThanOrEqual(2);
    expect(await count(store, 'f_main')).toBe(TOTAL);
    expect(await count(store, 'f_keep')).toBe(1);

    const stored = await store.queryRows(
      `SELECT release_id, file_id, source_file, sheet, source_row, name, born, seen_at, amount, extra, name_upper, name_kind
       FROM records WHERE file_id = 'f_main' ORDER BY sheet, source_row`,
    );
    const mismatches: unknown[] = [];
    for (let g = 0; g < TOTAL; g++) {
      const { expected } = rowAt(g);
      if (JSON.stringify(stored[g]) !== JSON.stringify(expected)) mismatches.push({ g, expected, stored: stored[g] });
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    // Keys first seen in a late round got their derived values.
    const late = stored.filter((r) => r.name_kind === 'late');
    expect(late.length).toBeGreaterThan(15_000);
    expect(late.every((r) => r.name_upper === String(r.name).toUpperCase())).toBe(true);

    const rows = Array.from({ length: TOTAL }, (_, g) => rowAt(g));
    const tally = (c: number, tags: Tag[]) => rows.filter((r) => tags.includes(r.cells[c]!.tag)).length;
    const amountExamples = [...new Set(rows.map((r) => r.cells[3]!).filter((x) => x.tag === 'bad').map((x) => x.raw!))]
      .sort()
      .slice(0, 5);
    const examples = [[], ['13/45/2021', 'unknown'], [], amountExamples];
    expect(quality).toEqual(
      COLUMNS.map((column, c) => ({
        column,
        rowsRead: TOTAL,
        filled: tally(c, ['ok', 'redacted', 'bad']),
        redacted: tally(c, ['redacted']),
        unparseable: column === 'name' ? 0 : tally(c, ['bad']),
        examples: examples[c],
      })),
    );
    expect(quality[1]!.unparseable).toBeGreaterThan(0);
    expect(await stagingTables(store)).toEqual([]);
  });

  it('abandon() in a transaction that throws leaves none of the file’s rows', async () => {
    const dictionary = new CellDictionary();
    let inside = 0;
    const load = store.transaction(async () => {
      const loader = await RecordLoader.create(store, target('f_drop'));
      for (const [from, to] of bounds(40 * 2048)) await loader.append(batchOf(dictionary, from, to));
      await loader.abandon();
      inside = await count(store, 'f_drop');
      throw new Error('the read failed');
    });
    await expect(load).rejects.toThrow('the read failed');
    expect(inside).toBeGreaterThanOrEqual(32_768); // rounds had inserted rows before the rollback
    expect(await count(store, 'f_drop')).toBe(0);
    expect(await count(store, 'f_keep')).toBe(1);
    expect(await stagingTables(store)).toEqual([]);
  });
});
