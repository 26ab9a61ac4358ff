/**
 * Measures how much of a release's most-serious-conviction values the reference tables map, and
 * lists the values they do not, so a reviewer can extend `charge-texts.csv`.
 */
import { categorizeOffense, OFFENSE_BASES } from './categorize-offense.ts';
import type { OffenseBasis } from './categorize-offense.ts';
import type { OffenseReference } from './load-offense-reference.ts';

/** One distinct (text, code) pair and how many rows carry it. Counts may be BIGINT strings from DuckDB. */
export interface ChargeCount {
  readonly text: string | null;
  readonly code: string | number | null;
  readonly count: number | bigint | string;
}

/** A value the tables do not map, with its row count. */
export interface UnmappedCharge {
  readonly text: string | null;
  readonly code: string | null;
  readonly count: number;
}

/** Coverage of a set of charges by the offense reference. */
export interface OffenseCoverage {
  /** All rows. */
  readonly total: number;
  readonly blank: number;
  readonly redacted: number;
  /** Rows with a text or code that is not withheld: `mapped + unmapped`. */
  readonly readable: number;
  readonly mapped: number;
  readonly unmapped: number;
  /** `mapped / readable`, or null when nothing is readable. */
  readonly mappedShare: number | null;
  /** Rows per basis. */
  readonly byBasis: Readonly<Record<OffenseBasis, number>>;
  /** Rows per category (including `unknown`). */
  readonly byCategory: Readonly<Record<string, number>>;
  /** Unmapped (text, code) values, most frequent first (ties by text). */
  readonly unmappedValues: readonly UnmappedCharge[];
}

function toCount(v: number | bigint | string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`bad count: ${String(v)}`);
  return n;
}

/**
 * Categorizes each (text, code, count) and sums the rows: blank, redacted, mapped and unmapped, the
 * share of readable charges mapped, rows per basis and per category, and the unmapped values.
 */
export function coverageReport(ref: OffenseReference, pairs: Iterable<ChargeCount>): OffenseCoverage {
  const byBasis = Object.fromEntries(OFFENSE_BASES.map((b) => [b, 0])) as Record<OffenseBasis, number>;
  const byCategory: Record<string, number> = {};
  const unmapped = new Map<string, { text: string | null; code: string | null; count: number }>();
  let total = 0;
  for (const pair of pairs) {
    const count = toCount(pair.count);
    const { category, basis } = categorizeOffense(ref, pair.text, pair.code);
    total += count;
    byBasis[basis] += count;
    byCategory[category] = (byCategory[category] ?? 0) + count;
    if (basis === 'unmapped') {
      const code = pair.code === null || pair.code === undefined ? null : String(pair.code);
      const key = JSON.stringify([pair.text, code]);
      const prev = unmapped.get(key);
      if (prev) prev.count += count;
      else unmapped.set(key, { text: pair.text, code, count });
    }
  }
  const mapped = byBasis.code + byBasis.text + byBasis.pattern;
  const readable = mapped + byBasis.unmapped;
  return {
    total,
    blank: byBasis.blank,
    redacted: byBasis.redacted,
    readable,
    mapped,
    unmapped: byBasis.unmapped,
    mappedShare: readable === 0 ? null : mapped / readable,
    byBasis,
    byCategory,
    unmappedValues: [...unmapped.values()].sort(
      (a, b) => b.count - a.count || (a.text ?? '').localeCompare(b.text ?? '') || (a.code ?? '').localeCompare(b.code ?? ''),
    ),
  };
}
