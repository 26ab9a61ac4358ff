import { beforeAll, describe, expect, it } from 'vitest';
import { describePolicy, successionNote } from './describe-policy.ts';
import { inForceStatus, listJurisdictions, policyAt, policyTimeline } from './evaluate-policy.ts';
import { loadPolicies, parsePolicySources } from './load-policies.ts';
import { parsePlaceKey } from './places.ts';
import type { PolicySet } from './types.ts';

let policies: PolicySet;
beforeAll(async () => {
  policies = await loadPolicies();
});

const roleOf = (r: ReturnType<typeof policyAt>, id: string) => r.entries.find((x) => x.entry.id === id);

describe('policyAt on the reviewed files', () => {
  it('Massachusetts after Lunn v. Commonwealth (2017-07-24) is decided by Lunn', () => {
    const r = policyAt(policies, { state: 'MA' }, '2017-08-01');
    expect(r.regime).toBe('no_holds');
    expect(r.scope).toBe('county_jails');
    expect(r.decidedBy?.id).toBe('ma-2017-lunn-v-commonwealth');
    expect(r.dateUnknown).toBe(false);
    expect(r.citations[0]?.citation).toBe('Lunn v. Commonwealth, 477 Mass. 517 (2017) (SJC-12276)');
  });

  it('Massachusetts in 2016: the DOC 287(g) agreement does not decide; nothing dated does', () => {
    const r = policyAt(policies, parsePlaceKey('Massachusetts').place, '2016-01-01');
    expect(r.regime).toBe('no_data');
    expect(r.decidedBy).toBeNull();
    expect(roleOf(r, 'ma-2007-doc-287g-agreement')).toMatchObject({ role: 'context', reason: 'no_rule' });
    // A Massachusetts county jail in 2016 (Suffolk) is not decided by it either.
    expect(policyAt(policies, { state: 'MA', countyFips: '25025' }, '2016-01-01').regime).toBe('no_data');
  });

  it('Lunn still decides jails after the Trial Court policy of 2025-05-01, which binds courts only', () => {
    const r = policyAt(policies, { state: 'MA' }, '2025-06-01');
    expect(r.decidedBy?.id).toBe('ma-2017-lunn-v-commonwealth');
    expect(roleOf(r, 'ma-2025-mass-executive-office')).toMatchObject({ role: 'context', reason: 'other_scope' });
    const lunn = policyTimeline(policies, { state: 'MA' }).find((t) => t.entry.id === 'ma-2017-lunn-v-commonwealth')!;
    expect(lunn.end).toBeNull();
    expect(lunn.supersededBy).toEqual([{ entryId: 'ma-2025-mass-executive-office', from: '2025-05-01', scopes: ['courts'] }]);
    expect(successionNote(lunn)).toMatch(/superseded as the deciding entry for courts .* \(not repealed\)/);
  });

  it('a state prison is decided by the state rule for prisons, and 287(g) agreements are listed', () => {
    const r = policyAt(policies, { state: 'MA', countyFips: '25023' }, '2019-01-01', { scope: 'state_prisons' });
    expect(r.decidedBy?.id).toBe('ma-2017-lunn-v-commonwealth');
    expect(r.agreements287g.map((e) => e.id)).toEqual(['ma-2007-doc-287g-agreement']);
    // The Plymouth County 287(g) agreement binds the county jail, not the state prison.
    const jail = policyAt(policies, { state: 'MA', countyFips: '25023' }, '2019-01-01');
    expect(jail.agreements287g.map((e) => e.id)).toEqual(['ma-plymouth-county-2017-ina-287-moa']);
    expect(roleOf(r, 'ma-plymouth-county-2017-ina-287-moa')).toMatchObject({ reason: 'no_rule' });
  });

  it('a federal facility gets the federal regime, whatever the state says', () => {
    const r = policyAt(policies, { state: 'TX', countyFips: '48453' }, '2020-01-01', { scope: 'federal' });
    expect(r.regime).toBe('federal');
    expect(r.decidedBy).toBeNull();
    expect(r.entries.every((x) => x.reason === 'federal_facility')).toBe(true);
    expect(() => policyAt(policies, { state: 'TX' }, '2020-01-01', { scope: 'moon' as never })).toThrow(/scope/);
  });

  it('Texas SB 4: enjoined 2017-08-30 to 2017-09-25, then it overrides Travis County', () => {
    const before = policyAt(policies, { state: 'TX', countyFips: '48453' }, '2017-08-15');
    expect(before.regime).toBe('holds_conditional');
    expect(before.decidedBy?.jurisdiction.id).toBe('county:48453');

    const enjoined = policyAt(policies, { state: 'TX', countyFips: '48453', city: 'Austin' }, '2017-09-10');
    expect(enjoined.regime).toBe('holds_conditional');
    expect(roleOf(enjoined, 'tx-2017-tex-sb-85r')).toMatchObject({ role: 'context', reason: 'enjoined', byId: 'tx-2017-el-cenizo-injunction' });
    expect(enjoined.overridden).toEqual([]);
    expect(policyAt(policies, { state: 'TX' }, '2017-09-10').regime).toBe('no_data');

    const after = policyAt(policies, { state: 'TX', countyFips: '48453' }, '2017-10-01');
    expect(after.regime).toBe('hold_required');
    expect(after.decidedBy?.id).toBe('tx-2017-tex-sb-85r');
    expect(after.overridden.map((e) => e.id)).toEqual(['tx-travis-county-2017-tex-sb-2017']);
    expect(describePolicy(after).rows.map((r) => r.role).slice(0, 2)).toEqual(['decides', 'overridden']);
  });

  it('a federal consent judgment blocks state preemption (Orleans Parish, Cacho v. Gusman)', () => {
    const r = policyAt(policies, { state: 'LA', countyFips: '22071' }, '2024-06-01');
    expect(r.regime).toBe('holds_conditional');
    expect(r.decidedBy?.id).toBe('la-orleans-parish-2013-cacho-v-gusman');
    expect(r.preemptionBlocked.map((e) => e.id)).toEqual(['la-orleans-parish-2013-cacho-v-gusman']);
    expect(policyAt(policies, { state: 'LA', countyFips: '22033' }, '2024-06-01').regime).toBe('hold_required');
    expect(policyAt(policies, { state: 'LA' }, '2024-05-27').regime).toBe('no_data');
  });

  it('New York City rules cover the jails of the five boroughs; POCA binds courts only', () => {
    for (const county of ['36005', '36047', '36061', '36081', '36085']) {
      expect(policyAt(policies, { state: 'NY', countyFips: county }, '2016-01-01').decidedBy?.id).toBe('ny-new-york-city-2014-admin-code-131');
    }
    expect(policyAt(policies, { state: 'NY', countyFips: '36005' }, '2012-06-01').regime).toBe('holds_conditional');
    const albany = policyAt(policies, { state: 'NY', countyFips: '36001' }, '2021-06-01');
    expect(albany.decidedBy?.id).toBe('ny-2018-people-ex-rel');
    expect(roleOf(albany, 'ny-2020-protect-our-courts-act')).toMatchObject({ reason: 'other_scope' });
    expect(policyAt(policies, { state: 'NY', countyFips: '36001' }, '2016-01-01').regime).toBe('no_data');
  });

  it('unified-system states: the state rule is the jail rule, and county entries do not apply', () => {
    const r = policyAt(policies, { state: 'RI', countyFips: '44007' }, '2015-01-01');
    expect(r.unifiedJailSystem).toBe(true);
    expect(r.decidedBy?.id).toBe('ri-2014-governor-executive-agency');
    expect(r.regime).toBe('holds_conditional');
    expect(policyAt(policies, { state: 'CT' }, '2015-01-01').decidedBy?.id).toBe('ct-2013-conn-public-act');
    // Vermont's policing statute binds law enforcement agencies, not the DOC that runs the jails.
    expect(policyAt(policies, { state: 'VT' }, '2020-01-01').regime).toBe('no_data');
  });

  it('a city rule binds only what the city runs: Boston police, not the Suffolk County jail', () => {
    const r = policyAt(policies, parsePlaceKey('city:MA:boston').place, '2016-01-01');
    expect(r.regime).toBe('no_data');
    expect(roleOf(r, 'ma-boston-2014-boston-city-ordinance')).toMatchObject({ reason: 'other_scope' });
    const chicago = policyAt(policies, { state: 'IL', city: 'Chicago', countyFips: '17031' }, '2015-06-01');
    expect(chicago.decidedBy?.id).toBe('il-cook-county-2011-cook-county-ordinance');
  });

  it('a consolidated city-county is found by county FIPS', () => {
    const r = policyAt(policies, parsePlaceKey('county:42101').place, '2015-01-01');
    expect(r.decidedBy?.jurisdiction.id).toBe('city:PA:philadelphia');
    expect(policyAt(policies, { state: 'PA', countyFips: '42101' }, '2016-01-04').decidedBy?.id).toBe('pa-philadelphia-2016-philadelphia-executive-order');
  });

  it('state preemption: hold_required overrides a local restriction; no_local_limits does too', () => {
    const meck = policyAt(policies, { state: 'NC', countyFips: '37119' }, '2024-12-15');
    expect(meck.regime).toBe('hold_required');
    // The undated Mecklenburg pledge is context, never deciding.
    expect(roleOf(meck, 'nc-mecklenburg-county-undated-mecklenburg-county-sheriff')).toMatchObject({ reason: 'undated' });
  });

  it('an unclear local entry yields to a known state rule', async () => {
    const set = await parsePolicySources([
      {
        name: 'state-wy.yaml',
        text: `jurisdiction: { id: "state:WY", level: state, name: Wyoming, state: WY, fips: "56" }\nentries:\n${entry('wy-2020-a', 'no_local_limits', '2020-01-01')}`,
      },
      {
        name: 'county-56039-teton-wy.yaml',
        text: `jurisdiction: { id: "county:56039", level: county, name: Teton County, state: WY, fips: "56039" }\nentries:\n${entry('wy-teton-2021-a', 'unclear', '2021-01-01')}${entry('wy-teton-2022-b', 'holds_conditional', '2022-01-01')}`,
      },
    ]);
    expect(policyAt(set, { state: 'WY', countyFips: '56039' }, '2021-06-01').decidedBy?.id).toBe('wy-2020-a');
    const r = policyAt(set, { state: 'WY', countyFips: '56039' }, '2022-06-01');
    expect(r.decidedBy?.id).toBe('wy-2020-a');
    expect(r.overridden.map((e) => e.id)).toEqual(['wy-teton-2022-b']);
    expect(roleOf(r, 'wy-teton-2021-a')).toMatchObject({ role: 'superseded', byId: 'wy-teton-2022-b' });
  });

  it('a place with no entries in force gives no_data', () => {
    const r = policyAt(policies, { state: 'PR' }, '2020-01-01');
    expect(r.regime).toBe('no_data');
    expect(r.decidedBy).toBeNull();
    expect(r.citations).toEqual([]);
    expect(describePolicy(r).notes[0]).toMatch(/No dated policy entry/);
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

  it('an approximate start may decide, flagged', () => {
    // Fixture: Minnesota's only entry, dated to the month 2017-03 and to no day. If it gets a day,
    // pick another entry with `effective_date: null` and an `effective_date_approx`.
    const mn = policies.byId.get('mn-2017-no-statute-esparza')!;
    expect(mn.effective_date).toBeNull();
    expect(mn.effective_date_approx).toBe('2017-03');
    expect(policyAt(policies, { state: 'MN' }, '2017-02-28').decidedBy).toBeNull();
    const inside = policyAt(policies, { state: 'MN' }, '2017-03-15');
    expect(inside.decidedBy?.id).toBe('mn-2017-no-statute-esparza');
    expect(inside.regime).toBe('judicial_warrant_only');
    expect(inside.dateUnknown).toBe(true);
    const after = policyAt(policies, { state: 'MN' }, '2017-04-01');
    expect(after.decidedBy?.id).toBe('mn-2017-no-statute-esparza');
    expect(after.dateUnknown).toBe(false);
  });

  it('an entry with no date at all never decides: it is context', () => {
    const alaska = policyAt(policies, { state: 'AK' }, '1990-01-01');
    expect(alaska.regime).toBe('no_data');
    expect(alaska.entries.map((x) => [x.entry.id, x.reason])).toEqual([['ak-undated-none-found', 'undated']]);
    expect(describePolicy(alaska).notes.join(' ')).toMatch(/Undated entries listed as context only: ak-undated-none-found/);
  });
});

describe('describePolicy', () => {
  it('shows Lunn v. Commonwealth with its citation, scope and roles for MA on 2017-08-01', () => {
    const d = describePolicy(policyAt(policies, parsePlaceKey('MA').place, '2017-08-01'));
    expect(d.place).toBe('state:MA');
    expect(d.scope).toBe('county_jails');
    expect(d.regime).toBe('no_holds');
    expect(d.decided_by?.citation).toContain('Lunn v. Commonwealth, 477 Mass. 517 (2017)');
    expect(d.decided_by?.effective).toBe('2017-07-24');
    expect(d.decided_by?.scope).toContain('county_jails');
    expect(d.decided_by?.sources.length).toBeGreaterThan(0);
    expect(d.rows.find((r) => r.entry_id === 'ma-2007-doc-287g-agreement')?.why).toMatch(/context only/);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

describe('policyTimeline and listJurisdictions', () => {
  it('orders state, county and city entries by start, undated last', () => {
    const t = policyTimeline(policies, { state: 'TX', countyFips: '48453' });
    expect(t.map((i) => i.entry.id).slice(0, 5)).toEqual([
      'tx-travis-county-2017-travis-county-sheriff',
      'tx-2017-el-cenizo-injunction',
      'tx-2017-tex-sb-85r',
      'tx-travis-county-2017-tex-sb-2017',
      'tx-2026-sb-8',
    ]);
    expect(t.find((i) => i.entry.id === 'tx-2017-tex-sb-85r')?.enjoinedBy).toEqual(['tx-2017-el-cenizo-injunction']);
    const ma = policyTimeline(policies, { state: 'MA', city: 'Boston' });
    expect(ma.map((i) => [i.start, i.startPrecision])).toEqual([
      ['2007', 'year'],
      ['2014-08', 'month'],
      ['2017-07-24', 'day'],
      ['2025-05-01', 'day'],
    ]);
  });

  it('DC: the Sanctuary Values act (2019-10-23) supersedes the 2012 law for jails, without ending it', () => {
    const before = policyAt(policies, { state: 'DC' }, '2019-10-22');
    expect([before.regime, before.decidedBy?.id]).toEqual(['holds_conditional', 'dc-2012-immigration-detainer-compliance']);
    const on = policyAt(policies, { state: 'DC' }, '2019-10-23');
    expect([on.regime, on.decidedBy?.id, on.dateUnknown]).toEqual(['judicial_warrant_only', 'dc-2019-sanctuary-values-emergency', false]);
    expect(roleOf(on, 'dc-2012-immigration-detainer-compliance')).toMatchObject({ role: 'superseded', byId: 'dc-2019-sanctuary-values-emergency' });
    const law2012 = policyTimeline(policies, { state: 'DC' }).find((t) => t.entry.id === 'dc-2012-immigration-detainer-compliance')!;
    expect(law2012.end).toBeNull();
    expect(law2012.supersededBy).toEqual([{ entryId: 'dc-2019-sanctuary-values-emergency', from: '2019-10-23', scopes: ['county_jails'] }]);
  });

  it('lists every jurisdiction once, states first', () => {
    const list = listJurisdictions(policies);
    expect(list).toHaveLength(72);
    expect(list[0]?.level).toBe('state');
    expect(list.at(-1)?.level).toBe('city');
    expect(list.reduce((n, j) => n + j.entry_count, 0)).toBe(policies.entries.length);
  });
});

function entry(id: string, code: string, date: string): string {
  return `  - id: ${id}
    kind: statute
    scope: [county_jails]
    honors_detainers: ${code}
    release_notification: unclear
    ice_jail_access: null
    summary: Test entry.
    citation: Test Act
    primary_citation: true
    sources: []
    confidence: high
    effective_date: ${date}
    effective_date_approx: null
    effective_date_note: null
    end_date: null
    end_date_approx: null
    end_date_note: null
    preempted_by: null
    research_row: null
`;
}
