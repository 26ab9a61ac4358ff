import { describe, expect, it } from 'vitest';
import {
  categorizeOffense,
  coverageReport,
  isViolent,
  listChargeTexts,
  loadOffenseReference,
  normalizeChargeText,
  parseNcicCode,
  REQUIRED_CATEGORIES,
  VIOLENCE_DEFINITIONS,
} from './index.ts';

const ref = loadOffenseReference();

/** Every example charge text named in issue 6, with the category it must get. */
const ISSUE_EXAMPLES: Record<string, string> = {
  Assault: 'simple_assault',
  'Driving Under Influence Liquor': 'dui',
  'Dangerous Drugs': 'drug_possession',
  'Cocaine - Sell': 'drug_sale_trafficking',
  'Homicide - Willful Kill - Gun': 'homicide',
  'Illegal Entry (INA SEC.101(a)(43)(O), 8USC1325)': 'immigration',
  'Traffic Offense': 'other_traffic',
  Larceny: 'larceny_theft',
  Burglary: 'burglary',
  Robbery: 'robbery',
  'Weapon Offense': 'weapons',
  'Sex Assault': 'sexual_assault',
  Kidnapping: 'kidnapping',
  'Fraud - Impersonating': 'fraud',
  'Obstructing Police': 'obstruction_public_order',
  'Family Offense': 'other',
  'Illegal Re-Entry': 'immigration',
  'Hit and Run': 'other_traffic',
  'Marijuana - Possess': 'drug_possession',
  'Amphetamine - Sell': 'drug_sale_trafficking',
  'Assault - Aggravated - Weapon': 'aggravated_assault',
  'Sexual Assault - Weapon': 'sexual_assault',
  'Rape - Strongarm': 'sexual_assault',
  'Robbery - Business - Gun': 'robbery',
  'Burglary - Forced Entry - Residence': 'burglary',
  'Larceny - From Auto': 'larceny_theft',
  Shoplifting: 'larceny_theft',
  'Fraud - Illegal Use Credit Cards': 'fraud',
  Forgery: 'fraud',
  'Cocaine - Possess': 'drug_possession',
  'Heroin - Sell': 'drug_sale_trafficking',
  'Marijuana - Smuggle': 'drug_sale_trafficking',
  'Driving Under Influence Drugs': 'dui',
  'Driving License Violation': 'other_traffic',
  'Resisting Officer': 'obstruction_public_order',
  'Obstruct Police': 'obstruction_public_order',
  'Contempt of Court': 'obstruction_public_order',
  'Probation Violation': 'obstruction_public_order',
  'Failure to Appear': 'obstruction_public_order',
  'Carrying Concealed Weapon': 'weapons',
  'Kidnap Minor for Ransom': 'kidnapping',
  'Illegal Re-Entry (INA SEC.101(a)(43)(O), 8USC1326)': 'immigration',
  'False Citizenship': 'immigration',
  'Smuggling Aliens': 'immigration',
  'Cruelty Toward Child': 'simple_assault',
  'Stolen Vehicle': 'larceny_theft',
  'Stolen Property - Receiving': 'larceny_theft',
  Trespassing: 'obstruction_public_order',
  'Public Peace': 'obstruction_public_order',
  'Disorderly Conduct': 'obstruction_public_order',
  Liquor: 'obstruction_public_order',
  'Invade Privacy': 'other',
  'Sex Offense': 'other_sexual_offense',
  'Indecent Exposure': 'other_sexual_offense',
  Prostitution: 'other',
  'Voluntary Manslaughter': 'homicide',
  'Simple Assault': 'simple_assault',
  'Homicide - Negligent Manslaughter - Vehicle': 'other',
  'Statutory Rape - No Force': 'other_sexual_offense',
  'Attempted Murder': 'aggravated_assault',
};

describe('reference tables', () => {
  it('define every required category and at least 200 charge texts', () => {
    for (const c of REQUIRED_CATEGORIES) expect(ref.categories.has(c)).toBe(true);
    expect(ref.texts.size).toBeGreaterThanOrEqual(200);
    expect(ref.codeRanges.length).toBeGreaterThan(50);
  });

  it('map every listed charge text to a category by text, never unknown', () => {
    for (const t of ref.texts.values()) {
      const got = categorizeOffense(ref, t.chargeText, null);
      expect(got, t.chargeText).toMatchObject({ category: t.category, basis: 'text' });
      expect(got.category).not.toBe('unknown');
    }
  });

  it('give the same category by code as by text for every text with an NCIC code', () => {
    const withCode = [...ref.texts.values()].filter((t) => t.ncicCode !== null);
    expect(withCode.length).toBeGreaterThan(100);
    for (const t of withCode) {
      expect(categorizeOffense(ref, null, t.ncicCode), t.chargeText).toEqual({ category: t.category, basis: 'code', inchoate: false });
      expect(categorizeOffense(ref, t.chargeText, t.ncicCode).category).toBe(t.category);
    }
  });

  it('map both ends of every code range by code', () => {
    for (const r of ref.codeRanges) {
      expect(categorizeOffense(ref, null, r.codeFrom)).toEqual({ category: r.category, basis: 'code', inchoate: false });
      expect(categorizeOffense(ref, null, r.codeTo)).toEqual({ category: r.category, basis: 'code', inchoate: false });
    }
  });

  it.each(Object.entries(ISSUE_EXAMPLES))('maps the issue example %s to %s', (text, category) => {
    expect(categorizeOffense(ref, text, null).category).toBe(category);
  });

  it('lists charge texts with their usual codes for the synthetic-data generator', () => {
    const list = listChargeTexts(ref);
    expect(list).toHaveLength(ref.texts.size);
    expect(list[0]!.chargeText).toBe('Illegal Entry (INA SEC.101(a)(43)(O), 8USC1325)');
    expect(list.find((s) => s.chargeText === 'Homicide')).toEqual({
      chargeText: 'Homicide',
      ncicCode: '0999',
      category: 'homicide',
    });
    expect(list.find((s) => s.chargeText === 'Rape')?.ncicCode).toBeNull();
  });
});

describe('categorizeOffense edge cases', () => {
  const cases: [string | null, string | number | null, string, string][] = [
    [null, null, 'unknown', 'blank'],
    ['', '', 'unknown', 'blank'],
    ['   ', ' \t', 'unknown', 'blank'],
    [' - ', null, 'unknown', 'blank'],
    ['b(6), b(7)c', null, 'unknown', 'redacted'],
    ['(B)(6), (B)(7)(C)', '', 'unknown', 'redacted'],
    ['B(6), B(7)C', 'b(6), b(7)C', 'unknown', 'redacted'],
    [null, 'b(6)', 'unknown', 'redacted'],
    ['b(6), b(7)c', '5404', 'dui', 'code'],
    [null, '0999', 'homicide', 'code'],
    [null, '999', 'homicide', 'code'],
    [null, 999, 'homicide', 'code'],
    [null, '5404.0', 'dui', 'code'],
    [null, ' 5404 - DRIVING UNDER INFLUENCE LIQUOR', 'dui', 'code'],
    [null, '1313', 'simple_assault', 'code'],
    ['Assault', '1315', 'aggravated_assault', 'code'],
    ['Cocaine - Sell', null, 'drug_sale_trafficking', 'text'],
    ['Cocaine - Sell', '8888', 'drug_sale_trafficking', 'text'],
    ['Cocaine - Sell', '35300', 'drug_sale_trafficking', 'text'],
    ['  assault  ', null, 'simple_assault', 'text'],
    ['ASSAULT ', null, 'simple_assault', 'text'],
    ['driving   under influence    LIQUOR', null, 'dui', 'text'],
    ['cocaine-sell', null, 'drug_sale_trafficking', 'text'],
    ['Hit & Run', null, 'other_traffic', 'pattern'],
    ['Hit and Run - Property Damage', null, 'other_traffic', 'pattern'],
    ['Aggravated Assault on a Peace Officer', null, 'aggravated_assault', 'pattern'],
    ['Assault 4th Degree', null, 'simple_assault', 'pattern'],
    ['Involuntary Manslaughter - DUI', null, 'other', 'pattern'],
    ['Possession of Methamphetamine for Sale', null, 'drug_sale_trafficking', 'pattern'],
    ['Possession of Cocaine', null, 'drug_possession', 'pattern'],
    ['Driving Under the Influence of Alcohol', null, 'dui', 'pattern'],
    ['Unlawful Reentry 8 USC 1326', null, 'immigration', 'pattern'],
    ['Grand Theft Auto', null, 'larceny_theft', 'pattern'],
    ['Identity Theft - Aggravated', null, 'fraud', 'pattern'],
    ['Quantum Widget Misuse', null, 'unknown', 'unmapped'],
    [null, '9876', 'unknown', 'unmapped'],
    [null, 'ABCD', 'unknown', 'unmapped'],
  ];
  it.each(cases)('text %j, code %j → %s / %s', (text, code, category, basis) => {
    expect(categorizeOffense(ref, text, code)).toEqual({ category, basis, inchoate: false });
  });

  it('folds case, spacing and punctuation', () => {
    expect(normalizeChargeText('ASSAULT ')).toBe(normalizeChargeText('Assault'));
    expect(normalizeChargeText(" Driver's  License\tViolation ")).toBe('drivers license violation');
    expect(normalizeChargeText('Illegal Re-Entry (INA SEC.101(a)(43)(O), 8USC1326)')).toBe(
      'illegal re entry ina sec 101 a 43 o 8usc1326',
    );
    expect(normalizeChargeText(null)).toBe('');
  });

  it('reads NCIC codes with lost leading zeros or trailing text', () => {
    expect(parseNcicCode('999')).toBe('0999');
    expect(parseNcicCode(303)).toBe('0303');
    expect(parseNcicCode('5404.0')).toBe('5404');
    expect(parseNcicCode('5404 DUI')).toBe('5404');
    expect(parseNcicCode('54041')).toBeNull();
    expect(parseNcicCode('b(6)')).toBeNull();
    expect(parseNcicCode('')).toBeNull();
  });
});

describe('violence definitions', () => {
  it('follow the UCR set and the broad set', () => {
    expect([...VIOLENCE_DEFINITIONS.violent_ucr.categories].sort()).toEqual(
      ['aggravated_assault', 'homicide', 'robbery', 'sexual_assault'],
    );
    for (const c of VIOLENCE_DEFINITIONS.violent_ucr.categories) {
      expect(isViolent(c, 'violent_broad')).toBe(true);
    }
    for (const c of ['simple_assault', 'kidnapping', 'weapons', 'other_sexual_offense']) {
      expect(isViolent(c, 'violent_broad')).toBe(true);
      expect(isViolent(c, 'violent_ucr')).toBe(false);
    }
    for (const c of ['dui', 'immigration', 'drug_sale_trafficking', 'burglary', 'other', 'unknown']) {
      expect(isViolent(c, 'violent_broad')).toBe(false);
    }
  });

  it('agree with the flags in categories.csv', () => {
    for (const c of ref.categories.values()) {
      expect(isViolent(c.category, 'violent_ucr')).toBe(c.ucrViolent);
      expect(isViolent(c.category, 'violent_broad')).toBe(c.broadViolent);
    }
  });

  it('reject an unknown definition id', () => {
    expect(() => isViolent('homicide', 'violent_x' as 'violent_ucr')).toThrow(/unknown violence definition/);
  });
});

describe('coverageReport', () => {
  it('counts mapped, unmapped, blank and redacted rows and lists unmapped values', () => {
    const report = coverageReport(ref, [
      { text: 'Assault', code: '1399', count: 10 },
      { text: 'Driving Under Influence Liquor', code: null, count: '5' },
      { text: 'DUI - 2nd offense', code: null, count: 2n },
      { text: null, code: null, count: 7 },
      { text: 'b(6), b(7)c', code: null, count: 3 },
      { text: 'Quantum Widget Misuse', code: null, count: 1 },
      { text: 'Zany Thing', code: '9999', count: 4 },
      { text: 'Quantum Widget Misuse', code: null, count: 2 },
    ]);
    expect(report).toMatchObject({
      total: 34,
      blank: 7,
      redacted: 3,
      mapped: 17,
      unmapped: 7,
      readable: 24,
      byBasis: { code: 10, text: 5, pattern: 2, blank: 7, redacted: 3, unmapped: 7 },
    });
    expect(report.mappedShare).toBeCloseTo(17 / 24);
    expect(report.byCategory).toMatchObject({ simple_assault: 10, dui: 7, unknown: 17 });
    expect(report.unmappedValues).toEqual([
      { text: 'Zany Thing', code: '9999', count: 4 },
      { text: 'Quantum Widget Misuse', code: null, count: 3 },
    ]);
  });

  it('gives a null share when nothing is readable', () => {
    expect(coverageReport(ref, [{ text: '', code: null, count: 1 }]).mappedShare).toBeNull();
  });
});
