/**
 * api: the Hono app. Mounts the routes of src/api/routes under /api, and wraps every response in the
 * same security headers, caching rules and error envelope.
 *
 * Does: serve metrics (JSON and CSV), places, policies, 287(g) agreements, releases and their
 * codebooks, the data-quality ledger, the OpenAPI document and a docs page; only GET and HEAD.
 * Does not: open or write the database (it is given a read-only store), return person-level rows,
 * listen on a port (src/cli/commands/serve.ts does).
 */
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { HandoffError } from '../core/errors.ts';
import type { Mode } from '../metrics/index.ts';
import type { PolicySet } from '../policy/index.ts';
import type { Store } from '../store/index.ts';
import type { ApiDeps } from './context.ts';
import { errorBody, errorOf, sendError } from './envelope.ts';
import { StoreHolder } from './holder.ts';
import { HTTP_LIMITS } from './node-server.ts';
import { agreementsRoutes } from './routes/agreements.ts';
import { docsRoutes } from './routes/docs.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { placesRoutes } from './routes/places.ts';
import { policiesRoutes } from './routes/policies.ts';
import { qualityRoutes } from './routes/quality.ts';
import { releasesRoutes } from './routes/releases.ts';
import { staticRoutes } from './routes/static.ts';
import { claimsRoutes } from './routes/claims.ts';
import { codebookRoutes } from './routes/codebook.ts';
import { policyChangesRoutes } from './routes/policy-changes.ts';
import { setSecurityHeaders } from './security.ts';

export interface CreateAppOptions {
  /** A read-only store; or give `holder` to let the server swap stores. */
  store?: Store;
  holder?: StoreHolder;
  mode: Mode;
  now?: () => Date;
  /** Longest a request may wait on the database, ms (default 10 s). */
  queryTimeoutMs?: number;
  /** Policy set to use instead of reference/policies (tests). */
  policies?: PolicySet;
}

const { maxUrlChars: MAX_URL_LENGTH, maxBodyBytes: MAX_BODY_BYTES } = HTTP_LIMITS;

/** True when every percent-escape of an API path decodes (to valid UTF-8); other paths are the static routes'. */
function wellFormedPath(pathname: string): boolean {
  if (!pathname.startsWith('/api/') || !pathname.includes('%')) return true;
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export function createApp(options: CreateAppOptions): Hono & { holder: StoreHolder } {
  const holder = options.holder ?? (options.store ? new StoreHolder(options.store, options.mode, options.policies, false) : undefined);
  if (!holder) throw new HandoffError('bad_argument', 'createApp needs a store or a holder');
  const deps: ApiDeps = { holder, mode: options.mode, now: options.now ?? (() => new Date()), queryTimeoutMs: options.queryTimeoutMs ?? 10_000 };
  const app = new Hono();

  app.use('*', async (c, next) => {
    try {
      const method = c.req.method;
      if (method !== 'GET' && method !== 'HEAD') {
        c.res = c.json(errorBody(405, `method ${method} not allowed; this API is read-only (GET, HEAD)`), 405);
        c.res.headers.set('Allow', 'GET, HEAD');
      } else if (c.req.url.length > MAX_URL_LENGTH) {
        c.res = c.json(errorBody(414, `request URL longer than ${MAX_URL_LENGTH} characters`), 414);
      } else if (Number(c.req.header('content-length') ?? 0) > MAX_BODY_BYTES || c.req.header('transfer-encoding')) {
        c.res = c.json(errorBody(413, 'requests to this API carry no body'), 413);
      } else if (!wellFormedPath(new URL(c.req.url).pathname)) {
        // A malformed escape (`%ZZ`, `%E0%A4`) names nothing: a 404 like any unknown name, before any
        // route sees the path (a route must not have to decode it, nor get a half-decoded name).
        c.res = c.json(errorBody(404, `no such resource: ${new URL(c.req.url).pathname} (malformed percent-escape in the path)`), 404);
      } else {
        const url = new URL(c.req.url);
        const tag = `"${holder.version}-${createHash('sha1').update(`${deps.mode}\u0000${url.pathname}\u0000${url.search}`).digest('hex').slice(0, 16)}"`;
        if (c.req.header('if-none-match') === tag) {
          c.res = new Response(null, { status: 304, headers: { ETag: tag } });
        } else {
          await next();
          if (c.res.status === 200) c.res.headers.set('ETag', tag);
        }
      }
    } catch (e) {
      // Whatever fails here still leaves as the envelope, with the headers below.
      c.res = sendError(c, errorOf(e));
    }
    c.res.headers.set('Cache-Control', c.res.status < 400 && deps.mode === 'public' ? 'public, max-age=60, stale-while-revalidate=300' : 'no-store');
    if (deps.mode === 'private') c.res.headers.set('X-Handoff-Mode', 'private');
    setSecurityHeaders(c.res.headers, { cors: true });
  });

  const api = new Hono();
  api.route('/', metricsRoutes(deps));
  api.route('/', placesRoutes(deps));
  api.route('/', policiesRoutes(deps));
  api.route('/', policyChangesRoutes(deps));
  api.route('/', agreementsRoutes(deps));
  api.route('/', releasesRoutes(deps));
  api.route('/', codebookRoutes(deps));
  api.route('/', qualityRoutes(deps));
  api.route('/', claimsRoutes(deps));
  api.route('/', docsRoutes());
  app.route('/api', api);
  // The dashboard (web/dist) and its page shell for client-side routes; /api/* stays with the API.
  app.route('/', staticRoutes());

  const onError = (err: Error, c: Parameters<Parameters<typeof app.onError>[0]>[1]) => sendError(c, errorOf(err));
  app.onError(onError);
  api.onError(onError);
  app.notFound((c) => sendError(c, errorBody(404, `no such route: ${new URL(c.req.url).pathname}; see /api/docs`)));
  api.notFound((c) => sendError(c, errorBody(404, `no such route: ${new URL(c.req.url).pathname}; see /api/docs`)));
  return Object.assign(app, { holder });
}
