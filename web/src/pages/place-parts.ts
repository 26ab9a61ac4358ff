/** Parts shared by the state, county and facility pages: policy timeline, 287(g), quality, facilities. */
import { apiWindow, getJson, getMetric, metricUrl, type Meta, type MetricRow, type PlaceRow, type PolicyEntryRow } from '../api.ts';
import { chartFrame, sourceLine, tableOf, type Column } from '../chart.ts';
import { countText, extLink, fmtInt, fmtShare, h, label, OUTCOMES, plainCodes, regimeLabel, termLink } from '../format.ts';
import { placePath, titleCase } from '../geo.ts';
import { drawTimeline } from '../series.ts';
import { filters } from '../state.ts';
import { REGIME_COLORS } from './map-data.ts';

/** The policy timeline of a place: a chart of entries over time and the full list with citations and sources. */
export function policyTimeline(place: string, entries: PolicyEntryRow[], meta: Meta, until: string): HTMLElement {
  const list = h(
    'ol',
    { class: 'policy-list' },
    entries.map((e) =>
      h(
        'li',
        { id: `policy-${e.entry_id}`, class: 'policy-entry' },
        h('p', { class: 'policy-head' }, h('strong', {}, e.start ? `${e.start}${e.start_precision !== 'day' ? ` (${e.start_precision})` : ''}` : 'Date unknown'), e.end ? ` to ${e.end}` : e.start ? ' onward' : '', ' · ', `${e.jurisdiction} (${e.level})`, ' · ', regimeLabel(e.honors_detainers), ` · release notification: ${label(String(e.release_notification)).toLowerCase()}`, ` · confidence: ${label(String(e.confidence)).toLowerCase()}`),
        h('p', { class: 'citation' }, h('cite', {}, e.citation)),
        e.start && e.start_precision === 'day' ? h('p', {}, h('a', { href: `/policy-change/${encodeURIComponent(e.entry_id)}`, 'aria-label': `Before and after this change: ${e.citation}` }, 'Before and after this change')) : null,
        h('p', { class: 'summary' }, e.summary),
        e.preempted_by ? h('p', { class: 'muted' }, `Preempted by ${e.preempted_by}.`) : null,
        e.sources.length ? h('p', { class: 'sources' }, 'Sources: ', ...e.sources.flatMap((s, i) => [i ? ', ' : '', extLink(s, new URL(s).hostname)])) : null,
      ),
    ),
  );
  const cols: Column[] = [
    { key: 'start', label: 'Effective' },
    { key: 'end', label: 'Ends' },
    { key: 'jurisdiction', label: 'Jurisdiction' },
    { key: 'level', label: 'Level' },
    { key: 'honors_detainers', label: 'Detainers', text: (r) => regimeLabel(String(r.honors_detainers)) },
    { key: 'citation', label: 'Citation' },
    { key: 'sources', label: 'Sources', text: (r) => (r.sources as string[]).join(' ') },
  ];
  if (!entries.length) {
    return h('section', { class: 'chart', id: 'policy' }, h('h2', {}, 'Policy timeline'), h('p', {}, `The reviewed policy table has no entry for ${place}.`), sourceLine([meta]));
  }
  return chartFrame({
    id: 'policy',
    title: 'Policy timeline',
    subtitle: 'Detainer policies that apply to this place over time (state, county and city entries), from the reviewed policy table, each with its citation and sources. Entries with no known date are listed but not drawn.',
    definitionUrl: '/methodology#policies',
    metas: [meta],
    columns: cols,
    rows: entries as unknown as Record<string, unknown>[],
    apiCsv: undefined,
    draw: (w) => drawTimeline(entries, w, until, REGIME_COLORS),
    extra: [list],
  });
}

export async function agreementsBlock(place: string): Promise<HTMLElement> {
  const env = await getJson<Record<string, unknown>>(`/api/agreements-287g.json?place=${encodeURIComponent(place)}`);
  const notes = (env.meta.notes as string[] | undefined) ?? [];
  const cols: Column[] = Object.keys(env.rows[0] ?? {}).map((k) => ({ key: k, label: label(k) }));
  return h(
    'section',
    { class: 'chart', id: 'agreements' },
    h('h2', {}, termLink('287(g) agreements', '287g')),
    h('p', { class: 'subtitle' }, 'Agencies listed in ICE’s 287(g) sheets (the latest snapshot loaded), which deputize local officers for some immigration functions, under the ', termLink('jail enforcement', '287g-jail'), ', ', termLink('task force', '287g-task-force'), ' or ', termLink('warrant service officer', '287g-wso'), ' model.'),
    env.rows.length ? h('div', { class: 'table-scroll' }, tableOf(cols, env.rows, '287(g) agreements')) : h('p', {}, `No 287(g) agreement rows for this place in the database.`),
    ...notes.map((n) => h('p', { class: 'muted' }, n)),
    env.meta.snapshot_date ? h('p', { class: 'muted' }, `Snapshot: ${String(env.meta.snapshot_date)}.`) : null,
    h('p', { class: 'actions' }, h('a', { class: 'action', href: `/api/agreements-287g.json?place=${encodeURIComponent(place)}` }, 'API JSON')),
  );
}

/** The data-quality figures the API returns with a metric, shown next to the figures they bound. */
export function qualityNote(quality: unknown): HTMLElement | null {
  const rows = (quality as (MetricRow & { measure: string; note: string })[] | undefined) ?? [];
  if (!rows.length) return null;
  return h(
    'div',
    { class: 'quality' },
    h('p', { class: 'quality-title' }, 'Data quality bounding these figures (same place and period):'),
    h('ul', {}, rows.map((q) => h('li', {}, h('strong', {}, label(q.measure)), `: ${countText(q)}`, q.share !== null && q.share !== undefined ? ` (${fmtShare(q.share)} of ${fmtInt(q.denominator ?? null)})` : '', ` — ${plainCodes(q.note)}`))),
  );
}

/** Sortable, filterable facilities table (totals over the whole release, from /api/places.json). */
export function facilitiesTable(facilities: PlaceRow[], meta: Meta): HTMLElement {
  let sortKey: keyof PlaceRow = 'detainers';
  let desc = true;
  let filter = '';
  const tbody = h('tbody', {});
  const cols: { key: keyof PlaceRow; label: string; numeric?: boolean }[] = [
    { key: 'label', label: 'Facility' },
    { key: 'county_fips', label: 'County' },
    { key: 'aor', label: 'ICE area' },
    { key: 'detainers', label: 'Detainers (whole release)', numeric: true },
  ];
  const headers = cols.map((c) => {
    const btn = h('button', { type: 'button', class: 'sort' }, c.label);
    const th = h('th', { scope: 'col', class: c.numeric ? 'num' : undefined, 'aria-sort': 'none' }, btn);
    btn.addEventListener('click', () => {
      if (sortKey === c.key) desc = !desc;
      else {
        sortKey = c.key;
        desc = !!c.numeric;
      }
      draw();
    });
    return { th, c };
  });
  const count = h('p', { class: 'muted', role: 'status' });
  const draw = () => {
    for (const { th, c } of headers) th.setAttribute('aria-sort', c.key === sortKey ? (desc ? 'descending' : 'ascending') : 'none');
    const rows = facilities
      .filter((f) => !filter || `${f.label} ${f.place} ${f.county_fips ?? ''}`.toLowerCase().includes(filter))
      .sort((a, b) => {
        const x = a[sortKey];
        const y = b[sortKey];
        const cmp = typeof x === 'number' || typeof y === 'number' ? (Number(x ?? -1) - Number(y ?? -1)) : String(x ?? '').localeCompare(String(y ?? ''));
        return desc ? -cmp : cmp;
      });
    tbody.replaceChildren(
      ...rows.map((f) =>
        h('tr', {}, h('td', {}, h('a', { href: `${placePath(f.place)}${location.search}` }, titleCase(f.label))), h('td', {}, f.county_fips ? h('a', { href: `/county/${f.county_fips}` }, f.county_fips) : '—'), h('td', {}, f.aor ?? '—'), h('td', { class: 'num' }, f.detainers === null ? 'withheld' : fmtInt(f.detainers))),
      ),
    );
    count.textContent = `${rows.length} of ${facilities.length} facilities shown.`;
  };
  const input = h('input', { type: 'search', id: 'facility-filter', placeholder: 'Name, code or county FIPS' });
  input.addEventListener('input', () => {
    filter = input.value.trim().toLowerCase();
    draw();
  });
  draw();
  return h(
    'section',
    { class: 'chart', id: 'facilities' },
    h('h2', {}, 'Facilities'),
    h('p', { class: 'subtitle' }, 'Detention facilities named on detainers in this place, with their published detainer totals over the whole release. Facilities with fewer than 11 detainers in the release are not listed (small-cell protection). Select a column heading to sort.'),
    facilities.length
      ? [h('div', { class: 'field' }, h('label', { for: 'facility-filter' }, 'Filter facilities'), input), count, h('div', { class: 'table-scroll' }, h('table', {}, h('caption', {}, 'Facilities'), h('thead', {}, h('tr', {}, headers.map((x) => x.th))), tbody))]
      : h('p', {}, 'No facility here has a published total (11 or more detainers in the release).'),
    sourceLine([meta]),
    h('p', { class: 'actions' }, h('a', { class: 'action', href: '/api/places.csv' }, 'API CSV (all places)')),
  );
}

/**
 * Outcomes of the place's detainers under each policy in force (on the prepare date, or on the lift
 * date): policies down, outcomes across, each cell the API's count and share of the policy's
 * detainers, withheld and "not available" in words. For the nation, states and AORs (the API
 * publishes this cross only there, and over whole years).
 * API: /api/metrics/detainer_outcomes_by_regime.json?place=…&grain=total&by=regime_at_prepare|regime_at_lift
 */
export async function regimeOutcomesBlock(place: string): Promise<HTMLElement> {
  const section = h('section', { class: 'chart', id: 'outcomes-by-regime', 'aria-labelledby': 'outcomes-by-regime-title' });
  const select = h('select', { id: 'regime-date' }, h('option', { value: 'regime_at_prepare' }, 'the day it was prepared'), h('option', { value: 'regime_at_lift' }, 'the day it was lifted'));
  const body = h('div', {});
  // The outcomes partition the policy's detainers, so the sum of their lower bounds bounds its total.
  const render = async (by: string): Promise<void> => {
    const f = filters();
    const q = { place, grain: 'total', by, ...apiWindow(f.from, f.to) };
    const env = await getMetric('detainer_outcomes_by_regime', q);
    const regimes = [...new Set(env.rows.map((r) => String(r.regime)))];
    const cell = (r: MetricRow | undefined): string => (!r ? '—' : r.count === null ? countText(r) : `${fmtInt(r.count)}${r.share !== null && r.share !== undefined ? ` (${fmtShare(r.share)})` : ''}`);
    const table = h('table', {},
      h('caption', {}, `Detainers by outcome under each policy in force on ${by === 'regime_at_lift' ? 'the lift date' : 'the prepare date'}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Policy in force'), h('th', { scope: 'col', class: 'num' }, 'Detainers'), OUTCOMES.map((o) => h('th', { scope: 'col', class: 'num' }, label(o))))),
      h('tbody', {}, regimes.map((g) => {
        const rows = env.rows.filter((r) => r.regime === g);
        const den = rows[0]?.denominator;
        return h('tr', { class: g === 'holds_allowed_or_required' ? 'pooled' : undefined },
          h('th', { scope: 'row' }, regimeLabel(g)),
          h('td', { class: 'num' }, den !== null && den !== undefined ? fmtInt(den) : rows.some((r) => r.status === 'not_available') ? 'not available' : `at least ${fmtInt(rows.reduce((n, r) => n + (r.count ?? r.count_low ?? 0), 0))}`),
          OUTCOMES.map((o) => h('td', { class: 'num' }, cell(rows.find((r) => r.value === o)))));
      })));
    body.replaceChildren(
      regimes.length ? h('div', { class: 'table-scroll' }, table) : h('p', {}, 'No detainers in this period.'),
      sourceLine([env.meta]),
      h('p', { class: 'actions' }, h('a', { class: 'action', href: metricUrl('detainer_outcomes_by_regime', q, 'csv') }, 'API CSV'), ' ', h('a', { class: 'action', href: '/methodology#detainer_outcomes_by_regime' }, 'Definition')),
    );
  };
  select.addEventListener('change', () => void render(select.value).catch((e: unknown) => body.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not load this table: ${(e as Error).message}`))));
  await render('regime_at_prepare');
  section.append(
    h('h2', { id: 'outcomes-by-regime-title' }, termLink('Outcomes', 'outcome'), ' by the policy in force'),
    h('p', { class: 'subtitle' }, 'Detainers prepared for facilities in this place over the period, by the detainer policy Handoff reads as in force at the facility\'s place, and what the records show became of them (share of that policy\'s detainers in brackets). "Holds allowed or required" pools the policies under which the jail may or must hold. Whole period only: finer cells would nearly all be withheld.'),
    h('div', { class: 'field field-inline' }, h('label', { for: 'regime-date' }, 'Policy in force on'), select),
    body,
  );
  return section;
}

const SETTING_ORDER = ['community', 'custodial', 'other', 'unknown'];
const CRIMINALITY_ORDER = ['convicted_criminal', 'pending_criminal_charges', 'other_immigration_violator', 'other', 'unknown'];
/** Rows of `community_arrests_by_prior_detainer` shown, in order (labels in format.ts). */
const PRIOR_SHOWN = ['latest_detainer_not_transferred', 'latest_detainer_declined', 'latest_detainer_transferred_to_ice', 'latest_detainer_ice_custody_unlinked', 'no_detainer_found'];

/**
 * Who ICE arrested in a place (states, AORs, the nation): arrests by setting × ICE's criminality,
 * and community arrests by what became of the person's latest earlier detainer. Whole period only.
 */
export async function arrestsBlock(place: string): Promise<HTMLElement> {
  const f = filters();
  const q = { place, grain: 'total', ...apiWindow(f.from, f.to) };
  const [cross, prior] = await Promise.all([
    getMetric('ice_arrests_by_setting_and_criminality', q),
    getMetric('community_arrests_by_prior_detainer', q),
  ]);
  const cell = (r: MetricRow | undefined): string => (!r ? '0' : r.count === null ? countText(r) : `${fmtInt(r.count)}${r.share !== null && r.share !== undefined ? ` (${fmtShare(r.share)})` : ''}`);
  const settings = SETTING_ORDER.filter((s) => cross.rows.some((r) => r.setting === s));
  const unavailable = cross.rows.length > 0 && cross.rows.every((r) => r.status === 'not_available');
  const table = h('table', {},
    h('caption', {}, 'ICE arrests by setting and criminality (share of the setting\'s arrests)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Setting'), h('th', { scope: 'col', class: 'num' }, 'Arrests'), CRIMINALITY_ORDER.map((c) => h('th', { scope: 'col', class: 'num' }, label(c))))),
    h('tbody', {}, settings.map((s) => {
      const rows = cross.rows.filter((r) => r.setting === s);
      const den = rows[0]?.denominator;
      return h('tr', { 'data-setting': s },
        h('th', { scope: 'row' }, label(s)),
        h('td', { class: 'num', 'data-value': 'all' }, den !== null && den !== undefined ? fmtInt(den) : `at least ${fmtInt(rows.reduce((n, r) => n + (r.count ?? r.count_low ?? 0), 0))}`),
        CRIMINALITY_ORDER.map((c) => h('td', { class: 'num', 'data-value': c }, cell(rows.find((r) => r.value === c)))));
    })));
  const priorRows = PRIOR_SHOWN.map((v) => prior.rows.find((r) => r.value === v)).filter((r): r is MetricRow => r !== undefined);
  const linked = prior.rows.find((r) => r.denominator !== null && r.denominator !== undefined)?.denominator;
  const unlinked = prior.rows.find((r) => r.value === 'no_identifier');
  const priorAvailable = prior.rows.some((r) => r.status !== 'not_available');
  return h('section', { class: 'chart', id: 'arrests-setting', 'aria-labelledby': 'arrests-setting-title' },
    h('h2', { id: 'arrests-setting-title' }, 'ICE arrests by ', termLink('setting', 'at-large'), ' and criminality'),
    h('p', { class: 'subtitle' }, 'ICE arrests made in this place over the period, by where the person was arrested (at large in the community, or taken from a jail or prison) and by the criminality ICE recorded for the person. "Other immigration violator" means ICE recorded neither a conviction nor a pending charge. Whole period only: finer cells would nearly all be withheld.'),
    unavailable ? h('p', {}, 'Not published for this place (the cross is published for the nation, states and areas of responsibility).') : settings.length ? h('div', { class: 'table-scroll' }, table) : h('p', {}, 'No ICE arrests in this period.'),
    priorAvailable
      ? h('div', {},
          h('h3', {}, 'Community arrests and the person\'s latest earlier detainer'),
          h('p', {}, `Of the community arrests of a person ICE's records identify (${linked !== null && linked !== undefined ? fmtInt(linked) : 'number withheld'}; another ${unlinked ? countText(unlinked) : '—'} cannot be linked), what became of that person's latest detainer in this release prepared on or before the arrest:`),
          h('ul', { class: 'prior-detainer' }, priorRows.map((r) => h('li', { 'data-value': r.value }, `${label(r.value)}: ${cell(r)}`))))
      : null,
    sourceLine([cross.meta, prior.meta]),
    h('p', { class: 'actions' },
      h('a', { class: 'action', href: metricUrl('ice_arrests_by_setting_and_criminality', q, 'csv') }, 'API CSV (setting × criminality)'), ' ',
      h('a', { class: 'action', href: metricUrl('community_arrests_by_prior_detainer', q, 'csv') }, 'API CSV (latest earlier detainer)'), ' ',
      h('a', { class: 'action', href: '/methodology#ice_arrests_by_setting_and_criminality' }, 'Definitions')),
  );
}
