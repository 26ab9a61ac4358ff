/**
 * Finds the header row of a sheet and the family of its table, from the headers alone.
 *
 * ICE's workbooks carry 6, 5 or 0 rows of title and notes above the header. DDP takes the first row
 * whose second cell is filled; that breaks on a preamble line that spans two cells, so Handoff instead
 * scores each of the first rows against every family's header aliases and takes the best match.
 */
import { HandoffError } from '../core/errors.ts';
import { FAMILIES, familyColumns, foldHeader, type Family } from './families.ts';
import type { SourceRow } from './read-table.ts';

/** How many rows from the top are searched for the header. */
export const HEADER_SEARCH_ROWS = 30;
/** A header must match at least this many canonical columns (the 2015 layout has six). */
const MIN_MATCHED_COLUMNS = 4;

/** One header cell that maps to no canonical column: kept in the row's `extra` and reported. */
export interface UnknownColumn {
  /** 0-based cell index. */
  position: number;
  header: string;
  /** Key under which the value is kept in `extra`. */
  key: string;
}

/** What a sheet holds and where. */
export interface SheetLayout {
  family: Family;
  /** 1-based row number of the header as the spreadsheet shows it. */
  headerRowNumber: number;
  /** Text of the rows above the header, one string per row (cells joined by " | "). */
  preamble: string[];
  headers: string[];
  /** For each cell index: the canonical column index, or -1 when unknown. */
  sourceToColumn: number[];
  unknownColumns: UnknownColumn[];
  /** Canonical columns this sheet does not have (NULL in every row). */
  missingColumns: string[];
}

/** The family that best matches a header row, with how many columns matched. */
interface Candidate {
  family: Family;
  matched: number;
  keys: number;
  sourceToColumn: number[];
}

function cellText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'number' ? String(value) : value.trim();
}

/** Folded header texts with `#n` appended to the n-th (n > 1) repeat of a name. */
export function foldHeaders(headers: string[]): string[] {
  const seen = new Map<string, number>();
  return headers.map((header) => {
    const folded = foldHeader(header);
    if (!folded) return '';
    const n = (seen.get(folded) ?? 0) + 1;
    seen.set(folded, n);
    return n === 1 ? folded : `${folded}#${n}`;
  });
}

function scoreRow(headers: string[], family: Family): Candidate {
  const { byAlias, columns } = familyColumns(family);
  const used = new Set<number>();
  const sourceToColumn = foldHeaders(headers).map((folded) => {
    if (!folded) return -1;
    const index = byAlias.get(folded);
    if (index === undefined || used.has(index)) return -1;
    used.add(index);
    return index;
  });
  let keys = 0;
  for (const index of used) if (columns[index]!.isKey) keys++;
  return { family, matched: used.size, keys, sourceToColumn };
}

function bestCandidate(headers: string[]): Candidate {
  let best: Candidate | undefined;
  for (const family of FAMILIES) {
    const candidate = scoreRow(headers, family);
    if (
      !best ||
      candidate.keys > best.keys ||
      (candidate.keys === best.keys && candidate.matched > best.matched)
    ) {
      best = candidate;
    }
  }
  return best!;
}

/** True when a row has at most this many filled cells: a title or note, not a table. */
export function filledCells(row: SourceRow): number {
  let n = 0;
  for (const cell of row.cells) if (cellText(cell) !== '') n++;
  return n;
}

/**
 * Sheet names that say a sheet is about the data, not data: "Summary", "Footnotes", "Notes", "Read Me",
 * "Definitions", alone or with a fiscal year ("FY2019 Summary", "Summary FY23"). ICE's productions put
 * such a sheet beside the data sheets; a Summary of tallies is wider than a notes sheet, so its name,
 * not its width, tells it apart. A sheet merely containing the word ("Removals Summary") is not matched.
 */
const METADATA_SHEET_NAME = /^(?:fy ?\d{2,4} )?(summary|footnotes?|notes?|read ?me|definitions?)(?: fy ?\d{2,4})?$/;

const METADATA_KIND: Record<string, string> = {
  summary: 'Summary',
  footnote: 'Footnotes',
  footnotes: 'Footnotes',
  note: 'Notes',
  notes: 'Notes',
  readme: 'Read Me',
  'read me': 'Read Me',
  definition: 'Definitions',
  definitions: 'Definitions',
};

/** The kind of metadata a sheet's name announces ("Summary", "Footnotes", …), or undefined for any other name. */
export function metadataSheetName(sheet: string): string | undefined {
  const m = METADATA_SHEET_NAME.exec(foldHeader(sheet));
  return m ? METADATA_KIND[m[1]!] : undefined;
}

/**
 * A title that says the table under it is a summary or footnotes ("ICE FOOTNOTES", "Summary of Removals
 * by Fiscal Year", "Facility List Notes"): one filled cell in a row above the widest row. Used only for a
 * sheet whose table matched no family, so a data table of a known layout is never taken for one.
 */
const METADATA_TITLE = /^(?:(?:[a-z0-9]+ ){0,4}(?:summary|footnotes|notes)|(?:ice )?(?:summary|footnotes|notes) (?:of|by|and|for)(?: .*)?)$/;

export function metadataTitle(rows: SourceRow[]): string | undefined {
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  let widest = -1;
  for (let i = 0; i < limit; i++) if (widest < 0 || filledCells(rows[i]!) > filledCells(rows[widest]!)) widest = i;
  for (let i = 0; i < widest; i++) {
    const row = rows[i]!;
    if (filledCells(row) !== 1) continue;
    const title = row.cells.map(cellText).find(Boolean)!;
    if (METADATA_TITLE.test(foldHeader(title))) return title;
  }
  return undefined;
}

/**
 * Detects the header row and family among the first rows of a sheet.
 * @throws HandoffError `unknown_layout` listing the headers found and the nearest family.
 */
export function detectLayout(rows: SourceRow[], where: { file: string; sheet?: string }): SheetLayout {
  let best: { candidate: Candidate; index: number } | undefined;
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let i = 0; i < limit; i++) {
    const headers = rows[i]!.cells.map(cellText);
    if (headers.filter(Boolean).length < 2) continue;
    const candidate = bestCandidate(headers);
    if (
      !best ||
      candidate.keys + candidate.matched > best.candidate.keys + best.candidate.matched
    ) {
      best = { candidate, index: i };
    }
  }
  if (!best || best.candidate.matched < MIN_MATCHED_COLUMNS || best.candidate.keys < 1) {
    const widest = rows
      .slice(0, limit)
      .reduce<SourceRow | undefined>((a, r) => (!a || filledCells(r) > filledCells(a) ? r : a), undefined);
    const found = widest ? widest.cells.map(cellText).filter(Boolean) : [];
    const nearest = best
      ? `; nearest family: ${best.candidate.family} (${best.candidate.matched} of ${familyColumns(best.candidate.family).columns.length} columns matched)`
      : '';
    throw new HandoffError(
      'unknown_layout',
      `no known ICE table layout found in the first ${HEADER_SEARCH_ROWS} rows` +
        (found.length ? `; headers found${widest ? ` in row ${widest.rowNumber}` : ''}: ${found.slice(0, 40).join(', ')}` : '; the sheet has no header row') +
        nearest,
      { location: { ...where, row: widest?.rowNumber }, details: { headers: found, nearest: best?.candidate.family } },
    );
  }
  const { candidate, index } = best;
  const headerRow = rows[index]!;
  const headers = headerRow.cells.map(cellText);
  const { columns } = familyColumns(candidate.family);
  const unknownColumns: UnknownColumn[] = [];
  const keys = new Set<string>();
  headers.forEach((header, position) => {
    if (candidate.sourceToColumn[position] !== -1 || header === '') return;
    let key = header;
    for (let n = 2; keys.has(key); n++) key = `${header} (${n})`;
    keys.add(key);
    unknownColumns.push({ position, header, key });
  });
  const present = new Set(candidate.sourceToColumn.filter((i) => i >= 0));
  return {
    family: candidate.family,
    headerRowNumber: headerRow.rowNumber,
    preamble: rows
      .slice(0, index)
      .map((r) => r.cells.map(cellText).filter(Boolean).join(' | '))
      .filter(Boolean),
    headers,
    sourceToColumn: candidate.sourceToColumn,
    unknownColumns,
    missingColumns: columns.filter((_, i) => !present.has(i)).map((c) => c.name),
  };
}
