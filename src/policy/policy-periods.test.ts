import { describe, expect, it } from 'vitest';
import { loadPolicies, policyAt, policyPeriods, type Place } from './index.ts';

const policies = await loadPolicies();

function periodAt(place: Place, date: string) {
  return policyPeriods(policies, place).find((p) => p.from <= date && (p.to === null || date < p.to))!;
}

describe('policyPeriods', () => {
  it('gives Massachusetts a period decided by Lunn v. Commonwealth from 2017-07-24', () => {
    const lunn = periodAt({ state: 'MA' }, '2017-08-01');
    expect(lunn).toMatchObject({ from: '2017-07-24', regime: 'no', entryId: 'ma-2017-lunn-v-commonwealth' });
    expect(periodAt({ state: 'MA' }, '2017-07-23').entryId).not.toBe('ma-2017-lunn-v-commonwealth');
  });

  it('covers every date once, and agrees with policyAt on every day of 2010-2026 for several places', () => {
    const places: Place[] = [{ state: 'MA' }, { state: 'TX', countyFips: '48453' }, { state: 'MA', city: 'boston' }, { state: 'IL', countyFips: '17031' }, { state: 'CA' }, { state: 'FL' }, { state: 'PR' }];
    for (const place of places) {
      const periods = policyPeriods(policies, place);
      expect(periods[0]!.from).toBe('0001-01-01');
      expect(periods.at(-1)!.to).toBeNull();
      for (let i = 1; i < periods.length; i++) expect(periods[i]!.from).toBe(periods[i - 1]!.to);
      for (let t = Date.UTC(2010, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
        const date = new Date(t).toISOString().slice(0, 10);
        const expected = policyAt(policies, place, date);
        const got = periodAt(place, date);
        expect({ date, regime: got.regime, entry: got.entryId }).toEqual({ date, regime: expected.regime, entry: expected.decidedBy?.id ?? null });
      }
    }
  });
});
