/**
 * ingest/sources/agreements-287g: ICE's 287(g) agency sheets and the snapshot series built from them.
 *
 * Does: map header aliases (columns.ts); turn sheet rows into agreements with county FIPS, model,
 * signed date, status and provenance, rejecting rows it cannot read (normalize.ts); summarize the
 * daily snapshot series into first/last appearance per agency (snapshots.ts).
 *
 * Does not: open workbooks (src/xlsx does), write to DuckDB, or read the Washington Post files
 * (CC BY-NC-SA, not used).
 */
export * from './columns.ts';
export * from './normalize.ts';
export * from './snapshots.ts';
