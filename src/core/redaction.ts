/**
 * FOIA redaction markers: cells such as `b(6), b(7)c`, `b(6), b(7)C` or `(b)(6), (b)(7)(C)` mean the
 * value was withheld. The test is the Deportation Data Project's column test, case-insensitive. One
 * definition for ingest (stored as NULL and counted) and for offense categories (basis `redacted`).
 */

/** The pattern as text, for regular expressions in JavaScript and in DuckDB (`regexp_matches(…, 'i')`). */
export const REDACTION_PATTERN = '\\(b\\)|b\\([0-9]\\)';

const REDACTION_REGEXP = new RegExp(REDACTION_PATTERN, 'i');

/** True when a cell carries a FOIA redaction marker. */
export function isRedacted(raw: string | null | undefined): boolean {
  // Every marker has a parenthesis: the cheap test spares the regex on millions of cells.
  return raw !== null && raw !== undefined && raw.includes('(') && REDACTION_REGEXP.test(raw);
}
