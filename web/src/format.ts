/**
 * Number and label formatting, and small DOM helpers (no innerHTML with data: text only). This file is
 * the dashboard's one home of labels for coded values (LABELS, REGIMES) and of which glossary entry
 * explains each (TERMS); pages call label(), labelNode(), regimeLabel() and termLink(), never their own copies.
 */
import { glossaryHref } from './glossary.ts';

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
  after_detainer: 'A detainer of the person came first',
  no_detainer_found: 'No detainer of the person in the release',
  total: 'Total',
  any_non_transfer: 'Any non-transfer outcome',
  community_after_declined_detainer: 'Community arrest after a declined detainer',
  lift_reason_blank: 'Lift reason blank',
  identifier_missing: 'No person identifier',
  county_unmatched: 'Facility not matched to a county',
  unknown: 'Unknown',
  violent_ucr: 'Violent offense (UCR set)',
  not_violent_ucr: 'Not violent (UCR set)',
  violent_broad: 'Violent offense (broad set)',
  not_violent_broad: 'Not violent (broad set)',
  hold_request: 'Hold request (I-247A, I-247, I-247D)',
  notification_request: 'Notification only (I-247N)',
  transfer_request: 'Voluntary transfer request (I-247G / I-247X)',
  regime_at_start: 'Policy in force at the start of the period',
  regime_at_end: 'Policy in force at the end of the period',
  changed_in_period: 'Policy changed in the period',
  agreements_287g_participating: '287(g) agreements participating',
  agreements_287g_models: '287(g) models',
  agreements_287g_snapshot: '287(g) sheet date',
  jail_enforcement: 'Jail enforcement model',
  task_force: 'Task force model',
  warrant_service_officer: 'Warrant service officer model',
  at_least: 'At least N',
  not_available: 'Not available',
  withheld: 'Withheld',
  ice_release: 'ICE FOIA release',
  detainers_issued: 'Detainers issued',
  released_without_ice_custody_upper_bound: 'Released without ICE custody (upper bound)',
  ice_arrests: 'ICE arrests',
  removals: 'Removals',
  latest_detainer_not_transferred: 'Latest earlier detainer ended without a transfer to ICE (declined, lifted by ICE, released otherwise, open or unknown)',
  latest_detainer_declined: '… of which declined by the jail or agency',
  latest_detainer_transferred_to_ice: 'Latest earlier detainer: transferred to ICE',
  latest_detainer_ice_custody_unlinked: 'Latest earlier detainer: in ICE custody, no linked arrest',
  latest_detainer_lifted_by_ice: 'Latest earlier detainer: lifted by ICE',
  latest_detainer_released_other: 'Latest earlier detainer: released otherwise',
  latest_detainer_open_or_unknown: 'Latest earlier detainer: open or unknown',
  convicted_criminal: 'Convicted criminal',
  pending_criminal_charges: 'Pending criminal charges',
  other_immigration_violator: 'Other immigration violator',
};

/**
 * Which glossary entry (web/src/glossary.ts) explains a coded value or a label: the dashboard links the
 * label to `/about#g-<id>`. Keys are the same codes as LABELS, plus a few fixed phrases.
 */
export const TERMS: Record<string, string> = {
  transferred_to_ice: 'transferred',
  ice_custody_unlinked: 'outcome',
  declined: 'declined',
  lifted_by_ice: 'outcome',
  released_other: 'outcome',
  open_or_unknown: 'outcome',
  declined_or_released_other: 'declined',
  community: 'at-large',
  custodial: 'custodial',
  community_after_declined_detainer: 'at-large',
  lift_reason_blank: 'lift-reason',
  violent_ucr: 'violent-ucr',
  not_violent_ucr: 'violent-ucr',
  violent_broad: 'violent-broad',
  not_violent_broad: 'violent-broad',
  hold_request: 'i-247a',
  notification_request: 'i-247n',
  transfer_request: 'i-247g',
  jail_enforcement: '287g-jail',
  task_force: '287g-task-force',
  warrant_service_officer: '287g-wso',
  agreements_287g_participating: '287g',
  agreements_287g_models: '287g',
  fiscal_year: 'fiscal-year',
  at_least: 'at-least',
  not_available: 'not-available',
  withheld: 'withheld',
  detainer: 'detainer',
  detainers_issued: 'detainer',
  released_without_ice_custody_upper_bound: 'outcome',
};

/** Free text from the API (notes) with the coded values it names put in plain words (lower case mid-sentence). */
export const plainCodes = (text: string): string => text.replace(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g, (c) => (LABELS[c] ? LABELS[c]!.replace(/^[A-Z](?=[a-z])/, (x) => x.toLowerCase()) : c));

/** A link from a term to its glossary entry on the About page. */
export const termLink = (text: string, id: string): HTMLAnchorElement => h('a', { href: glossaryHref(id), class: 'term' }, text);

/** A coded value in plain words, linked to its glossary entry when it has one. */
export const labelNode = (v: string): Node => (TERMS[v] ? termLink(label(v), TERMS[v]!) : document.createTextNode(label(v)));

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
  no_data: 'No dated entry decides',
  no_lift_date: 'No lift date in the release',
  holds_allowed_or_required: 'Holds allowed or required (pooled)',
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
