/**
 * Seeds the reviewed policy files from the research table, reproducibly.
 *
 * RETIRED (2026 review, issue 16): reference/policies/*.yaml is now edited by hand and is the source
 * of truth (new fields: scope, kind, injunctions, review notes; new entries without a research row).
 * Running this script without --check would overwrite that review. Kept for its date-cell parser and
 * the DOJ designations conversion; see src/policy/DESIGN.md.
 *
 *   node --import tsx scripts/seed-policies.ts            # write reference/policies/*.yaml and
 *                                                         # reference/designations/doj-2025-08-05.csv
 *   node --import tsx scripts/seed-policies.ts --check    # exit 1 if the committed files differ
 *   ... --research <policies.csv> --doj <doj list csv>    # other inputs (defaults: ../shared/...)
 *
 * Every research row becomes one entry, with its citation, sources, confidence and the line it came
 * from (`research_row`). Nothing is added that the row does not say; the only derived values are the
 * ids, the parsed dates (the original date cell is kept in `effective_date_note` whenever it was more
 * than a plain date) and `end_date`, set by the succession rule documented in src/policy/DESIGN.md.
 * Running the script twice gives byte-identical files; a test checks that the committed files are
 * exactly what it produces.
 */
import { readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import YAML from 'yaml';
import { stateByName, stateByPostal } from '../src/geo/states.ts';
import { approxStart, isApproxDate, isIsoDate } from '../src/policy/dates.ts';
import { jurisdictionId, policyFileName, slugify } from '../src/policy/places.ts';
import type {
  Confidence,
  HonorsDetainers,
  Jurisdiction,
  JurisdictionLevel,
  PolicyEntry,
  PolicyFile,
  ReleaseNotification,
} from '../src/policy/types.ts';
import {
  HONORS_DETAINERS_VALUES,
  RELEASE_NOTIFICATION_VALUES,
} from '../src/policy/types.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Default locations of the inputs (the shared research folder next to the repository). */
export const DEFAULT_RESEARCH_CSV = resolve(ROOT, '../shared/policy-research/policies.csv');
export const DEFAULT_DOJ_CSV = resolve(
  ROOT,
  '../shared/data/doj-sanctuary-list-2025-08-05/doj_sanctuary_jurisdictions_2025-08-05.csv',
);
/** Output folders. */
export const POLICIES_DIR = join(ROOT, 'reference/policies');
export const DESIGNATIONS_DIR = join(ROOT, 'reference/designations');
export const DOJ_DESIGNATIONS_FILE = 'doj-2025-08-05.csv';

/** One row of policies.csv, with its line number. */
export interface ResearchRow {
  line: number;
  jurisdiction: string;
  level: string;
  fips_if_known: string;
  policy_summary: string;
  honors_detainers: string;
  release_notification: string;
  effective_date: string;
  citation: string;
  source_url_or_repo_path: string;
  confidence: string;
}

/**
 * Local entries that a research row itself says a state law overrides. Keyed by the local row's
 * jurisdiction; the state entry is found by its jurisdiction and citation. Only rows whose own text
 * says so belong here (Mecklenburg: "state HB 10 (effective 2024-12-01) made that illegal").
 */
const PREEMPTIONS: ReadonlyArray<{ local: string; state: string; stateCitation: string }> = [
  {
    local: 'Mecklenburg County, NC',
    state: 'North Carolina',
    stateCitation: 'N.C. Session Law 2024 (HB 10)',
  },
];

/** Reads policies.csv text into rows, keeping each row's line number (header = line 1). */
export function readResearchRows(csvText: string): ResearchRow[] {
  const records = parseCsv(csvText, { columns: true, info: true, skip_empty_lines: true }) as Array<{
    record: Record<string, string>;
    info: { lines: number };
  }>;
  return records.map(({ record, info }) => ({ line: info.lines, ...record }) as ResearchRow);
}

/** Dates parsed from one `effective_date` cell: the date fields of a policy entry. */
export type ParsedDates = Pick<
  PolicyEntry,
  'effective_date' | 'effective_date_approx' | 'effective_date_note' | 'end_date' | 'end_date_approx' | 'end_date_note'
>;

/**
 * Parses an `effective_date` cell. A plain ISO date is taken as is; `DATE (note)` keeps the date and
 * puts the note aside; a cell starting with a date keeps that date and the whole cell as the note; a
 * cell starting with a year or year-month becomes an approximate date; anything else gives no date.
 * Nothing is guessed: the cell text is never lost.
 */
export function parseDateCell(cell: string): ParsedDates {
  const raw = cell.trim();
  const out: ParsedDates = {
    effective_date: null,
    effective_date_approx: null,
    effective_date_note: null,
    end_date: null,
    end_date_approx: null,
    end_date_note: null,
  };
  if (raw === '') return out;
  let m: RegExpMatchArray | null;
  if (isIsoDate(raw)) {
    out.effective_date = raw;
  } else if ((m = raw.match(/^(\d{4}-\d{2}-\d{2}) \(([^()]*)\)$/)) && isIsoDate(m[1])) {
    out.effective_date = m[1]!;
    out.effective_date_note = m[2]!;
  } else if ((m = raw.match(/^(\d{4}(?:-\d{2}){0,2}) to (\d{4}-\d{2}-\d{2})$/)) && isIsoDate(m[2])) {
    if (isIsoDate(m[1])) out.effective_date = m[1]!;
    else if (isApproxDate(m[1])) out.effective_date_approx = m[1]!;
    out.effective_date_note = raw;
    out.end_date = m[2]!;
    out.end_date_note = `end date as given in the research table: "${raw}"`;
  } else if ((m = raw.match(/^terminated (\d{4}-\d{2})$/)) && isApproxDate(m[1])) {
    out.effective_date_note = raw;
    out.end_date_approx = m[1]!;
    out.end_date_note = `end as given in the research table: "${raw}"`;
  } else if ((m = raw.match(/^(\d{4}-\d{2}-\d{2})\b/)) && isIsoDate(m[1])) {
    out.effective_date = m[1]!;
    out.effective_date_note = raw;
  } else if ((m = raw.match(/^(\d{4}(?:-(?:0[1-9]|1[0-2]))?)(?![\d-])/)) && isApproxDate(m[1])) {
    out.effective_date_approx = m[1]!;
    out.effective_date_note = raw;
  } else {
    out.effective_date_note = raw;
  }
  return out;
}

/** Builds the jurisdiction record for a research row. Throws when the row cannot be placed. */
export function jurisdictionOf(row: ResearchRow): Jurisdiction {
  const level = row.level.trim() as JurisdictionLevel;
  const fipsCell = row.fips_if_known.trim();
  const fipsDigits = fipsCell.match(/^\d+/)?.[0] ?? '';
  const where = `policies.csv line ${row.line} (${row.jurisdiction})`;
  if (level === 'state') {
    const st = stateByName(row.jurisdiction);
    if (!st) throw new Error(`${where}: unknown state name`);
    if (fipsDigits && fipsDigits !== st.fips) throw new Error(`${where}: FIPS ${fipsCell} is not ${st.fips}`);
    return { id: jurisdictionId('state', { state: st.postal }), level, name: st.name, state: st.postal, fips: st.fips };
  }
  const m = row.jurisdiction.match(/^(.*), ([A-Z]{2})$/);
  const st = m ? stateByPostal(m[2]!) : undefined;
  if (!m || !st) throw new Error(`${where}: expected "Name, ST"`);
  const name = m[1]!.trim();
  if (level === 'county') {
    if (!/^\d{5}$/.test(fipsDigits) || fipsDigits.slice(0, 2) !== st.fips) {
      throw new Error(`${where}: county FIPS "${fipsCell}" is not a 5-digit code in ${st.postal}`);
    }
    return { id: jurisdictionId('county', { state: st.postal, fips: fipsDigits }), level, name, state: st.postal, fips: fipsDigits };
  }
  if (level === 'city') {
    const j: Jurisdiction = {
      id: jurisdictionId('city', { state: st.postal, name }),
      level,
      name,
      state: st.postal,
      fips: null,
      place_fips: null,
      county_fips: null,
      consolidated_city_county: false,
    };
    if (/\(place\)/.test(fipsCell) && /^\d{7}$/.test(fipsDigits)) j.place_fips = fipsDigits;
    if (/consolidated city-county/.test(fipsCell) && /^\d{5}$/.test(fipsDigits)) {
      j.county_fips = fipsDigits;
      j.consolidated_city_county = true;
    }
    return j;
  }
  throw new Error(`${where}: unknown level "${row.level}"`);
}

function entryPrefix(j: Jurisdiction): string {
  const st = j.state.toLowerCase();
  return j.level === 'state' ? st : `${st}-${slugify(j.name)}`;
}

function startKey(e: PolicyEntry): string | null {
  if (e.effective_date) return e.effective_date;
  if (e.effective_date_approx) return approxStart(e.effective_date_approx);
  return null;
}

function displayStart(e: PolicyEntry): string {
  return e.effective_date ?? e.effective_date_approx ?? 'date unknown';
}

/**
 * Converts research rows into policy files, keyed by file name. Entries of a jurisdiction are
 * ordered by start date (exact or approximate; undated last; ties by research line) and the
 * succession rule sets each dated entry's end to the next dated entry's start.
 */
export function buildPolicyFiles(rows: readonly ResearchRow[]): Map<string, PolicyFile> {
  const groups = new Map<string, { jurisdiction: Jurisdiction; rows: ResearchRow[] }>();
  for (const row of rows) {
    const j = jurisdictionOf(row);
    const g = groups.get(j.id);
    if (g) g.rows.push(row);
    else groups.set(j.id, { jurisdiction: j, rows: [row] });
  }
  const usedIds = new Set<string>();
  const files = new Map<string, PolicyFile>();
  const byJurisdictionName = new Map<string, PolicyEntry[]>();
  for (const { jurisdiction, rows: jrows } of groups.values()) {
    const entries = jrows.map((row) => toEntry(row, jurisdiction, usedIds));
    entries.sort((a, b) => {
      const ka = startKey(a);
      const kb = startKey(b);
      if (ka !== kb) return ka === null ? 1 : kb === null ? -1 : ka < kb ? -1 : 1;
      return (a.research_row ?? 0) - (b.research_row ?? 0);
    });
    applySuccession(entries);
    files.set(policyFileName(jurisdiction), { jurisdiction, entries });
    byJurisdictionName.set(jrows[0]!.jurisdiction, entries);
  }
  for (const p of PREEMPTIONS) {
    const local = byJurisdictionName.get(p.local);
    const state = byJurisdictionName.get(p.state)?.find((e) => e.citation === p.stateCitation);
    if (!local || !state) throw new Error(`preemption note ${p.local} -> ${p.stateCitation}: row not found`);
    for (const e of local) e.preempted_by = state.id;
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function toEntry(row: ResearchRow, j: Jurisdiction, usedIds: Set<string>): PolicyEntry {
  const where = `policies.csv line ${row.line}`;
  const honors = row.honors_detainers.trim() as HonorsDetainers;
  if (!HONORS_DETAINERS_VALUES.includes(honors)) throw new Error(`${where}: honors_detainers "${honors}"`);
  const notification = row.release_notification.trim() as ReleaseNotification;
  if (!RELEASE_NOTIFICATION_VALUES.includes(notification)) {
    throw new Error(`${where}: release_notification "${notification}"`);
  }
  const confidence = row.confidence.trim() as Confidence;
  if (!['high', 'medium', 'low'].includes(confidence)) throw new Error(`${where}: confidence "${confidence}"`);
  const dates = parseDateCell(row.effective_date);
  const year = (dates.effective_date ?? dates.effective_date_approx ?? '').slice(0, 4) || 'undated';
  // Short readable tail from the citation; one-letter tokens ("N. C.", "(g)") are dropped, "v" kept.
  const citationWords = slugify(row.citation)
    .split('-')
    .filter((w) => w.length > 1 || w === 'v')
    .slice(0, 3)
    .join('-');
  const base = `${entryPrefix(j)}-${year}-${citationWords || 'uncited'}`;
  let id = base;
  for (let n = 2; usedIds.has(id); n += 1) id = `${base}-${n}`;
  usedIds.add(id);
  const sourceCell = row.source_url_or_repo_path.trim();
  const sources =
    sourceCell === '' || sourceCell.toLowerCase() === 'none found'
      ? []
      : sourceCell.split(/\s+;\s+/).map((s) => s.trim()).filter(Boolean);
  return {
    id,
    honors_detainers: honors,
    release_notification: notification,
    ice_jail_access: null,
    summary: row.policy_summary.trim(),
    citation: row.citation.trim(),
    sources,
    confidence,
    ...dates,
    preempted_by: null,
    research_row: row.line,
  };
}

/** Sets end dates by the succession rule (see DESIGN.md). Entries must be sorted already. */
function applySuccession(entries: PolicyEntry[]): void {
  for (let i = 0; i < entries.length - 1; i += 1) {
    const cur = entries[i]!;
    const next = entries[i + 1]!;
    const curKey = startKey(cur);
    const nextKey = startKey(next);
    if (curKey === null || nextKey === null) continue;
    if (cur.end_date !== null || cur.end_date_approx !== null) continue;
    const rule = `succession rule: followed by ${next.id} (effective ${displayStart(next)})`;
    if (nextKey <= curKey) {
      cur.end_date_note = `${rule}; which of the two applies first is not known`;
    } else if (next.effective_date) {
      cur.end_date = next.effective_date;
      cur.end_date_note = rule;
    } else {
      cur.end_date_approx = next.effective_date_approx;
      cur.end_date_note = `${rule}; exact day not known`;
    }
  }
}

/** Serialises one policy file as YAML, with a short header. Deterministic. */
export function policyFileToYaml(file: PolicyFile): string {
  const doc = new YAML.Document(file);
  const j = doc.get('jurisdiction', true) as YAML.YAMLMap;
  j.flow = true;
  // YAML 1.1 readers turn bare yes/no into booleans: quote them so every reader sees text.
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && /^(y|n|yes|no|on|off|true|false|null|~)$/i.test(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  const header =
    '# Detainer policy entries for one jurisdiction. Generated by scripts/seed-policies.ts from the\n' +
    '# research table (research_row = its line in policies.csv), then reviewed. Vocabulary and rules:\n' +
    '# src/policy/DESIGN.md. Schema: reference/policies/schema.json.\n';
  return header + doc.toString({ lineWidth: 0 });
}

/** Converts the transcribed DOJ list (5 Aug 2025) to the reference CSV, adding jurisdiction ids. */
export function buildDesignationsCsv(dojCsvText: string): string {
  const rows = parseCsv(dojCsvText, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const lines = ['level,jurisdiction,state,county_fips,jurisdiction_id'];
  for (const r of rows) {
    const level = (r.level ?? '').trim() as JurisdictionLevel;
    const name = (r.jurisdiction ?? '').trim();
    const st = stateByPostal(r.state_abbr ?? '');
    const fips = (r.county_fips_if_county ?? '').trim();
    if (!st) throw new Error(`DOJ list: unknown state "${r.state_abbr}" for ${name}`);
    if (!['state', 'county', 'city'].includes(level)) throw new Error(`DOJ list: level "${level}"`);
    if (level === 'county' && !/^\d{5}$/.test(fips)) throw new Error(`DOJ list: county ${name} without FIPS`);
    const id = jurisdictionId(level, { state: st.postal, fips, name });
    lines.push([level, name, st.postal, fips, id].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Everything the script writes: path relative to the repository root -> content. */
export async function buildOutputs(
  researchCsv = DEFAULT_RESEARCH_CSV,
  dojCsv = DEFAULT_DOJ_CSV,
): Promise<Map<string, string>> {
  const rows = readResearchRows(await readFile(researchCsv, 'utf8'));
  const out = new Map<string, string>();
  for (const [name, file] of buildPolicyFiles(rows)) out.set(`reference/policies/${name}`, policyFileToYaml(file));
  out.set(`reference/designations/${DOJ_DESIGNATIONS_FILE}`, buildDesignationsCsv(await readFile(dojCsv, 'utf8')));
  return out;
}

/** True for the generated policy file names (so hand-kept files such as schema.json are left alone). */
export function isGeneratedPolicyFile(name: string): boolean {
  return /^(state|county|city)-[a-z0-9-]+\.yaml$/.test(name);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { check: { type: 'boolean' }, research: { type: 'string' }, doj: { type: 'string' } },
  });
  const outputs = await buildOutputs(values.research ?? DEFAULT_RESEARCH_CSV, values.doj ?? DEFAULT_DOJ_CSV);
  const stale = (await readdir(POLICIES_DIR).catch(() => [] as string[]))
    .filter(isGeneratedPolicyFile)
    .filter((name) => !outputs.has(`reference/policies/${name}`));
  const changed: string[] = [];
  for (const [rel, content] of outputs) {
    const current = await readFile(join(ROOT, rel), 'utf8').catch(() => null);
    if (current !== content) changed.push(rel);
  }
  if (values.check) {
    const problems = [...changed, ...stale.map((s) => `reference/policies/${s} (stale)`)];
    if (problems.length > 0) {
      process.stderr.write(`seed-policies: out of date:\n  ${problems.join('\n  ')}\n`);
      process.exitCode = 1;
    }
    return;
  }
  await mkdir(POLICIES_DIR, { recursive: true });
  await mkdir(DESIGNATIONS_DIR, { recursive: true });
  for (const rel of changed) await writeFile(join(ROOT, rel), outputs.get(rel)!, 'utf8');
  for (const name of stale) await rm(join(POLICIES_DIR, name));
  process.stdout.write(
    `seed-policies: ${outputs.size} files (${changed.length} written, ${stale.length} removed)\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
