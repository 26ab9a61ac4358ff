/**
 * The dashboard's only door to data: GET requests to the Handoff API over HTTP. Every response's
 * `meta` is reported to the synthetic-data banner, so a view that draws on synthetic data says so.
 */

export interface ReleaseRef {
  release_id: string;
  label: string;
  synthetic: boolean;
}

export interface Meta {
  metric: string | null;
  definition_url: string;
  releases: ReleaseRef[];
  synthetic: boolean;
  synthetic_label?: string;
  mode: 'public' | 'private';
  notice?: string;
  suppression: { applied: boolean; min_published: number; rule: string };
  generated_at: string;
  notes?: string[];
  permalink?: string;
  /** Metric answers: periods of the rows that cover only part of their span (src/metrics/query.ts). */
  partial_periods?: string[];
  [key: string]: unknown;
}

export interface Envelope<R> {
  ok: true;
  rows: R[];
  meta: Meta;
  [key: string]: unknown;
}

/** One row of a count metric (see /api/metrics.json `columns`). */
export interface MetricRow {
  period: string;
  period_start: string;
  period_end: string;
  place: string;
  by: string;
  value: string;
  count: number | null;
  display: string;
  /** exact: the count of the records; at_least: a lower bound (count null, count_low = N); withheld; not_available. */
  status?: 'exact' | 'at_least' | 'withheld' | 'not_available';
  withheld: boolean;
  withheld_cells: number;
  count_low: number | null;
  count_high: number | null;
  denominator?: number | null;
  share?: number | null;
  days_n?: number | null;
  p25_days?: number | null;
  median_days?: number | null;
  p75_days?: number | null;
  [key: string]: unknown;
}

export interface MetricInfo {
  id: string;
  title: string;
  description: string;
  counts: string;
  numerator: string;
  denominator: string | null;
  exclusions: { what: string; why: string }[];
  violence: { by: string; definition: string }[];
  universe: string;
  by: string[];
  columns: string[];
  json_url: string;
  csv_url: string;
}

export interface PlaceRow {
  place: string;
  level: 'nation' | 'state' | 'aor' | 'county' | 'facility';
  /** A reader's name ("Suffolk County, MA"); `label` is the release's own. */
  name: string;
  label: string;
  state: string | null;
  county_fips: string | null;
  aor: string | null;
  detainers: number | null;
  arrests: number | null;
}

export interface PolicyEntryRow {
  entry_id: string;
  level: string;
  jurisdiction_id: string;
  jurisdiction: string;
  honors_detainers: string;
  release_notification: string;
  start: string | null;
  start_precision: string;
  end: string | null;
  end_precision: string;
  preempted_by: string | null;
  confidence: string;
  summary: string;
  citation: string;
  sources: string[];
}

export interface JurisdictionRow {
  id: string;
  level: string;
  name: string;
  state: string;
  fips: string | null;
  entry_count: number;
  url: string;
}

export interface PolicyAt {
  place: string;
  date: string;
  regime: string;
  date_unknown: boolean;
  decided_by: { entry_id: string; jurisdiction: string; citation: string; sources: string[]; effective: string; summary: string } | null;
  notes: string[];
}

export interface ReleaseRow {
  release_id: string;
  label: string;
  synthetic: boolean;
  kind: string;
  created_at: string;
  permalink: string;
}

export interface QualityRow {
  release_id: string;
  table: string;
  measure: string;
  count: number | null;
  withheld_cells: number;
  share: number | null;
  note: string;
}

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

export interface MetricQuery {
  place?: string;
  grain?: string;
  from?: string;
  to?: string;
  by?: string;
  release?: string;
  /** Follow-up window in days (the later-arrest and later-removal metrics). */
  follow_up_days?: string;
}

/** Path of a metric request, JSON or CSV, with parameters in a fixed order (one cache key per view). */
export function metricUrl(id: string, q: MetricQuery, format: 'json' | 'csv' = 'json'): string {
  const p = new URLSearchParams();
  for (const k of ['place', 'grain', 'from', 'to', 'by', 'release', 'follow_up_days'] as const) {
    const v = q[k];
    if (v) p.set(k, v);
  }
  const s = p.toString();
  return `/api/metrics/${encodeURIComponent(id)}.${format}${s ? `?${s}` : ''}`;
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
