import { describe, expect, it } from 'vitest';
import { agreementsInForce } from './context.ts';
import type { Agreement287gRow } from './service.ts';

const row = (over: Partial<Agreement287gRow>): Agreement287gRow => ({
  state_postal: 'TX', county_fips: '48201', agency: 'A', agency_type: null, support_type: 'Jail Enforcement Model',
  status: 'participating', signed_date: '2020-01-01', snapshot_date: '2025-02-21', ...over,
});

describe('agreementsInForce', () => {
  const rows = [
    row({ agency: 'Sheriff' }),
    row({ agency: 'Sheriff', support_type: 'Warrant Service Officer' }),
    row({ agency: 'Police', support_type: 'Task Force Model', signed_date: '2025-06-01', snapshot_date: '2025-06-27' }),
    row({ agency: 'Pending', status: 'pending', support_type: 'Task Force Model' }),
    row({ state_postal: 'FL', county_fips: '12086', support_type: 'Task Force Model' }),
  ];
  it('counts the participating agreements of the latest sheet on or before the date, with their models', () => {
    expect(agreementsInForce(rows, { state: 'TX', countyFips: '48201' }, '2025-03-01')).toEqual({ count: 2, snapshot: '2025-02-21', models: ['Jail Enforcement Model', 'Warrant Service Officer'] });
    expect(agreementsInForce(rows, { state: 'TX' }, '2025-07-01')).toEqual({ count: 1, snapshot: '2025-06-27', models: ['Task Force Model'] });
  });
  it('says nothing before the first sheet', () => {
    expect(agreementsInForce(rows, { state: 'TX' }, '2024-01-01')).toEqual({ count: 0, snapshot: null, models: [] });
  });
});
