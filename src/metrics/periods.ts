/**
 * Time in the publication cube: months are the base cells; quarters, federal fiscal years, calendar
 * years and whole windows are sums of month cells. A month is an integer index (year * 12 + month - 1)
 * so that periods can be computed without dates.
 */
import { HandoffError } from '../core/errors.ts';

/** The grains a metric can be reported at. */
export const GRAINS = ['month', 'quarter', 'fiscal_year', 'calendar_year', 'total'] as const;
export type Grain = (typeof GRAINS)[number];

/** `2024-10` or `2024-10-17` → month index. */
export function monthIndex(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  return y * 12 + (m - 1);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Month index → `YYYY-MM`. */
export function monthLabel(index: number): string {
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** First day of a month index, ISO. */
export function monthStart(index: number): string {
  return `${monthLabel(index)}-01`;
}

/** Last day of a month index, ISO. */
export function monthEnd(index: number): string {
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${monthLabel(index)}-${pad(last)}`;
}

/** One reporting period: a key, its first and last day, and its month indexes. */
export interface Period {
  period: string;
  period_start: string;
  period_end: string;
  months: number[];
}

/** The key of the period a month falls in. FY2025 = 2024-10-01 .. 2025-09-30 (federal fiscal year). */
export function periodKey(index: number, grain: Grain): string {
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  switch (grain) {
    case 'month':
      return monthLabel(index);
    case 'quarter':
      return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
    case 'fiscal_year':
      return `FY${m >= 10 ? y + 1 : y}`;
    case 'calendar_year':
      return String(y);
    case 'total':
      return 'total';
  }
}

/** Groups the months `first..last` (inclusive) into periods of `grain`, in time order. */
export function periodsOf(first: number, last: number, grain: Grain): Period[] {
  const out: Period[] = [];
  const byKey = new Map<string, Period>();
  for (let i = first; i <= last; i++) {
    const key = periodKey(i, grain);
    let p = byKey.get(key);
    if (!p) {
      p = { period: key, period_start: monthStart(i), period_end: monthEnd(i), months: [] };
      byKey.set(key, p);
      out.push(p);
    }
    p.months.push(i);
    p.period_end = monthEnd(i);
  }
  return out;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(text: string): boolean {
  if (!ISO.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * Reads `from` / `to` (inclusive ISO dates). Both must fall on month boundaries — `from` the first
 * day of a month, `to` the last — because every figure is a sum of whole month cells; anything else
 * would either misstate the window or open the door to differencing. Returns month indexes.
 */
export function parseWindow(from: string | undefined, to: string | undefined): { first?: number; last?: number } {
  const out: { first?: number; last?: number } = {};
  if (from !== undefined) {
    if (!isCalendarDate(from)) throw new HandoffError('bad_argument', `from="${from}" is not a date written YYYY-MM-DD`);
    if (from.slice(8) !== '01') {
      throw new HandoffError('bad_argument', `from="${from}" must be the first day of a month (figures are built from whole months)`);
    }
    out.first = monthIndex(from);
  }
  if (to !== undefined) {
    if (!isCalendarDate(to)) throw new HandoffError('bad_argument', `to="${to}" is not a date written YYYY-MM-DD`);
    const idx = monthIndex(to);
    if (to !== monthEnd(idx)) {
      throw new HandoffError('bad_argument', `to="${to}" must be the last day of a month, e.g. ${monthEnd(idx)} (figures are built from whole months)`);
    }
    out.last = idx;
  }
  if (out.first !== undefined && out.last !== undefined && out.first > out.last) {
    throw new HandoffError('bad_argument', `from="${from}" is after to="${to}"`);
  }
  return out;
}
