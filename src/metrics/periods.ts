/**
 * Time in the publication cube. Every standard period — month, calendar quarter, federal fiscal year,
 * calendar year and the whole release — is its own cell, counted from the records; periods nest
 * (month ⊂ quarter ⊂ fiscal year, quarter ⊂ calendar year, years ⊂ release) and the suppression
 * engine knows each nesting. A window that is not a standard period is answered from the standard
 * cells that tile it exactly. A month is an integer index (year * 12 + month - 1).
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

/** One reporting period: a key, its first and last day, its month indexes and the cells it is read from. */
export interface Period {
  period: string;
  period_start: string;
  period_end: string;
  months: number[];
  /**
   * Keys of the standard cells (see `periodKey`) that tile the period exactly: the period's own key
   * when it is a standard cell of the release, else the fewest months, quarters and fiscal years
   * that cover exactly its months.
   */
  cells: string[];
  /** True when the period is a standard cell of the release (a figure over it is one cell). */
  standard: boolean;
}

/** The grains of the periods a month belongs to, finest first (the cube keeps a cell for each). */
export const CELL_GRAINS: readonly Grain[] = ['month', 'quarter', 'fiscal_year', 'calendar_year', 'total'];

/** Months of the period of `grain` that holds month `index`, clipped to the release's span. */
function periodMonths(index: number, grain: Grain, span: { first: number; last: number }): [number, number] {
  const y = Math.floor(index / 12);
  const m = index % 12;
  let a: number;
  let b: number;
  switch (grain) {
    case 'month':
      a = b = index;
      break;
    case 'quarter':
      a = y * 12 + m - (m % 3);
      b = a + 2;
      break;
    case 'fiscal_year':
      a = m >= 9 ? y * 12 + 9 : (y - 1) * 12 + 9;
      b = a + 11;
      break;
    case 'calendar_year':
      a = y * 12;
      b = a + 11;
      break;
    case 'total':
      a = span.first;
      b = span.last;
      break;
  }
  return [Math.max(a, span.first), Math.min(b, span.last)];
}

/**
 * The fewest standard cells that cover months `first..last` exactly (largest first: fiscal years,
 * then quarters, then months), within the release's span.
 */
export function tileCells(first: number, last: number, span: { first: number; last: number }): string[] {
  if (first === span.first && last === span.last) return [periodKey(first, 'total')];
  const out: string[] = [];
  let i = first;
  while (i <= last) {
    let used = false;
    for (const grain of ['fiscal_year', 'quarter'] as const) {
      const [a, b] = periodMonths(i, grain, span);
      if (a === i && b <= last) {
        out.push(periodKey(i, grain));
        i = b + 1;
        used = true;
        break;
      }
    }
    if (!used) {
      out.push(periodKey(i, 'month'));
      i++;
    }
  }
  return out;
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

/**
 * Groups the months `first..last` (inclusive) into periods of `grain`, in time order. `span` is the
 * release's first and last month (default: the window itself): a period whose months are all the
 * release has of it is a standard cell; a period the window cuts is tiled by smaller cells.
 */
export function periodsOf(first: number, last: number, grain: Grain, span: { first: number; last: number } = { first, last }): Period[] {
  const out: Period[] = [];
  const byKey = new Map<string, Period>();
  for (let i = first; i <= last; i++) {
    const key = periodKey(i, grain);
    let p = byKey.get(key);
    if (!p) {
      p = { period: key, period_start: monthStart(i), period_end: monthEnd(i), months: [], cells: [], standard: false };
      byKey.set(key, p);
      out.push(p);
    }
    p.months.push(i);
    p.period_end = monthEnd(i);
  }
  for (const p of out) {
    const a = p.months[0]!;
    const b = p.months[p.months.length - 1]!;
    const [sa, sb] = periodMonths(a, grain, span);
    p.standard = sa === a && sb === b;
    p.cells = p.standard ? [grain === 'total' ? 'total' : p.period] : tileCells(a, b, span);
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
 * day of a month, `to` the last — because every figure is read from whole standard cells; anything
 * else would either misstate the window or open the door to differencing. Returns month indexes.
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
