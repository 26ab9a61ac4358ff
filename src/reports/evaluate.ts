/**
 * Evaluates metric queries and claims on the loaded data, through the metrics service (the same
 * `runMetric` the API calls), and gathers what limits the figures: the releases used and whether
 * they are synthetic, the last month with records, suppression, and the data-quality figures of the
 * same slice. Nothing here computes a figure of its own.
 */
import { SYNTHETIC_LABEL } from '../core/synthetic.ts';
import {
  findMetric,
  monthEnd,
  monthLabel,
  runMetric,
  SMALL_CELL_MAX,
  type MetricDefinition,
  type MetricParams,
  type MetricsService,
  type Mode,
  type Row,
  type Universe,
  UNIVERSE_WORDS,
} from '../metrics/index.ts';
import { describePolicy, parsePlaceKey, policyAt, policyTimeline, type PolicyDescription } from '../policy/index.ts';
import { NEAR_CUTOFF_DAYS } from '../link/index.ts';
import type { Claim, ClaimQuery, ClaimSource, ClaimStatement } from './claims.ts';
import { parsePeriodLabel, type ReportPeriod } from './period-label.ts';

/** A metric query as a report or claim writes it. */
export interface MetricQuery {
  metric: string;
  place: string;
  period: string;
  grain?: string;
  by?: string;
  /** Pin a release (default: the newest with records of the metric's kind). */
  release?: string;
}

/** A release a figure came from, and how far its records reach. */
export interface ReleaseUsed {
  release_id: string;
  label: string;
  synthetic: boolean;
  /** Last day of the last month with records of this kind in the release (the cut-off, to the month). */
  records_through: string | null;
  records_from: string | null;
}

/** The answer to one metric query, with everything needed to cite and reproduce it. */
export interface QueryResult {
  metric: string;
  metric_title: string;
  metric_description: string;
  counts: string;
  metric_numerator: string;
  metric_denominator: string | null;
  exclusions: { what: string; why: string }[];
  place: string;
  period: ReportPeriod;
  grain: string;
  by: string;
  /** The exact call, as the API's URL (release pinned). */
  api_url: string;
  /** The metric's definition on the API docs page. */
  definition_url: string;
  /** The metric's section in docs/metrics.md. */
  docs_anchor: string;
  release: ReleaseUsed;
  fact_source: string | null;
  columns: readonly string[];
  rows: Row[];
  quality: Row[];
  notes: string[];
  /** Set when the loaded data cannot give this figure at all (e.g. no release with ICE arrests): the reason, in words. */
  not_available?: string;
}

/** One claim query evaluated: the claim's framing plus the figures. */
export interface EvaluatedQuery extends QueryResult {
  id: string;
  question: string;
  population: string;
  numerator: string;
  denominator: string;
  definition: string;
  violent_definition: string | null;
  shows: string;
  does_not_show: string;
  chart: 'bar' | 'line' | 'none';
}

/** A policy timeline section of a claim. */
export interface EvaluatedPolicy {
  place: string;
  api_url: string;
  shows: string | null;
  does_not_show: string | null;
  timeline: Row[];
  at: { date: string; api_url: string; policy: PolicyDescription }[];
}

/** What the figures rest on and what limits them, for the first page of a report. */
export interface DataLimits {
  mode: Mode;
  synthetic: boolean;
  synthetic_label: string | null;
  releases: ReleaseUsed[];
  suppression: string;
  cutoff_note: string;
}

/**
 * Another sentence the claim's sources carry (the speaker's own, or a counter-claim), with its speaker
 * and date resolved: the figures that bear on it are the claim's queries it names, or none, with why.
 */
export interface EvaluatedStatement {
  id: string;
  words: string;
  relation: ClaimStatement['relation'];
  speaker: Claim['speaker'];
  said_on: string;
  said_on_note: string | null;
  sources: string[];
  source_note: string;
  testable: boolean;
  not_testable_reason: string | null;
  /** Ids of the claim's evaluated queries (`queries[].id`) that bear on the words; empty when not testable. */
  queries: string[];
}

/** A claim with its figures, as `/api/claims/<id>.json` returns it under `claim`. */
export interface EvaluatedClaim {
  id: string;
  title: string;
  words: string;
  speaker: Claim['speaker'];
  said_on: string;
  said_on_note: string | null;
  where: Claim['where'];
  sources: ClaimSource[];
  source_status: Claim['source_status'];
  source_note: string;
  reviewed: Claim['reviewed'] | null;
  file: string;
  limits: DataLimits;
  queries: EvaluatedQuery[];
  policy: EvaluatedPolicy[];
  statements: EvaluatedStatement[];
}

/** GitHub's anchor of a metric's heading in docs/metrics.md ("### `id` — Title"). */
export function docsAnchorOf(metricId: string): string {
  const m = findMetric(metricId);
  const heading = m ? `\`${m.id}\` — ${m.title}` : metricId;
  const slug = heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
  return `docs/metrics.md#${slug}`;
}

/** The API URL of a metric call; parameters in a fixed order so equal calls give equal URLs. */
export function metricUrl(metric: string, params: MetricParams, format: 'json' | 'csv' = 'json'): string {
  const search = new URLSearchParams();
  for (const k of ['place', 'grain', 'by', 'from', 'to', 'release'] as const) if (params[k] !== undefined) search.set(k, params[k]!);
  return `/api/metrics/${metric}.${format}?${search.toString().replace(/%3A/g, ':')}`;
}

/** Text describing suppression in a mode. */
export function suppressionText(mode: Mode): string {
  return mode === 'public'
    ? `Public mode: counts of 1–${SMALL_CELL_MAX} are withheld, with the other cells that would reveal them. Every month, quarter, fiscal year, calendar year and the whole release is counted from the records, never summed from published cells. A figure is the exact count, or it says "at least N" (some of the cells it adds up are withheld), "withheld" (none is published) or "not available" (the release cannot give it); a withheld figure is never shown as zero.`
    : 'PRIVATE MODE: small-cell suppression is off; counts of 1–10 are shown. Do not publish or share these figures.';
}

async function releaseUsed(service: MetricsService, releaseId: string, universe: Universe): Promise<ReleaseUsed> {
  const r = service.release(releaseId)!;
  const cube = (await service.cube(releaseId, universe)).cube;
  const has = Number.isFinite(cube.lastMonth);
  return {
    release_id: r.release_id,
    label: r.label,
    synthetic: r.synthetic,
    records_through: has ? monthEnd(cube.lastMonth) : null,
    records_from: has ? `${monthLabel(cube.firstMonth)}-01` : null,
  };
}

/** What a query result says of its metric's definition, and where to read it. */
function definitionFields(m: MetricDefinition): Pick<QueryResult, 'metric' | 'metric_title' | 'metric_description' | 'counts' | 'metric_numerator' | 'metric_denominator' | 'exclusions' | 'definition_url' | 'docs_anchor'> {
  return {
    metric: m.id,
    metric_title: m.title,
    metric_description: m.description,
    counts: m.counts,
    metric_numerator: m.numerator,
    metric_denominator: m.denominator,
    exclusions: m.exclusions,
    definition_url: `/api/docs#${m.id}`,
    docs_anchor: docsAnchorOf(m.id),
  };
}

/** Runs one metric query through the metrics service. Errors are HandoffErrors from `runMetric`. */
export async function runQuery(service: MetricsService, q: MetricQuery): Promise<QueryResult> {
  const period = parsePeriodLabel(q.period);
  const params: MetricParams = { place: q.place, grain: q.grain ?? 'total', from: period.from, to: period.to };
  if (q.by !== undefined) params.by = q.by;
  if (q.release !== undefined) params.release = q.release;
  const metric = findMetric(q.metric);
  const wanted = metric && metric.universe !== 'context' ? metric.universe : 'detainers';
  if (metric && q.release === undefined && !service.defaultRelease(wanted)) {
    return notAvailable(service, q, params, period, metric, wanted);
  }
  const result = await runMetric(service, q.metric, params);
  const m = result.metric;
  const universe: Universe = m.universe === 'context' ? 'detainers' : m.universe;
  const release = await releaseUsed(service, result.release.release_id, universe);
  const notes = [...result.notes];
  if (release.records_through && release.records_through < period.to) {
    notes.push(`The release's ${universe} records end in ${release.records_through.slice(0, 7)}; ${period.label} runs to ${period.to}, so the figures cover only the months through ${release.records_through.slice(0, 7)}.`);
  }
  if (release.records_from && release.records_from > period.from) {
    notes.push(`The release's ${universe} records start in ${release.records_from.slice(0, 7)}; earlier months of ${period.label} are not in it.`);
  }
  const pinned: MetricParams = { ...params, by: result.by, release: result.release.release_id };
  return {
    ...definitionFields(m),
    place: result.place.unit,
    period,
    grain: result.grain,
    by: result.by,
    api_url: metricUrl(m.id, pinned),
    release,
    fact_source: result.source,
    columns: result.columns,
    rows: result.rows,
    quality: result.quality,
    notes,
  };
}

/**
 * A query the loaded data cannot answer because no release holds its universe: the report and the
 * claim check say so in words, with the releases that are loaded, instead of stopping.
 */
function notAvailable(service: MetricsService, q: MetricQuery, params: MetricParams, period: ReportPeriod, m: MetricDefinition, universe: Universe): QueryResult {
  const what = UNIVERSE_WORDS[universe];
  const loaded = service.releases.map((r) => `${r.label} (${r.kind === 'ice_release' ? `${r.detainers} detainers, ${r.arrests} arrests, ${r.removals} removals` : r.kind})`);
  const reason = `Not available: no release loaded in this database has ${what}${loaded.length ? `; loaded: ${loaded.join('; ')}` : ''}.`;
  return {
    ...definitionFields(m),
    place: q.place ?? 'nation',
    period,
    grain: params.grain ?? 'total',
    by: q.by ?? m.by[0] ?? 'total',
    api_url: metricUrl(m.id, params),
    release: { release_id: 'none', label: `no release with ${what}`, synthetic: false, records_through: null, records_from: null },
    fact_source: null,
    columns: m.columns,
    rows: [],
    quality: [],
    notes: [reason],
    not_available: reason,
  };
}

/** Limits common to a set of query results. */
export function limitsOf(service: MetricsService, results: readonly QueryResult[]): DataLimits {
  const releases = new Map<string, ReleaseUsed>();
  for (const r of results) {
    if (r.not_available) continue;
    const prev = releases.get(r.release.release_id);
    if (!prev || (r.release.records_through ?? '') > (prev.records_through ?? '')) releases.set(r.release.release_id, r.release);
  }
  const list = [...releases.values()];
  const synthetic = list.some((r) => r.synthetic);
  return {
    mode: service.mode,
    synthetic,
    synthetic_label: synthetic ? `${SYNTHETIC_LABEL.toUpperCase()}: generated by Handoff, not ICE records. These figures describe nothing that happened.` : null,
    releases: list,
    suppression: suppressionText(service.mode),
    cutoff_note: `Each release ends at a cut-off date. A detainer prepared within ${NEAR_CUTOFF_DAYS} days before it may not show its outcome yet, and a blank lift reason can mean the person was still in custody or that the record was never updated.`,
  };
}

/** The policy timeline of a place (and its state on given dates), with the API URLs that give the same. */
export function policySectionOf(service: MetricsService, p: NonNullable<Claim['policy']>[number]): EvaluatedPolicy {
  const { place, key } = parsePlaceKey(p.place);
  const timeline = policyTimeline(service.policies, place).map((t) => ({
    start: t.start ?? 'unknown',
    end: t.end ?? '',
    level: t.level,
    jurisdiction: t.entry.jurisdiction.name,
    honors_detainers: t.entry.honors_detainers,
    confidence: t.entry.confidence,
    citation: t.entry.citation,
    summary: t.entry.summary,
    sources: t.entry.sources.join(' '),
    entry_id: t.entry.id,
  }));
  return {
    place: key,
    api_url: `/api/policies/${key}.json`,
    shows: p.shows ?? null,
    does_not_show: p.does_not_show ?? null,
    timeline,
    at: (p.at ?? []).map((date) => ({ date, api_url: `/api/policies/${key}.json?at=${date}`, policy: describePolicy(policyAt(service.policies, place, date)) })),
  };
}

/** Evaluates a claim: every query through the metrics service, and its policy timelines. */
export async function evaluateClaim(service: MetricsService, claim: Claim, options: { release?: string; root?: string } = {}): Promise<EvaluatedClaim> {
  const queries: EvaluatedQuery[] = [];
  for (const q of claim.queries) {
    const r = await runQuery(service, { metric: q.metric, place: q.place, period: q.period, grain: q.grain, by: q.by, release: options.release });
    queries.push({ ...r, ...framing(q) });
  }
  const file = options.root && claim.file.startsWith(options.root) ? claim.file.slice(options.root.length).replace(/^\/+/, '') : claim.file.replace(/^.*\/(reference\/claims\/)/, '$1');
  return {
    id: claim.id,
    title: claim.title,
    words: claim.words,
    speaker: claim.speaker,
    said_on: claim.said_on,
    said_on_note: claim.said_on_note ?? null,
    where: claim.where,
    sources: claim.sources,
    source_status: claim.source_status,
    source_note: claim.source_note,
    reviewed: claim.reviewed ?? null,
    file,
    limits: limitsOf(service, queries),
    queries,
    policy: (claim.policy ?? []).map((p) => policySectionOf(service, p)),
    statements: (claim.statements ?? []).map((st) => statementOf(claim, st)),
  };
}

/** A statement with the claim's speaker and date where it gives none (same_speaker; the loader checks counter-claims name theirs). */
function statementOf(claim: Claim, st: ClaimStatement): EvaluatedStatement {
  const own = st.relation === 'same_speaker';
  return {
    id: st.id,
    words: st.words,
    relation: st.relation,
    speaker: st.speaker ?? claim.speaker,
    said_on: st.said_on ?? claim.said_on,
    said_on_note: st.said_on !== undefined ? (st.said_on_note ?? null) : own ? (claim.said_on_note ?? null) : (st.said_on_note ?? null),
    sources: st.sources,
    source_note: st.source_note,
    testable: st.testable,
    not_testable_reason: st.testable ? null : (st.not_testable_reason ?? null),
    queries: st.testable ? [...(st.queries ?? [])] : [],
  };
}

function framing(q: ClaimQuery) {
  return {
    id: q.id,
    question: q.question,
    population: q.population,
    numerator: q.numerator,
    denominator: q.denominator,
    definition: q.definition,
    violent_definition: q.violent_definition ?? null,
    shows: q.shows,
    does_not_show: q.does_not_show,
    chart: q.chart ?? 'bar',
  };
}
