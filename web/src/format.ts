/** Number and label formatting, and small DOM helpers (no innerHTML with data: text only). */

const INT = new Intl.NumberFormat('en-US');
const PCT = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

export const fmtInt = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : INT.format(n));
export const fmtShare = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : PCT.format(n));

/** What a count cell shows: the exact count, else the API's words ("at least N", "withheld", "not available"), never zero. */
export function countText(r: { count: number | null; display?: string; withheld?: boolean }): string {
  if (r.count === null) return r.display && r.display !== '' ? r.display : 'withheld';
  return fmtInt(r.count);
}

/** Outcome and other coded values in plain words (neutral wording). */
const LABELS: Record<string, string> = {
  transferred_to_ice: 'Transferred to ICE',
  declined: 'Declined by the jail or agency',
  lifted_by_ice: 'Lifted by ICE',
  released_other: 'Released otherwise',
  open_or_unknown: 'Open or unknown',
  ice_custody_unlinked: 'In ICE custody, no linked arrest',
  'transferred_to_ice|lift_reason': 'Transferred to ICE: lift reason says so',
  'transferred_to_ice|linked_book_in': 'Transferred to ICE: blank lift reason, linked custodial book-in',
  'ice_custody_unlinked|stay_without_arrest': 'In ICE custody, no linked arrest',
  'declined|lift_reason': 'Declined by the jail or agency',
  'lifted_by_ice|us_citizen': 'Lifted by ICE: U.S. citizen or claim to citizenship',
  'lifted_by_ice|other_lift_reason': 'Lifted by ICE: other reasons',
  'released_other|lift_reason': 'Released otherwise',
  'open_or_unknown|blank_near_cutoff': 'Open or unknown: blank, prepared within 90 days of the cut-off',
  'open_or_unknown|blank': 'Open or unknown: blank lift reason',
  'open_or_unknown|lift_reason_unmapped': 'Open or unknown: lift reason not in the vocabulary',
  declined_or_released_other: 'Declined or released otherwise',
  any_later_arrest: 'Any later ICE arrest',
  community: 'At large (community arrest)',
  custodial: 'Custodial (from a jail or prison)',
  other_or_unknown_setting: 'Other or unknown setting',
  none_found: 'No later ICE arrest found',
  no_identifier: 'No person identifier (cannot be linked)',
  total: 'Total',
  any_non_transfer: 'Any non-transfer outcome',
  community_after_declined_detainer: 'Community arrest after a declined detainer',
  lift_reason_blank: 'Lift reason blank',
  identifier_missing: 'No person identifier',
  county_unmatched: 'Facility not matched to a county',
  unknown: 'Unknown',
};

export const label = (v: string): string => LABELS[v] ?? v.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** Policy regimes (honors_detainers), described by what the rule does (src/policy/DESIGN.md). */
export const REGIMES: Record<string, string> = {
  hold_required: 'Law requires honoring each detainer',
  no_local_limits: 'Law bans local limits on cooperation',
  holds_allowed: 'Holds made; no rule limits them',
  holds_conditional: 'Holds only for listed offenses or documents',
  judicial_warrant_only: 'Holds only with a judicial warrant',
  no_holds: 'No holds on a detainer alone',
  unclear: 'No rule found',
  none: 'No reviewed entry',
  varies: 'Varies by place',
};
/** Values that are not map regimes: a federal facility's result, and entries that set no rule. */
const OTHER_REGIMES: Record<string, string> = {
  federal: 'Federal facility (no state or local rule)',
  context: 'Context (sets no detainer rule)',
};
export const regimeLabel = (v: string | null | undefined): string => (v ? (REGIMES[v] ?? OTHER_REGIMES[v] ?? label(v)) : REGIMES.none!);

export const OUTCOMES = ['transferred_to_ice', 'ice_custody_unlinked', 'declined', 'lifted_by_ice', 'released_other', 'open_or_unknown'] as const;

type Child = Node | string | null | undefined | false;

/** Creates an element with attributes and children; text is always set as text, never parsed. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined | null> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'style') throw new Error('no inline styles (CSP): use a class');
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** An external link (sources, citations) that opens with no referrer. */
export const extLink = (href: string, text: string): HTMLAnchorElement => h('a', { href, rel: 'noopener noreferrer external' }, text);

export function monthOf(date: string): string {
  return date.slice(0, 7);
}
