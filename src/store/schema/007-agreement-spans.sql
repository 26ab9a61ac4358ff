-- First and last appearance of each agency in a dated series of ICE 287(g) sheets (e.g. the daily
-- snapshots of May-July 2025), one row per agency and model.
CREATE TABLE agreement_287g_spans (
  release_id        VARCHAR NOT NULL,
  file_id           VARCHAR NOT NULL,
  state             VARCHAR NOT NULL,
  agency            VARCHAR NOT NULL,
  agency_id         VARCHAR,
  support_type      VARCHAR NOT NULL,
  first_seen        DATE NOT NULL,
  last_seen         DATE NOT NULL,
  snapshots_present INTEGER NOT NULL,
  snapshots_in_span INTEGER NOT NULL,
  in_latest         BOOLEAN NOT NULL
);
