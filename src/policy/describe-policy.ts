/**
 * Turns a {@link PolicyResult} into plain data for the CLI and the API: no classes, no Maps, only
 * strings, numbers, booleans, arrays and objects, so it prints as a table or JSON unchanged.
 */
import type { PolicyResult } from './evaluate-policy.ts';
import type { HonorsDetainers, JurisdictionLevel, LoadedPolicyEntry } from './types.ts';

/** The deciding entry, as printed. */
export interface DescribedEntry {
  entry_id: string;
  jurisdiction_id: string;
  jurisdiction: string;
  level: JurisdictionLevel;
  honors_detainers: HonorsDetainers;
  release_notification: string;
  citation: string;
  sources: string[];
  /** `2017-07-24`, `2014-08 (approximate)` or `unknown`. */
  effective: string;
  /** `2025-05-01`, `2016-01 (approximate)` or empty when open-ended. */
  ends: string;
  confidence: string;
  summary: string;
  research_row: number;
}

/** One considered entry, as printed. */
export interface DescribedRow {
  role: 'decides' | 'overridden' | 'in force';
  level: JurisdictionLevel;
  entry_id: string;
  jurisdiction: string;
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
  regime: string;
  date_unknown: boolean;
  decided_by: DescribedEntry | null;
  /** Ids of local entries a state preemption set aside on this date. */
  overridden: string[];
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

/** Describes a policy evaluation as plain data (see {@link PolicyDescription}). */
export function describePolicy(result: PolicyResult): PolicyDescription {
  const { place, decidedBy } = result;
  const placeKey = place.city
    ? `city:${place.state}:${place.city}`
    : place.countyFips
      ? `county:${place.countyFips}`
      : `state:${place.state}`;
  const overriddenIds = new Set(result.overridden.map((e) => e.id));
  const unknown = new Set(result.dateUnknownIds);
  const rows: DescribedRow[] = [];
  const all = (['city', 'county', 'state'] as const).flatMap((l) => result.considered[l]);
  if (decidedBy && !all.includes(decidedBy)) all.unshift(decidedBy);
  all.sort((a, b) => (a === decidedBy ? -1 : b === decidedBy ? 1 : 0));
  for (const e of all) {
    rows.push({
      role: e === decidedBy ? 'decides' : overriddenIds.has(e.id) ? 'overridden' : 'in force',
      level: e.jurisdiction.level,
      entry_id: e.id,
      jurisdiction: jurisdictionLabel(e),
      honors_detainers: e.honors_detainers,
      effective: effectiveText(e),
      ends: endText(e),
      date_unknown: unknown.has(e.id),
      confidence: e.confidence,
      citation: e.citation,
    });
  }
  const notes: string[] = [];
  if (!decidedBy) {
    notes.push(`No policy entry for this place is in force on ${result.date} in the reviewed files.`);
  } else {
    notes.push(`Decided by ${decidedBy.id} (${jurisdictionLabel(decidedBy)}): ${decidedBy.citation}.`);
    for (const e of result.overridden) {
      notes.push(
        `${e.id} (${jurisdictionLabel(e)}, ${e.honors_detainers}) is set aside on this date by the state entry coded mandatory (preemption rule).`,
      );
    }
    if (result.dateUnknown) {
      notes.push('The deciding entry has no exact effective date; it is counted as in force and flagged date_unknown.');
    }
    if (decidedBy.confidence === 'low') {
      notes.push('The deciding entry has low confidence (often a "none found" placeholder).');
    }
    if (decidedBy.honors_detainers === 'unclear') {
      notes.push('"unclear" means no rule was found in the sources; it does not mean there is no law.');
    }
  }
  return {
    place: placeKey,
    date: result.date,
    regime: result.regime,
    date_unknown: result.dateUnknown,
    decided_by: decidedBy
      ? {
          entry_id: decidedBy.id,
          jurisdiction_id: decidedBy.jurisdiction.id,
          jurisdiction: jurisdictionLabel(decidedBy),
          level: decidedBy.jurisdiction.level,
          honors_detainers: decidedBy.honors_detainers,
          release_notification: decidedBy.release_notification,
          citation: decidedBy.citation,
          sources: [...decidedBy.sources],
          effective: effectiveText(decidedBy),
          ends: endText(decidedBy),
          confidence: decidedBy.confidence,
          summary: decidedBy.summary,
          research_row: decidedBy.research_row,
        }
      : null,
    overridden: result.overridden.map((e) => e.id),
    rows,
    notes,
  };
}
