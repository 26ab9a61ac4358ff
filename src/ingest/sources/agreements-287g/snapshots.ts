/**
 * First and last appearance of each agency in a series of daily snapshots of ICE's 287(g) sheet
 * (`agreements.csv` of appelson/Tracking_287g: one row per agency, support type and snapshot, with
 * `date` like "2025-05-16 am").
 */
import { parse } from 'csv-parse/sync';
import { HandoffError } from '../../../core/errors.ts';
import { parseSupportType } from './columns.ts';
import type { SupportType } from './columns.ts';

/** One agency across the snapshot series. */
export interface Agency287gSpan {
  state: string;
  /** Agency name as written in the series (lower case there). */
  agency: string;
  /** CSLLEA agency id, or null when the series has "NA". */
  agency_id: string | null;
  /** Date ('YYYY-MM-DD') of the first and last snapshot the agency is in. */
  first_seen: string;
  last_seen: string;
  /** Snapshot labels ("2025-05-16 am") of the same. */
  first_snapshot: string;
  last_snapshot: string;
  /** Snapshots that list the agency, and snapshots taken between its first and last appearance. */
  snapshots_present: number;
  snapshots_in_span: number;
  /** True when the agency is in the latest snapshot of the series. */
  in_latest: boolean;
  support_types: SupportType[];
  /** Per model: first and last date. */
  by_support_type: { support_type: SupportType; first_seen: string; last_seen: string }[];
}

/** Result of `summarize287gSnapshots`. */
export interface Snapshot287gSummary {
  /** Snapshot labels in time order (am before pm). */
  snapshots: string[];
  agencies: Agency287gSpan[];
  /** Rows that could not be read (1-based line numbers, header = line 1). */
  rejects: { source_row: number; reason: string }[];
}

function snapshotDate(label: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\s+(am|pm))?$/i.exec(label.trim());
  return m ? m[1]! : null;
}

function snapshotOrder(label: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\s+(am|pm))?$/i.exec(label.trim());
  return m ? `${m[1]} ${(m[2] ?? 'am').toLowerCase()}` : label;
}

/**
 * Summarizes the snapshot series per agency (state + agency name, case-insensitive): first and
 * last snapshot, how many snapshots listed it, whether the latest does, and the models seen.
 *
 * @throws HandoffError('unknown_layout') when the `date`, `state`, `agency` or `type` column is missing.
 */
export function summarize287gSnapshots(csvText: string): Snapshot287gSummary {
  const records = parse(csvText, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Record<
    string,
    string
  >[];
  const first = records[0];
  for (const column of ['date', 'state', 'agency', 'type']) {
    if (first && !(column in first)) {
      throw new HandoffError('unknown_layout', `287(g) snapshot series lacks column "${column}"`);
    }
  }
  const rejects: Snapshot287gSummary['rejects'] = [];
  const labels = new Set<string>();
  interface Acc {
    state: string;
    agency: string;
    agencyId: string | null;
    snapshots: Set<string>;
    types: Map<SupportType, { first: string; last: string }>;
  }
  const agencies = new Map<string, Acc>();
  records.forEach((r, i) => {
    const line = i + 2;
    const label = snapshotOrder(r.date ?? '');
    const date = snapshotDate(r.date ?? '');
    const state = (r.state ?? '').trim().toUpperCase();
    const agency = (r.agency ?? '').trim();
    const type = parseSupportType(r.type ?? '');
    if (!date) return rejects.push({ source_row: line, reason: `unreadable date "${r.date}"` });
    if (!state || !agency) return rejects.push({ source_row: line, reason: 'no state or agency' });
    if (!type) return rejects.push({ source_row: line, reason: `unknown type "${r.type}"` });
    labels.add(label);
    const key = `${state}|${agency.toUpperCase()}`;
    const acc: Acc = agencies.get(key) ?? {
      state,
      agency,
      agencyId: r.agency_id && r.agency_id !== 'NA' ? r.agency_id : null,
      snapshots: new Set(),
      types: new Map(),
    };
    acc.snapshots.add(label);
    const t = acc.types.get(type);
    if (!t) acc.types.set(type, { first: date, last: date });
    else {
      if (date < t.first) t.first = date;
      if (date > t.last) t.last = date;
    }
    agencies.set(key, acc);
    return undefined;
  });
  const snapshots = [...labels].sort();
  const position = new Map(snapshots.map((s, i) => [s, i]));
  const latest = snapshots[snapshots.length - 1];
  const out: Agency287gSpan[] = [...agencies.values()].map((a) => {
    const seen = [...a.snapshots].sort();
    const firstLabel = seen[0]!;
    const lastLabel = seen[seen.length - 1]!;
    return {
      state: a.state,
      agency: a.agency,
      agency_id: a.agencyId,
      first_seen: snapshotDate(firstLabel)!,
      last_seen: snapshotDate(lastLabel)!,
      first_snapshot: firstLabel,
      last_snapshot: lastLabel,
      snapshots_present: seen.length,
      snapshots_in_span: position.get(lastLabel)! - position.get(firstLabel)! + 1,
      in_latest: lastLabel === latest,
      support_types: [...a.types.keys()].sort(),
      by_support_type: [...a.types.entries()]
        .map(([support_type, t]) => ({ support_type, first_seen: t.first, last_seen: t.last }))
        .sort((x, y) => x.support_type.localeCompare(y.support_type)),
    };
  });
  out.sort((x, y) => x.state.localeCompare(y.state) || x.agency.localeCompare(y.agency));
  return { snapshots, agencies: out, rejects };
}
