/**
 * Name normalization for counties and county equivalents, shared by the county lookup and by the
 * facility and 287(g) matchers. Kept apart from the data so it can be tested on its own.
 */

/** What a county name says about the kind of unit it names, when it says anything. */
export type CountyNameKind = 'county' | 'city' | null;

/** A county name reduced to a comparable key. */
export interface NormalizedCountyName {
  /** Upper-case base name without suffix, punctuation or spaces: "SAINTLOUIS", "MIAMIDADE". */
  key: string;
  /** The same with the "CITY" word kept when the input ended in it ("CARSONCITY"), else equal to key. */
  keyWithCity: string;
  /** 'city' when the input ended in "city", 'county' when it ended in a county-type suffix, else null. */
  kind: CountyNameKind;
}

/**
 * Suffix words that name a county-type unit. Misspellings seen in ICE's 287(g) sheets
 * ("Countey", "Conty", "Couny") are included on purpose.
 */
const COUNTY_SUFFIXES: readonly string[][] = [
  ['CITY', 'AND', 'BOROUGH'],
  ['CENSUS', 'AREA'],
  ['COUNTY'],
  ['COUNTEY'],
  ['CONTY'],
  ['COUNY'],
  ['CNTY'],
  ['CO'],
  ['PARISH'],
  ['BOROUGH'],
  ['MUNICIPALITY'],
  ['MUNICIPIO'],
];

/** Upper case, accents removed, punctuation turned into spaces (apostrophes dropped), spaces collapsed. */
export function toPlainUpper(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/['\u2019`]/g, '')
    .replace(/&/g, ' AND ')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

/**
 * Reduces a county name to a key: "St. Louis County" and "Saint Louis" give "SAINTLOUIS";
 * "Miami-Dade" and "Miami Dade County" give "MIAMIDADE"; "Richmond city" gives key "RICHMOND"
 * with kind 'city'; "Bossier Parish" gives "BOSSIER" with kind 'county'.
 */
export function normalizeCountyName(name: string): NormalizedCountyName {
  let words = toPlainUpper(name).split(' ').filter((w) => w.length > 0);
  words = words.map((w, i) => {
    // "ST" and "STE" as a leading word (or after another word in names like "Lac St Croix") are Saint.
    if (w === 'ST' && i < words.length - 1) return 'SAINT';
    if (w === 'STE' && i < words.length - 1) return 'SAINTE';
    return w;
  });
  let kind: CountyNameKind = null;
  for (const suffix of COUNTY_SUFFIXES) {
    if (words.length > suffix.length && endsWith(words, suffix)) {
      words = words.slice(0, words.length - suffix.length);
      kind = 'county';
      break;
    }
  }
  let keyWithCity = words.join('');
  if (kind === null && words.length > 1 && words[words.length - 1] === 'CITY') {
    kind = 'city';
    words = words.slice(0, -1);
  } else {
    keyWithCity = words.join('');
  }
  return { key: words.join(''), keyWithCity, kind };
}

function endsWith(words: string[], suffix: string[]): boolean {
  const offset = words.length - suffix.length;
  return suffix.every((s, i) => words[offset + i] === s);
}
