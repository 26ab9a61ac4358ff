-- Releases and the files they came from: every stored row points back here.

-- A release is one FOIA production: the files ingested together (or joined with --release).
CREATE TABLE releases (
  release_id   VARCHAR PRIMARY KEY,      -- 'r_' + 16 hex of SHA-256 over the sorted file hashes of its first ingest
  label        VARCHAR NOT NULL,         -- human name, e.g. the FOIA request number, or given with --release
  synthetic    BOOLEAN NOT NULL,         -- true for generated demo data: every output that uses it says so
  created_at   TIMESTAMP NOT NULL,
  note         VARCHAR
);

-- One row per ingested file, keyed by content: the same bytes again are recognised and skipped.
CREATE TABLE source_files (
  file_id      VARCHAR PRIMARY KEY,      -- SHA-256 of the file's bytes
  release_id   VARCHAR NOT NULL REFERENCES releases (release_id),
  file_name    VARCHAR NOT NULL,
  bytes        BIGINT NOT NULL,
  format       VARCHAR NOT NULL,         -- xlsx | csv
  loaded_at    TIMESTAMP NOT NULL,
  rows_loaded  BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  metadata     VARCHAR                   -- JSON: preamble text, skipped sheets, reader settings
);

-- One row per sheet read: its family, header row and preamble.
CREATE TABLE source_sheets (
  file_id      VARCHAR NOT NULL REFERENCES source_files (file_id),
  sheet        VARCHAR NOT NULL,
  family       VARCHAR NOT NULL,
  header_row   INTEGER NOT NULL,
  rows_loaded  BIGINT NOT NULL,
  preamble     VARCHAR,                  -- the rows above the header, one per line
  PRIMARY KEY (file_id, sheet)
);

-- Every header cell of every sheet and what it mapped to; unknown columns are kept in `extra`.
CREATE TABLE source_columns (
  file_id      VARCHAR NOT NULL REFERENCES source_files (file_id),
  sheet        VARCHAR NOT NULL,
  position     INTEGER NOT NULL,         -- 1-based column number
  header       VARCHAR NOT NULL,
  family       VARCHAR NOT NULL,
  column_name  VARCHAR,                  -- canonical column, NULL when unknown
  PRIMARY KEY (file_id, sheet, position)
);

-- Per file and canonical column: how many values were filled, redacted or could not be parsed.
CREATE TABLE column_quality (
  file_id      VARCHAR NOT NULL REFERENCES source_files (file_id),
  family       VARCHAR NOT NULL,
  column_name  VARCHAR NOT NULL,
  rows_read    BIGINT NOT NULL,
  filled       BIGINT NOT NULL,          -- non-blank cells as read
  redacted     BIGINT NOT NULL,          -- FOIA redaction markers such as "b(6), b(7)c", stored as NULL
  unparseable  BIGINT NOT NULL,          -- values the column's type could not read, stored as NULL
  examples     VARCHAR,                  -- JSON array of up to 5 unparseable values
  PRIMARY KEY (file_id, column_name)
);

-- Rows that are not data (a repeated header, a lone note), kept with the reason.
CREATE TABLE ingest_rejects (
  file_id      VARCHAR NOT NULL REFERENCES source_files (file_id),
  sheet        VARCHAR NOT NULL,
  source_row   INTEGER NOT NULL,
  reason       VARCHAR NOT NULL,
  raw          VARCHAR
);
