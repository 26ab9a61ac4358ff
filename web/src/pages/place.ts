/**
 * State (`/state/MA`) and county (`/county/25025`) pages: headline figures, a yearly table (place-table.ts), detainers by outcome per
 * period with policy changes marked, outcomes by the policy in force (states), offense categories, later ICE arrests, ICE arrests by
 * setting × criminality and community arrests by the latest earlier detainer (states), removals after a detainer, facilities, the policy
 * timeline with citations, 287(g) agreements.
 * API: /api/metrics/{detainers_issued,detainer_outcomes,detainer_outcomes_by_regime,offense_categories_by_outcome,
 * later_arrests_after_non_transfer,ice_arrests_by_setting_and_criminality,community_arrests_by_prior_detainer,removals_after_detainer}.json?place=…, /api/policies/<place>.json (+ ?at=),
 * /api/places.json, /api/agreements-287g.json?place=…
 */
import { apiWindow, getJson, getMetric, metricUrl, type MetricRow, type PlaceRow, type PolicyAt, type PolicyEntryRow } from '../api.ts';
import { chartFrame } from '../chart.ts';
import { countText, fmtShare, h, label, OUTCOMES, regimeLabel, termLink } from '../format.ts';
import { isStatePostal, placeLabel, stateName, statePostalOfFips } from '../geo.ts';
import { drawMap, loadCounties } from '../map.ts';
import { block, dataRange, filterForm, show, stat, type Range } from '../page.ts';
import { drawBars, drawSeries, legend, marksList, metricColumns, policyMarks, partialNote } from '../series.ts';
import { filters } from '../state.ts';
import { agreementsBlock, arrestsBlock, facilitiesTable, followUpBlock, policyTimeline, qualityNote, regimeOutcomesBlock } from './place-parts.ts';
import { yearlyTable } from './place-table.ts';

export async function outcomesChart(place: string, name: string, entries: PolicyEntryRow[], id = 'outcomes'): Promise<HTMLElement> {
  const f = filters();
  const q = { place, grain: f.grain, by: 'outcome', ...apiWindow(f.from, f.to) };
  const env = await getMetric('detainer_outcomes', q);
  const marks = policyMarks(entries);
  const order = [...OUTCOMES];
  return chartFrame({
    id,
    title: [termLink('Detainers', 'detainer'), ' by ', termLink('outcome', 'outcome'), `, ${name}`],
    subtitle: 'Detainers prepared in each period for facilities in this place, by what the release shows became of them. Dashed rules mark policy changes (numbered; the list below links each to its citation).',
    definitionUrl: '/methodology#detainer_outcomes',
    metas: [env.meta],
    columns: metricColumns({ share: true, days: true }),
    rows: env.rows,
    apiCsv: metricUrl('detainer_outcomes', q, 'csv'),
    draw: (w) => drawSeries({ rows: env.rows, partial: env.meta.partial_periods, order, marks, width: w, yLabel: 'Detainers' }),
    extra: [legend(order, env.rows), partialNote(env.meta.partial_periods), marksList(marks, env.rows), qualityNote(env.quality)],
  });
}

async function headline(place: string, range: Range | null): Promise<HTMLElement> {
  const f = filters();
  const w = apiWindow(f.from, f.to);
  const [total, outcomes, later] = await Promise.all([
    getMetric('detainers_issued', { place, grain: 'total', ...w }),
    getMetric('detainer_outcomes', { place, grain: 'total', by: 'outcome', ...w }),
    getMetric('later_arrests_after_non_transfer', { place, grain: 'total', by: 'setting', ...w }),
  ]);
  const t = total.rows[0];
  const declined = outcomes.rows.find((r) => r.value === 'declined');
  const any = later.rows.find((r) => r.value === 'any_later_arrest');
  const at = f.to ? `${f.to}-01` : range ? `${range.last}-01` : new Date().toISOString().slice(0, 10);
  const pol = await getJson<unknown>(`/api/policies/${place}.json?at=${at}`).then((e) => e.policy as PolicyAt).catch(() => null);
  const period = t ? `${t.period_start} to ${t.period_end}` : 'no records in the period';
  return h(
    'section',
    { class: 'headline', 'aria-label': 'Headline figures' },
    h('div', { class: 'stats' },
      stat(termLink('Detainers issued', 'detainer'), t ? countText(t) : '—', period),
      stat(termLink('Declined by the jail or agency', 'declined'), declined ? (declined.count === null || declined.share === null || declined.share === undefined ? countText(declined) : fmtShare(declined.share)) : '—', declined ? `${countText(declined)} detainers` : undefined),
      stat(h('span', {}, 'Later ICE arrest after a non-transfer ', termLink('outcome', 'outcome')), any ? countText(any) : '—', any ? `${any.share !== null && any.share !== undefined ? `${fmtShare(any.share)} of linked non-transfer detainers; ` : ''}median ${any.median_days ?? '—'} days later` : undefined),
      stat(`Policy in force on ${at}`, pol ? regimeLabel(pol.regime) : '—', pol?.decided_by?.citation),
    ),
  );
}

async function offenseChart(place: string, name: string): Promise<HTMLElement> {
  const f = filters();
  const q = { place, grain: 'total', by: 'declined_or_open', ...apiWindow(f.from, f.to) };
  const env = await getMetric('offense_categories_by_outcome', q);
  const rows = env.rows.filter((r) => r.count !== 0);
  return chartFrame({
    id: 'offense',
    title: ['Offense categories of ', termLink('detainers', 'detainer'), ' ', termLink('declined', 'declined'), ' or left open, ', name],
    subtitle: 'Detainers prepared in the period whose outcome was “declined” (by the jail or agency) or is open or unknown, by the category of the most serious conviction recorded (blank, redacted or unmapped convictions are “unknown”).',
    definitionUrl: '/methodology#offense_categories_by_outcome',
    metas: [env.meta],
    columns: metricColumns({ share: true }),
    rows,
    apiCsv: metricUrl('offense_categories_by_outcome', q, 'csv'),
    draw: (w) => drawBars(rows, w, 'Detainers'),
  });
}

/** Removals of people apprehended here, by whether a detainer of theirs came first (same release). */
async function removalsChart(place: string, name: string): Promise<HTMLElement> {
  const f = filters();
  const q = { place, grain: 'total', by: 'detainer_link', ...apiWindow(f.from, f.to) };
  const env = await getMetric('removals_after_detainer', q);
  // The API says in words why nothing can be counted (no detainers to link to, no dated removals).
  const unavailable = env.rows.every((r) => r.status === 'not_available') ? (env.meta.notes ?? []).find((n) => n.startsWith('Not available')) ?? 'Not available in this release.' : null;
  return chartFrame({
    id: 'removals-after-detainer',
    title: ['Removals after a ', termLink('detainer', 'detainer'), `, ${name}`],
    subtitle: 'Removals of people apprehended in this place that departed in the period, by whether the same person had a detainer in this release prepared on or before the departure. Removals without a person identifier cannot be linked, so the share with a detainer lies between the first bar\'s share and that share plus the third\'s.',
    definitionUrl: '/methodology#removals_after_detainer',
    metas: [env.meta],
    columns: metricColumns({ share: true }),
    rows: env.rows,
    apiCsv: metricUrl('removals_after_detainer', q, 'csv'),
    draw: (w) => (unavailable !== null ? h('p', {}, unavailable) : drawBars(env.rows, w, 'Removals')),
  });
}

async function laterChart(place: string, name: string): Promise<HTMLElement> {
  const f = filters();
  const q = { place, grain: 'total', by: 'setting', ...apiWindow(f.from, f.to) };
  const env = await getMetric('later_arrests_after_non_transfer', q);
  return chartFrame({
    id: 'later-arrests',
    title: ['Later ICE arrests (', termLink('at large', 'at-large'), ' or ', termLink('custodial', 'custodial'), ') after a non-transfer ', termLink('outcome', 'outcome'), `, ${name}`],
    subtitle: 'Detainers that ended without a transfer to ICE (declined, lifted by ICE, released otherwise), by whether the same person was later arrested by ICE: at large (community) or in custody, with the days from the prepare date to that arrest (quartiles, given only over 11 or more intervals). Links use person identifiers within one release only.',
    definitionUrl: '/methodology#later_arrests_after_non_transfer',
    metas: [env.meta],
    columns: metricColumns({ share: true, days: true }),
    rows: env.rows,
    apiCsv: metricUrl('later_arrests_after_non_transfer', q, 'csv'),
    draw: (w) => drawBars(env.rows, w, 'Detainers'),
    extra: [
      h('ul', { class: 'days' }, env.rows.filter((r) => r.median_days !== null && r.median_days !== undefined).map((r: MetricRow) => h('li', {}, `${label(r.value)}: median ${r.median_days} days after the prepare date (middle half ${r.p25_days}–${r.p75_days} days; ${r.days_n ?? 'n withheld'} intervals)`))),
      qualityNote(env.quality),
    ],
  });
}

async function locator(fips: string): Promise<HTMLElement | null> {
  const topo = await loadCounties();
  const st = fips.slice(0, 2);
  const svg = drawMap(topo, 'counties', (id, n) => ({ id, name: n, href: `/county/${id}`, fill: id === fips ? '#1b6ca8' : '#e6e6e6', title: n, highlight: id === fips }), `Location of ${placeLabel(`county:${fips}`)} in its state`, { clipToState: st });
  return h('figure', { class: 'locator' }, svg, h('figcaption', { class: 'muted' }, 'Location in the state (highlighted).'));
}

export async function renderPlace(place: string, signal: AbortSignal): Promise<void> {
  const [kind, id = ''] = place.split(':') as [string, string];
  if (kind === 'state' && !isStatePostal(id)) {
    show(signal, 'Not found', h('h1', {}, 'No such state'), h('p', {}, `“${id}” is not a state postal code. `, h('a', { href: '/' }, 'Back to the nation')));
    return;
  }
  const postal = kind === 'state' ? id : (statePostalOfFips(id) ?? '');
  const locatorNode = kind === 'county' ? await block(() => locator(id)) : null; // also loads county names
  const name = placeLabel(place);
  const [range, polEnv, placesEnv] = await Promise.all([
    dataRange().catch(() => null),
    getJson<PolicyEntryRow>(`/api/policies/${place}.json`).catch(() => null),
    getJson<PlaceRow>('/api/places.json').catch(() => null),
  ]);
  const entries = polEnv?.rows ?? [];
  const facilities = (placesEnv?.rows ?? []).filter((p) => p.level === 'facility' && (kind === 'state' ? p.state === postal || statePostalOfFips(p.county_fips ?? '') === postal : p.county_fips === id));
  const until = range ? `${range.last}-28` : new Date().toISOString().slice(0, 10);
  const counties = kind === 'state' ? (placesEnv?.rows ?? []).filter((p) => p.level === 'county' && p.county_fips && statePostalOfFips(p.county_fips) === postal) : [];
  const [head, yearly, outcomes, byRegime, offense, later, followUp, arrests, removals, agreements] = await Promise.all([
    block(() => headline(place, range)),
    block(() => yearlyTable(place, name, kind === 'state' ? 'state' : 'county')),
    block(() => outcomesChart(place, name, entries)),
    kind === 'state' ? block(() => regimeOutcomesBlock(place)) : Promise.resolve(null),
    block(() => offenseChart(place, name)),
    block(() => laterChart(place, name)),
    kind === 'state' ? block(() => followUpBlock(place)) : Promise.resolve(null),
    kind === 'state' ? block(() => arrestsBlock(place)) : Promise.resolve(null),
    block(() => removalsChart(place, name)),
    block(() => agreementsBlock(place)),
  ]);
  show(
    signal,
    name,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '/' }, 'United States'), kind === 'county' ? [' › ', h('a', { href: `/state/${postal}` }, stateName(postal))] : null),
    h('h1', {}, name),
    filterForm(range),
    h('p', { class: 'actions' }, h('a', { class: 'action', href: `/compare?places=${place}` }, 'Compare with other places')),
    locatorNode,
    head,
    yearly,
    outcomes,
    byRegime,
    offense,
    later,
    followUp,
    arrests,
    removals,
    placesEnv ? facilitiesTable(facilities, placesEnv.meta) : null,
    counties.length ? h('section', { class: 'chart', id: 'counties' }, h('h2', {}, 'Counties with published figures'), h('ul', { class: 'place-list' }, counties.map((c) => h('li', {}, h('a', { href: `/county/${c.county_fips}` }, c.name || placeLabel(c.place)), `: ${c.detainers === null ? 'withheld' : c.detainers} detainers`)))) : null,
    polEnv ? policyTimeline(place, entries, polEnv.meta, until) : h('p', {}, 'The policy timeline could not be loaded.'),
    agreements,
  );
}
