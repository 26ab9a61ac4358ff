/**
 * The small tables of a detention-statistics sheet, found and read into long-format cells: one cell
 * per value, with the table's title, its row label (and the group the row sits in) and its column
 * label, and the cell's position in the sheet.
 *
 * ICE lays these sheets out by hand: several tables side by side and one under another, titles in
 * merged cells over them, a header of one to three rows ("2023 / January / mid"), labels in one or two
 * columns, footnote lines under a table. The reader:
 *
 * 1. cuts the sheet into bands of consecutive non-empty rows (an empty row ends a band);
 * 2. cuts each band into blocks of columns separated by an empty column, and joins a block of labels
 *    only to the block of values one empty column to its right (a label merged over two columns);
 * 3. in each block: leading one-cell rows are titles (the last one is the table's title); the next row
 *    is the header, and so are the rows after it that leave the label column empty and hold only text;
 *    then data rows, until the last row with a value; one-cell rows after it are the table's notes;
 * 4. a band that is only one-cell rows is a caption: its last row titles the next table when that
 *    table has no title row of its own and starts within five rows, in the same column;
 * 5. labels: the block's first column; the second too when it holds only text and fills in under
 *    blanks of the first (`Bonded Out` / `Convicted Criminal`), the first then being the row's group.
 *    A row with a label and no values inside a table heads the rows under it (their group). When row
 *    labels repeat in a table and nothing else gave a group (`Convicted Criminal` under `CBP Average`
 *    and again under `ICE Average`), a repeated label's group is the nearest row above whose label is
 *    unique in the table.
 *
 * Nothing is dropped: every non-empty cell is a value cell, part of a title, header or label, or a
 * note. Pure: rows in, tables, cells and notes out.
 */
import type { SourceRow } from '../../read-table.ts';

type Cell = string | number | null;

/** One value of a table. */
export interface StatCell {
  /** 0-based index of the table in its sheet, in reading order. */
  table_index: number;
  table_title: string | null;
  /** The header of the label column(s), e.g. "Processing Disposition", "Release Reason / Criminality". */
  row_header: string | null;
  /** The group the row sits in: an upper label column, a heading row, or inferred (see the module doc). */
  row_group: string | null;
  row_label: string | null;
  /** The header cells over the value, upper rows first, joined with " / " ("2023 / January / mid"). */
  column_label: string | null;
  /** The number, for numeric cells and for text that is a plain number ("1,234"). */
  value_number: number | null;
  /** The text, for text cells (kept as written, also when it reads as a number). */
  value_text: string | null;
  /** 1-based. */
  source_row: number;
  /** 1-based. */
  source_col: number;
}

/** A table as found. */
export interface StatTable {
  index: number;
  title: string | null;
  /** 1-based row of the title, or null (no title, or a caption's). */
  title_row: number | null;
  header_rows: number[];
  /** 1-based first and last column of the block. */
  first_col: number;
  last_col: number;
  /** Data rows that hold at least one value. */
  data_rows: number;
  cells: number;
}

/** Text in the sheet that is not part of a table: captions, title lines above a title, footnotes. */
export interface StatNote {
  source_row: number;
  source_col: number;
  /** 'caption' (a one-cell band), 'title' (an extra title line of a table), 'footnote' (a line under a table). */
  kind: 'caption' | 'title' | 'footnote';
  text: string;
  /** The table the note belongs to, or null. */
  table_index: number | null;
}

export interface SheetTables {
  tables: StatTable[];
  cells: StatCell[];
  notes: StatNote[];
}

/** How many rows below a caption its table may start. */
const CAPTION_REACH = 5;
const PLAIN_NUMBER = /^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

function clean(cell: Cell | undefined): Cell {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  const t = cell.replace(/\u00a0/g, ' ').trim();
  return t === '' ? null : t;
}

function labelText(cell: Cell): string | null {
  return cell === null ? null : typeof cell === 'number' ? String(cell) : cell.replace(/\s+/g, ' ');
}

interface Line {
  row: number;
  cells: Cell[];
}

/** Non-empty columns of a line within [c0, c1]. */
function filled(line: Line, c0: number, c1: number): number[] {
  const out: number[] = [];
  for (let c = c0; c <= c1 && c < line.cells.length; c++) if (line.cells[c] !== null) out.push(c);
  return out;
}

/** Splits a band into column blocks: [first, last] pairs, 0-based. */
function blocksOf(band: Line[]): [number, number][] {
  const used = new Set<number>();
  for (const line of band) line.cells.forEach((c, i) => c !== null && used.add(i));
  const cols = [...used].sort((a, b) => a - b);
  const clusters: [number, number][] = [];
  for (const c of cols) {
    const last = clusters[clusters.length - 1];
    if (last && c === last[1] + 1) last[1] = c;
    else clusters.push([c, c]);
  }
  const hasNumber = ([a, b]: [number, number]): boolean =>
    band.some((l) => l.cells.slice(a, b + 1).some((c) => typeof c === 'number'));
  const merged: [number, number][] = [];
  for (const cluster of clusters) {
    const prev = merged[merged.length - 1];
    if (prev && cluster[0] === prev[1] + 2 && !hasNumber(prev) && hasNumber(cluster)) prev[1] = cluster[1];
    else merged.push([...cluster]);
  }
  return merged;
}

/** Splits a block's lines into runs of consecutive rows that are non-empty within the block. */
function runsOf(band: Line[], c0: number, c1: number): Line[][] {
  const runs: Line[][] = [];
  let current: Line[] = [];
  for (const line of band) {
    if (filled(line, c0, c1).length === 0) {
      if (current.length > 0) runs.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

interface Region {
  lines: Line[];
  c0: number;
  c1: number;
}

/** Reads the tables of one sheet. */
export function extractStatTables(rows: readonly SourceRow[]): SheetTables {
  const lines: Line[] = rows
    .map((r) => ({ row: r.rowNumber, cells: r.cells.map(clean) }))
    .filter((l) => l.cells.some((c) => c !== null))
    .sort((a, b) => a.row - b.row);
  const bands: Line[][] = [];
  for (const line of lines) {
    const band = bands[bands.length - 1];
    if (band && line.row === band[band.length - 1]!.row + 1) band.push(line);
    else bands.push([line]);
  }
  const regions: Region[] = [];
  for (const band of bands) {
    for (const [b0, b1] of blocksOf(band)) {
      for (const run of runsOf(band, b0, b1)) {
        const c0 = Math.min(...run.map((l) => filled(l, b0, b1)[0]!));
        regions.push({ lines: run, c0, c1: b1 });
      }
    }
  }
  regions.sort((a, b) => a.lines[0]!.row - b.lines[0]!.row || a.c0 - b.c0);

  const out: SheetTables = { tables: [], cells: [], notes: [] };
  /** Captions waiting for a table: by column. */
  const captions = new Map<number, { row: number; col: number; text: string }>();
  const flushCaption = (col: number): void => {
    const caption = captions.get(col);
    if (caption) out.notes.push({ source_row: caption.row, source_col: caption.col + 1, kind: 'caption', text: caption.text, table_index: null });
    captions.delete(col);
  };
  for (const region of regions) {
    const { lines: rl, c0, c1 } = region;
    const single = rl.map((l) => filled(l, c0, c1));
    const isTitleLine = (i: number): boolean =>
      single[i]!.length === 1 && single[i]![0] === c0 && typeof rl[i]!.cells[c0] === 'string';
    let t = 0;
    while (t < rl.length && isTitleLine(t)) t++;
    // A caption: only one-cell text lines (a band of its own, or the tail of a block).
    if (t === rl.length) {
      for (const [col, caption] of captions) if (caption.row < rl[0]!.row - CAPTION_REACH) flushCaption(col);
      rl.forEach((l, i) => {
        const col = single[i]![0]!;
        flushCaption(c0);
        captions.set(c0, { row: l.row, col, text: l.cells[col] as string });
      });
      continue;
    }
    const index = out.tables.length;
    let title: string | null = null;
    let titleRow: number | null = null;
    for (let i = 0; i < t; i++) {
      const col = single[i]![0]!;
      const text = rl[i]!.cells[col] as string;
      if (i === t - 1) {
        title = text;
        titleRow = rl[i]!.row;
      } else out.notes.push({ source_row: rl[i]!.row, source_col: col + 1, kind: 'title', text, table_index: index });
    }
    const caption = captions.get(c0);
    if (caption) {
      if (title === null && caption.row >= rl[0]!.row - CAPTION_REACH) {
        title = caption.text;
        captions.delete(c0);
      } else flushCaption(c0);
    }
    // Header rows: the first after the titles, then those with an empty label column and only text.
    let h = t + 1;
    while (
      h < rl.length - 1 &&
      rl[h]!.cells[c0] === null &&
      filled(rl[h]!, c0, c1).every((c) => typeof rl[h]!.cells[c] === 'string')
    ) h++;
    const headerLines = rl.slice(t, h);
    const data = rl.slice(h);
    const table = readTable(headerLines, data, c0, c1, index, title);
    // Header text that labels no value (a header over empty columns, a table with no values) is a note.
    for (const [row, col, text] of table.unusedHeader) {
      out.notes.push({ source_row: row, source_col: col + 1, kind: 'title', text, table_index: index });
    }
    out.tables.push({
      index,
      title,
      title_row: titleRow,
      header_rows: headerLines.map((l) => l.row),
      first_col: c0 + 1,
      last_col: c1 + 1,
      data_rows: table.dataRows,
      cells: table.cells.length,
    });
    out.cells.push(...table.cells);
    out.notes.push(...table.notes);
  }
  for (const col of [...captions.keys()]) flushCaption(col);
  out.notes.sort((a, b) => a.source_row - b.source_row || a.source_col - b.source_col);
  return out;
}

function readTable(
  header: Line[],
  data: Line[],
  c0: number,
  c1: number,
  index: number,
  title: string | null,
): { cells: StatCell[]; notes: StatNote[]; dataRows: number; unusedHeader: [number, number, string][] } {
  // A second label column: only text, and filled where the first is blank.
  const second = c0 + 1;
  const hierarchical =
    second < c1 &&
    data.some((l) => l.cells[c0] === null && (l.cells[second] ?? null) !== null) &&
    data.every((l) => l.cells[second] === null || l.cells[second] === undefined || typeof l.cells[second] === 'string');
  const firstValue = hierarchical ? second + 1 : c0 + 1;
  const hasValue = (l: Line): boolean => filled(l, firstValue, c1).length > 0;
  let last = data.length - 1;
  while (last >= 0 && !hasValue(data[last]!)) last--;
  const notes: StatNote[] = [];
  for (const l of data.slice(last + 1)) {
    for (const col of filled(l, c0, c1)) {
      notes.push({ source_row: l.row, source_col: col + 1, kind: 'footnote', text: labelText(l.cells[col]!)!, table_index: index });
    }
  }

  // Column labels: upper header rows spread right over the columns their merged cell covered.
  const columnLabel: (string | null)[] = [];
  const spread = header.map((l, i) => {
    const out: (string | null)[] = [];
    let current: string | null = null;
    for (let c = firstValue; c <= c1; c++) {
      const v = labelText(l.cells[c] ?? null);
      if (v !== null) current = v;
      else if (i === header.length - 1) current = null;
      out[c] = v ?? (i < header.length - 1 ? current : null);
    }
    return out;
  });
  for (let c = firstValue; c <= c1; c++) {
    const parts = spread.map((s) => s[c] ?? null).filter((p): p is string => p !== null);
    columnLabel[c] = parts.length > 0 ? parts.join(' / ') : null;
  }
  const rowHeaderParts = header
    .flatMap((l) => [l.cells[c0], hierarchical ? l.cells[second] : null])
    .map((v) => labelText(v ?? null))
    .filter((v): v is string => v !== null);
  const rowHeader = rowHeaderParts.length > 0 ? rowHeaderParts.join(' / ') : null;

  interface Row {
    line: Line;
    label: string | null;
    group: string | null;
  }
  const valueRows: Row[] = [];
  let heading: string | null = null;
  let upper: string | null = null;
  let groupsGiven = false;
  for (const l of data.slice(0, last + 1)) {
    const l0 = labelText(l.cells[c0] ?? null);
    const l1 = hierarchical ? labelText(l.cells[second] ?? null) : null;
    if (!hasValue(l)) {
      heading = l1 ?? l0;
      upper = null;
      groupsGiven = true;
      continue;
    }
    if (hierarchical) {
      if (l0 !== null) upper = l0;
      if (l1 !== null) {
        valueRows.push({ line: l, label: l1, group: upper ?? heading });
        groupsGiven = true;
      } else valueRows.push({ line: l, label: l0, group: heading });
    } else valueRows.push({ line: l, label: l0, group: heading });
  }
  if (!groupsGiven) inferGroups(valueRows);

  const cells: StatCell[] = [];
  for (const r of valueRows) {
    for (const c of filled(r.line, firstValue, c1)) {
      const v = r.line.cells[c]!;
      const text = typeof v === 'string' ? v : null;
      cells.push({
        table_index: index,
        table_title: title,
        row_header: rowHeader,
        row_group: r.group,
        row_label: r.label,
        column_label: columnLabel[c] ?? null,
        value_number: typeof v === 'number' ? v : PLAIN_NUMBER.test(v) ? Number(v.replace(/,/g, '')) : null,
        value_text: text,
        source_row: r.line.row,
        source_col: c + 1,
      });
    }
  }
  // Which header cells label a value: an upper row's cell labels the columns it spreads over.
  const valued = new Set(cells.map((c) => c.source_col - 1));
  const unusedHeader: [number, number, string][] = [];
  header.forEach((l, i) => {
    for (let c = firstValue; c <= c1; c++) {
      const v = labelText(l.cells[c] ?? null);
      if (v === null) continue;
      let end = c;
      if (i < header.length - 1) while (end + 1 <= c1 && (l.cells[end + 1] ?? null) === null) end++;
      let used = false;
      for (let k = c; k <= end; k++) if (valued.has(k)) used = true;
      if (!used) unusedHeader.push([l.row, c, v]);
    }
    if (valueRows.length === 0) {
      for (let c = c0; c < firstValue; c++) {
        const v = labelText(l.cells[c] ?? null);
        if (v !== null) unusedHeader.push([l.row, c, v]);
      }
    }
  });
  return { cells, notes, dataRows: valueRows.length, unusedHeader };
}

/**
 * When labels repeat (two or more distinct labels, under two or more heads), a repeated label's group
 * is the nearest row above whose label is unique in the table.
 */
function inferGroups(rows: { label: string | null; group: string | null }[]): void {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.label !== null) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  const repeated = [...counts].filter(([, n]) => n > 1).length;
  if (repeated < 2) return;
  const groups: (string | null)[] = [];
  const heads = new Set<string>();
  let head: string | null = null;
  for (const r of rows) {
    if (r.label !== null && counts.get(r.label) === 1) {
      head = r.label;
      groups.push(null);
    } else {
      groups.push(head);
      if (head !== null) heads.add(head);
    }
  }
  if (heads.size < 2) return;
  rows.forEach((r, i) => {
    r.group = groups[i] ?? null;
  });
}
