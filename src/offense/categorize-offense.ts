/**
 * Puts one most-serious-conviction (text, code) pair into an offense category, saying which rule
 * decided it. The SQL twin in `offense-sql.ts` follows the same steps in the same order.
 */
import { findCodeRange, UNKNOWN_CATEGORY } from './load-offense-reference.ts';
import type { OffenseReference } from './load-offense-reference.ts';
import { isRedacted, normalizeChargeText, parseNcicCode, trimCode } from './normalize.ts';

/**
 * Which rule decided the category:
 * - `code`: the NCIC code fell in a range of `code-ranges.csv`;
 * - `text`: the normalized text is in `charge-texts.csv`;
 * - `pattern`: a regular expression of `text-patterns.csv` matched the normalized text;
 * - `blank`: text and code are both empty (category `unknown`);
 * - `redacted`: a field carries a FOIA withholding marker and nothing else decided (category `unknown`);
 * - `unmapped`: a value no table maps (category `unknown`), listed by `coverageReport` for review.
 */
export type OffenseBasis = 'code' | 'text' | 'pattern' | 'blank' | 'redacted' | 'unmapped';

/** All bases, in the order the rules are tried (blank first). */
export const OFFENSE_BASES: readonly OffenseBasis[] = ['blank', 'code', 'text', 'pattern', 'redacted', 'unmapped'];

/** The result of categorizing one charge. */
export interface OffenseCategorization {
  /** A category id from `categories.csv`; `unknown` for blank, redacted and unmapped charges. */
  readonly category: string;
  readonly basis: OffenseBasis;
  /**
   * True when the readable charge text names an attempt, conspiracy, solicitation or accessory
   * (`inchoate-patterns.csv`), whatever rule decided the category. NCIC codes carry no such marker,
   * so a charge known only by its code, or whose text is blank or withheld, is `false`: "not named
   * as inchoate", not "known to be completed".
   */
  readonly inchoate: boolean;
}

/** The inchoate flag of a text (see `OffenseCategorization.inchoate`). */
export function isInchoate(ref: OffenseReference, text: string | null | undefined): boolean {
  const norm = normalizeChargeText(text);
  if (norm === '' || isRedacted(text)) return false;
  return ref.inchoatePatterns.some((p) => p.regex.test(norm));
}

/**
 * Categorizes a most serious conviction from its charge text and NCIC code.
 *
 * Steps, in order: (1) both fields empty → `unknown`/`blank`; (2) a code that parses (leading zeros
 * restored, a trailing `.0` or text tolerated) and falls in a known range → that range's category;
 * (3) a text that is not withheld → exact normalized text, then the first matching pattern, else
 * `unknown`/`unmapped`; (4) a withheld text or code → `unknown`/`redacted`; (5) otherwise (a code in
 * no range and no text) → `unknown`/`unmapped`. Nothing is guessed: an unmapped value stays `unknown`.
 * The `inchoate` flag is set from the text alone (`isInchoate`), independently of these steps.
 */
export function categorizeOffense(
  ref: OffenseReference,
  text: string | null | undefined,
  code: string | number | null | undefined,
): OffenseCategorization {
  const result = decide(ref, text, code);
  return { ...result, inchoate: isInchoate(ref, text) };
}

function decide(
  ref: OffenseReference,
  text: string | null | undefined,
  code: string | number | null | undefined,
): Omit<OffenseCategorization, 'inchoate'> {
  const norm = normalizeChargeText(text);
  if (norm === '' && trimCode(code) === '') return { category: UNKNOWN_CATEGORY, basis: 'blank' };

  const key = parseNcicCode(code);
  if (key !== null) {
    const range = findCodeRange(ref.codeRanges, key);
    if (range) return { category: range.category, basis: 'code' };
  }

  const textRedacted = isRedacted(text);
  if (norm !== '' && !textRedacted) {
    const exact = ref.texts.get(norm);
    if (exact) return { category: exact.category, basis: 'text' };
    for (const p of ref.patterns) {
      if (p.regex.test(norm)) return { category: p.category, basis: 'pattern' };
    }
    return { category: UNKNOWN_CATEGORY, basis: 'unmapped' };
  }
  if (textRedacted || isRedacted(code === null || code === undefined ? null : String(code))) {
    return { category: UNKNOWN_CATEGORY, basis: 'redacted' };
  }
  return { category: UNKNOWN_CATEGORY, basis: 'unmapped' };
}

/** A reference charge text with the NCIC code it normally carries (null when none is known). */
export interface ChargeTextSample {
  readonly chargeText: string;
  readonly ncicCode: string | null;
  readonly category: string;
}

/**
 * The charge texts of `charge-texts.csv` in file order, with their usual NCIC code and category, so
 * the synthetic-data generator can draw realistic (text, code) pairs.
 */
export function listChargeTexts(ref: OffenseReference): ChargeTextSample[] {
  return [...ref.texts.values()]
    .sort((a, b) => a.line - b.line)
    .map((t) => ({ chargeText: t.chargeText, ncicCode: t.ncicCode, category: t.category }));
}
