/**
 * The yearly table of a place page (web/src/pages/place-table.ts) in Chromium against a real server on
 * a small synthetic database: every cell equals the API's figure for its fiscal year and measure (the
 * last row the API's own whole-period cell), withheld and "at least" cells in words, partial years
 * marked as the API lists them, the CSV download row for row equal to the table (no comment lines, a
 * status beside each count), axe-core, and a 375 px layout that scrolls inside the block.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { AXE_SOURCE, ensureBuilt, hasChromium, launchChromium, type Stack, startStack, viewReady } from './stack.ts';

const SKIP = !hasChromium();
if (SKIP) console.warn('SKIPPED place table browser tests: /usr/bin/chromium is missing (apt-get install chromium).');

interface ApiRow {
  period: string;
  value: string;
  count: number | null;
  status: 'exact' | 'at_least' | 'withheld' | 'not_available';
  count_low: number | null;
  count_high: number | null;
}
interface ApiAnswer {
  rows: ApiRow[];
  meta: { partial_periods?: string[]; releases: { release_id: string }[] };
}

interface RenderedCell {
  text: string;
  status: string;
  cls: string;
}
interface RenderedRow {
  period: string;
  partial: boolean;
  head: string;
  cells: Record<string, RenderedCell>;
}

/** Which API row each column is (the spec, written out here rather than imported from the page). */
const MEASURES: { id: string; metric: string; by?: string; value: string; facility: boolean }[] = [
  { id: 'detainers_issued', metric: 'detainers_issued', value: 'total', facility: true },
  { id: 'transferred_to_ice', metric: 'detainer_outcomes', by: 'outcome', value: 'transferred_to_ice', facility: true },
  { id: 'declined', metric: 'detainer_outcomes', by: 'outcome', value: 'declined', facility: true },
  { id: 'released_without_ice_custody_upper_bound', metric: 'detainers_released_without_ice_custody', value: 'released_without_ice_custody_upper_bound', facility: true },
  { id: 'ice_arrests', metric: 'ice_arrests_by_method', by: 'total', value: 'total', facility: false },
  { id: 'removals', metric: 'removals', value: 'total', facility: false },
];

const INT = new Intl.NumberFormat('en-US');

/** The words a cell must show for an API row. */
function expectedText(r: ApiRow | undefined): string {
  if (!r) return '—';
  if (r.status === 'exact') return INT.format(r.count!);
  if (r.status === 'at_least') return `at least ${INT.format(r.count_low!)}`;
  if (r.status === 'not_available') return 'not available';
  return `withheld (${INT.format(r.count_low!)}–${INT.format(r.count_high!)})`;
}

/** A CSV parser for the download (quoted fields, no comment lines expected). */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      out.push(row);
      row = [];
    } else field += c;
  }
  if (field || row.length) {
    endField();
    out.push(row);
  }
  return out;
}

describe.skipIf(SKIP)('yearly table of a place in Chromium', () => {
  let stack: Stack;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    stack = await startStack({ scale: 0.005 });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const api = async (metric: string, q: Record<string, string>): Promise<ApiAnswer> => {
    const res = await browser.context.request.get(`${stack.url}/api/metrics/${metric}.json?${new URLSearchParams(q)}`);
    expect(res.status(), `${metric} ${JSON.stringify(q)}`).toBe(200);
    return (await res.json()) as ApiAnswer;
  };

  /** The API's answers for each measure at a place, by fiscal year and over the whole period. */
  const answersFor = async (place: string, window: Record<string, string> = {}) => {
    const out = new Map<string, { years: ApiAnswer; total: ApiAnswer }>();
    for (const m of MEASURES) {
      if (place.startsWith('facility:') && !m.facility) continue;
      const q = { place, ...(m.by ? { by: m.by } : {}), ...window };
      out.set(m.id, { years: await api(m.metric, { ...q, grain: 'fiscal_year' }), total: await api(m.metric, { ...q, grain: 'total' }) });
    }
    return out;
  };

  /** The table as rendered: one entry per row (tbody then tfoot), each cell's text and status by measure. */
  const renderedTable = async (): Promise<RenderedRow[]> =>
    page.locator('#yearly-table table tr[data-period]').evaluateAll((trs) =>
      trs.map((tr) => ({
        period: tr.getAttribute('data-period') ?? '',
        partial: tr.classList.contains('partial'),
        head: tr.querySelector('th')?.textContent ?? '',
        cells: Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.getAttribute('data-measure') ?? '', { text: td.textContent ?? '', status: td.getAttribute('data-status') ?? '', cls: td.className }])),
      })),
    );

  /** Checks every cell of the rendered table against the API; returns the rendered rows. */
  const checkAgainstApi = async (place: string, window: Record<string, string> = {}) => {
    const answers = await answersFor(place, window);
    const rendered = await renderedTable();
    const ids = [...answers.keys()];
    const headers = await page.locator('#yearly-table thead th[data-measure]').evaluateAll((ths) => ths.map((t) => t.getAttribute('data-measure')));
    expect(headers).toEqual(ids);
    const periods = [...new Set([...answers.values()].flatMap((a) => a.years.rows.map((r) => r.period)))];
    expect(rendered.map((r) => r.period)).toEqual([...periods, 'total']);
    const partial = new Set([...answers.values()].flatMap((a) => a.years.meta.partial_periods ?? []));
    for (const row of rendered) {
      for (const id of ids) {
        const a = answers.get(id)!;
        const m = MEASURES.find((x) => x.id === id)!;
        const apiRow = (row.period === 'total' ? a.total.rows : a.years.rows).find((r) => r.period === row.period && r.value === m.value);
        expect(row.cells[id]?.text, `${place} ${row.period} ${id}`).toBe(expectedText(apiRow));
        expect(row.cells[id]?.status, `${place} ${row.period} ${id}`).toBe(apiRow?.status ?? 'none');
      }
      if (row.period !== 'total') {
        expect(row.partial, `${row.period} partial`).toBe(partial.has(row.period));
        expect(row.head.includes('partial'), `${row.period} says partial`).toBe(partial.has(row.period));
      }
    }
    return { answers, rendered };
  };

  it('opens a state page whose table cells are each the API figure for their year and measure', async () => {
    await page.goto(`${stack.url}/state/TX`);
    await viewReady(page);
    const section = page.locator('#yearly-table');
    expect(await section.locator('caption').textContent()).toBe('Yearly figures, Texas');
    // Human labels, not codes, across the top; the year column is row headers.
    const labels = await section.locator('thead th').allTextContents();
    expect(labels).toEqual(['Fiscal year', 'Detainers issued', 'Transferred to ICE', 'Declined by the jail or agency', 'Released without ICE custody (upper bound)', 'ICE arrests', 'Removals']);
    expect(await section.locator('tbody th[scope="row"]').count()).toBeGreaterThan(0);
    // No raw code as visible text in the block (the CSV's machine names sit in a closed <details>; release ids are cited as they are).
    const visible = (await section.evaluate((el) => (el as unknown as { innerText: string }).innerText)).match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g) ?? [];
    expect(visible.filter((c) => !/^r_[0-9a-f]{8,}$/.test(c))).toEqual([]);
    const { answers, rendered } = await checkAgainstApi('state:TX');
    // The synthetic release exercises every status the table has to put in words.
    const statuses = new Set([...answers.values()].flatMap((a) => [...a.years.rows, ...a.total.rows].map((r) => r.status)));
    for (const s of ['exact', 'withheld', 'at_least', 'not_available'] as const) expect(statuses, s).toContain(s);
    const cells = rendered.flatMap((r) => Object.values(r.cells));
    const withheld = cells.filter((c) => c.status === 'withheld');
    expect(withheld.length).toBeGreaterThan(0);
    for (const c of withheld) {
      expect(c.text).toMatch(/^withheld \(\d[\d,]*–\d[\d,]*\)$/);
      expect(c.cls).toContain('cell-withheld');
    }
    const atLeast = cells.filter((c) => c.status === 'at_least');
    expect(atLeast.length).toBeGreaterThan(0);
    for (const c of atLeast) expect(c.text).toMatch(/^at least \d[\d,]*$/);
    for (const c of cells.filter((x) => x.status === 'not_available')) expect(c.text).toBe('not available');
    // The partial fiscal year is marked, and named in the note.
    const partial = rendered.filter((r) => r.partial).map((r) => r.period);
    expect(partial.length, 'the synthetic release ends inside a fiscal year').toBeGreaterThan(0);
    const note = (await section.locator('.partial-note').textContent()) ?? '';
    for (const p of partial) expect(note).toContain(p);
  });

  it('downloads a CSV whose rows are the table, with a status beside each count and no comment lines', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#yearly-table button', { hasText: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^handoff_yearly_table_state-TX_fiscal_year_r_[0-9a-f]+\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\n').filter((l) => l.startsWith('#'))).toEqual([]);
    const [header, ...lines] = parseCsv(text);
    const ids = MEASURES.map((m) => m.id);
    expect(header).toEqual(['place', 'period', 'period_start', 'period_end', 'partial_period', ...ids.flatMap((id) => [id, `${id}_status`, `${id}_low`, `${id}_high`]), 'release_id', 'synthetic']);
    const csv = lines.map((l) => Object.fromEntries(l.map((v, i) => [header![i]!, v])));
    const rendered = await renderedTable();
    expect(csv.map((r) => r.period)).toEqual(rendered.map((r) => r.period));
    const answers = await answersFor('state:TX');
    for (const [i, r] of csv.entries()) {
      const row = rendered[i]!;
      expect(r.place).toBe('state:TX');
      expect(r.partial_period).toBe(String(row.partial));
      expect(r.synthetic).toBe('true');
      expect(r.release_id).toMatch(/^r_[0-9a-f]+$/);
      for (const id of ids) {
        // The CSV says what the cell says: the same figure and status, in machine form.
        const status = r[`${id}_status`]!;
        const asApi: ApiRow | undefined = status ? { period: r.period!, value: '', status: status as ApiRow['status'], count: r[id] === '' ? null : Number(r[id]), count_low: r[`${id}_low`] === '' ? null : Number(r[`${id}_low`]), count_high: r[`${id}_high`] === '' ? null : Number(r[`${id}_high`]) } : undefined;
        expect(expectedText(asApi), `${r.period} ${id}`).toBe(row.cells[id]!.text);
        // And it is the API's row, field for field (a count only when exact).
        const m = MEASURES.find((x) => x.id === id)!;
        const a = answers.get(id)!;
        const apiRow = (r.period === 'total' ? a.total.rows : a.years.rows).find((x) => x.period === r.period && x.value === m.value)!;
        expect(status).toBe(apiRow.status);
        expect(r[id]).toBe(apiRow.status === 'exact' ? String(apiRow.count) : '');
        expect(r[`${id}_low`]).toBe(apiRow.count_low === null ? '' : String(apiRow.count_low));
        expect(r[`${id}_high`]).toBe(apiRow.count_high === null ? '' : String(apiRow.count_high));
      }
    }
  });

  it('follows the chosen months: each cell the API answer over the window, in the file name too', async () => {
    await page.goto(`${stack.url}/state/TX?from=2023-01&to=2024-12`);
    await viewReady(page);
    const { rendered } = await checkAgainstApi('state:TX', { from: '2023-01-01', to: '2024-12-31' });
    expect(rendered.at(-1)!.head).toContain('Whole window');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#yearly-table button', { hasText: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^handoff_yearly_table_state-TX_fiscal_year_2023-01_2024-12_r_[0-9a-f]+\.csv$/);
  });

  it('gives county and facility pages the same table, with only the measures the API serves there', async () => {
    const places = (await (await browser.context.request.get(`${stack.url}/api/places.json`)).json()) as { rows: { place: string; level: string; state: string | null; detainers: number | null }[] };
    const facility = places.rows.find((p) => p.level === 'facility' && p.state === 'TX' && p.detainers !== null)!;
    expect(facility).toBeDefined();
    for (const [url, place] of [['/county/48201', 'county:48201'], [`/facility/${facility.place.slice('facility:'.length)}`, facility.place]] as const) {
      await page.goto(`${stack.url}${url}`);
      await viewReady(page);
      await checkAgainstApi(place);
    }
    expect(await page.locator('#yearly-table thead th[data-measure]').count()).toBe(MEASURES.filter((m) => m.facility).length);
  });

  it('has no serious or critical axe violations, and scrolls inside its block at 375 px', async () => {
    for (const p of ['/state/TX', '/county/48201']) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${stack.url}${p}`);
      await viewReady(page);
      await page.evaluate(AXE_SOURCE);
      const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
      const found = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${p}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      expect(found).toEqual([]);
      await page.setViewportSize({ width: 375, height: 800 });
      await page.waitForTimeout(150);
      expect((await page.evaluate('document.documentElement.scrollWidth')) as number, `${p} at 375 px`).toBeLessThanOrEqual(376);
      const scroll = (await page.evaluate("(() => { const s = document.querySelector('#yearly-table .table-scroll'); return { sw: s.scrollWidth, cw: s.clientWidth, right: s.getBoundingClientRect().right }; })()")) as { sw: number; cw: number; right: number };
      expect(scroll.sw, 'the table is wider than a phone and scrolls inside its block').toBeGreaterThan(scroll.cw);
      expect(scroll.right).toBeLessThanOrEqual(376);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
