/** /api/agreements-287g.json: agencies in ICE's 287(g) sheets (public records about agencies). */
import { Hono } from 'hono';
import { HandoffError } from '../../core/errors.ts';
import { isIsoDate, parsePlaceKey } from '../../policy/index.ts';
import { checkParams, withService, type ApiDeps } from '../context.ts';
import { metaOf, sendRows } from '../envelope.ts';

export function agreementsRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get('/agreements-287g.json', async (c) => {
    const params = checkParams(c, ['place', 'at']);
    return withService(deps, async (service) => {
      if (params.at !== undefined && !isIsoDate(params.at)) throw new HandoffError('bad_argument', `at="${params.at}" is not a date written YYYY-MM-DD`);
      const place = params.place ? parsePlaceKey(params.place).place : null;
      const all = service.agreements;
      const notes: string[] = [];
      if (all === null) notes.push('This database has no 287(g) table; ingest ICE\'s 287(g) sheets to fill it.');
      const rows = all ?? [];
      let snapshot: string | null = null;
      for (const r of rows) if ((params.at === undefined || r.snapshot_date <= params.at) && (snapshot === null || r.snapshot_date > snapshot)) snapshot = r.snapshot_date;
      if (all !== null && snapshot === null) notes.push('No 287(g) snapshot on or before the date asked for.');
      const out = rows.filter(
        (r) => r.snapshot_date === snapshot && (!place || (r.state_postal === place.state && (place.countyFips === undefined || r.county_fips === place.countyFips))),
      );
      const meta = metaOf({ releases: [], mode: deps.mode, now: deps.now, extra: { snapshot_date: snapshot, notes } });
      return sendRows(c, 'json', out as unknown as Record<string, unknown>[], meta);
    });
  });
  return app;
}
