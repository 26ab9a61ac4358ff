import { CliError } from '../../core/errors.ts';
import { DEFAULT_LIMITS } from '../../core/config.ts';
import { stat } from 'node:fs/promises';
import { ingestFiles, type IngestSummary } from '../../pipeline/index.ts';
import { dbPathOf } from '../db-path.ts';
import { createIngestProgress } from '../progress.ts';
import { formatError, wrap } from '../text.ts';
import type { Command } from './index.ts';

/** The `--as-of DATE` of 287(g) sheets (ingest and inspect), checked. */
export function asOfOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!(typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)))) {
    throw new CliError('--as-of takes a date as YYYY-MM-DD');
  }
  return value;
}

/** The widest note the table shows whole (its cells stop at 60 characters). */
const NOTE_CELL = 60;

/** A file's failure for a person: where, what, then the rest of the message, wrapped to the width. */
export function describeFailure(error: { code: string; message: string }, width: number | undefined, prefix = 'handoff ingest: '): string {
  const text = formatError(prefix, error.message, width, error.code);
  // An unknown layout is fixed in the column catalogue, or the file is not an ICE table at all.
  const hint =
    error.code === 'unknown_layout'
      ? '\n' + wrap('  the layouts Handoff knows, with every header variant seen, are in reference/columns/*.csv', width, '    ')
      : '';
  return `${text}${hint}`;
}

export const ingestCommand: Command = {
  args: '<file|dir>...',
  summary: 'load ICE release files (xlsx, csv, txt; gzip or zip of them) into the database',
  help: [
    'Files given together form one release (a FOIA production); a directory stands for the table files in it.',
    'The same file again changes nothing. A file that fails leaves no trace; the others still load.',
    'A .gz is unpacked and read as what it holds; a .zip that is not a workbook stands for the tables in it.',
    '',
    'Options:',
    '  --release ID|LABEL     add the files to this release, or name the new release',
    '  --synthetic            mark the release as synthetic demo data',
    '  --max-file-mb N        refuse files larger than N MiB (default 2048)',
    '  --max-ratio N          refuse zip entries compressed more than N:1 (default 200)',
    '  --as-of DATE           the snapshot date of 287(g) sheets (YYYY-MM-DD), over what their names say',
  ].join('\n'),
  options: {
    release: { type: 'string' },
    synthetic: { type: 'boolean' },
    'max-file-mb': { type: 'string' },
    'max-ratio': { type: 'string' },
    'as-of': { type: 'string' },
  },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new CliError('name at least one file or directory to ingest');
    const limits = { ...DEFAULT_LIMITS };
    const maxMb = ctx.values['max-file-mb'];
    if (typeof maxMb === 'string') {
      const n = Number(maxMb);
      if (!(n > 0)) throw new CliError('--max-file-mb must be a positive number');
      limits.maxFileBytes = n * 1024 * 1024;
    }
    const ratio = ctx.values['max-ratio'];
    if (typeof ratio === 'string') {
      const n = Number(ratio);
      if (!(n > 1)) throw new CliError('--max-ratio must be a number above 1');
      limits.maxCompressionRatio = n;
    }
    const asOf = asOfOption(ctx.values['as-of']);
    const dbPath = dbPathOf(ctx);
    const dbBytes = await stat(dbPath).then((s) => s.size, () => 0);
    const progress = createIngestProgress(ctx.stderr, { dbBytes });
    let summary: IngestSummary;
    try {
      summary = await ingestFiles(ctx.positionals, {
        dbPath,
        release: ctx.values.release as string | undefined,
        synthetic: Boolean(ctx.values.synthetic),
        asOf,
        limits,
        now: ctx.now,
        onProgress: (p) => progress.progress(p),
        onStep: (s) => progress.step(s),
      });
    } finally {
      progress.finish();
    }
    const failed = summary.files.filter((f) => f.status === 'failed');
    // Each failure in full on stderr, wrapped, before the table (and also when stdout is piped JSON):
    // a table cell would cut the part that says what the file is.
    for (const f of failed) ctx.stderr.write(`${describeFailure(f.error!, ctx.stderr.columns)}\n`);
    const detailNotes: string[] = [];
    const rows = summary.files.map((f) => {
      let note =
        f.status === 'failed'
          ? `${f.error!.code.replace(/_/g, ' ')}: see above`
          : f.status === 'unchanged'
            ? `already loaded (release ${f.releaseId})`
            : [
                f.unknownColumns?.length ? `unknown columns kept: ${f.unknownColumns.join('; ')}` : '',
                f.redactedColumns?.length ? `fully redacted: ${f.redactedColumns.join(', ')}` : '',
                f.unparseable && Object.keys(f.unparseable).length
                  ? `unparseable values set to NULL: ${Object.entries(f.unparseable).map(([c, n]) => `${c} ${n}`).join(', ')}`
                  : '',
              ]
                .filter(Boolean)
                .join(' | ');
      if (note.length > NOTE_CELL) {
        // Too long for its cell: in full under the table.
        detailNotes.push(`${f.file}: ${note}`);
        note = 'see below the table';
      }
      return {
        file: f.file,
        status: f.status,
        rows: f.rows ?? null,
        rejects: f.rejects ?? null,
        tables: f.tables ? Object.entries(f.tables).map(([t, n]) => `${t}: ${n}`).join(', ') : '',
        note,
      };
    });
    const loadedReleases = [...new Set(summary.files.filter((f) => f.status === 'loaded').map((f) => f.releaseId))];
    const notes = [
      ...detailNotes,
      summary.changed
        ? `loaded into ${loadedReleases.map((id) => (id === summary.releaseId ? `release ${summary.releaseLabel} (${id})` : id)).join(', ')}${summary.synthetic ? ' — synthetic demo data' : ''}; ${summary.seconds.toFixed(1)} s`
        : 'nothing changed: every file was already loaded or failed',
    ];
    if (!ctx.stdout.isTTY && !ctx.values.format) {
      return { kind: 'document', value: summary, exitCode: failed.length ? 1 : 0 };
    }
    return { kind: 'rows', rows, notes, exitCode: failed.length ? 1 : 0 };
  },
};
