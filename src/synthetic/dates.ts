/**
 * Day and second arithmetic for the generator: dates are whole days since 1970-01-01 (UTC) and
 * date-times are seconds since then, so no clock or time zone is ever consulted.
 */

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date `YYYY-MM-DD`. */
export function dayOf(iso: string): number {
  return Math.round(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS);
}

const isoCache = new Map<number, string>();

/** ISO date `YYYY-MM-DD` of a day number (cached: the generator asks for the same days often). */
export function isoDay(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}

/** ISO date-time `YYYY-MM-DDTHH:MM:SS` of a second count. */
export function isoSecond(sec: number): string {
  const day = Math.floor(sec / 86_400);
  let rest = sec - day * 86_400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const sRem = rest - m * 60;
  return `${isoDay(day)}T${pad2(h)}:${pad2(m)}:${pad2(sRem)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Calendar year of a day number. */
export function yearOf(day: number): number {
  return Number(isoDay(day).slice(0, 4));
}
