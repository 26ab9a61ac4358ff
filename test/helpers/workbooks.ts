/**
 * Small generated workbooks in ICE's layouts, one quirk each, for ingest tests.
 */
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { writeXlsx, type XlsxWriteCell } from '../../src/xlsx/index.ts';

export interface SheetSpec {
  name?: string;
  preamble?: string[];
  headers: readonly string[];
  rows: XlsxWriteCell[][];
}

/** Writes a workbook with one or more sheets: preamble rows, then the header, then the rows. */
export async function writeWorkbook(dir: string, fileName: string, sheets: SheetSpec[]): Promise<string> {
  const file = path.join(dir, fileName);
  await writeXlsx(
    file,
    sheets.map((s, i) => ({
      name: s.name ?? `Sheet${i + 1}`,
      rows: [...(s.preamble ?? []).map((line) => [line]), [...s.headers], ...s.rows],
    })),
  );
  return file;
}

/** ICE's usual six preamble rows. */
export const SIX_PREAMBLE = [
  'U.S. Immigration and Customs Enforcement',
  'Enforcement and Removal Operations',
  'Law Enforcement Systems and Analysis (LESA)',
  'Data are from IIDS as of 06/26/2025',
  'Data are subject to change',
  'FOIA 2024-ICFO-39357',
];

/** A row for `headers` with the given values by header name (first occurrence), blanks elsewhere. */
export function rowOf(headers: readonly string[], values: Record<string, XlsxWriteCell>): XlsxWriteCell[] {
  return headers.map((h) => (h in values ? values[h] : null));
}

/** Writes a delimited text file. */
export async function writeDelimited(dir: string, fileName: string, lines: string[][], delimiter: string): Promise<string> {
  const file = path.join(dir, fileName);
  await writeFile(file, `${lines.map((l) => l.join(delimiter)).join('\r\n')}\r\n`);
  return file;
}
