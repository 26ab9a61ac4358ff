/**
 * link: record linkage inside one ICE release.
 *
 * Does:
 * - place the facility a detainer names in a county (`./facilities`: HIFLD matching, overrides);
 * - build detainer lifecycles (`./lifecycle`): each detainer joined to the same person's ICE stays,
 *   arrests and removals within the release, with an outcome class and the basis for it.
 *
 * Does not:
 * - read files (ingest does) or decide duplicates (store/flags.ts does);
 * - link identifiers across releases: ICE assigns new ones in each release;
 * - compute the published metrics (src/metrics) or serve row-level timelines.
 *
 * Inputs: facility records and reference tables; a writable Store for the lifecycle builder.
 * Outputs: match results and the lifecycle tables of migration 003. Narrative: DESIGN.md here and
 * facilities/DESIGN.md.
 */
export * from './facilities/index.ts';
export * from './lifecycle/index.ts';
