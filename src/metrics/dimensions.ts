/**
 * The `by` dimensions of the publication cube. Every dimension is a function of one record (a
 * detainer or an ICE arrest) and splits its universe into a complete set of values, so that
 * "total = sum of the values" holds exactly. Some dimensions refine others (each value of the finer
 * one lies inside one value of the coarser one); the suppression engine is told every such identity,
 * because an identity it does not know about is one an attacker could difference across.
 */
import { VIOLENCE_DEFINITIONS, type ViolenceDefinitionId } from '../offense/index.ts';
import { ARREST_SETTINGS, FOLLOW_UP_WINDOWS, OUTCOME_CLASSES, type ArrestSetting, type OutcomeClass } from '../link/index.ts';

/** The record sets the cube counts. */
export type Universe = 'detainers' | 'arrests' | 'removals';

/** A universe's records in words. */
export const UNIVERSE_WORDS: Record<Universe, string> = { detainers: 'detainers', arrests: 'ICE arrests', removals: 'removals' };

/** Outcome classes of a detainer lifecycle, in reporting order (src/link). */
export const OUTCOMES = OUTCOME_CLASSES;
export type Outcome = OutcomeClass;

/** Outcomes after which the person was not handed to ICE by the jail. */
export const NON_TRANSFER_OUTCOMES: readonly Outcome[] = ['declined', 'lifted_by_ice', 'released_other'];

/** Arrest settings (reference/link/apprehension-methods.csv) plus `unknown` for unlisted methods (src/link). */
export const SETTINGS = ARREST_SETTINGS;
export type Setting = ArrestSetting;

/** What one record contributes, before dimensions are derived. Built by facts.ts. */
export interface BaseFact {
  /** ISO date that places the record in time (detainer prepare date; arrest date). */
  date: string;
  state: string | null;
  county: string | null;
  aor: string | null;
  facility: string | null;
  facility_name: string | null;
  criminality: string | null;
  offense_category: string | null;
  detainer_type: string | null;
  outcome: Outcome;
  lift_reason_blank: boolean;
  /** Group of the lift reason (reference/link/lift-reasons.csv: `us_citizen`, `declined_by_lea`, …); null when blank or unmapped. */
  lift_reason_group: string | null;
  /** A blank lift reason on a detainer prepared fewer than NEAR_CUTOFF_DAYS before the release's cut-off (src/link). */
  near_cutoff: boolean;
  has_identifier: boolean;
  /** Setting of the next ICE arrest on or after the detainer (null: none found). */
  later_arrest_setting: Setting | null;
  later_removal: boolean;
  days_to_outcome: number | null;
  days_to_later_arrest: number | null;
  /** Days from the prepare date to the first counted departure (null: none). */
  days_to_later_removal: number | null;
  /** Arrests only: the arrest's setting. */
  setting: Setting | null;
  /** Arrests only: a declined detainer for the same person, prepared on or before the arrest date. */
  after_declined_detainer: boolean;
  /**
   * Arrests only: the lifecycle outcome of the person's latest detainer prepared on or before the
   * arrest date (null: no such detainer in the release, or no identifier).
   */
  prior_detainer_outcome?: Outcome | null;
  /** Removals only: a detainer of the same person, prepared on or before the departure date, is in the release. */
  after_detainer?: boolean;
  /** Filled by the cube from the policy files. */
  regime?: string;
  /** Detainers: the lift date (`YYYY-MM-DD`) where the release has one. */
  lift_date?: string | null;
  /** Detainers with a lift date: the regime in force on it (the pipeline's, else the place's jail rule, as `regime`). */
  regime_at_lift?: string;
}

/** A value of a finer dimension and the value of a coarser one it lies inside. */
export interface ParentLink {
  dim: string;
  map: (value: string) => string;
}

export interface DimensionDef {
  id: string;
  universe: Universe;
  label: string;
  description: string;
  /** Values in reporting order; values found in the data but not listed are appended, sorted. */
  values: readonly string[];
  derive: (f: BaseFact) => string;
  /** Coarser dimensions this one refines (exact identities the suppression engine enforces). */
  parents?: ParentLink[];
  /** Days measures kept per cell for medians. */
  days?: keyof Pick<BaseFact, 'days_to_outcome' | 'days_to_later_arrest'>;
  /** Shown in docs as a `by` value users can ask for; internal dimensions only protect identities. */
  isPublic: boolean;
}

/** ICE's criminality labels ("1 Convicted Criminal", …) as stable keys. */
export const CRIMINALITY_VALUES = ['convicted_criminal', 'pending_criminal_charges', 'other_immigration_violator', 'other', 'unknown'] as const;

export function criminalityKey(raw: string | null): string {
  const text = (raw ?? '').trim().toLowerCase();
  if (text === '') return 'unknown';
  if (text.startsWith('1') || text.includes('convicted')) return 'convicted_criminal';
  if (text.startsWith('2') || text.includes('pending')) return 'pending_criminal_charges';
  if (text.startsWith('3') || text.includes('immigration violator')) return 'other_immigration_violator';
  return 'other';
}

function key(raw: string | null): string {
  const text = (raw ?? '').trim();
  return text === '' ? 'unknown' : text;
}

function violenceOf(def: ViolenceDefinitionId) {
  const set = new Set(VIOLENCE_DEFINITIONS[def].categories);
  return (category: string): string => (category === 'unknown' ? 'unknown' : set.has(category) ? def : `not_${def}`);
}

const ucr = violenceOf('violent_ucr');
const broad = violenceOf('violent_broad');
const ucrSet = new Set<string>(VIOLENCE_DEFINITIONS.violent_ucr.categories);
const broadSet = new Set<string>(VIOLENCE_DEFINITIONS.violent_broad.categories);

/**
 * The joint class of the two violent sets. `violent_ucr` ⊂ `violent_broad`, so "not violent (broad)"
 * lies inside "not violent (UCR)": both sets are coarsenings of this one dimension, and the engine
 * is told so — otherwise their difference (broad-only offenses) could be read off as a small count.
 */
function violenceClass(category: string): string {
  if (category === 'unknown') return 'unknown';
  if (ucrSet.has(category)) return 'violent_ucr';
  if (broadSet.has(category)) return 'violent_broad_only';
  return 'other_category';
}
const classToUcr = (c: string): string => (c === 'unknown' ? 'unknown' : c === 'violent_ucr' ? 'violent_ucr' : 'not_violent_ucr');
const classToBroad = (c: string): string => (c === 'unknown' ? 'unknown' : c === 'other_category' ? 'not_violent_broad' : 'violent_broad');
/** The values of `violence_class`. */
const VIOLENCE_CLASSES = ['violent_ucr', 'violent_broad_only', 'other_category', 'unknown'] as const;

/** The `violence_class` values inside one value of a violent set's breakdown (`not_violent_ucr` → broad-only and other). */
export function violenceClassesOf(def: 'violent_ucr' | 'violent_broad', value: string): string[] {
  const toSet = def === 'violent_ucr' ? classToUcr : classToBroad;
  return VIOLENCE_CLASSES.filter((c) => toSet(c) === value);
}

/** The part of a joint value before its bar (`outcome|rest` → outcome, `regime|outcome` → regime). */
const beforeBar = (v: string): string => v.slice(0, v.indexOf('|'));
/** The part of a joint value after its bar. */
const afterBar = (v: string): string => v.slice(v.indexOf('|') + 1);

/** Values of the removals' `detainer_link` dimension, in reporting order. */
export const REMOVAL_DETAINER_LINKS = ['after_detainer', 'no_detainer_found', 'no_identifier'] as const;

/** Values of the `regime` dimension (src/policy's vocabulary), and no_data when no dated entry decides. */
export const REGIME_VALUES = ['hold_required', 'no_local_limits', 'holds_allowed', 'holds_conditional', 'judicial_warrant_only', 'no_holds', 'unclear', 'no_data'] as const;
const regimeAtLift = (f: BaseFact): string => (f.lift_date ? (f.regime_at_lift ?? 'no_data') : 'no_lift_date');
const identifierPart = (v: string): string => (v.endsWith('|no_identifier') ? 'missing' : 'present');

/** Values of the arrests' `prior_detainer` dimension, in slot order. */
function priorDetainerValues(): string[] {
  return SETTINGS.flatMap((s) =>
    s === 'community'
      ? [
          'community|no_identifier',
          ...['declined_before', 'no_declined_before'].flatMap((d) => [...OUTCOMES.map((o) => `community|${d}|latest_${o}`), `community|${d}|no_detainer_found`]),
        ]
      : [`${s}|no_identifier`, `${s}|na`],
  );
}

/** The `arrest_link` value a `prior_detainer` value lies in. */
function priorDetainerLink(v: string): string {
  if (v.startsWith('community|declined_before|')) return 'community|after_declined_detainer';
  if (v.startsWith('community|no_declined_before|')) return 'community|no_declined_detainer_found';
  return v;
}

function laterArrestValues(): string[] {
  const out: string[] = [];
  for (const o of OUTCOMES) {
    out.push(`${o}|no_identifier`);
    if ((NON_TRANSFER_OUTCOMES as readonly string[]).includes(o)) {
      for (const s of ['community', 'custodial', 'other_or_unknown_setting', 'none']) out.push(`${o}|${s}`);
    } else out.push(`${o}|na`);
  }
  return out;
}

function laterRemovalValues(): string[] {
  const out: string[] = [];
  for (const o of OUTCOMES) {
    out.push(`${o}|no_identifier`);
    if ((NON_TRANSFER_OUTCOMES as readonly string[]).includes(o)) out.push(`${o}|removed`, `${o}|not_removed`);
    else out.push(`${o}|na`);
  }
  return out;
}

/**
 * The parts of the follow-up window, in days from the prepare date: `0_90d`, `91_180d`, `181_365d`
 * for windows of 90, 180 and 365 days. "Within w days" is the parts up to w.
 */
export const WINDOW_PARTS: readonly string[] = FOLLOW_UP_WINDOWS.map((w, i) => `${i === 0 ? 0 : FOLLOW_UP_WINDOWS[i - 1]! + 1}_${w}d`);

/** The window parts that lie within `windowDays` (one of FOLLOW_UP_WINDOWS). */
export function windowPartsWithin(windowDays: number): string[] {
  return WINDOW_PARTS.filter((_, i) => FOLLOW_UP_WINDOWS[i]! <= windowDays);
}

/** The part of a number of days (0 to the longest window); the longest part past it (the facts count nothing later). */
function windowPart(days: number | null): string {
  const i = FOLLOW_UP_WINDOWS.findIndex((w) => (days ?? 0) <= w);
  return WINDOW_PARTS[i < 0 ? WINDOW_PARTS.length - 1 : i]!;
}

/** Values with each one that `split` picks divided into the window parts (`declined|community` → `declined|community|0_90d`, …). */
function withWindowParts(values: readonly string[], split: (v: string) => boolean): string[] {
  return values.flatMap((v) => (split(v) ? WINDOW_PARTS.map((w) => `${v}|${w}`) : [v]));
}

/** A record's window value: its value with the part its days fell in, when `split` picks the value. */
function windowValue(v: string, split: (v: string) => boolean, days: number | null): string {
  return split(v) ? `${v}|${windowPart(days)}` : v;
}

const isRemoved = (v: string): boolean => v.endsWith('|removed');
const isAnyArrested = (v: string): boolean => v.endsWith('|arrested');

/** A detainer's `later_arrest` value: outcome × the setting of the next ICE arrest counted (or why there is none). */
function laterArrestValue(f: BaseFact): string {
  if (!f.has_identifier) return `${f.outcome}|no_identifier`;
  if (!isNonTransfer(f.outcome)) return `${f.outcome}|na`;
  const s = f.later_arrest_setting;
  if (s === null) return `${f.outcome}|none`;
  return `${f.outcome}|${s === 'community' || s === 'custodial' ? s : 'other_or_unknown_setting'}`;
}

/** A detainer's `later_removal` value. */
function laterRemovalValue(f: BaseFact): string {
  if (!f.has_identifier) return `${f.outcome}|no_identifier`;
  if (!isNonTransfer(f.outcome)) return `${f.outcome}|na`;
  return `${f.outcome}|${f.later_removal ? 'removed' : 'not_removed'}`;
}

/** A later-arrest value of a counted arrest (`<outcome>|<setting>`, with or without a window part after). */
const ARRESTED = /^[a-z_]+\|(community|custodial|other_or_unknown_setting)(\||$)/;
/** True for a `later_arrest` (or `later_arrest_window`) value of a counted arrest, in any setting. */
export const isLaterArrestValue = (v: string): boolean => ARRESTED.test(v);

/** `later_arrest` with the settings pooled: `<outcome>|arrested`, `|none`, `|no_identifier`, `|na`. */
function laterArrestAnyValues(): string[] {
  return [...new Set(laterArrestValues().map((v) => anyOf(v)))];
}
/** The `later_arrest_any` value of a `later_arrest` value (or of a `later_arrest_window` one, its part kept). */
function anyOf(v: string): string {
  if (!ARRESTED.test(v)) return v;
  const [o, , w] = v.split('|');
  return w === undefined ? `${o}|arrested` : `${o}|arrested|${w}`;
}
/** `later_arrest_any` with each arrest split by window part. */
function laterArrestAnyWindowValues(): string[] {
  return withWindowParts(laterArrestAnyValues(), isAnyArrested);
}
/** Outcome × whether the record carries a person identifier: the detainers a later arrest or removal could be linked from. */
const outcomeIdentifierOf = (v: string): string => `${beforeBar(v)}|${v.endsWith('|no_identifier') ? 'missing' : 'present'}`;

/** The first two parts of a three-part value (a window value's `later_arrest` or `later_removal` value). */
const withoutWindow = (v: string): string => v.split('|').slice(0, 2).join('|');

/** `outcome_detail` values that rest on a blank lift reason (the data-quality figure sums them). */
export const BLANK_LIFT_DETAILS: ReadonlySet<string> = new Set(['linked_book_in', 'stay_without_arrest', 'blank_near_cutoff', 'blank']);

/** Whether an `outcome_detail` value rests on a blank lift reason. */
export const isBlankLiftDetail = (v: string): boolean => BLANK_LIFT_DETAILS.has(afterBar(v));

/**
 * The outcome and what it rests on, from the lift reason's blankness and group. Every combination has
 * a value (an impossible one, such as a blank lift reason on a declined detainer, reads `<outcome>|blank`),
 * so the parts always add up to their outcome.
 */
function outcomeDetail(f: BaseFact): string {
  const o = f.outcome;
  if (f.lift_reason_blank) {
    if (o === 'transferred_to_ice') return `${o}|linked_book_in`;
    if (o === 'ice_custody_unlinked') return `${o}|stay_without_arrest`;
    if (o === 'open_or_unknown' && f.near_cutoff) return `${o}|blank_near_cutoff`;
    return `${o}|blank`;
  }
  if (o === 'lifted_by_ice') return `${o}|${f.lift_reason_group === 'us_citizen' ? 'us_citizen' : 'other_lift_reason'}`;
  if (o === 'open_or_unknown') return `${o}|lift_reason_unmapped`;
  return `${o}|lift_reason`;
}

const isNonTransfer = (o: Outcome): boolean => (NON_TRANSFER_OUTCOMES as readonly string[]).includes(o);

/** ICE's criminality field of a universe's records, as keys (the same values in every universe). */
function criminalityDimension(universe: Universe, description: string): DimensionDef {
  return { id: 'criminality', universe, label: 'Criminality (ICE)', description, values: CRIMINALITY_VALUES, derive: (f) => criminalityKey(f.criminality), isPublic: true };
}

/** Whether a record carries the release's person identifier (internal: it protects identities). */
function identifierDimension(universe: Universe, description: string): DimensionDef {
  return { id: 'identifier', universe, label: 'Person identifier', description, values: ['present', 'missing'], derive: (f) => (f.has_identifier ? 'present' : 'missing'), isPublic: false };
}

/** Every dimension, detainers first. Order matters only for slot layout and docs. */
export const DIMENSIONS: readonly DimensionDef[] = [
  criminalityDimension('detainers', 'ICE\'s criminality field on the detainer ("Detainer Prepared Criminality"): convicted criminal, pending criminal charges, other immigration violator; blank is `unknown`.'),
  {
    id: 'violent_ucr',
    universe: 'detainers',
    label: 'Violent offense, UCR set',
    description: `Whether the most serious conviction falls in the \`violent_ucr\` set: ${VIOLENCE_DEFINITIONS.violent_ucr.description} \`unknown\` when there is no categorized conviction.`,
    values: ['violent_ucr', 'not_violent_ucr', 'unknown'],
    derive: (f) => ucr(key(f.offense_category)),
    isPublic: true,
  },
  {
    id: 'violent_broad',
    universe: 'detainers',
    label: 'UCR violent, other person offenses and weapons (broad set)',
    description: `Whether the most serious conviction falls in the \`violent_broad\` set: ${VIOLENCE_DEFINITIONS.violent_broad.description} \`unknown\` when there is no categorized conviction.`,
    values: ['violent_broad', 'not_violent_broad', 'unknown'],
    derive: (f) => broad(key(f.offense_category)),
    isPublic: true,
  },
  {
    id: 'violence_class',
    universe: 'detainers',
    label: 'Violent sets, joint class',
    description: 'Internal: in the UCR set, in the broad set only, in neither, or unknown. Both violent breakdowns are coarsenings of it.',
    values: VIOLENCE_CLASSES,
    derive: (f) => violenceClass(key(f.offense_category)),
    parents: [
      { dim: 'violent_ucr', map: classToUcr },
      { dim: 'violent_broad', map: classToBroad },
    ],
    isPublic: false,
  },
  {
    id: 'offense_category',
    universe: 'detainers',
    label: 'Offense category of the most serious conviction',
    description: 'Category of the most serious conviction (MSC) from the reviewed crosswalk in reference/offenses (src/offense); `unknown` when blank, redacted or not mapped.',
    values: [],
    derive: (f) => key(f.offense_category),
    parents: [
      { dim: 'violence_class', map: violenceClass },
      { dim: 'violent_ucr', map: ucr },
      { dim: 'violent_broad', map: broad },
    ],
    isPublic: true,
  },
  {
    id: 'outcome_violence',
    universe: 'detainers',
    label: 'Lifecycle outcome × violent sets',
    description: 'Outcome × the joint class of the two violent sets (`declined|violent_ucr`, `declined|violent_broad_only`, `declined|other_category`, `declined|unknown`, …). Internal: it ties the offense crosses of outcomes and of later arrests to each other, so that the protection reasons with how they add up.',
    values: OUTCOMES.flatMap((o) => VIOLENCE_CLASSES.map((c) => `${o}|${c}`)),
    derive: (f) => `${f.outcome}|${violenceClass(key(f.offense_category))}`,
    parents: [
      { dim: 'outcome', map: beforeBar },
      { dim: 'violence_class', map: afterBar },
    ],
    isPublic: false,
  },
  {
    id: 'outcome_offense',
    universe: 'detainers',
    label: 'Offense category by lifecycle outcome',
    description: 'Outcome × offense category of the most serious conviction. Internal: gives the offense categories of the people whose detainers were declined or left open; both parts are coarsenings the engine protects.',
    values: [],
    derive: (f) => `${f.outcome}|${key(f.offense_category)}`,
    parents: [
      { dim: 'outcome', map: beforeBar },
      { dim: 'offense_category', map: afterBar },
      { dim: 'outcome_violence', map: (v) => `${beforeBar(v)}|${violenceClass(afterBar(v))}` },
    ],
    isPublic: false,
  },
  {
    id: 'detainer_type',
    universe: 'detainers',
    label: 'Detainer type',
    description: 'ICE\'s "Detainer Type" field as written; blank is `unknown`.',
    values: [],
    derive: (f) => key(f.detainer_type),
    isPublic: true,
  },
  {
    id: 'regime',
    universe: 'detainers',
    label: 'Detainer policy in force',
    description: 'What the jail rule in force at the facility\'s county (or state, when the county is not known) on the prepare date does to a detainer, from reference/policies (src/policy): hold_required, no_local_limits, holds_allowed, holds_conditional, judicial_warrant_only, no_holds, unclear, or no_data when no dated entry decides.',
    values: REGIME_VALUES,
    derive: (f) => f.regime ?? 'no_data',
    isPublic: true,
  },
  {
    id: 'regime_at_lift',
    universe: 'detainers',
    label: 'Detainer policy in force on the lift date',
    description: 'As `regime`, on the detainer\'s lift date instead of its prepare date (release follows the law of the day the person is let go); `no_lift_date` when the release gives no lift date.',
    values: [...REGIME_VALUES, 'no_lift_date'],
    derive: regimeAtLift,
    isPublic: true,
  },
  {
    id: 'regime_outcome',
    universe: 'detainers',
    label: 'Lifecycle outcome by the policy in force on the prepare date',
    description: 'Policy in force on the prepare date × lifecycle outcome. Internal: gives outcomes by the law in force; both parts are coarsenings the engine protects.',
    values: [],
    derive: (f) => `${f.regime ?? 'no_data'}|${f.outcome}`,
    parents: [
      { dim: 'regime', map: beforeBar },
      { dim: 'outcome', map: afterBar },
    ],
    isPublic: false,
  },
  {
    id: 'regime_at_lift_outcome',
    universe: 'detainers',
    label: 'Lifecycle outcome by the policy in force on the lift date',
    description: 'Policy in force on the lift date × lifecycle outcome. Internal, as `regime_outcome`.',
    values: [],
    derive: (f) => `${regimeAtLift(f)}|${f.outcome}`,
    parents: [
      { dim: 'regime_at_lift', map: beforeBar },
      { dim: 'outcome', map: afterBar },
    ],
    isPublic: false,
  },
  {
    id: 'regime_change_outcome',
    universe: 'detainers',
    label: 'Policy on the prepare date → on the lift date × outcome',
    description: 'Policy in force on the prepare date, then on the lift date, × lifecycle outcome (`no_holds>no_holds|declined`, `holds_allowed>no_holds|declined`, …). Internal: no metric shows it. It declares how `regime_outcome` and `regime_at_lift_outcome` relate (where no policy changed between the two dates, an outsider who reads the policy timeline knows their records are the same), so that the protection reasons with that relation; its cells count as known to an outsider, which can only withhold more.',
    values: [],
    derive: (f) => `${f.regime ?? 'no_data'}>${regimeAtLift(f)}|${f.outcome}`,
    parents: [
      { dim: 'regime_outcome', map: (v) => `${v.slice(0, v.indexOf('>'))}|${afterBar(v)}` },
      { dim: 'regime_at_lift_outcome', map: (v) => v.slice(v.indexOf('>') + 1) },
    ],
    isPublic: false,
  },
  {
    id: 'outcome',
    universe: 'detainers',
    label: 'Lifecycle outcome',
    description: 'What the release shows became of the detainer (src/link): transferred_to_ice, declined, lifted_by_ice, released_other, open_or_unknown.',
    values: OUTCOMES,
    derive: (f) => f.outcome,
    days: 'days_to_outcome',
    isPublic: true,
  },
  identifierDimension('detainers', 'Whether the record carries the release\'s anonymized person identifier (needed to link it to later arrests and removals).'),
  {
    id: 'outcome_detail',
    universe: 'detainers',
    label: 'Lifecycle outcome, with its evidence',
    description: 'Each outcome split by what it rests on: `transferred_to_ice|lift_reason` (the lift reason says "Booked into Detention") and `|linked_book_in` (a blank lift reason, then an ICE stay with a linked custodial arrest); `ice_custody_unlinked|stay_without_arrest`; `lifted_by_ice|us_citizen` (the person is or claims to be a U.S. citizen) apart from `|other_lift_reason` (ICE withdrew or closed it otherwise); `open_or_unknown|blank_near_cutoff` (blank lift reason, prepared fewer than 90 days before the cut-off: the person may still be held), `|blank` (blank, older) and `|lift_reason_unmapped` (a value the vocabulary does not list). The parts add up to their outcome exactly.',
    values: [
      'transferred_to_ice|lift_reason', 'transferred_to_ice|linked_book_in', 'ice_custody_unlinked|stay_without_arrest',
      'declined|lift_reason', 'lifted_by_ice|us_citizen', 'lifted_by_ice|other_lift_reason', 'released_other|lift_reason',
      'open_or_unknown|blank_near_cutoff', 'open_or_unknown|blank', 'open_or_unknown|lift_reason_unmapped',
    ],
    derive: outcomeDetail,
    parents: [{ dim: 'outcome', map: beforeBar }],
    days: 'days_to_outcome',
    isPublic: true,
  },
  {
    id: 'outcome_identifier',
    universe: 'detainers',
    label: 'Lifecycle outcome × person identifier',
    description: 'Outcome × whether the detainer carries the release\'s person identifier (`declined|present`, `declined|missing`, …): the detainers of an outcome that a later arrest or removal can be linked from, one cell, so that a share\'s denominator is not a sum of small parts. Internal.',
    values: OUTCOMES.flatMap((o) => [`${o}|present`, `${o}|missing`]),
    derive: (f) => `${f.outcome}|${f.has_identifier ? 'present' : 'missing'}`,
    parents: [
      { dim: 'outcome', map: beforeBar },
      { dim: 'identifier', map: afterBar },
    ],
    isPublic: false,
  },
  {
    id: 'later_arrest_any',
    universe: 'detainers',
    label: 'Later ICE arrest in any setting (by outcome)',
    description: '`later_arrest` with the settings pooled: `<outcome>|arrested` (an ICE arrest of the same person counted within the follow-up window), `|none`, `|no_identifier`, `|na` (a transfer outcome). One cell per outcome, so that "any later arrest" is not a sum of small setting cells. Internal.',
    values: laterArrestAnyValues(),
    derive: (f) => anyOf(laterArrestValue(f)),
    parents: [{ dim: 'outcome_identifier', map: outcomeIdentifierOf }],
    days: 'days_to_later_arrest',
    isPublic: false,
  },
  {
    id: 'later_arrest_any_window',
    universe: 'detainers',
    label: 'Later ICE arrest in any setting (by outcome), by days after the prepare date',
    description: `\`later_arrest_any\` with each arrest split by window part (${WINDOW_PARTS.map((w) => `\`|${w}\``).join(', ')}). Internal: published as a cross (src/metrics/plan.ts) for \`follow_up_days\`.`,
    values: laterArrestAnyWindowValues(),
    derive: (f) => windowValue(anyOf(laterArrestValue(f)), isAnyArrested, f.days_to_later_arrest),
    parents: [{ dim: 'later_arrest_any', map: withoutWindow }],
    days: 'days_to_later_arrest',
    isPublic: false,
  },
  {
    id: 'later_arrest_violence',
    universe: 'detainers',
    label: 'Later ICE arrest in any setting (by outcome) × violent sets',
    description: '`later_arrest_any` × the joint class of the two violent sets of the detainer\'s most serious conviction (`declined|arrested|violent_ucr`, …, `declined|none|unknown`). Internal: published as a cross (src/metrics/plan.ts) for `later_arrests_by_conviction`.',
    values: laterArrestAnyValues().flatMap((v) => VIOLENCE_CLASSES.map((c) => `${v}|${c}`)),
    derive: (f) => `${anyOf(laterArrestValue(f))}|${violenceClass(key(f.offense_category))}`,
    parents: [
      { dim: 'later_arrest_any', map: (v) => v.slice(0, v.lastIndexOf('|')) },
      { dim: 'outcome_violence', map: (v) => `${beforeBar(v)}|${v.slice(v.lastIndexOf('|') + 1)}` },
    ],
    isPublic: false,
  },
  {
    id: 'later_arrest',
    universe: 'detainers',
    label: 'Later ICE arrest (by outcome)',
    description: 'Outcome × the setting of the next ICE arrest of the same person on or after the prepare date, for non-transfer outcomes; `no_identifier` when the record cannot be linked.',
    values: laterArrestValues(),
    derive: laterArrestValue,
    parents: [
      { dim: 'outcome', map: beforeBar },
      { dim: 'identifier', map: identifierPart },
      { dim: 'later_arrest_any', map: anyOf },
    ],
    days: 'days_to_later_arrest',
    isPublic: false,
  },
  {
    id: 'later_removal',
    universe: 'detainers',
    label: 'Later removal (by outcome)',
    description: 'Outcome × whether a removal of the same person departed on or after the prepare date, for non-transfer outcomes.',
    values: laterRemovalValues(),
    derive: laterRemovalValue,
    parents: [
      { dim: 'outcome', map: beforeBar },
      { dim: 'identifier', map: identifierPart },
      { dim: 'outcome_identifier', map: outcomeIdentifierOf },
    ],
    isPublic: false,
  },
  {
    id: 'later_arrest_window',
    universe: 'detainers',
    label: 'Later ICE arrest (by outcome), by days after the prepare date',
    description: `\`later_arrest\` with each arrest split by when it came: ${WINDOW_PARTS.map((w) => `\`|${w}\``).join(', ')} days after the prepare date (\`declined|community|0_90d\`, …). "Within 90 days" is the first part; "within 180" the first two. Internal: published as a cross (src/metrics/plan.ts) for \`follow_up_days\`.`,
    values: withWindowParts(laterArrestValues(), isLaterArrestValue),
    derive: (f) => windowValue(laterArrestValue(f), isLaterArrestValue, f.days_to_later_arrest),
    parents: [
      { dim: 'later_arrest', map: withoutWindow },
      { dim: 'later_arrest_any_window', map: anyOf },
    ],
    days: 'days_to_later_arrest',
    isPublic: false,
  },
  {
    id: 'later_removal_window',
    universe: 'detainers',
    label: 'Later removal (by outcome), by days after the prepare date',
    description: `\`later_removal\` with each removal split by when the person departed: ${WINDOW_PARTS.map((w) => `\`|${w}\``).join(', ')} days after the prepare date. Internal: published as a cross (src/metrics/plan.ts) for \`follow_up_days\`.`,
    values: withWindowParts(laterRemovalValues(), isRemoved),
    derive: (f) => windowValue(laterRemovalValue(f), isRemoved, f.days_to_later_removal),
    parents: [{ dim: 'later_removal', map: withoutWindow }],
    isPublic: false,
  },
  {
    id: 'method',
    universe: 'arrests',
    label: 'Arrest setting',
    description: 'Setting of the ICE arrest from its apprehension method (reference/link/apprehension-methods.csv): custodial (taken from a jail or prison), community, other; `unknown` for blank or unlisted methods.',
    values: SETTINGS,
    derive: (f) => f.setting ?? 'unknown',
    isPublic: true,
  },
  criminalityDimension('arrests', 'ICE\'s "Apprehension Criminality" field: convicted criminal, pending criminal charges, other immigration violator; blank is `unknown`.'),
  {
    id: 'method_criminality',
    universe: 'arrests',
    label: 'Arrest setting × criminality',
    description: 'Setting of the arrest × ICE\'s criminality of the person arrested (`community|convicted_criminal`, …). Internal: both parts are coarsenings the engine protects; published as a cross (src/metrics/plan.ts).',
    values: SETTINGS.flatMap((s) => CRIMINALITY_VALUES.map((c) => `${s}|${c}`)),
    derive: (f) => `${f.setting ?? 'unknown'}|${criminalityKey(f.criminality)}`,
    parents: [
      { dim: 'method', map: beforeBar },
      { dim: 'criminality', map: afterBar },
    ],
    isPublic: false,
  },
  identifierDimension('arrests', 'Whether the arrest carries the release\'s anonymized person identifier.'),
  {
    id: 'arrest_link',
    universe: 'arrests',
    label: 'Arrest setting × prior declined detainer',
    description: 'For community arrests: whether a detainer for the same person, prepared on or before the arrest date, was declined. Other settings are `na`; `no_identifier` when the arrest cannot be linked.',
    values: SETTINGS.flatMap((s) =>
      s === 'community'
        ? ['community|no_identifier', 'community|after_declined_detainer', 'community|no_declined_detainer_found']
        : [`${s}|no_identifier`, `${s}|na`],
    ),
    derive: (f) => {
      const s = f.setting ?? 'unknown';
      if (!f.has_identifier) return `${s}|no_identifier`;
      if (s !== 'community') return `${s}|na`;
      return f.after_declined_detainer ? 'community|after_declined_detainer' : 'community|no_declined_detainer_found';
    },
    parents: [
      { dim: 'method', map: (v) => v.slice(0, v.indexOf('|')) },
      { dim: 'identifier', map: identifierPart },
    ],
    isPublic: false,
  },
  {
    id: 'prior_detainer',
    universe: 'arrests',
    label: 'Community arrest × the outcome of the person\'s latest earlier detainer',
    description:
      'For community arrests of a person with an identifier: whether a declined detainer came before (`declined_before` / `no_declined_before`, as in `arrest_link`) and the lifecycle outcome of the person\'s latest detainer prepared on or before the arrest date (`latest_<outcome>`, or `no_detainer_found`). Other settings are `na`; `no_identifier` when the arrest cannot be linked. Each value lies inside one value of `arrest_link`, so the two never give an outsider a difference to solve.',
    values: priorDetainerValues(),
    derive: (f) => {
      const s = f.setting ?? 'unknown';
      if (!f.has_identifier) return `${s}|no_identifier`;
      if (s !== 'community') return `${s}|na`;
      // The declined part comes first so that every value lies inside one `arrest_link` value by
      // construction, whatever the facts say (a declined detainer before implies one is found).
      const o = f.prior_detainer_outcome ?? null;
      return `community|${f.after_declined_detainer ? 'declined_before' : 'no_declined_before'}|${o === null ? 'no_detainer_found' : `latest_${o}`}`;
    },
    parents: [
      { dim: 'arrest_link', map: priorDetainerLink },
      { dim: 'method', map: beforeBar },
      { dim: 'identifier', map: identifierPart },
    ],
    isPublic: false,
  },
  criminalityDimension('removals', 'ICE\'s case criminality field of the removal: convicted criminal, pending criminal charges, other immigration violator; blank is `unknown`.'),
  identifierDimension('removals', 'Whether the removal carries the release\'s anonymized person identifier.'),
  {
    id: 'detainer_link',
    universe: 'removals',
    label: 'Detainer before the removal',
    description: 'Whether a non-duplicate detainer of the same person, prepared on or before the departure date, is in the same release: after_detainer, no_detainer_found, or no_identifier (the removal cannot be linked). A release without detainer records answers "not available" (src/metrics/query.ts, missingInputs).',
    values: REMOVAL_DETAINER_LINKS,
    derive: (f) => (!f.has_identifier ? 'no_identifier' : f.after_detainer ? 'after_detainer' : 'no_detainer_found'),
    parents: [{ dim: 'identifier', map: (v) => (v === 'no_identifier' ? 'missing' : 'present') }],
    isPublic: true,
  },
];

/** Dimensions of a universe, in slot order. */
export function dimensionsOf(universe: Universe): DimensionDef[] {
  return DIMENSIONS.filter((d) => d.universe === universe);
}

/** One dimension by universe and id; undefined when unknown. */
export function findDimension(universe: Universe, id: string): DimensionDef | undefined {
  return DIMENSIONS.find((d) => d.universe === universe && d.id === id);
}

/**
 * Identities between equal record sets in two dimensions (same value name in `later_arrest` and
 * `later_removal`: `<outcome>|no_identifier`, `<outcome>|na`). The engine treats each as A = B.
 */
export function equalValuePairs(universe: Universe): { a: string; b: string; values: string[] }[] {
  if (universe !== 'detainers') return [];
  const la = new Set(laterArrestValues());
  const shared = laterRemovalValues().filter((v) => la.has(v));
  return [{ a: 'later_arrest', b: 'later_removal', values: shared }];
}
