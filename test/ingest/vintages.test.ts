/**
 * Every layout ICE's releases are documented with (../shared/ICE-RELEASES.md, ../shared/data/ice-real/SOURCES.md
 * and DDP's field list of the June/July 2025 release), read at test time: the family is recognised from
 * the headers and every header maps to a canonical column of it (reference/columns), none left unknown.
 *
 * Where the source gives the whole header row, the row goes through detectLayout as a sheet would.
 * Where it names only some columns ("including …", "adds …", "the tail reads …"), each name must be an
 * alias of that family, and the names on their own, when they are enough to recognise a family, must
 * not be taken for another.
 */
import { describe, expect, it } from 'vitest';
import { HandoffError } from '../../src/core/errors.ts';
import { detectLayout, familyColumns, foldHeader, type SourceRow } from '../../src/ingest/index.ts';
import { HAVE_SHARED, publishedVintages, SHARED_DIR } from '../helpers/published-headers.ts';

if (!HAVE_SHARED) console.warn(`skipping the published-vintage tests: ${SHARED_DIR}ICE-RELEASES.md is missing`);

const vintages = HAVE_SHARED ? publishedVintages() : [];

/** A sheet of ICE's usual shape: six preamble rows, the header, one data row. */
function sheet(headers: readonly string[]): SourceRow[] {
  const preamble = ['U.S. Immigration and Customs Enforcement', 'ERO-LESA', 'a', 'b', 'c', 'd'];
  return [...preamble.map((p) => [p]), [...headers], headers.map(() => 'x')].map((cells, i) => ({ rowNumber: i + 1, cells }));
}

describe.skipIf(!HAVE_SHARED)('every documented vintage maps completely', () => {
  it('reads a header list for every documented layout', () => {
    // Guards the readers of the Markdown: an edit that empties a list fails here, not silently below.
    expect(vintages.length).toBeGreaterThanOrEqual(20);
    for (const v of vintages) {
      expect(v.headers.length, v.vintage).toBeGreaterThan(0);
      for (const h of v.headers) expect(h, `${v.vintage}: "${h}"`).toMatch(/^[A-Za-z(][A-Za-z0-9_() #-]*[A-Za-z0-9)]$/);
    }
    const complete = vintages.filter((v) => v.complete);
    expect(new Set(complete.map((v) => v.family))).toEqual(new Set(['detainers', 'arrests', 'encounters', 'detention_stints', 'removals']));
  });

  for (const v of vintages.filter((x) => x.complete)) {
    it(`${v.vintage} (${v.headers.length} headers, ${v.source}): ${v.family}, no header unknown`, () => {
      const layout = detectLayout(sheet(v.headers), { file: `${v.vintage}.xlsx` });
      expect(layout.family).toBe(v.family);
      expect(layout.headerRowNumber).toBe(7);
      expect(layout.unknownColumns.map((u) => u.header)).toEqual([]);
      // Each header has a column of its own (two headers on one column would leave the second unknown).
      expect(layout.sourceToColumn.filter((c) => c >= 0)).toHaveLength(v.headers.length);
    });
  }

  for (const v of vintages.filter((x) => !x.complete)) {
    it(`${v.vintage} (${v.headers.length} names, ${v.source}): each is a column of ${v.family}`, () => {
      const { byAlias } = familyColumns(v.family);
      expect(v.headers.filter((h) => !byAlias.has(foldHeader(h)))).toEqual([]);
      let family: string | undefined;
      try {
        family = detectLayout(sheet(v.headers), { file: `${v.vintage}.xlsx` }).family;
      } catch (error) {
        if (!(error instanceof HandoffError) || error.code !== 'unknown_layout') throw error;
      }
      if (family !== undefined) expect(family).toBe(v.family);
    });
  }
});
