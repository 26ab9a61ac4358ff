/**
 * A table test of real most-serious-conviction (MSC) charge texts from ICE releases, each with the
 * category it should get. The expected category of every row was written by hand from the category
 * definitions (reference/offenses/categories.csv and DESIGN.md), not copied from the code's output,
 * so a rule change that moves a real value shows up here.
 *
 * Where the texts come from. ../shared/data holds no MSC vocabulary (the NPR, UWCHR and DDP files
 * there are counts, headcounts and field-missingness tables, and ICE-RELEASES.md lists the MSC
 * columns but not their values), so the values cannot be read from ../shared at test time. They are
 * typed here as ICE writes them (case, spacing and punctuation kept) from two public uses of the
 * Deportation Data Project's ICE releases found with code search: a list of the distinct MSC values
 * of an ICE arrests release (a Python analysis script), and a column profile of the detention
 * stints of release 2026-ICLI-00005 (its most frequent MSC_CHARGE values and their NCIC codes).
 *
 * A second, smaller table holds the texts the domain review (../shared/reviews/domain-review.md §4)
 * names, including Massachusetts court wordings; those are review examples, not release values.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import {
  categorizeOffense,
  isViolent,
  loadOffenseReference,
  offenseBasisSql,
  offenseCategorySql,
  offenseInchoateSql,
  offenseReferenceSql,
} from './index.ts';

const ref = loadOffenseReference();

type Row = readonly [text: string, category: string, inchoate?: boolean];

const AGG = 'aggravated_assault';
const SIMPLE = 'simple_assault';
const OSO = 'other_sexual_offense';
const OBS = 'obstruction_public_order';
const SALE = 'drug_sale_trafficking';
const POSS = 'drug_possession';
const THEFT = 'larceny_theft';

/** MSC values of ICE releases, as written, with the category the definitions give them. */
const RELEASE_TEXTS: readonly Row[] = [
  ['Aggravated Assault - Family-Strongarm', AGG],
  ['Aggravated Assault - Gun', AGG],
  ['Aggravated Assault - Non-family-Gun', AGG],
  ['Aggravated Assault - Non-family-Strongarm', AGG],
  ['Aggravated Assault - Non-family-Weapon', AGG],
  ['Aggravated Assault - Weapon', AGG],
  ['Amphetamine - Manufacturing', SALE],
  ['Amphetamine - Possession', POSS],
  ['Amphetamine - Sell', SALE],
  ['Assault', SIMPLE],
  ['Battery', SIMPLE],
  ['Burglary', 'burglary'],
  ['Burglary - Forced Entry-Residence', 'burglary'],
  ['Burglary - No Forced Entry-Non-Residence', 'burglary'],
  ['Carrying Concealed Weapon', 'weapons'],
  ['Carrying Prohibited Weapon', 'weapons'],
  ['Cocaine', POSS],
  ['Cocaine - Possession', POSS],
  ['Cocaine - Sell', SALE],
  ['Commercial Sex', 'other'],
  ['Conspiracy [use when no underlying offense, such as 18 U.S.C. SEC. 371]', 'other', true],
  ['Contempt Of Court', OBS],
  ['Contributing to Delinquency of Minor', 'other'],
  ['Counterfeiting', 'fraud'],
  ['Crimes Against Person', 'other'],
  ['Cruelty Toward Child', SIMPLE],
  ['Damage Property', 'other'],
  ['Dangerous Drugs', POSS],
  ['Disorderly Conduct', OBS],
  ['Domestic Violence', SIMPLE],
  ['Driving Under Influence Drugs', 'dui'],
  ['Driving Under Influence Liquor', 'dui'],
  ['Drug Possession', POSS],
  ['Drug Trafficking', SALE],
  ['Embezzle', 'fraud'],
  ['Enticement of Minor for Prostitution', OSO],
  ['Flight - Escape', OBS],
  ['Flight To Avoid (prosecution, confinement, etc.)', OBS],
  ['Forgery', 'fraud'],
  ['Fraud', 'fraud'],
  ['Fraud - False Statement', 'fraud'],
  ['Fraud - Illegal Use Credit Cards', 'fraud'],
  ['Fraud - Impersonating', 'fraud'],
  ['Fraud By Wire', 'fraud'],
  ['Gambling', 'other'],
  ['Harassing Communication', OBS],
  ['Heroin - Sell', SALE],
  ['Heroin - Smuggle', SALE],
  ['Hit and Run', 'other_traffic'],
  ['Homicide', 'homicide'],
  ['Homicide-Negligent Manslaughter-Vehicle', 'other'],
  ['Identity Theft', 'fraud'],
  ['Identity Theft (70AA)', 'fraud'],
  ['Illegal Entry (INA SEC.101(a)(43)(O), 8USC1325 only)', 'immigration'],
  ['Illegal Re-Entry (INA SEC.101(a)(43)(O), 8USC1326 only)', 'immigration'],
  ['Incest With Minor', OSO],
  ['Indecent Exposure', OSO],
  ['Intimidation', SIMPLE],
  ['Kidnapping', 'kidnapping'],
  ['Larceny', THEFT],
  ['Larceny - From Auto', THEFT],
  ['Licensing - Registration Weapon', 'weapons'],
  ['Liquor', OBS],
  ['Liquor - Possession', OBS],
  ['Making False Report', OBS],
  ['Marijuana - Possession', POSS],
  ['Marijuana - Sell', SALE],
  ['Marijuana - Smuggle', SALE],
  ['Narcotic Equip - Possession', POSS],
  ['Obstruct Police', OBS],
  ['Possession Forged (identify in comments)', 'fraud'],
  ['Possession Of Weapon', 'weapons'],
  ['Probation Violation', OBS],
  ['Property Crimes', 'other'],
  ['Prostitution', 'other'],
  ['Public Order Crimes', OBS],
  ['Public Peace', OBS],
  ['Racketeer Influenced and Corrupt Organizations Act (RICO)', 'other'],
  ['Resisting Officer', OBS],
  ['Riot - Engaging in', OBS],
  ['Robbery', 'robbery'],
  ['Robbery - Residence-Gun', 'robbery'],
  ['Robbery - Residence-Weapon', 'robbery'],
  ['Sex Assault', 'sexual_assault'],
  ['Sex Assault - Carnal Abuse', OSO],
  ['Sex Offense', OSO],
  ['Sex Offense Against Child-Fondling', OSO],
  ['Sexual Exploitation of Minor - Material - Film', OSO],
  ['Sexual Exploitation of Minor - Material - Photograph', OSO],
  ['Sexual Exploitation of Minor - Prostitution', OSO],
  ['Sexual Exploitation of Minor - Sex Performance', OSO],
  ['Sexual Exploitation of Minor - Via Telecommunications', OSO],
  ['Shoplifting', THEFT],
  ['Simple Assault', SIMPLE],
  ['Smuggling Aliens', 'immigration'],
  ['Statutory Rape - No Force', OSO],
  ['Stolen Property', THEFT],
  ['Stolen Vehicle', THEFT],
  ['Theft And Use Vehicle Other Crime', THEFT],
  ['Threat Terroristic State Offenses', SIMPLE],
  ['Traffic Offense', 'other_traffic'],
  ['Trespassing', OBS],
  ['Unauthorized Use of Vehicle (includes joy riding)', THEFT],
  ['Vehicle Theft', THEFT],
  ['Violation of a Court Order', OBS],
  ['Voyeurism', OSO],
  ['Weapon Offense', 'weapons'],
];

/** (text, NCIC code) pairs as they appear together in the 2026-ICLI-00005 detention stints. */
const RELEASE_PAIRS: readonly (readonly [string, string, string])[] = [
  ['Driving Under Influence Liquor', '5404', 'dui'],
  ['Illegal Entry (INA SEC.101(a)(43)(O), 8USC1325 only)', '0301', 'immigration'],
  ['Assault', '1399', SIMPLE],
  ['Traffic Offense', '5499', 'other_traffic'],
];

/** Texts the domain review names (§4), with the category it asks for. Not release values. */
const REVIEW_TEXTS: readonly Row[] = [
  ['Solicitation to commit murder', 'other', true],
  ['Conspiracy to commit murder', 'other', true],
  ['Accessory after the fact to murder', 'other', true],
  ['Threat to commit murder', SIMPLE, false],
  ['Assault with intent to murder', AGG, false],
  ['Assault and Battery with a Dangerous Weapon', AGG, false],
  ['A&B with a dangerous weapon', AGG, false],
  ['ABDW', AGG, false],
  ['Indecent assault and battery on a child under 14', OSO, false],
  ['Indecent A&B on a child', OSO, false],
  ['Strangulation', AGG, false],
  ['Witness intimidation', OBS, false],
  ['Threats', SIMPLE, false],
  ['A&B on family/household member', SIMPLE, false],
  ['Attempted Murder', AGG, true],
  ['Murder - First Degree', 'homicide', false],
  ['Solicitation of Prostitution', 'other', false],
  ['Conspiracy to Distribute Controlled Substance', SALE, true],
];

describe('real MSC charge texts of ICE releases', () => {
  it('has at least 60 distinct real texts', () => {
    expect(new Set(RELEASE_TEXTS.map(([t]) => t)).size).toBe(RELEASE_TEXTS.length);
    expect(RELEASE_TEXTS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(RELEASE_TEXTS)('%s → %s', (...row) => {
    const [text, category, inchoate = false] = row as unknown as Row;
    const got = categorizeOffense(ref, text, null);
    expect(got.category).toBe(category);
    expect(got.inchoate).toBe(inchoate);
  });

  it.each(RELEASE_PAIRS)('%s with code %s → %s by code, as by text', (text, code, category) => {
    expect(categorizeOffense(ref, text, code)).toMatchObject({ category, basis: 'code' });
    expect(categorizeOffense(ref, text, null).category).toBe(category);
  });
});

describe('the domain review examples', () => {
  it.each(REVIEW_TEXTS)('%s → %s (inchoate %s)', (...row) => {
    const [text, category, inchoate] = row as unknown as Row;
    expect(categorizeOffense(ref, text, null)).toMatchObject({ category, inchoate });
  });

  it('keeps NCIC 1117 (carnal abuse) out of the UCR set, next to 1116', () => {
    const c1117 = categorizeOffense(ref, null, '1117');
    expect(c1117).toMatchObject({ category: OSO, basis: 'code' });
    expect(categorizeOffense(ref, null, '1116').category).toBe(OSO);
    expect(isViolent(c1117.category, 'violent_ucr')).toBe(false);
    // The neighbours stay sexual assault.
    expect(categorizeOffense(ref, null, '1115').category).toBe('sexual_assault');
    expect(categorizeOffense(ref, null, '1199').category).toBe('sexual_assault');
  });

  it('puts no inchoate or threat form of murder into homicide', () => {
    for (const [text] of REVIEW_TEXTS.filter(([t]) => /solicit|conspir|accessory|threat|intent/i.test(t))) {
      expect(categorizeOffense(ref, text, null).category, text).not.toBe('homicide');
    }
  });
});

describe('the same tables in DuckDB', () => {
  it('give the same category, basis and inchoate flag for every row', async () => {
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      await conn.run(offenseReferenceSql(ref));
      const rows: [string, string | null][] = [
        ...RELEASE_TEXTS.map(([t]) => [t, null] as [string, null]),
        ...RELEASE_PAIRS.map(([t, c]) => [t, c] as [string, string]),
        ...REVIEW_TEXTS.map(([t]) => [t, null] as [string, null]),
      ];
      const lit = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
      const values = rows.map(([t, c], i) => `(${i}, ${lit(t)}, ${lit(c)})`).join(',\n');
      const reader = await conn.runAndReadAll(
        `SELECT i, ${offenseCategorySql('v.t', 'v.c')} AS category, ${offenseBasisSql('v.t', 'v.c')} AS basis, ` +
          `${offenseInchoateSql('v.t')} AS inchoate FROM (VALUES ${values}) v(i, t, c) ORDER BY i`,
      );
      const got = reader.getRowObjectsJson() as { i: number; category: string; basis: string; inchoate: boolean }[];
      expect(got).toHaveLength(rows.length);
      const js = rows.map(([t, c]) => categorizeOffense(ref, t, c));
      expect(got.map((g) => ({ category: g.category, basis: g.basis, inchoate: g.inchoate }))).toEqual(js);
    } finally {
      conn.closeSync();
    }
  });
});
