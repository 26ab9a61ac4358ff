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

/** Limits that bound what one input file may cost. Every one can be raised by a flag. */
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
  /** Largest number of shared strings. */
  maxSharedStrings: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxFileBytes: 2 * 1024 ** 3,
  maxUncompressedBytes: 8 * 1024 ** 3,
  maxCompressionRatio: 200,
  maxColumns: 16_384,
  maxCellChars: 32_767,
  maxSharedStrings: 20_000_000,
};
