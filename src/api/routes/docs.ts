/** /api/openapi.json and /api/docs (a plain HTML page generated from it: no script, no inline style). */
import { Hono } from 'hono';
import { METRICS } from '../../metrics/index.ts';
import { checkParams } from '../context.ts';
import { openApiDocument, ROUTES } from '../registry.ts';

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The docs page, from the route registry and the metric definitions. */
export function docsHtml(): string {
  const doc = openApiDocument() as { info: { title: string; description: string } };
  const routes = ROUTES.map(
    (r) => `<tr><td><code>GET ${esc(r.path)}</code></td><td>${esc(r.summary)}</td><td>${r.params.map((p) => `<code>${esc(p.name)}</code>`).join(' ')}</td></tr>`,
  ).join('\n');
  const metrics = METRICS.map(
    (m) => `<section id="${esc(m.id)}"><h3><code>${esc(m.id)}</code>: ${esc(m.title)}</h3><p>${esc(m.description)}</p>
<dl><dt>Counts</dt><dd>${esc(m.counts)}</dd><dt>Numerator</dt><dd>${esc(m.numerator)}</dd><dt>Denominator</dt><dd>${esc(m.denominator ?? 'none')}</dd>
<dt>by</dt><dd>${m.by.map((b) => `<code>${esc(b)}</code>`).join(', ')}</dd>
<dt>Exclusions</dt><dd><ul>${m.exclusions.map((e) => `<li>${esc(e.what)}. ${esc(e.why)}</li>`).join('')}</ul></dd></dl>
<p><a href="/api/metrics/${esc(m.id)}.json">JSON</a> · <a href="/api/metrics/${esc(m.id)}.csv">CSV</a></p></section>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)}</title></head>
<body><main>
<h1>${esc(doc.info.title)}</h1>
<p>${esc(doc.info.description)}</p>
<p>Machine-readable description: <a href="/api/openapi.json">/api/openapi.json</a>. Small cells: counts of 1-10 are withheld in public mode; see docs/metrics.md.</p>
<h2>Endpoints</h2>
<table><thead><tr><th>Request</th><th>What</th><th>Parameters</th></tr></thead><tbody>
${routes}
</tbody></table>
<h2>Metrics</h2>
${metrics}
</main></body></html>
`;
}

export function docsRoutes(): Hono {
  const app = new Hono();
  app.get('/openapi.json', (c) => {
    checkParams(c, []);
    return c.json(openApiDocument());
  });
  app.get('/docs', (c) => {
    checkParams(c, []);
    return c.html(docsHtml());
  });
  return app;
}
