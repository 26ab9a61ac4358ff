/**
 * Text folding shared by the JavaScript and SQL categorizers. The two must agree character for
 * character, so both are written here side by side and use only ASCII character classes (JavaScript
 * and DuckDB's RE2 agree on those).
 */

/**
 * Folds a charge text for matching: apostrophes are dropped, every run of characters other than ASCII
 * letters and digits becomes one space, letters are lower-cased and the ends are trimmed. So
 * `"ASSAULT "`, `"Assault"` and `"assault"` match, and `"Cocaine-Sell"` matches `"Cocaine - Sell"`.
 * Null and undefined give the empty string.
 */
export function normalizeChargeText(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return text
    .replace(/['’`]/g, '')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .toLowerCase()
    .trim();
}

/** The same folding as a DuckDB SQL expression over `expr` (any type; cast to VARCHAR). */
export function normalizeChargeTextSql(expr: string): string {
  return (
    `trim(lower(regexp_replace(regexp_replace(coalesce(CAST(${expr} AS VARCHAR), ''), ` +
    `'[''’\`]', '', 'g'), '[^A-Za-z0-9]+', ' ', 'g')))`
  );
}

// The FOIA redaction test is shared with ingest (src/core/redaction.ts).
export { isRedacted, REDACTION_PATTERN } from '../core/redaction.ts';

// Whitespace a spreadsheet cell may carry around a code, including the no-break space Excel exports.
const EDGE_SPACE_RE = /^[ \t\r\n\u00a0]+|[ \t\r\n\u00a0]+$/g;
// 1-4 leading digits, an optional ".0" (a code read from a numeric Excel cell) and then no more digits.
const CODE_RE = /^([0-9]{1,4})(\.0+)?([^0-9]|$)/;

/** A raw code cell with edge whitespace removed (empty string for null). */
export function trimCode(raw: string | number | null | undefined): string {
  if (raw === null || raw === undefined) return '';
  return String(raw).replace(EDGE_SPACE_RE, '');
}

/**
 * Reads an NCIC offense code from a raw cell: `"0999"`, `"999"` (leading zero lost in Excel), `999`,
 * `"5404.0"` and `"5404 DUI"` all work. Returns the 4-digit code, or null when the cell does not start
 * with 1 to 4 digits.
 */
export function parseNcicCode(raw: string | number | null | undefined): string | null {
  const m = CODE_RE.exec(trimCode(raw));
  return m ? m[1]!.padStart(4, '0') : null;
}

/** SQL twin of `trimCode`. */
export function trimCodeSql(expr: string): string {
  return (
    `regexp_replace(coalesce(CAST(${expr} AS VARCHAR), ''), ` +
    `'^[ \\t\\r\\n\\x{00A0}]+|[ \\t\\r\\n\\x{00A0}]+$', '', 'g')`
  );
}

/** SQL twin of `parseNcicCode`: a 4-character VARCHAR or NULL. */
export function parseNcicCodeSql(expr: string): string {
  return (
    `lpad(nullif(regexp_extract(${trimCodeSql(expr)}, '^([0-9]{1,4})(\\.0+)?([^0-9]|$)', 1), ''), 4, '0')`
  );
}
