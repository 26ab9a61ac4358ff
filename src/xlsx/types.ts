/** Value of one cell as the reader returns it: `null` means the cell is empty or missing. */
export type XlsxCell = string | number | null;

/** One spreadsheet row. */
export interface XlsxRow {
  /** 1-based row number, from the `r` attribute when present, else one past the previous row. */
  rowNumber: number;
  /** Index 0 is column A. Rows may be shorter than the widest row; gaps are `null`. */
  cells: XlsxCell[];
}

/** A sheet listed in workbook.xml, in workbook order. */
export interface XlsxSheetInfo {
  name: string;
  /** 0-based position in the workbook. */
  index: number;
  /** 'hidden' or 'veryHidden' when the sheet is not visible; absent when visible. */
  state?: string;
}
