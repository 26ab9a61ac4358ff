/**
 * /api/policy-changes/<entry>.json|.csv: the published figures of a place before and after a dated
 * policy entry, beside unchanged comparison places (src/metrics/before-after.ts). Parameters:
 * `before`, `after` (months, default 12), `compare` (comma-separated place keys; default: the states
 * whose jail regime is known and unchanged through both windows), `release`.
 * Computed once per database generation and parameters, then answered from memory.
 */
import { Hono } from 'hono';
import { HandoffError } from '../../core/errors.ts';
import { beforeAfter, MAX_MONTHS, type BeforeAfter } from '../../metrics/before-after.ts';
import type { MetricsService } from '../../metrics/index.ts';
import { AnswerCache } from '../answer-cache.ts';
import { checkParams, splitName, withService, type ApiDeps } from '../context.ts';
import { metaOf, sendRows } from '../envelope.ts';

export const POLICY_CHANGE_PARAMS = ['before', 'after', 'compare', 'release'] as const;

const computed = new WeakMap<MetricsService, AnswerCache<BeforeAfter>>();

function months(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,3}$/.test(value)) throw new HandoffError('bad_argument', `${name}="${value}" is not a whole number of months (1 to ${MAX_MONTHS})`);
  return Number(value);
}

/** One CSV/JSON row per measure: the place's figures, the comparison sums, the ratio and interval. */
function flatRows(r: BeforeAfter): Record<string, unknown>[] {
  return r.rows.map((m) => ({
    measure: m.measure,
    label: m.label,
    metric: m.metric,
    place: r.place,
    before_from: r.before?.from ?? null,
    before_to: r.before?.to ?? null,
    after_from: r.after?.from ?? null,
    after_to: r.after?.to ?? null,
    before_count: m.before.count,
    before_status: m.before.status,
    before_low: m.before.count_low,
    before_high: m.before.count_high,
    after_count: m.after.count,
    after_status: m.after.status,
    after_low: m.after.count_low,
    after_high: m.after.count_high,
    comparison_before: m.comparison_before,
    comparison_after: m.comparison_after,
    comparison_places_used: m.comparison_places_used,
    comparison_places: m.comparison_places.join(' '),
    ratio_of_ratios: m.ratio_of_ratios,
    interval_low: m.interval_low,
    interval_high: m.interval_high,
    note: m.note,
  }));
}

export function policyChangesRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get('/policy-changes/:file', async (c) => {
    const { name, format } = splitName(c.req.param('file'));
    const params = checkParams(c, POLICY_CHANGE_PARAMS);
    const options = {
      monthsBefore: months('before', params.before),
      monthsAfter: months('after', params.after),
      compare: params.compare?.split(',').map((s) => s.trim()).filter(Boolean),
      release: params.release,
    };
    return withService(deps, async (service) => {
      let cache = computed.get(service);
      if (!cache) computed.set(service, (cache = new AnswerCache(200, 200 * 20_000)));
      const key = `${name}?${POLICY_CHANGE_PARAMS.map((p) => `${p}=${params[p] ?? ''}`).join('&')}`;
      let result = cache.get(key);
      if (!result) {
        result = await beforeAfter(service, name, options);
        cache.set(key, result, JSON.stringify(result).length);
      }
      const release = service.release(result.release_id);
      const { rows: _rows, ...change } = result;
      const meta = metaOf({
        definitionUrl: '/api/docs',
        releases: release ? [release] : [],
        mode: deps.mode,
        now: deps.now,
        extra: { notes: [...(result.message ? [result.message] : []), ...result.caveats] },
      });
      return sendRows(c, format, flatRows(result), meta, { change });
    });
  });
  return app;
}
