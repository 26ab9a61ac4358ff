/**
 * Reads and validates the hand-kept offense tables in `reference/offenses/`. Every problem is reported
 * as a HandoffError with code `invalid_reference` naming the file and line, so a reviewer can fix the
 * CSV without reading this code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { HandoffError } from '../core/errors.ts';
import { normalizeChargeText } from './normalize.ts';
import { VIOLENCE_DEFINITIONS } from './violence.ts';
import { repoPath } from '../core/repo-root.ts';

/** The default folder of the offense tables: `<repo>/reference/offenses`. */
export const DEFAULT_OFFENSE_REFERENCE_DIR = `${repoPath('reference', 'offenses')}/`;

/** Category ids the code relies on; `categories.csv` must define each of them. */
export const REQUIRED_CATEGORIES = [
  'homicide',
  'sexual_assault',
  'robbery',
  'aggravated_assault',
  'simple_assault',
  'kidnapping',
  'other_sexual_offense',
  'weapons',
  'burglary',
  'larceny_theft',
  'fraud',
  'drug_sale_trafficking',
  'drug_possession',
  'dui',
  'other_traffic',
  'immigration',
  'obstruction_public_order',
  'other',
  'unknown',
] as const;

/** The category given to blank, withheld and unmapped charges. No mapping row may use it. */
export const UNKNOWN_CATEGORY = 'unknown';

/** One row of `categories.csv`. */
export interface OffenseCategoryDef {
  readonly category: string;
  readonly label: string;
  readonly description: string;
  readonly ucrViolent: boolean;
  readonly broadViolent: boolean;
}

/** One row of `code-ranges.csv`: NCIC codes `from`..`to` (inclusive) belong to `category`. */
export interface OffenseCodeRange {
  readonly codeFrom: string;
  readonly codeTo: string;
  readonly from: number;
  readonly to: number;
  readonly category: string;
  readonly ncicGroup: string;
  readonly note: string;
  /** 1-based line in the CSV file. */
  readonly line: number;
}

/** One row of `charge-texts.csv`. */
export interface OffenseChargeText {
  /** The text as written in the file. */
  readonly chargeText: string;
  /** `normalizeChargeText(chargeText)`: the lookup key. */
  readonly key: string;
  /** The NCIC code this text normally carries, or null when none is known. */
  readonly ncicCode: string | null;
  readonly category: string;
  readonly note: string;
  readonly line: number;
}

/** One row of `text-patterns.csv`; patterns are tried in file order. */
export interface OffenseTextPattern {
  /** 1-based position in the file, the order in which patterns are tried. */
  readonly ordinal: number;
  /** Regular expression source, matched against normalized text. */
  readonly pattern: string;
  readonly regex: RegExp;
  readonly category: string;
  readonly note: string;
  readonly line: number;
}

/**
 * One row of `inchoate-patterns.csv`: a regular expression on normalized text that marks a charge as
 * inchoate (an attempt, conspiracy, solicitation or accessory). Any match sets the flag; order does
 * not matter.
 */
export interface OffenseInchoatePattern {
  readonly ordinal: number;
  readonly pattern: string;
  readonly regex: RegExp;
  readonly note: string;
  readonly line: number;
}

/** The validated offense reference: categories, code ranges, exact texts, patterns, inchoate patterns. */
export interface OffenseReference {
  readonly dir: string;
  readonly categories: ReadonlyMap<string, OffenseCategoryDef>;
  /** Sorted by `from`, non-overlapping. */
  readonly codeRanges: readonly OffenseCodeRange[];
  /** Keyed by normalized text. */
  readonly texts: ReadonlyMap<string, OffenseChargeText>;
  readonly patterns: readonly OffenseTextPattern[];
  /** Patterns that set the `inchoate` flag of a categorization (`inchoate-patterns.csv`). */
  readonly inchoatePatterns: readonly OffenseInchoatePattern[];
}

/** File names inside the reference folder. */
export const OFFENSE_REFERENCE_FILES = {
  categories: 'categories.csv',
  codeRanges: 'code-ranges.csv',
  chargeTexts: 'charge-texts.csv',
  textPatterns: 'text-patterns.csv',
  inchoatePatterns: 'inchoate-patterns.csv',
} as const;

interface CsvRow {
  record: Record<string, string>;
  line: number;
}

/** Throws `invalid_reference` with the file and line in the message and in `details`. */
function fail(file: string, line: number | undefined, message: string): never {
  const where = line === undefined ? file : `${file} line ${line}`;
  throw new HandoffError('invalid_reference', `${where}: ${message}`, {
    details: line === undefined ? { file } : { file, line },
  });
}

function readCsv(dir: string, name: string, columns: readonly string[]): { file: string; rows: CsvRow[] } {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new HandoffError('invalid_reference', `${file}: cannot read the file`, {
      details: { file },
      cause,
    });
  }
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as typeof parsed;
  } catch (cause) {
    const line = (cause as { lines?: number }).lines;
    return fail(file, line, `not valid CSV (${(cause as Error).message})`);
  }
  const [header, ...body] = parsed;
  const got = header?.record.map((h) => h.trim()) ?? [];
  if (got.join(',') !== columns.join(',')) {
    fail(file, 1, `the header must be "${columns.join(',')}", found "${got.join(',')}"`);
  }
  const rows = body.map(({ record, info }) => {
    const obj: Record<string, string> = {};
    columns.forEach((c, i) => (obj[c] = (record[i] ?? '').trim()));
    return { record: obj, line: info.lines };
  });
  return { file, rows };
}

const CODE_RE = /^[0-9]{4}$/;

function checkCategory(
  file: string,
  line: number,
  category: string,
  categories: ReadonlyMap<string, OffenseCategoryDef>,
): void {
  if (!categories.has(category)) fail(file, line, `unknown category "${category}"`);
  if (category === UNKNOWN_CATEGORY) {
    fail(file, line, `"${UNKNOWN_CATEGORY}" is kept for blank, withheld and unmapped charges; map to a real category`);
  }
}

function parseBoolean(file: string, line: number, column: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fail(file, line, `${column} must be true or false, found "${value}"`);
}

function loadCategories(dir: string): Map<string, OffenseCategoryDef> {
  const { file, rows } = readCsv(dir, OFFENSE_REFERENCE_FILES.categories, [
    'category',
    'label',
    'description',
    'ucr_violent',
    'broad_violent',
  ]);
  const out = new Map<string, OffenseCategoryDef>();
  for (const { record: r, line } of rows) {
    if (!/^[a-z][a-z0-9_]*$/.test(r.category!)) {
      fail(file, line, `category id "${r.category}" must be snake_case`);
    }
    if (out.has(r.category!)) fail(file, line, `duplicate category "${r.category}"`);
    if (!r.label) fail(file, line, `category "${r.category}" has no label`);
    out.set(r.category!, {
      category: r.category!,
      label: r.label!,
      description: r.description!,
      ucrViolent: parseBoolean(file, line, 'ucr_violent', r.ucr_violent!),
      broadViolent: parseBoolean(file, line, 'broad_violent', r.broad_violent!),
    });
  }
  for (const required of REQUIRED_CATEGORIES) {
    if (!out.has(required)) fail(file, undefined, `required category "${required}" is missing`);
  }
  // The flags in the file and the constants in violence.ts must describe the same sets.
  for (const def of Object.values(VIOLENCE_DEFINITIONS)) {
    for (const c of out.values()) {
      const flagged = def.column === 'ucr_violent' ? c.ucrViolent : c.broadViolent;
      if (flagged !== def.categories.includes(c.category)) {
        const line = rows.find((row) => row.record.category === c.category)?.line;
        fail(
          file,
          line,
          `${def.column} for "${c.category}" is ${flagged}, but the ${def.id} definition ` +
            `${flagged ? 'does not include' : 'includes'} it`,
        );
      }
    }
  }
  return out;
}

function loadCodeRanges(dir: string, categories: ReadonlyMap<string, OffenseCategoryDef>): OffenseCodeRange[] {
  const { file, rows } = readCsv(dir, OFFENSE_REFERENCE_FILES.codeRanges, [
    'code_from',
    'code_to',
    'category',
    'ncic_group',
    'note',
  ]);
  const ranges: OffenseCodeRange[] = [];
  for (const { record: r, line } of rows) {
    for (const col of ['code_from', 'code_to'] as const) {
      if (!CODE_RE.test(r[col]!)) fail(file, line, `${col} must be a 4-digit NCIC code, found "${r[col]}"`);
    }
    const from = Number(r.code_from);
    const to = Number(r.code_to);
    if (from > to) fail(file, line, `code_from ${r.code_from} is after code_to ${r.code_to}`);
    checkCategory(file, line, r.category!, categories);
    ranges.push({
      codeFrom: r.code_from!,
      codeTo: r.code_to!,
      from,
      to,
      category: r.category!,
      ncicGroup: r.ncic_group!,
      note: r.note!,
      line,
    });
  }
  ranges.sort((a, b) => a.from - b.from);
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1]!;
    const cur = ranges[i]!;
    if (cur.from <= prev.to) {
      fail(
        file,
        cur.line,
        `range ${cur.codeFrom}-${cur.codeTo} overlaps range ${prev.codeFrom}-${prev.codeTo} on line ${prev.line}`,
      );
    }
  }
  return ranges;
}

/** Finds the range holding a 4-digit code (binary search over sorted ranges). */
export function findCodeRange(ranges: readonly OffenseCodeRange[], code: string): OffenseCodeRange | undefined {
  const n = Number(code);
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (n < r.from) hi = mid - 1;
    else if (n > r.to) lo = mid + 1;
    else return r;
  }
  return undefined;
}

function loadChargeTexts(
  dir: string,
  categories: ReadonlyMap<string, OffenseCategoryDef>,
  ranges: readonly OffenseCodeRange[],
  rangesFile: string,
): Map<string, OffenseChargeText> {
  const { file, rows } = readCsv(dir, OFFENSE_REFERENCE_FILES.chargeTexts, [
    'charge_text',
    'ncic_code',
    'category',
    'note',
  ]);
  const out = new Map<string, OffenseChargeText>();
  for (const { record: r, line } of rows) {
    const key = normalizeChargeText(r.charge_text);
    if (key === '') fail(file, line, 'charge_text is empty (or has no letters or digits)');
    const dup = out.get(key);
    if (dup) {
      fail(file, line, `charge_text "${r.charge_text}" duplicates "${dup.chargeText}" on line ${dup.line} once normalized ("${key}")`);
    }
    checkCategory(file, line, r.category!, categories);
    let ncicCode: string | null = null;
    if (r.ncic_code) {
      if (!CODE_RE.test(r.ncic_code)) fail(file, line, `ncic_code must be blank or 4 digits, found "${r.ncic_code}"`);
      const range = findCodeRange(ranges, r.ncic_code);
      if (!range) fail(file, line, `ncic_code ${r.ncic_code} is in no range of ${rangesFile}`);
      // The code wins over the text when both are present, so they must agree.
      if (range.category !== r.category) {
        fail(
          file,
          line,
          `ncic_code ${r.ncic_code} maps to "${range.category}" (${rangesFile} line ${range.line}) but this text says "${r.category}"`,
        );
      }
      ncicCode = r.ncic_code;
    }
    out.set(key, { chargeText: r.charge_text!, key, ncicCode, category: r.category!, note: r.note!, line });
  }
  return out;
}

/** Checks one pattern against the JavaScript/RE2 subset and compiles it. */
function compilePattern(file: string, line: number, pattern: string, seen: Map<string, number>): RegExp {
  if (!pattern) fail(file, line, 'pattern is empty');
  // Lookarounds, named groups and flags are JavaScript-only or RE2-only; keep to the shared subset.
  if (pattern.includes('(?')) fail(file, line, `pattern "${pattern}" uses "(?": keep to syntax JavaScript and DuckDB (RE2) share`);
  if (/\\[1-9]/.test(pattern)) fail(file, line, `pattern "${pattern}" uses a back-reference, which DuckDB (RE2) lacks`);
  if (/[A-Z]/.test(pattern.replace(/\\[A-Za-z]/g, ''))) {
    fail(file, line, `pattern "${pattern}" has upper-case letters; it is matched against lower-case normalized text`);
  }
  const prev = seen.get(pattern);
  if (prev !== undefined) fail(file, line, `pattern "${pattern}" duplicates line ${prev}`);
  seen.set(pattern, line);
  try {
    return new RegExp(pattern);
  } catch (cause) {
    return fail(file, line, `pattern "${pattern}" is not a valid regular expression (${(cause as Error).message})`);
  }
}

function loadInchoatePatterns(dir: string): OffenseInchoatePattern[] {
  const { file, rows } = readCsv(dir, OFFENSE_REFERENCE_FILES.inchoatePatterns, ['pattern', 'note']);
  const seen = new Map<string, number>();
  return rows.map(({ record: r, line }, i) => {
    const regex = compilePattern(file, line, r.pattern!, seen);
    return { ordinal: i + 1, pattern: r.pattern!, regex, note: r.note!, line };
  });
}

function loadPatterns(dir: string, categories: ReadonlyMap<string, OffenseCategoryDef>): OffenseTextPattern[] {
  const { file, rows } = readCsv(dir, OFFENSE_REFERENCE_FILES.textPatterns, ['pattern', 'category', 'note']);
  const seen = new Map<string, number>();
  return rows.map(({ record: r, line }, i) => {
    const pattern = r.pattern!;
    const regex = compilePattern(file, line, pattern, seen);
    checkCategory(file, line, r.category!, categories);
    return { ordinal: i + 1, pattern, regex, category: r.category!, note: r.note!, line };
  });
}

/**
 * Loads and validates the offense reference tables from `dir` (default `reference/offenses/`).
 *
 * @throws HandoffError `invalid_reference`, naming the file and line, on a bad header, an unknown or
 *   reserved category, a malformed or overlapping code range, a duplicate (normalized) charge text, a
 *   text whose `ncic_code` maps to another category, or a pattern (text or inchoate) outside the
 *   JavaScript/RE2 subset.
 */
export function loadOffenseReference(dir: string = DEFAULT_OFFENSE_REFERENCE_DIR): OffenseReference {
  const categories = loadCategories(dir);
  const codeRanges = loadCodeRanges(dir, categories);
  const texts = loadChargeTexts(dir, categories, codeRanges, OFFENSE_REFERENCE_FILES.codeRanges);
  const patterns = loadPatterns(dir, categories);
  const inchoatePatterns = loadInchoatePatterns(dir);
  return { dir, categories, codeRanges, texts, patterns, inchoatePatterns };
}
