/**
 * Period series drawn with Observable Plot: stacked published counts by a breakdown, withheld cells as
 * hatched segments at their lower bound (never as zero), and the place's policy changes as rules at
 * their effective dates, labeled with the entry and linked to its source.
 */
import * as Plot from '@observablehq/plot';
import type { MetricRow, PolicyEntryRow } from './api.ts';
import { cspSafe, type Column } from './chart.ts';
import { countText, fmtInt, fmtShare, h, label, labelNode, extLink, termLink } from './format.ts';

export const PALETTE = ['#1b6ca8', '#d9822b', '#6a51a3', '#2a9d8f', '#8c8c8c', '#b5446e', '#4d7c0f', '#7f5539'];

export interface PolicyMark {
  n: number;
  date: string;
  entry: PolicyEntryRow;
  short: string;
}

/** Policy entries with a known start date, numbered, for marking series. */
export function policyMarks(entries: PolicyEntryRow[]): PolicyMark[] {
  return entries
    .filter((e) => e.start && e.start_precision !== 'unknown')
    .sort((a, b) => String(a.start).localeCompare(String(b.start)))
    .map((entry, i) => ({ n: i + 1, date: entry.start!, entry, short: shortCitation(entry.citation) }));
}

export function shortCitation(c: string): string {
  const first = c.split(/[;(]/)[0]!.trim().replace(/,\s*\d.*$/, '');
  return first.length > 34 ? `${first.slice(0, 32)}…` : first;
}

const toDate = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const dayAfter = (iso: string): Date => new Date(toDate(iso).getTime() + 86_400_000);

interface Seg {
  x1: Date;
  x2: Date;
  y1: number;
  y2: number;
  key: string;
  withheld: boolean;
  title: string;
}

/** Segments of a stacked series: published counts stacked in order, then withheld cells above them. */
function segmentsOf(rows: MetricRow[], order: string[]): Seg[] {
  const byPeriod = new Map<string, MetricRow[]>();
  for (const r of rows) byPeriod.set(r.period, [...(byPeriod.get(r.period) ?? []), r]);
  const segs: Seg[] = [];
  for (const [period, list] of byPeriod) {
    let top = 0;
    const sorted = [...list].sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value));
    const x1 = toDate(list[0]!.period_start);
    const x2 = dayAfter(list[0]!.period_end);
    for (const r of sorted) {
      if (r.count === null || r.count === 0) continue;
      segs.push({ x1, x2, y1: top, y2: top + r.count, key: r.value, withheld: false, title: `${period} · ${label(r.value)}: ${fmtInt(r.count)}` });
      top += r.count;
    }
    for (const r of sorted) {
      if (r.count !== null) continue;
      const low = Math.max(1, r.count_low ?? 1);
      segs.push({ x1, x2, y1: top, y2: top + low, key: r.value, withheld: true, title: `${period} · ${label(r.value)}: ${r.display} (withheld; at least ${fmtInt(low)}${r.count_high !== null ? `, at most ${fmtInt(r.count_high)}` : ''})` });
      top += low;
    }
  }
  return segs;
}

export interface SeriesOptions {
  rows: MetricRow[];
  order: string[];
  marks: PolicyMark[];
  width: number;
  yLabel: string;
  /** Fixed y maximum (compare pages share one scale). */
  yMax?: number;
  height?: number;
  /** Periods that cover only part of their calendar span (the API's `meta.partial_periods`): shaded and labelled. */
  partial?: readonly string[];
}

/** A stacked period series (one colour per breakdown value) with policy rules. */
export function drawSeries(o: SeriesOptions): Element {
  const segs = segmentsOf(o.rows, o.order);
  const published = segs.filter((s) => !s.withheld);
  const withheld = segs.filter((s) => s.withheld);
  const starts = o.rows.map((r) => r.period_start).sort();
  const ends = o.rows.map((r) => r.period_end).sort();
  const domain: [Date, Date] | undefined = starts.length ? [toDate(starts[0]!), dayAfter(ends[ends.length - 1]!)] : undefined;
  const inDomain = domain ? o.marks.filter((m) => toDate(m.date) >= domain[0] && toDate(m.date) <= domain[1]) : [];
  const narrow = o.width < 520;
  const partialSpans = [...new Map(o.rows.filter((r) => o.partial?.includes(r.period)).map((r) => [r.period, { x1: toDate(r.period_start), x2: dayAfter(r.period_end), period: r.period }])).values()];
  return cspSafe(
    Plot.plot({
      className: 'plot',
      width: o.width,
      height: o.height ?? (narrow ? 240 : 300),
      marginLeft: 48,
      marginTop: inDomain.length ? 28 : 12,
      x: { type: 'utc', domain, label: null, ticks: narrow ? 4 : 8 },
      y: { label: o.yLabel, grid: true, nice: true, ...(o.yMax !== undefined ? { domain: [0, o.yMax] } : {}) },
      color: { domain: o.order, range: PALETTE, legend: false },
      marks: [
        // Partial periods: a grey band behind the bars and a label, so a short period is not read as a fall.
        Plot.rect(partialSpans, { x1: 'x1', x2: 'x2', fill: '#000', fillOpacity: 0.07, title: (d: { period: string }) => `${d.period}: partial period (fewer days or months of records)` }),
        Plot.rect(published, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'key', inset: 0.5, title: 'title' }),
        Plot.rect(withheld, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'url(#withheld-hatch)', stroke: '#555', strokeWidth: 0.5, inset: 0.5, title: 'title' }),
        Plot.ruleY([0]),
        Plot.text(partialSpans, { x: (d: { x1: Date; x2: Date }) => new Date((d.x1.getTime() + d.x2.getTime()) / 2), text: () => 'partial', frameAnchor: 'top', dy: 8, fill: '#333', fontSize: 10 }),
        Plot.ruleX(inDomain, { x: (m: PolicyMark) => toDate(m.date), stroke: '#111', strokeDasharray: '4 3', strokeWidth: 1.5 }),
        ...(['start', 'end'] as const).map((anchor) =>
          Plot.text(
            // Labels in the right third of the chart run leftwards so they are not cut off.
            inDomain.filter((m) => (anchor === 'end') === (!!domain && toDate(m.date).getTime() > domain[0].getTime() + (domain[1].getTime() - domain[0].getTime()) * 0.66)),
            {
              x: (m: PolicyMark) => toDate(m.date),
              text: (m: PolicyMark) => `${m.n}. ${narrow ? '' : m.short}`.trim(),
              frameAnchor: 'top',
              dy: -16,
              textAnchor: anchor,
              dx: anchor === 'start' ? 3 : -3,
              fontWeight: 600,
              href: (m: PolicyMark) => m.entry.sources[0] ?? `#policy-${m.entry.entry_id}`,
              target: '_blank',
              title: (m: PolicyMark) => `${m.date}: ${m.entry.citation}`,
            },
          ),
        ),
      ],
    }),
  ) as Element;
}

/** HTML legend (swatches) for a series, including the withheld hatch. */
export function legend(order: string[], rows: MetricRow[]): HTMLElement {
  const present = order.filter((v) => rows.some((r) => r.value === v));
  const anyWithheld = rows.some((r) => r.count === null);
  const sw = (fill: string, hatch = false) => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('width', '14');
    svg.setAttribute('height', '14');
    svg.setAttribute('aria-hidden', 'true');
    const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    r.setAttribute('width', '14');
    r.setAttribute('height', '14');
    r.setAttribute('fill', hatch ? 'url(#withheld-hatch)' : fill);
    if (hatch) r.setAttribute('stroke', '#555');
    svg.append(r);
    return svg;
  };
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    present.map((v) => h('li', {}, sw(PALETTE[order.indexOf(v) % PALETTE.length]!), labelNode(v))),
    anyWithheld ? h('li', {}, sw('', true), termLink('Withheld', 'withheld'), ', or only a lower bound (', termLink('“at least N”', 'at-least'), '): drawn hatched at its lower bound') : null,
  );
}

/** The list of policy changes marked on a series (each with its citation and source link). */
export function marksList(marks: PolicyMark[], rows: MetricRow[]): HTMLElement | null {
  if (!marks.length) return null;
  const starts = rows.map((r) => r.period_start).sort();
  const ends = rows.map((r) => r.period_end).sort();
  const lo = starts[0] ?? '';
  const hi = ends[ends.length - 1] ?? '';
  return h(
    'ol',
    { class: 'marks' },
    marks.map((m) =>
      h(
        'li',
        { value: String(m.n) },
        h('span', { class: 'mark-date' }, m.date),
        ' ',
        h('a', { href: `#policy-${m.entry.entry_id}` }, m.entry.citation),
        m.entry.sources[0] ? [' (', extLink(m.entry.sources[0], 'source'), ')'] : null,
        m.date < lo || m.date > hi ? h('span', { class: 'muted' }, ' — outside the period shown') : null,
      ),
    ),
  );
}

/** Table columns for metric rows. */
export function metricColumns(opts: { share?: boolean; days?: boolean } = {}): Column[] {
  const cols: Column[] = [
    { key: 'period', label: 'Period' },
    { key: 'place', label: 'Place' },
    { key: 'value', label: 'Value', text: (r) => label(String(r.value)) },
    { key: 'count', label: 'Count', numeric: true, text: (r) => countText(r as unknown as MetricRow) },
    { key: 'display', label: 'Shown as' },
    { key: 'withheld_cells', label: 'Withheld cells', numeric: true },
    { key: 'count_low', label: 'At least', numeric: true },
    { key: 'count_high', label: 'At most', numeric: true },
  ];
  if (opts.share) cols.push({ key: 'denominator', label: 'Denominator', numeric: true }, { key: 'share', label: 'Share', numeric: true, text: (r) => fmtShare(r.share as number | null) });
  if (opts.days) cols.push({ key: 'median_days', label: 'Median days', numeric: true }, { key: 'p25_days', label: '25th pct days', numeric: true }, { key: 'p75_days', label: '75th pct days', numeric: true });
  return cols;
}

/** Horizontal bars of one period's counts by value; withheld cells hatched at their lower bound. */
export function drawBars(rows: MetricRow[], width: number, xLabel: string): Element {
  const data = rows.map((r) => ({
    name: label(r.value),
    v: r.count ?? Math.max(1, r.count_low ?? 1),
    withheld: r.count === null,
    title: `${label(r.value)}: ${countText(r)}${r.count === null ? ' (withheld; drawn at its lower bound)' : ''}${r.share !== null && r.share !== undefined ? ` · ${fmtShare(r.share)}` : ''}`,
    text: countText(r),
  }));
  const names = data.map((d) => d.name);
  const narrow = width < 520;
  return cspSafe(
    Plot.plot({
      className: 'plot',
      width,
      height: 30 + data.length * 26,
      marginLeft: narrow ? 150 : 230,
      marginRight: 56,
      x: { label: xLabel, grid: true, nice: true },
      y: { domain: names, label: null, tickFormat: (n: string) => (narrow && n.length > 24 ? `${n.slice(0, 23)}…` : n) },
      marks: [
        Plot.barX(data.filter((d) => !d.withheld), { x: 'v', y: 'name', fill: PALETTE[0], title: 'title' }),
        Plot.barX(data.filter((d) => d.withheld), { x: 'v', y: 'name', fill: 'url(#withheld-hatch)', stroke: '#555', strokeWidth: 0.5, title: 'title' }),
        Plot.text(data, { x: 'v', y: 'name', text: 'text', textAnchor: 'start', dx: 4 }),
        Plot.ruleX([0]),
      ],
    }),
  ) as Element;
}

/** Policy timeline: one bar per entry from its start to its end (open-ended entries run to `until`). */
export function drawTimeline(entries: PolicyEntryRow[], width: number, until: string, colors: Record<string, string>): Element {
  const dated = entries.filter((e) => e.start);
  const data = dated.map((e) => ({
    name: `${shortCitation(e.citation)} (${e.jurisdiction})`,
    x1: toDate(e.start!),
    x2: toDate(e.end ?? until),
    regime: e.honors_detainers,
    title: `${e.start}${e.start_precision !== 'day' ? ` (${e.start_precision})` : ''} to ${e.end ?? 'now'}: ${e.citation}`,
    href: `#policy-${e.entry_id}`,
  }));
  const narrow = width < 520;
  return cspSafe(
    Plot.plot({
      className: 'plot',
      width,
      height: 40 + data.length * 28,
      marginLeft: narrow ? 130 : 260,
      x: { type: 'utc', label: null, ticks: narrow ? 4 : 8 },
      y: { domain: data.map((d) => d.name), label: null, tickFormat: (n: string) => (n.length > (narrow ? 20 : 40) ? `${n.slice(0, narrow ? 19 : 39)}…` : n) },
      color: { domain: Object.keys(colors), range: Object.values(colors) },
      marks: [
        Plot.barX(data, { x1: 'x1', x2: 'x2', y: 'name', fill: 'regime', title: 'title', href: 'href', insetTop: 4, insetBottom: 4 }),
      ],
    }),
  ) as Element;
}

/** Words for the shaded partial periods of a series (the API's `meta.partial_periods`), or nothing. */
export function partialNote(partial: readonly string[] | undefined): HTMLElement | null {
  if (!partial?.length) return null;
  return h('p', { class: 'muted partial-note' }, `Shaded: ${partial.join(', ')} ${partial.length === 1 ? 'is a partial period' : 'are partial periods'}, holding only part of ${partial.length === 1 ? 'its' : 'their'} months or days (the release starts or ends inside ${partial.length === 1 ? 'it' : 'them'}, or the chosen window cuts ${partial.length === 1 ? 'it' : 'them'}); a lower bar there is the calendar, not a change.`);
}
