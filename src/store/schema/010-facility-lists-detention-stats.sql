-- ICE's facility lists and detention-statistics workbooks (src/pipeline/load-facility-sources.ts).
-- Each file is a release of its own (releases.kind 'facility_list' or 'detention_stats').

-- One row per facility per sheet of a facility list: the 2017 list names most facilities on several
-- sheets (`Facility List - Main`, `Authorized List - DMCP`, …); `sheet` says which.
CREATE TABLE facility_list_rows (
  release_id             VARCHAR NOT NULL,
  file_id                VARCHAR NOT NULL,
  source_file            VARCHAR NOT NULL,
  sheet                  VARCHAR NOT NULL,
  source_row             INTEGER NOT NULL,
  data_as_of             DATE,                -- the data pull the sheet's title gives ("IIDS, 11/06/2017")
  detloc                 VARCHAR,             -- ICE's facility code; NULL when redacted (ORR facilities)
  name                   VARCHAR,             -- NULL when redacted
  address                VARCHAR,
  city                   VARCHAR,
  county                 VARCHAR,             -- as written ("GRAYS HARBOR", sometimes a city or just "COUNTY")
  state                  VARCHAR,             -- as written
  state_postal           VARCHAR,
  zip                    VARCHAR,             -- 5 digits restored ("06357")
  aor                    VARCHAR,             -- ICE field office code ("SEA")
  facility_type          VARCHAR,             -- Type (IGSA, USMS IGA, CDF, SPC, …)
  facility_type_detailed VARCHAR,             -- Type Detailed (DIGSA, HOLD, STAGING, …)
  county_fips            VARCHAR,             -- from the county and state columns, when they name one county
  county_fips_method     VARCHAR,             -- county_column | NULL
  measures               VARCHAR NOT NULL,    -- JSON object: every numeric cell by column ({"FY18 ADP": 42.5, …})
  attributes             VARCHAR NOT NULL,    -- JSON object: every other text cell by column
  redacted_fields        VARCHAR              -- comma-separated fields ICE withheld, NULL when none
);

-- One row per facility of a detention-statistics workbook's facilities sheet (`Facilities FY19`).
CREATE TABLE detention_stat_facilities (
  release_id             VARCHAR NOT NULL,
  file_id                VARCHAR NOT NULL,
  source_file            VARCHAR NOT NULL,
  sheet                  VARCHAR NOT NULL,
  source_row             INTEGER NOT NULL,
  fiscal_year            INTEGER,
  data_as_of             DATE,
  name                   VARCHAR,
  address                VARCHAR,
  city                   VARCHAR,
  state                  VARCHAR,
  state_postal           VARCHAR,
  zip                    VARCHAR,
  aor                    VARCHAR,
  facility_type          VARCHAR,             -- Type Detailed when the sheet has no Type
  facility_type_detailed VARCHAR,
  measures               VARCHAR NOT NULL,    -- JSON: ALOS, ADP by classification level, criminality, threat level, …
  attributes             VARCHAR NOT NULL,    -- JSON: Male/Female, inspection type, standard, rating, date, …
  redacted_fields        VARCHAR
);

-- Every value of every other table of a detention-statistics workbook, long format.
CREATE TABLE detention_stat_cells (
  release_id             VARCHAR NOT NULL,
  file_id                VARCHAR NOT NULL,
  sheet                  VARCHAR NOT NULL,
  fiscal_year            INTEGER,             -- the sheet's (ATD EOFY23 → 2023), else the workbook's
  table_index            INTEGER NOT NULL,    -- 0-based, in reading order within the sheet
  table_title            VARCHAR,
  row_header             VARCHAR,             -- header of the label column(s): "Agency", "Release Reason / Criminality"
  row_group              VARCHAR,             -- upper label, heading row, or inferred group ("CBP Average")
  row_label              VARCHAR,
  column_label           VARCHAR,             -- header rows joined with " / " ("2023 / January / mid")
  value_number           DOUBLE,
  value_text             VARCHAR,             -- the text of a text cell ("(b)(4)", a facility code, …)
  source_row             INTEGER NOT NULL,    -- 1-based
  source_col             INTEGER NOT NULL     -- 1-based
);

-- Text of either kind of file that is not data: notes sheets, titles, captions, footnotes, totals rows.
CREATE TABLE facility_source_notes (
  release_id             VARCHAR NOT NULL,
  file_id                VARCHAR NOT NULL,
  sheet                  VARCHAR NOT NULL,
  source_row             INTEGER NOT NULL,
  source_col             INTEGER,             -- 1-based; NULL for a whole row's text
  kind                   VARCHAR NOT NULL,    -- note | title | caption | footnote | totals
  table_index            INTEGER,             -- detention statistics: the table a title or footnote belongs to
  text                   VARCHAR NOT NULL
);
