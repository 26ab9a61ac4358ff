/**
 * Builds the detainer lifecycles of a release: each detainer row with its place, its outcome class,
 * the ICE stay that followed a handoff, and otherwise the person's next ICE arrest, its stay and any
 * removal. The joins run inside DuckDB over temporary tables (`lc_*`); only the facility → county
 * matching and the AOR look-up run in JavaScript, once per distinct facility or AOR label.
 * Every rule and window is explained in ../DESIGN.md.
 */
import { HandoffError } from '../../core/errors.ts';
import { aorByName, resolveState } from '../../geo/index.ts';
import { loadOffenseReference, offenseCrosswalkSql, offenseReferenceSql } from '../../offense/index.ts';
import type { Store } from '../../store/index.ts';
import { loadFacilityIndex, matchFacility, type FacilityIndex } from '../facilities/index.ts';
import {
  DETAINER_TYPE_CLASSES,
  OUTCOME_CLASSES,
  detainerTypeClassSql,
  loadApprehensionMethods,
  loadLiftReasons,
  vocabularyKey,
  vocabularyKeySql,
  type ApprehensionMethodMapping,
  type DetainerTypeClass,
  type LiftReasonMapping,
  type OutcomeClass,
} from './vocabularies.ts';

/**
 * Days after the prepare date within which an ICE stay book-in, with a blank lift reason, counts as
 * a handoff ('linked_book_in'). Generous because a detainer is lodged at any point of a jail stay;
 * the other conditions (before the next episode, not following an arrest in the community) guard
 * against a later, unrelated stay. DESIGN.md, "Transfer inferred from a book-in".
 */
export const BOOK_IN_WINDOW_DAYS = 180;

/** The book-in windows the build summary also counts, as a sensitivity check of BOOK_IN_WINDOW_DAYS. */
export const BOOK_IN_SENSITIVITY_DAYS: readonly number[] = [30, 90, 180, 365];

/**
 * A blank lift reason on a detainer prepared fewer than this many days before the release cut-off
 * is flagged `near_cutoff`: the person may simply still be in jail. DESIGN.md, "Release cut-off".
 */
export const NEAR_CUTOFF_DAYS = 90;

/**
 * Fixed follow-up window of the "later arrest" and "later removal" metrics: an ICE arrest or a
 * removal counts only within this many days of the prepare date, and only for detainers whose window
 * closed before the release's cut-off (src/metrics reads it; DESIGN.md, "Follow-up windows").
 */
export const FOLLOW_UP_DAYS = 365;

/**
 * The shorter windows the follow-up metrics also give (`follow_up_days`), each inside the next and
 * the last equal to FOLLOW_UP_DAYS: within 90, 180 or 365 days of the prepare date.
 */
export const FOLLOW_UP_WINDOWS: readonly number[] = [90, 180, FOLLOW_UP_DAYS];

/** DDP's arrest → stay window: the arrest falls from 10 days before to 5 days after the stay's book-in. */
export const ARREST_STAY_WINDOW = { daysBefore: 10, daysAfter: 5 } as const;

/** Options of {@link buildLifecycles}. */
export interface BuildLifecyclesOptions {
  /** The release to (re)build; default: every release that holds detainers, one after the other. */
  releaseId?: string;
  /** The caller's clock: stamps `lifecycle_runs.built_at` and caps the cut-off (no dates after it). */
  now?: () => Date;
  /** Override {@link BOOK_IN_WINDOW_DAYS} (sensitivity runs). */
  bookInWindowDays?: number;
  /** Override {@link NEAR_CUTOFF_DAYS}. */
  nearCutoffDays?: number;
  /** A facility index already loaded (tests and benchmarks reuse one); default: `loadFacilityIndex()`. */
  facilityIndex?: FacilityIndex;
  /** Vocabularies other than the shipped CSVs (tests). */
  liftReasons?: LiftReasonMapping[];
  apprehensionMethods?: ApprehensionMethodMapping[];
  /** Progress messages. */
  log?: (message: string) => void;
}

/** Counts of one release's build. */
export interface LifecycleSummary {
  releaseId: string;
  /** Latest event date seen in the release (ISO date), or null for an empty release. */
  cutoffDate: string | null;
  /** Rows of detainer_lifecycle (detainer rows that are not flagged duplicates). */
  detainers: number;
  /** Flagged duplicate detainer rows folded into the kept row of their (identifier, prepare date). */
  duplicateDetainerRows: number;
  byOutcome: Record<OutcomeClass, number>;
  byBasis: Record<string, number>;
  /** Detainers whose outcome is not transferred_to_ice and that have a later ICE arrest. */
  linkedArrests: number;
  /** …of which the arrest came after the person's next detainer episode (`arrest_before_next_episode` false). */
  arrestsAfterNextEpisode: number;
  /** …of which the arrest was in the community (at large). */
  communityArrests: number;
  linkedRemovals: number;
  /** Removals taken from the detainer row's own "Departed Date" with no matching row in the removals table. */
  removalsFromDetainerRowOnly: number;
  /** Removals of detainers without a person identifier (possible only from the detainer row itself). */
  removalsWithoutIdentifier: number;
  nearCutoff: number;
  blankLiftReasons: number;
  unmappedLiftReasons: number;
  countyPlaced: number;
  /**
   * Kept detainers whose person has another kept detainer prepared the day before: DDP's historical
   * rule (a row within 24 hours of the previous one is a likely duplicate) would drop them.
   */
  ddpNextDayRows: number;
  /**
   * UWCHR's signal of a handoff, as a sensitivity check of the outcome rules: detainers with a blank
   * lift reason whose person has a custodial ICE arrest (CAP, 287(g)) 0 to 2 days after the prepare
   * date or the lift date, by the outcome Handoff gave them. Those not `transferred_to_ice` are where
   * the two methods differ (Handoff asks for a linked ICE stay as well).
   */
  uwchrCustodialArrestSignal: Record<OutcomeClass, number>;
  /**
   * The book-in window's sensitivity: for each of BOOK_IN_SENSITIVITY_DAYS, how many detainers with a
   * blank lift reason would be transfers (`linked_book_in`: the first ICE stay after the prepare
   * date, before the next episode, follows a custodial arrest) or ICE custody without a linked
   * arrest, were the window that many days. The row of the window in use equals the outcomes.
   */
  bookInWindowSensitivity: { days: number; transferred_to_ice: number; ice_custody_unlinked: number }[];
  /** Detainers by what they asked of the holding agency (hold, notification only, transfer). */
  detainerTypes: Record<DetainerTypeClass, number>;
  /** Rows left out of linking, per table and reason (all fiscal years). */
  exclusions: { table: string; reason: string; rows: number }[];
  /** Apprehension methods met in the release that the method table does not list. */
  unmappedMethods: { method: string; rows: number }[];
  personEvents: number;
  seconds: number;
}

/** Result of {@link buildLifecycles}: one summary per release built. */
export interface BuildLifecyclesResult {
  releases: LifecycleSummary[];
}

/** A SQL literal for a value we put in generated SQL (strings quoted, quotes doubled). */
function lit(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new HandoffError('internal', `not a finite number: ${value}`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** Inserts rows as multi-row VALUES statements, 500 at a time. */
async function insertValues(store: Store, table: string, rows: (string | number | null)[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await store.run(`INSERT INTO ${table} VALUES ${chunk.map((r) => `(${r.map(lit).join(', ')})`).join(',\n')}`);
  }
}

const TEMP_TABLES = [
  'lc_lift_reasons',
  'lc_methods',
  'lc_det',
  'lc_places',
  'lc_aors',
  'lc_offense',
  'lc_next',
  'lc_stays',
  'lc_arr',
  'lc_arr_stay',
  'lc_det_stay',
  'lc_det_arr',
  'lc_cls',
  'lc_rem',
  'lc_det_rem',
  'lc_people',
];

const PLACE_SEP = '\u001f';

/** Outcome classes with a column in `lifecycle_quality` (migration 003). */
const QUALITY_CLASSES = OUTCOME_CLASSES.filter((c) => c !== 'ice_custody_unlinked');

/**
 * (Re)builds `detainer_lifecycle`, `person_events`, `link_exclusions`, `lifecycle_quality` and
 * `lifecycle_runs` for one release (or each release), deleting that release's rows first, all in
 * one transaction per release: running it twice gives the same tables.
 */
export async function buildLifecycles(store: Store, options: BuildLifecyclesOptions = {}): Promise<BuildLifecyclesResult> {
  const releaseIds = options.releaseId
    ? [options.releaseId]
    : (
        await store.queryRows<{ release_id: string }>(
          'SELECT release_id FROM releases WHERE release_id IN (SELECT release_id FROM detainers) ORDER BY created_at, release_id',
        )
      ).map(
        (r) => r.release_id,
      );
  if (options.releaseId) {
    const known = await store.queryRow('SELECT 1 AS ok FROM releases WHERE release_id = $1', [options.releaseId]);
    if (!known) throw new HandoffError('not_found', `no release ${options.releaseId} in the store`);
  }
  const facilityIndex = options.facilityIndex ?? (releaseIds.length > 0 ? await loadFacilityIndex() : undefined);
  const liftReasons = options.liftReasons ?? loadLiftReasons();
  const methods = options.apprehensionMethods ?? loadApprehensionMethods();
  const releases: LifecycleSummary[] = [];
  for (const releaseId of releaseIds) {
    releases.push(
      await store.transaction(() =>
        buildRelease(store, releaseId, { ...options, facilityIndex: facilityIndex!, liftReasons, apprehensionMethods: methods }),
      ),
    );
  }
  return { releases };
}

type ResolvedOptions = BuildLifecyclesOptions & {
  facilityIndex: FacilityIndex;
  liftReasons: LiftReasonMapping[];
  apprehensionMethods: ApprehensionMethodMapping[];
};

async function buildRelease(store: Store, releaseId: string, o: ResolvedOptions): Promise<LifecycleSummary> {
  const started = performance.now();
  const log = o.log ?? (() => {});
  let mark = performance.now();
  const lap = (step: string): void => {
    const t = performance.now();
    log(`${step}: ${((t - mark) / 1000).toFixed(2)} s`);
    mark = t;
  };
  const R = lit(releaseId);
  const windowDays = o.bookInWindowDays ?? BOOK_IN_WINDOW_DAYS;
  const nearDays = o.nearCutoffDays ?? NEAR_CUTOFF_DAYS;
  if (!Number.isInteger(windowDays) || windowDays < 0 || !Number.isInteger(nearDays) || nearDays < 0) {
    throw new HandoffError('bad_argument', 'bookInWindowDays and nearCutoffDays must be non-negative integers');
  }
  const nowDate = o.now?.();
  const nowDay = nowDate ? nowDate.toISOString().slice(0, 10) : null;
  const notAfterNow = (expr: string): string => (nowDay ? `AND ${expr} <= DATE ${lit(nowDay)}` : '');

  for (const t of ['detainer_lifecycle', 'person_events', 'link_exclusions', 'lifecycle_quality', 'lifecycle_runs']) {
    await store.run(`DELETE FROM ${t} WHERE release_id = ${R}`);
  }

  // Release cut-off: the latest date of a primary event (prepare date, arrest, encounter, stay
  // book-in, departure). Stint-level book-ins and all book-outs are left out: they can carry dates
  // after the extract (DESIGN.md, "Release cut-off"). Dates after the caller's clock are ignored.
  const cutoffRow = await store.queryRow<{ cutoff: string | null }>(
    `SELECT max(d)::VARCHAR AS cutoff FROM (
       SELECT max(detainer_prepare_date) AS d FROM detainers WHERE release_id = ${R} ${notAfterNow('detainer_prepare_date')}
       UNION ALL SELECT max(apprehension_date::DATE) FROM arrests WHERE release_id = ${R} ${notAfterNow('apprehension_date::DATE')}
       UNION ALL SELECT max(event_date) FROM encounters WHERE release_id = ${R} ${notAfterNow('event_date')}
       UNION ALL SELECT max(stay_book_in_date_time::DATE) FROM detention_stints WHERE release_id = ${R} ${notAfterNow('stay_book_in_date_time::DATE')}
       UNION ALL SELECT max(departed_date) FROM removals WHERE release_id = ${R} ${notAfterNow('departed_date')})`,
  );
  const cutoff = cutoffRow?.cutoff ?? null;
  const CUT = cutoff ? `DATE ${lit(cutoff)}` : 'NULL::DATE';

  // Vocabularies as temporary tables keyed like vocabularyKey().
  await store.run('CREATE OR REPLACE TEMP TABLE lc_lift_reasons (key VARCHAR, value VARCHAR, outcome_class VARCHAR, grp VARCHAR)');
  await insertValues(
    store,
    'lc_lift_reasons',
    o.liftReasons.map((m) => [vocabularyKey(m.value), m.value, m.outcomeClass, m.group]),
  );
  await store.run('CREATE OR REPLACE TEMP TABLE lc_methods (key VARCHAR, method VARCHAR, setting VARCHAR)');
  await insertValues(
    store,
    'lc_methods',
    o.apprehensionMethods.map((m) => [vocabularyKey(m.method), m.method, m.setting]),
  );

  // Detainer rows kept: every row not flagged a duplicate; duplicates counted onto the kept row.
  await store.run(`CREATE OR REPLACE TEMP TABLE lc_det AS
    SELECT row_number() OVER (ORDER BY source_file, sheet, source_row) AS det_id, file_id, sheet, source_row, person_id, episode_no,
      detainer_prepare_date AS prepare_date, detainer_type, detention_facility, detention_facility_code, facility_city,
      facility_state, facility_aor, detainer_prepared_criminality AS criminality, msc_charge, msc_charge_code,
      detainer_lift_reason AS lift_reason, detainer_lift_date AS lift_date, dup,
      departed_date AS row_departed, departure_country AS row_country,
      ${vocabularyKeySql('detainer_lift_reason')} AS lift_key,
      coalesce(detention_facility, '') || '${PLACE_SEP}' || coalesce(detention_facility_code, '') || '${PLACE_SEP}' ||
        coalesce(facility_city, '') || '${PLACE_SEP}' || coalesce(facility_state, '') AS place_key
    FROM (SELECT *, CASE WHEN person_id IS NULL THEN 0
                         ELSE count(*) OVER (PARTITION BY person_id, detainer_prepare_date) - 1 END AS dup
          FROM detainers WHERE release_id = ${R})
    WHERE NOT coalesce(is_duplicate, false)`);

  // Places: facility → county once per distinct (name, code, city, state); else the state alone.
  const facilities = await store.queryRows<{ place_key: string; n: string | null; c: string | null; ci: string | null; s: string | null }>(
    `SELECT DISTINCT place_key, detention_facility AS n, detention_facility_code AS c, facility_city AS ci, facility_state AS s FROM lc_det`,
  );
  log(`placing ${facilities.length} distinct facilities`);
  const placeRows: (string | number | null)[][] = facilities.map((f) => {
    const state = resolveState(f.s ?? '');
    const match = matchFacility(o.facilityIndex, { name: f.n ?? '', code: f.c, city: f.ci, state: f.s });
    if (match.countyFips !== null) {
      // HIFLD's TYPE when the whole name matched (the policy scope reads it): a match good enough for
      // the county is not for the type ("TRAVIS COUNTY JAIL" and TDCJ's "TRAVIS COUNTY UNIT", STATE,
      // share their distinctive words and their city).
      const hifldType = match.hifldType ?? null;
      return [f.place_key, state?.postal ?? null, state?.fips ?? match.countyFips.slice(0, 2), match.countyFips, match.method, match.score, null, hifldType];
    }
    return [f.place_key, state?.postal ?? null, state?.fips ?? null, null, state ? 'facility_state_fallback' : 'unplaced', null, match.reason, null];
  });
  await store.run(
    'CREATE OR REPLACE TEMP TABLE lc_places (place_key VARCHAR, state_postal VARCHAR, state_fips VARCHAR, county_fips VARCHAR, place_method VARCHAR, place_score DOUBLE, unmatched_reason VARCHAR, hifld_type VARCHAR)',
  );
  await insertValues(store, 'lc_places', placeRows);
  lap('detainers and places');

  const aorLabels = await store.queryRows<{ a: string }>('SELECT DISTINCT facility_aor AS a FROM lc_det WHERE facility_aor IS NOT NULL');
  await store.run('CREATE OR REPLACE TEMP TABLE lc_aors (facility_aor VARCHAR, aor_code VARCHAR)');
  await insertValues(
    store,
    'lc_aors',
    aorLabels.map((r) => [r.a, aorByName(r.a)?.code ?? null]),
  );

  // Offense category of each distinct (MSC charge, code) pair, through src/offense's crosswalk.
  await store.run(offenseReferenceSql(loadOffenseReference()));
  await store.run(
    `CREATE OR REPLACE TEMP TABLE lc_offense AS ${offenseCrosswalkSql('(SELECT msc_charge, msc_charge_code FROM lc_det)', 'msc_charge', 'msc_charge_code')}`,
  );
  lap('offense crosswalk');

  // Next episode start per (person, episode): bounds the stays a detainer can claim.
  await store.run(`CREATE OR REPLACE TEMP TABLE lc_next AS
    SELECT person_id, episode_no, lead(start) OVER (PARTITION BY person_id ORDER BY start) AS next_start
    FROM (SELECT person_id, episode_no, min(prepare_date) AS start FROM lc_det
          WHERE person_id IS NOT NULL AND prepare_date IS NOT NULL GROUP BY person_id, episode_no)`);

  // Stays: stints chained by (identifier, stay book-in); duplicate and superseded stints left out.
  await store.run(`CREATE OR REPLACE TEMP TABLE lc_stays AS
    SELECT row_number() OVER (ORDER BY person_id, stay_in) AS stay_id, person_id, stay_in AS book_in,
      max(stay_book_out_date_time) AS book_out,
      arg_max(stay_release_reason, ord) AS release_reason,
      arg_min(detention_facility, ord) AS first_facility,
      arg_min(file_id, ord) AS file_id, arg_min(sheet, ord) AS sheet, arg_min(source_row, ord) AS source_row
    FROM (SELECT *, coalesce(stay_book_in_date_time, book_in_date_time) AS stay_in,
            row_number() OVER (PARTITION BY person_id, coalesce(stay_book_in_date_time, book_in_date_time)
                               ORDER BY coalesce(book_in_date_time, stay_book_in_date_time), source_file, sheet, source_row) AS ord
          FROM detention_stints
          WHERE release_id = ${R} AND person_id IS NOT NULL
            AND NOT coalesce(is_duplicate, false) AND NOT coalesce(is_superseded, false))
    WHERE stay_in IS NOT NULL
    GROUP BY person_id, stay_in`);

  await store.run(`CREATE OR REPLACE TEMP TABLE lc_arr AS
    SELECT row_number() OVER (ORDER BY a.person_id, a.apprehension_date, a.file_id, a.sheet, a.source_row) AS arr_id,
      a.person_id, a.apprehension_date AS at, a.apprehension_method AS method,
      coalesce(m.setting, 'unknown') AS setting, a.file_id, a.sheet, a.source_row
    FROM arrests a LEFT JOIN lc_methods m ON m.key = ${vocabularyKeySql('a.apprehension_method')}
    WHERE a.release_id = ${R} AND a.person_id IS NOT NULL AND a.apprehension_date IS NOT NULL
      AND NOT coalesce(a.is_duplicate, false)`);

  // DDP's arrest → stay rule: closest pair within the window, one to one (closest stay per arrest,
  // then closest arrest per stay).
  await store.run(`CREATE OR REPLACE TEMP TABLE lc_arr_stay AS
    SELECT arr_id, stay_id FROM (
      SELECT arr_id, stay_id, row_number() OVER (PARTITION BY stay_id ORDER BY gap, arr_id) AS rs FROM (
        SELECT a.arr_id, s.stay_id, abs(epoch(a.at) - epoch(s.book_in)) AS gap,
          row_number() OVER (PARTITION BY a.arr_id ORDER BY abs(epoch(a.at) - epoch(s.book_in)), s.book_in) AS ra
        FROM lc_arr a JOIN lc_stays s ON a.person_id = s.person_id
          AND a.at >= s.book_in - INTERVAL ${ARREST_STAY_WINDOW.daysBefore} DAY
          AND a.at <= s.book_in + INTERVAL ${ARREST_STAY_WINDOW.daysAfter} DAY)
      WHERE ra = 1)
    WHERE rs = 1`);
  lap('stays, arrests, arrest-stay links');

  // First stay on or after the prepare date and before the person's next detainer episode.
  await store.run(`CREATE OR REPLACE TEMP TABLE lc_det_stay AS
    SELECT d.det_id, arg_min(s.stay_id, s.book_in) AS stay_id
    FROM lc_det d LEFT JOIN lc_next n ON n.person_id = d.person_id AND n.episode_no = d.episode_no
    JOIN lc_stays s ON s.person_id = d.person_id AND s.book_in >= d.prepare_date
      AND (n.next_start IS NULL OR s.book_in < n.next_start)
    WHERE d.person_id IS NOT NULL AND d.prepare_date IS NOT NULL
    GROUP BY d.det_id`);

  await store.run(`CREATE OR REPLACE TEMP TABLE lc_rem AS
    SELECT person_id, departed_date, departure_country, file_id, sheet, source_row FROM removals
    WHERE release_id = ${R} AND person_id IS NOT NULL AND departed_date IS NOT NULL AND NOT coalesce(is_duplicate, false)`);
  // First departure on or after the prepare date, from the removals table (same person) or from the
  // detainer row's own "Departed Date" (any row, with or without an identifier; not after the
  // cut-off). On the same date the removals table's country wins. DESIGN.md, "Removal".
  await store.run(`CREATE OR REPLACE TEMP TABLE lc_det_rem AS
    SELECT det_id, min(dt) AS removal_date, arg_min(country, (dt, src)) AS removal_country,
      bool_or(src = 0) AS in_removals_table
    FROM (
      SELECT d.det_id, r.departed_date AS dt, r.departure_country AS country, 0 AS src
      FROM lc_det d JOIN lc_rem r ON r.person_id = d.person_id AND r.departed_date >= d.prepare_date
      WHERE d.person_id IS NOT NULL AND d.prepare_date IS NOT NULL
      UNION ALL
      SELECT det_id, row_departed, row_country, 1 FROM lc_det
      WHERE prepare_date IS NOT NULL AND row_departed >= prepare_date AND row_departed <= ${CUT} ${notAfterNow('row_departed')})
    GROUP BY det_id`);
  lap('detainer links');

  await store.run(`CREATE OR REPLACE TEMP TABLE lc_cls AS
    WITH base AS (
      SELECT d.*, lr.outcome_class AS mapped_class, lr.grp AS mapped_group, n.next_start,
        s.book_in AS s_in, s.book_out AS s_out, s.release_reason AS s_reason,
        sa.method AS s_arr_method, sa.setting AS s_arr_setting,
        (d.lift_key IS NULL AND s.stay_id IS NOT NULL
          AND s.book_in < d.prepare_date + INTERVAL ${windowDays} DAY) AS stay_in_window
      FROM lc_det d
      LEFT JOIN lc_lift_reasons lr ON lr.key = d.lift_key
      LEFT JOIN lc_next n ON n.person_id = d.person_id AND n.episode_no = d.episode_no
      LEFT JOIN lc_det_stay ds ON ds.det_id = d.det_id
      LEFT JOIN lc_stays s ON s.stay_id = ds.stay_id
      LEFT JOIN lc_arr_stay las ON las.stay_id = s.stay_id
      LEFT JOIN lc_arr sa ON sa.arr_id = las.arr_id
    ), cls AS (
      -- A blank lift reason is a transfer only on positive custodial evidence: the stay's linked
      -- arrest is custodial (CAP, 287(g)). A stay no arrest links to is its own class: ICE custody
      -- followed, but a missing at-large arrest record would look the same (DESIGN.md).
      SELECT *,
        CASE WHEN mapped_class IS NOT NULL THEN mapped_class
             WHEN stay_in_window AND s_arr_setting = 'custodial' THEN 'transferred_to_ice'
             WHEN stay_in_window AND s_arr_setting IS NULL THEN 'ice_custody_unlinked'
             ELSE 'open_or_unknown' END AS outcome_class,
        CASE WHEN mapped_class IS NOT NULL THEN 'lift_reason'
             WHEN stay_in_window AND s_arr_setting = 'custodial' THEN 'linked_book_in'
             WHEN stay_in_window AND s_arr_setting IS NULL THEN 'stay_without_arrest'
             WHEN lift_key IS NULL THEN 'no_lift_reason' ELSE 'lift_reason_unmapped' END AS outcome_basis
      FROM base
    )
    SELECT * FROM cls`);
  lap('outcome classes');

  // The person's next ICE arrest on or after the prepare date, for every outcome but a transfer.
  await store.run(`CREATE OR REPLACE TEMP TABLE lc_det_arr AS
    SELECT c.det_id, arg_min(a.arr_id, a.at) AS arr_id
    FROM lc_cls c JOIN lc_arr a ON a.person_id = c.person_id AND a.at >= c.prepare_date
    WHERE c.person_id IS NOT NULL AND c.prepare_date IS NOT NULL AND c.outcome_class <> 'transferred_to_ice'
    GROUP BY c.det_id`);

  await store.run(`INSERT INTO detainer_lifecycle
    SELECT ${R}, c.file_id, c.sheet, c.source_row, c.person_id,
      CASE WHEN c.person_id IS NULL THEN 'no_identifier' WHEN c.prepare_date IS NULL THEN 'no_prepare_date' ELSE 'linked' END,
      c.episode_no, c.dup, c.prepare_date, year(c.prepare_date + INTERVAL 3 MONTH), c.detainer_type,
      c.detention_facility, c.detention_facility_code, c.facility_city, c.facility_state,
      p.state_postal, p.state_fips, p.county_fips, coalesce(p.place_method, 'unplaced'), p.place_score, p.unmatched_reason,
      c.facility_aor, ao.aor_code, c.criminality, c.msc_charge, c.msc_charge_code, o.category,
      c.lift_reason,
      CASE WHEN c.lift_key IS NULL THEN 'blank' WHEN c.mapped_class IS NULL THEN 'unmapped' ELSE c.mapped_group END,
      (c.lift_key IS NOT NULL AND c.mapped_class IS NULL), c.lift_date,
      c.outcome_class, c.outcome_basis,
      coalesce(c.lift_key IS NULL AND date_diff('day', c.prepare_date, ${CUT}) < ${nearDays}, false),
      date_diff('day', c.prepare_date, ${CUT}),
      c.next_start,
      -- The stay: the evidence of a transfer, and of ICE custody without a linked arrest.
      CASE WHEN c.outcome_class IN ('transferred_to_ice', 'ice_custody_unlinked') THEN c.s_in END,
      CASE WHEN c.outcome_class IN ('transferred_to_ice', 'ice_custody_unlinked') THEN c.s_out END,
      CASE WHEN c.outcome_class IN ('transferred_to_ice', 'ice_custody_unlinked') THEN c.s_reason END,
      CASE WHEN c.outcome_class IN ('transferred_to_ice', 'ice_custody_unlinked') THEN date_diff('day', c.prepare_date, c.s_in::DATE) END,
      CASE WHEN c.outcome_class IN ('transferred_to_ice', 'ice_custody_unlinked') THEN c.s_arr_method END,
      CASE WHEN c.outcome_class IN ('transferred_to_ice', 'ice_custody_unlinked') AND c.s_in IS NOT NULL THEN coalesce(c.s_arr_setting, 'none_linked') END,
      a.at, a.method, a.setting, date_diff('day', c.prepare_date, a.at::DATE),
      CASE WHEN a.arr_id IS NOT NULL THEN (c.next_start IS NULL OR a.at < c.next_start) END,
      a.file_id, a.sheet, a.source_row,
      ast.book_in, ast.book_out,
      r.removal_date, r.removal_country, date_diff('day', c.prepare_date, r.removal_date),
      -- The policy in force (migration 006) is set afterwards by the pipeline (src/pipeline/assign-policies.ts).
      NULL, NULL, NULL, NULL,
      p.hifld_type
    FROM lc_cls c
    LEFT JOIN lc_places p ON p.place_key = c.place_key
    LEFT JOIN lc_aors ao ON ao.facility_aor = c.facility_aor
    -- Plain equality on coalesced keys: IS NOT DISTINCT FROM here made DuckDB plan a nested-loop join.
    LEFT JOIN lc_offense o ON coalesce(o.charge_text, '${PLACE_SEP}') = coalesce(c.msc_charge, '${PLACE_SEP}')
      AND coalesce(o.charge_code, '${PLACE_SEP}') = coalesce(c.msc_charge_code, '${PLACE_SEP}')
    LEFT JOIN lc_det_arr da ON da.det_id = c.det_id
    LEFT JOIN lc_arr a ON a.arr_id = da.arr_id
    LEFT JOIN lc_arr_stay aas ON aas.arr_id = a.arr_id
    LEFT JOIN lc_stays ast ON ast.stay_id = aas.stay_id
    LEFT JOIN lc_det_rem r ON r.det_id = c.det_id
    ORDER BY c.det_id`);

  lap('detainer_lifecycle');
  // person_events: every linked event of each person who has a detainer in the release.
  await store.run(
    `CREATE OR REPLACE TEMP TABLE lc_people AS SELECT DISTINCT person_id FROM lc_det WHERE person_id IS NOT NULL`,
  );
  await store.run(`INSERT INTO person_events
    SELECT ${R}, person_id,
      row_number() OVER (PARTITION BY person_id ORDER BY event_date, type_order, file_id, sheet, source_row),
      event_date, event_type, detail, source_table, file_id, sheet, source_row
    FROM (
      SELECT person_id, prepare_date::TIMESTAMP AS event_date, 'detainer' AS event_type, 1 AS type_order,
        coalesce(lift_reason, '(blank lift reason)') AS detail, 'detainers' AS source_table, file_id, sheet, source_row
      FROM lc_det WHERE person_id IS NOT NULL AND prepare_date IS NOT NULL
      UNION ALL
      SELECT e.person_id, e.event_date::TIMESTAMP, 'encounter', 2, e.event_type, 'encounters', e.file_id, e.sheet, e.source_row
      FROM encounters e SEMI JOIN lc_people USING (person_id)
      WHERE e.release_id = ${R} AND e.event_date IS NOT NULL AND NOT coalesce(e.is_duplicate, false)
      UNION ALL
      SELECT a.person_id, a.at, 'arrest', 3, a.method, 'arrests', a.file_id, a.sheet, a.source_row
      FROM lc_arr a SEMI JOIN lc_people USING (person_id)
      UNION ALL
      SELECT s.person_id, s.book_in, 'stay_book_in', 4, s.first_facility, 'detention_stints', s.file_id, s.sheet, s.source_row
      FROM lc_stays s SEMI JOIN lc_people USING (person_id)
      UNION ALL
      SELECT s.person_id, s.book_out, 'stay_book_out', 5, s.release_reason, 'detention_stints', s.file_id, s.sheet, s.source_row
      FROM lc_stays s SEMI JOIN lc_people USING (person_id) WHERE s.book_out IS NOT NULL
      UNION ALL
      SELECT r.person_id, r.departed_date::TIMESTAMP, 'removal', 6, r.departure_country, 'removals', r.file_id, r.sheet, r.source_row
      FROM lc_rem r SEMI JOIN lc_people USING (person_id)
    )`);

  lap('person_events');
  // Exclusions from linking, per table, reason and fiscal year of the row's own date.
  const families: [string, string, boolean][] = [
    ['detainers', 'detainer_prepare_date', false],
    ['arrests', 'apprehension_date', false],
    ['encounters', 'event_date', false],
    ['detention_stints', 'coalesce(stay_book_in_date_time, book_in_date_time)', true],
    ['removals', 'departed_date', false],
  ];
  for (const [table, dateExpr, hasSuperseded] of families) {
    await store.run(`INSERT INTO link_exclusions
      SELECT ${R}, '${table}', reason, year(dt + INTERVAL 3 MONTH), count(*) FROM (
        SELECT ${dateExpr} AS dt,
          CASE WHEN person_id IS NULL THEN 'no_identifier'
               WHEN coalesce(is_duplicate, false) THEN 'flagged_duplicate'
               ${hasSuperseded ? "WHEN coalesce(is_superseded, false) THEN 'superseded_stint'" : ''}
               WHEN ${dateExpr} IS NULL THEN 'no_date' END AS reason
        FROM ${table} WHERE release_id = ${R})
      WHERE reason IS NOT NULL
      GROUP BY reason, year(dt + INTERVAL 3 MONTH)`);
  }

  // lifecycle_quality has a column per outcome class of migration 003; ice_custody_unlinked has none
  // yet (readLifecycleQuality derives it: every detainer has exactly one class).
  await store.run(`INSERT INTO lifecycle_quality (release_id, state_postal, detainers, no_identifier, blank_lift_reason,
      blank_lift_reason_share, unmapped_lift_reason, near_cutoff, near_cutoff_share, inferred_transfers, county_placed,
      ${QUALITY_CLASSES.join(', ')})
    SELECT ${R}, CASE WHEN grouping(st) = 1 THEN 'ALL' ELSE st END,
      count(*), count(*) FILTER (WHERE person_id IS NULL),
      count(*) FILTER (WHERE lift_reason_group = 'blank'), avg((lift_reason_group = 'blank')::INTEGER),
      count(*) FILTER (WHERE lift_reason_unmapped),
      count(*) FILTER (WHERE near_cutoff), avg(near_cutoff::INTEGER),
      count(*) FILTER (WHERE outcome_basis = 'linked_book_in'),
      count(*) FILTER (WHERE county_fips IS NOT NULL),
      ${QUALITY_CLASSES.map((c) => `count(*) FILTER (WHERE outcome_class = '${c}')`).join(', ')}
    FROM (SELECT *, coalesce(state_postal, 'UNKNOWN') AS st FROM detainer_lifecycle WHERE release_id = ${R})
    GROUP BY GROUPING SETS ((st), ())`);

  const summary = await summarize(store, releaseId, cutoff, started);
  const parameters = {
    book_in_window_days: windowDays,
    near_cutoff_days: nearDays,
    follow_up_days: FOLLOW_UP_DAYS,
    arrest_stay_window: ARREST_STAY_WINDOW,
    lift_reasons: o.liftReasons.length,
    apprehension_methods: o.apprehensionMethods.length,
    cutoff_capped_at: nowDay,
  };
  await store.run('INSERT INTO lifecycle_runs VALUES ($1, $2, $3, $4, $5)', [
    releaseId,
    nowDate ? nowDate.toISOString() : null,
    cutoff,
    JSON.stringify(parameters),
    JSON.stringify(summary),
  ]);
  for (const t of TEMP_TABLES) await store.run(`DROP TABLE IF EXISTS ${t}`);
  log(`release ${releaseId}: ${summary.detainers} detainers linked in ${summary.seconds.toFixed(1)} s`);
  return summary;
}

async function summarize(store: Store, releaseId: string, cutoff: string | null, started: number): Promise<LifecycleSummary> {
  const totals = await store.queryRow<Record<string, string | null>>(
    `SELECT count(*) AS detainers, sum(duplicate_rows) AS dup,
       count(*) FILTER (WHERE arrest_date IS NOT NULL) AS arrests,
       count(*) FILTER (WHERE arrest_date IS NOT NULL AND NOT arrest_before_next_episode) AS after_next,
       count(*) FILTER (WHERE removal_date IS NOT NULL AND person_id IS NULL) AS removals_no_id,
       count(*) FILTER (WHERE arrest_setting = 'community') AS community,
       count(*) FILTER (WHERE removal_date IS NOT NULL) AS removals,
       count(*) FILTER (WHERE near_cutoff) AS near,
       count(*) FILTER (WHERE lift_reason_group = 'blank') AS blank,
       count(*) FILTER (WHERE lift_reason_unmapped) AS unmapped,
       count(*) FILTER (WHERE county_fips IS NOT NULL) AS placed
     FROM detainer_lifecycle WHERE release_id = $1`,
    [releaseId],
  );
  const byOutcome = Object.fromEntries(OUTCOME_CLASSES.map((c) => [c, 0])) as Record<OutcomeClass, number>;
  for (const r of await store.queryRows<{ k: OutcomeClass; n: string }>(
    'SELECT outcome_class AS k, count(*) AS n FROM detainer_lifecycle WHERE release_id = $1 GROUP BY 1',
    [releaseId],
  )) {
    byOutcome[r.k] = Number(r.n);
  }
  const byBasis: Record<string, number> = {};
  for (const r of await store.queryRows<{ k: string; n: string }>(
    'SELECT outcome_basis AS k, count(*) AS n FROM detainer_lifecycle WHERE release_id = $1 GROUP BY 1 ORDER BY 1',
    [releaseId],
  )) {
    byBasis[r.k] = Number(r.n);
  }
  const exclusions = (
    await store.queryRows<{ t: string; r: string; n: string }>(
      'SELECT table_name AS t, reason AS r, sum(rows) AS n FROM link_exclusions WHERE release_id = $1 GROUP BY 1, 2 ORDER BY 1, 2',
      [releaseId],
    )
  ).map((r) => ({ table: r.t, reason: r.r, rows: Number(r.n) }));
  const unmappedMethods = (
    await store.queryRows<{ m: string; n: string }>(
      `SELECT coalesce(apprehension_method, '(blank)') AS m, count(*) AS n FROM arrests
       WHERE release_id = $1 AND NOT coalesce(is_duplicate, false)
         AND (apprehension_method IS NULL OR ${vocabularyKeySql('apprehension_method')} NOT IN (SELECT key FROM lc_methods))
       GROUP BY 1 ORDER BY 2 DESC, 1`,
      [releaseId],
    )
  ).map((r) => ({ method: r.m, rows: Number(r.n) }));
  const events = await store.queryRow<{ n: string }>('SELECT count(*) AS n FROM person_events WHERE release_id = $1', [releaseId]);
  const rowOnly = await store.queryRow<{ n: string }>('SELECT count(*) AS n FROM lc_det_rem WHERE NOT in_removals_table');
  const nextDay = await store.queryRow<{ n: string }>(
    `SELECT count(*) AS n FROM (
       SELECT prepare_date - lag(prepare_date) OVER (PARTITION BY person_id ORDER BY prepare_date) AS gap
       FROM lc_det WHERE person_id IS NOT NULL AND prepare_date IS NOT NULL)
     WHERE gap = 1`,
  );
  const uwchr = Object.fromEntries(OUTCOME_CLASSES.map((c) => [c, 0])) as Record<OutcomeClass, number>;
  for (const r of await store.queryRows<{ k: OutcomeClass; n: string }>(
    `SELECT d.outcome_class AS k, count(*) AS n FROM detainer_lifecycle d
     WHERE d.release_id = $1 AND d.lift_reason_group = 'blank' AND d.person_id IS NOT NULL AND d.prepare_date IS NOT NULL
       AND EXISTS (SELECT 1 FROM lc_arr a WHERE a.person_id = d.person_id AND a.setting = 'custodial'
         AND ((a.at::DATE >= d.prepare_date AND a.at::DATE <= d.prepare_date + INTERVAL 2 DAY)
           OR (d.lift_date IS NOT NULL AND a.at::DATE >= d.lift_date::DATE AND a.at::DATE <= d.lift_date::DATE + INTERVAL 2 DAY)))
     GROUP BY 1`,
    [releaseId],
  )) {
    uwchr[r.k] = Number(r.n);
  }
  const sens = await store.queryRow<Record<string, string>>(
    `SELECT ${BOOK_IN_SENSITIVITY_DAYS.map((n) => `count(*) FILTER (WHERE s_arr_setting = 'custodial' AND s_in < prepare_date + INTERVAL ${n} DAY) AS t${n},
       count(*) FILTER (WHERE s_arr_setting IS NULL AND s_in < prepare_date + INTERVAL ${n} DAY) AS u${n}`).join(', ')}
     FROM lc_cls WHERE lift_key IS NULL AND s_in IS NOT NULL`,
  );
  const bookInWindowSensitivity = BOOK_IN_SENSITIVITY_DAYS.map((n) => ({ days: n, transferred_to_ice: Number(sens?.[`t${n}`] ?? 0), ice_custody_unlinked: Number(sens?.[`u${n}`] ?? 0) }));
  const detainerTypes = Object.fromEntries(DETAINER_TYPE_CLASSES.map((c) => [c, 0])) as Record<DetainerTypeClass, number>;
  for (const r of await store.queryRows<{ k: DetainerTypeClass; n: string }>(
    `SELECT ${detainerTypeClassSql('detainer_type')} AS k, count(*) AS n FROM detainer_lifecycle WHERE release_id = $1 GROUP BY 1`,
    [releaseId],
  )) {
    detainerTypes[r.k] = Number(r.n);
  }
  const num = (k: string): number => Number(totals?.[k] ?? 0);
  return {
    releaseId,
    cutoffDate: cutoff,
    detainers: num('detainers'),
    duplicateDetainerRows: num('dup'),
    byOutcome,
    byBasis,
    linkedArrests: num('arrests'),
    arrestsAfterNextEpisode: num('after_next'),
    communityArrests: num('community'),
    linkedRemovals: num('removals'),
    removalsFromDetainerRowOnly: Number(rowOnly?.n ?? 0),
    removalsWithoutIdentifier: num('removals_no_id'),
    nearCutoff: num('near'),
    blankLiftReasons: num('blank'),
    unmappedLiftReasons: num('unmapped'),
    countyPlaced: num('placed'),
    ddpNextDayRows: Number(nextDay?.n ?? 0),
    uwchrCustodialArrestSignal: uwchr,
    bookInWindowSensitivity,
    detainerTypes,
    exclusions,
    unmappedMethods,
    personEvents: Number(events?.n ?? 0),
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}
