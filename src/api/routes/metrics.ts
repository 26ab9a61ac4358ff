/** /api/metrics.json (definitions) and /api/metrics/<name>.json|.csv (figures). */
import { Hono } from 'hono';
import { METRIC_PARAMS, METRICS, runMetric, type MetricsService } from '../../metrics/index.ts';
import { checkParams, splitName, withService, type ApiDeps } from '../context.ts';
import { metaOf, sendRows } from '../envelope.ts';

/** Answers already rendered, per service (a reloaded database gets a new service, so a new cache). */
const rendered = new WeakMap<MetricsService, Map<string, { body: string; type: string }>>();
const CACHE_ENTRIES = 2000;

export function metricsRoutes(deps: ApiDeps): Hono {
  const app = new Hono();

  app.get('/metrics.json', async (c) => {
    checkParams(c, []);
    return withService(deps, async (service) => {
      const rows = METRICS.map((m) => ({
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
        columns: m.columns,
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
      if (!cache) rendered.set(service, (cache = new Map()));
      const key = `${name}.${format}?${METRIC_PARAMS.map((p) => `${p}=${params[p] ?? ''}`).join('&')}`;
      const hit = cache.get(key);
      if (hit) {
        c.header('Content-Type', hit.type);
        return c.body(hit.body);
      }
      const result = await runMetric(service, name, params);
      const meta = metaOf({
        metric: result.metric.id,
        definitionUrl: `/api/docs#${result.metric.id}`,
        releases: [result.release],
        mode: deps.mode,
        now: deps.now,
        extra: { fact_source: result.source, notes: result.notes },
      });
      const query = { place: result.place.unit, grain: result.grain, by: result.by, from: params.from ?? null, to: params.to ?? null, release: result.release.release_id };
      const permalink = `/api/metrics/${result.metric.id}.${format}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter(([, v]) => v !== null)) as Record<string, string> }).toString()}`;
      const res = sendRows(c, format, result.rows, { ...meta, permalink }, { columns: result.columns, query, quality: result.quality, redactions: result.redactions }, result.columns);
      const body = await res.clone().text();
      if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(key, { body, type: res.headers.get('content-type') ?? 'application/json' });
      return res;
    });
  });

  return app;
}
