/**
 * store: the only code that opens DuckDB.
 *
 * Does: open a database file (read-only for everything but the pipeline), apply ordered migrations,
 * bulk-load column batches with typing and quality counts, set the duplicate flags, run queries that return
 * JSON-safe rows.
 * Does not: read files, know ICE's layouts (it is given column lists), decide what a release is.
 */
export { Store, type StoreOptions, type JsonRow } from './store.ts';
export { migrate, schemaVersion, latestSchemaVersion, listMigrations, type Migration } from './migrate.ts';
export {
  RecordLoader,
  SQL_TYPE,
  type ColumnQuality,
  type DerivedLookup,
  type LoadColumn,
  type LoadTarget,
  type LoadType,
} from './load-records.ts';
export { recomputeFlags } from './flags.ts';
