-- The protection of each release's public figures (src/metrics/cube.ts), computed by the pipeline at
-- ingest (src/pipeline/write-protection.ts) so that the server reads it instead of computing it at
-- start. One row per release and universe. `withheld` holds the withheld cells of the publication
-- plan and their bounds (src/metrics/stored.ts: deflated, base64); `fingerprint` is of the cube's
-- cells and the protection's version, and a row whose fingerprint does not match the cube the server
-- builds is ignored (the server then computes the protection itself).
CREATE TABLE published_cubes (
  release_id  VARCHAR NOT NULL,
  universe    VARCHAR NOT NULL,   -- detainers | arrests
  fingerprint VARCHAR NOT NULL,
  built_at    TIMESTAMP NOT NULL,
  stats       VARCHAR NOT NULL,   -- JSON: rounds, primary, secondary, exposed, ms, zerosPublished
  withheld    VARCHAR NOT NULL
);
