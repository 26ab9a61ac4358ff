-- Detainer lifecycles (issue 4): written by src/link/lifecycle/build-lifecycles.ts, one release at a
-- time (delete + rebuild in a transaction). Rules, windows and vocabularies: src/link/DESIGN.md.
-- Identifiers link rows only within one release: every join below the builder is on (release_id, person_id).

-- One row per detainer row that is not a flagged duplicate (rows without an identifier included,
-- with link_status = 'no_identifier' and nothing linked).
CREATE TABLE detainer_lifecycle (
  release_id            VARCHAR NOT NULL,
  file_id               VARCHAR NOT NULL,      -- provenance of the detainer row
  sheet                 VARCHAR NOT NULL,
  source_row            INTEGER NOT NULL,
  person_id             VARCHAR,               -- NULL when the row has no identifier
  link_status           VARCHAR NOT NULL,      -- linked | no_identifier | no_prepare_date
  episode_no            INTEGER,               -- DDP episode of the person (store/flags.ts)
  duplicate_rows        INTEGER NOT NULL,      -- flagged duplicate rows folded into this one
  prepare_date          DATE,
  fiscal_year           INTEGER,               -- federal FY of the prepare date
  detainer_type         VARCHAR,
  facility_name         VARCHAR,
  facility_code         VARCHAR,
  facility_city         VARCHAR,
  facility_state        VARCHAR,               -- as ICE wrote it (upper-case full name)
  state_postal          VARCHAR,
  state_fips            VARCHAR,
  county_fips           VARCHAR,               -- NULL unless the facility was placed in a county
  place_method          VARCHAR NOT NULL,      -- a facility match method | facility_state_fallback | unplaced
  place_score           DOUBLE,
  place_unmatched_reason VARCHAR,              -- why the facility matcher found no county
  facility_aor          VARCHAR,
  aor_code              VARCHAR,
  criminality           VARCHAR,
  msc_charge            VARCHAR,
  msc_charge_code       VARCHAR,
  offense_category      VARCHAR,               -- src/offense crosswalk of (msc_charge, msc_charge_code)
  lift_reason           VARCHAR,
  lift_reason_group     VARCHAR,               -- group from reference/link/lift-reasons.csv; 'blank' | 'unmapped'
  lift_reason_unmapped  BOOLEAN NOT NULL,
  lift_date             DATE,                  -- "Detainer Lift Date" where the release has it
  outcome_class         VARCHAR NOT NULL,      -- transferred_to_ice | declined | lifted_by_ice | released_other | open_or_unknown
  outcome_basis         VARCHAR NOT NULL,      -- lift_reason | linked_book_in | no_lift_reason | lift_reason_unmapped
  near_cutoff           BOOLEAN NOT NULL,      -- blank lift reason and prepared within the near-cut-off window
  days_before_cutoff    INTEGER,
  next_episode_date     DATE,                  -- first prepare date of the person's next detainer episode
  -- The ICE detention stay that followed the detainer (transferred_to_ice only).
  stay_book_in          TIMESTAMP,
  stay_book_out         TIMESTAMP,
  stay_release_reason   VARCHAR,
  days_to_book_in       INTEGER,
  stay_arrest_method    VARCHAR,               -- the arrest linked to that stay (DDP window), if any
  stay_arrest_setting   VARCHAR,
  -- The person's next ICE arrest on or after the prepare date (every outcome but transferred_to_ice).
  arrest_date           TIMESTAMP,
  arrest_method         VARCHAR,
  arrest_setting        VARCHAR,               -- custodial | community | other | unknown
  days_to_arrest        INTEGER,
  arrest_before_next_episode BOOLEAN,
  arrest_file_id        VARCHAR,
  arrest_sheet          VARCHAR,
  arrest_source_row     INTEGER,
  arrest_stay_book_in   TIMESTAMP,             -- the stay linked to that arrest (DDP window), if any
  arrest_stay_book_out  TIMESTAMP,
  -- First removal on or after the prepare date (every outcome).
  removal_date          DATE,
  removal_country       VARCHAR,
  days_to_removal       INTEGER
);

-- Every linked event of each person with a detainer, in date order. For tests and internal checks
-- only: row-level, never served by the public API (DESIGN.md, "person_events").
CREATE TABLE person_events (
  release_id   VARCHAR NOT NULL,
  person_id    VARCHAR NOT NULL,
  event_seq    INTEGER NOT NULL,               -- 1.. in date order per person
  event_date   TIMESTAMP NOT NULL,
  event_type   VARCHAR NOT NULL,               -- detainer | arrest | encounter | stay_book_in | stay_book_out | removal
  detail       VARCHAR,
  source_table VARCHAR NOT NULL,
  file_id      VARCHAR NOT NULL,
  sheet        VARCHAR NOT NULL,
  source_row   INTEGER NOT NULL
);

-- Rows left out of linking, by table, reason and fiscal year of the row's own date.
CREATE TABLE link_exclusions (
  release_id   VARCHAR NOT NULL,
  table_name   VARCHAR NOT NULL,
  reason       VARCHAR NOT NULL,               -- no_identifier | flagged_duplicate | superseded_stint | no_date
  fiscal_year  INTEGER,                        -- NULL when the row has no date
  rows         BIGINT NOT NULL
);

-- Completeness of the lifecycles, per release and facility state ('ALL' = the whole release).
CREATE TABLE lifecycle_quality (
  release_id            VARCHAR NOT NULL,
  state_postal          VARCHAR NOT NULL,      -- postal code, 'UNKNOWN', or 'ALL'
  detainers             BIGINT NOT NULL,
  no_identifier         BIGINT NOT NULL,
  blank_lift_reason     BIGINT NOT NULL,
  blank_lift_reason_share DOUBLE,
  unmapped_lift_reason  BIGINT NOT NULL,
  near_cutoff           BIGINT NOT NULL,
  near_cutoff_share     DOUBLE,
  inferred_transfers    BIGINT NOT NULL,       -- transferred_to_ice on the linked_book_in basis
  county_placed         BIGINT NOT NULL,
  transferred_to_ice    BIGINT NOT NULL,
  declined              BIGINT NOT NULL,
  lifted_by_ice         BIGINT NOT NULL,
  released_other        BIGINT NOT NULL,
  open_or_unknown       BIGINT NOT NULL
);

-- One row per release: when and with which parameters the lifecycles were last built.
CREATE TABLE lifecycle_runs (
  release_id   VARCHAR NOT NULL,
  built_at     TIMESTAMP,                      -- the caller's clock; NULL when none was given
  cutoff_date  DATE,                           -- latest event date seen in the release
  parameters   VARCHAR NOT NULL,               -- JSON: windows and vocabulary sizes
  summary      VARCHAR NOT NULL                -- JSON: the LifecycleSummary returned
);
