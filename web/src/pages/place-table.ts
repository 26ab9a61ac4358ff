/**
 * The yearly table of a place (state, county, facility), as TRAC's detainer tool reads: federal fiscal
 * years down, measures across (detainers issued, transferred to ICE, declined, released without ICE
 * custody, and for states and counties ICE arrests and removals), plain numbers, and a CSV of the same
 * figures.
 *
 * Does: show each cell as the API serves it — an exact count as a number, "at least N", "withheld"
 * with the bounds the published figures give, "not available" — and the row of the whole period from
 * the API's own `grain=total` answer; mark the partial periods the API lists; build the CSV from the
 * same rows, with a status and the bounds beside each count.
 * Does not: add, subtract or otherwise derive a figure in the browser (a total is always the API's
 * cell at that grain), or ask for a measure the API does not serve at the place's level (ICE arrests
 * and removals have no facility).
 * API: /api/metrics/{detainers_issued,detainer_outcomes,detainers_released_without_ice_custody,
 * ice_arrests_by_method,removals}.json?place=…&grain=fiscal_year|total (&by=…, &from=…&to=…)
 */
import { apiWindow, getMetric, metricUrl, type Envelope, type Meta, type MetricQuery, type MetricRow } from '../api.ts';
import { csvCell, download, downloadName, releaseIdsOf, sourceLine } from '../chart.ts';
import { fmtInt, h, label, labelNode, plainCodes, termLink } from '../format.ts';
import { filters } from '../state.ts';

export type PlaceLevel = 'state' | 'county' | 'facility';

/** One column of the table: which API row gives its cell. `id` is its stable CSV name. */
export interface Measure {
  id: string;
  metric: string;
  by?: string;
  /** The row's `value` that is this measure. */
  value: string;
  /** Place levels the API serves it at. */
  levels: readonly PlaceLevel[];
}

const ALL: readonly PlaceLevel[] = ['state', 'county', 'facility'];

/** The measures, in column order. Arrests and removals are placed by where ICE apprehended the person, never at a facility. */
export const MEASURES: readonly Measure[] = [
  { id: 'detainers_issued', metric: 'detainers_issued', value: 'total', levels: ALL },
  { id: 'transferred_to_ice', metric: 'detainer_outcomes', by: 'outcome', value: 'transferred_to_ice', levels: ALL },
  { id: 'declined', metric: 'detainer_outcomes', by: 'outcome', value: 'declined', levels: ALL },
  { id: 'released_without_ice_custody_upper_bound', metric: 'detainers_released_without_ice_custody', value: 'released_without_ice_custody_upper_bound', levels: ALL },
  { id: 'ice_arrests', metric: 'ice_arrests_by_method', by: 'total', value: 'total', levels: ['state', 'county'] },
  { id: 'removals', metric: 'removals', value: 'total', levels: ['state', 'county'] },
];

/** The measures of a place level. */
export const measuresFor = (level: PlaceLevel): Measure[] => MEASURES.filter((m) => m.levels.includes(level));

/** What a cell says: the API's figure in words, never a number the API did not give. */
export function cellText(r: MetricRow | undefined): string {
  if (!r) return '—';
  const status = r.status ?? (r.count !== null ? 'exact' : 'withheld');
  if (status === 'exact') return fmtInt(r.count);
  if (status === 'at_least') return `at least ${fmtInt(r.count_low)}`;
  if (status === 'not_available') return 'not available';
  // Withheld: the bounds an outsider can compute from every published figure (zeros are withheld too, and complements can exceed 10).
  return r.count_low !== null && r.count_high !== null ? `withheld (${fmtInt(r.count_low)}–${fmtInt(r.count_high)})` : 'withheld';
}

const CELL_CLASS: Record<string, string> = { withheld: 'cell-withheld', at_least: 'cell-at-least', not_available: 'cell-not-available' };

const cellTitle = (r: MetricRow | undefined): string | undefined => {
  if (!r) return 'No figure for this period in the release this measure is read from.';
  if (r.status === 'withheld') return `Withheld to protect small counts; the published figures put it between ${fmtInt(r.count_low)} and ${fmtInt(r.count_high)}.`;
  if (r.status === 'at_least') return `Part of it is withheld: at least ${fmtInt(r.count_low)}${r.count_high !== null ? `, at most ${fmtInt(r.count_high)}` : ''}.`;
  return undefined;
};

/** One request of the table: a metric (and breakdown) at a grain. */
interface Answer {
  measures: Measure[];
  years: Envelope<MetricRow>;
  total: Envelope<MetricRow>;
  yearsUrl: string;
}

/** A row of the table: a fiscal year, or the whole period. */
interface TableRow {
  period: string;
  period_start: string;
  period_end: string;
  partial: boolean;
  total: boolean;
  cells: Map<string, MetricRow | undefined>;
}

/** Fetches each metric the measures need, by fiscal year and over the whole period (one request per metric and grain). */
async function fetchAnswers(place: string, measures: Measure[]): Promise<Answer[]> {
  const f = filters();
  const w = apiWindow(f.from, f.to);
  const groups = new Map<string, Measure[]>();
  for (const m of measures) groups.set(`${m.metric}|${m.by ?? ''}`, [...(groups.get(`${m.metric}|${m.by ?? ''}`) ?? []), m]);
  return Promise.all(
    [...groups.values()].map(async (ms) => {
      const base: MetricQuery = { place, ...(ms[0]!.by ? { by: ms[0]!.by } : {}), ...w };
      const [years, total] = await Promise.all([getMetric(ms[0]!.metric, { ...base, grain: 'fiscal_year' }), getMetric(ms[0]!.metric, { ...base, grain: 'total' })]);
      return { measures: ms, years, total, yearsUrl: metricUrl(ms[0]!.metric, { ...base, grain: 'fiscal_year' }, 'csv') };
    }),
  );
}

/** The table's rows: every fiscal year any measure has a row for, in order, then the whole period. */
function tableRows(answers: Answer[], measures: Measure[]): TableRow[] {
  const partial = new Set(answers.flatMap((a) => [...(a.years.meta.partial_periods ?? [])]));
  const partialTotal = answers.some((a) => (a.total.meta.partial_periods ?? []).length > 0);
  const rowOf = (rows: MetricRow[], m: Measure, period: string) => rows.find((r) => r.period === period && r.value === m.value);
  const answerOf = (m: Measure) => answers.find((a) => a.measures.includes(m))!;
  const spans = new Map<string, { start: string; end: string }>();
  for (const a of answers) for (const r of a.years.rows) if (!spans.has(r.period)) spans.set(r.period, { start: r.period_start, end: r.period_end });
  const years = [...spans.entries()].sort((x, y) => x[1].start.localeCompare(y[1].start) || x[0].localeCompare(y[0]));
  const out: TableRow[] = years.map(([period, s]) => ({
    period,
    period_start: s.start,
    period_end: s.end,
    partial: partial.has(period),
    total: false,
    cells: new Map(measures.map((m) => [m.id, rowOf(answerOf(m).years.rows, m, period)])),
  }));
  const first = answers.flatMap((a) => a.total.rows)[0];
  out.push({
    period: 'total',
    period_start: first?.period_start ?? '',
    period_end: first?.period_end ?? '',
    partial: partialTotal,
    total: true,
    cells: new Map(measures.map((m) => [m.id, answerOf(m).total.rows.find((r) => r.value === m.value)])),
  });
  return out;
}

/** The download's name, as the API names its own (`handoff_yearly_table_<place>_fiscal_year_<from>_<to>_<release>.csv`). */
export function tableFileName(place: string, releases: string[], window: { from?: string; to?: string }): string {
  return downloadName('yearly_table', { place, grain: 'fiscal_year', ...window, releases });
}

/** The CSV's columns, in order: the period, then four per measure, then the releases. */
export function csvColumns(measures: Measure[]): string[] {
  return ['place', 'period', 'period_start', 'period_end', 'partial_period', ...measures.flatMap((m) => [m.id, `${m.id}_status`, `${m.id}_low`, `${m.id}_high`]), 'release_id', 'synthetic'];
}

/** CSV of the table's figures: no comment lines; the release and the synthetic flag are columns. */
function tableCsv(place: string, rows: TableRow[], measures: Measure[], metas: Meta[]): string {
  const releases = releaseIdsOf(metas);
  const synthetic = metas.some((m) => m.synthetic);
  const lines = [csvColumns(measures).join(',')];
  for (const r of rows) {
    const fields: unknown[] = [place, r.period, r.period_start, r.period_end, r.partial];
    for (const m of measures) {
      const c = r.cells.get(m.id);
      // The count column holds exact counts only; "at least N" is status at_least with N in the low column.
      fields.push(c && c.status === 'exact' ? c.count : null, c?.status ?? null, c?.count_low ?? null, c?.count_high ?? null);
    }
    fields.push(releases.join(' '), synthetic);
    lines.push(fields.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const CSV_MEANINGS: [string, string][] = [
  ['place', 'The place key the API was asked for (state:XX, county:FIPS, facility:CODE).'],
  ['period', 'The federal fiscal year (FY2025 = October 2024 to September 2025), or “total” for the whole period.'],
  ['period_start, period_end', 'The first and last day the row counts (the release’s own first or last day where it starts or ends inside the year).'],
  ['partial_period', 'true when the row covers only part of its span (the release starts or ends inside it, or the chosen months cut it).'],
  ['<measure>', 'The exact count; empty unless the status is exact.'],
  ['<measure>_status', 'exact, at_least (part is withheld: the count is at least the low column), withheld (the low and high columns bound it), not_available (the release cannot give it), or empty when the release has no figure for the period.'],
  ['<measure>_low, <measure>_high', 'The bounds of the true value that the published figures give.'],
  ['release_id', 'The release or releases the figures are counted from.'],
  ['synthetic', 'true for synthetic demo data generated by Handoff, not ICE records.'],
];

/** Words for the partial rows, as the charts' note says them for shaded bars. */
function partialRowsNote(rows: TableRow[]): HTMLElement | null {
  const partial = rows.filter((r) => r.partial && !r.total).map((r) => r.period);
  if (!partial.length) return null;
  const one = partial.length === 1;
  return h('p', { class: 'muted partial-note' }, `Shaded, marked “partial”: ${partial.join(', ')} ${one ? 'is a partial period' : 'are partial periods'}, holding only part of ${one ? 'its' : 'their'} months or days (the release starts or ends inside ${one ? 'it' : 'them'}, or the chosen months cut ${one ? 'it' : 'them'}); a lower count there is the calendar, not a change.`);
}

const monthSpan = (r: TableRow): string => (r.period_start && r.period_end ? `${r.period_start.slice(0, 7)} to ${r.period_end.slice(0, 7)}` : '');

/**
 * The yearly table block of a place.
 * @param place the API's place key (`state:MA`, `county:25025`, `facility:CODE`)
 * @param name the place's name for the caption
 */
export async function yearlyTable(place: string, name: string, level: PlaceLevel): Promise<HTMLElement> {
  const measures = measuresFor(level);
  const answers = await fetchAnswers(place, measures);
  const rows = tableRows(answers, measures);
  const metas = answers.flatMap((a) => [a.years.meta, a.total.meta]);
  const f = filters();
  const windowed = Boolean(f.from || f.to);
  const head = h('tr', {}, h('th', { scope: 'col' }, termLink('Fiscal year', 'fiscal-year')), measures.map((m) => h('th', { scope: 'col', class: 'num', 'data-measure': m.id }, labelNode(m.id))));
  const bodyRow = (r: TableRow) =>
    h(
      'tr',
      { class: r.partial ? 'partial' : undefined, 'data-period': r.period },
      h('th', { scope: 'row' }, r.total ? (windowed ? 'Whole window' : 'Whole release') : r.period, r.partial ? h('span', { class: 'partial-tag' }, ' partial') : null, h('span', { class: 'period-span' }, monthSpan(r))),
      measures.map((m) => {
        const c = r.cells.get(m.id);
        const status = c ? (c.status ?? (c.count !== null ? 'exact' : 'withheld')) : 'none';
        return h('td', { class: ['num', CELL_CLASS[status]].filter(Boolean).join(' '), 'data-measure': m.id, 'data-status': status, title: cellTitle(c) }, cellText(c));
      }),
    );
  const years = rows.filter((r) => !r.total);
  const table = h(
    'table',
    { class: 'yearly' },
    h('caption', {}, `Yearly figures, ${name}`),
    h('thead', {}, head),
    h('tbody', {}, years.map(bodyRow)),
    h('tfoot', {}, rows.filter((r) => r.total).map(bodyRow)),
  );
  const releases = releaseIdsOf(metas);
  const fileName = tableFileName(place, releases, apiWindow(f.from, f.to));
  const status = h('span', { class: 'action-status', role: 'status' });
  const csvButton = h('button', { type: 'button', class: 'action' }, 'Download CSV');
  csvButton.addEventListener('click', () => {
    download(fileName, tableCsv(place, rows, measures, metas));
    status.textContent = `Downloaded ${rows.length} rows as ${fileName}.`;
  });
  // The API's notes in words, each under the measure it is about (partial periods have their own note).
  const notes = new Map<string, string[]>();
  for (const a of answers)
    for (const n of [...(a.years.meta.notes ?? []), ...(a.total.meta.notes ?? [])]) {
      if (/^Partial periods?:/.test(n)) continue;
      const who = a.measures.map((m) => label(m.id)).join(', ');
      if (!(notes.get(n) ?? []).includes(who)) notes.set(n, [...(notes.get(n) ?? []), who]);
    }
  const missing = rows.some((r) => [...r.cells.values()].some((c) => !c));
  return h(
    'section',
    { class: 'chart', id: 'yearly-table', 'aria-labelledby': 'yearly-table-title' },
    h('h2', { id: 'yearly-table-title' }, `Year by year, ${name}`),
    h(
      'p',
      { class: 'subtitle' },
      'Each figure is counted from the records of that fiscal year (October to September), and the last row over the whole period, never added up from the years. ',
      termLink('Declined', 'declined'),
      ' is the strict count (ICE’s lift reason “Detainer Declined by LEA”), a floor; released without ICE custody is its upper bound, given only for years with 90 days of follow-up. ',
      level === 'facility' ? 'ICE arrests and removals are placed by where the person was apprehended, not by facility, so they are on the county and state pages. ' : 'ICE arrests and removals are placed by where ICE apprehended the person. ',
      'Small counts read ',
      termLink('withheld', 'withheld'),
      ' with the range the published figures allow; ',
      termLink('at least N', 'at-least'),
      ' and ',
      termLink('not available', 'not-available'),
      ' are in words.',
    ),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'yearly-table-title' }, table),
    partialRowsNote(rows),
    missing ? h('p', { class: 'muted' }, '— : the release this measure is read from has no figure for that period.') : null,
    notes.size ? h('ul', { class: 'muted table-notes' }, [...notes].map(([n, who]) => h('li', {}, `${who.join('; ')}: ${plainCodes(n)}`))) : null,
    sourceLine(metas),
    h('div', { class: 'actions' }, csvButton, status),
    h(
      'details',
      { class: 'table-alt csv-columns' },
      h('summary', {}, 'Columns of the CSV, and the API answers behind each measure'),
      h('dl', {}, CSV_MEANINGS.flatMap(([k, v]) => [h('dt', {}, h('code', {}, k)), h('dd', {}, v)])),
      h('p', {}, 'Measures (', h('code', {}, '<measure>'), '):'),
      h('ul', {}, measures.map((m) => {
        const a = answers.find((x) => x.measures.includes(m))!;
        return h('li', {}, h('code', {}, m.id), `: ${label(m.id)} — `, h('a', { href: a.yearsUrl }, 'API CSV by fiscal year'), ', ', h('a', { href: `/methodology#${m.metric}` }, 'definition'));
      })),
    ),
  );
}
