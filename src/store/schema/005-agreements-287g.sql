-- ICE's 287(g) participating and pending agency sheets, one row per agreement per sheet (snapshot).
ALTER TABLE releases ADD COLUMN kind VARCHAR DEFAULT 'ice_release';  -- ice_release | agreements_287g

CREATE TABLE agreements_287g (
  release_id         VARCHAR NOT NULL,
  file_id            VARCHAR NOT NULL,
  source_file        VARCHAR NOT NULL,
  sheet              VARCHAR NOT NULL,
  source_row         INTEGER NOT NULL,
  snapshot_date      DATE NOT NULL,       -- the date of ICE's sheet (from its file name)
  status             VARCHAR NOT NULL,    -- participating | pending
  state              VARCHAR NOT NULL,
  state_postal       VARCHAR NOT NULL,
  agency             VARCHAR NOT NULL,
  agency_type        VARCHAR,
  county_name        VARCHAR,
  county_fips        VARCHAR,
  county_fips_method VARCHAR,            -- county_column | agency_name | NULL when not resolved
  support_type       VARCHAR NOT NULL,    -- jail_enforcement | warrant_service_officer | task_force
  support_type_raw   VARCHAR NOT NULL,
  signed_date        DATE,
  moa_text           VARCHAR,
  moa_url            VARCHAR,
  addendum           VARCHAR
);
