/**
 * metrics: named, documented figures over the store, computed from a per-database publication cube.
 *
 * Does:
 * - define each metric in code (what it counts, numerator, denominator, exclusions, violent
 *   definition, supported `by`), and render docs/metrics.md from those definitions;
 * - read the records of a release (from `detainer_lifecycle` when the link stage built it, else from
 *   the raw tables), build the cube (unit × month × breakdown value) and, in public mode, withhold
 *   small cells and their complements to a fixed point (DESIGN.md);
 * - answer a metric for a place, grain, window, breakdown and release from published cells only;
 * - give the policy context (src/policy) and 287(g) counts of a slice, and the data-quality ledger.
 *
 * Does not: serve HTTP (src/api), write to the store, return person-level rows, read the clock.
 *
 * Inputs: a read-only `Store`, a mode, the policy files. Outputs: plain rows (`Row[]`) with the
 * definitions that produced them.
 */
export { Cube, layoutSignature, type CubeSnapshot, LEVELS, PROTECTION_VERSION, SMALL_CELL_MAX, type StoredProtection, type Figure, type FigureStatus, type Group, type Level, type SuppressionStats, type UnitInfo } from './cube.ts';
export { DIMENSIONS, UNIVERSE_WORDS, dimensionsOf, findDimension, type BaseFact, type DimensionDef, type Universe } from './dimensions.ts';
export { METRICS, findMetric, displayOf, qualityFigures, HOLDS_ALLOWED_OR_REQUIRED, type MetricDefinition, type Row } from './definitions.ts';
export { CELL_GRAINS, GRAINS, monthEnd, monthIndex, monthLabel, monthStart, parseWindow, periodKey, periodsOf, tileCells, type Grain, type Period } from './periods.ts';
export { PLACE_FORMS, parsePlaceParam, placeName, type PlaceParam } from './place.ts';
export { MetricsService, type Mode, type ReleaseInfo, type Agreement287gRow, type CubeBuild } from './service.ts';
export { METRIC_DEFAULTS, METRIC_PARAMS, runMetric, primary, type MetricParams, type MetricResult } from './query.ts';
export { qualityLedger } from './quality.ts';
export { readUnknownValues, type UnknownValue } from './unknown-values.ts';
export { renderMetricsDoc, SUPPRESSION_TEXT } from './docs.ts';
export { loadDetainerFacts, loadArrestFacts, loadRemovalFacts, LIFECYCLE_COLUMNS, type FactSource } from './facts.ts';
export { agreementsInForce } from './context.ts';
export { encodeProtection, decodeProtection, readStoredProtection, encodeSnapshot, decodeSnapshot, readStoredCube, type StoredCube } from './stored.ts';
export { beforeAfter, MEASURES as BEFORE_AFTER_MEASURES, MIN_COUNT_FOR_INTERVAL, type BeforeAfter, type BeforeAfterOptions, type MeasureRow } from './before-after.ts';
