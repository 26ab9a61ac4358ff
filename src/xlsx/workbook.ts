/**
 * XlsxWorkbook: opens an .xlsx, reads its sheet list, shared strings and date styles up front, then
 * streams any sheet's rows in batches. Every error is a HandoffError located by file, sheet, row and
 * column where known.
 *
 * Does: refuse a workbook whose sheets share a worksheet part (40 sheets over one part would read its
 * rows 40 times); count the rows handed on, per sheet and per workbook, against `maxSheetRows` and
 * `maxRows`, and refuse a sheet whose declared size is already over them.
 * Does not: decide what the rows mean, or hold them (they are streamed).
 */
import path from 'node:path';
import { DEFAULT_LIMITS, type InputLimits } from '../core/config.ts';
import { HandoffError } from '../core/errors.ts';
import { ChunkJoiner } from './chunks.ts';
import { readSharedStrings } from './shared-strings.ts';
import type { RowCells } from './row-cells.ts';
import { SheetParser, type SheetContext } from './sheet-reader.ts';
import { readDateStyles } from './styles.ts';
import type { XlsxRow, XlsxSheetInfo } from './types.ts';
import { ZipArchive, type ZipEntry } from './zip.ts';
import { attr, child, parseTree, withLocation, type XmlElement } from './xml.ts';

/** Small parts (workbook, rels, styles) are read whole; more than this is not a real workbook. */
const MAX_SMALL_PART_BYTES = 64 * 1024 * 1024;
const DEFAULT_BATCH_SIZE = 1000;

interface SheetPart {
  info: XlsxSheetInfo;
  /** The worksheet part; undefined for chartsheets and dialog sheets, which have no rows. */
  entry: ZipEntry | undefined;
}

/** A workbook opened for streaming reads. */
export class XlsxWorkbook {
  /** Sheets in workbook order. */
  readonly sheets: XlsxSheetInfo[];
  /** True when dates count from 1904-01-01 (old Mac Excel), from workbook.xml `<workbookPr date1904>`. */
  readonly date1904: boolean;
  private closed = false;
  /** Rows handed on per sheet index (the most of any read of it), for the `maxRows` cap. */
  private readonly rowsRead = new Map<number, number>();

  /** The workbook's shared strings, read when it was opened (RowCells hold indices into them). */
  get sharedStrings(): readonly string[] {
    return this.context.sharedStrings;
  }

  private constructor(
    private readonly archive: ZipArchive,
    private readonly label: string,
    private readonly parts: SheetPart[],
    private readonly context: SheetContext,
    private readonly limits: InputLimits,
  ) {
    this.sheets = parts.map((p) => p.info);
    this.date1904 = context.date1904;
  }

  /** Opens a workbook: reads the zip directory, workbook.xml, its rels, styles and shared strings. */
  /** `label` names the file in errors (default: its base name). */
  static async open(filePath: string, limits?: Partial<InputLimits>, label = path.basename(filePath)): Promise<XlsxWorkbook> {
    const lim: InputLimits = { ...DEFAULT_LIMITS, ...limits };
    try {
      const archive = await ZipArchive.open(filePath, label, lim);
      const readTree = async (name: string): Promise<XmlElement | undefined> => {
        const entry = archive.find(name);
        if (!entry) return undefined;
        try {
          return parseTree(await archive.readEntry(entry, MAX_SMALL_PART_BYTES));
        } catch (e) {
          throw prefixMessage(e, `${entry.name}: `);
        }
      };
      const rootRels = await readTree('_rels/.rels');
      const officeDoc = rootRels ? relationships(rootRels, '').find((r) => r.type.endsWith('/officeDocument')) : undefined;
      const workbookName = officeDoc?.target ?? 'xl/workbook.xml';
      const workbookXml = await readTree(workbookName);
      if (!workbookXml) {
        throw new HandoffError('bad_input', 'this zip is not an Excel workbook (no xl/workbook.xml)');
      }
      const dir = workbookName.includes('/') ? workbookName.slice(0, workbookName.lastIndexOf('/') + 1) : '';
      const relsName = `${dir}_rels/${workbookName.slice(dir.length)}.rels`;
      const relsXml = await readTree(relsName);
      const rels = relsXml ? relationships(relsXml, dir) : [];
      const byId = new Map(rels.map((r) => [r.id, r]));

      const pr = child(workbookXml, 'workbookPr');
      const d1904 = pr ? attr(pr, 'date1904') : undefined;
      const date1904 = d1904 === '1' || d1904 === 'true';

      const parts: SheetPart[] = [];
      const sheetOfPart = new Map<string, string>();
      for (const el of child(workbookXml, 'sheets')?.children ?? []) {
        if (el.name !== 'sheet') continue;
        const name = attr(el, 'name');
        const rid = attr(el, 'id', true);
        if (name === undefined || rid === undefined) throw new HandoffError('malformed_xml', 'workbook.xml: <sheet> without name or r:id');
        const rel = byId.get(rid);
        if (!rel) throw new HandoffError('malformed_xml', `workbook.xml: sheet "${name}" refers to missing relationship ${rid}`);
        const info: XlsxSheetInfo = { name, index: parts.length };
        const state = attr(el, 'state');
        if (state !== undefined && state !== 'visible') info.state = state;
        let entry: ZipEntry | undefined;
        if (rel.type.endsWith('/worksheet')) {
          entry = archive.find(rel.target);
          if (!entry) throw new HandoffError('bad_input', `sheet "${name}": part ${rel.target} is missing from the zip`);
          const first = sheetOfPart.get(entry.name);
          if (first !== undefined) {
            throw new HandoffError(
              'bad_input',
              `sheets "${first}" and "${name}" both point at the worksheet part ${entry.name}; a workbook Excel writes gives each sheet its own part, so this one is refused rather than read twice`,
              { location: { sheet: name } },
            );
          }
          sheetOfPart.set(entry.name, name);
        }
        parts.push({ info, entry });
      }
      if (parts.length === 0) throw new HandoffError('empty', 'the workbook lists no sheets');

      const stylesRel = rels.find((r) => r.type.endsWith('/styles'));
      const dateStyles = readDateStyles(await readTree(stylesRel?.target ?? `${dir}styles.xml`));

      const sstRel = rels.find((r) => r.type.endsWith('/sharedStrings'));
      const sstEntry = archive.find(sstRel?.target ?? `${dir}sharedStrings.xml`);
      let sharedStrings: string[] = [];
      if (sstEntry) {
        try {
          sharedStrings = await readSharedStrings(archive.entryChunks(sstEntry), lim);
        } catch (e) {
          throw prefixMessage(e, `${sstEntry.name}: `);
        }
      }
      return new XlsxWorkbook(archive, label, parts, {
        sharedStrings,
        dateStyles,
        date1904,
        limits: lim,
      }, lim);
    } catch (e) {
      throw withLocation(e, { file: label });
    }
  }

  /**
   * Streams the rows of one sheet in order, in batches of `batchSize` (the last may be smaller).
   * Rows are checked as they are parsed; the zip CRC is checked when the sheet ends, so a corrupt file
   * can still fail after some batches were delivered. Stopping early (break) closes the file.
   */
  async *rowBatches(sheetName: string, batchSize = DEFAULT_BATCH_SIZE): AsyncGenerator<XlsxRow[], void, undefined> {
    const size = Math.max(1, Math.floor(batchSize));
    let pending: XlsxRow[] = [];
    const collect = (row: RowCells) => {
      pending.push({ rowNumber: row.rowNumber, cells: row.toArray() });
    };
    for await (const _ of this.scanRows(sheetName, collect)) {
      while (pending.length >= size) {
        const batch = pending.length === size ? pending : pending.slice(0, size);
        pending = pending.length === size ? [] : pending.slice(size);
        yield batch;
      }
    }
    while (pending.length > 0) {
      yield pending.slice(0, size);
      pending = pending.slice(size);
    }
  }

  /**
   * The fast way through a sheet: calls `onRow` with every row as a reused RowCells (read it before
   * returning; nothing is allocated per cell), and yields after each inflated chunk so the caller can
   * hand on what `onRow` gathered. Errors are located as in rowBatches.
   */
  async *scanRows(sheetName: string, onRow: (row: RowCells) => void): AsyncGenerator<void, void, undefined> {
    const part = this.findSheet(sheetName);
    if (!part.entry) return;
    const location = { file: this.label, sheet: part.info.name };
    const { maxSheetRows, maxRows } = this.limits;
    const parser = new SheetParser(this.context);
    const joiner = new ChunkJoiner();
    // Rows of the other sheets already read (a sheet read again counts once, at its largest).
    let others = 0;
    for (const [index, n] of this.rowsRead) if (index !== part.info.index) others += n;
    let rows = 0;
    const counted = (row: RowCells): void => {
      rows++;
      if (rows > maxSheetRows) {
        throw new HandoffError('too_large', `the sheet has more than ${maxSheetRows} rows (the limit maxSheetRows; Excel's own limit is 1,048,576)`);
      }
      if (others + rows > maxRows) {
        throw new HandoffError('too_large', `the workbook has more than ${maxRows} rows in all its sheets (the limit maxRows)`);
      }
      onRow(row);
    };
    try {
      const declared = await this.estimateRows(part.info.name);
      if (declared !== null && declared > maxSheetRows) {
        throw new HandoffError('too_large', `the sheet declares ${declared} rows, more than ${maxSheetRows} (the limit maxSheetRows)`);
      }
      for await (const chunk of this.archive.entryChunks(part.entry)) {
        const buf = joiner.push(chunk);
        if (!buf) continue;
        joiner.consumed(buf, parser.parse(buf, counted, false));
        yield;
      }
      parser.parse(joiner.rest(), counted, true);
      parser.assertComplete();
    } catch (e) {
      throw withLocation(e, location);
    } finally {
      this.rowsRead.set(part.info.index, Math.max(this.rowsRead.get(part.info.index) ?? 0, rows));
    }
    yield;
  }

  /**
   * The row count the sheet declares in its `<dimension ref="A1:BM300007"/>` (the last row number), read
   * from the first 64 KiB of its XML; null when absent. Only an estimate for progress and ETA: writers
   * may omit or misstate it, so nothing depends on it.
   */
  async estimateRows(sheetName: string): Promise<number | null> {
    const part = this.findSheet(sheetName);
    if (!part.entry) return 0;
    let head = '';
    for await (const chunk of this.archive.entryChunks(part.entry)) {
      head += chunk.toString('latin1');
      if (head.length >= 65_536 || head.includes('<sheetData')) break;
    }
    const match = head.match(/<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"/);
    return match ? Number(match[1]) : null;
  }

  /** All rows of a sheet; for small sheets. */
  async readAll(sheetName: string): Promise<XlsxRow[]> {
    const rows: XlsxRow[] = [];
    for await (const batch of this.rowBatches(sheetName, 10_000)) {
      for (const row of batch) rows.push(row);
    }
    return rows;
  }

  /** Releases the workbook. Row streams hold their own file handle, closed when they finish or stop. */
  async close(): Promise<void> {
    this.closed = true;
  }

  private findSheet(sheetName: string): SheetPart {
    if (this.closed) throw new HandoffError('bad_argument', 'the workbook is closed', { location: { file: this.label } });
    const part =
      this.parts.find((p) => p.info.name === sheetName) ??
      this.parts.find((p) => p.info.name.toLowerCase() === sheetName.toLowerCase());
    if (!part) {
      throw new HandoffError('not_found', `no sheet named "${sheetName}" (sheets: ${this.sheets.map((s) => s.name).join(', ')})`, {
        location: { file: this.label },
      });
    }
    return part;
  }
}

interface Relationship {
  id: string;
  type: string;
  /** Part name, resolved against the source part's folder. */
  target: string;
}

function relationships(root: XmlElement, baseDir: string): Relationship[] {
  const out: Relationship[] = [];
  for (const el of root.children) {
    if (el.name !== 'Relationship') continue;
    const id = attr(el, 'Id');
    const type = attr(el, 'Type');
    const target = attr(el, 'Target');
    if (id === undefined || type === undefined || target === undefined) continue;
    if (attr(el, 'TargetMode') === 'External') continue;
    out.push({ id, type, target: resolveTarget(baseDir, target) });
  }
  return out;
}

/** Resolves a relationship target: absolute (`/xl/...`) or relative to the source part's folder. */
function resolveTarget(baseDir: string, target: string): string {
  let t = target;
  try {
    t = decodeURIComponent(target);
  } catch {
    // Not percent-encoded; use as is.
  }
  const joined = t.startsWith('/') ? t.slice(1) : baseDir + t;
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

function prefixMessage(e: unknown, prefix: string): unknown {
  if (!(e instanceof HandoffError) || e.message.startsWith(prefix)) return e;
  return new HandoffError(e.code, prefix + e.message, { ...(e.location ? { location: e.location } : {}), cause: e.cause });
}
