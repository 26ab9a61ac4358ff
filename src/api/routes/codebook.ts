/**
 * /api/releases/{release}/codebook.json|.csv: the codebook of a release (its files and sheets, each
 * column's fill, redactions, unparseable cells, values seen and what Handoff maps it to). The
 * codebook is computed in src/pipeline/codebook.ts, once per database and release; this file only
 * maps HTTP to it. `latest` names the newest ICE release.
 */
import { Hono } from 'hono';
import { HandoffError } from '../../core/errors.ts';
import type { MetricsService, ReleaseInfo } from '../../metrics/index.ts';
import { readCodebook, type Codebook } from '../../pipeline/index.ts';
import { checkParams, withService, type ApiDeps } from '../context.ts';
import { metaOf, sendRows } from '../envelope.ts';

const PREFIX = '/api/releases/';

/** The columns of the CSV: one line per sheet, per column, and per value of a column. */
export const CODEBOOK_CSV_COLUMNS = [
  'release_id', 'entry', 'scope', 'file', 'sheet', 'header_row', 'family', 'column', 'headers', 'type', 'class',
  'rows', 'filled', 'fill_rate', 'blank', 'redacted', 'unparseable', 'present', 'distinct_values', 'withheld',
  'values_listed', 'why_not_listed', 'vocabulary', 'vocabulary_kind', 'value', 'value_count', 'value_known', 'values', 'note',
];

/** The codebook as CSV lines: sheets first, then each column followed by its values. */
export function codebookCsvRows(book: Codebook): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const f of book.files) {
    for (const s of f.sheets) {
      rows.push({ release_id: book.release_id, entry: 'sheet', file: f.file, sheet: s.sheet, header_row: s.header_row, family: s.family, rows: s.rows, note: `${s.columns} columns, ${s.unmapped_columns} not in reference/columns` });
    }
  }
  for (const c of book.columns) {
    const key = { release_id: c.release_id, scope: c.scope, file: c.file, family: c.family, column: c.column };
    rows.push({ ...key, entry: 'column', headers: c.headers, type: c.type, class: c.class, rows: c.rows, filled: c.filled, fill_rate: c.fill_rate, blank: c.blank, redacted: c.redacted, unparseable: c.unparseable, present: c.present, distinct_values: c.distinct_values, withheld: c.withheld.join(' '), values_listed: c.values_listed, why_not_listed: c.why_not_listed, vocabulary: c.vocabulary, vocabulary_kind: c.vocabulary_kind, note: c.note });
    for (const v of c.values) rows.push({ ...key, entry: v.entry, vocabulary: c.vocabulary, value: v.value, value_count: v.count, value_known: v.known, values: v.values, note: v.note });
  }
  return rows;
}

function resolve(service: MetricsService, name: string): ReleaseInfo {
  if (name === 'latest') {
    const ice = service.releases.filter((r) => r.kind === 'ice_release');
    const r = ice[ice.length - 1] ?? service.releases[service.releases.length - 1];
    if (!r) throw new HandoffError('not_found', 'no release is loaded, so release "latest" names none');
    return r;
  }
  const r = service.release(name);
  if (!r) {
    const shown = name.length > 80 ? `${name.slice(0, 80)}…` : name;
    throw new HandoffError('not_found', `no release "${shown}" in this database; loaded: ${service.releases.map((x) => x.release_id).join(', ') || 'none'} (or latest)`);
  }
  return r;
}

export function codebookRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  // `/api/releases/../codebook.json` arrives here once the URL's dot segment is resolved.
  app.get('/:file{codebook\\.(json|csv)}', () => {
    throw new HandoffError('not_found', `no such resource: a codebook belongs to a release: ${PREFIX}{release}/codebook.json or .csv (release: an id or latest)`);
  });
  app.get('/releases/*', async (c) => {
    const pathname = new URL(c.req.url).pathname;
    const parts = pathname.startsWith(PREFIX) ? pathname.slice(PREFIX.length).split('/') : [];
    const file = parts[1];
    const format = file === 'codebook.json' ? 'json' : file === 'codebook.csv' ? 'csv' : undefined;
    if (parts.length !== 2 || !format || parts[0] === '') {
      throw new HandoffError('not_found', `no such resource: ${pathname.slice(0, 120)}; a release's codebook is ${PREFIX}{release}/codebook.json or .csv`);
    }
    // The app has checked every escape of the path decodes; a route parameter is decoded once, here.
    const name = decodeURIComponent(parts[0]!);
    checkParams(c, []);
    return withService(deps, async (service) => {
      const release = resolve(service, name);
      const supersededBy =
        deps.mode === 'public' ? [...new Set((['detainers', 'arrests', 'removals'] as const).flatMap((u) => service.supersessions(release.release_id, u).map((x) => x.by.release_id)))] : [];
      const book = await readCodebook(service.store, release.release_id, { mode: deps.mode, supersededBy });
      const meta = metaOf({
        releases: [release],
        mode: deps.mode,
        now: deps.now,
        extra: { release_id: release.release_id, source: 'source_files, source_sheets, source_columns, column_quality and the family tables; reference/columns' },
      });
      if (format === 'csv') return sendRows(c, 'csv', codebookCsvRows(book), meta, {}, CODEBOOK_CSV_COLUMNS);
      const { columns, ...rest } = book;
      return sendRows(c, 'json', columns as unknown as Record<string, unknown>[], meta, { codebook: rest });
    });
  });
  return app;
}
