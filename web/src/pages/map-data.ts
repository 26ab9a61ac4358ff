/** Per-place values for the map: one API request per place with published data (grain=total). */
import { apiWindow, getJson, getMetric, metricUrl, type Meta, type MetricRow, type PolicyAt } from '../api.ts';
import { fmtInt, fmtShare, regimeLabel } from '../format.ts';

export const MAP_METRICS = {
  detainers: { label: 'Detainers issued', metric: 'detainers_issued', by: 'total', value: 'total', kind: 'count', term: 'detainer' },
  declined_share: { label: 'Share of detainers declined', metric: 'detainer_outcomes', by: 'outcome', value: 'declined', kind: 'share', term: 'declined' },
  later_arrest_share: { label: 'Later ICE arrest after a non-transfer outcome (share)', metric: 'later_arrests_after_non_transfer', by: 'total', value: 'any_later_arrest', kind: 'share', term: 'outcome' },
  policy: { label: 'Detainer policy in force on a date', metric: 'policy', by: '', value: '', kind: 'policy', term: 'detainer' },
} as const;
export type MapMetric = keyof typeof MAP_METRICS;

export const MAP_SUBTITLES: Record<MapMetric, string> = {
  detainers: 'Number of ICE detainers prepared in the period for facilities in each place (by the detention facility named on the detainer).',
  declined_share: 'Detainers whose lifecycle outcome is “declined” (the jail or agency did not hold the person for ICE), as a share of all published detainers prepared in the period.',
  later_arrest_share: 'Among detainers that ended without a transfer to ICE and carry a person identifier, the share followed by an ICE arrest of the same person on or after the prepare date (same release only).',
  policy: 'The detainer policy in force on the chosen date, from the reviewed policy table: the entry that decides it (state, county or city) with its citation.',
};

export interface MapValue {
  place: string;
  value: number | null;
  display: string;
  withheld: boolean;
  /** The API's status of the figure: exact, at_least, withheld or not_available. */
  status?: string;
  count: number | null;
  denominator: number | null;
  regime?: string;
  decided_by?: string;
  citation?: string;
  request: string;
}

export interface MapData {
  values: Map<string, MapValue>;
  metas: Meta[];
}

export async function loadMapValues(metric: MapMetric, places: string[], window: { from?: string; to?: string }, at: string): Promise<MapData> {
  const def = MAP_METRICS[metric];
  const values = new Map<string, MapValue>();
  const metas: Meta[] = [];
  if (def.kind === 'policy') {
    await Promise.all(
      places.map(async (p) => {
        const url = `/api/policies/${p}.json?at=${encodeURIComponent(at)}`;
        const env = await getJson<unknown>(url);
        const pol = env.policy as PolicyAt;
        metas.push(env.meta);
        values.set(p, {
          place: p, value: null, display: regimeLabel(pol.regime), withheld: false, count: null, denominator: null,
          regime: pol.regime, decided_by: pol.decided_by?.entry_id ?? '', citation: pol.decided_by?.citation ?? '', request: url,
        });
      }),
    );
    return { values, metas };
  }
  const w = apiWindow(window.from, window.to);
  await Promise.all(
    places.map(async (p) => {
      const q = { place: p, grain: 'total', by: def.by, ...w };
      const env = await getMetric(def.metric, q);
      metas.push(env.meta);
      const r = env.rows.find((x: MetricRow) => x.value === def.value);
      if (!r) return;
      const isShare = def.kind === 'share';
      const withheld = isShare ? r.share === null || r.share === undefined : r.count === null;
      values.set(p, {
        place: p,
        value: isShare ? (r.share ?? null) : r.count,
        display: withheld ? (r.count === null ? r.display : 'not computed') : isShare ? fmtShare(r.share) : fmtInt(r.count),
        withheld: r.count === null && r.status !== 'not_available',
        ...(r.status ? { status: r.status } : {}),
        count: r.count,
        denominator: r.denominator ?? null,
        request: metricUrl(def.metric, q),
      });
    }),
  );
  return { values, metas: metas.slice(0, 1) };
}

export const RAMP = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];

/** Five equal bins from 0 to a rounded maximum. */
export function binsOf(max: number, share: boolean): number[] {
  if (share) {
    const top = Math.min(1, Math.ceil(max * 10) / 10 || 0.1);
    return [1, 2, 3, 4, 5].map((i) => (top * i) / 5);
  }
  const mag = 10 ** Math.floor(Math.log10(Math.max(1, max)));
  const top = Math.ceil(max / mag) * mag || 10;
  return [1, 2, 3, 4, 5].map((i) => Math.round((top * i) / 5));
}

export function colorOf(v: number, bins: number[]): string {
  const i = bins.findIndex((b) => v <= b);
  return RAMP[i === -1 ? RAMP.length - 1 : i]!;
}

export const REGIME_COLORS: Record<string, string> = {
  hold_required: '#08306b',
  no_local_limits: '#2c5d9c',
  holds_allowed: '#1b6ca8',
  holds_conditional: '#e8a33d',
  judicial_warrant_only: '#d9822b',
  no_holds: '#b5446e',
  unclear: '#bdbdbd',
  federal: '#6b6b6b',
  context: '#e0e0e0',
  none: '#f0f0f0',
  varies: '#cccccc',
};
