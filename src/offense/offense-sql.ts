/**
 * Applies the offense crosswalk inside DuckDB. The reference tables are loaded as `ref_offense_*`
 * tables and `offenseCategorySql` / `offenseBasisSql` build expressions that give the same answer as
 * `categorizeOffense` (the tests run both over every reference text and the edge cases).
 *
 * This file only builds SQL text; it opens no database.
 */
import type { OffenseReference } from './load-offense-reference.ts';
import { UNKNOWN_CATEGORY } from './load-offense-reference.ts';
import { normalizeChargeTextSql, parseNcicCodeSql, REDACTION_PATTERN, trimCodeSql } from './normalize.ts';

/** Names of the DuckDB tables that hold the offense reference. */
export const OFFENSE_TABLES = {
  categories: 'ref_offense_categories',
  codeRanges: 'ref_offense_code_ranges',
  texts: 'ref_offense_texts',
  patterns: 'ref_offense_patterns',
  inchoatePatterns: 'ref_offense_inchoate_patterns',
} as const;

/** Rows of the four reference tables, column names as in the DuckDB tables. */
export interface OffenseReferenceRows {
  ref_offense_categories: {
    category: string;
    label: string;
    description: string;
    ucr_violent: boolean;
    broad_violent: boolean;
  }[];
  ref_offense_code_ranges: {
    code_from: number;
    code_to: number;
    category: string;
    ncic_group: string;
    note: string;
  }[];
  ref_offense_texts: {
    text_key: string;
    charge_text: string;
    ncic_code: string | null;
    category: string;
    note: string;
  }[];
  ref_offense_patterns: { ordinal: number; pattern: string; category: string; note: string }[];
  ref_offense_inchoate_patterns: { ordinal: number; pattern: string; note: string }[];
}

/** The reference as table rows, for a store that loads them with an appender. */
export function offenseReferenceRows(ref: OffenseReference): OffenseReferenceRows {
  return {
    ref_offense_categories: [...ref.categories.values()].map((c) => ({
      category: c.category,
      label: c.label,
      description: c.description,
      ucr_violent: c.ucrViolent,
      broad_violent: c.broadViolent,
    })),
    ref_offense_code_ranges: ref.codeRanges.map((r) => ({
      code_from: r.from,
      code_to: r.to,
      category: r.category,
      ncic_group: r.ncicGroup,
      note: r.note,
    })),
    ref_offense_texts: [...ref.texts.values()].map((t) => ({
      text_key: t.key,
      charge_text: t.chargeText,
      ncic_code: t.ncicCode,
      category: t.category,
      note: t.note,
    })),
    ref_offense_patterns: ref.patterns.map((p) => ({
      ordinal: p.ordinal,
      pattern: p.pattern,
      category: p.category,
      note: p.note,
    })),
    ref_offense_inchoate_patterns: ref.inchoatePatterns.map((p) => ({
      ordinal: p.ordinal,
      pattern: p.pattern,
      note: p.note,
    })),
  };
}

/** A SQL string literal (standard SQL: quotes doubled, backslashes literal). */
function lit(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

const TABLE_DDL: Record<keyof OffenseReferenceRows, string> = {
  ref_offense_categories:
    'category VARCHAR PRIMARY KEY, label VARCHAR NOT NULL, description VARCHAR, ucr_violent BOOLEAN NOT NULL, broad_violent BOOLEAN NOT NULL',
  ref_offense_code_ranges:
    'code_from INTEGER NOT NULL, code_to INTEGER NOT NULL, category VARCHAR NOT NULL, ncic_group VARCHAR, note VARCHAR',
  ref_offense_texts:
    'text_key VARCHAR PRIMARY KEY, charge_text VARCHAR NOT NULL, ncic_code VARCHAR, category VARCHAR NOT NULL, note VARCHAR',
  ref_offense_patterns:
    'ordinal INTEGER PRIMARY KEY, pattern VARCHAR NOT NULL, category VARCHAR NOT NULL, note VARCHAR',
  ref_offense_inchoate_patterns: 'ordinal INTEGER PRIMARY KEY, pattern VARCHAR NOT NULL, note VARCHAR',
};

/**
 * SQL statements (one string, `;`-separated) that create or replace the five `ref_offense_*` tables
 * and fill them from `ref`. Run it once per database build, before using `offenseCategorySql`.
 */
export function offenseReferenceSql(ref: OffenseReference): string {
  const rows = offenseReferenceRows(ref);
  const statements: string[] = [];
  for (const table of Object.keys(TABLE_DDL) as (keyof OffenseReferenceRows)[]) {
    statements.push(`CREATE OR REPLACE TABLE ${table} (${TABLE_DDL[table]})`);
    const values = (rows[table] as Record<string, string | number | boolean | null>[]).map(
      (row) => `(${Object.values(row).map(lit).join(', ')})`,
    );
    if (values.length > 0) statements.push(`INSERT INTO ${table} VALUES\n${values.join(',\n')}`);
  }
  return statements.join(';\n') + ';\n';
}

interface Parts {
  isBlank: string;
  codeCategory: string;
  textReadable: string;
  textCategory: string;
  patternCategory: string;
  anyRedacted: string;
}

function parts(textExpr: string, codeExpr: string): Parts {
  const norm = normalizeChargeTextSql(textExpr);
  const codeKey = parseNcicCodeSql(codeExpr);
  const redacted = (e: string) =>
    `regexp_matches(coalesce(CAST(${e} AS VARCHAR), ''), ${lit(REDACTION_PATTERN)}, 'i')`;
  return {
    isBlank: `(${norm} = '' AND ${trimCodeSql(codeExpr)} = '')`,
    codeCategory:
      `(SELECT r.category FROM ${OFFENSE_TABLES.codeRanges} r ` +
      `WHERE CAST(${codeKey} AS INTEGER) BETWEEN r.code_from AND r.code_to)`,
    textReadable: `(${norm} <> '' AND NOT ${redacted(textExpr)})`,
    textCategory: `(SELECT x.category FROM ${OFFENSE_TABLES.texts} x WHERE x.text_key = ${norm})`,
    patternCategory:
      `(SELECT min_by(p.category, p.ordinal) FROM ${OFFENSE_TABLES.patterns} p ` +
      `WHERE regexp_matches(${norm}, p.pattern))`,
    anyRedacted: `(${redacted(textExpr)} OR ${redacted(codeExpr)})`,
  };
}

/**
 * A DuckDB expression giving the offense category of `textExpr` / `codeExpr` (column names or any
 * SQL expressions; NULL allowed), equal to `categorizeOffense(ref, text, code).category`. Needs the
 * tables made by `offenseReferenceSql`. Each row runs correlated look-ups, so on large tables apply it
 * to the distinct (text, code) pairs (see `offenseCrosswalkSql`) and join back.
 *
 * Qualify column names with a table alias (`d.msc_charge`): the look-ups are correlated subqueries
 * over `ref_offense_*`, and an unqualified name those tables also have (`category`, `charge_text`,
 * `note`, `pattern`, …) would bind to the reference table instead of your row.
 */
export function offenseCategorySql(textExpr: string, codeExpr: string): string {
  const p = parts(textExpr, codeExpr);
  const unknown = lit(UNKNOWN_CATEGORY);
  return (
    `(CASE WHEN ${p.isBlank} THEN ${unknown} ` +
    `WHEN ${p.codeCategory} IS NOT NULL THEN ${p.codeCategory} ` +
    `WHEN ${p.textReadable} THEN coalesce(${p.textCategory}, ${p.patternCategory}, ${unknown}) ` +
    `ELSE ${unknown} END)`
  );
}

/** A DuckDB expression giving the basis (`code`, `text`, …) that `categorizeOffense` would report. */
export function offenseBasisSql(textExpr: string, codeExpr: string): string {
  const p = parts(textExpr, codeExpr);
  return (
    `(CASE WHEN ${p.isBlank} THEN 'blank' ` +
    `WHEN ${p.codeCategory} IS NOT NULL THEN 'code' ` +
    `WHEN ${p.textReadable} THEN (CASE WHEN ${p.textCategory} IS NOT NULL THEN 'text' ` +
    `WHEN ${p.patternCategory} IS NOT NULL THEN 'pattern' ELSE 'unmapped' END) ` +
    `WHEN ${p.anyRedacted} THEN 'redacted' ELSE 'unmapped' END)`
  );
}

/**
 * A DuckDB boolean expression equal to `categorizeOffense(ref, text, code).inchoate`: the readable
 * (non-blank, not withheld) text matches a pattern of `ref_offense_inchoate_patterns`. Qualify
 * column names, as for `offenseCategorySql`.
 */
export function offenseInchoateSql(textExpr: string): string {
  const p = parts(textExpr, 'NULL');
  const norm = normalizeChargeTextSql(textExpr);
  return (
    `(${p.textReadable} AND EXISTS (SELECT 1 FROM ${OFFENSE_TABLES.inchoatePatterns} ip ` +
    `WHERE regexp_matches(${norm}, ip.pattern)))`
  );
}

/**
 * A SELECT over `source` (a table name or a parenthesized query) giving one row per distinct
 * (charge_text, charge_code) with `category`, `basis`, `inchoate` and `n` (row count). Join it back on both
 * columns with `IS NOT DISTINCT FROM`, or feed it to `coverageReport`.
 */
export function offenseCrosswalkSql(source: string, textColumn: string, codeColumn: string): string {
  return (
    // Qualified with the alias: `charge_text` is also a column of ref_offense_texts, and an unqualified
    // name inside the correlated look-ups would bind to the inner table.
    `SELECT pairs.charge_text, pairs.charge_code, ` +
    `${offenseCategorySql('pairs.charge_text', 'pairs.charge_code')} AS category, ` +
    `${offenseBasisSql('pairs.charge_text', 'pairs.charge_code')} AS basis, ` +
    `${offenseInchoateSql('pairs.charge_text')} AS inchoate, pairs.n FROM (` +
    `SELECT CAST(${textColumn} AS VARCHAR) AS charge_text, CAST(${codeColumn} AS VARCHAR) AS charge_code, ` +
    `count(*) AS n FROM ${source} GROUP BY ALL) pairs`
  );
}
