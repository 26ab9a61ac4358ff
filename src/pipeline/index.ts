/**
 * pipeline: the only code that writes the database and knows the order of the stages
 * (ingest → store → link → policy).
 *
 * Does: take files into a release atomically and idempotently (copy, load, checkpoint, rename).
 * Does not: parse files (ingest), type values (store), serve anything (api).
 */
export {
  ingestFiles,
  expandInputs,
  hashFile,
  guessReleaseLabel,
  type FileOutcome,
  type IngestOptions,
  type IngestProgress,
  type IngestSummary,
} from './ingest-files.ts';
export { expectedFamilyColumns, missingColumnsSql, PROVENANCE_COLUMNS, FLAG_COLUMNS } from './family-tables.ts';
export { openReadOnly } from './open-read-only.ts';
export { readStatus, type StatusReport } from './status.ts';
export { readCodebook, columnClass, NOT_LISTED_BECAUSE, MAX_VALUES_LISTED, type Codebook, type CodebookColumn, type CodebookFile, type CodebookSheet, type CodebookValue, type ColumnClass } from './codebook.ts';
export { loadOffenseCrosswalk, offenseLookup, readOffenseCoverage, OFFENSE_TABLES_WITH_MSC } from './derive-offenses.ts';
