/**
 * Excel serial dates <-> ISO strings. Excel stores dates as a day count with the time as a fraction of
 * a day; the 1900 system keeps Lotus 1-2-3's bug of treating 1900 as a leap year.
 */

const MS_PER_DAY = 86_400_000;
/** Day 0 of the 1900 system for serials >= 61 (past the phantom 1900-02-29). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
/** Serials 1..59 are one day later than the naive count would say, because of the phantom leap day. */
const EPOCH_1900_EARLY = Date.UTC(1899, 11, 31);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** 9999-12-31, Excel's last date (1900 system). Larger serials are not dates. */
const MAX_SERIAL_1900 = 2_958_465;
const MAX_SERIAL_1904 = MAX_SERIAL_1900 - 1462;
/** Dates repeat heavily in FOIA tables; the bound only matters for hostile input. */
const CACHE_LIMIT = 200_000;

const days1900 = new Map<number, string | null>();
const days1904 = new Map<number, string | null>();

/**
 * Converts an Excel serial date to `YYYY-MM-DD` (whole numbers) or `YYYY-MM-DDTHH:MM:SS` (rounded to
 * the second). Returns null for values that are not dates: negative, beyond 9999-12-31, not finite,
 * or serial 60 in the 1900 system (the non-existent 1900-02-29).
 */
export function excelSerialToIso(serial: number, date1904: boolean): string | null {
  if ((serial | 0) === serial) {
    // Whole days: a Map keyed by small integers (Smis) is fast, and whole days are most date cells.
    const cache = date1904 ? days1904 : days1900;
    const hit = cache.get(serial);
    if (hit !== undefined) return hit;
    const value = convertSerial(serial, date1904);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(serial, value);
    return value;
  }
  // Date-times are mostly unique: reuse the cached day and format the time by hand.
  if (!Number.isFinite(serial) || serial < 0) return null;
  let day = Math.floor(serial);
  let seconds = Math.round((serial - day) * 86_400);
  if (seconds >= 86_400) {
    day += 1;
    seconds -= 86_400;
  }
  // Days beyond the int32 range (hostile or garbage numbers) skip the cache: recursing would loop forever.
  const date = (day | 0) === day ? excelSerialToIso(day, date1904) : convertSerial(day, date1904);
  if (date === null) return null;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${date}T${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}`;
}

function convertSerial(serial: number, date1904: boolean): string | null {
  const seconds = excelSerialToUnixSeconds(serial, date1904);
  if (seconds === null) return null;
  const iso = new Date(seconds * 1000).toISOString();
  return Number.isInteger(serial) ? iso.slice(0, 10) : iso.slice(0, 19);
}

/**
 * Converts an Excel serial date to whole seconds since 1970-01-01 UTC (the time rounded to the second,
 * as excelSerialToIso does); null when it is not a date (same rules). Ingest hands date cells to the
 * store this way, so a date never makes a round trip through text.
 */
export function excelSerialToUnixSeconds(serial: number, date1904: boolean): number | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  if (serial >= (date1904 ? MAX_SERIAL_1904 : MAX_SERIAL_1900) + 1) return null;
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86_400);
  if (seconds >= 86_400) {
    days += 1;
    seconds -= 86_400;
    // The last half-second of 9999-12-31 rounds into a day Excel does not have.
    if (days >= (date1904 ? MAX_SERIAL_1904 : MAX_SERIAL_1900) + 1) return null;
  }
  let epoch: number;
  if (date1904) epoch = EPOCH_1904;
  else if (days === 60) return null;
  else epoch = days < 60 ? EPOCH_1900_EARLY : EPOCH_1900;
  return (epoch + days * MS_PER_DAY) / 1000 + seconds;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Converts `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]` to an Excel serial; null when the text is not a
 * valid date or falls before the date system's first day (Excel cannot show it).
 */
export function isoToExcelSerial(iso: string, date1904: boolean): number | null {
  const m = ISO_RE.exec(iso);
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h, mi, s);
  const check = new Date(ms);
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo! - 1 ||
    check.getUTCDate() !== d ||
    h > 23 || mi > 59 || s > 59
  ) {
    return null;
  }
  const dayMs = Date.UTC(y!, mo! - 1, d!);
  const fraction = (h * 3600 + mi * 60 + s) / 86_400;
  let days: number;
  if (date1904) {
    days = (dayMs - EPOCH_1904) / MS_PER_DAY;
    if (days < 0) return null;
  } else {
    days = (dayMs - EPOCH_1900) / MS_PER_DAY;
    // Before 1900-03-01 Excel counts the phantom leap day too late, so its serials are one lower.
    if (days < 61) days -= 1;
    if (days < 1) return null;
  }
  return days + fraction;
}
