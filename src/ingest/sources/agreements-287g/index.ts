/**
 * ingest/sources/agreements-287g: ICE's 287(g) agency sheets and the snapshot series built from them.
 *
 * Does: map header aliases and tell a side table of tallies from agreements (columns.ts); turn sheet
 * rows into agreements with county FIPS, model, signed date, status (from the header) and provenance,
 * rejecting rows it cannot read but never one for its SIGNED value (normalize.ts); read a sheet's date
 * from its file name in every form ICE and archivists use, check it against the sheet's SIGNED dates
 * and the workbook's modified date, and fall back when the name cannot be trusted (snapshot-date.ts);
 * summarize the daily snapshot series into first/last appearance per agency (snapshots.ts).
 *
 * Does not: open workbooks (src/xlsx does), write to DuckDB, or read the Washington Post files
 * (CC BY-NC-SA, not used).
 */
export * from './columns.ts';
export * from './normalize.ts';
export * from './snapshot-date.ts';
export * from './snapshots.ts';
