/**
 * Compare (`/compare?places=state:MA,state:TX`): two to four places side by side on the same metrics
 * and period: headline table, detainers per period on one shared scale, outcome shares.
 * API: /api/metrics/{detainers_issued,detainer_outcomes,later_arrests_after_non_transfer}.json per place,
 * /api/policies/<place>.json per place, /api/places.json (the place picker).
 */
import { apiWindow, followUpWindowsOf, getJson, getMetric, metricUrl, type Envelope, type MetricRow, type PlaceRow, type PolicyEntryRow } from '../api.ts';
import { chartFrame, type Column } from '../chart.ts';
import { countText, fmtShare, h, label, OUTCOMES } from '../format.ts';
import { placeLabel, placePath, STATES } from '../geo.ts';
import { navigate } from '../router.ts';
import { block, dataRange, filterForm, show } from '../page.ts';
import { drawSeries, marksList, metricColumns, policyMarks, partialNote } from '../series.ts';
import { filters, query, withQuery } from '../state.ts';

const PLACE_RE = /^(nation|state:[A-Z]{2}|county:\d{5}|facility:[A-Za-z0-9_-]+)$/;

export function comparePlaces(): string[] {
  const raw = (query().get('places') ?? '').split(',').map((s) => s.trim()).filter((s) => PLACE_RE.test(s));
  return [...new Set(raw)].slice(0, 4);
}

function picker(places: string[], options: PlaceRow[]): HTMLElement {
  const sel = h('select', { id: 'add-place', name: 'add' }, h('option', { value: '' }, 'Choose a place…'), STATES.map(([p]) => `state:${p}`).concat(options.filter((o) => o.level === 'county' && o.county_fips).map((o) => o.place)).filter((p) => !places.includes(p)).map((p) => h('option', { value: p }, placeLabel(p))));
  const form = h('form', { class: 'filters', 'aria-label': 'Places to compare' }, h('div', { class: 'field' }, h('label', { for: 'add-place' }, 'Add a place (up to four)'), sel), h('div', { class: 'field buttons' }, h('button', { type: 'submit', disabled: places.length >= 4 }, 'Add')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (sel.value) navigate(withQuery({ places: [...places, sel.value].join(',') }));
  });
  const chips = h('ul', { class: 'chips', 'aria-label': 'Places compared' }, places.map((p) => {
    const rm = h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${placeLabel(p)}` }, '×');
    rm.addEventListener('click', () => navigate(withQuery({ places: places.filter((x) => x !== p).join(',') || null })));
    return h('li', { class: 'chip' }, h('a', { href: placePath(p) }, placeLabel(p)), rm);
  }));
  return h('div', {}, chips, form);
}

export async function renderCompare(signal: AbortSignal): Promise<void> {
  const places = comparePlaces();
  const f = filters();
  const w = apiWindow(f.from, f.to);
  const [range, placesEnv] = await Promise.all([dataRange().catch(() => null), getJson<PlaceRow>('/api/places.json').catch(() => null)]);
  const intro = [h('h1', {}, 'Compare places'), h('p', { class: 'lede' }, 'Two to four places on the same metrics and period. Series share one vertical scale.'), picker(places, placesEnv?.rows ?? []), filterForm(range)];
  if (places.length < 2) {
    show(signal, 'Compare', ...intro, h('p', {}, 'Choose at least two places, for example ', h('a', { href: '/compare?places=state:MA,state:TX' }, 'Massachusetts and Texas'), '.'));
    return;
  }
  const windows = await followUpWindowsOf('later_arrests_after_non_transfer');
  const per = await Promise.all(
    places.map(async (p) => {
      const [total, outcomes, later, series, pol] = await Promise.all([
        getMetric('detainers_issued', { place: p, grain: 'total', ...w }),
        getMetric('detainer_outcomes', { place: p, grain: 'total', by: 'outcome', ...w }),
        getMetric('later_arrests_after_non_transfer', { place: p, grain: 'total', by: 'total', ...w }),
        getMetric('detainers_issued', { place: p, grain: f.grain, by: 'total', ...w }),
        p === 'nation' ? Promise.resolve(null) : getJson<PolicyEntryRow>(`/api/policies/${p}.json`).catch(() => null),
      ]);
      // Later arrests after a declined detainer within each window the API gives, all over the prepare
      // dates the longest window counts (so they are of the same detainers).
      const long = await getMetric('later_arrests_after_non_transfer', { place: p, grain: 'total', by: 'outcome', ...w });
      const span = long.rows.find((r) => typeof r.counted_to === 'string');
      const within = span
        ? await Promise.all(windows.map((d) => getMetric('later_arrests_after_non_transfer', { place: p, grain: 'total', by: 'outcome', from: String(span.counted_from), to: String(span.counted_to), follow_up_days: d })))
        : [];
      return { p, total, outcomes, later, series, pol, within };
    }),
  );
  const headRows: Record<string, unknown>[] = [];
  for (const x of per) {
    const t = x.total.rows[0];
    const push = (measure: string, r: MetricRow | undefined, share = false) => headRows.push({ place: x.p, name: placeLabel(x.p), measure, count: r?.count ?? null, display: r ? countText(r) : '—', share: share ? (r?.share ?? null) : null });
    push('Detainers issued', t);
    for (const o of OUTCOMES) push(label(o), x.outcomes.rows.find((r) => r.value === o), true);
    push('Later ICE arrest after a non-transfer outcome', x.later.rows[0], true);
    windows.forEach((d, i) => push(`Declined, then an ICE arrest within ${d} days`, x.within[i]?.rows.find((r) => r.value === 'declined'), true));
  }
  const headCols: Column[] = [
    { key: 'name', label: 'Place' },
    { key: 'measure', label: 'Measure' },
    { key: 'count', label: 'Count', numeric: true, text: (r) => String(r.display) },
    { key: 'share', label: 'Share', numeric: true, text: (r) => fmtShare(r.share as number | null) },
  ];
  const measures = [...new Set(headRows.map((r) => String(r.measure)))];
  const wide = h('div', { class: 'table-scroll' }, h('table', { class: 'compare' }, h('caption', {}, 'Headline figures side by side'), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Measure'), per.map((x) => h('th', { scope: 'col', class: 'num' }, placeLabel(x.p))))), h('tbody', {}, measures.map((m) => h('tr', {}, h('th', { scope: 'row' }, m), per.map((x) => {
    const r = headRows.find((y) => y.place === x.p && y.measure === m)!;
    return h('td', { class: 'num' }, `${String(r.display)}${r.share !== null && r.share !== undefined ? ` (${fmtShare(r.share as number)})` : ''}`);
  }))))));
  const headline = chartFrame({
    id: 'compare-headline',
    title: 'Headline figures',
    subtitle: `Detainers issued in the period, their outcomes (count and share of published detainers) and later ICE arrests after a non-transfer outcome (share of linked non-transfer detainers). The rows "declined, then an ICE arrest within ${windows.join(' / ')} days" count the declined detainers prepared early enough for ${windows.at(-1)} days to pass before the release ends ("—" where none has), as a share of those with a person identifier.`,
    definitionUrl: '/methodology',
    metas: per.map((x) => x.total.meta),
    columns: headCols,
    rows: headRows,
    draw: () => wide,
  });
  const yMax = Math.max(1, ...per.flatMap((x) => x.series.rows.map((r) => r.count ?? r.count_low ?? 0)));
  const seriesCharts = await Promise.all(per.map((x, i) => block(async () => {
    const env = x.series as Envelope<MetricRow>;
    const marks = policyMarks(x.pol?.rows ?? []);
    return chartFrame({
      id: `compare-series-${i + 1}`,
      headingLevel: 3,
      title: `Detainers issued, ${placeLabel(x.p)}`,
      subtitle: `Detainers prepared per ${f.grain.replace('_', ' ')}; same scale for every place. Dashed rules mark policy changes.`,
      definitionUrl: '/methodology#detainers_issued',
      metas: [env.meta],
      columns: metricColumns(),
      rows: env.rows,
      apiCsv: metricUrl('detainers_issued', { place: x.p, grain: f.grain, by: 'total', ...w }, 'csv'),
      draw: (width) => drawSeries({ rows: env.rows, partial: env.meta.partial_periods, order: ['total'], marks, width, yLabel: 'Detainers', yMax, height: 220 }),
      extra: [partialNote(env.meta.partial_periods), marksList(marks, env.rows)],
    });
  })));
  show(signal, `Compare ${places.map((p) => placeLabel(p)).join(', ')}`, ...intro, headline, h('div', { class: 'grid' }, ...seriesCharts));
}
