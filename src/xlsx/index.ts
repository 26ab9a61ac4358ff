/**
 * xlsx: a streaming, bounded-memory .xlsx reader and a deterministic, streaming .xlsx writer.
 *
 * Does: read sheets row by row from files far larger than V8's string limit (zip + ZIP64, deflate,
 * shared strings, inline strings, dates by cell style, 1900/1904 date systems); refuse hostile input
 * (zip bombs, DTDs, encrypted or corrupt files, absurd sizes) with a located HandoffError; write
 * minimal valid workbooks byte-identically for identical input.
 * Does not: know anything about ICE or any release layout; evaluate formulas; read formatting beyond
 * "is this number a date"; read .xls, .xlsb or encrypted workbooks.
 * Inputs: a file path and optional InputLimits. Outputs: XlsxRow batches, or every row as one reused
 * RowCells for the hot path (reader); a file (writer).
 */
export type { XlsxCell, XlsxRow, XlsxSheetInfo } from './types.ts';
export { XlsxWorkbook } from './workbook.ts';
export { CELL_DATE, CELL_EMPTY, CELL_NUMBER, CELL_SHARED, CELL_TEXT, RowCells } from './row-cells.ts';
export { excelSerialToIso, excelSerialToUnixSeconds, isoToExcelSerial } from './dates.ts';
export { columnLetters } from './sheet-reader.ts';
export { writeXlsx } from './write-xlsx.ts';
export type { XlsxWriteCell, XlsxWriteSheet, XlsxWriteOptions } from './write-xlsx.ts';
