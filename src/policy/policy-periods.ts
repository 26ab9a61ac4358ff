/**
 * A place's policy as a sequence of periods with one deciding entry each, so the store can give every
 * record the policy in force on its dates with a range join instead of one evaluation per record.
 * Between two consecutive dates at which any entry of the place starts or ends (exact or approximate
 * boundaries), `policyAt` gives the same answer; it is evaluated once per period. Injunctions are
 * entries too, so their starts and ends are boundaries.
 */
import { policyAt, policyTimeline, type PolicyAtOptions, type Regime } from './evaluate-policy.ts';
import type { Place } from './places.ts';
import type { PolicySet } from './types.ts';

/** One period: [from, to) with the regime and the entry that decides it. */
export interface PolicyPeriod {
  /** First day of the period (ISO date); '0001-01-01' for the period before every entry. */
  from: string;
  /** First day after the period (ISO date), or null when open-ended. */
  to: string | null;
  regime: Regime;
  entryId: string | null;
  citation: string | null;
  /** The deciding entry's dates are not exact enough to be sure it applies throughout. */
  dateUnknown: boolean;
}

const EARLIEST = '0001-01-01';

/** The boundary dates of a possibly approximate start or end: 'YYYY' → its first and next year. */
function boundaries(value: string | null, precision: string): string[] {
  if (!value) return [];
  if (precision === 'year') return [`${value}-01-01`, `${Number(value) + 1}-01-01`];
  if (precision === 'month') {
    const [y, m] = value.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    return [`${value}-01`, `${next}-01`];
  }
  return [value];
}

/** The periods of a place for a custody scope (default a local jail), in date order, covering all dates. */
export function policyPeriods(policies: PolicySet, place: Place, options: PolicyAtOptions = {}): PolicyPeriod[] {
  const dates = new Set<string>([EARLIEST]);
  for (const item of policyTimeline(policies, place)) {
    for (const d of boundaries(item.start, item.startPrecision)) dates.add(d);
    for (const d of boundaries(item.end, item.endPrecision)) dates.add(d);
  }
  const sorted = [...dates].sort();
  const periods: PolicyPeriod[] = [];
  sorted.forEach((from, i) => {
    const result = policyAt(policies, place, from, options);
    const period: PolicyPeriod = {
      from,
      to: sorted[i + 1] ?? null,
      regime: result.regime,
      entryId: result.decidedBy?.id ?? null,
      citation: result.decidedBy?.citation ?? null,
      dateUnknown: result.dateUnknown,
    };
    const last = periods[periods.length - 1];
    // Adjacent periods with the same answer are one period.
    if (last && last.regime === period.regime && last.entryId === period.entryId && last.dateUnknown === period.dateUnknown) {
      last.to = period.to;
    } else {
      periods.push(period);
    }
  });
  return periods;
}
