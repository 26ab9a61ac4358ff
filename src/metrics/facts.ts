/**
 * Reads the records a publication cube counts, one row per record, from the store. Detainers come
 * from `detainer_lifecycle` when the link stage has built it (issue 4), otherwise straight from
 * `detainers`, `arrests` and `removals` with the same vocabularies the link stage uses
 * (reference/link/*.csv): the outcome from the lift reason, the next ICE arrest of the same person in
 * the same release on or after the prepare date, and a removal departed on or after it (from the
 * removals table or the detainer row's own "Departed Date").
 *
 * A later arrest or removal counts only inside the fixed follow-up window (`FOLLOW_UP_DAYS` from the
 * prepare date) and only before the person's next detainer episode: an arrest after a new jail
 * booking and detainer follows that detainer, not this one (src/link/DESIGN.md, "Follow-up
 * windows"). The metrics then give a figure only for periods whose every window has closed.
 *
 * Rows leave this file only as input to the cube: nothing here is ever served.
 */
import { aorByName, countyByFips, findCounty, resolveState } from '../geo/index.ts';
import { FOLLOW_UP_DAYS, NEAR_CUTOFF_DAYS, loadApprehensionMethods, loadLiftReasons, vocabularyKey, vocabularyKeySql } from '../link/index.ts';
import type { Store } from '../store/index.ts';
import type { BaseFact, Outcome, Setting } from './dimensions.ts';
import { OUTCOMES, SETTINGS } from './dimensions.ts';

/** How the detainer facts were read: from the link stage's table or from the raw tables. */
export type FactSource = 'detainer_lifecycle' | 'raw_tables';

function lit(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/**
 * VALUES lists of the two link vocabularies, loaded and checked by src/link (the same files, the same
 * matching key), so the raw-table path classifies exactly as the link stage does.
 */
function vocabularySql(): { liftReasons: string; methods: string } {
  const lr = loadLiftReasons().map((r) => `(${lit(vocabularyKey(r.value))}, ${lit(r.outcomeClass)}, ${lit(r.group)})`);
  const am = loadApprehensionMethods().map((r) => `(${lit(vocabularyKey(r.method))}, ${lit(r.setting)})`);
  return {
    liftReasons: lr.length ? `SELECT * FROM (VALUES ${lr.join(', ')}) t(k, outcome, lift_group)` : 'SELECT NULL::VARCHAR AS k, NULL::VARCHAR AS outcome, NULL::VARCHAR AS lift_group WHERE false',
    methods: am.length ? `SELECT * FROM (VALUES ${am.join(', ')}) t(k, setting)` : 'SELECT NULL::VARCHAR AS k, NULL::VARCHAR AS setting WHERE false',
  };
}

const memo = new Map<string, { state: string | null; county: string | null; aor: string | null }>();

/** Resolves free-text state / county / AOR fields to postal code, 5-digit FIPS and AOR code. */
export function resolvePlace(state: string | null, county: string | null, aor: string | null): { state: string | null; county: string | null; aor: string | null } {
  const k = `${state}\u0000${county}\u0000${aor}`;
  const hit = memo.get(k);
  if (hit) return hit;
  let st = state ? resolveState(state) : undefined;
  let fips: string | null = null;
  if (county) {
    const c = /^\d{5}$/.test(county.trim()) ? countyByFips(county.trim()) : st ? findCounty(st.fips, county) : undefined;
    if (c) {
      fips = c.fips;
      st = resolveState(c.statePostal) ?? st; // the county decides the state, so counties nest in states
    }
  }
  const out = { state: st?.postal ?? null, county: fips, aor: aor ? (aorByName(aor)?.code ?? null) : null };
  memo.set(k, out);
  return out;
}

interface DetainerRow {
  date: string;
  facility_state: string | null;
  county_fips: string | null;
  facility_aor: string | null;
  facility: string | null;
  facility_name: string | null;
  criminality: string | null;
  offense_category: string | null;
  detainer_type: string | null;
  outcome: string | null;
  lift_blank: boolean;
  lift_group: string | null;
  near_cutoff: boolean;
  has_id: boolean;
  next_setting: string | null;
  removed: boolean;
  days_to_outcome: number | null;
  days_to_arrest: number | null;
  days_to_removal: number | null;
  /** The regime the pipeline assigned (src/pipeline/assign-policies.ts, by the facility's custody); null when none was. */
  regime?: string | null;
  lift_date?: string | null;
  /** As `regime`, on the lift date. */
  regime_at_lift?: string | null;
}

function toFact(r: DetainerRow): BaseFact {
  const place = resolvePlace(r.facility_state, r.county_fips, r.facility_aor);
  const outcome = (OUTCOMES as readonly string[]).includes(r.outcome ?? '') ? (r.outcome as Outcome) : 'open_or_unknown';
  return {
    date: r.date,
    ...place,
    facility: r.facility?.trim() || null,
    facility_name: r.facility_name,
    criminality: r.criminality,
    offense_category: r.offense_category,
    detainer_type: r.detainer_type,
    outcome,
    lift_reason_blank: r.lift_blank,
    lift_reason_group: r.lift_group,
    near_cutoff: r.near_cutoff,
    has_identifier: r.has_id,
    later_arrest_setting: r.has_id && r.next_setting !== null ? ((SETTINGS as readonly string[]).includes(r.next_setting) ? (r.next_setting as Setting) : 'unknown') : null,
    later_removal: r.removed,
    days_to_outcome: r.days_to_outcome === null ? null : Number(r.days_to_outcome),
    days_to_later_arrest: r.days_to_arrest === null ? null : Number(r.days_to_arrest),
    days_to_later_removal: r.days_to_removal === null ? null : Number(r.days_to_removal),
    setting: null,
    after_declined_detainer: false,
    ...(r.regime ? { regime: r.regime } : {}),
    lift_date: r.lift_date ?? null,
    ...(r.regime_at_lift ? { regime_at_lift: r.regime_at_lift } : {}),
  };
}

/** Columns of a table (empty when it does not exist). */
async function columnsOf(store: Store, table: string): Promise<Set<string>> {
  const rows = await store.queryRows<{ column_name: string }>(
    'SELECT column_name FROM duckdb_columns() WHERE table_name = $1',
    [table],
  );
  return new Set(rows.map((r) => r.column_name));
}

/** Columns of `detainer_lifecycle` (src/store/schema/003-lifecycle.sql) the cube reads. */
export const LIFECYCLE_COLUMNS = [
  'release_id', 'person_id', 'prepare_date', 'state_postal', 'county_fips', 'aor_code', 'facility_code',
  'facility_name', 'criminality', 'offense_category', 'detainer_type', 'lift_reason', 'lift_date',
  'outcome_class', 'days_to_book_in', 'arrest_date', 'arrest_setting', 'days_to_arrest', 'removal_date',
  'next_episode_date', 'arrest_before_next_episode',
] as const;

/** Where detainer facts of a release come from: the lifecycle table when it has the release's rows. */
export async function detainerFactSource(store: Store, releaseId?: string): Promise<FactSource> {
  const cols = await columnsOf(store, 'detainer_lifecycle');
  if (!LIFECYCLE_COLUMNS.every((c) => cols.has(c))) return 'raw_tables';
  if (releaseId === undefined) return 'detainer_lifecycle';
  const row = await store.queryRow<{ n: string }>('SELECT count(*) AS n FROM detainer_lifecycle WHERE release_id = $1', [releaseId]);
  return Number(row?.n ?? 0) > 0 ? 'detainer_lifecycle' : 'raw_tables';
}

/** SQL giving (person_id, release_id, prepare date, outcome) for every non-duplicate detainer of a release. */
function outcomeCte(source: FactSource, lifts: string): string {
  if (source === 'detainer_lifecycle') {
    return `SELECT release_id, person_id, prepare_date AS pdate, outcome_class AS outcome FROM detainer_lifecycle WHERE release_id = $1`;
  }
  return `SELECT d.release_id, d.person_id, d.detainer_prepare_date AS pdate, coalesce(lr.outcome, 'open_or_unknown') AS outcome
          FROM detainers d LEFT JOIN (${lifts}) lr ON lr.k = ${vocabularyKeySql('d.detainer_lift_reason')}
          WHERE d.release_id = $1 AND NOT coalesce(d.is_duplicate, false)`;
}

/** Every non-duplicate, dated detainer of a release, as cube input. */
export async function loadDetainerFacts(store: Store, releaseId: string): Promise<{ facts: BaseFact[]; source: FactSource; excludedUndated: number }> {
  const source = await detainerFactSource(store, releaseId);
  const v = vocabularySql();
  let sql: string;
  if (source === 'detainer_lifecycle') {
    sql = `SELECT strftime(prepare_date, '%Y-%m-%d') AS date, state_postal AS facility_state, county_fips, aor_code AS facility_aor,
        facility_code AS facility, facility_name, criminality, offense_category, detainer_type,
        outcome_class AS outcome, nullif(trim(coalesce(lift_reason, '')), '') IS NULL AS lift_blank,
        CASE WHEN lift_reason_group NOT IN ('blank', 'unmapped') THEN lift_reason_group END AS lift_group,
        coalesce(near_cutoff, false) AS near_cutoff,
        person_id IS NOT NULL AS has_id,
        CASE WHEN arrest_counts THEN coalesce(arrest_setting, 'unknown') END AS next_setting,
        coalesce(removal_counts, false) AS removed,
        CASE WHEN outcome_class IN ('transferred_to_ice', 'ice_custody_unlinked') THEN days_to_book_in
             WHEN outcome_class IN ('declined', 'lifted_by_ice', 'released_other') AND lift_date >= prepare_date
               THEN date_diff('day', prepare_date, lift_date) END AS days_to_outcome,
        CASE WHEN arrest_counts THEN date_diff('day', prepare_date, arrest_date::DATE) END AS days_to_arrest,
        CASE WHEN removal_counts THEN date_diff('day', prepare_date, removal_date) END AS days_to_removal,
        policy_regime_at_prepare AS regime,
        strftime(lift_date, '%Y-%m-%d') AS lift_date, policy_regime_at_lift AS regime_at_lift
      FROM (
        SELECT *,
          -- The builder sets arrest_before_next_episode whenever it links an arrest; NULL (rows
          -- written by other means) is read as "no next episode known".
          (arrest_date IS NOT NULL AND coalesce(arrest_before_next_episode, true)
            AND date_diff('day', prepare_date, arrest_date::DATE) <= $2::INTEGER) AS arrest_counts,
          (removal_date IS NOT NULL AND (next_episode_date IS NULL OR removal_date < next_episode_date)
            AND date_diff('day', prepare_date, removal_date) <= $2::INTEGER) AS removal_counts
        FROM detainer_lifecycle WHERE release_id = $1 AND prepare_date IS NOT NULL)`;
  } else {
    sql = `WITH lr AS (${v.liftReasons}), am AS (${v.methods}),
      d AS (
        SELECT row_number() OVER () AS rid, d.*, coalesce(lr.outcome, 'open_or_unknown') AS outcome, lr.lift_group
        FROM detainers d LEFT JOIN lr ON lr.k = ${vocabularyKeySql('d.detainer_lift_reason')}
        WHERE d.release_id = $1 AND NOT coalesce(d.is_duplicate, false) AND d.detainer_prepare_date IS NOT NULL
      ),
      -- Episodes as store/flags.ts draws them (a new one when prepare dates are more than a day
      -- apart), and the first prepare date of each detainer's next episode.
      ep AS (
        SELECT rid, person_id, detainer_prepare_date AS pdate,
          sum(CASE WHEN prev IS NULL OR detainer_prepare_date - prev > 1 THEN 1 ELSE 0 END)
            OVER (PARTITION BY person_id ORDER BY detainer_prepare_date, rid ROWS UNBOUNDED PRECEDING) AS ep
        FROM (SELECT rid, person_id, detainer_prepare_date,
                lag(detainer_prepare_date) OVER (PARTITION BY person_id ORDER BY detainer_prepare_date, rid) AS prev
              FROM d WHERE person_id IS NOT NULL)
      ),
      eps AS (SELECT person_id, ep, lead(min(pdate)) OVER (PARTITION BY person_id ORDER BY min(pdate)) AS next_start FROM ep GROUP BY person_id, ep),
      nx AS (SELECT ep.rid, eps.next_start FROM ep JOIN eps USING (person_id, ep)),
      -- The release's cut-off as the link stage draws it (latest primary event date).
      cut AS (
        SELECT max(x) AS cutoff FROM (
          SELECT max(detainer_prepare_date) AS x FROM detainers WHERE release_id = $1
          UNION ALL SELECT max(apprehension_date::DATE) FROM arrests WHERE release_id = $1
          UNION ALL SELECT max(event_date) FROM encounters WHERE release_id = $1
          UNION ALL SELECT max(stay_book_in_date_time::DATE) FROM detention_stints WHERE release_id = $1
          UNION ALL SELECT max(departed_date) FROM removals WHERE release_id = $1)
      ),
      a AS (
        SELECT person_id, apprehension_date::DATE AS adate, apprehension_method FROM arrests
        WHERE release_id = $1 AND NOT coalesce(is_duplicate, false) AND person_id IS NOT NULL AND apprehension_date IS NOT NULL
      ),
      na AS (
        SELECT d.rid, a.adate, a.apprehension_method
        FROM d ASOF JOIN a ON d.person_id = a.person_id AND d.detainer_prepare_date <= a.adate
          LEFT JOIN nx USING (rid)
        WHERE (nx.next_start IS NULL OR a.adate < nx.next_start) AND a.adate - d.detainer_prepare_date <= $2::INTEGER
      ),
      nr AS (
        SELECT rid, min(date_diff('day', pdate, dt)) AS days FROM (
          SELECT d.rid, d.detainer_prepare_date AS pdate, r.departed_date AS dt FROM d JOIN removals r ON r.release_id = $1
            AND r.person_id = d.person_id AND NOT coalesce(r.is_duplicate, false)
          UNION ALL
          SELECT d.rid, d.detainer_prepare_date, d.departed_date FROM d, cut WHERE d.departed_date <= cut.cutoff
        ) x LEFT JOIN nx USING (rid)
        WHERE dt >= pdate AND dt - pdate <= $2::INTEGER AND (nx.next_start IS NULL OR dt < nx.next_start)
        GROUP BY rid
      )
      SELECT strftime(d.detainer_prepare_date, '%Y-%m-%d') AS date, d.facility_state, NULL AS county_fips, d.facility_aor,
        d.detention_facility_code AS facility, d.detention_facility AS facility_name,
        d.detainer_prepared_criminality AS criminality, d.offense_category, d.detainer_type, d.outcome,
        nullif(trim(coalesce(d.detainer_lift_reason, '')), '') IS NULL AS lift_blank,
        d.lift_group,
        -- As the link stage flags it: a blank lift reason prepared fewer than NEAR_CUTOFF_DAYS before the cut-off.
        coalesce(nullif(trim(coalesce(d.detainer_lift_reason, '')), '') IS NULL
          AND date_diff('day', d.detainer_prepare_date, (SELECT cutoff FROM cut)) < ${NEAR_CUTOFF_DAYS}, false) AS near_cutoff,
        d.person_id IS NOT NULL AS has_id,
        CASE WHEN na.adate IS NULL THEN NULL ELSE coalesce(am.setting, 'unknown') END AS next_setting,
        nr.rid IS NOT NULL AS removed,
        CASE WHEN d.outcome = 'transferred_to_ice' AND na.adate IS NOT NULL THEN date_diff('day', d.detainer_prepare_date, na.adate)
             WHEN d.outcome IN ('declined', 'lifted_by_ice', 'released_other') AND d.detainer_lift_date >= d.detainer_prepare_date
               THEN date_diff('day', d.detainer_prepare_date, d.detainer_lift_date) END AS days_to_outcome,
        CASE WHEN na.adate IS NULL THEN NULL ELSE date_diff('day', d.detainer_prepare_date, na.adate) END AS days_to_arrest,
        nr.days AS days_to_removal,
        strftime(d.detainer_lift_date, '%Y-%m-%d') AS lift_date
      FROM d LEFT JOIN na USING (rid) LEFT JOIN am ON am.k = ${vocabularyKeySql('na.apprehension_method')} LEFT JOIN nr USING (rid)`;
  }
  // The follow-up window is a parameter ($2), like the release.
  const rows = await store.queryRows<DetainerRow & Record<string, unknown>>(sql, [releaseId, FOLLOW_UP_DAYS]);
  const undated = await store.queryRow<{ n: string }>(
    source === 'detainer_lifecycle'
      ? 'SELECT count(*) AS n FROM detainer_lifecycle WHERE release_id = $1 AND prepare_date IS NULL'
      : 'SELECT count(*) AS n FROM detainers WHERE release_id = $1 AND NOT coalesce(is_duplicate, false) AND detainer_prepare_date IS NULL',
    [releaseId],
  );
  return { facts: rows.map(toFact), source, excludedUndated: Number(undated?.n ?? 0) };
}

interface ArrestRow {
  date: string;
  apprehension_state: string | null;
  apprehension_county: string | null;
  apprehension_aor: string | null;
  criminality: string | null;
  has_id: boolean;
  setting: string | null;
  after_declined: boolean;
  prior_outcome: string | null;
}

/** What an arrest or a removal contributes: the fields it has; the detainer-only fields are empty. */
function personRecordFact(
  r: Pick<BaseFact, 'date' | 'state' | 'county' | 'aor' | 'criminality' | 'has_identifier' | 'setting' | 'after_declined_detainer'>,
): BaseFact {
  return {
    ...r,
    facility: null,
    facility_name: null,
    offense_category: null,
    detainer_type: null,
    outcome: 'open_or_unknown',
    lift_reason_blank: false,
    lift_reason_group: null,
    near_cutoff: false,
    later_arrest_setting: null,
    later_removal: false,
    days_to_outcome: null,
    days_to_later_arrest: null,
    days_to_later_removal: null,
  };
}

/** Every non-duplicate, dated ICE arrest of a release, as cube input. */
export async function loadArrestFacts(store: Store, releaseId: string): Promise<{ facts: BaseFact[]; source: FactSource; excludedUndated: number }> {
  const source = await detainerFactSource(store, releaseId);
  const v = vocabularySql();
  const sql = `WITH am AS (${v.methods}), lr AS (${v.liftReasons}),
    o AS (${outcomeCte(source, 'SELECT * FROM lr')}),
    dd AS (SELECT person_id, min(pdate) AS first_declined FROM o WHERE outcome = 'declined' AND person_id IS NOT NULL AND pdate IS NOT NULL GROUP BY person_id),
    -- One outcome per person and prepare date (non-duplicates differ in one of the two already).
    ld AS (SELECT person_id, pdate, min(outcome) AS outcome FROM o WHERE person_id IS NOT NULL AND pdate IS NOT NULL GROUP BY person_id, pdate),
    a AS (SELECT *, apprehension_date::DATE AS adate FROM arrests WHERE release_id = $1 AND NOT coalesce(is_duplicate, false) AND apprehension_date IS NOT NULL)
    SELECT strftime(a.apprehension_date, '%Y-%m-%d') AS date, a.apprehension_state, a.apprehension_county, a.apprehension_aor,
      a.apprehension_criminality AS criminality, a.person_id IS NOT NULL AS has_id,
      coalesce(am.setting, 'unknown') AS setting,
      coalesce(dd.first_declined <= a.adate, false) AS after_declined,
      ld.outcome AS prior_outcome
    FROM a LEFT JOIN am ON am.k = ${vocabularyKeySql('a.apprehension_method')}
      LEFT JOIN dd ON dd.person_id = a.person_id
      ASOF LEFT JOIN ld ON ld.person_id = a.person_id AND ld.pdate <= a.adate
    WHERE true`;
  const rows = await store.queryRows<ArrestRow & Record<string, unknown>>(sql, [releaseId]);
  const undated = await store.queryRow<{ n: string }>(
    'SELECT count(*) AS n FROM arrests WHERE release_id = $1 AND NOT coalesce(is_duplicate, false) AND apprehension_date IS NULL',
    [releaseId],
  );
  const facts = rows.map((r) =>
    personRecordFact({
      date: r.date,
      ...resolvePlace(r.apprehension_state, r.apprehension_county, r.apprehension_aor),
      criminality: r.criminality,
      has_identifier: r.has_id,
      setting: (SETTINGS as readonly string[]).includes(r.setting ?? '') ? (r.setting as Setting) : 'unknown',
      after_declined_detainer: r.after_declined,
    }),
  );
  rows.forEach((r, i) => {
    facts[i]!.prior_detainer_outcome = r.prior_outcome === null ? null : (OUTCOMES as readonly string[]).includes(r.prior_outcome) ? (r.prior_outcome as Outcome) : 'open_or_unknown';
  });
  return { facts, source, excludedUndated: Number(undated?.n ?? 0) };
}

/**
 * Every non-duplicate removal of a release with a departure date, as cube input: placed by its
 * departure date (the date ICE's removal counts use) and by the apprehension state / county and
 * the AOR the row gives.
 */
export async function loadRemovalFacts(store: Store, releaseId: string): Promise<{ facts: BaseFact[]; source: FactSource; excludedUndated: number }> {
  const rows = await store.queryRows<{ date: string; state: string | null; county: string | null; aor: string | null; criminality: string | null; has_id: boolean; after_detainer: boolean }>(
    `WITH fd AS (
       SELECT person_id, min(detainer_prepare_date) AS first_detainer FROM detainers
       WHERE release_id = $1 AND NOT coalesce(is_duplicate, false) AND person_id IS NOT NULL AND detainer_prepare_date IS NOT NULL
       GROUP BY person_id)
     SELECT strftime(r.departed_date, '%Y-%m-%d') AS date, r.apprehension_state AS state, r.apprehension_county AS county,
            coalesce(r.area_of_responsibility, r.docket_aor, r.case_aor) AS aor, r.case_criminality AS criminality, r.person_id IS NOT NULL AS has_id,
            coalesce(fd.first_detainer <= r.departed_date, false) AS after_detainer
     FROM removals r LEFT JOIN fd ON fd.person_id = r.person_id
     WHERE r.release_id = $1 AND NOT coalesce(r.is_duplicate, false) AND r.departed_date IS NOT NULL`,
    [releaseId],
  );
  const undated = await store.queryRow<{ n: string }>(
    'SELECT count(*) AS n FROM removals WHERE release_id = $1 AND NOT coalesce(is_duplicate, false) AND departed_date IS NULL',
    [releaseId],
  );
  const facts = rows.map((r) => ({
    ...personRecordFact({ date: r.date, ...resolvePlace(r.state, r.county, r.aor), criminality: r.criminality, has_identifier: r.has_id, setting: null, after_declined_detainer: false }),
    after_detainer: r.after_detainer,
  }));
  return { facts, source: 'raw_tables', excludedUndated: Number(undated?.n ?? 0) };
}

/**
 * The first and last record dates of a release's universe, as the facts date them (for cubes
 * restored from a snapshot written before the cube kept them). Nulls when the release has none.
 */
export async function recordSpan(store: Store, releaseId: string, universe: 'detainers' | 'arrests' | 'removals', source: FactSource): Promise<{ first: string | null; last: string | null }> {
  // One whole statement per source (no SQL assembled from fragments).
  const sql =
    universe === 'detainers'
      ? source === 'detainer_lifecycle'
        ? "SELECT strftime(min(prepare_date), '%Y-%m-%d') AS lo, strftime(max(prepare_date), '%Y-%m-%d') AS hi FROM detainer_lifecycle WHERE release_id = $1"
        : "SELECT strftime(min(detainer_prepare_date), '%Y-%m-%d') AS lo, strftime(max(detainer_prepare_date), '%Y-%m-%d') AS hi FROM detainers WHERE release_id = $1 AND NOT coalesce(is_duplicate, false)"
      : universe === 'arrests'
        ? "SELECT strftime(min(apprehension_date::DATE), '%Y-%m-%d') AS lo, strftime(max(apprehension_date::DATE), '%Y-%m-%d') AS hi FROM arrests WHERE release_id = $1 AND NOT coalesce(is_duplicate, false)"
        : "SELECT strftime(min(departed_date), '%Y-%m-%d') AS lo, strftime(max(departed_date), '%Y-%m-%d') AS hi FROM removals WHERE release_id = $1 AND NOT coalesce(is_duplicate, false)";
  const row = await store.queryRow<{ lo: string | null; hi: string | null }>(sql, [releaseId]);
  return { first: row?.lo ?? null, last: row?.hi ?? null };
}
