/**
 * The dashboard's only door to data: GET requests to the Handoff API over HTTP. Every response's
 * `meta` is reported to the synthetic-data banner, so a view that draws on synthetic data says so.
 */

// Every row and envelope type is the API's own (src/contract): declared once, for the server and here.
import { METRIC_PARAMS, type Envelope, type Meta, type MetricInfo, type MetricQuery, type MetricRow } from '../../src/contract/index.ts';
export type {
  Envelope,
  JurisdictionRow,
  Meta,
  MetricInfo,
  MetricQuery,
  MetricRow,
  PlaceRow,
  PolicyAt,
  PolicyEntryRow,
  QualityRow,
  ReleaseRef,
  ReleaseRow,
} from '../../src/contract/index.ts';
export { GROUP_COLUMNS } from '../../src/contract/index.ts';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly url: string,
  ) {
    super(message);
  }
}

type MetaListener = (meta: Meta) => void;
const listeners = new Set<MetaListener>();

/** Calls `fn` with the meta of every successful response (the banner listens). */
export function onMeta(fn: MetaListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const cache = new Map<string, Promise<Envelope<unknown>>>();

/** GET a JSON envelope; identical requests share one fetch for the life of the page. */
/**
 * A page opened from a permalink (`?release=…`) reads every figure from that release, so that a
 * cited figure does not change when a newer release is loaded.
 */
export function pinRelease(url: string): string {
  if (typeof location === 'undefined' || !url.startsWith('/api/metrics/') || /[?&]release=/.test(url)) return url;
  const release = new URLSearchParams(location.search).get('release');
  if (!release) return url;
  return `${url}${url.includes('?') ? '&' : '?'}release=${encodeURIComponent(release)}`;
}

export function getJson<R>(requested: string): Promise<Envelope<R>> {
  const url = pinRelease(requested);
  let hit = cache.get(url);
  if (!hit) {
    hit = (async () => {
      const res = await fetch(url, { headers: { Accept: 'application/json' } });
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw new ApiError(`${url} did not answer with JSON (HTTP ${res.status})`, res.status, url);
      }
      const b = body as { ok?: boolean; error?: string };
      if (!res.ok || b.ok !== true) throw new ApiError(b.error ?? `HTTP ${res.status}`, res.status, url);
      return body as Envelope<unknown>;
    })();
    cache.set(url, hit);
    hit.catch(() => cache.delete(url));
  }
  return hit.then((env) => {
    for (const fn of listeners) fn(env.meta);
    return env as Envelope<R>;
  });
}

/** Path of a metric request, JSON or CSV, with parameters in a fixed order (one cache key per view). */
export function metricUrl(id: string, q: MetricQuery, format: 'json' | 'csv' = 'json'): string {
  const p = new URLSearchParams();
  for (const k of METRIC_PARAMS) {
    const v = q[k];
    if (v) p.set(k, v);
  }
  const s = p.toString();
  return `/api/metrics/${encodeURIComponent(id)}.${format}${s ? `?${s}` : ''}`;
}

/**
 * The follow-up windows (days after the prepare date) a metric takes, shortest first, as
 * /api/metrics.json lists them: the server's list, not a copy (empty for a metric that takes none).
 */
export async function followUpWindowsOf(metric: string): Promise<string[]> {
  const env = await getJson<MetricInfo>('/api/metrics.json');
  return (env.rows.find((m) => m.id === metric)?.follow_up_days ?? []).map(String);
}

/** "90, 180 and 365" */
export function listInWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function getMetric(id: string, q: MetricQuery): Promise<Envelope<MetricRow>> {
  return getJson<MetricRow>(metricUrl(id, q));
}

/** `from`/`to` of the URL as the API wants them: first day / last day of a month. */
export function apiWindow(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  if (from && /^\d{4}-\d{2}$/.test(from)) out.from = `${from}-01`;
  if (to && /^\d{4}-\d{2}$/.test(to)) {
    const [y, m] = to.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    out.to = `${to}-${String(last).padStart(2, '0')}`;
  }
  return out;
}
