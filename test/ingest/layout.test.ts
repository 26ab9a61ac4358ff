import { describe, expect, it } from 'vitest';
import { detectLayout, familyColumns, FAMILIES, type SourceRow } from '../../src/ingest/index.ts';
import { HandoffError } from '../../src/core/errors.ts';
import { publishedHeaders } from '../helpers/published-headers.ts';

const published = publishedHeaders();

function rows(preamble: string[], headers: readonly string[]): SourceRow[] {
  return [...preamble.map((p) => [p]), [...headers], headers.map(() => 'x')].map((cells, i) => ({
    rowNumber: i + 1,
    cells,
  }));
}

describe('detectLayout', () => {
  for (const family of FAMILIES) {
    it(`recognises the July 2025 ${family} headers with every column mapped`, () => {
      const headers = published.july2025[family];
      const layout = detectLayout(rows(['Title', 'Notes', 'a', 'b', 'c', 'd'], headers), { file: 'f.xlsx' });
      expect(layout.family).toBe(family);
      expect(layout.headerRowNumber).toBe(7);
      expect(layout.unknownColumns).toEqual([]);
      expect(layout.sourceToColumn.filter((c) => c >= 0)).toHaveLength(headers.length);
      expect(layout.preamble).toEqual(['Title', 'Notes', 'a', 'b', 'c', 'd']);
    });
  }

  it('finds the header after 5 preamble rows and with none', () => {
    const headers = published.july2025.arrests;
    expect(detectLayout(rows(['1', '2', '3', '4', '5'], headers), { file: 'f' }).headerRowNumber).toBe(6);
    expect(detectLayout(rows([], headers), { file: 'f' }).headerRowNumber).toBe(1);
  });

  it('maps the March 2026 arrest renames to the same canonical columns', () => {
    const layout = detectLayout(rows([], published.march2026.arrests), { file: 'f' });
    expect(layout.family).toBe('arrests');
    expect(layout.unknownColumns).toEqual([]);
    const { columns } = familyColumns('arrests');
    const mapped = layout.sourceToColumn.map((i) => columns[i]!.name);
    expect(mapped[published.march2026.arrests.indexOf('State')]).toBe('apprehension_state');
    expect(mapped[published.march2026.arrests.indexOf('Anonymized Identifier')]).toBe('person_id');
  });

  it('maps the second "Final Order Yes No" of the detainer sheet to its own column', () => {
    const headers = published.july2025.detainers;
    const layout = detectLayout(rows([], headers), { file: 'f' });
    const { columns } = familyColumns('detainers');
    expect(columns[layout.sourceToColumn[32]!]!.name).toBe('final_order_yes_no');
    expect(columns[layout.sourceToColumn[55]!]!.name).toBe('final_order_yes_no_2');
  });

  it('reads the 2015 NPR layout and underscore spellings', () => {
    const npr = detectLayout(
      rows([], ['Prepare Date', 'Detainer Type', 'Detainer Detention Facility', 'State', 'City', 'Detainer Lift Reason']),
      { file: 'f' },
    );
    expect(npr.family).toBe('detainers');
    expect(npr.unknownColumns).toEqual([]);
    const wide = detectLayout(
      rows([], ['Detainer_Prepare_Date', 'Detainer_Lift_Reason', 'Detainer_Lift_Date', 'Detention_Facility', 'Alien_Number_Unique_Identifier', 'Some_New_Field']),
      { file: 'f' },
    );
    expect(wide.family).toBe('detainers');
    expect(wide.unknownColumns.map((u) => u.header)).toEqual(['Some_New_Field']);
  });

  it('keeps unknown columns and numbers repeated unknown headers', () => {
    const headers = [...published.july2025.removals, 'New Column', 'New Column'];
    const layout = detectLayout(rows([], headers), { file: 'f' });
    expect(layout.unknownColumns.map((u) => u.key)).toEqual(['New Column', 'New Column (2)']);
  });

  it('fails an unknown layout with the headers found and the nearest family', () => {
    const attempt = () =>
      detectLayout(rows(['Title'], ['Name', 'Colour', 'Departed Date', 'Size']), { file: 'odd.xlsx', sheet: 'S' });
    expect(attempt).toThrow(HandoffError);
    try {
      attempt();
    } catch (error) {
      const e = error as HandoffError;
      expect(e.code).toBe('unknown_layout');
      expect(e.describe()).toMatch(/odd\.xlsx, sheet "S", row 2: .*headers found in row 2: Name, Colour, Departed Date, Size; nearest family: \w+ \(1 of \d+ columns matched\)/);
    }
  });
});
