/**
 * link/lifecycle: what happened after each immigration detainer, as far as one release shows.
 *
 * Does:
 * - join, within one release, each detainer row to the same person's ICE detention stays, arrests
 *   and removals, and write `detainer_lifecycle` (outcome class and basis, place, offense, the stay
 *   after a handoff, the next arrest and its setting, removal), `person_events`, `link_exclusions`,
 *   `lifecycle_quality` and `lifecycle_runs` (migration 003); a removal from the removals table or
 *   from the detainer row's own "Departed Date";
 * - map lift reasons and apprehension methods through the hand-kept tables in reference/link/;
 * - report lift-reason values the table does not know.
 *
 * Does not:
 * - link across releases (ICE issues new identifiers per release);
 * - delete or re-flag duplicates (store/flags.ts decides; this module reads the flags);
 * - compute published metrics or expose row-level person timelines (`person_events` is internal).
 *
 * Inputs: a writable `Store` holding ingested family tables. Outputs: the tables above and a
 * `LifecycleSummary` per release. Rules, windows and blind spots: ../DESIGN.md.
 */
export {
  ARREST_STAY_WINDOW,
  BOOK_IN_SENSITIVITY_DAYS,
  BOOK_IN_WINDOW_DAYS,
  FOLLOW_UP_DAYS,
  FOLLOW_UP_WINDOWS,
  NEAR_CUTOFF_DAYS,
  buildLifecycles,
} from './build-lifecycles.ts';
export type { BuildLifecyclesOptions, BuildLifecyclesResult, LifecycleSummary } from './build-lifecycles.ts';
export {
  ARREST_SETTINGS,
  DETAINER_TYPE_CLASSES,
  OUTCOME_CLASSES,
  classifyLiftReason,
  detainerTypeClass,
  detainerTypeClassSql,
  loadApprehensionMethods,
  loadLiftReasons,
  vocabularyKey,
  vocabularyKeySql,
} from './vocabularies.ts';
export type {
  ApprehensionMethodMapping,
  ArrestSetting,
  DetainerTypeClass,
  LiftReasonMapping,
  OutcomeClass,
} from './vocabularies.ts';
export { listUnmappedLiftReasons, readLifecycleQuality } from './report.ts';
export type { LifecycleQualityRow, UnmappedLiftReason } from './report.ts';
