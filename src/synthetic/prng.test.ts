import { describe, expect, it } from 'vitest';
import { fallbackRegimeAt, FALLBACK_JAILS } from './fallback-reference.ts';
import { Rng, Weighted, makeIdentifier } from './prng.ts';

describe('synthetic PRNG', () => {
  it('replays the same stream from the same seed parts and differs across them', () => {
    const a = new Rng(1, 2, 3);
    const b = new Rng(1, 2, 3);
    const c = new Rng(1, 2, 4);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('draws weighted values at their shares', () => {
    const rng = new Rng(9);
    const w = new Weighted<string>([['a', 0.7], ['b', 0.3]]);
    let a = 0;
    for (let i = 0; i < 20_000; i++) if (w.draw(rng) === 'a') a++;
    expect(a / 20_000).toBeGreaterThan(0.68);
    expect(a / 20_000).toBeLessThan(0.72);
  });

  it('makes 11-character ids without collisions', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200_000; i++) ids.add(makeIdentifier(42, i));
    expect(ids.size).toBe(200_000);
    expect([...ids].every((id) => /^[0-9A-Z]{11}$/.test(id))).toBe(true);
  });
});

describe('fallback reference', () => {
  it('knows the regime steps of the fallback states', () => {
    expect(fallbackRegimeAt('MA', '2017-07-23')).toBe('unclear');
    expect(fallbackRegimeAt('MA', '2017-07-24')).toBe('no_holds');
    expect(fallbackRegimeAt('FL', '2023-01-01')).toBe('hold_required');
    expect(fallbackRegimeAt('WY', '2023-01-01')).toBe('no_data');
    expect(FALLBACK_JAILS.every((j) => /^\d{5}$/.test(j.countyFips))).toBe(true);
  });
});
