/**
 * The cleaning and coding that ingest hands to the store. CellDictionary trims a cell; blank or
 * whitespace-only text is NO_VALUE; a FOIA redaction marker (`b(6), b(7)c`, `(b)(6), (b)(7)(C)`, any
 * case) is REDACTED_VALUE; every other clean text gets one id, shared by raw spellings that trim alike,
 * and ids are dense indices into `values` in first-seen order. newColumnBatch allocates empty columns
 * (seconds only for date columns), and batchRows reads a batch back: ids as their text, no value as
 * null, seconds as ISO dates (a whole day) or date-times, with sheet, source row and extra kept.
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../test/helpers/prng.ts';
import { BATCH_ROWS, batchRows, CellDictionary, newColumnBatch, NO_VALUE, REDACTED_VALUE } from './column-batch.ts';

describe('CellDictionary', () => {
  it('trims, and gives raw spellings that trim alike one id', () => {
    const dictionary = new CellDictionary();
    const id = dictionary.code('  Los Angeles ');
    expect(dictionary.values[id]).toBe('Los Angeles');
    for (const raw of ['Los Angeles', 'Los Angeles\t', '\n Los Angeles', '  Los Angeles ']) expect(dictionary.code(raw)).toBe(id);
    expect(dictionary.code('Los  Angeles')).not.toBe(id); // inner spaces are kept
    expect(dictionary.code('los angeles')).not.toBe(id); // and case
    expect(dictionary.values).toEqual(['Los Angeles', 'Los  Angeles', 'los angeles']);
  });

  it('codes blank and whitespace-only text as no value, without an entry', () => {
    const dictionary = new CellDictionary();
    for (const raw of ['', ' ', '   ', '\t', '\r\n', ' \u00a0 ']) expect(dictionary.code(raw)).toBe(NO_VALUE);
    expect(dictionary.values).toEqual([]);
  });

  it('codes redaction markers as redacted, without an entry', () => {
    const dictionary = new CellDictionary();
    for (const raw of ['b(6), b(7)c', 'b(6), b(7)C', 'B(6), B(7)C', '(b)(6), (b)(7)(C)', '(B)(6)', '  b(6)  ', 'b(7)(c)']) {
      expect(dictionary.code(raw)).toBe(REDACTED_VALUE);
    }
    expect(dictionary.values).toEqual([]);
    // Parentheses alone, or b6 without them, are ordinary values.
    for (const raw of ['Smith (John)', 'b6', 'b(x)', '(6)']) expect(dictionary.code(raw)).toBeGreaterThanOrEqual(0);
    expect(dictionary.values).toEqual(['Smith (John)', 'b6', 'b(x)', '(6)']);
  });

  it('gives dense ids in first-seen order, each the index of its clean text', () => {
    const dictionary = new CellDictionary();
    const random = prng(42);
    const pads = ['', ' ', '  ', '\t'];
    const expectedOrder: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const clean = `v${Math.floor(random() * 700)}`;
      const raw = pads[Math.floor(random() * 4)] + clean + pads[Math.floor(random() * 4)];
      if (!expectedOrder.includes(clean)) expectedOrder.push(clean);
      const id = dictionary.code(raw);
      expect(id).toBe(expectedOrder.indexOf(clean));
      expect(dictionary.values[id]).toBe(clean);
    }
    expect(dictionary.values).toEqual(expectedOrder);
  });
});

describe('newColumnBatch and batchRows', () => {
  it('allocates empty columns, with seconds for date columns only', () => {
    const batch = newColumnBatch('Sheet1', [false, true, false], [], false);
    expect(batch.size).toBe(0);
    expect(batch.columns).toHaveLength(3);
    expect(batch.columns.every((c) => c.length === BATCH_ROWS && c.every((v) => v === NO_VALUE))).toBe(true);
    expect(batch.seconds[0]).toBeNull();
    expect(batch.seconds[2]).toBeNull();
    expect(batch.seconds[1]!.length).toBe(BATCH_ROWS);
    expect(batch.seconds[1]!.every(Number.isNaN)).toBe(true);
    expect(batch.extra).toBeNull();
    expect(newColumnBatch('Sheet1', [false], [], true).extra).toEqual([]);
    expect(batchRows(batch)).toEqual([]);
  });

  it('decodes ids, no value and seconds, and sees entries added after the batch was made', () => {
    const dictionary = new CellDictionary();
    const batch = newColumnBatch('Detainers FY21', [false, true], dictionary.values, true);
    const put = (row: number, name: string, date: string | number | null, extra: string | null) => {
      batch.sourceRows[row] = row + 7;
      const code = dictionary.code(name);
      if (code >= 0) batch.columns[0]![row] = code;
      if (typeof date === 'number') batch.seconds[1]![row] = date;
      else if (date !== null && dictionary.code(date) >= 0) batch.columns[1]![row] = dictionary.code(date);
      batch.extra![row] = extra;
      batch.size = row + 1;
    };
    const seconds = Date.UTC(2021, 2, 4, 13, 45, 6) / 1000;
    put(0, ' Ada ', '03/04/2021', null);
    put(1, 'b(6), b(7)c', seconds, '{"note":"x"}');
    put(2, '', null, null);
    put(3, 'Ada', Date.UTC(1999, 11, 31) / 1000, null);
    put(4, 'Grace', ' 2021-03-04 ', null); // "Grace" enters the dictionary after the batch was made
    expect(batchRows(batch)).toEqual([
      { sheet: 'Detainers FY21', sourceRow: 7, values: ['Ada', '03/04/2021'], extra: null },
      { sheet: 'Detainers FY21', sourceRow: 8, values: [null, '2021-03-04T13:45:06'], extra: '{"note":"x"}' },
      { sheet: 'Detainers FY21', sourceRow: 9, values: [null, null], extra: null },
      // A whole day reads as a date, as the same cell would through text (excelSerialToIso).
      { sheet: 'Detainers FY21', sourceRow: 10, values: ['Ada', '1999-12-31'], extra: null },
      { sheet: 'Detainers FY21', sourceRow: 11, values: ['Grace', '2021-03-04'], extra: null },
    ]);
  });
});
