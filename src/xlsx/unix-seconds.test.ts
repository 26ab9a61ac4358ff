/**
 * excelSerialToUnixSeconds must agree with excelSerialToIso: ingest stores a date cell from the
 * seconds while everything else shows the ISO text, so the two must name the same instant. For a few
 * thousand seeded serials (whole and fractional, the 1900 system's serials 1..59, the phantom day 60
 * and 61+, values near 9999-12-31, negative and non-finite numbers, and the 1904 system) the seconds
 * are null exactly when the ISO text is null, and otherwise print as an instant that starts with the
 * ISO text (date-only for whole serials). A few anchors taken from the calendar (Date.UTC), and the
 * day-to-day step of whole serials, check the shared arithmetic itself, which agreement cannot.
 */
import { describe, expect, it } from 'vitest';
import { excelSerialToIso, excelSerialToUnixSeconds } from './dates.ts';

/** A small LCG (Numerical Recipes constants): reproducible inputs without Math.random. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Excel's last date, 9999-12-31, in each system. */
const MAX_1900 = 2_958_465;
const MAX_1904 = MAX_1900 - 1462;

function serials(date1904: boolean): number[] {
  const max = date1904 ? MAX_1904 : MAX_1900;
  const edge = [
    0, 0.25, 1, 1.5, 58.75, 59, 59.5, 59.9999999, 60, 60.5, 60.9999999, 61, 61.0001, 45293, 45293.5,
    45293 + 3723.4 / 86400, 45293.999999999, max - 1, max, max + 0.5, max + 0.9999, max + 1, max + 1.5, 3e9,
    3e9 + 0.5, -0, -0.0000001, -1, -1.5, NaN, Infinity, -Infinity,
    // The last half-second of 9999-12-31 rounds into a day Excel does not have: null from both.
    max + 0.999999, max + 1 - 0.4 / 86400,
  ];
  const next = lcg(date1904 ? 1904 : 1900);
  const out = [...edge];
  for (let i = 0; i < 1500; i++) {
    const day = Math.floor(next() * (max + 400)); // past the last date too
    out.push(day, day + next());
  }
  for (let day = 1; day <= 62; day++) out.push(day, day + next());
  for (let i = 0; i < 300; i++) out.push(-next() * 1e6, max - 300 + next() * 299);
  return out;
}

describe('excelSerialToUnixSeconds agrees with excelSerialToIso', () => {
  for (const date1904 of [false, true]) {
    it(`${date1904 ? '1904' : '1900'} system`, () => {
      const disagreements: string[] = [];
      for (const serial of serials(date1904)) {
        const iso = excelSerialToIso(serial, date1904);
        const seconds = excelSerialToUnixSeconds(serial, date1904);
        if (iso === null || seconds === null) {
          if (iso !== seconds) disagreements.push(`${serial}: iso ${iso}, seconds ${seconds}`);
          continue;
        }
        const instant = new Date(seconds * 1000).toISOString();
        const shape = Number.isInteger(serial) ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
        if (!shape.test(iso) || !instant.startsWith(iso) || !Number.isInteger(seconds)) {
          disagreements.push(`${serial}: iso ${iso}, seconds ${seconds} (${instant})`);
        }
      }
      expect(disagreements).toEqual([]);
    });
  }

  it('gives null for the phantom 1900-02-29 and for non-dates, in both functions', () => {
    for (const serial of [60, 60.5, 59.9999999, -1, NaN, Infinity, -Infinity, MAX_1900 + 1]) {
      expect(excelSerialToUnixSeconds(serial, false)).toBeNull();
      expect(excelSerialToIso(serial, false)).toBeNull();
    }
    expect(excelSerialToUnixSeconds(MAX_1904 + 1, true)).toBeNull();
    expect(excelSerialToUnixSeconds(-0.5, true)).toBeNull();
  });
});

describe('excelSerialToUnixSeconds against the calendar', () => {
  const utc = (y: number, m: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, m - 1, d, h, mi, s) / 1000;

  it('matches known dates', () => {
    expect(excelSerialToUnixSeconds(1, false)).toBe(utc(1900, 1, 1));
    expect(excelSerialToUnixSeconds(59, false)).toBe(utc(1900, 2, 28));
    expect(excelSerialToUnixSeconds(61, false)).toBe(utc(1900, 3, 1));
    expect(excelSerialToUnixSeconds(25569, false)).toBe(0); // 1970-01-01
    expect(excelSerialToUnixSeconds(45293.5, false)).toBe(utc(2024, 1, 2, 12));
    expect(excelSerialToUnixSeconds(45293 + 3723.4 / 86400, false)).toBe(utc(2024, 1, 2, 1, 2, 3));
    expect(excelSerialToUnixSeconds(45293.999999999, false)).toBe(utc(2024, 1, 3));
    expect(excelSerialToUnixSeconds(MAX_1900, false)).toBe(utc(9999, 12, 31));
    expect(excelSerialToUnixSeconds(0, true)).toBe(utc(1904, 1, 1));
    expect(excelSerialToUnixSeconds(1462, true)).toBe(utc(1908, 1, 2));
    expect(excelSerialToUnixSeconds(MAX_1904, true)).toBe(utc(9999, 12, 31));
  });

  it('steps one day per whole serial, skipping serial 60 only', () => {
    const next = lcg(7);
    const days = [1, 2, 58, 59, 61, 62, 1000, MAX_1900 - 1];
    for (let i = 0; i < 500; i++) days.push(1 + Math.floor(next() * (MAX_1900 - 1)));
    for (const day of days) {
      if (day === 59 || day === 60) continue;
      expect(excelSerialToUnixSeconds(day + 1, false)! - excelSerialToUnixSeconds(day, false)!).toBe(86_400);
    }
    expect(excelSerialToUnixSeconds(61, false)! - excelSerialToUnixSeconds(59, false)!).toBe(86_400);
    expect(excelSerialToUnixSeconds(1001, true)! - excelSerialToUnixSeconds(1000, true)!).toBe(86_400);
    // The two systems are 1462 days apart.
    expect(excelSerialToUnixSeconds(40000, false)).toBe(excelSerialToUnixSeconds(40000 - 1462, true));
  });
});
