/**
 * Renders a report template (Markdown with `{{directives}}`, docs/claims.md) to one self-contained
 * HTML page: inline CSS, inline SVG charts, no script, no external request (a Content-Security-Policy
 * meta tag forbids them). Every figure links to its definition in the report's appendix, which links
 * on to docs/metrics.md and the API's definition; the first page states the data and its limits.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { aorByName, stateByPostal } from '../geo/index.ts';
import { beforeAfter, findMetric, parsePlaceParam, type BeforeAfter, type MetricsService, type Row } from '../metrics/index.ts';
import { VIOLENCE_DEFINITIONS } from '../offense/index.ts';
import type { Claim } from './claims.ts';
import { evaluateClaim, limitsOf, policySectionOf, runQuery, type DataLimits, type EvaluatedClaim, type EvaluatedPolicy, type EvaluatedQuery, type QueryResult } from './evaluate.ts';
import { escapeHtml, parseDirective, renderMarkdown } from './markdown.ts';
import { parsePeriodLabel, type ReportPeriod } from './period-label.ts';
import { barChart, lineChart } from './svg.ts';
import { REPO_ROOT } from '../core/repo-root.ts';
import { GROUP_COLUMNS, type GroupColumn } from '../contract/index.ts';


/** Folder of the shipped report templates. */
export const TEMPLATES_DIR = join(REPO_ROOT, 'reference/report-templates');

/** Where the API is served, for links in reports (`handoff serve`'s default). */
export const DEFAULT_API_BASE = 'http://127.0.0.1:8787';

/** Options of one report. */
export interface ReportOptions {
  /** Template name (`state`, `claim-check`) or a path to a .md file. */
  template: string;
  /** `MA`, `state:MA`, `aor:BOS`, `county:25025` … (default: the claim's place, else nation). */
  place?: string;
  /** Period label (default: the claim's first query period, else FY2025). */
  period?: string;
  /** The claim of a claim-check report. */
  claim?: Claim;
  /** Pin a release for every figure. */
  release?: string;
  /** Prefix of API links (default {@link DEFAULT_API_BASE}); '' for site-relative links. */
  apiBase?: string;
  now: () => Date;
}

/** A rendered report. */
export interface RenderedReport {
  html: string;
  title: string;
  synthetic: boolean;
  limits: DataLimits;
  /** Every metric query the report ran, in order. */
  results: QueryResult[];
  claim: EvaluatedClaim | null;
}

/** Reads a template by name (reference/report-templates/<name>.md) or path. */
export async function readTemplate(template: string): Promise<{ name: string; text: string }> {
  const file = /^[a-z0-9][a-z0-9-]*$/.test(template) ? join(TEMPLATES_DIR, `${template}.md`) : resolve(template);
  try {
    return { name: template, text: await readFile(file, 'utf8') };
  } catch {
    throw new HandoffError('not_found', `no report template "${template}" (looked for ${file}); shipped templates: state, claim-check`);
  }
}

/** `MA` → `state:MA`; other forms as the metrics accept them. */
export function normalizePlace(text: string): string {
  const t = text.trim();
  if (/^[A-Za-z]{2}$/.test(t)) return `state:${t.toUpperCase()}`;
  return parsePlaceParam(t).unit;
}

/** A reader's name for a place unit. */
export function placeName(unit: string): string {
  const [level, code = ''] = unit.split(':');
  if (level === 'nation') return 'United States';
  if (level === 'state') return stateByPostal(code)?.name ?? unit;
  if (level === 'aor') return aorByName(code) ? `${aorByName(code)!.name} ICE area of responsibility` : unit;
  if (level === 'county') return `county ${code} (FIPS)`;
  return unit;
}

const CSS = `
@page { size: Letter; margin: 14mm 14mm 16mm 14mm; }
html { font-family: Helvetica, Arial, sans-serif; font-size: 11pt; color: #1d1d1d; background: #fff; }
body { max-width: 760px; margin: 0 auto; padding: 16px; line-height: 1.4; }
h1 { font-size: 19pt; margin: 0 0 4px; } h2 { font-size: 14pt; margin: 18px 0 6px; border-bottom: 1px solid #ccc; }
h3 { font-size: 12pt; margin: 14px 0 4px; } h4 { font-size: 11pt; margin: 10px 0 4px; }
.subtitle { color: #444; margin: 0 0 10px; }
.banner { border: 2px solid #222; background: #f1f1f1; padding: 8px 10px; font-weight: bold; margin: 8px 0; letter-spacing: .02em; }
.banner.private { background: #fff; border-style: dashed; }
.limits { border: 1px solid #bbb; padding: 6px 12px; margin: 8px 0 14px; font-size: 9.5pt; page-break-inside: avoid; }
.limits h2 { font-size: 11pt; border: 0; margin: 4px 0; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 9.5pt; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: #1f4f86; } a.n { text-decoration: none; border-bottom: 1px dotted #1f4f86; }
figure.metric { margin: 10px 0 16px; page-break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 4px; }
.withheld { font-style: italic; color: #555; }
.notes, .computed, .small { font-size: 8.5pt; color: #444; }
code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 8.5pt; word-break: break-all; }
blockquote { margin: 8px 0; padding: 4px 12px; border-left: 4px solid #999; background: #fafafa; }
dl.frame { display: grid; grid-template-columns: 9em 1fr; gap: 2px 10px; font-size: 9.5pt; margin: 4px 0 8px; }
dl.frame dt { font-weight: bold; color: #333; } dl.frame dd { margin: 0; }
.status { display: inline-block; border: 1px solid #777; padding: 0 6px; font-size: 9pt; }
.page-break { page-break-before: always; }
.def { page-break-inside: avoid; margin-bottom: 10px; }
svg { max-width: 100%; height: auto; }
`;

/**
 * How a figure's count reads: the exact count, or the API's words for what it is instead — "at
 * least N" (a lower bound with its bounds), "withheld", "not available" — never a bare number that
 * is not the count of the records.
 */
export function countText(row: Row): { text: string; withheld: boolean } {
  if (row.count === null || row.count === undefined) {
    const display = String(row.display ?? 'withheld');
    if (row.status === 'at_least' && row.count_high !== null && row.count_high !== undefined) {
      return { text: `${display.replace(/\d+/, (d) => Number(d).toLocaleString('en-US'))} (at most ${Number(row.count_high).toLocaleString('en-US')})`, withheld: true };
    }
    return { text: display, withheld: row.status !== 'not_available' };
  }
  return { text: Number(row.count).toLocaleString('en-US'), withheld: false };
}

function pct(v: unknown): string {
  return typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—';
}

function queryKey(q: { metric: string; place: string; period: string; grain?: string; by?: string; release?: string }): string {
  return [q.metric, q.place, q.period, q.grain ?? 'total', q.by ?? '', q.release ?? ''].join('|');
}

class Renderer {
  readonly results: QueryResult[] = [];
  private readonly cache = new Map<string, Promise<QueryResult>>();
  private readonly done = new Map<string, QueryResult>();
  private figureCount = 0;

  constructor(
    readonly service: MetricsService,
    readonly place: string,
    readonly period: ReportPeriod,
    readonly apiBase: string,
    readonly release: string | undefined,
    readonly claim: EvaluatedClaim | null,
    readonly now: () => Date,
  ) {}

  api(url: string): string {
    return `${this.apiBase}${url}`;
  }

  queryOf(params: Record<string, string>, metric: string) {
    return {
      metric,
      place: params.place ? normalizePlace(params.place) : this.place,
      period: params.period ?? this.period.label,
      grain: params.grain,
      by: params.by,
      release: params.release ?? this.release,
    };
  }

  /** Runs every metric and figure directive of the template ahead of the synchronous render. */
  async prepare(template: string): Promise<void> {
    for (const m of template.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
      const d = parseDirective(m[1]!.trim());
      if (d.name !== 'metric' && d.name !== 'figure') continue;
      const id = d.args[0];
      if (!id || !findMetric(id)) throw new HandoffError('bad_argument', `template directive {{${m[1]!.trim()}}}: ${id ? `unknown metric "${id}"` : 'name a metric'}`);
      await this.run(this.queryOf(d.params, id));
    }
    for (const q of this.claim?.queries ?? []) this.remember(q);
    for (const m of template.matchAll(/\{\{\s*policy_changes\b([\s\S]*?)\}\}/g)) {
      const d = parseDirective(`policy_changes${m[1]}`);
      const place = d.params.place ? normalizePlace(d.params.place) : this.place;
      if (!this.changes.has(place)) this.changes.set(place, await this.policyChangesOf(place));
    }
  }

  /** Before-and-after comparisons of every dated entry of the place's own jurisdiction that sets a rule. */
  private readonly changes = new Map<string, BeforeAfter[] | string>();

  /** The comparisons, or why there are none (no release with detainers is loaded). */
  private async policyChangesOf(place: string): Promise<BeforeAfter[] | string> {
    if (this.release === undefined && !this.service.defaultRelease('detainers')) {
      return 'Not available: no release loaded in this database has detainers, so no change can be compared before and after.';
    }
    const entries = (this.service.policies.byJurisdiction.get(place) ?? []).filter(
      (e) => e.honors_detainers !== 'context' && (e.effective_date !== null || /^\d{4}-\d{2}$/.test(e.effective_date_approx ?? '')),
    );
    const out: BeforeAfter[] = [];
    for (const e of entries) out.push(await beforeAfter(this.service, e.id, { release: this.release }));
    return out;
  }

  policyChangesBlock(place: string): string {
    const fmt = (n: number) => n.toLocaleString('en-US');
    const list = this.changes.get(place);
    if (list === undefined) throw new HandoffError('internal', `policy changes of ${place} were not prepared`);
    if (typeof list === 'string') return `<p>${escapeHtml(list)}</p>`;
    if (list.length === 0) return `<p>No entry of ${escapeHtml(placeName(place))}'s own jurisdiction in reference/policies has a day or month of effect, so there is no change to compare before and after.</p>`;
    const fig = (f: BeforeAfter['rows'][number]['before']) =>
      f.status === 'exact' ? escapeHtml(fmt(f.count ?? 0)) : f.status === 'at_least' ? `at least ${escapeHtml(fmt(f.count_low ?? 0))}` : escapeHtml(f.status === 'withheld' ? 'withheld' : 'not available');
    const num = (n: number | null) => (n === null ? '' : escapeHtml(fmt(n)));
    const sections = list.map((r) => {
      const url = this.api(`/api/policy-changes/${encodeURIComponent(r.entry_id)}.json${this.release ? `?release=${encodeURIComponent(this.release)}` : ''}`);
      const head = `<h3>${escapeHtml(r.citation)}: ${escapeHtml(r.effective)}</h3>
<p class="small">Regime for a local jail before: <code>${escapeHtml(r.regime_before)}</code>; after: <code>${escapeHtml(r.regime_after)}</code>. <a href="${escapeHtml(url)}">Figures in the API</a>.</p>`;
      if (r.status !== 'ok') return `<section class="policy-change">${head}<p>${escapeHtml(r.message ?? '')}</p></section>`;
      const used = r.comparison.filter((c) => c.used).length;
      const rows = r.rows
        .map(
          (m) =>
            `<tr><td>${escapeHtml(m.label)}</td><td>${fig(m.before)}</td><td>${fig(m.after)}</td><td>${num(m.comparison_before)}</td><td>${num(m.comparison_after)}</td><td>${m.comparison_places_used}</td><td>${m.ratio_of_ratios === null ? '' : escapeHtml(m.ratio_of_ratios.toFixed(2))}${m.interval_low !== null ? ` (${escapeHtml(m.interval_low.toFixed(2))}–${escapeHtml(m.interval_high!.toFixed(2))})` : ''}</td><td class="small">${escapeHtml(m.note ?? '')}</td></tr>`,
        )
        .join('\n');
      return `<section class="policy-change">${head}
<p>${escapeHtml(r.before!.from)} to ${escapeHtml(r.before!.to)} against ${escapeHtml(r.after!.from)} to ${escapeHtml(r.after!.to)}, beside ${used} comparison ${used === 1 ? 'place' : 'places'} whose jail regime held through both (${r.comparison_basis === 'default' ? 'every such state' : 'as given'}).</p>
<div class="table-wrap"><table><thead><tr><th>Figure</th><th>Before</th><th>After</th><th>Comparison before</th><th>Comparison after</th><th>Places summed</th><th>Ratio of ratios (95% interval)</th><th>Note</th></tr></thead><tbody>
${rows}
</tbody></table></div></section>`;
    });
    const caveats = list[0]!.caveats.map((c) => `<li>${escapeHtml(c)}</li>`).join('');
    return `${sections.join('\n')}
<p class="small">How these are computed (src/metrics/DESIGN.md, "Before and after a policy change"): published figures only; whole months, the month of effect left out unless the entry takes effect on its first day, and the release's last month left out; the ratio of ratios is (after / before at the place) / (after / before in the comparison places), computed only from exact figures, with the interval for independent Poisson counts when every count is at least 20.</p>
<ul class="small">${caveats}</ul>`;
  }

  private remember(r: QueryResult): void {
    if (!this.results.includes(r)) this.results.push(r);
  }

  async run(q: ReturnType<Renderer['queryOf']>): Promise<QueryResult> {
    const key = queryKey(q);
    let p = this.cache.get(key);
    if (!p) {
      p = runQuery(this.service, q);
      this.cache.set(key, p);
    }
    const r = await p;
    this.done.set(key, r);
    this.remember(r);
    return r;
  }

  result(q: ReturnType<Renderer['queryOf']>): QueryResult {
    const r = this.done.get(queryKey(q));
    if (!r) throw new HandoffError('internal', `figure ${queryKey(q)} was not prepared`);
    return r;
  }

  directive = (raw: string, block: boolean): string => {
    const d = parseDirective(raw);
    switch (d.name) {
      case 'place':
        return escapeHtml(this.place);
      case 'place_name':
        return escapeHtml(placeName(this.place));
      case 'period':
        return escapeHtml(this.period.label);
      case 'period_description':
        return escapeHtml(this.period.description);
      case 'generated':
        return escapeHtml(this.now().toISOString().slice(0, 10));
      case 'metric':
        return this.metricBlock(this.result(this.queryOf(d.params, d.args[0]!)), { chart: d.params.chart, title: d.params.title });
      case 'figure':
        return this.figureInline(this.result(this.queryOf(d.params, d.args[0]!)), d.params);
      case 'policy':
        return this.policyBlock(d.params.place ? normalizePlace(d.params.place) : this.place);
      case 'policy_changes':
        return this.policyChangesBlock(d.params.place ? normalizePlace(d.params.place) : this.place);
      case 'claim_title':
        return escapeHtml(this.needClaim(raw).title);
      case 'claim_words':
        return this.claimWords(this.needClaim(raw));
      case 'claim_queries':
        return this.needClaim(raw).queries.map((q) => this.claimQuery(q)).join('\n');
      case 'claim_statements':
        return this.claimStatements(this.needClaim(raw));
      case 'claim_policy':
        return this.needClaim(raw).policy.map((p) => this.claimPolicy(p)).join('\n') || '<p>No policy timeline is attached to this claim.</p>';
      case 'page_break':
        return '<div class="page-break"></div>';
      default:
        throw new HandoffError('bad_argument', `unknown template directive {{${raw}}}${block ? '' : ' (inline)'}; see docs/claims.md`);
    }
  };

  needClaim(raw: string): EvaluatedClaim {
    if (!this.claim) throw new HandoffError('bad_argument', `directive {{${raw}}} needs a claim (--claim ID)`);
    return this.claim;
  }

  numberLink(r: QueryResult, text: string, attrs: Record<string, string | number | null>, withheld = false): string {
    const a = Object.entries(attrs)
      .map(([k, v]) => ` data-${k}="${escapeHtml(String(v ?? ''))}"`)
      .join('');
    return `<a class="n${withheld ? ' withheld' : ''}" href="#def-${escapeHtml(r.metric)}"${a}>${escapeHtml(text)}</a>`;
  }

  figureInline(r: QueryResult, params: Record<string, string>): string {
    const value = params.value ?? (r.by === 'total' ? 'total' : undefined);
    const period = params.at ?? r.rows[r.rows.length - 1]?.period;
    const row = r.rows.find((x) => (value === undefined || x.value === value) && x.period === period);
    if (!row && r.not_available) return `<span class="withheld">not available (${escapeHtml(r.not_available.replace(/^Not available: /, '').replace(/;.*$/, ''))})</span>`;
    if (!row) return `<span class="withheld">no figure (${escapeHtml(r.metric)} ${escapeHtml(value ?? '')} has no row for ${escapeHtml(r.period.label)})</span>`;
    const named = namedValue(r.columns, row);
    if (params.field === 'share') return this.numberLink(r, pct(row.share), { api: r.api_url, period: row.period as string, value: named, share: row.share as number | null });
    const c = countText(row);
    return this.numberLink(r, c.text, { api: r.api_url, period: row.period as string, value: named, count: row.count as number | null, display: row.display as string }, c.withheld);
  }

  metricBlock(r: QueryResult, opts: { chart?: string; title?: string }): string {
    const n = ++this.figureCount;
    const title = opts.title ?? r.metric_title;
    const caption = `${escapeHtml(title)} — ${escapeHtml(placeName(r.place))}, ${escapeHtml(r.period.label)}${r.by !== 'total' ? `, by ${escapeHtml(r.by)}` : ''}`;
    const isCount = r.columns.includes('count');
    const parts: string[] = [`<figure class="metric" id="figure-${n}" data-api="${escapeHtml(r.api_url)}" data-metric="${escapeHtml(r.metric)}"><figcaption>Figure ${n}. ${caption}</figcaption>`];
    // A metric whose rows are a cross carries its group in a column (the policy in force, the arrest
    // setting, the outcome): each row's value is named with its group, in the table and the charts.
    const group = groupColumnOf(r.columns);
    const valueOf = (x: Record<string, unknown>): string => namedValue(r.columns, x);
    if (isCount) {
      const chart = opts.chart ?? 'auto';
      const periods = [...new Set(r.rows.map((x) => String(x.period)))];
      const values = [...new Set(r.rows.map(valueOf))];
      if (chart !== 'none' && r.rows.length > 1) {
        if (periods.length === 1 && chart !== 'line') {
          parts.push(barChart(r.rows.map((x) => ({ label: valueOf(x), count: x.count as number | null, display: countText(x).text })), { title: caption }));
        } else if (periods.length > 1) {
          parts.push(lineChart(values.map((v) => ({ name: v, points: periods.map((p) => {
            const row = r.rows.find((x) => x.period === p && valueOf(x) === v);
            return { x: p, y: (row?.count as number | null) ?? null, display: row ? countText(row).text : '' };
          }) })), { title: caption }));
        }
      }
      const hasShare = r.columns.includes('share');
      const hasDays = r.columns.includes('median_days');
      parts.push(`<table><thead><tr><th>period</th>${group ? `<th>${GROUP_HEADINGS[group]}</th>` : ''}<th>${escapeHtml(r.by === 'total' ? 'value' : r.by)}</th><th class="num">count</th>${hasShare ? '<th class="num">share</th><th class="num">of (denominator)</th>' : ''}${hasDays ? '<th class="num">median days</th>' : ''}</tr></thead><tbody>`);
      for (const row of r.rows) {
        const c = countText(row);
        const base = { api: r.api_url, period: row.period as string, value: valueOf(row) };
        parts.push(
          `<tr><td>${escapeHtml(String(row.period))}</td>${group ? `<td>${escapeHtml(String(row[group] ?? ''))}</td>` : ''}<td>${escapeHtml(String(row.value))}</td><td class="num">${this.numberLink(r, c.text, { ...base, count: row.count as number | null, display: row.display as string }, c.withheld)}</td>` +
            (hasShare
              ? `<td class="num">${row.share === null ? '—' : this.numberLink(r, pct(row.share), { ...base, share: row.share as number })}</td><td class="num">${row.denominator === null || row.denominator === undefined ? '—' : this.numberLink(r, Number(row.denominator).toLocaleString('en-US'), { ...base, denominator: row.denominator as number })}</td>`
              : '') +
            (hasDays ? `<td class="num">${row.median_days === null || row.median_days === undefined ? '—' : this.numberLink(r, String(row.median_days), { ...base, median: row.median_days as number })}</td>` : '') +
            '</tr>',
        );
      }
      if (r.rows.length === 0) parts.push(`<tr><td colspan="${5 + (group ? 1 : 0)}">${r.not_available ? escapeHtml(r.not_available) : `No records of this release fall in ${escapeHtml(r.period.description)}.`}</td></tr>`);
      parts.push('</tbody></table>');
    } else {
      const cols = r.columns.filter((c) => !['period_start', 'period_end', 'place'].includes(c));
      parts.push(`<table><thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>`);
      for (const row of r.rows) {
        parts.push(`<tr>${cols.map((c) => (typeof row[c] === 'number' ? `<td class="num">${this.numberLink(r, String(row[c]), { api: r.api_url, period: row.period as string, [c]: row[c] as number })}</td>` : `<td>${escapeHtml(String(row[c] ?? ''))}</td>`)).join('')}</tr>`);
      }
      parts.push('</tbody></table>');
    }
    if (r.notes.length && !r.not_available) parts.push(`<p class="notes">${r.notes.map(escapeHtml).join(' ')}</p>`);
    if (!r.not_available) parts.push(`<p class="computed">Computed by <code>GET ${escapeHtml(this.api(r.api_url))}</code> · release ${escapeHtml(r.release.release_id)}${r.release.synthetic ? ' (synthetic demo data)' : ''} · definition: <a href="#def-${escapeHtml(r.metric)}">${escapeHtml(r.metric)}</a></p>`);
    parts.push('</figure>');
    return parts.join('\n');
  }

  policyBlock(place: string): string {
    // Policies are set by states, counties and cities: the nation and an AOR have no single one.
    if (place === 'nation' || place.startsWith('aor:')) {
      return `<p>Detainer policies are set by states, counties and cities, so ${escapeHtml(placeName(place))} has no single policy in force; a report for a state or county (for example <code>--place MA</code>) gives its timeline with citations.</p>`;
    }
    const section = this.policySection(place);
    return this.policyTable(section);
  }

  policySection(place: string): EvaluatedPolicy {
    const fromClaim = this.claim?.policy.find((p) => p.place === place);
    if (fromClaim) return fromClaim;
    return policySectionOf(this.service, { place });
  }

  policyTable(p: EvaluatedPolicy): string {
    if (p.timeline.length === 0) return `<p>No reviewed policy entries for ${escapeHtml(p.place)} (reference/policies).</p>`;
    const rows = p.timeline
      .map((t) => `<tr><td>${escapeHtml(String(t.start))}</td><td>${escapeHtml(String(t.end || 'in force'))}</td><td>${escapeHtml(String(t.jurisdiction))} (${escapeHtml(String(t.level))})</td><td>${escapeHtml(String(t.honors_detainers))}</td><td>${escapeHtml(String(t.citation))}<br><span class="small">${String(t.sources).split(' ').filter(Boolean).map((s) => `<a href="${escapeHtml(s)}">${escapeHtml(s)}</a>`).join('<br>')}</span></td><td>${escapeHtml(String(t.confidence))}</td></tr>`)
      .join('');
    return `<table><thead><tr><th>from</th><th>until</th><th>jurisdiction</th><th>honors detainers</th><th>citation and sources</th><th>confidence</th></tr></thead><tbody>${rows}</tbody></table><p class="computed">Source: reviewed policy files (reference/policies), <code>GET ${escapeHtml(this.api(p.api_url))}</code>. "Honors detainers" is the coded answer of the reviewed entry, not a judgement.</p>`;
  }

  claimWords(c: EvaluatedClaim): string {
    const who = [c.speaker.name, c.speaker.role, c.speaker.organization].filter(Boolean).join(', ');
    const sources = c.sources
      .map((s) => `<li><a href="${escapeHtml(s.url)}">${escapeHtml(s.title ?? s.url)}</a>${s.publisher ? `, ${escapeHtml(s.publisher)}` : ''}${s.published ? `, ${escapeHtml(s.published)}` : ''} — ${escapeHtml(s.kind)}; ${s.carries_words ? 'carries the words' : 'does not carry the exact words'}${s.note ? `. ${escapeHtml(s.note)}` : ''}</li>`)
      .join('');
    return `<blockquote class="claim"><p>“${escapeHtml(c.words)}”</p><p class="small">— ${escapeHtml(who)}; ${escapeHtml(c.said_on)}${c.said_on_note ? ` (${escapeHtml(c.said_on_note)})` : ''}; ${escapeHtml(c.where.setting)}</p></blockquote>
<p><span class="status">Source status: ${escapeHtml(c.source_status)}</span> ${escapeHtml(c.source_note)}</p>
${sources ? `<ul class="small">${sources}</ul>` : ''}
<p class="small">Claim file: <code>${escapeHtml(c.file)}</code>${c.reviewed ? `, reviewed ${escapeHtml(c.reviewed.on)}${c.reviewed.by ? ` by ${escapeHtml(c.reviewed.by)}` : ''}` : ''}. Handoff does not rate claims; it shows the figures that bear on them and what those figures cannot show.</p>`;
  }

  /** The sources' other sentences: who said each, when, and the figures above that bear on it, or why none does. */
  claimStatements(c: EvaluatedClaim): string {
    if (c.statements.length === 0) return '<p>The claim file records no other sentences from its sources.</p>';
    const questions = new Map(c.queries.map((q) => [q.id, q.question]));
    const items = c.statements.map((st) => {
      const who = [st.speaker.name, st.speaker.role, st.speaker.organization].filter(Boolean).join(', ');
      const relation = st.relation === 'same_speaker' ? 'the same speaker' : 'a counter-claim';
      const bears = st.testable
        ? `<p>Figures that bear on these words: ${st.queries.map((id) => `<a href="#query-${escapeHtml(id)}">${escapeHtml(questions.get(id) ?? id)}</a>`).join('; ')}.</p>`
        : `<p>No figure in the records bears on these words: ${escapeHtml(st.not_testable_reason ?? '')}</p>`;
      const sources = st.sources.map((u) => `<a href="${escapeHtml(u)}">${escapeHtml(u)}</a>`).join(', ');
      return `<section class="statement" id="statement-${escapeHtml(st.id)}"><blockquote class="claim"><p>“${escapeHtml(st.words)}”</p><p class="small">— ${escapeHtml(who)} (${relation}); ${escapeHtml(st.said_on)}${st.said_on_note ? ` (${escapeHtml(st.said_on_note)})` : ''}</p></blockquote>
${bears}<p class="small">Sources: ${sources}. ${escapeHtml(st.source_note)}</p></section>`;
    });
    return items.join('\n');
  }

  claimQuery(q: EvaluatedQuery): string {
    const violent = q.violent_definition ? VIOLENCE_DEFINITIONS[q.violent_definition as keyof typeof VIOLENCE_DEFINITIONS] : undefined;
    const quality = q.quality.length
      ? `<table><thead><tr><th>data-quality figure for this slice</th><th class="num">count</th><th class="num">share</th><th>meaning</th></tr></thead><tbody>${q.quality
          .map((x) => {
            const c = countText(x);
            return `<tr><td>${escapeHtml(String(x.measure))}</td><td class="num">${x.display === 'not available' ? 'not available' : this.numberLink(q, c.text, { api: q.api_url, measure: x.measure as string, count: x.count as number | null }, c.withheld)}</td><td class="num">${pct(x.share)}</td><td>${escapeHtml(String(x.note))}</td></tr>`;
          })
          .join('')}</tbody></table>`
      : '';
    return `<section class="query" id="query-${escapeHtml(q.id)}"><h3>${escapeHtml(q.question)}</h3>
<dl class="frame"><dt>Population</dt><dd>${escapeHtml(q.population)}</dd><dt>Place</dt><dd>${escapeHtml(placeName(q.place))} (<code>${escapeHtml(q.place)}</code>)</dd><dt>Period</dt><dd>${escapeHtml(q.period.description)}</dd>
<dt>Numerator</dt><dd>${escapeHtml(q.numerator)}</dd><dt>Denominator</dt><dd>${escapeHtml(q.denominator)}</dd><dt>Definition</dt><dd>${escapeHtml(q.definition)}${violent ? ` <span class="small">(${escapeHtml(violent.id)}: ${escapeHtml(violent.description)})</span>` : ''}</dd>
<dt>Metric</dt><dd><a href="#def-${escapeHtml(q.metric)}"><code>${escapeHtml(q.metric)}</code></a>${q.by !== 'total' ? ` by <code>${escapeHtml(q.by)}</code>` : ''}</dd></dl>
${this.metricBlock(q, { chart: q.chart })}
<h4>What these figures show</h4><p>${escapeHtml(q.shows)}</p>
<h4>What they do not show</h4><p>${escapeHtml(q.does_not_show)}</p>
${quality}</section>`;
  }

  claimPolicy(p: EvaluatedPolicy): string {
    const at = p.at
      .map((a) => {
        const d = a.policy.decided_by;
        return `<li>On ${escapeHtml(a.date)}: <strong>${escapeHtml(String(a.policy.regime))}</strong>${d ? ` — decided by ${escapeHtml(d.jurisdiction)} (${escapeHtml(d.level)}), effective ${escapeHtml(d.effective)}: ${escapeHtml(d.citation)}` : ' — no reviewed entry in force'} <span class="small">(<code>GET ${escapeHtml(this.api(a.api_url))}</code>)</span></li>`;
      })
      .join('');
    return `<section class="policy"><h3>Detainer policy timeline: ${escapeHtml(placeName(p.place))}</h3>${this.policyTable(p)}${at ? `<ul>${at}</ul>` : ''}${p.shows ? `<h4>What this shows</h4><p>${escapeHtml(p.shows)}</p>` : ''}${p.does_not_show ? `<h4>What it does not show</h4><p>${escapeHtml(p.does_not_show)}</p>` : ''}</section>`;
  }
}

function limitsBox(limits: DataLimits, results: readonly QueryResult[], apiBase: string): string {
  const releases = limits.releases
    .map((r) => `<li><code>${escapeHtml(r.release_id)}</code> — ${escapeHtml(r.label)}${r.synthetic ? ' — <strong>synthetic demo data</strong>' : ''}; records ${escapeHtml(r.records_from ?? '?')} to ${escapeHtml(r.records_through ?? '?')} (cut-off, to the month)</li>`)
    .join('');
  const seen = new Set<string>();
  const quality: string[] = [];
  for (const r of results) {
    const key = `${r.place}|${r.period.label}|${r.metric.startsWith('ice_arrests') || r.metric.startsWith('community_arrests') ? 'arrests' : 'detainers'}`;
    if (seen.has(key) || r.quality.length === 0) continue;
    seen.add(key);
    for (const q of r.quality) {
      const c = countText(q);
      quality.push(`<tr><td>${escapeHtml(placeName(r.place))}, ${escapeHtml(r.period.label)}, ${escapeHtml(key.split('|')[2]!)}</td><td>${escapeHtml(String(q.measure))}</td><td class="num">${q.display === 'not available' ? 'not available' : `<a class="n${c.withheld ? ' withheld' : ''}" href="#def-${escapeHtml(r.metric)}" data-measure="${escapeHtml(String(q.measure))}">${escapeHtml(c.text)}</a>`}</td><td class="num">${pct(q.share)}</td></tr>`);
    }
  }
  return `<section class="limits"><h2>Data and limits</h2>
<p><strong>Releases used:</strong></p><ul>${releases || '<li>none</li>'}</ul>
<p><strong>Suppression.</strong> ${escapeHtml(limits.suppression)}</p>
<p><strong>Cut-off and blank lift reasons.</strong> ${escapeHtml(limits.cutoff_note)}</p>
${quality.length ? `<table><thead><tr><th>slice</th><th>data-quality figure</th><th class="num">count</th><th class="num">share</th></tr></thead><tbody>${quality.join('')}</tbody></table><p class="small">lift_reason_blank: detainers whose lift reason is blank; identifier_missing: records that cannot be linked to later arrests or removals; county_unmatched: records whose facility (or apprehension county) was not matched to a county.</p>` : ''}
<p class="small">Identifiers link records within one release only. Figures come from one release at a time. API: <code>${escapeHtml(apiBase || '(this server)')}</code>.</p>
</section>`;
}

function definitionsAppendix(results: readonly QueryResult[], apiBase: string): string {
  const ids = [...new Set(results.map((r) => r.metric))];
  const defs = ids.map((id) => {
    const r = results.find((x) => x.metric === id)!;
    const violence = findMetric(id)?.violence ?? [];
    return `<div class="def" id="def-${escapeHtml(id)}"><h3><code>${escapeHtml(id)}</code> — ${escapeHtml(r.metric_title)}</h3><p>${escapeHtml(r.metric_description)}</p>
<dl class="frame"><dt>Counts</dt><dd>${escapeHtml(r.counts)}</dd><dt>Numerator</dt><dd>${escapeHtml(r.metric_numerator)}</dd><dt>Denominator</dt><dd>${escapeHtml(r.metric_denominator ?? 'none')}</dd>
<dt>Violent definition</dt><dd>${violence.length ? violence.map((v) => `${escapeHtml(v.definition)} when by=${escapeHtml(v.by)}`).join('; ') : 'not used'}</dd>
<dt>Exclusions</dt><dd><ul>${r.exclusions.map((e) => `<li>${escapeHtml(e.what)}. ${escapeHtml(e.why)}</li>`).join('')}</ul></dd>
<dt>Definition</dt><dd><a href="${escapeHtml(`${apiBase}${r.definition_url}`)}">${escapeHtml(`${apiBase}${r.definition_url}`)}</a> · <code>${escapeHtml(r.docs_anchor)}</code></dd></dl></div>`;
  });
  const calls = results.map((r) => `<li><code>GET ${escapeHtml(`${apiBase}${r.api_url}`)}</code></li>`).join('');
  return `<section class="appendix"><div class="page-break"></div><h2 id="how-computed">How these figures were computed</h2>
<p class="small">Each figure is the answer of a named metric of the Handoff API for the parameters below (release pinned). The same URL returns the same rows as JSON (<code>.csv</code> for CSV).</p><ol class="small">${calls}</ol>
<h2 id="definitions">Definitions</h2>${defs.join('\n')}</section>`;
}

/** Renders a report template on the loaded data. */
export async function renderReport(service: MetricsService, options: ReportOptions): Promise<RenderedReport> {
  const { text } = await readTemplate(options.template);
  const apiBase = (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
  const claimEval = options.claim ? await evaluateClaim(service, options.claim, { release: options.release }) : null;
  const place = options.place ? normalizePlace(options.place) : options.claim ? normalizePlace(options.claim.where.place) : 'nation';
  const period = parsePeriodLabel(options.period ?? options.claim?.queries[0]?.period ?? 'FY2025');
  const r = new Renderer(service, place, period, apiBase, options.release, claimEval, options.now);
  await r.prepare(text);
  const body = renderMarkdown(text, r.directive);
  const titleMatch = /^#\s+(.+)$/m.exec(text);
  const title = claimEval ? `Claim check: ${claimEval.title}` : titleMatch ? titleMatch[1]!.replace(/\{\{[^}]*\}\}/g, (m) => (m.includes('place_name') ? placeName(place) : m.includes('period') ? period.label : '')).trim() : 'Handoff report';
  const limits = limitsOf(service, r.results);
  const banner = limits.synthetic ? `<div class="banner" role="note">${escapeHtml(limits.synthetic_label!)}</div>` : '';
  const privateBanner = service.mode === 'private' ? `<div class="banner private" role="note">${escapeHtml(limits.suppression)}</div>` : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Handoff report (${escapeHtml(options.template)})">
<title>${escapeHtml(title)}${limits.synthetic ? ' — synthetic demo data' : ''}</title>
<style>${CSS}</style></head>
<body>
<header><p class="subtitle">Handoff report · ${escapeHtml(placeName(place))} · ${escapeHtml(period.description)} · generated ${escapeHtml(options.now().toISOString().slice(0, 10))} · ${escapeHtml(service.mode)} mode</p>
${banner}${privateBanner}
${limitsBox(limits, r.results, apiBase)}</header>
<main>
${body}
</main>
${definitionsAppendix(r.results, apiBase)}
<footer class="small"><p>${limits.synthetic ? `${escapeHtml(limits.synthetic_label!)} ` : ''}Handoff reports counts, definitions and limits; it does not rate claims.</p></footer>
</body></html>
`;
  return { html, title, synthetic: limits.synthetic, limits, results: r.results, claim: claimEval };
}

/** The table heading of each column that names the group of a cross's rows (src/contract GROUP_COLUMNS). */
const GROUP_HEADINGS: Record<GroupColumn, string> = { regime: 'policy in force', setting: 'setting', outcome: 'outcome' };

/** The group column of a metric's rows (a cross), if it has one. */
function groupColumnOf(columns: readonly string[]): GroupColumn | undefined {
  return GROUP_COLUMNS.find((c) => columns.includes(c));
}

/** A row's value named with its group when the metric's rows are a cross (`declined|violent_ucr`), else the value. */
function namedValue(columns: readonly string[], row: Record<string, unknown>): string {
  const g = groupColumnOf(columns);
  return g ? `${String(row[g] ?? '')}|${String(row.value)}` : String(row.value);
}
