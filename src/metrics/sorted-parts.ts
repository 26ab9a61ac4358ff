/**
 * Order statistics of a union of ascending arrays, without merging them. A period's day values
 * (days from a detainer to its lift, to a later arrest…) are kept sorted per month cell; a median
 * over a fiscal year or a whole release is read from up to a few hundred such parts, and merging
 * and sorting 10⁵–10⁶ values per answer is what made the national answers slow.
 */

/** First index in [from, to) of `a` whose value is > x when `orEqual`, else ≥ x. */
function bound(a: ArrayLike<number>, x: number, from: number, to: number, orEqual: boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x || (orEqual && a[mid]! === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The k-th smallest value (0-based) of all values of `parts`, each sorted ascending. Exact for any
 * numbers: each round takes the middle value of the widest remaining window as a pivot, counts the
 * values below and equal to it in every part, and keeps the side that holds rank k.
 */
export function kthSmallest(parts: readonly ArrayLike<number>[], k: number): number {
  const n = parts.reduce((s, p) => s + p.length, 0);
  if (!Number.isInteger(k) || k < 0 || k >= n) throw new RangeError(`rank ${k} is outside 0–${n - 1}`);
  const lo = parts.map(() => 0);
  const hi = parts.map((p) => p.length);
  const below = new Array<number>(parts.length);
  const upTo = new Array<number>(parts.length);
  let rank = k;
  for (;;) {
    let widest = 0;
    let width = -1;
    for (let i = 0; i < parts.length; i++) {
      if (hi[i]! - lo[i]! > width) {
        width = hi[i]! - lo[i]!;
        widest = i;
      }
    }
    const pivot = parts[widest]![lo[widest]! + (width >> 1)]!;
    let less = 0;
    let lessOrEqual = 0;
    for (let i = 0; i < parts.length; i++) {
      below[i] = bound(parts[i]!, pivot, lo[i]!, hi[i]!, false);
      upTo[i] = bound(parts[i]!, pivot, below[i]!, hi[i]!, true);
      less += below[i]! - lo[i]!;
      lessOrEqual += upTo[i]! - lo[i]!;
    }
    if (rank < less) {
      for (let i = 0; i < parts.length; i++) hi[i] = below[i]!;
    } else if (rank < lessOrEqual) {
      return pivot;
    } else {
      rank -= lessOrEqual;
      for (let i = 0; i < parts.length; i++) lo[i] = upTo[i]!;
    }
  }
}

/** The values, sorted ascending, as a Float64Array (numeric order). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}
