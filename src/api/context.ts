/**
 * What route handlers share: the store holder, the mode, the clock, the time limit; and the small
 * helpers that keep handlers thin (parameter checks, `.json`/`.csv` names, leasing the store).
 */
import type { Context } from 'hono';
import { HandoffError } from '../core/errors.ts';
import type { MetricsService, Mode } from '../metrics/index.ts';
import type { Lease, StoreHolder } from './holder.ts';

export interface ApiDeps {
  holder: StoreHolder;
  mode: Mode;
  now: () => Date;
  /** Longest a request may wait on the database, ms. */
  queryTimeoutMs: number;
}

/**
 * Rejects parameters the route does not know, listing the valid ones, and parameters given more than
 * once. An empty value (`?release=`, `?at`, as a form sends an empty field) is the same as none, on
 * every route alike.
 */
export function checkParams(c: Context, valid: readonly string[]): Record<string, string> {
  const query = c.req.queries();
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [k, values] of Object.entries(query)) {
    if (!valid.includes(k)) unknown.push(k);
    else if (values.length > 1) throw new HandoffError('bad_argument', `parameter "${k}" is given ${values.length} times`, { details: { valid } });
    else if (values[0] !== '') out[k] = values[0]!;
  }
  if (unknown.length) {
    throw new HandoffError('bad_argument', `unknown parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { details: { valid } });
  }
  return out;
}

/** `name.json` / `name.csv` (a decoded route parameter) → parts; anything else is not a route. */
export function splitName(file: string, formats: readonly ('json' | 'csv')[] = ['json', 'csv']): { name: string; format: 'json' | 'csv' } {
  const m = /^(.+)\.(json|csv)$/.exec(file);
  if (!m || !formats.includes(m[2] as 'json' | 'csv')) {
    throw new HandoffError('not_found', `no such resource: ${file} (add ${formats.map((f) => `.${f}`).join(' or ')})`);
  }
  // `file` is a route parameter, which Hono has already percent-decoded: decoding it again would make
  // `state%253AMA` name state:MA, and `100%25` a malformed escape. A path with a malformed escape is
  // answered (404) by the app before any route.
  return { name: m[1]!, format: m[2] as 'json' | 'csv' };
}

/**
 * Runs `fn` with a leased store and its metrics service, within the time limit. The limit answers
 * this request (503) and nothing more: the work goes on to its end (an answer being computed is kept
 * by the caches behind it, so a retry finds it) and the lease is held until then, so a swap cannot
 * close the store under it. The shared DuckDB connection is never interrupted: that would stop
 * whatever statement of any request happens to be running on it.
 */
export async function withService<T>(deps: ApiDeps, fn: (service: MetricsService, lease: Lease) => Promise<T>): Promise<T> {
  const lease = deps.holder.acquire();
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const work = lease.service.then((service) => fn(service, lease));
  void work.then(
    () => lease.release(),
    () => lease.release(),
  );
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new HandoffError('database', `the query took longer than ${deps.queryTimeoutMs} ms; figures may still be being prepared, retry shortly`, { details: { timeout: true } }));
    }, deps.queryTimeoutMs);
  });
  try {
    return await Promise.race([work, limit]);
  } catch (e) {
    if (timedOut) throw new HandoffError('database', `the query took longer than ${deps.queryTimeoutMs} ms; retry shortly`, { details: { timeout: true } });
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
