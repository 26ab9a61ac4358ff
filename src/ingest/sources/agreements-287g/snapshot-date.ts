/**
 * The date of a 287(g) sheet. ICE writes it into the file name, and archivists' scrapers write theirs;
 * both are sometimes wrong, so every reading is checked against what the sheet says of itself before
 * it is used. Pure: the caller reads the workbook and passes the evidence.
 *
 * Does: read the date in a file name in each form seen: ICE's `MMDDYYYY` with or without `am`/`pm`
 * (`participatingAgencies06272025am.xlsx`) and its short `MMDDYY` (`…091526pm.xlsx`); archivists'
 * capture stamps `YYYYMMDDhhmmss` (`participatingAgencies-20250221214937.xlsx`), also with `_`, `-`
 * or `T` before the time; `YYYY-MM-DD`, `MM-DD-YYYY` and `YYYYMMDD`; broken names, a run of nine
 * digits (one too many) or seven (a zero missing), turned into the candidate dates they can stand
 * for. Impossible years are refused. A reading is implausible when it predates the sheet's own
 * latest SIGNED date; when one in ICE's forms (MMDDYYYY, MMDDYY, MM-DD-YYYY) has a year far after
 * that date's year, or is more than a week before the workbook's last save or half a year after it;
 * when an archivist's date (capture stamp, YYYY-MM-DD, YYYYMMDD) predates that save. Choose the date: the `asOf` the caller gives; else the first plausible
 * reading; else the workbook's own modified date (docProps/core.xml); else, as last resorts, the
 * latest SIGNED date (a lower bound) or the file's time on disk; with notes saying how.
 * Does not: open files, or fail for a name: a date always comes out when a fallback is given.
 */
import { HandoffError } from '../../../core/errors.ts';

/** Where a snapshot date came from. */
export type SnapshotBasis =
  | 'file_name'
  | 'capture_stamp'
  | 'workbook_modified'
  | 'as_of'
  | 'latest_signed'
  | 'file_modified';

/** One date a file name can be read as. */
export interface NameReading {
  /** 'YYYY-MM-DD'. */
  date: string;
  /** `file_name` for a date written as the sheet's date, `capture_stamp` for a scraper's download time. */
  basis: 'file_name' | 'capture_stamp';
  /** The form read: 'MMDDYYYY', 'MMDDYYYYam', 'MMDDYY', 'YYYYMMDD', 'YYYY-MM-DD', 'MM-DD-YYYY', 'YYYYMMDDhhmmss'. */
  form: string;
  /** The characters it was read from, as in the name. */
  text: string;
  /** For a capture stamp: 'hh:mm:ss'. */
  time?: string;
  /** For a broken name: how it was repaired ("nine digits, the 9th dropped"). */
  repair?: string;
}

/** Everything a file name says about its date. */
export interface NameDates {
  /** Readings, best first: as written before repaired, ICE's forms before capture stamps. */
  readings: NameReading[];
  /** Digits that looked like a date and are not one ("06272205: year 2205 is impossible"). */
  problems: string[];
}

/** The first 287(g) agreements were signed in 2002; a sheet cannot be older. */
export const MIN_SNAPSHOT_YEAR = 2002;
export const MAX_SNAPSHOT_YEAR = 2099;
/** A snapshot year in ICE's forms more than this many years after the latest SIGNED year is a typo. */
export const MAX_YEARS_AFTER_LATEST_SIGNED = 3;
/**
 * ICE names a sheet the day it saves it. A name in ICE's forms (MMDDYYYY, MMDDYY) more than a week
 * before the workbook's last save, or more than half a year after it (an unchanged file re-posted
 * that long is not seen), is a typo, most often in the year. Archivists' forms (capture stamps,
 * YYYY-MM-DD) may be any time after the save, never before it.
 */
export const MAX_DAYS_BEFORE_MODIFIED = 7;
export const MAX_DAYS_AFTER_MODIFIED = 183;

const DAY_MS = 86_400_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** 'YYYY-MM-DD' when y-m-d is a real calendar date, else null. */
function isoDate(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
}

function yearOk(y: number): boolean {
  return y >= MIN_SNAPSHOT_YEAR && y <= MAX_SNAPSHOT_YEAR;
}

function days(a: string, b: string): number {
  return Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY_MS);
}

function addDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** True for a 'YYYY-MM-DD' string that is a real date. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m !== null && isoDate(+m[1]!, +m[2]!, +m[3]!) !== null;
}

/** The file name without folders and extension. */
function stem(fileName: string): string {
  return fileName.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]{1,5}$/, '');
}

/** Reads MMDDYYYY digits; null with a problem when they are not a date. */
function mmddyyyy(digits: string, problems: string[] | null, what = digits): string | null {
  const m = +digits.slice(0, 2);
  const d = +digits.slice(2, 4);
  const y = +digits.slice(4, 8);
  const iso = isoDate(y, m, d);
  if (!iso) return null;
  if (!yearOk(y)) {
    problems?.push(`"${what}" reads as ${iso}, and the year ${y} is impossible for a 287(g) sheet`);
    return null;
  }
  return iso;
}

/**
 * Every date a file name can be read as, best first, and the digits that look like a date but are
 * not one. Folders and the extension are ignored; runs of up to four digits ("287g", "(1)") are not
 * dates.
 */
export function readNameDates(fileName: string): NameDates {
  const readings: (NameReading & { rank: number })[] = [];
  const problems: string[] = [];
  let rest = stem(fileName);
  const take = (match: RegExpExecArray): void => {
    rest = rest.slice(0, match.index) + ' '.repeat(match[0].length) + rest.slice(match.index + match[0].length);
  };
  const push = (reading: NameReading, rank: number): void => {
    if (!readings.some((r) => r.date === reading.date && r.basis === reading.basis)) readings.push({ ...reading, rank });
  };

  // Capture stamps: YYYYMMDDhhmmss, YYYYMMDD_hhmmss, YYYY-MM-DDThh:mm:ss (scrapers' download times).
  const stamp = /(?<!\d)(\d{4})-?(\d{2})-?(\d{2})[_T -]?(\d{2})[:.-]?(\d{2})[:.-]?(\d{2})(?!\d)/g;
  for (let m = stamp.exec(rest); m; m = stamp.exec(rest)) {
    const [text, y, mo, d, hh, mi, ss] = m;
    const iso = isoDate(+y!, +mo!, +d!);
    if (!iso || +hh! > 23 || +mi! > 59 || +ss! > 60) continue;
    take(m);
    if (!yearOk(+y!)) {
      problems.push(`capture stamp "${text}" reads as ${iso}, and the year ${y} is impossible for a 287(g) sheet`);
      continue;
    }
    push({ date: iso, basis: 'capture_stamp', form: 'YYYYMMDDhhmmss', text, time: `${hh}:${mi}:${ss}` }, 2);
  }
  // Dates with separators: YYYY-MM-DD (also _ or .), MM-DD-YYYY.
  const separated: [RegExp, (a: string, b: string, c: string) => [number, number, number], string][] = [
    [/(?<!\d)(\d{4})[-_.](\d{1,2})[-_.](\d{1,2})(?!\d)/g, (a, b, c) => [+a, +b, +c], 'YYYY-MM-DD'],
    [/(?<!\d)(\d{1,2})[-_.](\d{1,2})[-_.](\d{4})(?!\d)/g, (a, b, c) => [+c, +a, +b], 'MM-DD-YYYY'],
  ];
  for (const [pattern, ymd, form] of separated) {
    for (let m = pattern.exec(rest); m; m = pattern.exec(rest)) {
      const [y, mo, d] = ymd(m[1]!, m[2]!, m[3]!);
      const iso = isoDate(y, mo, d);
      if (!iso) continue;
      take(m);
      if (!yearOk(y)) problems.push(`"${m[0]}" reads as ${iso}, and the year ${y} is impossible for a 287(g) sheet`);
      else push({ date: iso, basis: 'file_name', form, text: m[0] }, 0);
    }
  }
  // Runs of digits, with ICE's am/pm after them.
  const runs = /\d+/g;
  for (let m = runs.exec(rest); m; m = runs.exec(rest)) {
    const digits = m[0];
    const half = /^(am|pm)/i.exec(rest.slice(m.index + digits.length))?.[1]?.toLowerCase() ?? '';
    const text = digits + half;
    if (digits.length <= 4) continue;
    if (digits.length === 8) {
      const ice = mmddyyyy(digits, problems);
      if (ice) {
        push({ date: ice, basis: 'file_name', form: `MMDDYYYY${half}`, text }, 0);
        continue;
      }
      const y = +digits.slice(0, 4);
      const archivist = isoDate(y, +digits.slice(4, 6), +digits.slice(6, 8));
      if (archivist && yearOk(y)) push({ date: archivist, basis: 'file_name', form: 'YYYYMMDD', text }, 0);
      else if (!problems.some((p) => p.startsWith(`"${digits}"`))) problems.push(`"${text}" is not a date as MMDDYYYY or YYYYMMDD`);
      continue;
    }
    if (digits.length === 6) {
      const iso = isoDate(2000 + +digits.slice(4, 6), +digits.slice(0, 2), +digits.slice(2, 4));
      if (iso && yearOk(+iso.slice(0, 4))) push({ date: iso, basis: 'file_name', form: `MMDDYY${half}`, text }, 0);
      else problems.push(`"${text}" is not a date as MMDDYY`);
      continue;
    }
    if (digits.length === 12) {
      const iso = isoDate(+digits.slice(0, 4), +digits.slice(4, 6), +digits.slice(6, 8));
      if (iso && yearOk(+digits.slice(0, 4)) && +digits.slice(8, 10) <= 23 && +digits.slice(10, 12) <= 59) {
        push({ date: iso, basis: 'capture_stamp', form: 'YYYYMMDDhhmm', text, time: `${digits.slice(8, 10)}:${digits.slice(10, 12)}:00` }, 2);
      } else problems.push(`"${text}" is not a date`);
      continue;
    }
    if (digits.length === 9 || digits.length === 7) {
      // A broken ICE name: one digit too many (each one dropped in turn, from the end, where a doubled
      // digit is likeliest) or a leading zero missing from the month or the day.
      const found: { iso: string; repair: string }[] = [];
      if (digits.length === 9) {
        for (let i = 8; i >= 0; i--) {
          const iso = mmddyyyy(digits.slice(0, i) + digits.slice(i + 1), null);
          if (iso && !found.some((f) => f.iso === iso)) found.push({ iso, repair: `nine digits, the ${ordinal(i + 1)} dropped` });
        }
      } else {
        for (const [at, part] of [[0, 'month'], [2, 'day']] as const) {
          const iso = mmddyyyy(`${digits.slice(0, at)}0${digits.slice(at)}`, null);
          if (iso && !found.some((f) => f.iso === iso)) found.push({ iso, repair: `seven digits, a zero added to the ${part}` });
        }
      }
      if (found.length === 0) problems.push(`"${text}" (${digits.length} digits) cannot be read as MMDDYYYY with one digit ${digits.length === 9 ? 'dropped' : 'added'}`);
      for (const f of found) push({ date: f.iso, basis: 'file_name', form: `MMDDYYYY${half}`, text, repair: f.repair }, 3);
      continue;
    }
    problems.push(`"${text}" (${digits.length} digits) is not a date form`);
  }
  readings.sort((a, b) => a.rank - b.rank);
  return { readings: readings.map(({ rank: _rank, ...r }) => r), problems };
}

function ordinal(n: number): string {
  return `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;
}

/** What a sheet and its file say about its date. */
export interface SnapshotEvidence {
  /** The file name as given (folders are ignored). */
  fileName: string;
  /** Every SIGNED date read from the sheet(s), 'YYYY-MM-DD', any order. */
  signedDates: readonly string[];
  /** The workbook's `dcterms:modified` (ISO date-time), or null when it has none. */
  workbookModified?: string | null;
  /** The file's modification time on disk (ISO date-time): the very last resort. */
  fileModified?: string | null;
  /** A date the caller knows ('YYYY-MM-DD'): overrides everything. */
  asOf?: string;
}

/** The chosen snapshot date and how it was chosen. */
export interface SnapshotChoice {
  date: string;
  basis: SnapshotBasis;
  /** Human-readable, in order: the choice first, then what was passed over and why. */
  notes: string[];
  /** The name reading used, when the date came from the name. */
  reading?: NameReading;
}

function describeReading(r: NameReading): string {
  if (r.basis === 'capture_stamp') {
    return `the capture stamp "${r.text}" in the file name (downloaded ${r.date} ${r.time}, a scraper's time, not a date ICE wrote)`;
  }
  return `the file name ("${r.text}" as ${r.form}${r.repair ? `, repaired: ${r.repair}` : ''})`;
}

/**
 * Why a reading cannot be the sheet's date, or null when nothing speaks against it.
 * `latestSigned` is the latest SIGNED date that is not after the workbook's last save.
 */
export function implausibility(r: NameReading, latestSigned: string | null, modified: string | null): string | null {
  if (latestSigned && r.date < latestSigned) {
    return `${r.date} is before the sheet's latest SIGNED date ${latestSigned}: a snapshot cannot predate its own agreements`;
  }
  // Typed by ICE, so open to typos; archivists' dates are machine-made and may come long after.
  const icesWriting = r.form.startsWith('MM');
  if (icesWriting && latestSigned && +r.date.slice(0, 4) - +latestSigned.slice(0, 4) > MAX_YEARS_AFTER_LATEST_SIGNED) {
    return `${r.date} is ${+r.date.slice(0, 4) - +latestSigned.slice(0, 4)} years after the sheet's latest SIGNED date ${latestSigned}`;
  }
  if (!modified) return null;
  const gap = days(r.date, modified);
  if (!icesWriting) {
    if (gap < -1) return `${r.basis === 'capture_stamp' ? 'the capture ' : ''}${r.date} is before the workbook was last saved (${modified})`;
    return null;
  }
  if (gap < -MAX_DAYS_BEFORE_MODIFIED) {
    return `${r.date} is ${-gap} days before the workbook's own modified date ${modified}: ICE names a sheet the day it saves it`;
  }
  if (gap > MAX_DAYS_AFTER_MODIFIED) {
    return `${r.date} is ${gap} days after the workbook's own modified date ${modified}`;
  }
  return null;
}

/**
 * Chooses the snapshot date of a sheet from its name, checked against its SIGNED dates and the
 * workbook's modified date (see the module comment for the order). Never throws for the name;
 * throws 'bad_argument' for an `asOf` that is not a 'YYYY-MM-DD' date, and 'bad_input' only when
 * nothing at all gives a date (no usable name, no modified date, no SIGNED date, no file time).
 */
export function chooseSnapshotDate(evidence: SnapshotEvidence): SnapshotChoice {
  const { readings, problems } = readNameDates(evidence.fileName);
  const notes: string[] = [];
  const modifiedAt = evidence.workbookModified && isIsoDate(evidence.workbookModified.slice(0, 10)) ? evidence.workbookModified : null;
  const modified = modifiedAt ? modifiedAt.slice(0, 10) : null;
  const signed = evidence.signedDates.filter(isIsoDate).sort();
  // SIGNED dates after the workbook was saved are typos themselves: they cannot bound the snapshot.
  const bound = modified ? addDays(modified, 1) : null;
  const usable = bound ? signed.filter((d) => d <= bound) : signed;
  const latestSigned = usable.at(-1) ?? null;
  const futureSigned = signed.length - usable.length;
  const afterSave =
    futureSigned > 0
      ? `${futureSigned} SIGNED date(s) fall after the workbook was last saved (${modified}), up to ${signed.at(-1)}; they are not used to check the date`
      : null;

  const finish = (choice: SnapshotChoice): SnapshotChoice => {
    if (afterSave) choice.notes.push(afterSave);
    const later = usable.filter((d) => d > choice.date);
    if (later.length > 0) choice.notes.push(`${later.length} SIGNED date(s) fall after the snapshot date ${choice.date}, up to ${later.at(-1)}`);
    return choice;
  };

  if (evidence.asOf !== undefined) {
    if (!isIsoDate(evidence.asOf)) throw new HandoffError('bad_argument', `asOf must be a date as YYYY-MM-DD, not "${evidence.asOf}"`);
    const named = readings[0];
    notes.push(
      `snapshot date ${evidence.asOf} given by the asOf option` +
        (named ? (named.date === evidence.asOf ? ', as the file name also reads' : `; the file name reads ${named.date}`) : ''),
    );
    return finish({ date: evidence.asOf, basis: 'as_of', notes });
  }

  const passedOver: string[] = [];
  const plausible: NameReading[] = [];
  for (const r of readings) {
    const why = implausibility(r, latestSigned, modified);
    if (why) passedOver.push(`${describeReading(r)} is implausible: ${why}`);
    else plausible.push(r);
  }
  let chosen = plausible[0];
  if (chosen?.repair && modified) {
    // Several repairs of one broken name: the one nearest the workbook's last save.
    const repairs = plausible.filter((r) => r.repair && r.text === chosen!.text);
    chosen = repairs.reduce((best, r) => (Math.abs(days(r.date, modified)) < Math.abs(days(best.date, modified)) ? r : best), chosen);
  }
  const others = (r: NameReading | undefined) => [
    ...problems.map((p) => `the file name's ${p}`),
    ...passedOver,
    ...plausible.filter((p) => p !== r && p.date !== r?.date).map((p) => `${describeReading(p)} also reads ${p.date}; not used`),
  ];
  if (chosen) {
    notes.push(`snapshot date ${chosen.date} from ${describeReading(chosen)}`);
    if (chosen.repair) {
      const checked = [latestSigned ? `the latest SIGNED date ${latestSigned}` : '', modified ? `the workbook's modified date ${modified}` : '']
        .filter(Boolean)
        .join(' and ');
      notes.push(`the file name is broken (${chosen.text}: ${chosen.repair}); ${checked ? `the repair agrees with ${checked}` : 'nothing in the workbook could check the repair'}`);
    }
    notes.push(...others(chosen));
    return finish({ date: chosen.date, basis: chosen.basis, notes, reading: chosen });
  }
  const why = readings.length === 0 && problems.length === 0 ? ['the file name has no date'] : others(undefined);
  if (modified) {
    notes.push(`snapshot date ${modified} from the workbook's own modified date (docProps/core.xml dcterms:modified ${modifiedAt}), since the file name gives no usable date`);
    notes.push(...why);
    return finish({ date: modified, basis: 'workbook_modified', notes });
  }
  if (latestSigned) {
    notes.push(`snapshot date ${latestSigned} is the sheet's latest SIGNED date, a lower bound: the file name gives no usable date and the workbook records no modified date`);
    notes.push(...why);
    return finish({ date: latestSigned, basis: 'latest_signed', notes });
  }
  const onDisk = evidence.fileModified && isIsoDate(evidence.fileModified.slice(0, 10)) ? evidence.fileModified.slice(0, 10) : null;
  if (onDisk) {
    notes.push(`snapshot date ${onDisk} is the file's modification time on disk, the last resort: the file name gives no usable date, the workbook records no modified date and the sheet no SIGNED date`);
    notes.push(...why);
    return finish({ date: onDisk, basis: 'file_modified', notes });
  }
  throw new HandoffError('bad_input', `no date for the 287(g) sheet: ${why.join('; ')}`, { location: { file: evidence.fileName } });
}
