/**
 * Claims (`/claims`, `/claims/<id>`): each reviewed claim file (reference/claims) with its speaker,
 * date, exact words and sources; the other sentences the same sources carry, testable or not and why;
 * and, for each question a testable sentence raises, the figures on the loaded data with what they
 * show, what they cannot show, their definition and their API call. Neutral by construction: the
 * page lays the words beside the counts and says no more than the claim file and the API do.
 * API: /api/claims.json, /api/claims/<id>.json (+ ?release=).
 */
import { getJson, GROUP_COLUMNS, type Meta, type MetricRow } from '../api.ts';
import { sourceLine, tableOf, type Column } from '../chart.ts';
import { countText, extLink, fmtShare, h, label } from '../format.ts';
import { placeLabel, placePath } from '../geo.ts';
import { show } from '../page.ts';

interface ClaimListRow {
  id: string;
  title: string;
  words: string;
  speaker_name: string | null;
  speaker_role: string;
  speaker_organization: string;
  said_on: string;
  place: string;
  source_status: 'verified' | 'unverified';
  query_count: number;
}

interface Speaker {
  name: string | null;
  role: string;
  organization: string;
}

interface EvaluatedQuery {
  id: string;
  question: string;
  population: string;
  numerator: string;
  denominator: string;
  definition: string;
  violent_definition: string | null;
  shows: string;
  does_not_show: string;
  metric: string;
  metric_title: string;
  place: string;
  period: { label: string; description: string };
  api_url: string;
  definition_url: string;
  columns: string[];
  rows: MetricRow[];
  notes: string[];
  not_available?: string;
}

interface EvaluatedClaim {
  id: string;
  title: string;
  words: string;
  speaker: Speaker;
  said_on: string;
  said_on_note: string | null;
  where: { place: string; setting: string };
  sources: { url: string; title?: string | null; publisher?: string | null; published?: string | null; kind: string; carries_words: boolean; note?: string | null }[];
  source_status: 'verified' | 'unverified';
  source_note: string;
  statements: { id: string; words: string; relation: 'same_speaker' | 'counter_claim'; speaker: Speaker; said_on: string; said_on_note: string | null; testable: boolean; not_testable_reason: string | null; queries: string[]; sources: string[] }[];
  queries: EvaluatedQuery[];
  policy: { place: string; api_url: string; shows: string | null; does_not_show: string | null }[];
  limits: { suppression: string; cutoff_note: string; synthetic_label: string | null };
}

const speakerText = (s: Speaker): string => [s.name ?? 'Speaker not named by the sources', s.role, s.organization].filter(Boolean).join(', ');
const dateText = (d: string): string => (d === 'unknown' ? 'date not established' : d);
const SOURCE_STATUS: Record<string, string> = {
  verified: 'Words verified against a source that carries them verbatim',
  unverified: 'Words not verified against a primary source',
};

export async function renderClaims(signal: AbortSignal): Promise<void> {
  const env = await getJson<ClaimListRow>('/api/claims.json');
  show(
    signal,
    'Claims',
    h('h1', {}, 'Claims and the records'),
    h('p', { class: 'lede' }, 'Public statements about detainers and what followed them, each with its speaker, date, exact words and sources, and the figures from the loaded records that bear on it, with what those figures cannot show. Handoff does not rate a claim; it lays the words beside the counts.'),
    env.rows.length === 0
      ? h('p', {}, 'No claim files are loaded.')
      : h('ul', { class: 'claim-list' }, env.rows.map((c) =>
          h('li', { 'data-claim': c.id },
            h('a', { href: `/claims/${encodeURIComponent(c.id)}` }, c.title),
            h('blockquote', {}, `“${c.words}”`),
            h('p', { class: 'muted' }, `${speakerText({ name: c.speaker_name, role: c.speaker_role, organization: c.speaker_organization })}; ${dateText(c.said_on)}; ${placeLabel(c.place)}; ${c.query_count} figure${c.query_count === 1 ? '' : 's'}. ${SOURCE_STATUS[c.source_status] ?? c.source_status}.`),
          ))),
    h('p', {}, 'Source: reviewed claim files (reference/claims; docs/claims.md says how they are written). ', h('a', { class: 'action', href: '/api/claims.json' }, 'API JSON')),
  );
}

/** " — <group>" for a cross's row (the policy in force, the setting or the outcome it belongs to), else nothing. */
function groupText(r: MetricRow): string {
  const g = GROUP_COLUMNS.find((c) => r[c]);
  return g ? ` — ${label(String(r[g]))}` : '';
}

/** A figure's cell in words: the count (with share), or the API's words for a withheld or unavailable one. */
function figureText(r: MetricRow): string {
  const n = countText(r);
  return r.count !== null && r.share !== null && r.share !== undefined ? `${n} (${fmtShare(r.share)})` : n;
}

const FIGURE_COLUMNS: Column[] = [
  { key: 'period', label: 'Period' },
  { key: 'value', label: 'Value', text: (r) => label(String(r.value)) + groupText(r as unknown as MetricRow) },
  { key: 'count', label: 'Count', numeric: true, text: (r) => figureText(r as unknown as MetricRow) },
  { key: 'denominator', label: 'Of', numeric: true, text: (r) => (r.denominator === null || r.denominator === undefined ? '' : Number(r.denominator).toLocaleString('en-US')) },
];

/** Columns of a row that is not a count (the policy in force and 287(g) agreements of `policy_context`). */
const CONTEXT_SKIP = new Set(['period_start', 'period_end', 'place', 'by', 'value']);
function contextColumns(q: EvaluatedQuery): Column[] {
  return q.columns.filter((k) => !CONTEXT_SKIP.has(k)).map((key) => ({ key, label: label(key), text: (r) => (r[key] === null || r[key] === undefined ? '—' : typeof r[key] === 'string' && /^[a-z0-9_|]+$/.test(String(r[key])) ? label(String(r[key])) : String(r[key])) }));
}

function queryBlock(q: EvaluatedQuery): HTMLElement {
  const dashboard = placePath(q.place);
  const counts = q.columns.includes('count');
  return h('section', { class: 'chart claim-query', id: `q-${q.id}`, 'data-query': q.id },
    h('h3', {}, q.question),
    h('p', { class: 'subtitle' }, `${q.metric_title}: ${placeLabel(q.place)}, ${q.period.description}. Population: ${q.population}`),
    q.not_available
      ? h('p', { class: 'not-available' }, `Not available: ${q.not_available}`)
      : q.rows.length
        ? h('div', { class: 'table-scroll' }, tableOf(counts ? FIGURE_COLUMNS : contextColumns(q), q.rows, `${q.metric_title}, ${placeLabel(q.place)}`))
        : h('p', {}, 'No rows for this period.'),
    h('dl', { class: 'claim-terms' },
      h('dt', {}, 'Counted'), h('dd', {}, q.numerator),
      h('dt', {}, 'Out of'), h('dd', {}, q.denominator),
      h('dt', {}, 'Definition'), h('dd', {}, q.definition, q.violent_definition ? ` (violent offense: ${q.violent_definition})` : ''),
      h('dt', {}, 'What it shows'), h('dd', {}, q.shows),
      h('dt', {}, 'What it cannot show'), h('dd', {}, q.does_not_show),
    ),
    q.notes.length ? h('ul', { class: 'notes' }, q.notes.map((n) => h('li', {}, n))) : null,
    h('p', { class: 'actions' },
      h('a', { class: 'action', href: q.api_url }, 'API call (JSON)'), ' ',
      h('a', { class: 'action', href: `/methodology#${q.metric}` }, 'Definition'),
      dashboard ? [' ', h('a', { class: 'action', href: dashboard }, `${placeLabel(q.place)} in the dashboard`)] : null),
  );
}

export async function renderClaim(id: string, signal: AbortSignal): Promise<void> {
  const env = await getJson<unknown>(`/api/claims/${encodeURIComponent(id)}.json`).catch((e: Error) => e);
  if (env instanceof Error) {
    show(signal, 'Claim not found', h('h1', {}, 'No such claim'), h('p', {}, `${env.message} `, h('a', { href: '/claims' }, 'All claims')));
    return;
  }
  const c = env.claim as EvaluatedClaim;
  const byId = new Map(c.queries.map((q) => [q.id, q]));
  show(
    signal,
    c.title,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '/claims' }, 'Claims')),
    h('h1', {}, c.title),
    h('blockquote', { class: 'claim-words' }, `“${c.words}”`),
    h('p', {}, `${speakerText(c.speaker)}; ${dateText(c.said_on)}${c.said_on_note ? ` (${c.said_on_note})` : ''}. ${c.where.setting}.`),
    h('p', { class: `source-status ${c.source_status}` }, `${SOURCE_STATUS[c.source_status] ?? c.source_status}. ${c.source_note}`),
    c.limits.synthetic_label ? h('p', { class: 'synthetic-tag' }, h('strong', {}, c.limits.synthetic_label)) : null,
    h('section', { class: 'chart', id: 'statements', 'aria-labelledby': 'statements-h' },
      h('h2', { id: 'statements-h' }, 'The sentences, and the figures that bear on each'),
      h('ol', {}, c.statements.map((s) =>
        h('li', { 'data-statement': s.id },
          h('blockquote', {}, `“${s.words}”`),
          h('p', { class: 'muted' }, `${s.relation === 'counter_claim' ? 'Another speaker in the same coverage: ' : ''}${speakerText(s.speaker)}; ${dateText(s.said_on)}${s.said_on_note ? ` (${s.said_on_note})` : ''}.`),
          s.testable
            ? h('p', {}, 'Figures that bear on it: ', s.queries.flatMap((qid, i) => [i ? '; ' : '', h('a', { href: `#q-${qid}` }, byId.get(qid)?.question ?? qid)]))
            : h('p', {}, `No figure bears on these words: ${s.not_testable_reason ?? ''}`),
        ))),
    ),
    h('section', { id: 'figures', 'aria-labelledby': 'figures-h' }, h('h2', { id: 'figures-h' }, 'Figures'), c.queries.map(queryBlock)),
    c.policy.length
      ? h('section', { class: 'chart', id: 'policy', 'aria-labelledby': 'policy-h' },
          h('h2', { id: 'policy-h' }, 'The law in force'),
          h('ul', {}, c.policy.map((p) => h('li', {}, h('a', { href: placePath(p.place) ?? p.api_url }, placeLabel(p.place)), p.shows ? `: ${p.shows}` : '', p.does_not_show ? ` It does not show: ${p.does_not_show}` : '')))) : null,
    h('section', { class: 'chart', id: 'sources', 'aria-labelledby': 'sources-h' },
      h('h2', { id: 'sources-h' }, 'Sources'),
      h('ul', {}, c.sources.map((s) => h('li', {},
        extLink(s.url, s.title ?? s.url), ` — ${s.publisher ?? 'publisher not given'}, ${s.published ?? 'undated'}; ${s.kind}; ${s.carries_words ? 'carries the words verbatim' : 'does not carry the words'}.`,
        s.note ? h('span', { class: 'muted' }, ` ${s.note}`) : null))),
    ),
    h('p', { class: 'muted' }, `${c.limits.suppression} ${c.limits.cutoff_note}`),
    sourceLine([env.meta as Meta]),
    h('p', { class: 'actions' }, h('a', { class: 'action', href: `/api/claims/${encodeURIComponent(c.id)}.json` }, 'API JSON'), ' ', h('span', { class: 'muted' }, `HTML or PDF report of the same figures: handoff claim ${c.id} --format html (or pdf)`)),
  );
}
