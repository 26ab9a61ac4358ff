/**
 * The one output printer of the CLI. Commands return data; this prints it: aligned tables on a
 * terminal, JSON (documents) or NDJSON (row lists) when piped, or the format asked for with --format.
 */
import { wrap, wrapLines } from './text.ts';

export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

/** What a command returns. */
export type CommandResult =
  | { kind: 'rows'; rows: Record<string, unknown>[]; columns?: string[]; title?: string; notes?: string[] }
  | { kind: 'document'; value: unknown; text?: string }
  | { kind: 'sections'; sections: { title: string; rows: Record<string, unknown>[]; columns?: string[] }[]; value: unknown; notes?: string[] }
  | { kind: 'none' };

export interface Output {
  write(text: string): void;
  isTTY: boolean;
  /** The width to wrap prose to (the terminal's, or $COLUMNS); absent: no wrapping. */
  columns?: number;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Renders rows as an aligned text table; numbers are right-aligned. */
export function formatTable(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (cols.length === 0) return '(no rows)\n';
  const cells = rows.map((r) => cols.map((c) => cellText(r[c]).replace(/[\r\n\t]+/g, ' ')));
  const widths = cols.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((row) => row[i]!.length))));
  const numeric = cols.map((_, i) => rows.length > 0 && rows.every((r) => r[cols[i]!] === null || r[cols[i]!] === undefined || typeof r[cols[i]!] === 'number' || /^-?\d+(\.\d+)?$/.test(cellText(r[cols[i]!]))));
  const fit = (text: string, i: number) => {
    const t = text.length > widths[i]! ? `${text.slice(0, widths[i]! - 1)}…` : text;
    return numeric[i] ? t.padStart(widths[i]!) : t.padEnd(widths[i]!);
  };
  const lines = [
    cols.map((c, i) => fit(c, i)).join('  '),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.map((row) => row.map((t, i) => fit(t, i)).join('  ')),
  ];
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n${rows.length === 0 ? '(no rows)\n' : ''}`;
}

/**
 * Rows as records, one `column  value` line per cell and a blank line between rows, values wrapped to
 * `width` under themselves: how a table too wide for the terminal is shown, so no cell is cut.
 */
export function formatRecords(rows: Record<string, unknown>[], columns: string[] | undefined, width: number): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (rows.length === 0) return '(no rows)\n';
  const keyWidth = Math.max(...cols.map((c) => c.length));
  const indent = ' '.repeat(keyWidth + 2);
  const blocks = rows.map((r) =>
    cols.map((c) => wrap(`${c.padEnd(keyWidth)}  ${cellText(r[c]).replace(/[\r\n\t]+/g, ' ')}`.trimEnd(), width, indent)).join('\n'),
  );
  return `${blocks.join('\n\n')}\n`;
}

/** A table, or its rows as records when the table is wider than the terminal. */
function tableFor(rows: Record<string, unknown>[], columns: string[] | undefined, width: number | undefined): string {
  const table = formatTable(rows, columns);
  if (!width || table.split('\n').every((line) => line.length <= width)) return table;
  return formatRecords(rows, columns, width);
}

/** CSV with formula-injection protection: a cell starting with = + - @ or a tab/CR gets a leading '. */
export function formatCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const escape = (value: unknown) => {
    let text = cellText(value);
    if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [cols.map(escape).join(','), ...rows.map((r) => cols.map((c) => escape(r[c])).join(','))].join('\n') + '\n';
}

/** Prints a command's result in the chosen (or the default) format. */
export function printResult(result: CommandResult, output: Output, format?: OutputFormat): void {
  const chosen = format ?? (output.isTTY ? 'table' : undefined);
  switch (result.kind) {
    case 'none':
      return;
    case 'rows': {
      if (chosen === 'table') {
        if (result.title) output.write(`${result.title}\n`);
        output.write(tableFor(result.rows, result.columns, output.columns));
        for (const note of result.notes ?? []) output.write(`${wrapLines(note, output.columns)}\n`);
      } else if (chosen === 'csv') {
        output.write(formatCsv(result.rows, result.columns));
      } else if (chosen === 'json') {
        output.write(`${JSON.stringify(result.rows, null, 2)}\n`);
      } else {
        for (const row of result.rows) output.write(`${JSON.stringify(row)}\n`);
      }
      return;
    }
    case 'sections': {
      if (chosen === 'table') {
        for (const section of result.sections) {
          output.write(`\n${section.title}\n`);
          output.write(tableFor(section.rows, section.columns, output.columns));
        }
        for (const note of result.notes ?? []) output.write(`${wrapLines(note, output.columns)}\n`);
      } else {
        output.write(`${JSON.stringify(result.value, null, chosen === 'ndjson' ? 0 : 2)}\n`);
      }
      return;
    }
    case 'document': {
      if (chosen === 'table' && result.text !== undefined) output.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
      else output.write(`${JSON.stringify(result.value, null, chosen === 'ndjson' ? 0 : 2)}\n`);
      return;
    }
  }
}
