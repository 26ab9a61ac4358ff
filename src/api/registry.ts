/**
 * Every route of the API, described once: the OpenAPI document, the docs page and the contract tests
 * are all generated from this list.
 */
import { DEFAULT_MONTHS, MAX_MONTHS } from '../metrics/before-after.ts';
import { FOLLOW_UP_WINDOWS } from '../link/index.ts';
import contractSchemas from './contract-schemas.json' with { type: 'json' };
import { GRAINS, METRIC_DEFAULTS, METRIC_PARAMS, METRICS, PLACE_FORMS } from '../metrics/index.ts';

export interface ParamSpec {
  name: string;
  in: 'query' | 'path';
  description: string;
  enum?: readonly string[];
  /** A valid value (the OpenAPI `example`); path parameters without one take it from the route's example. */
  example?: string;
  /**
   * What the server uses when the parameter is left out: a value (the OpenAPI `default`), or words
   * when it depends on the data. Read from the code that applies it, never restated.
   */
  default?: { value: string } | { words: string };
}

export interface RouteSpec {
  /** OpenAPI path, e.g. `/api/metrics/{metric}.json`. */
  path: string;
  summary: string;
  params: ParamSpec[];
  /** Example request used by the contract tests. */
  example: string;
  format: 'json' | 'csv' | 'html' | 'css';
}

const metricParams = (): ParamSpec[] => [
  { name: 'metric', in: 'path', description: 'Metric id', enum: METRICS.map((m) => m.id) },
  { name: 'place', in: 'query', description: `Geography: ${PLACE_FORMS.join(', ')}`, example: 'state:MA', default: METRIC_DEFAULTS.place },
  { name: 'grain', in: 'query', description: 'Period length', enum: GRAINS, example: 'quarter', default: METRIC_DEFAULTS.grain },
  { name: 'from', in: 'query', description: 'First day of a month (YYYY-MM-01), inclusive', example: '2024-10-01', default: METRIC_DEFAULTS.from },
  { name: 'to', in: 'query', description: 'Last day of a month, inclusive', example: '2025-03-31', default: METRIC_DEFAULTS.to },
  { name: 'by', in: 'query', description: 'Breakdown; see the metric definition for supported values', example: 'total', default: METRIC_DEFAULTS.by },
  { name: 'release', in: 'query', description: 'Release id (pins the figures to one release)', default: METRIC_DEFAULTS.release },
  {
    name: 'follow_up_days',
    in: 'query',
    description: `Follow-up window in days after the prepare date, for the metrics that take one (${METRICS.filter((m) => m.followUpWindows).map((m) => m.id).join(', ')}); other metrics refuse it`,
    enum: FOLLOW_UP_WINDOWS.map(String),
    default: METRIC_DEFAULTS.follow_up_days,
  },
];

const release: ParamSpec = { name: 'release', in: 'query', description: 'Release id' };
const place: ParamSpec = { name: 'place', in: 'query', description: 'state:XX or county:FIPS', example: 'state:MA' };
const at: ParamSpec = { name: 'at', in: 'query', description: 'ISO date', example: '2020-01-01' };

export const ROUTES: readonly RouteSpec[] = [
  { path: '/api/metrics.json', summary: 'The metric definitions', params: [], example: '/api/metrics.json', format: 'json' },
  { path: '/api/metrics/{metric}.json', summary: 'A metric as JSON', params: metricParams(), example: '/api/metrics/detainers_issued.json', format: 'json' },
  { path: '/api/metrics/{metric}.csv', summary: 'A metric as CSV', params: metricParams(), example: '/api/metrics/detainers_issued.csv', format: 'csv' },
  { path: '/api/places.json', summary: 'Places with published data (facilities only with a published total of at least 11 in public mode)', params: [release], example: '/api/places.json', format: 'json' },
  { path: '/api/places.csv', summary: 'Places as CSV', params: [release], example: '/api/places.csv', format: 'csv' },
  { path: '/api/policies.json', summary: 'Jurisdictions with reviewed detainer-policy entries', params: [], example: '/api/policies.json', format: 'json' },
  { path: '/api/policies/{place}.json', summary: 'Policy timeline of a place with citations; with `at`, the policy in force on that date', params: [{ name: 'place', in: 'path', description: 'state:MA, county:25025 or city:MA:boston' }, at], example: '/api/policies/state:MA.json', format: 'json' },
  ...(['json', 'csv'] as const).map((format): RouteSpec => ({
    path: `/api/policy-changes/{entry}.${format}`,
    summary: `A dated policy entry's place before and after it took effect (whole months, the month of effect left out), beside comparison places whose jail regime did not change, with the ratio of ratios and an approximate interval${format === 'csv' ? ', as CSV' : ''}`,
    params: [
      { name: 'entry', in: 'path', description: 'Policy entry id (see /api/policies/{place}.json)', example: 'ga-2024-ga-hb-1105' },
      { name: 'before', in: 'query', description: `Months before the change (1-${MAX_MONTHS})`, example: '12', default: { value: String(DEFAULT_MONTHS) } },
      { name: 'after', in: 'query', description: `Months after the change (1-${MAX_MONTHS})`, example: '12', default: { value: String(DEFAULT_MONTHS) } },
      { name: 'compare', in: 'query', description: 'Comparison places, comma-separated (state:XX or county:FIPS)', example: 'state:TX,state:AZ', default: { words: 'every state whose jail regime is known and unchanged through both windows' } },
      release,
    ],
    example: `/api/policy-changes/ga-2024-ga-hb-1105.${format}`,
    format,
  })),
  { path: '/api/agreements-287g.json', summary: '287(g) agreements from ICE\'s sheets (latest snapshot on or before `at`)', params: [place, at], example: '/api/agreements-287g.json', format: 'json' },
  { path: '/api/releases.json', summary: 'Releases loaded, with the synthetic flag and the address of each one\'s codebook', params: [], example: '/api/releases.json', format: 'json' },
  { path: '/api/releases.csv', summary: 'Releases as CSV', params: [], example: '/api/releases.csv', format: 'csv' },
  {
    path: '/api/releases/{release}/codebook.json',
    summary: "A release's codebook: each file and sheet, each column's fill rate, redacted and unparseable cells, the values of coded columns (public mode: none of 1-10 rows) and what Handoff maps it to (canonical column, type, vocabulary, known or unknown values)",
    params: [{ name: 'release', in: 'path', description: 'Release id (see /api/releases.json), or `latest` for the newest ICE release', example: 'latest' }],
    example: '/api/releases/latest/codebook.json',
    format: 'json',
  },
  { path: '/api/releases/{release}/codebook.csv', summary: "A release's codebook as CSV: one line per sheet, per column and per value", params: [{ name: 'release', in: 'path', description: 'Release id, or `latest`', example: 'latest' }], example: '/api/releases/latest/codebook.csv', format: 'csv' },
  { path: '/api/quality.json', summary: 'Data-quality ledger per release', params: [release], example: '/api/quality.json', format: 'json' },
  { path: '/api/quality.csv', summary: 'Data-quality ledger as CSV', params: [release], example: '/api/quality.csv', format: 'csv' },
  { path: '/api/claims.json', summary: 'Reviewed claim files', params: [], example: '/api/claims.json', format: 'json' },
  {
    path: '/api/claims/{claim}.json',
    summary: 'A claim evaluated on the loaded data',
    params: [{ name: 'claim', in: 'path', description: 'Claim id' }, release],
    example: '/api/claims/ma-2025-05-trial-court-detainer-authority.json',
    format: 'json',
  },
  { path: '/api/openapi.json', summary: 'This API as OpenAPI 3.1', params: [], example: '/api/openapi.json', format: 'json' },
  { path: '/api/docs', summary: 'API documentation page', params: [], example: '/api/docs', format: 'html' },
  { path: '/api/docs.css', summary: "The documentation page's stylesheet (same origin, so the CSP's style-src 'self' allows it)", params: [], example: '/api/docs.css', format: 'css' },
];

/** Example values of a route's parameters: given ones, else read from its example request. */
export function parameterExamples(r: RouteSpec): Record<string, string> {
  const out: Record<string, string> = {};
  const url = new URL(r.example, 'http://example.invalid');
  const names: string[] = [];
  const pattern = r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const m = new RegExp(`^${pattern}$`).exec(url.pathname);
  names.forEach((name, i) => {
    if (m?.[i + 1] !== undefined) out[name] = decodeURIComponent(m[i + 1]!);
  });
  for (const [k, v] of url.searchParams) out[k] = v;
  for (const p of r.params) if (p.example !== undefined) out[p.name] = p.example;
  return out;
}

/** Query parameter names of a route. */
export function queryParamsOf(path: string): string[] {
  return (ROUTES.find((r) => r.path === path)?.params ?? []).filter((p) => p.in === 'query').map((p) => p.name);
}

export const METRIC_QUERY_PARAMS: readonly string[] = METRIC_PARAMS;

/**
 * The contract's types as schemas (generated from src/contract by `npm run docs:gen`), with their
 * references pointed at the OpenAPI document's components.
 */
const CONTRACT_SCHEMAS: Record<string, unknown> = JSON.parse(
  JSON.stringify((contractSchemas as { definitions: Record<string, unknown> }).definitions).replaceAll('"#/definitions/', '"#/components/schemas/'),
);

/**
 * The row schema of each JSON route (src/contract RouteRows: its keys are route paths, its values the
 * row types). Read from the generated schemas so that a route added to the contract is described here.
 */
const ROUTE_ROWS: Record<string, string[]> = Object.fromEntries(
  Object.entries((contractSchemas as { routeRows: Record<string, string[]> }).routeRows),
);

/** The success envelope of a route whose rows are of the named contract types (or any object). */
function successSchema(rowTypes: string[] | undefined): Record<string, unknown> {
  const items = !rowTypes?.length ? { type: 'object' } : rowTypes.length === 1 ? { $ref: `#/components/schemas/${rowTypes[0]}` } : { anyOf: rowTypes.map((t) => ({ $ref: `#/components/schemas/${t}` })) };
  return {
    type: 'object',
    required: ['ok', 'rows', 'truncated', 'next', 'next_url', 'meta'],
    properties: {
      ok: { const: true },
      rows: { type: 'array', items },
      truncated: { type: 'boolean' },
      next: { type: ['string', 'null'] },
      next_url: { type: ['string', 'null'] },
      meta: { $ref: '#/components/schemas/Meta' },
    },
  };
}

/** The schema of a route's successful JSON answer, for the OpenAPI document and the contract test. */
export function answerSchemaOf(path: string): Record<string, unknown> {
  return successSchema(ROUTE_ROWS[path]);
}

/** Every component schema: the contract's types. */
export function componentSchemas(): Record<string, unknown> {
  return CONTRACT_SCHEMAS;
}

/** The OpenAPI 3.1 document of every route in {@link ROUTES}. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of ROUTES) {
    const examples = parameterExamples(r);
    const content =
      r.format === 'json'
        ? { 'application/json': { schema: r.path === '/api/openapi.json' ? { type: 'object' } : answerSchemaOf(r.path) } }
        : r.format === 'csv'
          ? { 'text/csv': { schema: { type: 'string' } } }
          : r.format === 'css'
            ? { 'text/css': { schema: { type: 'string' } } }
            : { 'text/html': { schema: { type: 'string' } } };
    paths[r.path] = {
      get: {
        summary: r.summary,
        operationId: r.path.replace(/^\/api\//, '').replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_'),
        parameters: r.params.map((p) => ({
          name: p.name,
          in: p.in,
          required: p.in === 'path',
          description: p.description,
          schema: { type: 'string', ...(p.enum ? { enum: p.enum } : {}), ...(p.default && 'value' in p.default ? { default: p.default.value } : {}) },
          ...(p.default && 'words' in p.default ? { 'x-default': p.default.words } : {}),
          ...(examples[p.name] !== undefined ? { example: examples[p.name] } : {}),
        })),
        responses: {
          '200': { description: 'OK', content },
          '304': { description: 'Not modified (ETag)' },
          '400': { description: 'Bad parameter; lists the valid ones', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } },
          '404': { description: 'Not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } },
          '503': { description: 'Query time limit reached', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Handoff API',
      version: '1',
      description: 'Counts from ICE FOIA releases on detainers, arrests and removals, with definitions, sources and small-cell protection. Only GET and HEAD. Every response names its releases and says when they are synthetic demo data.',
    },
    paths,
    components: { schemas: componentSchemas() },
  };
}
