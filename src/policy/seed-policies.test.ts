import { describe, expect, it } from 'vitest';
import { parseDateCell } from '../../scripts/seed-policies.ts';
import { loadDesignations } from './load-designations.ts';

describe('the retired seed script (scripts/seed-policies.ts)', () => {
  // The reviewed YAML is the source of truth since the 2026 review; the research table is input and
  // is not read at test time. The script's date-cell parser documents how the seed read the table.
  it('parses date cells without inventing a day', () => {
    expect(parseDateCell('2017-07-24 (decision date)')).toMatchObject({
      effective_date: '2017-07-24',
      effective_date_note: 'decision date',
    });
    expect(parseDateCell('2014-08 (original); 2019-12 (amended)')).toMatchObject({
      effective_date: null,
      effective_date_approx: '2014-08',
      effective_date_note: '2014-08 (original); 2019-12 (amended)',
    });
    expect(parseDateCell('2011-2012 (exact effective date not confirmed)')).toMatchObject({
      effective_date: null,
      effective_date_approx: null,
    });
    expect(parseDateCell('~2026-07 (90 days after adjournment; exact date unconfirmed)').effective_date_approx).toBeNull();
    expect(parseDateCell('2017-01 to 2021-09-10')).toMatchObject({
      effective_date_approx: '2017-01',
      end_date: '2021-09-10',
    });
    expect(parseDateCell('terminated 2021-05')).toMatchObject({ effective_date: null, end_date_approx: '2021-05' });
    expect(parseDateCell('')).toMatchObject({ effective_date: null, effective_date_note: null });
  });
});

describe('loadDesignations', () => {
  it('loads the DOJ list of 2025-08-05 (35 rows), kept apart from policies', async () => {
    const list = await loadDesignations();
    expect(list).toHaveLength(35);
    const count = (level: string) => list.filter((d) => d.level === level).length;
    expect([count('state'), count('county'), count('city')]).toEqual([13, 4, 18]);
    expect(list.find((d) => d.jurisdiction === 'Boston')?.jurisdiction_id).toBe('city:MA:boston');
    expect(list.every((d) => d.is_transcribed_unverified && d.list_date === '2025-08-05')).toBe(true);
  });
});
