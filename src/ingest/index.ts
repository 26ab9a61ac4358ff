/**
 * ingest: ICE release files (xlsx, csv, txt) → records of canonical columns, with provenance.
 *
 * Does: open a file by its bytes (xlsx or delimited text), find each sheet's header row and family
 * from the headers, map header variants to canonical columns (reference/columns), keep unknown
 * columns, set aside rows that are not data.
 * Does not: touch DuckDB, type values (the store does that in bulk), decide releases or idempotence
 * (the pipeline does).
 * Input: a file path and limits. Output: a stream of ReadEvents.
 */
export { FAMILIES, familyColumns, foldHeader, tableOf, REFERENCE_DIR } from './families.ts';
export type { CanonicalColumn, ColumnType, Family, FamilyColumns } from './families.ts';
export { detectLayout, type SheetLayout, type UnknownColumn } from './layout.ts';
export { openTableFile, detectDelimiter, type SourceRow, type TableSource } from './read-table.ts';
export { readReleaseFile, type RawRecord, type ReadEvent, type RejectedRow } from './read-release-file.ts';
