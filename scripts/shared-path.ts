/**
 * Where the build scripts find the shared public data: `--shared <dir>`, else $HANDOFF_SHARED,
 * else `../shared` beside the repository.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder above scripts/). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The shared data folder (the one holding `data/SOURCES.md`). */
export function sharedDir(argv: string[] = process.argv.slice(2)): string {
  const i = argv.indexOf('--shared');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]!);
  return resolve(process.env.HANDOFF_SHARED ?? resolve(REPO_ROOT, '..', 'shared'));
}

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Formats rows as CSV text with a header line and a final newline. */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
