/**
 * Runs a named metric for a set of parameters: checks them, picks the release and the cube, cuts
 * the window into periods and asks the definition for rows. The API and the CLI both call this.
 */
import { HandoffError } from '../core/errors.ts';
import { findMetric, METRICS, qualityFigures, type MetricDefinition, type Row } from './definitions.ts';
import { GRAINS, parseWindow, periodsOf, type Grain } from './periods.ts';
import { parsePlaceParam, type PlaceParam } from './place.ts';
import type { FactSource } from './facts.ts';
import type { MetricsService, RedactionRow, ReleaseInfo } from './service.ts';
import { SMALL_CELL_MAX } from './cube.ts';

/** Query parameters every metric accepts. */
export const METRIC_PARAMS = ['place', 'grain', 'from', 'to', 'by', 'release'] as const;
export type MetricParams = Partial<Record<(typeof METRIC_PARAMS)[number], string>>;

export interface MetricResult {
  metric: MetricDefinition;
  rows: Row[];
  columns: string[];
  place: PlaceParam;
  grain: Grain;
  by: string;
  release: ReleaseInfo;
  source: FactSource | null;
  /** Data-quality figures bounding the whole window for the place. */
  quality: Row[];
  redactions: Row[];
  notes: string[];
}

/** Withholds a count of 1–10 in public mode (for figures outside the cube: release-level ledgers). */
export function primary(n: number, mode: 'public' | 'private'): number | null {
  return mode === 'public' && n >= 1 && n <= SMALL_CELL_MAX ? null : n;
}

export function redactionRows(list: RedactionRow[] | undefined, table: string | null, mode: 'public' | 'private'): Row[] {
  return (list ?? [])
    .filter((r) => table === null || r.table === table)
    .map((r) => {
      const redacted = primary(r.redacted, mode);
      return { table: r.table, column_name: r.column_name, redacted, display: redacted === null ? '<11' : String(redacted), rows: r.rows, share: redacted === null ? null : Math.round((redacted / Math.max(1, r.rows)) * 10000) / 10000 };
    });
}

export async function runMetric(service: MetricsService, id: string, params: MetricParams): Promise<MetricResult> {
  const metric = findMetric(id);
  if (!metric) {
    throw new HandoffError('not_found', `no metric "${id}"; metrics: ${METRICS.map((m) => m.id).join(', ')}`);
  }
  const grain = (params.grain ?? 'month') as Grain;
  if (!(GRAINS as readonly string[]).includes(grain)) {
    throw new HandoffError('bad_argument', `grain="${params.grain}" is not one of ${GRAINS.join(', ')}`, { details: { param: 'grain', valid: GRAINS } });
  }
  const by = params.by ?? metric.by[0]!;
  if (!metric.by.includes(by)) {
    throw new HandoffError('bad_argument', `by="${by}" is not supported by ${metric.id}; use one of ${metric.by.join(', ')}`, { details: { param: 'by', valid: metric.by } });
  }
  const place = parsePlaceParam(params.place);
  const window = parseWindow(params.from, params.to);
  const universe = metric.universe === 'context' ? 'detainers' : metric.universe;
  const release = service.resolveRelease(universe, params.release);
  const notes: string[] = [];
  const build = await service.cube(release.release_id, universe);
  const cube = build.cube;
  if (place.level === 'facility' && universe === 'arrests') {
    throw new HandoffError('bad_argument', `${metric.id} counts ICE arrests, which have no facility; use nation, state:, county: or aor:`, { details: { param: 'place' } });
  }
  const first = Math.max(window.first ?? cube.firstMonth, cube.firstMonth);
  const last = Math.min(window.last ?? cube.lastMonth, cube.lastMonth);
  const periods = Number.isFinite(first) && Number.isFinite(last) && first <= last ? periodsOf(first, last, grain) : [];
  if (periods.length === 0) notes.push('The release has no records in the requested window.');
  // Every row carries exactly the metric's columns, in order (JSON keys = CSV header).
  const rows = metric.compute({ cube, service, place, periods, by }).map((r) => Object.fromEntries(metric.columns.map((c) => [c, r[c] ?? null])) as Row);
  const months = periods.flatMap((p) => p.months);
  const quality = metric.universe === 'context' ? [] : qualityFigures(cube, place.unit, months);
  if (build.source === 'raw_tables' && metric.universe === 'detainers' && ['detainer_outcomes', 'later_arrests_after_non_transfer', 'later_removals_after_non_transfer'].includes(metric.id)) {
    notes.push('Lifecycles were derived from the raw tables (the link stage has not built detainer_lifecycle in this database): the outcome comes from the lift reason alone.');
  }
  if (metric.universe === 'arrests' && metric.id === 'community_arrests_after_declined_detainer' && build.source === 'raw_tables') {
    notes.push('Declined detainers were taken from the lift reason alone (no detainer_lifecycle table in this database).');
  }
  return {
    metric,
    rows,
    columns: metric.columns,
    place,
    grain,
    by,
    release,
    source: metric.universe === 'context' ? null : build.source,
    quality,
    redactions: metric.universe === 'context' ? [] : redactionRows(service.redactions.get(release.release_id), universe === 'detainers' ? 'detainers' : 'arrests', service.mode),
    notes,
  };
}
