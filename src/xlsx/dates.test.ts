import { describe, expect, it } from 'vitest';
import { excelSerialToIso, isoToExcelSerial } from './dates.ts';
import { isDateFormatCode } from './styles.ts';

describe('excelSerialToIso', () => {
  it('handles the 1900 leap-year bug', () => {
    expect(excelSerialToIso(1, false)).toBe('1900-01-01');
    expect(excelSerialToIso(59, false)).toBe('1900-02-28');
    expect(excelSerialToIso(60, false)).toBeNull();
    expect(excelSerialToIso(61, false)).toBe('1900-03-01');
    expect(excelSerialToIso(45293, false)).toBe('2024-01-02');
  });
  it('formats times rounded to the second', () => {
    expect(excelSerialToIso(45293.5, false)).toBe('2024-01-02T12:00:00');
    expect(excelSerialToIso(45293 + 3723.4 / 86400, false)).toBe('2024-01-02T01:02:03');
    expect(excelSerialToIso(45293.999999999, false)).toBe('2024-01-03T00:00:00');
  });
  it('supports the 1904 system', () => {
    expect(excelSerialToIso(0, true)).toBe('1904-01-01');
    expect(excelSerialToIso(1462, true)).toBe('1908-01-02');
    expect(excelSerialToIso(45293 - 1462, true)).toBe('2024-01-02');
  });
  it('returns null for non-dates', () => {
    for (const v of [-1, NaN, Infinity, 2958466]) expect(excelSerialToIso(v, false)).toBeNull();
  });
  it('round-trips with isoToExcelSerial', () => {
    for (const iso of ['1900-01-01', '1900-02-28', '1900-03-01', '1999-12-31', '2024-02-29', '2024-02-29T23:59:59']) {
      for (const d1904 of [false, true]) {
        const serial = isoToExcelSerial(iso, d1904);
        if (serial === null) {
          expect(d1904 && iso.startsWith('1900')).toBe(true);
          continue;
        }
        expect(excelSerialToIso(serial, d1904)).toBe(iso);
      }
    }
    expect(isoToExcelSerial('1900-02-29', false)).toBeNull();
    expect(isoToExcelSerial('2023-02-29', false)).toBeNull();
    expect(isoToExcelSerial('1899-12-31', false)).toBeNull();
    expect(isoToExcelSerial('nope', false)).toBeNull();
  });
});

describe('isDateFormatCode', () => {
  it.each([
    ['yyyy-mm-dd', true],
    ['m/d/yyyy h:mm', true],
    ['[$-409]d-mmm-yy;@', true],
    ['[h]:mm:ss', true],
    ['0.00', false],
    ['#,##0;[Red]-#,##0', false],
    ['"days" 0', false],
    ['General', false],
    ['0.00E+00', false],
    ['\\d0', false],
  ])('%s -> %s', (code, expected) => {
    expect(isDateFormatCode(code)).toBe(expected);
  });
});
