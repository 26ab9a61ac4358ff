/**
 * Every Detainer Lift Reason in NPR's published counts by lift reason and year (nprapps/sanctuary-
 * cities, ../shared/data/nprapps-sanctuary-cities/detainers_by_lift_reason_and_year.csv, see
 * ../shared/data/SOURCES.md) has an outcome class in reference/link/lift-reasons.csv, matched the way
 * the lifecycle builder matches (vocabularyKey), and that row names NPR's file as its source.
 * Skipped with a message when the shared file is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  OUTCOME_CLASSES,
  classifyLiftReason,
  loadLiftReasons,
  vocabularyKey,
} from '../../src/link/lifecycle/vocabularies.ts';
import { SHARED_DIR } from '../helpers/published-headers.ts';

const NPR_FILE = path.join(SHARED_DIR, 'data', 'nprapps-sanctuary-cities', 'detainers_by_lift_reason_and_year.csv');
const have = existsSync(NPR_FILE);
if (!have) console.warn(`skipping NPR lift-reason test: ${NPR_FILE} is missing`);

interface NprRow {
  year: string;
  lift_reason: string;
  count: string;
}

function nprRows(): NprRow[] {
  return parse(readFileSync(NPR_FILE, 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as NprRow[];
}

describe.skipIf(!have)("NPR's lift reasons, 2007–2015", () => {
  it('reads a non-trivial file with the expected columns', () => {
    const rows = nprRows();
    expect(Object.keys(rows[0]!)).toEqual(['year', 'lift_reason', 'count']);
    // SOURCES.md: 108 rows, 12 distinct values over 9 calendar years.
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(new Set(rows.map((r) => r.lift_reason)).size).toBeGreaterThanOrEqual(10);
  });

  it('gives every lift reason (by vocabularyKey) an outcome class, from a row that cites NPR', () => {
    const mappings = loadLiftReasons();
    const reasons = [...new Set(nprRows().map((r) => r.lift_reason.trim()).filter((r) => r !== ''))].sort();
    const unmapped: string[] = [];
    const uncited: string[] = [];
    for (const reason of reasons) {
      const got = classifyLiftReason(reason, mappings);
      if (got.unmapped || !OUTCOME_CLASSES.includes(got.outcomeClass) || got.outcomeClass === 'open_or_unknown') {
        unmapped.push(reason);
        continue;
      }
      const row = mappings.find((m) => vocabularyKey(m.value) === vocabularyKey(reason))!;
      if (!/NPR/.test(row.source) || !/detainers_by_lift_reason_and_year/.test(row.source)) uncited.push(reason);
    }
    expect(unmapped, 'lift reasons with no class in reference/link/lift-reasons.csv').toEqual([]);
    expect(uncited, 'lift reasons whose row does not cite the NPR file').toEqual([]);
  });

  it('counts every NPR detainer with a lift reason in a class (no rows fall to open_or_unknown)', () => {
    const mappings = loadLiftReasons();
    let total = 0;
    let classed = 0;
    for (const r of nprRows()) {
      const n = Number(r.count);
      total += n;
      if (!classifyLiftReason(r.lift_reason, mappings).unmapped) classed += n;
    }
    expect(total).toBeGreaterThan(0);
    expect(classed).toBe(total);
  });
});
