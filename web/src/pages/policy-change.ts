/**
 * Before and after a dated policy change (`/policy-change/<entry-id>?before=12&after=12&compare=state:TX,state:CA`):
 * the entry (place, citation, date of effect, sources), the two windows, and per measure the place's
 * published figures before and after, the comparison places' sums, the ratio of ratios with its
 * interval and the API's note; or, when the release does not span the windows, the API's words and
 * no figures. Every figure is the API's, shown with the same words as elsewhere (exact, "at least N",
 * withheld, not available); nothing is computed here.
 * API: /api/policy-changes/<entry>.json (and .csv) with `before`, `after`, `compare`, `release`;
 * /api/policies/<place>.json (the entry's summary and sources).
 */
import { ApiError, getJson, type Envelope, type Meta, type PolicyEntryRow } from '../api.ts';
import { sourceLine } from '../chart.ts';
import { countText, extLink, fmtInt, h, plainCodes, regimeLabel, termLink } from '../format.ts';
import { placeLabel, placePath, STATES } from '../geo.ts';
import { navigate } from '../router.ts';
import { show } from '../page.ts';
import { query, withQuery } from '../state.ts';

/** The API's limit on months each side (src/metrics/before-after.ts MAX_MONTHS); it refuses more, in words. */
const MAX_MONTHS = 60;
const DEFAULT_MONTHS = 12;

interface Figure {
  count: number | null;
  status: string;
  count_low: number | null;
  count_high: number | null;
}

/** One row of /api/policy-changes/<entry>.json (the CSV has the same columns). */
interface ChangeRow {
  measure: string;
  label: string;
  metric: string;
  place: string;
  before_count: number | null;
  before_status: string;
  before_low: number | null;
  before_high: number | null;
  after_count: number | null;
  after_status: string;
  after_low: number | null;
  after_high: number | null;
  comparison_before: number | null;
  comparison_after: number | null;
  comparison_places_used: number;
  comparison_places: string;
  ratio_of_ratios: number | null;
  interval_low: number | null;
  interval_high: number | null;
  note: string | null;
}

interface Window {
  from: string;
  to: string;
  months: number;
}

/** The `change` object of the response (src/metrics/before-after.ts BeforeAfter, without its rows). */
interface Change {
  entry_id: string;
  citation: string;
  place: string;
  effective: string;
  effective_precision: 'day' | 'month';
  regime_before: string;
  regime_after: string;
  before: Window | null;
  after: Window | null;
  release_id: string;
  release_months: { from: string; to: string } | null;
  status: 'ok' | 'release_does_not_span' | 'no_place';
  message: string | null;
  comparison: { place: string; regime: string; used: boolean; why_not: string | null }[];
  comparison_basis: 'default' | 'given';
  caveats: string[];
}

/** Glossary entries of the measures (web/src/glossary.ts ids). */
const MEASURE_TERMS: Record<string, string> = {
  detainers: 'detainer',
  declined: 'declined',
  transferred_to_ice: 'transferred',
  released_other: 'outcome',
  lifted_by_ice: 'outcome',
  open_or_unknown: 'outcome',
};

const RATIO = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const fmtRatio = (n: number | null): string => (n === null ? '—' : RATIO.format(n));

interface Params {
  before: number;
  after: number;
  compare: string[];
  release: string | null;
}

function months(v: string | null): number {
  return v !== null && /^\d{1,3}$/.test(v) ? Number(v) : DEFAULT_MONTHS;
}

function params(): Params {
  const q = query();
  const compare = (q.get('compare') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return { before: months(q.get('before')), after: months(q.get('after')), compare: [...new Set(compare)], release: q.get('release') };
}

/** The API path of this page's request, JSON or CSV; the page shows the JSON of exactly this URL. */
export function policyChangeUrl(entryId: string, p: Params, format: 'json' | 'csv' = 'json'): string {
  const q = new URLSearchParams();
  q.set('before', String(p.before));
  q.set('after', String(p.after));
  if (p.compare.length) q.set('compare', p.compare.join(','));
  if (p.release) q.set('release', p.release);
  return `/api/policy-changes/${encodeURIComponent(entryId)}.${format}?${q.toString()}`;
}

/** A published figure in the dashboard's words: the exact count, else "at least N", "withheld" or "not available" (never a withheld number). */
function figureCell(f: Figure): HTMLTableCellElement {
  const text =
    f.status === 'exact' ? fmtInt(f.count) : f.status === 'at_least' ? `at least ${fmtInt(f.count_low ?? 0)}` : f.status === 'withheld' ? 'withheld' : f.status === 'not_available' ? 'not available' : f.status.replace(/_/g, ' ');
  const shown = countText({ count: f.status === 'exact' ? f.count : null, display: text });
  const term = f.status === 'at_least' ? 'at-least' : f.status === 'withheld' ? 'withheld' : f.status === 'not_available' ? 'not-available' : null;
  return h('td', { class: f.status === 'exact' ? 'num' : 'num withheld', 'data-status': f.status }, term ? termLink(shown, term) : shown);
}

const side = (r: ChangeRow, s: 'before' | 'after'): Figure => ({ count: r[`${s}_count`], status: r[`${s}_status`], count_low: r[`${s}_low`], count_high: r[`${s}_high`] });

function windowText(w: Window | null): string {
  return w ? `${w.from} to ${w.to} (${w.months} month${w.months === 1 ? '' : 's'})` : '—';
}

function controls(entryId: string, p: Params, place: string | null): HTMLFormElement {
  const num = (id: string, name: string, value: number) => h('input', { type: 'number', id, name, value: String(value), min: '1', max: String(MAX_MONTHS), step: '1', required: true, inputmode: 'numeric' });
  const beforeIn = num('pc-before', 'before', p.before);
  const afterIn = num('pc-after', 'after', p.after);
  const options = STATES.map(([postal]) => `state:${postal}`).filter((s) => s !== place);
  const compareSel = h('select', { id: 'pc-compare', name: 'compare', multiple: true, size: '6', 'aria-describedby': 'pc-compare-note' }, options.map((s) => h('option', { value: s, selected: p.compare.includes(s) }, placeLabel(s))));
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Months and comparison places' },
    h('div', { class: 'field' }, h('label', { for: 'pc-before' }, `Months before (1–${MAX_MONTHS})`), beforeIn),
    h('div', { class: 'field' }, h('label', { for: 'pc-after' }, `Months after (1–${MAX_MONTHS})`), afterIn),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'pc-compare' }, 'Comparison places'),
      compareSel,
      h('span', { class: 'field-note', id: 'pc-compare-note' }, 'None chosen: every state whose jail regime is known and unchanged through both windows. Hold Ctrl or ⌘ to choose several.'),
    ),
    h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, 'Apply'), h('a', { href: `/policy-change/${encodeURIComponent(entryId)}`, class: 'reset' }, 'Defaults (12 and 12, default places)')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const compare = [...compareSel.selectedOptions].map((o) => o.value).join(',');
    // Months are always written: the link keeps its meaning if the defaults ever change.
    navigate(withQuery({ before: beforeIn.value, after: afterIn.value, compare: compare || null }));
  });
  return form;
}

function entryBlock(change: Change, entry: PolicyEntryRow | undefined): HTMLElement {
  const place = change.place;
  const hasPage = /^(state|county):/.test(place);
  return h(
    'section',
    { class: 'pc-entry', 'aria-label': 'The policy entry' },
    h(
      'dl',
      { class: 'pc-facts' },
      h('dt', {}, 'Place'),
      h('dd', { id: 'pc-place' }, hasPage ? h('a', { href: placePath(place) }, placeLabel(place)) : (entry?.jurisdiction ?? place)),
      h('dt', {}, 'Took effect'),
      h('dd', { id: 'pc-effective' }, change.effective, change.effective_precision === 'month' ? ' (month only: the day is not known)' : ''),
      h('dt', {}, 'Citation'),
      h('dd', {}, h('cite', {}, change.citation)),
      h('dt', {}, 'Policy on detainers'),
      h('dd', {}, `Before: ${regime(change.regime_before)}. After: ${regime(change.regime_after)}.`),
      entry?.sources.length ? [h('dt', {}, 'Sources'), h('dd', {}, ...entry.sources.flatMap((s, i) => [i ? ', ' : '', extLink(s, hostOf(s))]))] : null,
    ),
    entry?.summary ? h('p', { class: 'summary' }, entry.summary) : null,
    hasPage ? h('p', {}, h('a', { href: `${placePath(place)}#policy-${change.entry_id}` }, `This entry in the policy timeline of ${placeLabel(place)}`)) : null,
  );
}

/** `no_data` is the API's word for a place no reviewed entry covers. */
const regime = (r: string): string => regimeLabel(r === 'no_data' ? null : r);

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function measuresTable(rows: ChangeRow[], change: Change): HTMLElement {
  const place = placeLabel(change.place);
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Measure'),
    h('th', { scope: 'col', class: 'num' }, `${place}, before`),
    h('th', { scope: 'col', class: 'num' }, `${place}, after`),
    h('th', { scope: 'col', class: 'num' }, 'Comparison places, before'),
    h('th', { scope: 'col', class: 'num' }, 'Comparison places, after'),
    h('th', { scope: 'col', class: 'num' }, 'Comparison places summed'),
    h('th', { scope: 'col', class: 'num' }, 'Ratio of ratios'),
    h('th', { scope: 'col', class: 'num' }, '95% interval'),
    h('th', { scope: 'col' }, 'Note'),
  );
  const body = rows.map((r) => {
    const term = MEASURE_TERMS[r.measure];
    return h(
      'tr',
      { 'data-measure': r.measure },
      h('th', { scope: 'row' }, term ? termLink(r.label, term) : r.label),
      figureCell(side(r, 'before')),
      figureCell(side(r, 'after')),
      h('td', { class: 'num', 'data-col': 'comparison_before' }, fmtInt(r.comparison_before)),
      h('td', { class: 'num', 'data-col': 'comparison_after' }, fmtInt(r.comparison_after)),
      h('td', { class: 'num', 'data-col': 'comparison_places_used' }, r.comparison_places_used ? h('span', { title: r.comparison_places.split(' ').map((p) => placeLabel(p)).join(', ') }, fmtInt(r.comparison_places_used)) : '0'),
      h('td', { class: 'num', 'data-col': 'ratio_of_ratios' }, fmtRatio(r.ratio_of_ratios)),
      h('td', { class: 'num', 'data-col': 'interval' }, r.interval_low === null || r.interval_high === null ? '—' : `${fmtRatio(r.interval_low)} to ${fmtRatio(r.interval_high)}`),
      h('td', { 'data-col': 'note' }, r.note ? plainCodes(r.note) : ''),
    );
  });
  return h('div', { class: 'table-scroll' }, h('table', { class: 'pc-table', id: 'pc-measures' }, h('caption', {}, `Published figures of ${place} before and after ${change.effective}, beside the comparison places`), h('thead', {}, head), h('tbody', {}, body)));
}

function comparisonList(change: Change, rows: ChangeRow[]): HTMLElement {
  const summedIn = (p: string) => rows.filter((r) => r.comparison_places.split(' ').includes(p)).map((r) => r.label);
  return h(
    'details',
    { class: 'pc-comparison', id: 'pc-comparison' },
    h('summary', {}, `Comparison places (${change.comparison.filter((c) => c.used).length} with a jail regime unchanged through both windows${change.comparison_basis === 'given' ? ', of those chosen' : ''})`),
    h('p', { class: 'muted' }, 'A place is summed for a measure only where its figures are exact on both sides; a withheld or “at least N” figure leaves it out of that measure.'),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        {},
        h('caption', {}, 'Comparison places'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Place'), h('th', { scope: 'col' }, 'Policy on detainers'), h('th', { scope: 'col' }, 'Used'), h('th', { scope: 'col' }, 'Summed for'))),
        h(
          'tbody',
          {},
          change.comparison.map((c) =>
            h('tr', {}, h('th', { scope: 'row' }, /^(state|county):/.test(c.place) ? h('a', { href: placePath(c.place) }, placeLabel(c.place)) : c.place), h('td', {}, regime(c.regime)), h('td', {}, c.used ? 'yes' : `no: ${c.why_not ?? ''}`), h('td', {}, summedIn(c.place).join('; ') || 'no measure')),
          ),
        ),
      ),
    ),
  );
}

function notFound(signal: AbortSignal, entryId: string, message: string): void {
  show(
    signal,
    'Policy entry not found',
    h('h1', {}, 'No such policy entry'),
    h('p', { role: 'alert' }, `The reviewed policy table has no entry “${entryId}”, so there is no before and after to show. (The API says: ${message}.)`),
    h('p', {}, 'Policy entries are listed in the policy timeline of each state and county page. ', h('a', { href: '/' }, 'Go to the national view'), '.'),
  );
}

export async function renderPolicyChange(entryId: string, signal: AbortSignal): Promise<void> {
  const p = params();
  const url = policyChangeUrl(entryId, p);
  const links = h('p', { class: 'actions' }, h('a', { class: 'action', href: url }, 'API JSON'), h('a', { class: 'action', href: policyChangeUrl(entryId, p, 'csv') }, 'API CSV'));
  let env: Envelope<ChangeRow>;
  try {
    env = await getJson<ChangeRow>(url);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return notFound(signal, entryId, e.message);
    const msg = e instanceof Error ? e.message : String(e);
    show(
      signal,
      'Before and after',
      h('h1', {}, 'Before and after a policy change'),
      h('div', { class: 'error', role: 'alert' }, h('p', {}, `No before-and-after comparison for “${entryId}”: ${msg}.`)),
      controls(entryId, p, null),
      links,
    );
    return;
  }
  const change = env.change as Change;
  const meta: Meta = env.meta;
  const timeline = /^(state|county):/.test(change.place) ? await getJson<PolicyEntryRow>(`/api/policies/${change.place}.json`).catch(() => null) : null;
  const entry = timeline?.rows.find((r) => r.entry_id === change.entry_id);
  const windows = h(
    'dl',
    { class: 'pc-facts', id: 'pc-windows' },
    h('dt', {}, change.status === 'ok' ? 'Before' : 'Needed before'),
    h('dd', { id: 'pc-window-before' }, windowText(change.before)),
    h('dt', {}, change.status === 'ok' ? 'After' : 'Needed after'),
    h('dd', { id: 'pc-window-after' }, windowText(change.after)),
    h('dt', {}, 'Release'),
    h('dd', {}, `${meta.releases.find((r) => r.release_id === change.release_id)?.label ?? change.release_id} (${change.release_id})`, change.release_months ? `, covering ${change.release_months.from} to ${change.release_months.to}` : ''),
  );
  const answer =
    change.status === 'ok'
      ? [
          h('p', { class: 'subtitle' }, 'Detainers prepared in each window for facilities in the place, by ', termLink('outcome', 'outcome'), '. The ratio of ratios is (after ÷ before at the place) ÷ (after ÷ before in the comparison places); 1 means the same change as theirs. It is computed only from exact figures, and the interval says how much of it chance alone could produce.'),
          measuresTable(env.rows, change),
          comparisonList(change, env.rows),
        ]
      : [h('div', { class: 'notice', role: 'status', id: 'pc-message' }, h('p', {}, h('strong', {}, change.status === 'release_does_not_span' ? 'The release does not span these windows. ' : 'No figures for this place. '), change.message ? `${change.message.replace(/^./, (c) => c.toUpperCase())}` : ''))];
  show(
    signal,
    `Before and after ${change.citation}`,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '/' }, 'United States'), /^(state|county):/.test(change.place) ? [' › ', h('a', { href: placePath(change.place) }, placeLabel(change.place))] : null),
    h('h1', {}, `Before and after: ${change.citation}`),
    entryBlock(change, entry),
    controls(entryId, p, change.place),
    h('section', { class: 'chart', id: 'pc-answer', 'aria-labelledby': 'pc-answer-title' }, h('h2', { id: 'pc-answer-title' }, 'The months before and after'), windows, ...answer, sourceLine([meta]), links),
    h('section', { class: 'chart', id: 'pc-caveats' }, h('h2', {}, 'What these figures cannot show'), h('ul', {}, change.caveats.map((c) => h('li', {}, c)))),
  );
}
