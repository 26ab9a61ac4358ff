/**
 * The file name a downloaded answer is saved under (its `Content-Disposition`): what it is, where, at
 * what grain, over which months and from which release, e.g.
 * `handoff_detainers_issued_state-CA_month_2015-01_2015-12_r_0123abcd.csv`.
 *
 * Does: build the name from the parts of a request (or of a metric's answer), keeping only
 * [A-Za-z0-9._-] whatever the request held, and at most {@link FILE_NAME_MAX} characters.
 * Does not: validate the request (the routes have done it), or name errors (an error is not a file).
 */

/** Longest file name given, extension included. */
export const FILE_NAME_MAX = 150;
/** Longest single part (a place, a release id, a policy entry) before it is cut. */
const PART_MAX = 60;
/** The characters a name is made of: safe in a quoted header value and on every file system. */
export const SAFE_FILE_NAME = /^[A-Za-z0-9._-]+$/;

/** What a file name says, in its order; a missing or empty part is left out. */
export interface FileNameParts {
  /** What the answer is: a metric id, or a route's name (`places`, `quality`, `codebook`, …). */
  subject: string;
  /** A place key (`state:CA`, `county:25025`). */
  place?: string | null;
  grain?: string | null;
  /** A breakdown other than the metric's default. */
  by?: string | null;
  /** First and last day (or month) of the period range; written as months (YYYY-MM). */
  from?: string | null;
  to?: string | null;
  /** Other parameters of the request, written `name-value`. */
  extra?: readonly (readonly [string, string])[];
  release?: string | null;
  format: 'json' | 'csv';
}

/**
 * One part of a name: every run of characters outside [A-Za-z0-9._-] becomes one `-` (`state:CA` →
 * `state-CA`), runs of dots become one (no `..`), and separators at either end go; cut to `max`.
 */
export function safeFilePart(text: string, max = PART_MAX): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, max)
    .replace(/[-._]+$/g, '');
}

/** `2015-01-01` → `2015-01`; anything else as a plain part. */
function monthPart(date: string): string {
  const m = /^(\d{4}-\d{2})(-\d{2})?$/.exec(date);
  return m ? m[1]! : safeFilePart(date);
}

/** The file name of an answer: `handoff_<subject>_<place>_<grain>_by-<by>_<from>_<to>_<extra…>_<release>.<format>`. */
export function buildFileName(parts: FileNameParts): string {
  const words: string[] = ['handoff', safeFilePart(parts.subject) || 'answer'];
  const add = (word: string) => {
    if (word && !words.includes(word)) words.push(word);
  };
  if (parts.place) add(safeFilePart(parts.place));
  if (parts.grain) add(safeFilePart(parts.grain));
  if (parts.by) add(`by-${safeFilePart(parts.by)}`.replace(/-$/, ''));
  if (parts.from) add(monthPart(parts.from));
  if (parts.to) add(monthPart(parts.to));
  for (const [name, value] of parts.extra ?? []) {
    const v = safeFilePart(value);
    if (v) add(`${safeFilePart(name)}-${v}`);
  }
  if (parts.release) add(safeFilePart(parts.release));
  const extension = `.${parts.format}`;
  const stem = words
    .join('_')
    .slice(0, FILE_NAME_MAX - extension.length)
    .replace(/[-._]+$/g, '');
  return `${stem}${extension}`;
}

/** The query parameters written as the value alone, in this order; others are written `name-value`. */
const PLAIN_PARAMS = ['place', 'grain', 'from', 'to'] as const;

/**
 * The parts of a request's name, read from its URL: the path under `/api/` without its extension
 * (`/api/releases/r_1/codebook.csv` → `releases_r_1_codebook`), the query's place, grain, period and
 * other parameters, and the release: the one asked for, else the only one the answer is from.
 */
export function fileNamePartsOfRequest(url: URL, format: 'json' | 'csv', releases: readonly string[] = []): FileNameParts {
  let path = url.pathname.replace(/^\/api\//, '').replace(/\.(json|csv)$/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // The app refuses a malformed escape before any route; the raw text is cleaned like any other.
  }
  const segments = path
    .split('/')
    .map((s) => safeFilePart(s))
    .filter(Boolean);
  const q = url.searchParams;
  const extra: [string, string][] = [];
  for (const [k, v] of q) if (!(PLAIN_PARAMS as readonly string[]).includes(k) && k !== 'release' && k !== 'by') extra.push([k, v]);
  const release = q.get('release') || (releases.length === 1 ? releases[0]! : null);
  return {
    subject: segments.join('_'),
    place: q.get('place'),
    grain: q.get('grain'),
    by: q.get('by'),
    from: q.get('from'),
    to: q.get('to'),
    extra,
    // A release named in the path (`/api/releases/<id>/codebook.csv`) is not said twice.
    release: release && !segments.includes(safeFilePart(release)) ? release : null,
    format,
  };
}

/**
 * The `Content-Disposition` of an answer: CSV is an `attachment` (a spreadsheet's file, saved rather
 * than shown as text in a tab); JSON is `inline` (shown, and saved under the name when saved).
 */
export function contentDisposition(fileName: string, format: 'json' | 'csv'): string {
  const name = SAFE_FILE_NAME.test(fileName) ? fileName : buildFileName({ subject: fileName, format });
  return `${format === 'csv' ? 'attachment' : 'inline'}; filename="${name}"`;
}
