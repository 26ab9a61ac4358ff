/**
 * The two hand-kept vocabularies the lifecycle builder reads: detainer lift reason → outcome class
 * (reference/link/lift-reasons.csv) and apprehension method → arrest setting
 * (reference/link/apprehension-methods.csv). Each row's reason and source is in the CSV itself.
 */
import { HandoffError } from '../../core/errors.ts';
import { readReferenceCsv } from '../../geo/index.ts';

/**
 * What became of a detainer, as far as the release shows. `ice_custody_unlinked` is a blank lift
 * reason followed by an ICE detention stay that no arrest record links to the jail: ICE custody
 * followed, but not necessarily from the jail (../DESIGN.md, "Outcome classes").
 */
export type OutcomeClass =
  | 'transferred_to_ice'
  | 'ice_custody_unlinked'
  | 'declined'
  | 'lifted_by_ice'
  | 'released_other'
  | 'open_or_unknown';

/** Every outcome class, in reporting order. */
export const OUTCOME_CLASSES: readonly OutcomeClass[] = [
  'transferred_to_ice',
  'ice_custody_unlinked',
  'declined',
  'lifted_by_ice',
  'released_other',
  'open_or_unknown',
];

/** Where an ICE arrest took place: taken from a jail or prison, in the community, or neither/unknown. */
export type ArrestSetting = 'custodial' | 'community' | 'other' | 'unknown';

/** The settings the method table may use ('unknown' is what an unlisted method gets). */
export const ARREST_SETTINGS: readonly ArrestSetting[] = ['custodial', 'community', 'other', 'unknown'];

/**
 * What a detainer asked of the holding agency, from ICE's "Detainer Type" text (../DESIGN.md,
 * "Detainer types"): a hold (I-247, I-247D, I-247A: keep the person up to 48 hours for ICE), a
 * notification only (I-247N: tell ICE before release, no hold), a voluntary transfer request
 * (I-247X; the synthetic releases and ICE-RELEASES.md write "I-247G"), or unknown.
 */
export type DetainerTypeClass = 'hold_request' | 'notification_request' | 'transfer_request' | 'unknown';

/** Every detainer-type class, in reporting order. */
export const DETAINER_TYPE_CLASSES: readonly DetainerTypeClass[] = ['hold_request', 'notification_request', 'transfer_request', 'unknown'];

/**
 * The class of a "Detainer Type" value. Notification and transfer forms are recognized first (by
 * form letter or wording), so "I247N - Immigration Advisal - Request for Notification" is a
 * notification request although it says I247; any other I-247 form or "detainer" wording is a hold.
 */
export function detainerTypeClass(value: string | null | undefined): DetainerTypeClass {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '') return 'unknown';
  if (/\bi-?\s*247\s*n\b/.test(text) || /notification/.test(text)) return 'notification_request';
  if (/\bi-?\s*247\s*[xg]\b/.test(text) || /voluntary transfer/.test(text)) return 'transfer_request';
  if (/\bi-?\s*247\s*[ad]?\b/.test(text) || /detainer|notice of action|request for (voluntary )?action/.test(text)) return 'hold_request';
  return 'unknown';
}

/** The DuckDB expression of `detainerTypeClass` over `expr` (same patterns, same order). */
export function detainerTypeClassSql(expr: string): string {
  const t = `lower(trim(coalesce(${expr}, '')))`;
  return `CASE WHEN ${t} = '' THEN 'unknown'
    WHEN regexp_matches(${t}, '\\bi-?\\s*247\\s*n\\b') OR ${t} LIKE '%notification%' THEN 'notification_request'
    WHEN regexp_matches(${t}, '\\bi-?\\s*247\\s*[xg]\\b') OR ${t} LIKE '%voluntary transfer%' THEN 'transfer_request'
    WHEN regexp_matches(${t}, '\\bi-?\\s*247\\s*[ad]?\\b') OR regexp_matches(${t}, 'detainer|notice of action|request for (voluntary )?action') THEN 'hold_request'
    ELSE 'unknown' END`;
}

/** One row of reference/link/lift-reasons.csv. */
export interface LiftReasonMapping {
  value: string;
  outcomeClass: OutcomeClass;
  group: string;
  note: string;
  source: string;
}

/** One row of reference/link/apprehension-methods.csv. */
export interface ApprehensionMethodMapping {
  method: string;
  setting: ArrestSetting;
  note: string;
}

/**
 * The matching key of a vocabulary value: lower case with every whitespace character removed, so
 * "Lifted - Lack of Funds", "LIFTED -  LACK OF FUNDS" and "Lifted -Lack of Funds" agree.
 * `vocabularyKeySql` is the same rule in DuckDB.
 */
export function vocabularyKey(value: string): string {
  return value.replace(/\s+/g, '').toLowerCase();
}

/** The DuckDB expression of `vocabularyKey` over `expr` (NULL for NULL or blank). */
export function vocabularyKeySql(expr: string): string {
  return `nullif(lower(regexp_replace(${expr}, '\\s+', '', 'g')), '')`;
}

function fail(file: string, message: string): never {
  throw new HandoffError('invalid_reference', `reference/${file}: ${message}`, { details: { file } });
}

/** Reads and checks reference/link/lift-reasons.csv (known classes, no two values with one key). */
export function loadLiftReasons(rows: Record<string, string>[] = readReferenceCsv('link/lift-reasons.csv')): LiftReasonMapping[] {
  const seen = new Set<string>();
  return rows.map((r, i) => {
    const value = (r.value ?? '').trim();
    const outcomeClass = (r.outcome_class ?? '').trim() as OutcomeClass;
    if (value === '') fail('link/lift-reasons.csv', `line ${i + 2}: empty value`);
    if (!OUTCOME_CLASSES.includes(outcomeClass)) {
      fail('link/lift-reasons.csv', `line ${i + 2}: unknown outcome_class "${r.outcome_class}"`);
    }
    const key = vocabularyKey(value);
    if (seen.has(key)) fail('link/lift-reasons.csv', `line ${i + 2}: "${value}" is listed twice`);
    seen.add(key);
    return { value, outcomeClass, group: (r.lift_reason_group ?? '').trim() || 'other', note: r.note ?? '', source: r.source ?? '' };
  });
}

/** Reads and checks reference/link/apprehension-methods.csv. */
export function loadApprehensionMethods(
  rows: Record<string, string>[] = readReferenceCsv('link/apprehension-methods.csv'),
): ApprehensionMethodMapping[] {
  const seen = new Set<string>();
  return rows.map((r, i) => {
    const method = (r.method ?? '').trim();
    const setting = (r.arrest_setting ?? '').trim() as ArrestSetting;
    if (method === '') fail('link/apprehension-methods.csv', `line ${i + 2}: empty method`);
    if (!ARREST_SETTINGS.includes(setting) || setting === 'unknown') {
      fail('link/apprehension-methods.csv', `line ${i + 2}: arrest_setting must be custodial, community or other`);
    }
    const key = vocabularyKey(method);
    if (seen.has(key)) fail('link/apprehension-methods.csv', `line ${i + 2}: "${method}" is listed twice`);
    seen.add(key);
    return { method, setting, note: r.note ?? '' };
  });
}

/** The outcome class of one lift reason, the way the SQL builder decides it (blank and unknown → open). */
export function classifyLiftReason(
  value: string | null | undefined,
  mappings: readonly LiftReasonMapping[] = loadLiftReasons(),
): { outcomeClass: OutcomeClass; group: string; unmapped: boolean } {
  const key = vocabularyKey(value ?? '');
  if (key === '') return { outcomeClass: 'open_or_unknown', group: 'blank', unmapped: false };
  const hit = mappings.find((m) => vocabularyKey(m.value) === key);
  return hit
    ? { outcomeClass: hit.outcomeClass, group: hit.group, unmapped: false }
    : { outcomeClass: 'open_or_unknown', group: 'unmapped', unmapped: true };
}
