/**
 * Scores the lifecycles of a synthetic release against the generator's answer key: outcome classes
 * per detainer, later community arrests per person, and county placement.
 */
import { readFile } from 'node:fs/promises';
import type { Store } from '../../src/store/index.ts';

interface KeyDetainer {
  prepare_date: string;
  county_fips: string;
  planted_outcome: string;
  path: string;
  id_missing_rows: number;
  duplicate_rows: number;
}
interface KeyPerson {
  person_id: string;
  detainers: KeyDetainer[];
  later_arrest?: { date: string; method: string; days_after_detainer: number };
}

/** Agreement figures; shares are in [0, 1]. */
export interface AnswerKeyScore {
  plantedDetainers: number;
  /** Planted detainers whose every row lacks an identifier: not linkable by design. */
  unlinkable: number;
  compared: number;
  outcomeAgreement: number;
  /** Agreement among detainers with a blank lift reason (the inferred part). */
  blankCompared: number;
  blankAgreement: number;
  confusion: Record<string, number>;
  /** Planted later arrests whose detainer is linkable. */
  laterArrests: number;
  laterArrestRecall: number;
  laterArrestPrecision: number;
  countyCompared: number;
  countyAgreement: number;
}

/** Reads answer-key.json and compares it with detainer_lifecycle of `releaseId`. */
export async function scoreAgainstAnswerKey(store: Store, releaseId: string, answerKeyPath: string): Promise<AnswerKeyScore> {
  const key = JSON.parse(await readFile(answerKeyPath, 'utf8')) as { people: KeyPerson[] };
  const rows = await store.queryRows<{
    person_id: string;
    prepare_date: string;
    outcome_class: string;
    lift_reason: string | null;
    county_fips: string | null;
    arrest_date: string | null;
    arrest_setting: string | null;
    arrest_before_next_episode: boolean | null;
  }>(
    `SELECT person_id, prepare_date::VARCHAR AS prepare_date, outcome_class, lift_reason, county_fips,
       arrest_date::DATE::VARCHAR AS arrest_date, arrest_setting, arrest_before_next_episode
     FROM detainer_lifecycle WHERE release_id = $1 AND person_id IS NOT NULL`,
    [releaseId],
  );
  const mine = new Map(rows.map((r) => [`${r.person_id}|${r.prepare_date}`, r]));
  let planted = 0;
  let unlinkable = 0;
  let compared = 0;
  let agree = 0;
  let blankCompared = 0;
  let blankAgree = 0;
  let countyCompared = 0;
  let countyAgree = 0;
  const confusion: Record<string, number> = {};
  const plantedArrests = new Set<string>();
  for (const p of key.people) {
    for (const d of p.detainers) {
      planted++;
      const row = mine.get(`${p.person_id}|${d.prepare_date}`);
      if (!row) {
        if (d.id_missing_rows >= d.duplicate_rows + 1) unlinkable++;
        continue;
      }
      compared++;
      const ok = row.outcome_class === d.planted_outcome;
      if (ok) agree++;
      else confusion[`${d.planted_outcome} -> ${row.outcome_class}`] = (confusion[`${d.planted_outcome} -> ${row.outcome_class}`] ?? 0) + 1;
      if (row.lift_reason === null) {
        blankCompared++;
        if (ok) blankAgree++;
      }
      countyCompared++;
      if (row.county_fips === d.county_fips) countyAgree++;
    }
    if (p.later_arrest) {
      const detainerDay = new Date(Date.parse(p.later_arrest.date) - p.later_arrest.days_after_detainer * 86_400_000)
        .toISOString()
        .slice(0, 10);
      plantedArrests.add(`${p.person_id}|${detainerDay}|${p.later_arrest.date}`);
    }
  }
  // Recall over the planted arrests whose detainer is linkable (has an identifier in the release).
  let found = 0;
  let linkableArrests = 0;
  for (const k of plantedArrests) {
    const [person, day, date] = k.split('|');
    const row = mine.get(`${person}|${day}`);
    if (!row) continue;
    linkableArrests++;
    if (row.arrest_date === date && row.arrest_setting === 'community') found++;
  }
  const claimed = rows.filter(
    (r) => r.arrest_setting === 'community' && r.arrest_before_next_episode && r.outcome_class !== 'transferred_to_ice',
  );
  const correct = claimed.filter((r) => plantedArrests.has(`${r.person_id}|${r.prepare_date}|${r.arrest_date}`)).length;
  return {
    plantedDetainers: planted,
    unlinkable,
    compared,
    outcomeAgreement: compared ? agree / compared : 0,
    blankCompared,
    blankAgreement: blankCompared ? blankAgree / blankCompared : 0,
    confusion,
    laterArrests: linkableArrests,
    laterArrestRecall: linkableArrests ? found / linkableArrests : 0,
    laterArrestPrecision: claimed.length ? correct / claimed.length : 0,
    countyCompared,
    countyAgreement: countyCompared ? countyAgree / countyCompared : 0,
  };
}
