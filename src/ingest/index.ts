/**
 * ingest: ICE release files (xlsx, csv, txt) → column batches of canonical columns, with provenance.
 *
 * Does: open a file by its bytes (xlsx or delimited text), find each sheet's header row and family
 * from the headers, map header variants to canonical columns (reference/columns), keep unknown
 * columns, set aside rows that are not data, clean every cell (trim; blanks and redaction markers are
 * no value, counted) and code it as an id in the file's dictionary of distinct texts.
 * Does not: touch DuckDB, type values (the store does that in bulk, once per distinct text), decide
 * releases or idempotence (the pipeline does).
 * Input: a file path and limits. Output: a stream of ReadEvents (sheets, column batches, rejects).
 */
export { EVENT_DATE_COLUMN, FAMILIES, familyColumns, foldHeader, tableOf, REFERENCE_DIR } from './families.ts';
export type { CanonicalColumn, ColumnType, Family, FamilyColumns } from './families.ts';
export { detectLayout, type SheetLayout, type UnknownColumn } from './layout.ts';
export { openTableFile, detectDelimiter, tableFormat, type SourceRow, type TableSource } from './read-table.ts';
export { readReleaseFile, type ReadEvent, type RejectedRow } from './read-release-file.ts';
export { CellCoder, ColumnMapper } from './column-mapper.ts';
export { containerOf, TABLE_EXTENSIONS, Unpacker, type Container, type TableInput } from './containers.ts';
