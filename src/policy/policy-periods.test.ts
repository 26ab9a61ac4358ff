import { describe, expect, it } from 'vitest';
import { loadPolicies, policyAt, policyPeriods, type Place } from './index.ts';

const policies = await loadPolicies();

function periodAt(place: Place, date: string) {
  return policyPeriods(policies, place).find((p) => p.from <= date && (p.to === null || date < p.to))!;
}

describe('policyPeriods', () => {
  it('gives Massachusetts a period decided by Lunn v. Commonwealth from 2017-07-24', () => {
    const lunn = periodAt({ state: 'MA' }, '2017-08-01');
    expect(lunn).toMatchObject({ from: '2017-07-24', to: null, regime: 'no_holds', entryId: 'ma-2017-lunn-v-commonwealth' });
    expect(periodAt({ state: 'MA' }, '2017-07-23')).toMatchObject({ regime: 'no_data', entryId: null });
  });

  it('gives a federal facility one open period with the federal regime, and a state prison its own periods', () => {
    expect(policyPeriods(policies, { state: 'MA', countyFips: '25025' }, { scope: 'federal' })).toEqual([
      { from: '0001-01-01', to: null, regime: 'federal', entryId: null, citation: null, dateUnknown: false },
    ]);
    const prison = policyPeriods(policies, { state: 'TX', countyFips: '48453' }, { scope: 'state_prisons' });
    expect(prison.some((p) => p.entryId?.startsWith('tx-travis'))).toBe(false);
    expect(prison.find((p) => p.from <= '2018-01-01' && (p.to === null || '2018-01-01' < p.to))?.entryId).toBe('tx-2017-tex-sb-85r');
  });

  it('covers every date once, and agrees with policyAt on every day of 2010-2026 for several places', () => {
    const places: Place[] = [{ state: 'MA' }, { state: 'TX', countyFips: '48453' }, { state: 'MA', city: 'boston' }, { state: 'IL', countyFips: '17031' }, { state: 'CA' }, { state: 'FL' }, { state: 'PR' }, { state: 'NY', countyFips: '36005' }, { state: 'LA', countyFips: '22071' }, { state: 'PA', countyFips: '42101' }];
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
