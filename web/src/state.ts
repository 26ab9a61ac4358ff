/**
 * View state lives in the URL (path + query), so every view is a permalink. Filters:
 * `from`/`to` (YYYY-MM), `grain`, `metric` (map), `level` (states|counties), `at` (policy date),
 * `places` (compare).
 */

export const GRAINS = ['month', 'quarter', 'fiscal_year', 'calendar_year'] as const;
export type Grain = (typeof GRAINS)[number];

export const GRAIN_LABELS: Record<Grain, string> = { month: 'Month', quarter: 'Quarter', fiscal_year: 'Federal fiscal year', calendar_year: 'Calendar year' };

export interface Filters {
  from?: string;
  to?: string;
  grain: Grain;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function query(): URLSearchParams {
  return new URLSearchParams(location.search);
}

export function filters(q = query()): Filters {
  const g = q.get('grain') as Grain | null;
  const from = q.get('from') ?? undefined;
  const to = q.get('to') ?? undefined;
  return {
    grain: g && (GRAINS as readonly string[]).includes(g) ? g : 'month',
    ...(from && MONTH.test(from) ? { from } : {}),
    ...(to && MONTH.test(to) ? { to } : {}),
  };
}

/** The current URL with some query parameters replaced (null removes one). */
export function withQuery(updates: Record<string, string | null | undefined>, path = location.pathname): string {
  const q = query();
  for (const [k, v] of Object.entries(updates)) {
    if (v === null || v === undefined || v === '') q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  return `${path}${s ? `?${s}` : ''}`;
}

/** Query string carrying the period filters to another page. */
export function carryFilters(path: string): string {
  const q = query();
  const out = new URLSearchParams();
  for (const k of ['from', 'to', 'grain']) {
    const v = q.get(k);
    if (v) out.set(k, v);
  }
  const s = out.toString();
  return `${path}${s ? `?${s}` : ''}`;
}
