/**
 * policy: detainer policies over time, from the reviewed files in `reference/policies/`.
 *
 * Does:
 * - load and validate the per-jurisdiction YAML files (`loadPolicies`), each entry carrying its
 *   citation, sources, confidence and the research-table row it came from;
 * - say which policy is in force for a place on a date and for a custody (local jail, state prison,
 *   federal facility), with scopes, state -> county -> city precedence, state preemption,
 *   injunctions and unified-system states (`policyAt`); undated and context entries never decide;
 *   describe that as plain data (`describePolicy`);
 * - list a place's policy changes in date order with succession per scope (`policyTimeline`) and
 *   all jurisdictions;
 * - parse place keys (`state:MA`, `Massachusetts`, `county:25025`, `city:MA:boston`);
 * - load official designation lists kept apart from policies (`loadDesignations`).
 *
 * Does not:
 * - read the clock (dates are arguments), write files, open the store or fetch anything;
 * - read the research table in `../shared/policy-research/` (input to the reviewed files only);
 * - judge or label jurisdictions: it reports coded values and their citations only;
 * - treat designations (e.g. the DOJ list of 2025-08-05) as policies.
 *
 * Inputs: `reference/policies/*.yaml` (+ `schema.json`), `reference/designations/*.csv`, a place
 * and an ISO date. Outputs: plain objects (`PolicySet`, `PolicyResult`, `PolicyDescription`,
 * `TimelineItem[]`, `Designation[]`). Errors are `HandoffError` ('invalid_reference' for bad files,
 * 'bad_argument' for a bad place or date, 'not_found' for a missing folder). Rules: DESIGN.md.
 */
export type {
  Confidence,
  DecisionScope,
  HonorsDetainers,
  Jurisdiction,
  JurisdictionLevel,
  LoadedPolicyEntry,
  Model287g,
  PolicyEntry,
  PolicyFile,
  PolicyKind,
  PolicyScope,
  PolicySet,
  RegimeCode,
  ReleaseNotification,
} from './types.ts';
export {
  DECISION_SCOPES,
  HONORS_DETAINERS_VALUES,
  JURISDICTION_LEVELS,
  POLICY_KINDS,
  POLICY_SCOPES,
  REGIME_CODES,
  RELEASE_NOTIFICATION_VALUES,
} from './types.ts';
export {
  DEFAULT_POLICIES_DIR,
  POLICY_SCHEMA_PATH,
  loadPolicies,
  parsePolicySources,
  type PolicySourceFile,
} from './load-policies.ts';
export {
  inForceStatus,
  isContextOnly,
  listJurisdictions,
  policyAt,
  policyTimeline,
  type ConsideredEntry,
  type EntryRole,
  type InForceStatus,
  type JurisdictionSummary,
  type PolicyAtOptions,
  type PolicyCitation,
  type PolicyResult,
  type Regime,
  type RoleReason,
  type Succession,
  type TimelineItem,
} from './evaluate-policy.ts';
export { facilityScope, type FacilityScopeBasis } from './facility-scope.ts';
export {
  describePolicy,
  successionNote,
  type DescribedEntry,
  type DescribedRow,
  type PolicyDescription,
} from './describe-policy.ts';
export {
  jurisdictionId,
  normalizePlace,
  parsePlaceKey,
  recordPlace,
  policyFileName,
  slugify,
  type Place,
  type PlaceKey,
} from './places.ts';
export { DEFAULT_DESIGNATIONS_FILE, loadDesignations, type Designation } from './load-designations.ts';
export { policyPeriods, type PolicyPeriod } from './policy-periods.ts';
export { isIsoDate } from './dates.ts';
