/**
 * offense — what the most serious conviction (MSC) on an ICE record was, in plain words.
 *
 * Does:
 * - load and validate the hand-kept tables in `reference/offenses/` (categories, NCIC code ranges,
 *   exact charge texts, keyword patterns, inchoate patterns);
 * - put an MSC (charge text, NCIC code) pair into one offense category and say which rule decided
 *   (`code`, `text`, `pattern`) or why none did (`blank`, `redacted`, `unmapped`), with an `inchoate`
 *   flag when the text names an attempt, conspiracy, solicitation or accessory;
 * - define the two named sets of "violent" categories, `violent_ucr` and `violent_broad`;
 * - build the SQL that applies the same crosswalk inside DuckDB, and measure coverage.
 *
 * Does not:
 * - open DuckDB or read FOIA files (the store loads the `ref_offense_*` tables from
 *   `offenseReferenceSql`);
 * - guess: a value no table maps is `unknown`/`unmapped` and is listed by `coverageReport`;
 * - look at criminality ("1 Convicted Criminal", …), sentences or other charges: the category
 *   describes only the MSC field and is kept beside criminality, never merged with it.
 *
 * Inputs: `reference/offenses/*.csv`, MSC text and code values. Outputs: categories, bases, SQL text,
 * coverage counts. Narrative and every judgment call: `src/offense/DESIGN.md`.
 */
export {
  DEFAULT_OFFENSE_REFERENCE_DIR,
  OFFENSE_REFERENCE_FILES,
  REQUIRED_CATEGORIES,
  UNKNOWN_CATEGORY,
  findCodeRange,
  loadOffenseReference,
} from './load-offense-reference.ts';
export type {
  OffenseCategoryDef,
  OffenseChargeText,
  OffenseCodeRange,
  OffenseInchoatePattern,
  OffenseReference,
  OffenseTextPattern,
} from './load-offense-reference.ts';
export {
  REDACTION_PATTERN,
  isRedacted,
  normalizeChargeText,
  normalizeChargeTextSql,
  parseNcicCode,
  parseNcicCodeSql,
} from './normalize.ts';
export { OFFENSE_BASES, categorizeOffense, isInchoate, listChargeTexts } from './categorize-offense.ts';
export type { ChargeTextSample, OffenseBasis, OffenseCategorization } from './categorize-offense.ts';
export { VIOLENCE_DEFINITIONS, isViolent } from './violence.ts';
export type { ViolenceDefinition, ViolenceDefinitionId } from './violence.ts';
export {
  OFFENSE_TABLES,
  offenseBasisSql,
  offenseCategorySql,
  offenseCrosswalkSql,
  offenseInchoateSql,
  offenseReferenceRows,
  offenseReferenceSql,
} from './offense-sql.ts';
export type { OffenseReferenceRows } from './offense-sql.ts';
export { coverageReport } from './coverage-report.ts';
export type { ChargeCount, OffenseCoverage, UnmappedCharge } from './coverage-report.ts';
