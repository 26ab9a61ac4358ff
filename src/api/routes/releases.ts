/** /api/releases.json|.csv: the releases loaded, with the synthetic flag and the address of each one's codebook. */
import { Hono } from 'hono';
import type { ReleaseRow } from '../../contract/index.ts';
import { checkParams, splitName, withService, type ApiDeps } from '../context.ts';
import { metaOf, sendRows } from '../envelope.ts';

const COLUMNS: readonly (keyof ReleaseRow)[] = ['release_id', 'label', 'synthetic', 'kind', 'created_at', 'permalink', 'codebook'];

export function releasesRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get('/:file{releases\\.(json|csv)}', async (c) => {
    const { format } = splitName(c.req.param('file'));
    checkParams(c, []);
    return withService(deps, async (service) => {
      const rows = service.releases.map((r): ReleaseRow => ({ release_id: r.release_id, label: r.label, synthetic: r.synthetic, kind: r.kind, created_at: r.created_at, permalink: `/api/metrics/detainers_issued.json?release=${encodeURIComponent(r.release_id)}`, codebook: `/api/releases/${encodeURIComponent(r.release_id)}/codebook.json` }));
      return sendRows(c, format, rows, metaOf({ releases: service.releases, mode: deps.mode, now: deps.now }), {}, COLUMNS);
    });
  });
  return app;
}
