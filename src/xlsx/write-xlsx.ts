/**
 * writeXlsx: streams rows into a minimal, valid .xlsx (the parts Excel and LibreOffice need and no
 * more). Each sheet's XML goes through deflate straight to the file while shared strings are
 * collected; identical input gives identical bytes.
 */
import { HandoffError } from '../core/errors.ts';
import { isoToExcelSerial } from './dates.ts';
import { columnLetters, EXCEL_MAX_COLUMNS } from './sheet-reader.ts';
import { ZipWriter } from './zip-writer.ts';

/**
 * A cell to write. Strings and numbers as they are; null/undefined leave the cell empty; `{ date }`
 * ('YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SS') becomes a serial number with a date (numFmt 14) or
 * date-time (numFmt 22) style.
 */
export type XlsxWriteCell = string | number | null | undefined | { date: string };

/** One sheet to write. Rows may be an async iterable, so large tables never sit in memory. */
export interface XlsxWriteSheet {
  name: string;
  rows: Iterable<XlsxWriteCell[]> | AsyncIterable<XlsxWriteCell[]>;
}

export interface XlsxWriteOptions {
  /** Use the 1904 date system. Default false. */
  date1904?: boolean;
  /** Shared strings (smaller, what Excel writes) or inline strings (no string table in memory). Default 'shared'. */
  strings?: 'shared' | 'inline';
  /** Deflate level 0-9. Default 6. */
  compressionLevel?: number;
}

const EXCEL_MAX_ROWS = 1_048_576;
const EXCEL_MAX_CELL_CHARS = 32_767;
const FLUSH_CHARS = 64 * 1024;
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT_PREFIX = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
/** Style indexes in the cellXfs we write: 0 general, 1 date (numFmt 14), 2 date-time (numFmt 22). */
const STYLE_DATE = 1;
const STYLE_DATETIME = 2;

/** Writes sheets to an .xlsx file; returns its size and the number of rows written. */
export async function writeXlsx(
  filePath: string,
  sheets: XlsxWriteSheet[],
  options: XlsxWriteOptions = {},
): Promise<{ bytes: number; rows: number }> {
  validateSheets(sheets);
  const date1904 = options.date1904 === true;
  const shared = (options.strings ?? 'shared') === 'shared';
  const level = options.compressionLevel ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new HandoffError('bad_argument', `compressionLevel must be an integer 0-9, not ${level}`);
  }
  const zip = await ZipWriter.create(filePath);
  try {
    const small = (text: string): Buffer[] => [Buffer.from(XML_DECL + text, 'utf8')];
    await zip.addEntry('[Content_Types].xml', small(contentTypes(sheets.length, shared)), level);
    await zip.addEntry(
      '_rels/.rels',
      small(`<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
      level,
    );
    await zip.addEntry('xl/workbook.xml', small(workbookXml(sheets, date1904)), level);
    await zip.addEntry('xl/_rels/workbook.xml.rels', small(workbookRels(sheets.length, shared)), level);
    await zip.addEntry('xl/styles.xml', small(STYLES_XML), level);
    const strings = new Map<string, number>();
    const counter = { refs: 0, rows: 0 };
    for (const [i, sheet] of sheets.entries()) {
      await zip.addEntry(`xl/worksheets/sheet${i + 1}.xml`, sheetXml(sheet, shared ? strings : null, date1904, counter), level, true);
    }
    if (shared) await zip.addEntry('xl/sharedStrings.xml', sharedStringsXml(strings, counter.refs), level, true);
    const bytes = await zip.finish();
    return { bytes, rows: counter.rows };
  } catch (e) {
    await zip.abort();
    throw e;
  }
}

function validateSheets(sheets: XlsxWriteSheet[]): void {
  if (sheets.length === 0) throw new HandoffError('bad_argument', 'a workbook needs at least one sheet');
  const seen = new Set<string>();
  for (const { name } of sheets) {
    // Excel's own rules; it "repairs" (renames) files that break them.
    if (name.length < 1 || name.length > 31 || /[:\\/?*[\]\u0000-\u001f]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
      throw new HandoffError('bad_argument', `invalid sheet name "${name}": 1-31 characters, none of : \\ / ? * [ ], not starting or ending with '`);
    }
    const key = name.toLowerCase();
    if (seen.has(key)) throw new HandoffError('bad_argument', `duplicate sheet name "${name}"`);
    seen.add(key);
  }
}

/** Row iteration for sync and async sources; the sync path avoids a microtask per row. */
async function* rowsOf(rows: XlsxWriteSheet['rows']): AsyncGenerator<XlsxWriteCell[][]> {
  if (Symbol.iterator in rows) {
    let batch: XlsxWriteCell[][] = [];
    for (const row of rows as Iterable<XlsxWriteCell[]>) {
      batch.push(row);
      if (batch.length === 512) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } else {
    for await (const row of rows) yield [row];
  }
}

async function* sheetXml(
  sheet: XlsxWriteSheet,
  strings: Map<string, number> | null,
  date1904: boolean,
  counter: { refs: number; rows: number },
): AsyncGenerator<Buffer> {
  let out = `${XML_DECL}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetData>`;
  let r = 0;
  const letters: string[] = [];
  const serialCache = new Map<string, number | null>();
  const fail = (message: string, col?: number): HandoffError =>
    new HandoffError('bad_value', message, {
      location: { sheet: sheet.name, row: r, ...(col === undefined ? {} : { column: columnLetters(col) }) },
    });
  for await (const batch of rowsOf(sheet.rows)) {
    for (const row of batch) {
      r++;
      if (r > EXCEL_MAX_ROWS) throw new HandoffError('too_large', `sheet "${sheet.name}" has more than ${EXCEL_MAX_ROWS} rows`);
      if (!Array.isArray(row)) throw fail('a row must be an array of cells');
      if (row.length > EXCEL_MAX_COLUMNS) throw new HandoffError('too_large', `row ${r} has more than ${EXCEL_MAX_COLUMNS} cells`);
      counter.rows++;
      let cellsXml = '';
      for (let c = 0; c < row.length; c++) {
        const v = row[c];
        if (v === null || v === undefined) continue;
        const ref = (letters[c] ??= columnLetters(c)) + r;
        if (typeof v === 'number') {
          if (!Number.isFinite(v)) throw fail(`cannot write ${v} to a spreadsheet`, c);
          cellsXml += `<c r="${ref}"><v>${v}</v></c>`;
        } else if (typeof v === 'string') {
          if (v.length > EXCEL_MAX_CELL_CHARS) {
            throw new HandoffError('too_large', `text of ${v.length} characters; Excel's limit is ${EXCEL_MAX_CELL_CHARS}`, {
              location: { sheet: sheet.name, row: r, column: columnLetters(c) },
            });
          }
          if (strings) {
            let idx = strings.get(v);
            if (idx === undefined) {
              idx = strings.size;
              strings.set(v, idx);
            }
            counter.refs++;
            cellsXml += `<c r="${ref}" t="s"><v>${idx}</v></c>`;
          } else {
            cellsXml += `<c r="${ref}" t="inlineStr"><is>${textElement(v)}</is></c>`;
          }
        } else if (typeof v === 'object' && typeof v.date === 'string') {
          let serial = serialCache.get(v.date);
          if (serial === undefined) {
            serial = isoToExcelSerial(v.date, date1904);
            // Dates repeat a lot; date-times mostly do not, so only whole days are kept.
            if (v.date.length === 10 && serialCache.size < 100_000) serialCache.set(v.date, serial);
          }
          if (serial === null) throw fail(`not a date Excel can store: "${v.date}"`, c);
          const style = v.date.length > 10 ? STYLE_DATETIME : STYLE_DATE;
          cellsXml += `<c r="${ref}" s="${style}"><v>${serial}</v></c>`;
        } else {
          throw fail(`unsupported cell value of type ${typeof v}`, c);
        }
      }
      if (cellsXml !== '') out += `<row r="${r}">${cellsXml}</row>`;
      if (out.length >= FLUSH_CHARS) {
        yield Buffer.from(out, 'utf8');
        out = '';
      }
    }
  }
  out += '</sheetData></worksheet>';
  yield Buffer.from(out, 'utf8');
}

function* sharedStringsXml(strings: Map<string, number>, refs: number): Generator<Buffer> {
  let out = `${XML_DECL}<sst xmlns="${NS_MAIN}" count="${refs}" uniqueCount="${strings.size}">`;
  for (const s of strings.keys()) {
    out += `<si>${textElement(s)}</si>`;
    if (out.length >= FLUSH_CHARS) {
      yield Buffer.from(out, 'utf8');
      out = '';
    }
  }
  out += '</sst>';
  yield Buffer.from(out, 'utf8');
}

/**
 * Characters to escape: XML specials; characters XML 1.0 forbids (and CR, which XML parsers would
 * turn into LF) as OOXML `_xHHHH_`; lone surrogates likewise; and an underscore that would otherwise
 * read as the start of such an escape, as `_x005F_`.
 */
const ESCAPE_RE =
  /[&<>\u0000-\u0008\u000b-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|_(?=x[0-9A-Fa-f]{4}_)/g;

function escapeChar(ch: string): string {
  switch (ch) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    default:
      return `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`;
  }
}

/** Escapes cell text for a `<t>` element. */
export function escapeCellText(s: string): string {
  ESCAPE_RE.lastIndex = 0;
  return ESCAPE_RE.test(s) ? s.replace(ESCAPE_RE, escapeChar) : s;
}

function textElement(s: string): string {
  const preserve = /^[ \t\n\r]|[ \t\n\r]$/.test(s);
  return `${preserve ? '<t xml:space="preserve">' : '<t>'}${escapeCellText(s)}</t>`;
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function contentTypes(sheetCount: number, shared: boolean): string {
  let s = `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`;
  s += `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`;
  s += `<Default Extension="xml" ContentType="application/xml"/>`;
  s += `<Override PartName="/xl/workbook.xml" ContentType="${CT_PREFIX}.sheet.main+xml"/>`;
  for (let i = 1; i <= sheetCount; i++) {
    s += `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${CT_PREFIX}.worksheet+xml"/>`;
  }
  s += `<Override PartName="/xl/styles.xml" ContentType="${CT_PREFIX}.styles+xml"/>`;
  if (shared) s += `<Override PartName="/xl/sharedStrings.xml" ContentType="${CT_PREFIX}.sharedStrings+xml"/>`;
  return `${s}</Types>`;
}

function workbookXml(sheets: XlsxWriteSheet[], date1904: boolean): string {
  let s = `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`;
  s += date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>';
  s += '<bookViews><workbookView/></bookViews><sheets>';
  sheets.forEach((sheet, i) => {
    s += `<sheet name="${escapeAttr(sheet.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`;
  });
  return `${s}</sheets></workbook>`;
}

function workbookRels(sheetCount: number, shared: boolean): string {
  let s = `<Relationships xmlns="${NS_PKG_REL}">`;
  for (let i = 1; i <= sheetCount; i++) {
    s += `<Relationship Id="rId${i}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`;
  }
  s += `<Relationship Id="rId${sheetCount + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>`;
  if (shared) s += `<Relationship Id="rId${sheetCount + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/>`;
  return `${s}</Relationships>`;
}

const STYLES_XML =
  `<styleSheet xmlns="${NS_MAIN}">` +
  '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';
