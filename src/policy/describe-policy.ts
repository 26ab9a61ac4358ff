/**
 * Turns a {@link PolicyResult} into plain data for the CLI and the API: no classes, no Maps, only
 * strings, numbers, booleans, arrays and objects, so it prints as a table or JSON unchanged.
 *
 * Does: list every entry in force with its role (decides, overridden, superseded, context) and the
 * reason in words; write neutral notes on how the result was reached (scope, unified system,
 * preemption, injunctions, succession "superseded as the deciding entry, not repealed", approximate
 * dates, `unclear`). Also describes a timeline item's succession in words (`successionNote`).
 * Does not: judge the jurisdiction or add anything the entries do not say.
 */
import type { EntryRole, PolicyResult, RoleReason, TimelineItem } from './evaluate-policy.ts';
import type { HonorsDetainers, JurisdictionLevel, LoadedPolicyEntry, PolicyScope } from './types.ts';

/** The deciding entry, as printed. */
export interface DescribedEntry {
  entry_id: string;
  jurisdiction_id: string;
  jurisdiction: string;
  level: JurisdictionLevel;
  kind: string;
  scope: PolicyScope[];
  honors_detainers: HonorsDetainers;
  release_notification: string;
  citation: string;
  primary_citation: boolean;
  sources: string[];
  /** `2017-07-24`, `2014-08 (approximate)` or `unknown`. */
  effective: string;
  /** `2025-05-01`, `2016-01 (approximate)` or empty when open-ended. */
  ends: string;
  confidence: string;
  summary: string;
  research_row: number | null;
}

/** One considered entry, as printed. */
export interface DescribedRow {
  role: EntryRole;
  /** Why the entry does not decide, in words; empty for the deciding entry. */
  why: string;
  level: JurisdictionLevel;
  entry_id: string;
  jurisdiction: string;
  kind: string;
  scope: string;
  honors_detainers: HonorsDetainers;
  effective: string;
  ends: string;
  date_unknown: boolean;
  confidence: string;
  citation: string;
}

/** Plain-data description of a policy evaluation. */
export interface PolicyDescription {
  /** Most local key of the place, e.g. `state:MA`, `county:48453`, `city:MA:boston`. */
  place: string;
  date: string;
  /** The custody whose rule decided: `county_jails`, `state_prisons` or `federal`. */
  scope: string;
  regime: string;
  date_unknown: boolean;
  decided_by: DescribedEntry | null;
  /** Ids of local entries a state preemption set aside on this date. */
  overridden: string[];
  /** Ids of 287(g) agreements in force that bind the custody. */
  agreements_287g: string[];
  /** Every entry in force on the date, deciding entry first. */
  rows: DescribedRow[];
  /** Short neutral notes on how the result was reached. */
  notes: string[];
}

function effectiveText(e: LoadedPolicyEntry): string {
  if (e.effective_date) return e.effective_date;
  if (e.effective_date_approx) return `${e.effective_date_approx} (approximate)`;
  return 'unknown';
}

function endText(e: LoadedPolicyEntry): string {
  if (e.end_date) return e.end_date;
  if (e.end_date_approx) return `${e.end_date_approx} (approximate)`;
  return '';
}

function jurisdictionLabel(e: LoadedPolicyEntry): string {
  return e.jurisdiction.level === 'state' ? e.jurisdiction.name : `${e.jurisdiction.name}, ${e.jurisdiction.state}`;
}

const SCOPE_WORDS: Record<string, string> = {
  county_jails: 'local jails',
  state_prisons: 'state prisons',
  federal: 'a federal facility',
  courts: 'courts',
  police: 'police',
  all_state_agencies: 'all state agencies',
};

function scopeWords(scopes: readonly string[]): string {
  return scopes.map((s) => SCOPE_WORDS[s] ?? s).join(', ');
}

function why(reason: RoleReason | null, byId: string | null, result: PolicyResult): string {
  const by = byId ? ` (${byId})` : '';
  switch (reason) {
    case null:
      return '';
    case 'undated':
      return 'context only: no start date in the sources, so it never decides';
    case 'no_rule':
      return 'context only: it sets no detainer rule of its own';
    case 'other_scope':
      return `context only: it binds others than ${SCOPE_WORDS[result.scope]}`;
    case 'local_not_applicable':
      return result.unifiedJailSystem
        ? 'context only: the state runs every jail here, so the state rule is the jail rule'
        : 'context only: a county or city rule does not bind a state prison';
    case 'federal_facility':
      return 'context only: no state or local rule decides for a federal facility';
    case 'enjoined':
      return `enjoined on this date${by}`;
    case 'superseded':
      return `superseded as the deciding entry${by}, not repealed`;
    case 'overridden':
      return `set aside by state preemption${by}`;
    case 'unclear_yields':
      return `records no rule found; the known rule above it decides${by}`;
    case 'local_rule_decides':
      return `in force; a more local rule decides${by}`;
  }
}

/** A timeline item's succession in words, or null ("superseded as the deciding entry ..., not repealed"). */
export function successionNote(item: TimelineItem): string | null {
  if (item.contextOnly) {
    return item.entry.honors_detainers === 'context'
      ? 'context only: sets no detainer rule of its own'
      : 'context only: no start date in the sources, so it never decides';
  }
  if (item.supersededBy.length === 0) return null;
  const parts = item.supersededBy.map(
    (s) => `for ${scopeWords(s.scopes)} by ${s.entryId} from ${s.from}`,
  );
  return `superseded as the deciding entry ${parts.join('; ')} (not repealed)`;
}

/** Describes a policy evaluation as plain data (see {@link PolicyDescription}). */
export function describePolicy(result: PolicyResult): PolicyDescription {
  const { place, decidedBy } = result;
  const placeKey = place.city
    ? `city:${place.state}:${place.city}`
    : place.countyFips
      ? `county:${place.countyFips}`
      : `state:${place.state}`;
  const rows: DescribedRow[] = result.entries.map((x) => ({
    role: x.role,
    why: why(x.reason, x.byId, result),
    level: x.entry.jurisdiction.level,
    entry_id: x.entry.id,
    jurisdiction: jurisdictionLabel(x.entry),
    kind: x.entry.kind,
    scope: x.entry.scope.join(', '),
    honors_detainers: x.entry.honors_detainers,
    effective: effectiveText(x.entry),
    ends: endText(x.entry),
    date_unknown: x.dateUnknown,
    confidence: x.entry.confidence,
    citation: x.entry.citation,
  }));
  const notes: string[] = [];
  if (result.scope === 'federal') {
    notes.push('Federal facility (BOP, USMS or ICE): no state or local detainer rule decides; the entries in force are listed as context.');
  } else if (!decidedBy) {
    notes.push(`No dated policy entry for ${SCOPE_WORDS[result.scope]} of this place is in force on ${result.date} in the reviewed files.`);
  } else {
    notes.push(`Decided for ${SCOPE_WORDS[result.scope]} by ${decidedBy.id} (${jurisdictionLabel(decidedBy)}): ${decidedBy.citation}.`);
  }
  if (result.unifiedJailSystem && result.scope !== 'federal') {
    notes.push('Unified system: the state department of correction runs every jail, so the state rule is the jail rule.');
  }
  for (const e of result.overridden) {
    const by = result.entries.find((x) => x.entry.id === e.id)?.byId;
    notes.push(`${e.id} (${jurisdictionLabel(e)}, ${e.honors_detainers}) is set aside on this date by the state entry ${by ?? ''} (preemption rule).`);
  }
  for (const e of result.preemptionBlocked) {
    notes.push(`${e.id} (${jurisdictionLabel(e)}) decides although a state rule would preempt it: protected by ${e.preemption_blocked_by}.`);
  }
  for (const x of result.entries) {
    if (x.reason === 'enjoined') notes.push(`${x.entry.id} is enjoined on this date by ${x.byId}.`);
    if (x.reason === 'superseded') notes.push(`${x.entry.id}: superseded as the deciding entry by ${x.byId}, not repealed.`);
  }
  if (result.agreements287g.length > 0) {
    notes.push(`287(g) agreement(s) in force: ${result.agreements287g.map((e) => `${e.id} (${e.agreement_287g})`).join(', ')}; listed as context, they do not change the coded rule.`);
  }
  const undated = result.entries.filter((x) => x.reason === 'undated').map((x) => x.entry.id);
  if (undated.length > 0) notes.push(`Undated entries listed as context only: ${undated.join(', ')}.`);
  const otherScope = result.entries.filter((x) => x.reason === 'other_scope').map((x) => `${x.entry.id} (${scopeWords(x.entry.scope)})`);
  if (otherScope.length > 0) notes.push(`Entries binding others than ${SCOPE_WORDS[result.scope]}, listed as context only: ${otherScope.join(', ')}.`);
  if (result.dateUnknown) {
    notes.push('The deciding entry has only an approximate (year or month) start or end; the result is flagged date_unknown.');
  }
  if (decidedBy?.confidence === 'low') notes.push('The deciding entry has low confidence.');
  if (decidedBy?.honors_detainers === 'unclear') {
    notes.push('"unclear" means no rule was found in the sources; it does not mean there is no law.');
  }
  return {
    place: placeKey,
    date: result.date,
    scope: result.scope,
    regime: result.regime,
    date_unknown: result.dateUnknown,
    decided_by: decidedBy
      ? {
          entry_id: decidedBy.id,
          jurisdiction_id: decidedBy.jurisdiction.id,
          jurisdiction: jurisdictionLabel(decidedBy),
          level: decidedBy.jurisdiction.level,
          kind: decidedBy.kind,
          scope: [...decidedBy.scope],
          honors_detainers: decidedBy.honors_detainers,
          release_notification: decidedBy.release_notification,
          citation: decidedBy.citation,
          primary_citation: decidedBy.primary_citation,
          sources: [...decidedBy.sources],
          effective: effectiveText(decidedBy),
          ends: endText(decidedBy),
          confidence: decidedBy.confidence,
          summary: decidedBy.summary,
          research_row: decidedBy.research_row,
        }
      : null,
    overridden: result.overridden.map((e) => e.id),
    agreements_287g: result.agreements287g.map((e) => e.id),
    rows,
    notes,
  };
}
