/**
 * Small, pure date helpers for policy periods. Dates are ISO strings (`YYYY-MM-DD`), compared as
 * text, which orders them correctly. No clock is read here: every date comes in as an argument.
 */

/** True when `text` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: unknown): boolean {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = (text as string).split('-').map(Number) as [number, number, number];
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/** True when `text` is an approximate date: a year (`2014`) or a year and month (`2014-08`). */
export function isApproxDate(text: unknown): boolean {
  return typeof text === 'string' && /^\d{4}(-(0[1-9]|1[0-2]))?$/.test(text);
}

/** First day covered by an approximate date: `2014` -> `2014-01-01`, `2014-08` -> `2014-08-01`. */
export function approxStart(approx: string): string {
  return approx.length === 4 ? `${approx}-01-01` : `${approx}-01`;
}

/** First day after an approximate date: `2014` -> `2015-01-01`, `2014-12` -> `2015-01-01`. */
export function approxAfter(approx: string): string {
  const year = Number(approx.slice(0, 4));
  if (approx.length === 4) return `${String(year + 1).padStart(4, '0')}-01-01`;
  const month = Number(approx.slice(5, 7));
  return month === 12
    ? `${String(year + 1).padStart(4, '0')}-01-01`
    : `${approx.slice(0, 4)}-${String(month + 1).padStart(2, '0')}-01`;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
