/**
 * Reads and checks the reviewed policy files in `reference/policies/*.yaml`.
 *
 * Does: validate each file against `reference/policies/schema.json` (ajv), then check what a
 * schema cannot say: ids unique across files, real calendar dates, end not before start, the id and
 * file name agree with the level, `preempted_by` names an existing state entry of the same state,
 * `enjoins` names existing entries, an injunction or 287(g) agreement sets no rule of its own
 * (`context`), `covers_counties` lie in the city's state and `unified_jail_system` is on a state.
 * Fills the defaults of optional fields (`enjoins: []`, nulls) so every loaded entry is complete.
 * Every problem is a HandoffError('invalid_reference') naming the file and, where there is one, the
 * entry.
 *
 * Does not: read the research table (`../shared/policy-research/`), which is input to the reviewed
 * files and not needed to load or test them.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import jsYaml from 'js-yaml';
import { HandoffError } from '../core/errors.ts';
import { stateByFips, stateByPostal } from '../geo/states.ts';
import { approxAfter, approxStart, isIsoDate } from './dates.ts';
import { jurisdictionId, policyFileName } from './places.ts';
import type { Jurisdiction, LoadedPolicyEntry, PolicyFile, PolicySet } from './types.ts';
import { JURISDICTION_LEVELS } from './types.ts';
import { REPO_ROOT } from '../core/repo-root.ts';


/** Default folder of the policy files. */
export const DEFAULT_POLICIES_DIR = join(REPO_ROOT, 'reference/policies');

/** Path of the JSON Schema every policy file must satisfy. */
export const POLICY_SCHEMA_PATH = join(REPO_ROOT, 'reference/policies/schema.json');

/** One policy file as text, before parsing. */
export interface PolicySourceFile {
  /** File name without directory, e.g. `state-ma.yaml`. */
  name: string;
  text: string;
}

let validatorPromise: Promise<ValidateFunction> | undefined;

async function getValidator(): Promise<ValidateFunction> {
  validatorPromise ??= readFile(POLICY_SCHEMA_PATH, 'utf8').then((text) => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    return ajv.compile(JSON.parse(text) as object);
  });
  return validatorPromise;
}

/**
 * Loads every `*.yaml` file of `dir` (default `reference/policies`), validates it and returns the
 * indexed set. Throws HandoffError('invalid_reference') on the first problem found, or
 * HandoffError('not_found') when the folder cannot be read.
 */
export async function loadPolicies(dir: string = DEFAULT_POLICIES_DIR): Promise<PolicySet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.yaml')).sort();
  } catch (cause) {
    throw new HandoffError('not_found', `policy folder not found: ${dir}`, { cause });
  }
  const files = await Promise.all(
    names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })),
  );
  return parsePolicyFiles(files, await getValidator());
}

/** Validates already-read policy files (see {@link loadPolicies}). */
export async function parsePolicySources(files: readonly PolicySourceFile[]): Promise<PolicySet> {
  return parsePolicyFiles(files, await getValidator());
}

function fail(file: string, message: string, entry?: string): never {
  const where = entry === undefined ? file : `${file}, entry "${entry}"`;
  throw new HandoffError('invalid_reference', `invalid policy file ${where}: ${message}`, {
    location: { file },
    details: entry === undefined ? {} : { entry },
  });
}

function describeAjvError(e: ErrorObject): string {
  const path = e.instancePath || '(file)';
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `${path} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (e.keyword === 'additionalProperties') {
    return `${path} has unknown field "${(e.params as { additionalProperty?: string }).additionalProperty}"`;
  }
  if (e.keyword === 'required') {
    return `${path} is missing field "${(e.params as { missingProperty?: string }).missingProperty}"`;
  }
  return `${path} ${e.message ?? 'is invalid'}`;
}

function parsePolicyFiles(files: readonly PolicySourceFile[], validate: ValidateFunction): PolicySet {
  const parsed: Array<{ name: string; data: PolicyFile }> = [];
  for (const { name, text } of files) {
    let data: unknown;
    try {
      // js-yaml's YAML 1.2 core schema (dates stay strings), several times faster than \`yaml\` here:
      // the server parses every policy file before its first answer.
      data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: name });
    } catch (cause) {
      fail(name, `not valid YAML (${cause instanceof Error ? cause.message : String(cause)})`);
    }
    if (!validate(data)) {
      const errors = validate.errors ?? [];
      const first = errors.find((e) => /^\/entries\/\d+/.test(e.instancePath)) ?? errors[0];
      const index = first?.instancePath.match(/^\/entries\/(\d+)/)?.[1];
      const entries = (data as { entries?: Array<{ id?: unknown }> } | null)?.entries;
      const entryId =
        index === undefined
          ? undefined
          : typeof entries?.[Number(index)]?.id === 'string'
            ? String(entries[Number(index)]!.id)
            : `#${Number(index) + 1}`;
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem(s))` : '';
      fail(name, `${first ? describeAjvError(first) : 'does not match the schema'}${more}`, entryId);
    }
    parsed.push({ name, data: data as PolicyFile });
  }

  const jurisdictions = new Map<string, Jurisdiction>();
  const byId = new Map<string, LoadedPolicyEntry>();
  const byJurisdiction = new Map<string, LoadedPolicyEntry[]>();
  const entries: LoadedPolicyEntry[] = [];
  for (const { name, data } of parsed) {
    const j = data.jurisdiction;
    checkJurisdiction(name, j);
    if (jurisdictions.has(j.id)) fail(name, `jurisdiction ${j.id} is also defined in another file`);
    jurisdictions.set(j.id, j);
    const list: LoadedPolicyEntry[] = [];
    for (const e of data.entries) {
      if (byId.has(e.id)) fail(name, `duplicate entry id (also in ${byId.get(e.id)!.file})`, e.id);
      checkEntryDates(name, e.id, e);
      checkEntryShape(name, e);
      const loaded: LoadedPolicyEntry = {
        ...e,
        scope: [...(e.scope ?? [])],
        kind: e.kind ?? 'other',
        primary_citation: e.primary_citation ?? false,
        effective_date_basis: e.effective_date_basis ?? null,
        enjoins: [...(e.enjoins ?? [])],
        preemption_blocked_by: e.preemption_blocked_by ?? null,
        agreement_287g: e.agreement_287g ?? null,
        review_note: e.review_note ?? null,
        sources: [...e.sources],
        jurisdiction: j,
        file: name,
      };
      byId.set(e.id, loaded);
      list.push(loaded);
      entries.push(loaded);
    }
    byJurisdiction.set(j.id, list);
  }
  for (const e of entries) {
    if (e.preempted_by === null) continue;
    const target = byId.get(e.preempted_by);
    if (!target) fail(e.file, `preempted_by "${e.preempted_by}" is not an entry id`, e.id);
    if (target.jurisdiction.level !== 'state' || target.jurisdiction.state !== e.jurisdiction.state) {
      fail(e.file, `preempted_by "${e.preempted_by}" must be a state entry of ${e.jurisdiction.state}`, e.id);
    }
    if (e.jurisdiction.level === 'state') fail(e.file, 'a state entry cannot be preempted_by another', e.id);
  }
  for (const e of entries) {
    for (const target of e.enjoins) {
      const t = byId.get(target);
      if (!t) fail(e.file, `enjoins "${target}", which is not an entry id`, e.id);
      if (t.jurisdiction.state !== e.jurisdiction.state) fail(e.file, `enjoins "${target}" of another state`, e.id);
    }
  }
  const order = (j: Jurisdiction) => JURISDICTION_LEVELS.indexOf(j.level);
  const sorted = [...jurisdictions.values()].sort((a, b) =>
    order(a) !== order(b) ? order(a) - order(b) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  return { jurisdictions: sorted, entries, byId, byJurisdiction };
}

function checkJurisdiction(file: string, j: Jurisdiction): void {
  const st = stateByPostal(j.state);
  if (!st) fail(file, `jurisdiction.state "${j.state}" is not a known state postal code`);
  const expectedId = jurisdictionId(j.level, { state: j.state, fips: j.fips, name: j.name });
  if (j.id !== expectedId) {
    fail(file, `jurisdiction.id "${j.id}" does not match level ${j.level} (expected "${expectedId}")`);
  }
  if (j.level === 'state' && j.fips !== st.fips) {
    fail(file, `jurisdiction.fips "${j.fips}" is not the FIPS code of ${st.name} ("${st.fips}")`);
  }
  if (j.level === 'county' && (j.fips === null || j.fips.length !== 5 || stateByFips(j.fips.slice(0, 2)) !== st)) {
    fail(file, `jurisdiction.fips "${j.fips}" is not a 5-digit county code in ${st.name}`);
  }
  if (j.level === 'city') {
    if (j.fips !== null) fail(file, 'a city has fips: null (use place_fips / county_fips)');
    if (j.county_fips && j.county_fips.slice(0, 2) !== st.fips) {
      fail(file, `jurisdiction.county_fips "${j.county_fips}" is not in ${st.name}`);
    }
  }
  if (j.level !== 'city' && (j.place_fips != null || j.county_fips != null || j.consolidated_city_county || j.covers_counties)) {
    fail(file, 'place_fips, county_fips, consolidated_city_county and covers_counties are for cities only');
  }
  for (const c of j.covers_counties ?? []) {
    if (c.slice(0, 2) !== st.fips) fail(file, `covers_counties "${c}" is not a county of ${st.name}`);
  }
  if (j.level !== 'state' && (j.unified_jail_system !== undefined || j.unified_jail_system_source !== undefined)) {
    fail(file, 'unified_jail_system is for states only');
  }
  if (j.unified_jail_system === true && !j.unified_jail_system_source) {
    fail(file, 'unified_jail_system needs unified_jail_system_source');
  }
  const expectedFile = policyFileName(j);
  if (file !== expectedFile) fail(file, `jurisdiction ${j.id} must be stored in ${expectedFile}`);
}

/** Rules between fields of one entry that the schema does not express. */
function checkEntryShape(file: string, e: PolicyFile['entries'][number]): void {
  if ((e.kind === 'injunction' || (e.enjoins ?? []).length > 0) && e.honors_detainers !== 'context') {
    fail(file, 'an injunction sets no rule of its own: honors_detainers must be "context"', e.id);
  }
  if (e.kind === 'injunction' && (e.enjoins ?? []).length === 0) fail(file, 'an injunction must name what it enjoins', e.id);
  if (e.kind === 'agreement_287g' && (e.honors_detainers !== 'context' || !e.agreement_287g)) {
    fail(file, 'a 287(g) agreement sets no rule of its own (honors_detainers "context") and names its model (agreement_287g)', e.id);
  }
  if (e.agreement_287g && e.kind !== 'agreement_287g') fail(file, 'agreement_287g is for kind agreement_287g only', e.id);
}

function checkEntryDates(file: string, id: string, e: PolicyFile['entries'][number]): void {
  for (const key of ['effective_date', 'end_date'] as const) {
    const v = e[key];
    if (v !== null && !isIsoDate(v)) fail(file, `${key} "${v}" is not a calendar date (YYYY-MM-DD)`, id);
  }
  if (e.effective_date !== null && e.effective_date_approx !== null) {
    fail(file, 'set effective_date or effective_date_approx, not both', id);
  }
  if (e.end_date !== null && e.end_date_approx !== null) {
    fail(file, 'set end_date or end_date_approx, not both', id);
  }
  const start = e.effective_date ?? (e.effective_date_approx ? approxStart(e.effective_date_approx) : null);
  if (start === null) return;
  // The end may equal the start; it may not lie wholly before it.
  const end = e.end_date ?? e.end_date_approx;
  const isBefore = e.end_date !== null ? e.end_date < start : e.end_date_approx !== null && approxAfter(e.end_date_approx) <= start;
  if (isBefore) {
    fail(file, `ends (${end}) before it takes effect (${e.effective_date ?? e.effective_date_approx})`, id);
  }
}
