/**
 * Types for the reviewed detainer-policy files in `reference/policies/*.yaml`.
 *
 * Field names mirror the YAML keys (snake_case) so that a file, its JSON Schema and these types can
 * be read side by side. See `DESIGN.md` for what each coded value means.
 */

/** Level of government a jurisdiction belongs to. DC is coded as a state. */
export type JurisdictionLevel = 'state' | 'county' | 'city';

/** The levels from least to most local. */
export const JURISDICTION_LEVELS: readonly JurisdictionLevel[] = ['state', 'county', 'city'];

/**
 * What an entry's law does to a civil immigration detainer (see DESIGN.md, "Vocabulary"):
 * - `hold_required`: each detainer must be honoured (a per-detainer duty to hold);
 * - `no_local_limits`: local policies that restrict or condition cooperation are banned, without a
 *   per-detainer duty to hold;
 * - `holds_allowed`: holds are made and no rule restricts them (e.g. a sheriff's order to honour all);
 * - `holds_conditional`: holds only for listed offences or documents (e.g. a removal order);
 * - `judicial_warrant_only`: holds only with a judge-signed warrant or order (maybe plus an offence);
 * - `no_holds`: no holds on a civil detainer (narrow exceptions are in the summary);
 * - `unclear`: no rule found in the sources; it does not mean "no law";
 * - `context`: the entry sets no detainer rule of its own (a 287(g) agreement, a reporting or
 *   notice law, an injunction); it is listed with the result but never decides it.
 */
export type HonorsDetainers =
  | 'hold_required'
  | 'no_local_limits'
  | 'holds_allowed'
  | 'holds_conditional'
  | 'judicial_warrant_only'
  | 'no_holds'
  | 'unclear'
  | 'context';

/** All values of {@link HonorsDetainers}. */
export const HONORS_DETAINERS_VALUES: readonly HonorsDetainers[] = [
  'hold_required',
  'no_local_limits',
  'holds_allowed',
  'holds_conditional',
  'judicial_warrant_only',
  'no_holds',
  'unclear',
  'context',
];

/** The coded values that can decide a result (every value but `context`). */
export type RegimeCode = Exclude<HonorsDetainers, 'context'>;

/** All values of {@link RegimeCode}, from the most to the least cooperative. */
export const REGIME_CODES: readonly RegimeCode[] = [
  'hold_required',
  'no_local_limits',
  'holds_allowed',
  'holds_conditional',
  'judicial_warrant_only',
  'no_holds',
  'unclear',
];

/**
 * Whom an entry binds. `all_state_agencies` covers every state executive agency (so also the state
 * prisons); `county_jails` covers every locally run jail (a sheriff's, a county's or a city's).
 */
export type PolicyScope = 'courts' | 'police' | 'county_jails' | 'state_prisons' | 'all_state_agencies';

/** All values of {@link PolicyScope}. */
export const POLICY_SCOPES: readonly PolicyScope[] = ['courts', 'police', 'county_jails', 'state_prisons', 'all_state_agencies'];

/**
 * The custody a detainer was lodged with, which chooses the scope that decides: a local jail
 * (`county_jails`, the default when the facility type is unknown), a state prison, or a federal
 * facility (BOP, USMS, ICE), where no state or local rule decides.
 */
export type DecisionScope = 'county_jails' | 'state_prisons' | 'federal';

/** All values of {@link DecisionScope}. */
export const DECISION_SCOPES: readonly DecisionScope[] = ['county_jails', 'state_prisons', 'federal'];

/** What kind of instrument an entry is. */
export type PolicyKind =
  | 'statute'
  | 'ordinance'
  | 'ruling'
  | 'consent_judgment'
  | 'injunction'
  | 'executive_order'
  | 'directive'
  | 'agency_policy'
  | 'agreement_287g'
  | 'none_found'
  | 'other';

/** All values of {@link PolicyKind}. */
export const POLICY_KINDS: readonly PolicyKind[] = [
  'statute',
  'ordinance',
  'ruling',
  'consent_judgment',
  'injunction',
  'executive_order',
  'directive',
  'agency_policy',
  'agreement_287g',
  'none_found',
  'other',
];

/** The 287(g) model of an agreement entry. */
export type Model287g = 'jail_enforcement' | 'warrant_service_officer' | 'task_force' | 'unknown';

/**
 * Release-notification coding: `allowed`, `prohibited`, `required`, `unclear`. `allowed` is also
 * used where state law bars local limits on sharing.
 */
export type ReleaseNotification = 'allowed' | 'prohibited' | 'required' | 'unclear';

/** All values of {@link ReleaseNotification}. */
export const RELEASE_NOTIFICATION_VALUES: readonly ReleaseNotification[] = [
  'allowed',
  'prohibited',
  'required',
  'unclear',
];

/** Reviewer confidence in an entry. `low` rows are mostly "none found" placeholders. */
export type Confidence = 'high' | 'medium' | 'low';

/** A state, county or city that has policy entries. */
export interface Jurisdiction {
  /** `state:MA`, `county:48453` or `city:MA:boston`. */
  id: string;
  level: JurisdictionLevel;
  /** Name without the trailing state (`Travis County`). */
  name: string;
  /** Postal code of the state the jurisdiction lies in. */
  state: string;
  /** State FIPS (2 digits) for a state, county FIPS (5 digits) for a county, null for a city. */
  fips: string | null;
  /** Census place code (7 digits) of a city, when known. */
  place_fips?: string | null;
  /** County FIPS of a consolidated city-county. */
  county_fips?: string | null;
  /** True for a consolidated city-county. */
  consolidated_city_county?: boolean;
  /** Counties whose jails a city runs (New York City: the five boroughs). */
  covers_counties?: string[];
  /** A state whose department of correction runs every jail (AK, CT, DE, HI, RI, VT). */
  unified_jail_system?: boolean;
  /** Source for `unified_jail_system`. */
  unified_jail_system_source?: string;
}

/**
 * One policy, policy change, ruling, injunction or agreement, as it appears in a file. Fields added
 * in the 2026 review are optional here so that older tools can still build the type; the loader
 * fills the defaults (see {@link LoadedPolicyEntry}) and the JSON Schema requires them in the files.
 */
export interface PolicyEntry {
  /** Unique across all files, e.g. `ma-2017-lunn-v-commonwealth`. */
  id: string;
  honors_detainers: HonorsDetainers;
  release_notification: ReleaseNotification;
  /** Whether ICE may enter the jail; null unless a cited source says so. */
  ice_jail_access: string | null;
  summary: string;
  citation: string;
  /** URLs or repository paths; empty when the research row had "none found". */
  sources: string[];
  confidence: Confidence;
  /** ISO date the entry takes effect; null when the sources give no exact day. */
  effective_date: string | null;
  /** `YYYY` or `YYYY-MM` when only the year or month is known (effective_date is then null). */
  effective_date_approx: string | null;
  /** Note on the date (what it is: signed, decided, effective; or why it is inexact), or null. */
  effective_date_note: string | null;
  /**
   * What `effective_date` is: the day it took `effective`, or only the day it was `signed`, `enacted`,
   * `decided` (a ruling) or `issued` (an order or policy), when the sources give no later effective day.
   */
  effective_date_basis?: 'effective' | 'signed' | 'enacted' | 'decided' | 'issued' | null;
  /** ISO date from which the entry no longer applies (exclusive): a repeal, rescission, termination. */
  end_date: string | null;
  /** `YYYY` or `YYYY-MM` when the end is only known to the year or month. */
  end_date_approx: string | null;
  /** Why the entry ends, or null. Never a succession note: succession is computed, per scope. */
  end_date_note: string | null;
  /** Id of a state entry that, per the sources, overrides this local entry; or null. */
  preempted_by: string | null;
  /** 1-based line of the row in the research table `policies.csv` it came from; null for new entries. */
  research_row: number | null;
  /** Whom the entry binds. */
  scope?: PolicyScope[];
  /** The kind of instrument. */
  kind?: PolicyKind;
  /** True when the citation names the instrument itself (statute, session law, ruling, numbered order). */
  primary_citation?: boolean;
  /** For an injunction: the ids of the entries it suspends while in force. */
  enjoins?: string[];
  /** A federal court order that protects this local entry from state preemption (its citation). */
  preemption_blocked_by?: string | null;
  /** For a 287(g) agreement: its model. */
  agreement_287g?: Model287g | null;
  /** What the 2026 review verified or changed, with the source it relied on. */
  review_note?: string | null;
}

/** The content of one `reference/policies/<file>.yaml`. */
export interface PolicyFile {
  jurisdiction: Jurisdiction;
  entries: PolicyEntry[];
}

/** A policy entry with every field filled, together with the jurisdiction and file it came from. */
export interface LoadedPolicyEntry extends PolicyEntry {
  scope: PolicyScope[];
  kind: PolicyKind;
  primary_citation: boolean;
  effective_date_basis: 'effective' | 'signed' | 'enacted' | 'decided' | 'issued' | null;
  enjoins: string[];
  preemption_blocked_by: string | null;
  agreement_287g: Model287g | null;
  review_note: string | null;
  jurisdiction: Jurisdiction;
  /** File name (no directory) the entry was read from. */
  file: string;
}

/** Every policy file, validated and indexed. Build it with `loadPolicies()`. */
export interface PolicySet {
  /** Jurisdictions ordered state, county, city, then by id. */
  jurisdictions: Jurisdiction[];
  /** All entries, in file order. */
  entries: LoadedPolicyEntry[];
  /** Entries by id. */
  byId: ReadonlyMap<string, LoadedPolicyEntry>;
  /** Entries by jurisdiction id, in file order (by date). */
  byJurisdiction: ReadonlyMap<string, LoadedPolicyEntry[]>;
}
