import { CliError } from '../../core/errors.ts';
import { expandInputs } from '../../pipeline/index.ts';
import { inspectFiles, type InspectedFile } from '../../pipeline/inspect-files.ts';
import { formatError, wrapLines } from '../text.ts';
import { asOfOption, describeFailure } from './ingest.ts';
import type { Command } from './index.ts';

/** A short, readable account of one inspected file. */
function describeFile(f: InspectedFile): string {
  const lines = [`${f.file}: ${f.status === 'readable' ? f.kind : `cannot be loaded (${f.error?.code})`}`];
  if (f.error) lines.push(formatError('  ', f.error.message, undefined, f.error.code, '    '));
  if (f.format) lines.push(`  format ${f.format}, ${f.bytes?.toLocaleString('en-US')} bytes; ${f.rows.toLocaleString('en-US')} rows would load, ${f.rejected} rows are not data`);
  for (const s of f.sheets) {
    lines.push(`  sheet "${s.sheet}": ${s.family}, header on row ${s.header_row}, ${s.rows.toLocaleString('en-US')} rows; ${s.columns_mapped} columns mapped`);
    if (s.columns_unknown.length) lines.push(`    unknown columns (kept as extra): ${s.columns_unknown.join(', ')}`);
    if (s.columns_missing.length) lines.push(`    not in this file: ${s.columns_missing.join(', ')}`);
  }
  for (const s of f.skipped_sheets) lines.push(`  sheet "${s.sheet}" skipped${s.reason ? `: ${s.reason}` : ''}`);
  for (const d of f.dates) {
    lines.push(`  ${d.family} dated ${d.first ?? '?'} to ${d.last ?? '?'} by ${d.column}${d.undated ? ` (${d.undated.toLocaleString('en-US')} rows without one)` : ''}`);
  }
  for (const r of f.redacted) lines.push(`  redaction markers: ${r.family}.${r.column} ${r.cells.toLocaleString('en-US')} cells`);
  for (const u of f.unreadable_values) lines.push(`  unreadable values (loaded as blank): ${u.family}.${u.column} ${u.cells.toLocaleString('en-US')}, e.g. ${u.examples.map((e) => JSON.stringify(e)).join(', ')}`);
  for (const n of f.notes) lines.push(`  ${n}`);
  return lines.join('\n');
}

export const inspectCommand: Command = {
  args: '<file|dir>...',
  summary: 'say what each file is and what ingest would load from it, without loading it',
  help: [
    'For each file: its kind (ICE table families, 287(g) sheet, facility list, detention statistics), sheets,',
    'header rows, columns mapped / unknown / missing, rows, the dates its rows cover, redaction markers and',
    'values that cannot be read; or why it cannot be loaded. The file is read by the same code as ingest,',
    'into a scratch database that is deleted afterwards: your database is not opened.',
    '',
    'Options:',
    '  --as-of DATE           the snapshot date of 287(g) sheets (YYYY-MM-DD), as for ingest',
  ].join('\n'),
  options: { 'as-of': { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new CliError('name at least one file or directory to inspect');
    const asOf = asOfOption(ctx.values['as-of']);
    const files = await expandInputs(ctx.positionals);
    const report = await inspectFiles(files, { asOf });
    const unreadable = report.filter((f) => f.status === 'unreadable').length;
    // Piped JSON carries the errors; a person watching stderr gets them too, in words.
    if (!ctx.stdout.isTTY && !ctx.values.format) {
      for (const f of report) if (f.error) ctx.stderr.write(`${describeFailure(f.error, ctx.stderr.columns, 'handoff inspect: ')}\n`);
    }
    return {
      kind: 'document',
      value: report,
      // Wrapped to the terminal, every line's continuation indented under it: nothing is cut.
      text: report.map((f) => wrapLines(describeFile(f), ctx.stdout.columns)).join('\n\n'),
      exitCode: unreadable ? 1 : 0,
    };
  },
};
