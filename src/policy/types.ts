/**
 * Types for the reviewed detainer-policy files in `reference/policies/*.yaml`.
 *
 * Field names mirror the YAML keys (snake_case) so that a file, its JSON Schema and these types can
 * be read side by side. See `DESIGN.md` for what each coded value means.
 */

/** Level of government a jurisdiction belongs to. DC is coded as a state, as in the research table. */
export type JurisdictionLevel = 'state' | 'county' | 'city';

/** The levels from least to most local. */
export const JURISDICTION_LEVELS: readonly JurisdictionLevel[] = ['state', 'county', 'city'];

/** How a jurisdiction answers ICE detainers, as coded in the research table (see DESIGN.md). */
export type HonorsDetainers = 'yes' | 'no' | 'judicial_warrant_only' | 'mandatory' | 'unclear';

/** All values of {@link HonorsDetainers}. */
export const HONORS_DETAINERS_VALUES: readonly HonorsDetainers[] = [
  'yes',
  'no',
  'judicial_warrant_only',
  'mandatory',
  'unclear',
];

/**
 * Release-notification coding, kept in the research table's own words: `allowed`, `prohibited`,
 * `required`, `unclear`. `allowed` is also used where state law bars local limits on sharing.
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
  /** Name as the research table writes it, without the trailing state (`Travis County`). */
  name: string;
  /** Postal code of the state the jurisdiction lies in. */
  state: string;
  /** State FIPS (2 digits) for a state, county FIPS (5 digits) for a county, null for a city. */
  fips: string | null;
  /** Census place code (7 digits) of a city, when the research table gives it. */
  place_fips?: string | null;
  /** County FIPS of a city, only when the research table gives it (consolidated city-counties). */
  county_fips?: string | null;
  /** True when the research table says the city is a consolidated city-county. */
  consolidated_city_county?: boolean;
}

/** One policy or policy change, carried from one row of the research table. */
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
  /** The research table's note on the date (verbatim), or null. */
  effective_date_note: string | null;
  /** ISO date from which the entry no longer applies (exclusive), or null. */
  end_date: string | null;
  /** `YYYY` or `YYYY-MM` when the end is only known to the year or month. */
  end_date_approx: string | null;
  /** Why the entry ends (succession rule or the research row's own words), or null. */
  end_date_note: string | null;
  /** Id of a state entry that, per the research row, overrides this local entry; or null. */
  preempted_by: string | null;
  /** 1-based line of the row in `policies.csv` (the header is line 1). */
  research_row: number;
}

/** The content of one `reference/policies/<file>.yaml`. */
export interface PolicyFile {
  jurisdiction: Jurisdiction;
  entries: PolicyEntry[];
}

/** A policy entry together with the jurisdiction and file it came from. */
export interface LoadedPolicyEntry extends PolicyEntry {
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
