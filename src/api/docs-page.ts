/**
 * The `/api/docs` page and its stylesheet, generated from the route registry (src/api/registry.ts)
 * and the metric definitions: a route or metric added there appears here without editing this file.
 *
 * Does: a table of contents with a stable anchor per route (`route-…`) and per metric (its id, which
 * `meta.definition_url` and the dashboard link to); per route its parameters (where, type, required,
 * default, allowed values) and a worked example request; per metric its definition.
 * Does not: run script or carry inline style (the CSP of src/api/security.ts forbids both): the style
 * is the separate sheet {@link DOCS_CSS}, served at {@link DOCS_CSS_PATH}.
 */
import { METRICS, PLACE_FORMS, SMALL_CELL_MAX } from '../metrics/index.ts';
import { openApiDocument, parameterExamples, ROUTES, type ParamSpec, type RouteSpec } from './registry.ts';

export const DOCS_CSS_PATH = '/api/docs.css';

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const code = (text: string): string => `<code>${esc(text)}</code>`;

/** The anchor of a route: `/api/metrics/{metric}.json` → `route-metrics-metric-json` (stable while the path is). */
export function routeAnchor(r: Pick<RouteSpec, 'path'>): string {
  return `route-${r.path.replace(/^\/api\//, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

/** Encodes a parameter value for a readable URL: `:` and `,` stay as they are (both are allowed in a query). */
function urlValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

/** A worked example request of a route: its path parameters and every query parameter with an example value. */
export function exampleUrl(r: RouteSpec, overrides: Record<string, string> = {}): string {
  const values = { ...parameterExamples(r), ...overrides };
  const path = r.path.replace(/\{([^}]+)\}/g, (whole, name: string) => (values[name] !== undefined ? urlValue(values[name]) : whole));
  const query = r.params.filter((p) => p.in === 'query' && values[p.name] !== undefined).map((p) => `${p.name}=${urlValue(values[p.name]!)}`);
  return query.length ? `${path}?${query.join('&')}` : path;
}

const isMetricRoute = (r: RouteSpec): boolean => r.params.some((p) => p.in === 'path' && p.name === 'metric');

/** A parameter's allowed values: its enum; for a metric's `by`, each metric's list; for `place`, its forms. */
export interface AllowedValues {
  kind: 'enum' | 'per-metric' | 'forms' | 'free';
  values: readonly string[];
}

export function allowedValues(r: RouteSpec, p: ParamSpec): AllowedValues {
  if (p.enum) return { kind: 'enum', values: p.enum };
  if (isMetricRoute(r) && p.name === 'by') return { kind: 'per-metric', values: [...new Set(METRICS.flatMap((m) => m.by))] };
  if (isMetricRoute(r) && p.name === 'place') return { kind: 'forms', values: PLACE_FORMS };
  return { kind: 'free', values: [] };
}

/** The type of a parameter, read from its allowed values and the shape of its example. */
export function typeOf(r: RouteSpec, p: ParamSpec): string {
  const example = parameterExamples(r)[p.name];
  if (p.enum) return 'string, one of';
  if (example !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(example)) return 'date (YYYY-MM-DD)';
  if (example !== undefined && /^\d+$/.test(example)) return 'integer';
  if (example?.includes(',')) return 'list, comma-separated';
  return 'string';
}

/** A parameter's default, as the registry declares it (from the code that applies it). */
export function defaultOf(_r: RouteSpec, p: ParamSpec): { value: string } | { words: string } | null {
  if (p.in === 'path') return null;
  return p.default ?? null;
}

function allowedCell(r: RouteSpec, p: ParamSpec): string {
  const allowed = allowedValues(r, p);
  if (allowed.kind === 'enum') return `<ul class="values">${allowed.values.map((v) => `<li>${code(v)}</li>`).join('')}</ul>`;
  if (allowed.kind === 'forms') return `<p>Forms:</p><ul class="values">${allowed.values.map((v) => `<li>${code(v)}</li>`).join('')}</ul>`;
  if (allowed.kind === 'per-metric') {
    const rows = METRICS.map((m) => `<li><a href="#${esc(m.id)}">${code(m.id)}</a>: ${m.by.map(code).join(', ')}</li>`).join('');
    return `<p>Depends on the metric:</p><ul class="per-metric">${rows}</ul>`;
  }
  // A range stated in the description (`Months before the change (1-60, default 12)`).
  const range = /\((\d+)-(\d+)\b/.exec(p.description);
  const type = typeOf(r, p);
  if (range && type === 'integer') return `${code(range[1]!)} to ${code(range[2]!)}`;
  return type === 'string' ? '<span class="none">see the description</span>' : `any ${esc(type)}`;
}

function paramTable(r: RouteSpec): string {
  if (r.params.length === 0) return '<p class="no-params">No parameters.</p>';
  const examples = parameterExamples(r);
  const rows = r.params.map((p) => {
    const dflt = defaultOf(r, p);
    const ex = examples[p.name];
    return `<tr data-param="${esc(p.name)}" data-allowed="${allowedValues(r, p).kind}">
<th scope="row" data-label="Name">${code(p.name)}</th><td data-label="In">${p.in}</td><td data-label="Type">${esc(typeOf(r, p))}</td><td data-label="Required">${p.in === 'path' ? 'yes' : 'no'}</td>
<td data-label="Default">${dflt === null ? `<span class="none">${p.in === 'path' ? 'none (required)' : 'not set'}</span>` : 'value' in dflt ? code(dflt.value) : esc(dflt.words)}</td>
<td data-label="Allowed values" class="allowed">${allowedCell(r, p)}</td>
<td data-label="Description">${esc(p.description)}${ex !== undefined ? ` <span class="example-value">Example: ${code(ex)}</span>` : ''}</td></tr>`;
  });
  return `<div class="table-scroll"><table class="params"><caption>Parameters</caption>
<thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Default</th><th scope="col">Allowed values</th><th scope="col">Description</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

const FORMAT_WORDS: Record<RouteSpec['format'], string> = { json: 'JSON (the success envelope)', csv: 'CSV (a file download)', html: 'an HTML page', css: 'a CSS stylesheet' };

function routeSection(r: RouteSpec): string {
  const example = exampleUrl(r);
  const shortest = example === r.example ? '' : ` Shortest form: <a href="${esc(r.example)}">${code(r.example)}</a>.`;
  return `<section class="route" id="${routeAnchor(r)}" aria-labelledby="${routeAnchor(r)}-h">
<h3 id="${routeAnchor(r)}-h">${code(`GET ${r.path}`)}</h3>
<p>${esc(r.summary)}${/[.!?]$/.test(r.summary) ? '' : '.'}</p>
<p class="answers">Answers with ${FORMAT_WORDS[r.format]}.</p>
${paramTable(r)}
<p class="example">Example: <a class="example" href="${esc(example)}">${code(example)}</a>.${shortest}</p>
</section>`;
}

const metricRoute = (format: 'json' | 'csv'): RouteSpec | undefined => ROUTES.find((r) => isMetricRoute(r) && r.format === format);

function metricSection(m: (typeof METRICS)[number]): string {
  const links = (['json', 'csv'] as const)
    .map((format) => {
      const r = metricRoute(format);
      if (!r) return '';
      const url = exampleUrl(r, { metric: m.id, by: m.by[0]! });
      return `<li>${format.toUpperCase()}: <a href="${esc(url)}">${code(url)}</a></li>`;
    })
    .join('');
  return `<section class="metric" id="${esc(m.id)}" aria-labelledby="${esc(m.id)}-h"><h3 id="${esc(m.id)}-h">${code(m.id)}: ${esc(m.title)}</h3>
<p>${esc(m.description)}</p>
<dl><dt>Counts</dt><dd>${esc(m.counts)}</dd><dt>Numerator</dt><dd>${esc(m.numerator)}</dd><dt>Denominator</dt><dd>${esc(m.denominator ?? 'none')}</dd>
<dt><code>by</code></dt><dd>${m.by.map((b, i) => `${code(b)}${i === 0 ? ' (default)' : ''}`).join(', ')}</dd>
<dt>Columns</dt><dd>${m.columns.map(code).join(', ')}</dd>
<dt>Exclusions</dt><dd><ul>${m.exclusions.map((e) => `<li>${esc(e.what)}. ${esc(e.why)}</li>`).join('')}</ul></dd></dl>
<p>Examples:</p><ul class="examples">${links}</ul></section>`;
}

/** The docs page, from the route registry and the metric definitions. */
export function docsPageHtml(): string {
  const doc = openApiDocument() as { info: { title: string; description: string } };
  const toc = `<nav id="contents" aria-labelledby="contents-h"><h2 id="contents-h">Contents</h2><ol>
<li><a href="#using">Using the API</a></li>
<li><a href="#routes">Routes</a><ol>${ROUTES.map((r) => `<li><a href="#${routeAnchor(r)}">${code(r.path)}</a></li>`).join('')}</ol></li>
<li><a href="#metrics">Metrics</a><ol>${METRICS.map((m) => `<li><a href="#${esc(m.id)}">${code(m.id)}</a></li>`).join('')}</ol></li>
</ol></nav>`;
  const using = `<section id="using" aria-labelledby="using-h"><h2 id="using-h">Using the API</h2>
<ul>
<li>Only <code>GET</code> and <code>HEAD</code>. A success is <code>{ "ok": true, "rows": [...], "meta": {...} }</code>; an error, of any status, is <code>{ "ok": false, "error", "errors", "status" }</code>, and a bad parameter's <code>errors</code> list the valid values.</li>
<li>Every answer names its releases in <code>meta.releases</code> and says when they are synthetic demo data; a metric's <code>meta.permalink</code> pins the release.</li>
<li>Small cells: in public mode counts of 1-${SMALL_CELL_MAX} are withheld, with complementary cells; a figure with a withheld part reads "at least N".</li>
<li>Downloads are named for what they hold, e.g. <code>handoff_detainers_issued_state-MA_quarter_2024-10_2025-03_&lt;release&gt;.csv</code>: the metric or route, the place, grain, breakdown, months and release (only letters, digits, <code>.</code>, <code>_</code> and <code>-</code>). CSV comes as an attachment, JSON inline.</li>
<li>Machine-readable description: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</li>
</ul></section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)}</title><link rel="stylesheet" href="${DOCS_CSS_PATH}"><link rel="icon" href="data:,"></head>
<body><main>
<header><h1>${esc(doc.info.title)}</h1>
<p class="lede">${esc(doc.info.description)}</p></header>
${toc}
${using}
<section id="routes" aria-labelledby="routes-h"><h2 id="routes-h">Routes</h2>
${ROUTES.map(routeSection).join('\n')}
</section>
<section id="metrics" aria-labelledby="metrics-h"><h2 id="metrics-h">Metrics</h2>
${METRICS.map(metricSection).join('\n')}
</section>
</main></body></html>
`;
}

/**
 * The page's stylesheet: readable measure and type, tables that scroll inside their box on a wide
 * screen and become one card per parameter on a narrow one, code that wraps anywhere.
 */
export const DOCS_CSS = `:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de; --link: #0550ae; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9da7b3; --bg: #0d1117; --panel: #161b22; --line: #30363d; --link: #7cb7ff; } }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; scroll-padding-top: 1rem; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem clamp(0.75rem, 3vw, 2rem) 4rem; overflow-wrap: break-word; }
h1 { font-size: clamp(1.6rem, 5vw, 2.2rem); line-height: 1.2; margin: 1rem 0 0.5rem; }
h2 { font-size: 1.45rem; line-height: 1.25; margin: 2.5rem 0 0.75rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; line-height: 1.35; margin: 2rem 0 0.5rem; }
p, ul, ol, dl { margin: 0.5rem 0; }
a { color: var(--link); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; background: var(--panel); border-radius: 4px; padding: 0.05em 0.3em; overflow-wrap: anywhere; word-break: break-word; }
h3 code { font-size: 0.95em; }
.lede { font-size: 1.05rem; color: var(--muted); }
nav#contents { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 1rem 0.75rem; }
nav#contents h2 { margin-top: 0.5rem; border: 0; font-size: 1.15rem; }
nav#contents ol ol { columns: 2 18rem; column-gap: 2rem; padding-left: 1.25rem; }
nav#contents li { margin: 0.15rem 0; break-inside: avoid; }
section.route, section.metric { border-top: 1px solid var(--line); }
.answers, .none, .example-value { color: var(--muted); }
.example-value { display: block; font-size: 0.9em; }
.table-scroll { max-width: 100%; overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0.75rem 0; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding: 0.5rem 0.75rem; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.75rem; border-top: 1px solid var(--line); }
thead th { background: var(--panel); white-space: nowrap; }
td.allowed { min-width: 10rem; }
th[scope="row"] code { white-space: nowrap; overflow-wrap: normal; word-break: normal; }
ul.values { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 0.25rem; }
ul.per-metric { padding-left: 1rem; margin: 0.25rem 0 0; }
td p { margin: 0 0 0.25rem; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; min-width: 0; }
dd ul { padding-left: 1.1rem; margin: 0; }
.example a code, ul.examples code { background: none; padding: 0; }
@media (max-width: 40rem) {
  .table-scroll { border: 0; overflow-x: visible; }
  table.params, table.params tbody, table.params tr, table.params th, table.params td { display: block; width: 100%; }
  table.params thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  table.params tr { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 0.75rem; padding: 0.25rem 0; }
  table.params th, table.params td { border: 0; padding: 0.2rem 0.75rem; }
  table.params td::before { content: attr(data-label) ": "; font-weight: 600; }
  table.params th[scope="row"] { font-size: 1.05rem; }
  td.allowed { min-width: 0; }
  th[scope="row"] code { white-space: normal; overflow-wrap: anywhere; }
  dl { grid-template-columns: minmax(0, 1fr); }
  dd { margin-left: 0.75rem; }
}
`;
