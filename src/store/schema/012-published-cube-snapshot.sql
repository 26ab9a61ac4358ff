-- The whole counted cube of each release and universe beside its protection (src/metrics/stored.ts:
-- slots, places, periods, counts and day values, deflated, base64), written by the pipeline at ingest
-- so that `serve` answers its first request without reading the records or counting them. NULL on
-- rows written before this migration; the server then counts the records itself.
ALTER TABLE published_cubes ADD COLUMN snapshot VARCHAR;
