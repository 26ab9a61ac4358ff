/**
 * /api/claims.json (the reviewed claim files) and /api/claims/<id>.json (a claim evaluated on the
 * loaded data: its figures through the metrics service, its policy timelines and limits). The
 * evaluation lives in src/reports; this file only maps HTTP to it.
 */
import { Hono } from 'hono';
import { evaluateClaim, loadClaim, loadClaims } from '../../reports/index.ts';
import { checkParams, splitName, withService, type ApiDeps } from '../context.ts';
import { metaOf, sendRows } from '../envelope.ts';

/** Options of the claims routes (tests point them at another folder). */
export interface ClaimsRoutesOptions {
  claimsDir?: string;
}

/** The claims sub-app; mount with `api.route('/', claimsRoutes(deps))`. */
export function claimsRoutes(deps: ApiDeps, options: ClaimsRoutesOptions = {}): Hono {
  const app = new Hono();

  app.get('/claims.json', async (c) => {
    checkParams(c, []);
    return withService(deps, async () => {
      const claims = await loadClaims(options.claimsDir);
      const rows = claims.map((k) => ({
        id: k.id,
        title: k.title,
        words: k.words,
        speaker_name: k.speaker.name,
        speaker_role: k.speaker.role,
        speaker_organization: k.speaker.organization,
        said_on: k.said_on,
        place: k.where.place,
        source_status: k.source_status,
        query_count: k.queries.length,
        metrics: [...new Set(k.queries.map((q) => q.metric))],
        url: `/api/claims/${k.id}.json`,
      }));
      return sendRows(c, 'json', rows, metaOf({ releases: [], mode: deps.mode, now: deps.now, extra: { source: 'reference/claims (reviewed claim files)' } }));
    });
  });

  app.get('/claims/:file', async (c) => {
    const { name } = splitName(c.req.param('file'), ['json']);
    const params = checkParams(c, ['release']);
    return withService(deps, async (service) => {
      const claim = await loadClaim(name, options.claimsDir);
      const evaluated = await evaluateClaim(service, claim, { release: params.release });
      const rows = evaluated.queries.flatMap((q) => q.rows.map((r) => ({ query_id: q.id, metric: q.metric, api_url: q.api_url, ...r })));
      const releaseIds = new Set(evaluated.limits.releases.map((r) => r.release_id));
      const meta = metaOf({
        definitionUrl: '/api/docs',
        releases: service.releases.filter((r) => releaseIds.has(r.release_id)),
        mode: deps.mode,
        now: deps.now,
        extra: { claim_id: claim.id, source: `reference/claims/${claim.id}.yaml` },
      });
      return sendRows(c, 'json', rows, meta, { claim: evaluated });
    });
  });

  return app;
}
