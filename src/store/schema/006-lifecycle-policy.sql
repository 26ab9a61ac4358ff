-- The detainer policy in force where and when each detainer was prepared, and on its lift date.
-- Derived from reference/policies by the pipeline (src/pipeline/assign-policies.ts).
CREATE TABLE policy_periods (
  release_id   VARCHAR NOT NULL,
  state_postal VARCHAR NOT NULL,
  county_fips  VARCHAR,                -- NULL: the state-level place of detainers whose county is unknown
  valid_from   DATE NOT NULL,
  valid_to     DATE,                   -- exclusive; NULL = open-ended
  regime       VARCHAR NOT NULL,       -- yes | no | judicial_warrant_only | mandatory | unclear | no_data
  entry_id     VARCHAR,                -- the deciding entry in reference/policies
  citation     VARCHAR,
  date_unknown BOOLEAN NOT NULL        -- the deciding entry's dates are inexact
);
ALTER TABLE detainer_lifecycle ADD COLUMN policy_regime_at_prepare VARCHAR;
ALTER TABLE detainer_lifecycle ADD COLUMN policy_entry_at_prepare VARCHAR;
ALTER TABLE detainer_lifecycle ADD COLUMN policy_regime_at_lift VARCHAR;
ALTER TABLE detainer_lifecycle ADD COLUMN policy_entry_at_lift VARCHAR;
