/**
 * reports: claim checks and reports — reproducible answers to public claims, as HTML and PDF.
 *
 * Does:
 * - load and validate reviewed claim files (`reference/claims/*.yaml`, JSON Schema + registry checks);
 * - evaluate a claim's metric queries through the metrics service (`runMetric`, the API's own path)
 *   and its policy timelines, with the releases used, cut-off, suppression and data-quality figures;
 * - render Markdown templates (`reference/report-templates/*.md`) with `{{metric …}}`, `{{figure …}}`,
 *   `{{policy …}}` and claim directives to one self-contained HTML page (inline CSS and SVG, no script,
 *   no external request), and print it to PDF with the system Chromium.
 *
 * Does not: compute figures outside `metrics`, rate claims true or false, write to the store, serve
 * HTTP (src/api/routes/claims.ts does), read the clock (`now` is an argument).
 *
 * Inputs: a `MetricsService` over a read-only store, claim files, templates. Outputs: plain objects
 * (`EvaluatedClaim`, `RenderedReport`), HTML strings and PDF bytes. Syntax: docs/claims.md.
 */
export {
  CLAIM_SCHEMA_PATH,
  DEFAULT_CLAIMS_DIR,
  loadClaim,
  loadClaimFile,
  loadClaims,
  parseClaim,
  type Claim,
  type ClaimPolicy,
  type ClaimQuery,
  type ClaimSource,
} from './claims.ts';
export { PERIOD_FORMS, parsePeriodLabel, type ReportPeriod } from './period-label.ts';
export {
  docsAnchorOf,
  evaluateClaim,
  limitsOf,
  metricUrl,
  policySectionOf,
  runQuery,
  suppressionText,
  type DataLimits,
  type EvaluatedClaim,
  type EvaluatedPolicy,
  type EvaluatedQuery,
  type MetricQuery,
  type QueryResult,
  type ReleaseUsed,
} from './evaluate.ts';
export { escapeHtml, parseDirective, renderInline, renderMarkdown, safeHref, slugify, type DirectiveRenderer } from './markdown.ts';
export { barChart, lineChart, type BarDatum, type LineSeries } from './svg.ts';
export {
  DEFAULT_API_BASE,
  TEMPLATES_DIR,
  countText,
  normalizePlace,
  placeName,
  readTemplate,
  renderReport,
  type RenderedReport,
  type ReportOptions,
} from './render.ts';
export { CHROMIUM_FLAGS, DEFAULT_CHROMIUM, chromiumPath, htmlToPdf } from './pdf.ts';
