import { describe, expect, it } from 'vitest';
import { kthSmallest, sortedCopy } from './sorted-parts.ts';

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('kthSmallest over sorted parts', () => {
  it('equals the k-th value of the merged, sorted values, for every rank, with ties, empty parts and fractions', () => {
    const random = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 8) }, () => {
        const len = Math.floor(random() * 30);
        // Few distinct values in some trials (many ties), fractional values in others.
        const spread = trial % 3 === 0 ? 4 : 1000;
        return sortedCopy(Array.from({ length: len }, () => (trial % 5 === 0 ? random() * spread : Math.floor(random() * spread))));
      });
      const all = parts.flatMap((p) => [...p]).sort((a, b) => a - b);
      for (let k = 0; k < all.length; k++) expect(kthSmallest(parts, k)).toBe(all[k]);
    }
  });

  it('refuses a rank outside the values', () => {
    expect(() => kthSmallest([sortedCopy([1, 2])], 2)).toThrow(RangeError);
    expect(() => kthSmallest([], 0)).toThrow(RangeError);
  });
});
