-- Column quality is per file, family and column: a workbook with sheets of two families (detainers
-- and encounters) has a column of the same name in both (final_program, ...), which the old key
-- (file_id, column_name) refused. DuckDB cannot change a primary key in place: the table is rebuilt.
CREATE TABLE column_quality_next (
  file_id      VARCHAR NOT NULL REFERENCES source_files (file_id),
  family       VARCHAR NOT NULL,
  column_name  VARCHAR NOT NULL,
  rows_read    BIGINT NOT NULL,
  filled       BIGINT NOT NULL,          -- non-blank cells as read
  redacted     BIGINT NOT NULL,          -- FOIA redaction markers such as "b(6), b(7)c", stored as NULL
  unparseable  BIGINT NOT NULL,          -- values the column's type could not read, stored as NULL
  examples     VARCHAR,                  -- JSON array of up to 5 unparseable values
  PRIMARY KEY (file_id, family, column_name)
);
INSERT INTO column_quality_next SELECT file_id, family, column_name, rows_read, filled, redacted, unparseable, examples FROM column_quality;
DROP TABLE column_quality;
ALTER TABLE column_quality_next RENAME TO column_quality;
