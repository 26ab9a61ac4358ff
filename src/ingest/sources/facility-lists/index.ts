/**
 * ingest/sources/facility-lists: ICE's facility lists (IIDS "Facility List Report", the authorized
 * DMCP/JFRMU list of FOIA 2019-ICFO-31121, …) as records: one per facility per sheet.
 *
 * Does: find a facility table's header by its names (DETLOC, Name/Facility Name, City, State…) below
 * the group row ICE puts over it, read the facility's code, name, address, city, county, state, ZIP,
 * AOR and type, keep every other cell as a measure (numbers, e.g. `FY19 ADP`) or an attribute (text),
 * set totals rows, footers and side tables aside as notes, check a title's count ("1685 Facilities")
 * against the rows read (facility-table.ts, normalize.ts). The facility-table reader is shared with
 * the detention-statistics workbooks' facilities sheets (src/ingest/sources/detention-stats).
 *
 * Does not: open workbooks (src/xlsx does), write to DuckDB (src/pipeline/load-facility-sources.ts),
 * or place facilities in counties beyond the list's own County column (src/link/facilities does).
 */
export * from './facility-table.ts';
export * from './normalize.ts';
