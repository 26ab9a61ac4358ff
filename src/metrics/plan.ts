/**
 * The publication plan: which cells the cube publishes at all. Every place and period has its total;
 * breakdowns are published where they can carry information without putting nearly every cell
 * below the threshold: by month and quarter only the outcome, criminality and arrest setting of the
 * nation, states and areas of responsibility; every breakdown by fiscal year, calendar year and
 * whole release, for every place, except the crosses (outcome × offense, policy in force × outcome, arrest setting ×
 * criminality, community arrest × the latest earlier detainer's outcome, later arrest or removal × the
 * part of the follow-up window it fell in), which are published only for
 * the nation, states and areas of responsibility. Every cell outside the plan would be below the
 * threshold nearly everywhere, and each one published is one more equation an outsider can use. A figure outside the plan answers "not published at this grain" (status not_available),
 * never a sum of finer cells.
 */
import type { Level } from './cube.ts';
import type { Grain } from './periods.ts';

const YEARLY: readonly Grain[] = ['fiscal_year', 'calendar_year', 'total'];
const FINE_PLACES: readonly Level[] = ['county', 'facility'];
/** Cross-classified dimensions published only for large places and long periods. */
const CROSS_DIMS = new Set(['outcome_offense', 'outcome_violence', 'later_arrest_violence', 'regime_outcome', 'regime_at_lift_outcome', 'method_criminality', 'prior_detainer', 'regime_change_outcome', 'later_arrest_window', 'later_arrest_any_window', 'later_removal_window']);
/** Breakdowns published by month and quarter (for the nation, states and AORs). */
const MONTHLY_DIMS = new Set(['outcome', 'criminality', 'method']);

/** True when the cube publishes dimension `dim` (null: the total) for places of `level` at `grain`. */
export function inPlan(level: Level, grain: Grain, dim: string | null): boolean {
  if (dim === null) return true;
  if (CROSS_DIMS.has(dim)) return !FINE_PLACES.includes(level) && YEARLY.includes(grain);
  if (YEARLY.includes(grain)) return true;
  return !FINE_PLACES.includes(level) && MONTHLY_DIMS.has(dim);
}

/** Words for a figure outside the plan. */
export function planNote(level: Level, grain: Grain, dim: string | null): string {
  if (CROSS_DIMS.has(dim ?? '')) return `this breakdown is published for the nation, states and areas of responsibility by fiscal year, calendar year and whole release, not for a ${level} by ${grain}`;
  if (FINE_PLACES.includes(level)) return `breakdowns of a ${level} are published by fiscal year, calendar year and whole release, not by ${grain}`;
  return `by ${grain}, only the outcome, criminality and arrest setting are published; this breakdown is published by fiscal year, calendar year and whole release`;
}
