/**
 * /api/openapi.json, /api/docs (a page generated from the route registry and the metric definitions:
 * no script, no inline style) and /api/docs.css, the page's stylesheet (src/api/docs-page.ts).
 */
import { Hono } from 'hono';
import { checkParams } from '../context.ts';
import { DOCS_CSS, docsPageHtml } from '../docs-page.ts';
import { openApiDocument } from '../registry.ts';

export function docsRoutes(): Hono {
  const app = new Hono();
  app.get('/openapi.json', (c) => {
    checkParams(c, []);
    return c.json(openApiDocument());
  });
  app.get('/docs', (c) => {
    checkParams(c, []);
    return c.html(docsPageHtml());
  });
  // A stylesheet of the same origin: the CSP (style-src 'self') allows it, as it would no inline style.
  app.get('/docs.css', (c) => {
    checkParams(c, []);
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(DOCS_CSS);
  });
  return app;
}
