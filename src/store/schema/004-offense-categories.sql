-- Offense category of the most serious conviction (src/offense, reference/offenses), derived after each
-- load. Criminality stays in its own column and is never merged into this one.
ALTER TABLE detainers ADD COLUMN offense_category VARCHAR;
ALTER TABLE detainers ADD COLUMN offense_basis VARCHAR;
ALTER TABLE detention_stints ADD COLUMN offense_category VARCHAR;
ALTER TABLE detention_stints ADD COLUMN offense_basis VARCHAR;
ALTER TABLE removals ADD COLUMN offense_category VARCHAR;
ALTER TABLE removals ADD COLUMN offense_basis VARCHAR;
