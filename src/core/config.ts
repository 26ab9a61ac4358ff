/**
 * Settings that come from flags and the environment, resolved in one place.
 */
import path from 'node:path';

/** Default database file, relative to the working directory. */
export const DEFAULT_DB_PATH = 'handoff.duckdb';
/** Environment variable that names the database file. */
export const DB_ENV_VAR = 'HANDOFF_DB';

/** Resolves the database path: the flag wins, then HANDOFF_DB, then ./handoff.duckdb. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env[DB_ENV_VAR] ?? DEFAULT_DB_PATH;
  return chosen === ':memory:' ? chosen : path.resolve(chosen);
}

/**
 * Limits that bound what one input file may cost, in time and in memory, whatever its content: the
 * reader holds the shared strings of one workbook and streams everything else, so its memory is
 * bounded by `maxSharedStrings` and `maxSharedStringChars`, and the rows handed on by `maxRows`.
 * A file over a limit fails alone, with an error that names the file, the sheet and the limit.
 * The CLI raises `maxFileBytes` and `maxCompressionRatio` by flags (`handoff ingest --help`).
 */
export interface InputLimits {
  /** Largest input file on disk, bytes. */
  maxFileBytes: number;
  /** Largest total uncompressed size of the parts read from one xlsx, bytes. */
  maxUncompressedBytes: number;
  /** Largest compression ratio of any zip entry (uncompressed / compressed). */
  maxCompressionRatio: number;
  /** Largest number of columns in a sheet (Excel's own limit is 16,384). */
  maxColumns: number;
  /** Longest cell text, characters (Excel's own limit is 32,767). */
  maxCellChars: number;
  /** Largest number of shared strings (distinct texts) of one workbook. */
  maxSharedStrings: number;
  /** Largest total length of the shared strings of one workbook, characters. */
  maxSharedStringChars: number;
  /** Most rows in one sheet (Excel's own limit is 1,048,576; ICE splits larger tables across sheets). */
  maxSheetRows: number;
  /** Most rows in one workbook, all sheets together. */
  maxRows: number;
}

/** Excel's row limit per sheet. */
export const EXCEL_MAX_ROWS = 1_048_576;

export const DEFAULT_LIMITS: InputLimits = {
  maxFileBytes: 2 * 1024 ** 3,
  maxUncompressedBytes: 8 * 1024 ** 3,
  maxCompressionRatio: 200,
  maxColumns: 16_384,
  maxCellChars: 32_767,
  // The largest known release file (encounters, July 2025: 1.24 M rows on two sheets) has about one
  // distinct text per row; these leave several times that, and hold the reader under ~0.5 GiB.
  maxSharedStrings: 5_000_000,
  maxSharedStringChars: 256 * 1024 ** 2,
  maxSheetRows: EXCEL_MAX_ROWS,
  maxRows: 3 * EXCEL_MAX_ROWS,
};
