/**
 * /api/places.json|.csv: units with published data; in public mode only those with a published total ≥ 11.
 * `name` is a reader's name (src/metrics/place.ts placeName); `label` is the cube's own label.
 */
import { Hono } from 'hono';
import type { PlaceRow } from '../../contract/index.ts';
import { placeName, type Cube } from '../../metrics/index.ts';
import { checkParams, splitName, withService, type ApiDeps } from '../context.ts';
import { metaOf, sendRows } from '../envelope.ts';

const COLUMNS: readonly (keyof PlaceRow)[] = ['place', 'level', 'name', 'label', 'state', 'county_fips', 'aor', 'detainers', 'arrests'];

function totals(cube: Cube | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!cube) return out;
  for (const g of cube.groupList) {
    if (g.period === 'total' && g.pub[0]) out.set(g.unit, g.counts[0]!);
  }
  return out;
}

export function placesRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get('/:file{places\\.(json|csv)}', async (c) => {
    const { format } = splitName(c.req.param('file'));
    const params = checkParams(c, ['release']);
    return withService(deps, async (service) => {
      const det = service.releases.length && (params.release || service.defaultRelease('detainers')) ? service.resolveRelease('detainers', params.release) : undefined;
      const arr = service.defaultRelease('arrests') || params.release ? service.resolveRelease('arrests', params.release) : undefined;
      const dc = det && Number(det.detainers) > 0 ? (await service.cube(det.release_id, 'detainers')).cube : undefined;
      const ac = arr && Number(arr.arrests) > 0 ? (await service.cube(arr.release_id, 'arrests')).cube : undefined;
      const dt = totals(dc);
      const at = totals(ac);
      const min = deps.mode === 'public' ? 11 : 1;
      const rows: PlaceRow[] = [];
      const seen = new Set<string>();
      for (const cube of [dc, ac]) {
        if (!cube) continue;
        for (const u of cube.units.values()) {
          if (seen.has(u.key)) continue;
          const d = dt.get(u.key) ?? 0;
          const a = at.get(u.key) ?? 0;
          if (d < min && a < min) continue;
          seen.add(u.key);
          rows.push({ place: u.key, level: u.level, name: placeName(u.key, u.label), label: u.label, state: u.state, county_fips: u.county, aor: u.aor, detainers: d >= min ? d : null, arrests: a >= min ? a : null });
        }
      }
      const order = ['nation', 'state', 'aor', 'county', 'facility'];
      rows.sort((x, y) => order.indexOf(x.level) - order.indexOf(y.level) || x.place.localeCompare(y.place));
      const releases = [det, arr].filter((r, i, all): r is NonNullable<typeof r> => !!r && all.findIndex((x) => x?.release_id === r.release_id) === i);
      const meta = metaOf({ releases, mode: deps.mode, now: deps.now, extra: { notes: ['Counts are each place\'s whole-release cell, counted from the records (detainers by facility place, arrests by apprehension place); a place whose total is withheld is not listed.'] } });
      return sendRows(c, format, rows, meta, {}, COLUMNS);
    });
  });
  return app;
}
