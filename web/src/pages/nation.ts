/**
 * Nation (`/`): map of states (counties on toggle) coloured by a chosen metric or by the policy in
 * force on a date; the monthly national series by outcome; the releases loaded.
 * API: /api/places.json, /api/policies.json, /api/policies/<place>.json?at=, /api/metrics/<id>.json
 * (one per place, grain=total), /api/metrics/detainer_outcomes.json?place=nation, /api/releases.json.
 */
import { apiWindow, getJson, getMetric, metricUrl, type JurisdictionRow, type Meta, type PlaceRow, type ReleaseRow } from '../api.ts';
import { chartFrame, tableOf, type Column } from '../chart.ts';
import { h, label, OUTCOMES, REGIMES, termLink } from '../format.ts';
import { placeLabel, placePath, STATES, statePostalOfFips } from '../geo.ts';
import { drawMap, loadCounties, loadStates, swatchLegend, type Region } from '../map.ts';
import { block, dataRange, filterForm, show, type Range } from '../page.ts';
import { drawSeries, legend, metricColumns, partialNote } from '../series.ts';
import { filters, GRAIN_LABELS, query } from '../state.ts';
import { followUpBlock } from './place-parts.ts';
import { binsOf, colorOf, loadMapValues, MAP_METRICS, MAP_SUBTITLES, RAMP, REGIME_COLORS, type MapMetric, type MapValue } from './map-data.ts';

/** Fill of a place whose figure the release cannot give (not a count, not withheld). */
const NOT_AVAILABLE_FILL = '#d9d9d9';

function mapControls(metric: MapMetric, level: 'states' | 'counties', at: string): HTMLElement[] {
  return [
    h('div', { class: 'field' }, h('label', { for: 'f-metric' }, 'Map shows'), h('select', { id: 'f-metric', name: 'metric' }, (Object.keys(MAP_METRICS) as MapMetric[]).map((m) => h('option', { value: m, selected: m === metric }, MAP_METRICS[m].label)))),
    h('div', { class: 'field' }, h('label', { for: 'f-level' }, 'Map regions'), h('select', { id: 'f-level', name: 'level' }, h('option', { value: 'states', selected: level === 'states' }, 'States'), h('option', { value: 'counties', selected: level === 'counties' }, 'Counties'))),
    h('div', { class: 'field' }, h('label', { for: 'f-at' }, 'Policy date'), h('input', { type: 'date', id: 'f-at', name: 'at', value: at })),
  ];
}

async function mapBlock(range: Range | null, places: PlaceRow[], jurisdictions: JurisdictionRow[]): Promise<HTMLElement> {
  const q = query();
  const metric = (Object.keys(MAP_METRICS).includes(q.get('metric') ?? '') ? q.get('metric') : 'detainers') as MapMetric;
  const level = q.get('level') === 'counties' ? 'counties' : 'states';
  const f = filters();
  const at = /^\d{4}-\d{2}-\d{2}$/.test(q.get('at') ?? '') ? q.get('at')! : range ? `${range.last}-01` : new Date().toISOString().slice(0, 10);
  const def = MAP_METRICS[metric];
  const isPolicy = def.kind === 'policy';

  const dataPlaces = places.filter((p) => (level === 'states' ? p.level === 'state' && p.state && p.state !== 'unknown' && p.state.length === 2 : p.level === 'county' && p.county_fips)).map((p) => p.place);
  let requestPlaces = dataPlaces;
  if (isPolicy) {
    requestPlaces = level === 'states' ? STATES.map((s) => `state:${s[0]}`) : [...STATES.map((s) => `state:${s[0]}`), ...jurisdictions.filter((j) => j.level === 'county').map((j) => j.id)];
  }
  const [topo, data] = await Promise.all([level === 'counties' ? loadCounties() : loadStates(), loadMapValues(metric, requestPlaces, { ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}) }, at)]);
  const values = data.values;
  const nums = [...values.values()].map((v) => v.value).filter((v): v is number => v !== null);
  const bins = binsOf(Math.max(0, ...nums), def.kind === 'share');

  const valueOf = (id: string): MapValue | undefined => {
    if (level === 'states') return values.get(`state:${statePostalOfFips(id) ?? ''}`);
    const own = values.get(`county:${id}`);
    if (own || !isPolicy) return own;
    return values.get(`state:${statePostalOfFips(id) ?? ''}`);
  };
  const style = (id: string, name: string): Region => {
    const v = valueOf(id);
    const key = level === 'states' ? `state:${statePostalOfFips(id) ?? id}` : `county:${id}`;
    const href = placePath(key);
    if (isPolicy) {
      const regime = v?.regime ?? 'none';
      return { id, name, href, fill: REGIME_COLORS[regime] ?? '#ccc', title: `${name}: ${v?.display ?? REGIMES.none}${v?.citation ? ` — ${v.citation}` : ''}` };
    }
    if (!v) return { id, name, href, fill: '#fff', hatch: true, title: `${name}: no published figure (withheld, or no records)` };
    if (v.status === 'not_available') return { id, name, href, fill: NOT_AVAILABLE_FILL, title: `${name}: not available in this release` };
    if (v.value === null) return { id, name, href, fill: '#fff', hatch: true, title: `${name}: ${v.display} (withheld)` };
    return { id, name, href, fill: colorOf(v.value, bins), title: `${name}: ${v.display}` };
  };

  const legendItems = isPolicy
    ? Object.entries(REGIMES).filter(([k]) => k !== 'varies').map(([k, l]) => ({ fill: REGIME_COLORS[k]!, label: l }))
    : [
        ...RAMP.map((c, i) => ({ fill: c, label: `${i === 0 ? (def.kind === 'share' ? '0%' : '0') : def.kind === 'share' ? `${Math.round(bins[i - 1]! * 100)}%` : bins[i - 1]!.toLocaleString('en-US')}–${def.kind === 'share' ? `${Math.round(bins[i]! * 100)}%` : bins[i]!.toLocaleString('en-US')}` })),
        { fill: '', hatch: true, term: termLink('Withheld', 'withheld'), label: ': 1–10 records, a larger count withheld to protect a small one, or none' },
        ...([...values.values()].some((v) => v.status === 'not_available') ? [{ fill: NOT_AVAILABLE_FILL, term: termLink('Not available', 'not-available'), label: ': the release cannot give this figure' }] : []),
      ];

  const rows = [...values.values()]
    .map((v) => ({ place: v.place, name: placeLabel(v.place), value: v.value, display: v.display, withheld: v.withheld, count: v.count, denominator: v.denominator, ...(isPolicy ? { regime: v.regime, decided_by: v.decided_by, citation: v.citation } : {}), request: v.request }))
    .sort((a, b) => (isPolicy ? a.name.localeCompare(b.name) : (b.value ?? -1) - (a.value ?? -1) || a.name.localeCompare(b.name)));
  const columns: Column[] = [
    { key: 'place', label: 'Place' },
    { key: 'name', label: 'Name' },
    ...(isPolicy
      ? [{ key: 'regime', label: 'Policy in force', text: (r: Record<string, unknown>) => String(r.display) }, { key: 'citation', label: 'Deciding entry (citation)' }]
      : [
          { key: 'display', label: def.label },
          { key: 'count', label: 'Count', numeric: true, text: (r: Record<string, unknown>) => (r.count === null ? String(r.display) : String(r.count)) },
          { key: 'denominator', label: 'Denominator', numeric: true },
        ]),
    { key: 'request', label: 'API request' },
  ];

  // Companion list: every region with data is a link, reachable by keyboard.
  const companion = h(
    'div',
    { class: 'companion' },
    h('h3', { id: 'map-list-title' }, level === 'states' ? 'States in the map' : 'Counties in the map'),
    h(
      'ul',
      { class: 'place-list', 'aria-labelledby': 'map-list-title' },
      rows
        .filter((r) => !isPolicy || level === 'states' || r.place.startsWith('county:'))
        .map((r) => h('li', {}, h('a', { href: `${placePath(r.place)}${location.search}` }, r.name), ': ', h('span', { class: r.withheld ? 'withheld' : undefined }, r.display))),
    ),
    !isPolicy ? h('p', { class: 'muted' }, `Places not listed have no published whole-release total (withheld, or fewer than 11 records) or no records.`) : null,
  );

  const period = f.from || f.to ? `${f.from ?? range?.first ?? ''} to ${f.to ?? range?.last ?? ''}` : `the whole release${range ? ` (${range.first} to ${range.last})` : ''}`;
  return chartFrame({
    id: 'map',
    title: [termLink(def.label, def.term), isPolicy ? `: ${at}` : `, ${period}`],
    subtitle: MAP_SUBTITLES[metric],
    definitionUrl: isPolicy ? '/methodology#policies' : `/methodology#${def.metric}`,
    metas: data.metas,
    columns,
    rows,
    ...(rows.length === 1 && !isPolicy ? { apiCsv: rows[0]!.request.replace('.json', '.csv') } : {}),
    draw: () => drawMap(topo, level, style, `Map of ${level}: ${def.label}. The list below and the table give every value.`),
    extra: [swatchLegend(legendItems), companion],
  });
}

async function seriesBlock(range: Range | null): Promise<HTMLElement> {
  const f = filters();
  const q = { place: 'nation', grain: f.grain, by: 'outcome', ...apiWindow(f.from, f.to) };
  const env = await getMetric('detainer_outcomes', q);
  const order = [...OUTCOMES];
  void range;
  return chartFrame({
    id: 'national-outcomes',
    title: [termLink('Detainers', 'detainer'), ' by ', termLink('outcome', 'outcome'), `, United States, by ${GRAIN_LABELS[f.grain].toLowerCase()}`],
    subtitle: 'Detainers prepared in each period, by what the release shows became of them: transferred to ICE, in ICE custody with no linked arrest, declined, lifted by ICE, released otherwise, or open/unknown. Stacked bars; each colour is one outcome.',
    definitionUrl: '/methodology#detainer_outcomes',
    metas: [env.meta],
    columns: metricColumns({ share: true, days: true }),
    rows: env.rows,
    apiCsv: metricUrl('detainer_outcomes', q, 'csv'),
    draw: (w) => drawSeries({ rows: env.rows, partial: env.meta.partial_periods, order, marks: [], width: w, yLabel: 'Detainers' }),
    extra: [legend(order, env.rows), partialNote(env.meta.partial_periods)],
  });
}

async function releasesBlock(): Promise<HTMLElement> {
  const env = await getJson<ReleaseRow>('/api/releases.json');
  const cols: Column[] = [
    { key: 'label', label: 'Release' },
    { key: 'release_id', label: 'Id' },
    { key: 'synthetic', label: 'Synthetic?', text: (r) => (r.synthetic ? 'Yes — synthetic demo data, not ICE records' : 'No (ICE FOIA release)') },
    { key: 'kind', label: 'Kind', text: (r) => label(String(r.kind)) },
    { key: 'created_at', label: 'Loaded' },
  ];
  return h('section', { class: 'chart', id: 'releases', 'aria-labelledby': 'releases-title' }, h('h2', { id: 'releases-title' }, 'Releases loaded'), h('p', { class: 'subtitle' }, 'Each figure on this site names the release it comes from. ICE assigns person identifiers per release, so records are linked only within one release. ', h('a', { href: '/methodology#releases' }, 'Provenance')), h('div', { class: 'table-scroll' }, tableOf(cols, env.rows, 'Releases loaded')), h('p', { class: 'actions' }, h('a', { class: 'action', href: '/api/releases.csv' }, 'API CSV')));
}

export async function renderNation(signal: AbortSignal): Promise<void> {
  const [range, placesEnv, jurEnv] = await Promise.all([dataRange().catch(() => null), getJson<PlaceRow>('/api/places.json').catch(() => null), getJson<JurisdictionRow>('/api/policies.json').catch(() => null)]);
  const q = query();
  const metric = (Object.keys(MAP_METRICS).includes(q.get('metric') ?? '') ? q.get('metric') : 'detainers') as MapMetric;
  const level = q.get('level') === 'counties' ? 'counties' : 'states';
  const at = q.get('at') ?? (range ? `${range.last}-01` : '');
  const [map, series, followUp, releases] = await Promise.all([
    block(() => (placesEnv ? mapBlock(range, placesEnv.rows, jurEnv?.rows ?? []) : Promise.reject(new Error('/api/places.json did not load')))),
    block(() => seriesBlock(range)),
    block(() => followUpBlock('nation')),
    block(releasesBlock),
  ]);
  const metas: Meta[] = [range?.meta, placesEnv?.meta].filter((m): m is Meta => !!m);
  void metas;
  show(
    signal,
    'United States',
    h('h1', {}, 'ICE detainers and what followed them: United States'),
    h('p', { class: 'lede' }, 'Counts of ICE ', termLink('detainers', 'detainer'), ' from FOIA releases, what the records show happened next, and the detainer policies in force, with definitions and sources. Choose a metric, a period and a place; the address bar keeps the view as a permalink. ', h('a', { href: '/about' }, 'About the data and glossary'), '.'),
    filterForm(range, mapControls(metric, level, at)),
    map,
    series,
    followUp,
    releases,
    h('p', {}, 'See a state: ', ...STATES.slice(0, 0), h('a', { href: '/state/MA' }, 'Massachusetts'), ', ', h('a', { href: '/state/TX' }, 'Texas'), ', ', h('a', { href: '/state/CA' }, 'California'), ' — or pick any place from the map list. ', h('a', { href: '/compare?places=state:MA,state:TX' }, 'Compare places'), '.'),
  );
}
