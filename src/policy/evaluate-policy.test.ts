import { beforeAll, describe, expect, it } from 'vitest';
import { describePolicy } from './describe-policy.ts';
import { inForceStatus, listJurisdictions, policyAt, policyTimeline } from './evaluate-policy.ts';
import { loadPolicies } from './load-policies.ts';
import { parsePlaceKey } from './places.ts';
import type { PolicySet } from './types.ts';

let policies: PolicySet;
beforeAll(async () => {
  policies = await loadPolicies();
});

describe('policyAt on the reviewed files', () => {
  it('Massachusetts after Lunn v. Commonwealth (2017-07-24) is decided by Lunn', () => {
    const r = policyAt(policies, { state: 'MA' }, '2017-08-01');
    expect(r.regime).toBe('no');
    expect(r.decidedBy?.id).toBe('ma-2017-lunn-v-commonwealth');
    expect(r.decidedBy?.jurisdiction.id).toBe('state:MA');
    expect(r.dateUnknown).toBe(false);
    expect(r.citations[0]?.citation).toBe('Lunn v. Commonwealth, 477 Mass. 517 (2017) (SJC-12276)');
  });

  it('Massachusetts before Lunn: Lunn is not in force; only the undated DOC 287(g) entry, flagged', () => {
    const r = policyAt(policies, { state: 'MA' }, '2017-07-23');
    expect(r.considered.state.map((e) => e.id)).not.toContain('ma-2017-lunn-v-commonwealth');
    expect(r.decidedBy?.id).toBe('ma-undated-ina-287-1357');
    expect(r.regime).toBe('yes');
    expect(r.dateUnknown).toBe(true);
    expect(r.dateUnknownIds).toEqual(['ma-undated-ina-287-1357']);
  });

  it('Texas SB 4 (mandatory, 2017-09-01) overrides the Travis County restrictive entry in 2017', () => {
    const before = policyAt(policies, { state: 'TX', countyFips: '48453' }, '2017-08-15');
    expect(before.regime).toBe('no');
    expect(before.decidedBy?.jurisdiction.id).toBe('county:48453');
    expect(before.overridden).toEqual([]);

    const after = policyAt(policies, { state: 'TX', countyFips: '48453', city: 'Austin' }, '2017-09-10');
    expect(after.regime).toBe('mandatory');
    expect(after.decidedBy?.id).toBe('tx-2017-tex-sb-85r');
    expect(after.overridden.map((e) => e.id)).toEqual(['tx-travis-county-2017-travis-county-sheriff']);
    expect(after.considered.county).toHaveLength(1);
    expect(after.citations.map((c) => c.entry_id)).toEqual([
      'tx-2017-tex-sb-85r',
      'tx-travis-county-2017-travis-county-sheriff',
    ]);
    const text = describePolicy(after);
    expect(text.rows.map((r) => r.role)).toEqual(['decides', 'overridden']);
  });

  it('a city with a rule different from its state: Boston inside Massachusetts', () => {
    const r = policyAt(policies, parsePlaceKey('city:MA:boston').place, '2016-01-01');
    expect(r.regime).toBe('judicial_warrant_only');
    expect(r.decidedBy?.jurisdiction.id).toBe('city:MA:boston');
    expect(r.considered.state.map((e) => e.id)).toEqual(['ma-undated-ina-287-1357']);
    const chicago = policyAt(policies, { state: 'IL', city: 'Chicago' }, '2015-06-01');
    expect(chicago.regime).toBe('judicial_warrant_only');
    expect(chicago.considered.state).toEqual([]);
  });

  it('a consolidated city-county is found by county FIPS', () => {
    const r = policyAt(policies, parsePlaceKey('county:42101').place, '2015-01-01');
    expect(r.decidedBy?.jurisdiction.id).toBe('city:PA:philadelphia');
  });

  it('a named preempted_by entry sets the local entry aside once the state law is in force', () => {
    const before = policyAt(policies, { state: 'NC', countyFips: '37119' }, '2024-06-01');
    expect(before.regime).toBe('no');
    const after = policyAt(policies, { state: 'NC', countyFips: '37119' }, '2024-12-15');
    expect(after.regime).toBe('mandatory');
    expect(after.overridden.map((e) => e.jurisdiction.id)).toEqual(['county:37119']);
  });

  it('a place with no entries in force gives no_data', () => {
    const r = policyAt(policies, { state: 'PR' }, '2020-01-01');
    expect(r.regime).toBe('no_data');
    expect(r.decidedBy).toBeNull();
    expect(r.citations).toEqual([]);
    expect(describePolicy(r).notes[0]).toMatch(/No policy entry/);
    expect(policyAt(policies, { state: 'CA' }, '2013-06-01').regime).toBe('no_data');
  });

  it('rejects a bad date, state or county', () => {
    expect(() => policyAt(policies, { state: 'MA' }, '2017-02-30')).toThrow(/calendar date/);
    expect(() => policyAt(policies, { state: 'XX' }, '2017-01-01')).toThrow(/unknown state/);
    expect(() => policyAt(policies, { state: 'MA', countyFips: '48453' }, '2017-01-01')).toThrow(/not a 5-digit/);
  });
});

describe('approximate and unknown dates', () => {
  it('a year-month start is uncertain inside the month and certain after it', () => {
    const boston = policies.byId.get('ma-boston-2014-boston-city-ordinance')!;
    expect(boston.effective_date_approx).toBe('2014-08');
    expect(inForceStatus(boston, '2014-07-31')).toBe('no');
    expect(inForceStatus(boston, '2014-08-15')).toBe('uncertain');
    expect(inForceStatus(boston, '2014-09-01')).toBe('yes');
  });

  it('an entry with no date at all counts as in force, flagged', () => {
    const alaska = policyAt(policies, { state: 'AK' }, '1990-01-01');
    expect(alaska.regime).toBe('unclear');
    expect(alaska.dateUnknown).toBe(true);
    expect(alaska.decidedBy?.confidence).toBe('low');
  });
});

describe('describePolicy', () => {
  it('shows Lunn v. Commonwealth with its citation for MA on 2017-08-01', () => {
    const d = describePolicy(policyAt(policies, parsePlaceKey('MA').place, '2017-08-01'));
    expect(d.place).toBe('state:MA');
    expect(d.regime).toBe('no');
    expect(d.decided_by?.citation).toContain('Lunn v. Commonwealth, 477 Mass. 517 (2017)');
    expect(d.decided_by?.effective).toBe('2017-07-24');
    expect(d.decided_by?.sources.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

describe('policyTimeline and listJurisdictions', () => {
  it('orders state, county and city entries by start, undated last', () => {
    const t = policyTimeline(policies, { state: 'TX', countyFips: '48453' });
    expect(t.map((i) => i.entry.id)).toEqual([
      'tx-travis-county-2017-travis-county-sheriff',
      'tx-2017-tex-sb-85r',
      'tx-travis-county-2017-tex-sb-2017',
    ]);
    const ma = policyTimeline(policies, { state: 'MA', city: 'Boston' });
    expect(ma.map((i) => [i.start, i.startPrecision])).toEqual([
      ['2014-08', 'month'],
      ['2017-07-24', 'day'],
      ['2025-05-01', 'day'],
      [null, 'unknown'],
    ]);
  });

  it('lists every jurisdiction once, states first', () => {
    const list = listJurisdictions(policies);
    expect(list).toHaveLength(72);
    expect(list[0]?.level).toBe('state');
    expect(list.at(-1)?.level).toBe('city');
    expect(list.reduce((n, j) => n + j.entry_count, 0)).toBe(87);
  });
});
