/**
 * ingest/sources/detention-stats: ICE's detention-statistics workbooks (`FY19-detentionstats.xlsx`,
 * `FY24_detentionStats.xlsx`, …): the aggregate tables ICE publishes each fiscal year.
 *
 * Does: tell such a workbook by its sheet names (`Detention FY19`, `Facilities EOFY24`) or its
 * `ICE Detention Statistics` header; read the facilities sheet into one record per facility (name,
 * address, city, state, ZIP, AOR, type; ADP by classification, criminality, threat level, ALOS… as
 * measures) with the facility-list reader; find the many small tables of the other sheets (side by
 * side, merged titles, one- to three-row headers, one or two label columns) and read every value as a
 * long-format cell (table title, row group, row label, column label, number or text, sheet row and
 * column); keep titles, captions, footnotes and the `Header`/`Footnotes` sheets as notes; give each
 * sheet its fiscal year (tables.ts, normalize.ts).
 *
 * Does not: open workbooks, write to DuckDB (src/pipeline/load-facility-sources.ts does), or interpret
 * a table (which cell is a total, what a label means): the cells say where they were, not what they are.
 */
export * from './normalize.ts';
export * from './tables.ts';
