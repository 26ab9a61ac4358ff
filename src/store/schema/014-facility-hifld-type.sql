-- The HIFLD facility TYPE of the facility a detainer names (issue 16, item 2: the facility's type, from
-- HIFLD where ICE's own Detainer_Facility_Type column is missing, chooses the policy scope).
--
-- detainer_lifecycle.facility_hifld_type: TYPE of the HIFLD record (reference/facilities/hifld-jails.csv:
-- STATE, FEDERAL, COUNTY, LOCAL, MULTI, SHERIFF'S OFFICE) whose every word equals the facility's
-- name after normalization (src/link/facilities, exact_name_* rules), when those records agree; NULL for
-- a fuzzy match, a match on distinctive words only, another rule, or no match. Lifecycles built
-- before this migration read NULL until rebuilt.
-- policy_facility_scopes.hifld_type: the same, as one more key of the scope decision it records; its
-- scope_basis reads 'hifld_type' when that TYPE chose the scope (ICE's own type column still comes first).
ALTER TABLE detainer_lifecycle ADD COLUMN facility_hifld_type VARCHAR;
ALTER TABLE policy_facility_scopes ADD COLUMN hifld_type VARCHAR;
