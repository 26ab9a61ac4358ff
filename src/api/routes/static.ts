/**
 * The built dashboard (web/dist, from `vite build`) as a Hono sub-app: files by exact path, confined
 * to the build directory, and index.html for the dashboard's own routes (/state/MA, /compare, ...),
 * so a permalink reloads the same view. Mount it after the API: `app.route('/', staticRoutes())`.
 *
 * Does: GET/HEAD of files under web/dist with the API's security headers, gzip for text, long caching
 * for hashed assets; 404 for anything outside the directory (`..`, encoded or not), for missing files
 * with an extension, and for /api/* paths the API did not answer.
 * Does not: list directories, follow requests outside web/dist, build the dashboard.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import { errorBody } from '../envelope.ts';
import { setSecurityHeaders } from '../security.ts';
import { repoPath } from '../../core/repo-root.ts';

/** web/dist of this checkout. */
export const WEB_DIST = repoPath('web', 'dist');


const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt', '.map']);

function setHeaders(headers: Headers): void {
  setSecurityHeaders(headers, { cors: false });
}

export interface StaticOptions {
  /** Directory to serve (default {@link WEB_DIST}). */
  root?: string;
}

/**
 * Resolves a request path to a file path inside `root`, or null when the path is malformed or would
 * leave `root` (after percent-decoding: `%2e%2e`, `..%2f`, backslashes, NUL).
 */
export function confinePath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const rel = path.posix.normalize(`/${decoded}`).replace(/^\/+/, '');
  const full = path.resolve(root, rel);
  const base = path.resolve(root);
  return full === base || full.startsWith(base + path.sep) ? full : null;
}

export function staticRoutes(options: StaticOptions = {}): Hono {
  const root = options.root ?? WEB_DIST;
  const gzCache = new Map<string, { mtimeMs: number; body: Buffer }>();
  const app = new Hono();

  const notFound = (c: Context, message: string) => {
    const res = c.json(errorBody(404, message), 404);
    setHeaders(res.headers);
    return res;
  };

  async function send(c: Context, file: string, immutable: boolean): Promise<Response | null> {
    let info;
    try {
      // Symlinks inside web/dist must not lead out of it either.
      const real = await realpath(file);
      const realRoot = await realpath(root);
      if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
      info = await stat(real);
      if (!info.isFile()) return null;
      file = real;
    } catch {
      return null;
    }
    const ext = path.extname(file).toLowerCase();
    const headers = new Headers({ 'Content-Type': TYPES[ext] ?? 'application/octet-stream' });
    headers.set('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    let body: Buffer = await readFile(file);
    if (COMPRESSIBLE.has(ext)) {
      headers.set('Vary', 'Accept-Encoding');
      if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
        let hit = gzCache.get(file);
        if (!hit || hit.mtimeMs !== info.mtimeMs) {
          hit = { mtimeMs: info.mtimeMs, body: gzipSync(body, { level: 9 }) };
          gzCache.set(file, hit);
        }
        body = hit.body;
        headers.set('Content-Encoding', 'gzip');
      }
    }
    headers.set('Content-Length', String(body.length));
    setHeaders(headers);
    return new Response(c.req.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  }

  app.get('*', async (c, next) => {
    const rawPath = new URL(c.req.url).pathname;
    if (rawPath === '/api' || rawPath.startsWith('/api/')) return next();
    const file = confinePath(root, rawPath);
    if (file === null) return notFound(c, 'not found');
    const isAsset = rawPath.startsWith('/assets/');
    if (rawPath !== '/' && !rawPath.endsWith('/')) {
      const res = await send(c, file, isAsset);
      if (res) return res;
    }
    // A dashboard route (no extension): the SPA shell. Anything with an extension is a missing file.
    if (path.posix.extname(rawPath) !== '' || isAsset) return notFound(c, `no such file: ${rawPath}`);
    const index = await send(c, path.join(root, 'index.html'), false);
    return index ?? notFound(c, 'the dashboard is not built: run `npm run build:web` (vite build) to create web/dist');
  });
  return app;
}
