/**
 * ICE areas of responsibility (AORs): the 25 ERO field offices, their codes, the names ICE writes
 * in its releases, and which AOR each county belongs to. Data: reference/geo/aors.csv and
 * reference/geo/aor-counties.csv, built by scripts/build-geo-reference.ts.
 */
import { HandoffError } from '../core/errors.ts';
import { toPlainUpper } from './county-names.ts';
import { readReferenceCsv } from './reference-files.ts';

/** One ICE area of responsibility. */
export interface Aor {
  /** Three-letter code, e.g. "BOS". */
  code: string;
  /** Field office name, e.g. "Boston". */
  name: string;
  /** As ICE writes it in "Facility AOR": "Boston Area of Responsibility". */
  iceName: string;
}

interface AorTable {
  aors: Aor[];
  byKey: Map<string, Aor>;
  byCounty: Map<string, string>;
}

let table: AorTable | undefined;

/** Reduces an AOR label to a key: drops "Area of Responsibility", "AOR", "Field Office", punctuation. */
function aorKey(text: string): string {
  let words = toPlainUpper(text).split(' ').filter((w) => w !== '');
  const strip = (suffix: string[]): void => {
    const tail = words.slice(words.length - suffix.length);
    if (words.length > suffix.length && tail.join(' ') === suffix.join(' ')) {
      words = words.slice(0, words.length - suffix.length);
    }
  };
  strip(['AREA', 'OF', 'RESPONSIBILITY']);
  strip(['AOR']);
  strip(['FIELD', 'OFFICE']);
  if (words[0] === 'SAINT') words[0] = 'ST';
  return words.join('');
}

function loadTable(): AorTable {
  if (table) return table;
  const aors = readReferenceCsv('geo/aors.csv').map((r) => ({
    code: r.code!,
    name: r.name!,
    iceName: r.ice_name!,
  }));
  const byKey = new Map<string, Aor>();
  for (const aor of aors) {
    byKey.set(aor.code, aor);
    byKey.set(aorKey(aor.name), aor);
    // "New York City" is also written "New York"; "Salt Lake City" as "Salt Lake".
    if (/ City$/.test(aor.name)) byKey.set(aorKey(aor.name.replace(/ City$/, '')), aor);
  }
  const byCounty = new Map<string, string>();
  for (const row of readReferenceCsv('geo/aor-counties.csv')) byCounty.set(row.fips!, row.aor_code!);
  table = { aors, byKey, byCounty };
  return table;
}

/** All AORs, ordered by code. */
export function listAors(): Aor[] {
  return [...loadTable().aors].sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * Finds an AOR from any of its spellings: the code ("BOS"), the office name ("Boston",
 * "St Paul") or ICE's label ("Boston Area of Responsibility"), in any case. Undefined when unknown.
 */
export function aorByName(text: string): Aor | undefined {
  const key = aorKey(text);
  return key === '' ? undefined : loadTable().byKey.get(key);
}

/** Like `aorByName`, but throws a HandoffError ('bad_value') for an unknown label. */
export function requireAor(text: string): Aor {
  const aor = aorByName(text);
  if (!aor) throw new HandoffError('bad_value', `unknown ICE area of responsibility "${text}"`);
  return aor;
}

/** The AOR of a county (5-digit FIPS), or undefined when the county is not in the crosswalk. */
export function aorForCounty(countyFips: string): Aor | undefined {
  const { byCounty, byKey } = loadTable();
  const code = byCounty.get(countyFips.trim().padStart(5, '0'));
  return code ? byKey.get(code) : undefined;
}
