/** Parts shared by the state, county and facility pages: policy timeline, 287(g), quality, facilities. */
import { apiWindow, followUpWindowsOf, getJson, getMetric, listInWords, metricUrl, type Meta, type MetricRow, type PlaceRow, type PolicyEntryRow } from '../api.ts';
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
    rows: entries,
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
    const cell = (r: MetricRow | undefined): string => (!r ? '—' : countAndShare(r));
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
  const cell = (r: MetricRow | undefined): string => (!r ? '0' : countAndShare(r));
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

/** A row's count in words (or why there is none), with its share in brackets when it has one. */
export function countAndShare(r: MetricRow): string {
  return r.count === null ? countText(r) : `${fmtInt(r.count)}${r.share !== null && r.share !== undefined ? ` (${fmtShare(r.share)})` : ''}`;
}
const NON_TRANSFER = ['declined', 'lifted_by_ice', 'released_other'] as const;
const CURVE_COLORS: Record<string, string> = { declined: '#1b6ca8', lifted_by_ice: '#8a5a00', released_other: '#5b6b2f' };
/** Short line labels that fit beside the curve (the table and the aria-label use the full ones). */
const CURVE_LABELS: Record<string, string> = { declined: 'Declined', lifted_by_ice: 'Lifted by ICE', released_other: 'Released otherwise' };

/**
 * Later ICE arrests and removals within each follow-up window the API gives (90, 180 and 365 days of
 * the prepare date, read from /api/metrics.json), for detainers that
 * ended without a transfer (the nation and state pages; the API gives AORs too): one table each, outcomes down, windows across,
 * and the arrests as cumulative shares. All windows are asked over the prepare dates the longest
 * window counts (`counted_from`..`counted_to`), so each column is over the same detainers.
 * API: /api/metrics/later_{arrests,removals}_after_non_transfer.json?place=…&grain=total&follow_up_days=90|180|365
 */
export async function followUpBlock(place: string): Promise<HTMLElement> {
  const f = filters();
  const base = { place, grain: 'total', ...apiWindow(f.from, f.to) };
  const [windows, long] = await Promise.all([followUpWindowsOf('later_arrests_after_non_transfer'), getMetric('later_arrests_after_non_transfer', base)]);
  const longest = windows.at(-1) ?? '';
  const section = h('section', { class: 'chart', id: 'follow-up', 'aria-labelledby': 'follow-up-title' },
    h('h2', { id: 'follow-up-title' }, `Within ${listInWords(windows)} days: later ICE arrests and removals after a non-transfer `, termLink('outcome', 'outcome')),
    h('p', { class: 'subtitle' }, `Detainers that ended without a transfer to ICE, and the share of them whose person ICE arrested, or who departed in a removal, within ${listInWords(windows)} days of the prepare date (and before the person's next detainer). Each column counts the same detainers: those prepared early enough for the whole ${longest} days to have passed before the release ends. Days count from the prepare date; ICE's data give no jail release date.`));
  const counted = long.rows.find((r) => typeof r.counted_to === 'string');
  if (!counted || long.rows.every((r) => r.status === 'not_available')) {
    const notes = long.meta.notes ?? [];
    section.append(h('p', {}, notes.length ? notes.join(' ') : `Not available: no detainers in this period have had ${longest} days of follow-up before the release ends.`), sourceLine([long.meta]));
    return section;
  }
  const span = { from: String(counted.counted_from), to: String(counted.counted_to) };
  const q = (days: string) => ({ place, grain: 'total', from: span.from, to: span.to, follow_up_days: days });
  const convictionQ = (by: string) => ({ place, grain: 'total', from: span.from, to: span.to, by });
  // All eight requests at once: they depend only on the span.
  const [[arrests, removals], [ucr, broad]] = await Promise.all([
    Promise.all(['later_arrests_after_non_transfer', 'later_removals_after_non_transfer'].map((id) => Promise.all(windows.map((d) => getMetric(id, q(d)))))),
    Promise.all(['violent_ucr', 'violent_broad'].map((by) => getMetric('later_arrests_by_conviction', convictionQ(by)))),
  ]);
  const cell = (r: MetricRow | undefined): string => (!r ? '—' : countAndShare(r));
  const table = (caption: string, envs: Awaited<ReturnType<typeof getMetric>>[], kind: string) => h('div', { class: 'table-scroll' }, h('table', { 'data-kind': kind },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Outcome'), h('th', { scope: 'col', class: 'num' }, 'Detainers linked'), windows.map((d) => h('th', { scope: 'col', class: 'num' }, `Within ${d} days`)))),
    h('tbody', {}, NON_TRANSFER.map((o) => {
      const rows = envs.map((e) => e.rows.find((r) => r.value === o));
      const den = rows.find((r) => r?.denominator !== null && r?.denominator !== undefined)?.denominator;
      return h('tr', { 'data-outcome': o },
        h('th', { scope: 'row' }, label(o)),
        h('td', { class: 'num' }, den !== null && den !== undefined ? fmtInt(den) : 'withheld'),
        rows.map((r, i) => h('td', { class: 'num', 'data-window': windows[i] }, cell(r))));
    }))));
  const arrestTable = table(`Later ICE arrests (share of the outcome's detainers with a person identifier), detainers prepared ${span.from} to ${span.to}`, arrests, 'arrests');
  const removalTable = table(`Later removals (share of the outcome's detainers with a person identifier), detainers prepared ${span.from} to ${span.to}`, removals, 'removals');
  // Of those later arrested within 365 days: the detainer's most serious conviction, under each named violent set.
  const conv = (env: typeof ucr, o: string, v: string) => env!.rows.find((r) => r.outcome === o && r.value === v);
  const convictionTable = h('div', { class: 'table-scroll' }, h('table', { 'data-kind': 'convictions' },
    h('caption', {}, `People later arrested within 365 days, by the most serious conviction on their detainer, detainers prepared ${span.from} to ${span.to}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Outcome'), h('th', { scope: 'col', class: 'num' }, 'Later arrested'),
      h('th', { scope: 'col', class: 'num' }, 'Violent, UCR set'), h('th', { scope: 'col', class: 'num' }, 'Violent, broad set'), h('th', { scope: 'col', class: 'num' }, 'No categorized conviction'))),
    h('tbody', {}, [...NON_TRANSFER, 'declined_or_released_other'].map((o) => {
      const den = conv(ucr, o, 'violent_ucr')?.denominator;
      return h('tr', { 'data-outcome': o },
        h('th', { scope: 'row' }, label(o)),
        h('td', { class: 'num' }, den !== null && den !== undefined ? fmtInt(den) : 'withheld'),
        h('td', { class: 'num', 'data-value': 'violent_ucr' }, cell(conv(ucr, o, 'violent_ucr'))),
        h('td', { class: 'num', 'data-value': 'violent_broad' }, cell(conv(broad, o, 'violent_broad'))),
        h('td', { class: 'num', 'data-value': 'unknown' }, cell(conv(ucr, o, 'unknown'))));
    }))));
  section.append(
    cumulativeCurve(windows.map(Number), arrests.map((e) => e.rows)),
    arrestTable,
    convictionTable,
    h('p', { class: 'muted' }, 'Two named definitions of "violent", each with the offense categories it holds and its sources: ', h('a', { href: '/methodology#later_arrests_by_conviction' }, 'definitions'), '. The conviction is the one ICE recorded on the detainer; "no categorized conviction" is not "not violent".'),
    removalTable,
    sourceLine([...arrests, ...removals].map((e) => e.meta).slice(0, 1)),
    h('p', { class: 'actions' },
      windows.flatMap((d) => [h('a', { class: 'action', href: metricUrl('later_arrests_after_non_transfer', q(d), 'csv') }, `API CSV (arrests, ${d} days)`), ' ']),
      h('a', { class: 'action', href: '/methodology#later_arrests_after_non_transfer' }, 'Definition')),
  );
  return section;
}

/**
 * The share arrested within each window as a line per outcome, from 0 at the prepare date: a
 * cumulative curve read at three fixed days, not a day-by-day one (a day-by-day curve of a small
 * place would give away small counts). A withheld share leaves a gap.
 */
function cumulativeCurve(days: number[], byWindow: MetricRow[][]): HTMLElement {
  const span = days.at(-1) ?? 1;
  const inWords = listInWords(days.map(String));
  const W = 360;
  const H = 170;
  const pad = { l: 44, r: 120, t: 10, b: 30 };
  const shares = NON_TRANSFER.map((o) => byWindow.map((rows) => rows.find((r) => r.value === o)?.share ?? null));
  if (shares.flat().every((s) => s === null)) return h('p', { class: 'muted' }, 'No share within a window is published here (each is withheld or not available), so no curve is drawn.');
  const top = Math.max(0.05, ...shares.flat().filter((x): x is number => x !== null));
  const x = (d: number) => pad.l + (d / span) * (W - pad.l - pad.r);
  const y = (s: number) => H - pad.b - (s / top) * (H - pad.t - pad.b);
  const ns = 'http://www.w3.org/2000/svg';
  const el = (tag: string, attrs: Record<string, string>, text?: string) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'curve', 'aria-label': `Share later arrested by ICE within ${inWords} days: ${NON_TRANSFER.map((o, i) => `${label(o)} ${shares[i]!.map((s) => (s === null ? 'withheld' : fmtShare(s))).join(', ')}`).join('; ')}` });
  svg.append(el('line', { x1: String(pad.l), x2: String(W - pad.r), y1: String(H - pad.b), y2: String(H - pad.b), stroke: '#666' }));
  svg.append(el('line', { x1: String(pad.l), x2: String(pad.l), y1: String(pad.t), y2: String(H - pad.b), stroke: '#666' }));
  for (const d of [0, ...days]) svg.append(el('text', { x: String(x(d)), y: String(H - pad.b + 14), 'text-anchor': 'middle', 'font-size': '10' }, String(d)));
  svg.append(el('text', { x: String((pad.l + W - pad.r) / 2), y: String(H - 2), 'text-anchor': 'middle', 'font-size': '10' }, 'days after the prepare date'));
  for (const s of [0, top / 2, top]) svg.append(el('text', { x: String(pad.l - 4), y: String(y(s) + 3), 'text-anchor': 'end', 'font-size': '10' }, fmtShare(s)));
  NON_TRANSFER.forEach((o, i) => {
    const pts: [number, number | null][] = [[0, 0], ...days.map((d, j) => [d, shares[i]![j]!] as [number, number | null])];
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) svg.append(el('polyline', { points: run.join(' '), fill: 'none', stroke: CURVE_COLORS[o]!, 'stroke-width': '2' }));
      run = [];
    };
    for (const [d, s] of pts) {
      if (s === null) flush();
      else {
        run.push(`${x(d).toFixed(1)},${y(s).toFixed(1)}`);
        svg.append(el('circle', { cx: x(d).toFixed(1), cy: y(s).toFixed(1), r: '2.5', fill: CURVE_COLORS[o]! }));
      }
    }
    flush();
    const last = shares[i]!.at(-1);
    if (last !== null && last !== undefined) svg.append(el('text', { x: String(x(span) + 6), y: String(y(last) + 3), 'font-size': '10', fill: CURVE_COLORS[o]! }, CURVE_LABELS[o]!));
  });
  return h('figure', { class: 'curve-figure' }, svg as unknown as HTMLElement, h('figcaption', { class: 'muted' }, `Share later arrested by ICE within ${inWords} days of the prepare date (${days.length} fixed windows; a gap is a withheld share).`));
}
