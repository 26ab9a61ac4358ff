import { describe, expect, it } from 'vitest';
import { clauses, formatError, widthOf, wrap, wrapLines } from './text.ts';

describe('wrap', () => {
  it('breaks at spaces, indents continuations, and loses no character', () => {
    const text = 'handoff ingest: bad.csv, row 1: no known ICE table layout found in the first 30 rows';
    const out = wrap(text, 30, '  ');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
    expect(out.replace(/\n\s*/g, ' ')).toBe(text);
  });
  it('keeps a word longer than the line whole, on a line of its own', () => {
    const out = wrap('no such file: /a/very/long/path/that/does/not/fit.xlsx', 20, '  ');
    expect(out).toBe('no such file:\n  /a/very/long/path/that/does/not/fit.xlsx');
  });
  it('leaves text alone without a width', () => {
    expect(wrap('a b c', undefined)).toBe('a b c');
  });
  it('wrapLines indents each continuation under its own line', () => {
    expect(wrapLines('x:\n  one two three four', 12)).toBe('x:\n  one two\n    three\n    four');
  });
});

describe('widthOf', () => {
  it('is the terminal, else $COLUMNS, else none', () => {
    expect(widthOf({ isTTY: true, columns: 72 }, { COLUMNS: '60' })).toBe(72);
    expect(widthOf({ isTTY: false }, { COLUMNS: '60' })).toBe(60);
    expect(widthOf({ isTTY: false }, {})).toBeUndefined();
  });
});

describe('formatError', () => {
  it('splits clauses outside parentheses and quotes', () => {
    expect(clauses('a; b (c; d); "e; f"; g')).toEqual(['a', 'b (c; d)', '"e; f"', 'g']);
  });
  it('keeps a short message on one line', () => {
    expect(formatError('handoff x: ', 'bad thing; do this', 80)).toBe('handoff x: bad thing; do this');
  });
  it('puts the headers found and the nearest layout first for an unknown layout', () => {
    const message = 'a.csv, row 1: no known ICE table layout found in the first 30 rows; headers found in row 1: A, B; nearest family: arrests (1 of 40 columns matched)';
    expect(formatError('handoff ingest: ', message, undefined, 'unknown_layout').split('\n')).toEqual([
      'handoff ingest: a.csv, row 1: no known ICE table layout',
      '  headers found in row 1: A, B',
      '  nearest family: arrests (1 of 40 columns matched)',
      '  (a header row was looked for in the first 30 rows)',
    ]);
  });
});

describe('a table too wide for the terminal', () => {
  it('is shown as records, values wrapped under themselves, nothing cut', async () => {
    const { formatRecords } = await import('./output.ts');
    const out = formatRecords([{ file: 'a-long-file-name.xlsx of the release', status: 'loaded' }], undefined, 30);
    expect(out).toBe('file    a-long-file-name.xlsx\n        of the release\nstatus  loaded\n');
  });
});
