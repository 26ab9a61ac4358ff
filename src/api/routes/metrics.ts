/** /api/metrics.json (definitions) and /api/metrics/<name>.json|.csv (figures). */
import { Hono } from 'hono';
import type { MetricInfo } from '../../contract/index.ts';
import { METRIC_PARAMS, METRICS, runMetric, type MetricsService } from '../../metrics/index.ts';
import { AnswerCache } from '../answer-cache.ts';
import { checkParams, splitName, withService, type ApiDeps } from '../context.ts';
import { metaOf, renderRows, sendRows } from '../envelope.ts';
import { buildFileName, contentDisposition } from '../file-name.ts';

/**
 * Answers already rendered, per service (a reloaded database gets a new service, so a new cache). A
 * JSON body is kept in two parts around the value of `meta.generated_at`, so a hit says when it was
 * sent, not when it was first rendered.
 */
const rendered = new WeakMap<MetricsService, AnswerCache<{ head: string; tail: string | null; type: string; fileName: string }>>();
/**
 * Up to 20,000 answers and 128 Mi characters per database. Every metric × breakdown × grain × format
 * for 25 places of the demo database is 7,500 answers, 124 MB; the server holds ~0.9 GB without them.
 */
const CACHE_ENTRIES = 20_000;
const CACHE_CHARS = 128 * 1024 * 1024;

/** Splits a rendered body around its `generated_at` value; a body without it (CSV) is all head. */
export function splitAtGeneratedAt(body: string, generatedAt: string): { head: string; tail: string } | null {
  const key = `"generated_at":${JSON.stringify(generatedAt)}`;
  const at = body.lastIndexOf(key);
  if (at < 0) return null;
  const start = at + '"generated_at":"'.length;
  return { head: body.slice(0, start), tail: body.slice(start + generatedAt.length) };
}

const textOf = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function metricsRoutes(deps: ApiDeps): Hono {
  const app = new Hono();

  app.get('/metrics.json', async (c) => {
    checkParams(c, []);
    return withService(deps, async (service) => {
      const rows = METRICS.map((m): MetricInfo => ({
        id: m.id,
        title: m.title,
        description: m.description,
        counts: m.counts,
        numerator: m.numerator,
        denominator: m.denominator,
        exclusions: m.exclusions,
        violence: m.violence,
        universe: m.universe,
        by: m.by,
        follow_up_days: m.followUpWindows ? [...m.followUpWindows] : null,
        columns: [...m.columns],
        json_url: `/api/metrics/${m.id}.json`,
        csv_url: `/api/metrics/${m.id}.csv`,
      }));
      return sendRows(c, 'json', rows, metaOf({ releases: service.releases, mode: deps.mode, now: deps.now }));
    });
  });

  app.get('/metrics/:file', async (c) => {
    const { name, format } = splitName(c.req.param('file'));
    const params = checkParams(c, METRIC_PARAMS);
    return withService(deps, async (service) => {
      let cache = rendered.get(service);
      if (!cache) rendered.set(service, (cache = new AnswerCache(CACHE_ENTRIES, CACHE_CHARS)));
      const key = `${name}.${format}?${METRIC_PARAMS.map((p) => `${p}=${params[p] ?? ''}`).join('&')}`;
      const hit = cache.get(key);
      if (hit) {
        c.header('Content-Type', hit.type);
        c.header('Content-Disposition', contentDisposition(hit.fileName, format));
        return c.body(hit.tail === null ? hit.head : `${hit.head}${deps.now().toISOString()}${hit.tail}`);
      }
      const result = await runMetric(service, name, params);
      const meta = metaOf({
        metric: result.metric.id,
        definitionUrl: `/api/docs#${result.metric.id}`,
        releases: [result.release],
        mode: deps.mode,
        now: deps.now,
        extra: { fact_source: result.source, notes: result.notes, coverage: result.coverage, partial_periods: result.partial_periods },
      });
      const query = { place: result.place.unit, grain: result.grain, by: result.by, from: params.from ?? null, to: params.to ?? null, release: result.release.release_id };
      const permalink = `/api/metrics/${result.metric.id}.${format}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter(([, v]) => v !== null)) as Record<string, string> }).toString()}`;
      const { body, type } = renderRows(format, result.rows, { ...meta, permalink }, { columns: result.columns, query, quality: result.quality, redactions: result.redactions }, result.columns);
      // Named for what it holds: the period range asked for, else the first and last periods answered.
      const fileName = buildFileName({ subject: result.metric.id, place: result.place.unit, grain: result.grain, by: result.by === result.metric.by[0] ? null : result.by, from: params.from ?? textOf(result.rows[0]?.period_start), to: params.to ?? textOf(result.rows.at(-1)?.period_end), release: result.release.release_id, format });
      const parts = format === 'json' ? splitAtGeneratedAt(body, meta.generated_at) : null;
      if (format === 'csv' || parts) cache.set(key, { head: parts?.head ?? body, tail: parts ? parts.tail : null, type, fileName }, body.length);
      c.header('Content-Type', type);
      c.header('Content-Disposition', contentDisposition(fileName, format));
      return c.body(body);
    });
  });

  return app;
}
