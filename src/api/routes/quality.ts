/** /api/quality.json|.csv: the data-quality ledger per release. */
import { Hono } from 'hono';
import type { QualityRow } from '../../contract/index.ts';
import { qualityLedger } from '../../metrics/index.ts';
import { checkParams, splitName, withService, type ApiDeps } from '../context.ts';
import { metaOf, sendRows } from '../envelope.ts';

const COLUMNS: readonly (keyof QualityRow)[] = ['release_id', 'table', 'measure', 'count', 'withheld_cells', 'share', 'note'];

export function qualityRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get('/:file{quality\\.(json|csv)}', async (c) => {
    const { format } = splitName(c.req.param('file'));
    const params = checkParams(c, ['release']);
    return withService(deps, async (service) => {
      if (params.release) service.resolveRelease('detainers', params.release);
      // Computed once per database and release (the ledger is cached), under withService's time limit.
      const ledger = await qualityLedger(service, params.release);
      const releases = params.release ? service.releases.filter((r) => r.release_id === params.release) : service.releases;
      return sendRows<QualityRow>(c, format, ledger.rows, metaOf({ releases, mode: deps.mode, now: deps.now }), { redactions: ledger.redactions }, COLUMNS);
    });
  });
  return app;
}
