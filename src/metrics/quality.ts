/**
 * The data-quality ledger: per release, what the published figures rest on. Detainer, arrest and
 * removal figures come from the publication cube (nation level, all months), so they cannot be differenced
 * against the metrics; figures of the other tables are release-wide counts with 1–10 withheld.
 */
import type { QualityRow } from '../contract/index.ts';
import type { Row } from './definitions.ts';
import { qualityFigures } from './definitions.ts';
import { primary, redactionRows } from './query.ts';
import { SMALL_CELL_MAX, type Cube } from './cube.ts';
import { BOOK_IN_WINDOW_DAYS, type LifecycleSummary } from '../link/index.ts';
import type { MetricsService } from './service.ts';
import { readUnknownValues } from './unknown-values.ts';

const OTHER_TABLES = ['encounters', 'detention_stints'] as const;

type Ledger = { rows: QualityRow[]; redactions: Row[] };

/** Ledgers per service (one database generation) and release: computed once, not per request. */
const ledgers = new WeakMap<MetricsService, Map<string, Promise<Ledger>>>();

export function qualityLedger(service: MetricsService, releaseId?: string): Promise<Ledger> {
  let byRelease = ledgers.get(service);
  if (!byRelease) ledgers.set(service, (byRelease = new Map()));
  const key = releaseId ?? '';
  let p = byRelease.get(key);
  if (!p) {
    p = computeLedger(service, releaseId);
    byRelease.set(key, p);
    p.catch(() => byRelease!.delete(key));
  }
  return p;
}

/**
 * How many kept detainers the Deportation Data Project's historical duplicate rule would drop: a
 * person's detainer prepared the day after their previous kept one (DDP drops rows within 24 hours;
 * Handoff flags only the same day, src/link/DESIGN.md). Release-wide, 1–10 withheld in public mode.
 */
async function ddpNextDayRow(service: MetricsService, releaseId: string): Promise<QualityRow> {
  const found = await service.store.queryRow<{ n: string; identified: string }>(
    `SELECT count(*) FILTER (WHERE gap = 1) AS n, count(*) AS identified FROM (
       SELECT prepare_date - lag(prepare_date) OVER (PARTITION BY person_id ORDER BY prepare_date) AS gap
       FROM detainer_lifecycle WHERE release_id = $1 AND person_id IS NOT NULL AND prepare_date IS NOT NULL)`,
    [releaseId],
  );
  const base = { release_id: releaseId, table: 'detainers', measure: 'ddp_rule_next_day_detainers', share: null };
  if (Number(found?.identified ?? 0) === 0) {
    return {
      ...base,
      count: null,
      withheld_cells: 0,
      note: "Not available: the release's detainers carry no person identifier, so neither Handoff's nor the Deportation Data Project's duplicate rule can tell a person's next-day detainer.",
    };
  }
  const n = primary(Number(found?.n ?? 0), service.mode);
  return {
    ...base,
    count: n,
    withheld_cells: n === null ? 1 : 0,
    note: "Kept detainers prepared the day after the same person's previous one. The Deportation Data Project's historical rule drops a row within 24 hours of the previous one, so its detainer counts for this release would be lower by about this many; Handoff counts them (same episode, separate detainers).",
  };
}

/**
 * The book-in window's sensitivity (src/link, "Transfer inferred from a book-in"): how many detainers
 * with a blank lift reason would count as transfers, or as ICE custody without a linked arrest, were
 * the window 30, 90, 180 or 365 days. Release-wide, from the lifecycle build's summary. The counts
 * nest (a shorter window's detainers are inside a longer one's, and the window in use is the
 * published outcome), so in public mode a count is withheld when it is 1-10 or differs from one
 * shown by 1-10.
 */
async function bookInWindowRows(service: MetricsService, releaseId: string, cube: Cube): Promise<QualityRow[]> {
  // A database from before migration 003 has no lifecycle builds; any other error is one to see.
  if (!(await service.store.hasRelation('lifecycle_runs'))) return [];
  const run = await service.store.queryRow<{ parameters: string; summary: string }>(
    'SELECT parameters, summary FROM lifecycle_runs WHERE release_id = $1 ORDER BY built_at DESC NULLS LAST LIMIT 1',
    [releaseId],
  );
  const sens = run ? (JSON.parse(run.summary) as Partial<LifecycleSummary>).bookInWindowSensitivity : undefined;
  if (!run || !sens?.length) return [];
  const inUse = Number((JSON.parse(run.parameters) as { book_in_window_days?: number }).book_in_window_days ?? BOOK_IN_WINDOW_DAYS);
  const rows: QualityRow[] = [];
  for (const [key, detail, words] of [
    ['transferred_to_ice', 'transferred_to_ice|linked_book_in', 'would count as transfers to ICE (the first ICE stay after the prepare date, before the next detainer, follows a custodial arrest)'],
    ['ice_custody_unlinked', 'ice_custody_unlinked|stay_without_arrest', 'would count as ICE custody without a linked arrest'],
  ] as const) {
    const shown: number[] = [];
    const inUseSlot = cube.slot('outcome_detail', detail);
    const published = inUseSlot === undefined ? { count: 0 } : cube.figure('nation', ['total'], [inUseSlot]);
    // The window in use first: its count is the published outcome (withheld with it).
    const order = [...sens].sort((a, b) => (a.days === inUse ? -1 : b.days === inUse ? 1 : a.days - b.days));
    const out = new Map<number, number | null>();
    for (const x of order) {
      const v = x[key];
      let n: number | null = v;
      if (service.mode === 'public') {
        if (x.days === inUse) n = published.count === v ? v : null;
        else if (primary(v, 'public') === null || shown.some((p) => Math.abs(p - v) >= 1 && Math.abs(p - v) <= SMALL_CELL_MAX)) n = null;
      }
      if (n !== null) shown.push(n);
      out.set(x.days, n);
    }
    for (const x of sens) {
      const n = out.get(x.days) ?? null;
      rows.push({
        release_id: releaseId, table: 'detainers', measure: `book_in_window_${x.days}d_${key}`, count: n, withheld_cells: n === null ? 1 : 0, share: null,
        note: `Detainers with a blank lift reason that ${words} if the book-in window were ${x.days} days${x.days === inUse ? ' (the window in use: this is the published outcome)' : ''}.${n === null ? ' Withheld: 1-10, or 1-10 away from another window\'s count.' : ''}`,
      });
    }
  }
  return rows;
}

async function computeLedger(service: MetricsService, releaseId?: string): Promise<Ledger> {
  const releases = releaseId ? service.releases.filter((r) => r.release_id === releaseId) : service.releases;
  const rows: QualityRow[] = [];
  const redactions: Row[] = [];
  const superseded = new Set<string>();
  for (const r of releases) {
    // A release a newer one overlaps is not published for those months (service.supersessions), and
    // its release-wide ledger would difference against the newer one's: it says so instead.
    const supersededBy = service.mode === 'public' ? [...new Set((['detainers', 'arrests', 'removals'] as const).flatMap((u) => service.supersessions(r.release_id, u).map((x) => x.by.release_id)))] : [];
    if (supersededBy.length) {
      superseded.add(r.release_id);
      rows.push({ release_id: r.release_id, table: 'release', measure: 'superseded', count: null, withheld_cells: 0, share: null, note: `Not published: newer releases cover months of this one (${supersededBy.join(', ')}); Handoff publishes one release per month so that releases cannot be differenced.` });
      continue;
    }
    for (const universe of ['detainers', 'arrests', 'removals'] as const) {
      if (Number(r[universe]) === 0) continue;
      const build = await service.cube(r.release_id, universe);
      const cube = build.cube;
      const total = cube.figure('nation', ['total'], [0]);
      const undated = primary(build.excludedUndated, service.mode);
      rows.push({ release_id: r.release_id, table: universe, measure: 'records_published', count: total.count, withheld_cells: total.withheld_cells, share: null, note: 'Non-duplicate dated records of the release (the nation cell of the whole release).' });
      rows.push({ release_id: r.release_id, table: universe, measure: 'undated_excluded', count: undated, withheld_cells: undated === null ? 1 : 0, share: null, note: 'Non-duplicate records without a date, left out of every metric.' });
      for (const q of qualityFigures(cube, 'nation', ['total'])) {
        rows.push({ release_id: r.release_id, table: universe, measure: String(q.measure), count: q.count as number | null, withheld_cells: Number(q.withheld_cells), share: q.share as number | null, note: String(q.note) });
      }
      if (universe === 'detainers') {
        rows.push(await ddpNextDayRow(service, r.release_id));
        rows.push(...(await bookInWindowRows(service, r.release_id, cube)));
      }
    }
    for (const table of OTHER_TABLES) {
      const stats = await service.store.queryRow<{ rows: string; duplicates: string; missing: string }>(
        `SELECT count(*) AS rows, count(*) FILTER (WHERE is_duplicate) AS duplicates, count(*) FILTER (WHERE person_id IS NULL) AS missing FROM ${table} WHERE release_id = $1`,
        [r.release_id],
      );
      const n = Number(stats?.rows ?? 0);
      if (n === 0) continue;
      const dup = primary(Number(stats?.duplicates ?? 0), service.mode);
      const missing = primary(Number(stats?.missing ?? 0), service.mode);
      const rowsN = primary(n, service.mode);
      rows.push({ release_id: r.release_id, table, measure: 'rows', count: rowsN, withheld_cells: rowsN === null ? 1 : 0, share: null, note: 'Rows loaded (release-wide).' });
      rows.push({ release_id: r.release_id, table, measure: 'flagged_duplicates', count: dup, withheld_cells: dup === null ? 1 : 0, share: dup === null || rowsN === null ? null : Math.round((dup / n) * 10000) / 10000, note: 'Rows flagged as duplicates.' });
      rows.push({ release_id: r.release_id, table, measure: 'identifier_missing', count: missing, withheld_cells: missing === null ? 1 : 0, share: missing === null || rowsN === null ? null : Math.round((missing / n) * 10000) / 10000, note: 'Rows without a person identifier.' });
    }
    for (const x of redactionRows(service.redactions.get(r.release_id), null, service.mode)) redactions.push({ release_id: r.release_id, ...x });
  }
  // Coded values no vocabulary knows: each of 11 rows or more by name; the rarer ones (public mode)
  // only as how many values there are, with their rows withheld when 1–10.
  const unknown = (await readUnknownValues(service.store)).filter((u) => releases.some((r) => r.release_id === u.release_id) && !superseded.has(u.release_id));
  const groups = new Map<string, typeof unknown>();
  for (const u of unknown) {
    const key = `${u.release_id}|${u.table}|${u.column_name}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(u);
  }
  for (const list of groups.values()) {
    const { release_id, table, column_name, vocabulary } = list[0]!;
    const rare = service.mode === 'public' ? list.filter((u) => u.rows <= 10) : [];
    for (const u of list) {
      if (rare.includes(u)) continue;
      rows.push({ release_id, table, measure: 'value_not_in_vocabulary', count: u.rows, withheld_cells: 0, share: null, note: `${column_name} "${u.value}" is not in ${vocabulary}: its rows are loaded and read as unknown.` });
    }
    if (rare.length) {
      const n = primary(rare.reduce((k, u) => k + u.rows, 0), service.mode);
      rows.push({ release_id, table, measure: 'values_not_in_vocabulary_rare', count: n, withheld_cells: n === null ? 1 : 0, share: null, note: `${rare.length} other ${column_name} value(s) of 1–10 rows each are not in ${vocabulary} (not named in public): their rows are loaded and read as unknown.` });
    }
  }
  return { rows, redactions };
}
