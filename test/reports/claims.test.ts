/**
 * Claim files: the seeded claims load; a claim that names an unknown metric, an invalid period or a
 * missing field fails with a message naming the file and the field.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadClaimFile, loadClaims, parsePeriodLabel } from '../../src/reports/index.ts';
import { tempDir } from '../helpers/tmp.ts';

const GOOD = `id: test-claim
title: A test claim
words: "Some words"
speaker: { name: null, role: spokesperson, organization: An agency }
said_on: "2025-05"
where: { place: state:MA, setting: statement }
sources: []
source_status: unverified
source_note: nothing was searched; a test
queries:
  - id: q1
    question: How many?
    metric: detainers_issued
    population: detainers
    place: state:MA
    period: FY2025
    numerator: detainers
    denominator: none
    definition: as written
    shows: a count
    does_not_show: anything else
`;

function write(text: string, name = 'test-claim.yaml'): string {
  const file = path.join(tempDir('handoff-claims-'), name);
  writeFileSync(file, text);
  return file;
}

describe('claim files', () => {
  test('the seeded claims validate', async () => {
    const claims = await loadClaims();
    expect(claims.map((c) => c.id)).toEqual([
      'ma-2025-05-dhs-sanctuary-releases',
      'ma-2025-05-ice-boston-felony-egregious',
      'ma-2025-05-trial-court-detainer-authority',
    ]);
    for (const c of claims) {
      expect(c.queries.length).toBeGreaterThan(0);
      expect(['verified', 'unverified']).toContain(c.source_status);
      // Neutral wording: no verdict labels in the framing the claim file supplies.
      const framing = JSON.stringify([c.title, c.source_note, c.queries.map((q) => [q.question, q.shows, q.does_not_show])]);
      expect(framing).not.toMatch(/\b(true|false|misleading|debunked|lie|fact-check)\b/i);
    }
  });

  test('a well-formed file loads', async () => {
    const claim = await loadClaimFile(write(GOOD));
    expect(claim.queries[0]!.metric).toBe('detainers_issued');
  });

  test('an unknown metric names the file and the field', async () => {
    const file = write(GOOD.replace('metric: detainers_issued', 'metric: detainers_invented'));
    await expect(loadClaimFile(file)).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: queries\\[0\\]\\.metric: unknown metric "detainers_invented"`));
  });

  test('an invalid period names the file and the field', async () => {
    const file = write(GOOD.replace('period: FY2025', 'period: FY20x5'));
    await expect(loadClaimFile(file)).rejects.toThrow(/test-claim\.yaml: queries\[0\]\.period: period "FY20x5" is not a period/);
    const backwards = write(GOOD.replace('period: FY2025', 'period: "2025-04..2024-10"'));
    await expect(loadClaimFile(backwards)).rejects.toThrow(/queries\[0\]\.period: period "2025-04\.\.2024-10" ends before it starts/);
  });

  test('schema problems name the field', async () => {
    await expect(loadClaimFile(write(GOOD.replace('    numerator: detainers\n', '')))).rejects.toThrow(/test-claim\.yaml: queries\[0\]: missing field "numerator"/);
    await expect(loadClaimFile(write(GOOD.replace('source_status: unverified', 'source_status: true')))).rejects.toThrow(/source_status: must be equal to one of the allowed values/);
    await expect(loadClaimFile(write(GOOD.replace('source_status: unverified', 'source_status: verified')))).rejects.toThrow(/source_status: "verified" needs a source with carries_words: true/);
    await expect(loadClaimFile(write(GOOD, 'other-name.yaml'))).rejects.toThrow(/id: "test-claim" does not match the file name other-name\.yaml/);
    await expect(loadClaimFile(write(GOOD.replace('    period: FY2025\n', '    period: FY2025\n    by: outcome_of_nothing\n')))).rejects.toThrow(/queries\[0\]\.by: "outcome_of_nothing" is not supported by detainers_issued/);
    await expect(loadClaimFile(write(GOOD.replace('    period: FY2025\n', '    period: FY2025\n    by: violent_ucr\n')))).rejects.toThrow(/queries\[0\]\.violent_definition: by=violent_ucr uses violent_ucr/);
  });

  test('period labels', () => {
    expect(parsePeriodLabel('FY2025')).toMatchObject({ from: '2024-10-01', to: '2025-09-30' });
    expect(parsePeriodLabel('CY2024')).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
    expect(parsePeriodLabel('2025-Q1')).toMatchObject({ from: '2025-01-01', to: '2025-03-31' });
    expect(parsePeriodLabel('2024-02')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(parsePeriodLabel('2024-10..2025-04')).toMatchObject({ from: '2024-10-01', to: '2025-04-30' });
    expect(() => parsePeriodLabel('2025-13')).toThrow(/not a month/);
  });
});
