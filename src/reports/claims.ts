/**
 * Claim files: `reference/claims/<id>.yaml`, validated against `reference/claims/schema.json` (ajv),
 * then checked for what a schema cannot say — the file name matches the id, every metric exists in
 * the registry and supports the `by` asked for, places and periods parse, the violent definition
 * agrees with the breakdown, a claim marked `verified` lists a source that carries the words, a date
 * written `unknown` says what is known, and every statement is either testable with queries of the
 * file or not testable with a reason, citing only the file's own sources.
 * Every problem is a HandoffError('invalid_reference') naming the file and the field.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import YAML from 'yaml';
import { HandoffError, isHandoffError } from '../core/errors.ts';
import { findMetric, METRICS, parsePlaceParam } from '../metrics/index.ts';
import { isIsoDate, parsePlaceKey } from '../policy/index.ts';
import { parsePeriodLabel } from './period-label.ts';
import { REPO_ROOT } from '../core/repo-root.ts';


/** Folder of the reviewed claim files. */
export const DEFAULT_CLAIMS_DIR = join(REPO_ROOT, 'reference/claims');
/** JSON Schema every claim file must satisfy. */
export const CLAIM_SCHEMA_PATH = join(REPO_ROOT, 'reference/claims/schema.json');

/** One source of a claim's words (or of context). */
export interface ClaimSource {
  url: string;
  title?: string | null;
  publisher?: string | null;
  published?: string | null;
  /** primary: the speaker's own channel; press: a news outlet; secondary: an aggregator or blog; context: does not carry the words. */
  kind: 'primary' | 'press' | 'secondary' | 'context';
  carries_words: boolean;
  note?: string | null;
}

/** One metric query that bears on a claim, with the words that frame it. */
export interface ClaimQuery {
  id: string;
  question: string;
  metric: string;
  population: string;
  place: string;
  period: string;
  grain?: 'month' | 'quarter' | 'fiscal_year' | 'calendar_year' | 'total';
  by?: string;
  numerator: string;
  denominator: string;
  definition: string;
  violent_definition?: 'violent_ucr' | 'violent_broad' | null;
  shows: string;
  does_not_show: string;
  chart?: 'bar' | 'line' | 'none';
}

/** Another sentence the sources quote: the speaker's own, or a counter-claim the same coverage carries. */
export interface ClaimStatement {
  id: string;
  words: string;
  /** same_speaker: the claim's speaker; counter_claim: another speaker (then `speaker` is given). */
  relation: 'same_speaker' | 'counter_claim';
  speaker?: { name: string | null; role: string; organization: string };
  /** Default: the claim's. `unknown` when the sources give no date. */
  said_on?: string;
  said_on_note?: string | null;
  /** URLs of the claim's sources that carry these words verbatim. */
  sources: string[];
  source_note: string;
  testable: boolean;
  /** Why no figure bears on the words; given exactly when `testable` is false. */
  not_testable_reason?: string;
  /** Ids of the claim's queries that bear on the words; non-empty exactly when `testable`. */
  queries?: string[];
}

/** A place whose policy timeline bears on a claim. */
export interface ClaimPolicy {
  place: string;
  at?: string[];
  shows?: string;
  does_not_show?: string;
}

/** A claim file as loaded. */
export interface Claim {
  id: string;
  title: string;
  words: string;
  speaker: { name: string | null; role: string; organization: string };
  /** YYYY-MM-DD, YYYY-MM, or `unknown` (then said_on_note says what is known). */
  said_on: string;
  said_on_note?: string | null;
  where: { place: string; setting: string };
  sources: ClaimSource[];
  source_status: 'verified' | 'unverified';
  source_note: string;
  reviewed?: { on: string; by?: string | null };
  policy?: ClaimPolicy[];
  statements?: ClaimStatement[];
  queries: ClaimQuery[];
  /** Path of the file it was read from (not part of the file). */
  file: string;
}

let validatorPromise: Promise<ValidateFunction> | undefined;

function validator(): Promise<ValidateFunction> {
  validatorPromise ??= readFile(CLAIM_SCHEMA_PATH, 'utf8').then((text) => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    return ajv.compile(JSON.parse(text) as object);
  });
  return validatorPromise;
}

/** `/queries/0/period` → `queries[0].period`. */
function fieldOf(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

function schemaMessage(e: ErrorObject): string {
  const field = fieldOf(e.instancePath) || '(top level)';
  if (e.keyword === 'additionalProperties') return `${field}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'required') return `${field === '(top level)' ? '' : `${field}: `}missing field "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === 'enum') return `${field}: ${e.message} (${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String).join(', ')})`;
  return `${field}: ${e.message}`;
}

/**
 * Parses and checks one claim file's text. `file` names it in errors (and gives the expected id).
 * Throws HandoffError('invalid_reference') with `file: field: problem` messages.
 */
export async function parseClaim(file: string, text: string): Promise<Claim> {
  const name = basename(file);
  const fail = (problems: string[]): never => {
    throw new HandoffError('invalid_reference', `${file}: ${problems.join('; ')}`, { location: { file }, details: { problems } });
  };
  let data: unknown;
  try {
    data = YAML.parse(text, { prettyErrors: true });
  } catch (e) {
    fail([`not valid YAML: ${(e as Error).message.split('\n')[0]}`]);
  }
  const validate = await validator();
  if (!validate(data)) fail((validate.errors ?? []).map(schemaMessage));
  const claim = data as Omit<Claim, 'file'>;
  const problems: string[] = [];
  if (name.endsWith('.yaml') && name !== `${claim.id}.yaml`) problems.push(`id: "${claim.id}" does not match the file name ${name}`);
  const checkDate = (field: string, on: string, note: string | null | undefined) => {
    if (on.length === 10 && !isIsoDate(on)) problems.push(`${field}: "${on}" is not a calendar date`);
    if (on === 'unknown' && !note?.trim()) problems.push(`${field}: "unknown" needs ${field}_note saying what is known of the date`);
  };
  checkDate('said_on', claim.said_on, claim.said_on_note);
  const tryParse = (field: string, f: () => unknown) => {
    try {
      f();
    } catch (e) {
      problems.push(`${field}: ${isHandoffError(e) ? e.message : String(e)}`);
    }
  };
  tryParse('where.place', () => parsePlaceParam(claim.where.place));
  if (claim.source_status === 'verified' && !claim.sources.some((s) => s.carries_words)) {
    problems.push('source_status: "verified" needs a source with carries_words: true');
  }
  const ids = new Set<string>();
  claim.queries.forEach((q, i) => {
    const at = `queries[${i}]`;
    if (ids.has(q.id)) problems.push(`${at}.id: "${q.id}" is used twice`);
    ids.add(q.id);
    const metric = findMetric(q.metric);
    if (!metric) {
      problems.push(`${at}.metric: unknown metric "${q.metric}"; metrics: ${METRICS.map((m) => m.id).join(', ')}`);
      return;
    }
    if (q.by !== undefined && !metric.by.includes(q.by)) problems.push(`${at}.by: "${q.by}" is not supported by ${metric.id}; use one of ${metric.by.join(', ')}`);
    tryParse(`${at}.place`, () => parsePlaceParam(q.place));
    tryParse(`${at}.period`, () => parsePeriodLabel(q.period));
    const by = q.by ?? metric.by[0]!;
    const violence = metric.violence.find((v) => v.by === by)?.definition ?? null;
    if (violence && q.violent_definition !== violence) problems.push(`${at}.violent_definition: by=${by} uses ${violence}; say so (violent_definition: ${violence})`);
    if (!violence && q.violent_definition) problems.push(`${at}.violent_definition: ${q.violent_definition} is given but by=${by} of ${metric.id} uses no violent definition`);
  });
  const sourceUrls = new Set(claim.sources.map((s) => s.url));
  const statementIds = new Set<string>();
  (claim.statements ?? []).forEach((s, i) => {
    const at = `statements[${i}]`;
    if (statementIds.has(s.id)) problems.push(`${at}.id: "${s.id}" is used twice`);
    statementIds.add(s.id);
    if (s.relation === 'counter_claim' && !s.speaker) problems.push(`${at}.speaker: a counter_claim names its speaker`);
    if (s.relation === 'same_speaker' && s.speaker) problems.push(`${at}.speaker: a same_speaker statement takes the claim's speaker; use relation: counter_claim for another speaker`);
    if (s.said_on !== undefined) checkDate(`${at}.said_on`, s.said_on, s.said_on_note);
    s.sources.forEach((url, k) => {
      if (!sourceUrls.has(url)) problems.push(`${at}.sources[${k}]: "${url}" is not one of the claim's sources[]`);
    });
    const refs = s.queries ?? [];
    if (s.testable) {
      if (!refs.length) problems.push(`${at}.queries: a testable statement lists the queries that bear on it (or say testable: false with not_testable_reason)`);
      if (s.not_testable_reason !== undefined) problems.push(`${at}.not_testable_reason: given, but the statement is testable`);
    } else {
      if (!s.not_testable_reason?.trim()) problems.push(`${at}.not_testable_reason: testable: false needs the reason`);
      if (refs.length) problems.push(`${at}.queries: a statement marked testable: false lists no queries`);
    }
    refs.forEach((id, k) => {
      if (!ids.has(id)) problems.push(`${at}.queries[${k}]: no query "${id}" in queries[]`);
    });
  });
  (claim.policy ?? []).forEach((p, i) => {
    tryParse(`policy[${i}].place`, () => parsePlaceKey(p.place));
    (p.at ?? []).forEach((d, k) => {
      if (!isIsoDate(d)) problems.push(`policy[${i}].at[${k}]: "${d}" is not a calendar date`);
    });
  });
  if (problems.length) fail(problems);
  return { ...claim, file };
}

/** Reads and checks one claim file. */
export async function loadClaimFile(file: string): Promise<Claim> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new HandoffError('not_found', `claim file not found: ${file}`, { cause });
  }
  return parseClaim(file, text);
}

/** Loads every claim of a folder (default reference/claims), sorted by id. */
export async function loadClaims(dir: string = DEFAULT_CLAIMS_DIR): Promise<Claim[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.yaml')).sort();
  } catch (cause) {
    throw new HandoffError('not_found', `claims folder not found: ${dir}`, { cause });
  }
  const claims = await Promise.all(names.map((n) => loadClaimFile(join(dir, n))));
  return claims.sort((a, b) => a.id.localeCompare(b.id));
}

/** Loads one claim by id from a folder (default reference/claims). */
export async function loadClaim(id: string, dir: string = DEFAULT_CLAIMS_DIR): Promise<Claim> {
  if (!/^[a-z0-9][a-z0-9-]{2,80}$/.test(id)) throw new HandoffError('bad_argument', `"${id}" is not a claim id (lower-case letters, digits and hyphens)`);
  const file = join(dir, `${id}.yaml`);
  try {
    await readFile(file);
  } catch {
    const names = await readdir(dir).catch(() => [] as string[]);
    const known = names.filter((n) => n.endsWith('.yaml')).map((n) => n.slice(0, -5));
    throw new HandoffError('not_found', `no claim "${id}"; claims: ${known.join(', ') || 'none'}`);
  }
  return loadClaimFile(file);
}
