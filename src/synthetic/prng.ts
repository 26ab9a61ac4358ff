/**
 * A small seeded pseudo-random number generator for the synthetic releases.
 *
 * Does: give reproducible streams of numbers from a 32-bit seed (sfc32 seeded through splitmix32), and
 * derive independent sub-streams from (seed, key...) so that each synthetic person can be replayed on its
 * own, in any pass, without holding the whole population in memory.
 * Does not: provide cryptographic randomness; it never touches Math.random or the clock.
 */

/** Mixes a 32-bit integer (the splitmix32 finaliser); a bijection on uint32. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Folds a list of integers into one 32-bit seed; order matters. */
export function deriveSeed(...parts: number[]): number {
  let h = 0x2545f491;
  for (const p of parts) h = mix32((h ^ mix32(p >>> 0)) + 0x6d2b79f5);
  return h >>> 0;
}

/** Seeded generator (sfc32). Every draw is a pure function of the seed and the number of draws so far. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Creates a generator from one or more integers (see {@link deriveSeed}). */
  constructor(...seedParts: number[]) {
    const s = deriveSeed(...seedParts);
    this.a = mix32(s);
    this.b = mix32(s ^ 0xdeadbeef);
    this.c = mix32(s + 0x632be5ab);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi], both ends included. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A log-normal draw with the given median and log-scale spread. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** A geometric count of failures before the first success (p = success probability). */
  geometric(p: number): number {
    let n = 0;
    while (!this.chance(p) && n < 50) n++;
    return n;
  }
}

/** A categorical distribution prepared once for fast repeated draws. */
export class Weighted<T> {
  private readonly values: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  /** Builds the table from `[value, weight]` pairs; weights need not sum to 1. */
  constructor(entries: readonly (readonly [T, number])[]) {
    this.values = entries.map((e) => e[0]);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, w], i) => {
      sum += Math.max(0, w);
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  /** Draws one value. */
  draw(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < (this.cumulative[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo] as T;
  }
}

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * An 11-character alphanumeric identifier derived from (seed, index): looks random, is stable, and is
 * collision-free within a release because the index is mixed bijectively before encoding.
 */
export function makeIdentifier(seed: number, index: number): string {
  // Two independent 32-bit words; the first is a bijection of the index, so ids never collide.
  const hi = mix32((index ^ mix32(seed)) >>> 0);
  const lo = mix32(deriveSeed(seed, index, 7));
  let out = '';
  let x = hi;
  for (let i = 0; i < 6; i++) {
    out += ID_ALPHABET[x % 36];
    x = Math.floor(x / 36);
  }
  // 36^6 > 2^31 but < 2^32: fold the remaining high part in so the mapping stays injective.
  out += ID_ALPHABET[x % 36];
  let y = lo;
  for (let i = 0; i < 4; i++) {
    out += ID_ALPHABET[y % 36];
    y = Math.floor(y / 36);
  }
  return out;
}
