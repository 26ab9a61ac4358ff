import { describe, expect, it } from 'vitest';
import {
  buildLifecycles,
  classifyLiftReason,
  detainerTypeClass,
  detainerTypeClassSql,
  listUnmappedLiftReasons,
  loadApprehensionMethods,
  loadLiftReasons,
  readLifecycleQuality,
  type BuildLifecyclesResult,
} from '../../src/link/index.ts';
import type { Store } from '../../src/store/index.ts';
import { withStore } from '../helpers/with-store.ts';
import { detainer, flagRelease, insertRows } from './helpers.ts';

const A = 'r_aaaaaaaaaaaaaaaa';
const B = 'r_bbbbbbbbbbbbbbbb';
const NOW = () => new Date('2025-08-15T00:00:00Z');

type Row = Record<string, unknown>;

/** The timelines of release A (and a little of B), one person per case. */
async function seed(store: Store): Promise<void> {
  await insertRows(store, A, 'detainers', [
    // P1: lift reason says booked; the stay and the removal are linked for the metrics. The row's own
    // Departed Date is later than the removals table's: the earlier one wins.
    detainer({ person_id: 'P1', detainer_prepare_date: '2024-01-10', detainer_lift_reason: 'Booked into Detention', departed_date: '2024-04-03', departure_country: 'GUATEMALA' }),
    // P2: blank lift reason, custodial arrest and book-in 20 days later: inferred transfer.
    detainer({ person_id: 'P2', detainer_prepare_date: '2024-03-01' }),
    // P3: blank lift reason, book-in 239 days later: outside the 180-day window.
    detainer({ person_id: 'P3', detainer_prepare_date: '2023-01-05' }),
    // P4: declined, then arrested at large 200 days later and detained.
    detainer({ person_id: 'P4', detainer_prepare_date: '2024-01-01', detainer_lift_reason: 'Detainer Declined by LEA' }),
    // P5: blank, then a community arrest inside the window: not a handoff.
    detainer({ person_id: 'P5', detainer_prepare_date: '2024-02-01' }),
    // P6: two detainers: the first declined, the second (blank) followed by a handoff.
    detainer({ person_id: 'P6', detainer_prepare_date: '2023-05-01', detainer_lift_reason: 'Detainer Declined by LEA' }),
    detainer({ person_id: 'P6', detainer_prepare_date: '2023-11-01' }),
    // P7: the same detainer twice (a DDP duplicate).
    detainer({ person_id: 'P7', detainer_prepare_date: '2024-05-05', detainer_lift_reason: 'Lifted' }),
    detainer({ person_id: 'P7', detainer_prepare_date: '2024-05-05', detainer_lift_reason: 'Lifted' }),
    // No identifier: kept with its lift reason, never linked.
    detainer({ person_id: null, detainer_prepare_date: '2024-06-01', detainer_lift_reason: 'Detainer Declined by LEA' }),
    // P8: a value the vocabulary does not know; P9: a known value in another case and spacing.
    detainer({ person_id: 'P8', detainer_prepare_date: '2024-06-10', detainer_lift_reason: 'Released on Bond' }),
    detainer({ person_id: 'P9', detainer_prepare_date: '2024-06-11', detainer_lift_reason: ' booked  into DETENTION ' }),
    // P10: blank and prepared 27 days before the cut-off.
    detainer({ person_id: 'P10', detainer_prepare_date: '2025-07-01' }),
    // P11: declined; the same identifier has an arrest in release B only.
    detainer({ person_id: 'P11', detainer_prepare_date: '2024-01-01', detainer_lift_reason: 'Detainer Declined by LEA' }),
    // P12: released otherwise, then arrested at a probation office; at a facility no table knows.
    detainer({
      person_id: 'P12',
      detainer_prepare_date: '2024-02-15',
      detainer_lift_reason: 'No longer in State, Local, or Federal Custody',
      detention_facility: 'NOWHERE FACILITY XYZ',
      facility_city: 'NOWHERE',
      facility_state: 'TEXAS',
      facility_aor: 'Houston Area of Responsibility',
    }),
    // P13: blank, then an ICE stay 10 days later that no arrest record links to: not a transfer.
    detainer({ person_id: 'P13', detainer_prepare_date: '2024-04-01' }),
    // P14: a declined notification request; the removal is only on the detainer row itself.
    detainer({
      person_id: 'P14',
      detainer_prepare_date: '2024-03-01',
      detainer_lift_reason: 'Detainer Declined by LEA',
      detainer_type: 'I-247N - Request for Voluntary Notification of Release',
      departed_date: '2024-05-02',
      departure_country: 'HONDURAS',
    }),
    // No identifier, but the row carries its own departure: a removal all the same.
    detainer({ person_id: null, detainer_prepare_date: '2024-06-05', detainer_lift_reason: 'Early Release', departed_date: '2024-08-01', departure_country: 'EL SALVADOR' }),
    // P15: detainers on consecutive days (one DDP episode; DDP's historical rule drops the second).
    // Departed dates before the prepare date and after the cut-off are not removals.
    detainer({ person_id: 'P15', detainer_prepare_date: '2024-02-10', detainer_lift_reason: 'Lifted', departed_date: '2023-01-01', departure_country: 'MEXICO' }),
    detainer({ person_id: 'P15', detainer_prepare_date: '2024-02-11', detainer_lift_reason: 'Lifted', departed_date: '2025-12-01', departure_country: 'MEXICO' }),
  ]);
  await insertRows(store, A, 'arrests', [
    { person_id: 'P1', apprehension_date: '2024-02-01 10:00:00', apprehension_method: 'CAP Local Incarceration' },
    { person_id: 'P2', apprehension_date: '2024-03-20 09:00:00', apprehension_method: '287(g) Program' },
    { person_id: 'P3', apprehension_date: '2023-09-01 08:00:00', apprehension_method: 'CAP Local Incarceration' },
    { person_id: 'P4', apprehension_date: '2024-07-19 07:00:00', apprehension_method: 'Non-Custodial Arrest' },
    // A reprocessed row within 24 hours: a flagged duplicate, not a second arrest.
    { person_id: 'P4', apprehension_date: '2024-07-19 15:00:00', apprehension_method: 'ERO Reprocessed Arrest' },
    { person_id: 'P5', apprehension_date: '2024-04-01 06:00:00', apprehension_method: 'Located' },
    { person_id: 'P6', apprehension_date: '2023-12-01 12:00:00', apprehension_method: 'CAP Local Incarceration' },
    { person_id: 'P12', apprehension_date: '2024-09-01 12:00:00', apprehension_method: 'Probation and Parole' },
    { person_id: null, apprehension_date: '2024-06-03 12:00:00', apprehension_method: 'Located' },
  ]);
  await insertRows(store, A, 'detention_stints', [
    { person_id: 'P1', stay_book_in_date_time: '2024-02-02 01:00:00', book_in_date_time: '2024-02-02 01:00:00', detention_facility_code: 'BOSTONX', stay_book_out_date_time: '2024-03-30 00:00:00', stay_release_reason: 'Removed' },
    { person_id: 'P2', stay_book_in_date_time: '2024-03-21 02:00:00', book_in_date_time: '2024-03-21 02:00:00', detention_facility_code: 'BOSTONX' },
    { person_id: 'P3', stay_book_in_date_time: '2023-09-01 20:00:00', book_in_date_time: '2023-09-01 20:00:00', detention_facility_code: 'BOSTONX' },
    { person_id: 'P4', stay_book_in_date_time: '2024-07-20 03:00:00', book_in_date_time: '2024-07-20 03:00:00', detention_facility_code: 'BOSTONX' },
    { person_id: 'P5', stay_book_in_date_time: '2024-04-02 03:00:00', book_in_date_time: '2024-04-02 03:00:00', detention_facility_code: 'BOSTONX' },
    { person_id: 'P6', stay_book_in_date_time: '2023-12-02 03:00:00', book_in_date_time: '2023-12-02 03:00:00', detention_facility_code: 'BOSTONX' },
    // A second stint of P6's stay (transfer between facilities): same stay.
    { person_id: 'P6', stay_book_in_date_time: '2023-12-02 03:00:00', book_in_date_time: '2023-12-20 03:00:00', detention_facility_code: 'OTHERX' },
    { person_id: 'P13', stay_book_in_date_time: '2024-04-11 05:00:00', book_in_date_time: '2024-04-11 05:00:00', detention_facility_code: 'BOSTONX' },
  ]);
  await insertRows(store, A, 'removals', [
    { person_id: 'P1', departed_date: '2024-04-01', departure_country: 'MEXICO' },
    { person_id: 'P99', departed_date: '2025-07-28', departure_country: 'GUATEMALA' },
  ]);
  await insertRows(store, A, 'encounters', [{ person_id: 'P4', event_date: '2024-07-18', event_type: 'Non-Custodial Arrest' }]);
  await insertRows(store, B, 'detainers', [
    detainer({ person_id: 'P11', detainer_prepare_date: '2023-01-01', detainer_lift_reason: 'Lifted' }),
  ]);
  await insertRows(store, B, 'arrests', [
    { person_id: 'P11', apprehension_date: '2024-03-01 12:00:00', apprehension_method: 'Located' },
  ]);
  await insertRows(store, B, 'detention_stints', [
    { person_id: 'P1', stay_book_in_date_time: '2024-01-11 01:00:00', book_in_date_time: '2024-01-11 01:00:00' },
  ]);
  await flagRelease(store, A);
  await flagRelease(store, B);
}

async function lifecycles(store: Store, release = A): Promise<Map<string, Row[]>> {
  const rows = await store.queryRows(
    `SELECT * FROM detainer_lifecycle WHERE release_id = $1 ORDER BY person_id NULLS LAST, prepare_date`,
    [release],
  );
  const byPerson = new Map<string, Row[]>();
  for (const r of rows) {
    const k = (r.person_id as string | null) ?? '(none)';
    byPerson.set(k, [...(byPerson.get(k) ?? []), r]);
  }
  return byPerson;
}

async function withSeeded<T>(fn: (store: Store, built: BuildLifecyclesResult) => Promise<T>): Promise<T> {
  return withStore(async (store) => {
    await seed(store);
    const built = await buildLifecycles(store, { releaseId: A, now: NOW });
    return fn(store, built);
  });
}

describe('lift-reason and method vocabularies', () => {
  it('maps every value listed in ICE-RELEASES.md and the task, case- and space-insensitively', () => {
    const mappings = loadLiftReasons();
    const expected: Record<string, string> = {
      'Booked into Detention': 'transferred_to_ice',
      'Detainer Declined by LEA': 'declined',
      Lifted: 'lifted_by_ice',
      'Prosecutorial Discretion': 'lifted_by_ice',
      'Lifted - Lack of Funds': 'lifted_by_ice',
      'Lifted - Lack of Space': 'lifted_by_ice',
      'Case Closed': 'lifted_by_ice',
      'Alien Not Subject to Deportation': 'lifted_by_ice',
      'Not Amenable to Removal': 'lifted_by_ice',
      'Noncitizen Not Amenable to Removal': 'lifted_by_ice',
      'United States Citizen Interviewed': 'lifted_by_ice',
      'USC or Presumptive Claim to US Citizenship': 'lifted_by_ice',
      'No longer in State, Local, or Federal Custody': 'released_other',
      'Early Release': 'released_other',
      Transferred: 'released_other',
      Died: 'released_other',
      'Judicial Review': 'released_other',
    };
    for (const [value, cls] of Object.entries(expected)) {
      expect(classifyLiftReason(value, mappings).outcomeClass, value).toBe(cls);
      expect(classifyLiftReason(`  ${value.toUpperCase().replace(/ /g, '  ')} `, mappings).outcomeClass).toBe(cls);
    }
    expect(mappings).toHaveLength(Object.keys(expected).length);
    expect(classifyLiftReason('', mappings)).toEqual({ outcomeClass: 'open_or_unknown', group: 'blank', unmapped: false });
    expect(classifyLiftReason('Something New', mappings).unmapped).toBe(true);
  });

  it('classifies every apprehension method ICE-RELEASES.md lists', () => {
    const settings = new Map(loadApprehensionMethods().map((m) => [m.method, m.setting]));
    for (const m of ['287(g) Program', 'CAP Local Incarceration', 'CAP State Incarceration', 'CAP Federal Incarceration', 'Criminal Alien Program', 'Custodial Arrest']) {
      expect(settings.get(m), m).toBe('custodial');
    }
    for (const m of ['Non-Custodial Arrest', 'Located']) expect(settings.get(m), m).toBe('community');
    for (const m of ['ERO Reprocessed Arrest', 'Probation and Parole', 'Law Enforcement Agency Response Unit', 'Other efforts', 'Inspections']) {
      expect(settings.get(m), m).toBe('other');
    }
    expect(settings.get('Worksite Enforcement')).toBe('community');
  });

  it('reads what a detainer asked for from its type: a hold, a notification, a transfer', async () => {
    const expected: [string | null, string][] = [
      // ICE-RELEASES.md, 2015 values.
      ['I247 - Immigration Detainer - Notice of Action (as of March 2013)', 'hold_request'],
      ['I247 - Immigration Detainer - Notice of Action (prior to March 2013)', 'hold_request'],
      ['I247D - Immigration Detainer - Request for Action', 'hold_request'],
      ['I247N - Immigration Advisal - Request for Notification', 'notification_request'],
      // Current forms (and the synthetic generator's spellings).
      ['I-247A - Immigration Detainer - Notice of Action', 'hold_request'],
      ['I-247D', 'hold_request'],
      ['I-247N - Request for Voluntary Notification of Release', 'notification_request'],
      ['I-247X - Request for Voluntary Transfer', 'transfer_request'],
      ['I-247G - Request for Voluntary Transfer', 'transfer_request'],
      ['  i-247n  ', 'notification_request'],
      ['', 'unknown'],
      [null, 'unknown'],
      ['Something else', 'unknown'],
    ];
    for (const [text, cls] of expected) expect(detainerTypeClass(text), String(text)).toBe(cls);
    // The SQL expression agrees with the function on every value.
    await withStore(async (store) => {
      for (const [text, cls] of expected) {
        const row = await store.queryRow<{ k: string }>(`SELECT ${detainerTypeClassSql('$1::VARCHAR')} AS k`, [text]);
        expect(row!.k, String(text)).toBe(cls);
      }
    });
  });
});

describe('buildLifecycles on hand-built timelines', () => {
  it('classifies a booked detainer by its lift reason and links its stay and removal', async () => {
    await withSeeded(async (store) => {
      const [p1] = (await lifecycles(store)).get('P1')!;
      expect(p1).toMatchObject({
        outcome_class: 'transferred_to_ice',
        outcome_basis: 'lift_reason',
        lift_reason_group: 'booked_into_detention',
        days_to_book_in: 23,
        stay_arrest_method: 'CAP Local Incarceration',
        stay_arrest_setting: 'custodial',
        stay_release_reason: 'Removed',
        removal_date: '2024-04-01',
        removal_country: 'MEXICO',
        arrest_date: null,
        link_status: 'linked',
        state_postal: 'MA',
        aor_code: 'BOS',
        fiscal_year: 2024,
      });
      expect(String(p1!.stay_book_in)).toContain('2024-02-02');
      // Release B holds a stay for the same identifier the day after: it must not be used.
      expect(p1!.county_fips).toBe('25025');
    });
  });

  it('infers a transfer from a custodial book-in inside the window, not outside it', async () => {
    await withSeeded(async (store) => {
      const by = await lifecycles(store);
      expect(by.get('P2')![0]).toMatchObject({ outcome_class: 'transferred_to_ice', outcome_basis: 'linked_book_in', days_to_book_in: 20 });
      expect(by.get('P3')![0]).toMatchObject({
        outcome_class: 'open_or_unknown',
        outcome_basis: 'no_lift_reason',
        arrest_method: 'CAP Local Incarceration',
        arrest_setting: 'custodial',
        days_to_arrest: 239,
        stay_book_in: null,
      });
      expect(String(by.get('P3')![0]!.arrest_stay_book_in)).toContain('2023-09-01');
    });
  });

  it('does not call a stay that no arrest links to a transfer: ICE custody, unlinked', async () => {
    await withSeeded(async (store, built) => {
      const [p13] = (await lifecycles(store)).get('P13')!;
      expect(p13).toMatchObject({
        outcome_class: 'ice_custody_unlinked',
        outcome_basis: 'stay_without_arrest',
        stay_arrest_setting: 'none_linked',
        stay_arrest_method: null,
        days_to_book_in: 10,
      });
      expect(String(p13!.stay_book_in)).toContain('2024-04-11');
      expect(built.releases[0]!.byBasis).toMatchObject({ linked_book_in: 2, stay_without_arrest: 1 });
    });
  });

  it('takes a removal from the detainer row itself, with or without an identifier', async () => {
    await withSeeded(async (store, built) => {
      const by = await lifecycles(store);
      // The removals table has the earlier departure for P1; the row's own is ignored.
      expect(by.get('P1')![0]).toMatchObject({ removal_date: '2024-04-01', removal_country: 'MEXICO' });
      expect(by.get('P14')![0]).toMatchObject({ removal_date: '2024-05-02', removal_country: 'HONDURAS', days_to_removal: 62 });
      const [, second] = by.get('(none)')!;
      expect(second).toMatchObject({ link_status: 'no_identifier', removal_date: '2024-08-01', removal_country: 'EL SALVADOR', days_to_removal: 57 });
      // Before the prepare date, or after the cut-off: not a removal.
      for (const row of by.get('P15')!) expect(row.removal_date).toBeNull();
      expect(built.releases[0]).toMatchObject({ removalsFromDetainerRowOnly: 2, removalsWithoutIdentifier: 1 });
    });
  });

  it('counts what DDP would drop, arrests after the next episode and detainer types', async () => {
    await withSeeded(async (store, built) => {
      const s = built.releases[0]!;
      // P15's second detainer is a day after the first: kept here, dropped by DDP's 24-hour rule.
      expect(s.ddpNextDayRows).toBe(1);
      expect((await lifecycles(store)).get('P15')!.map((r) => r.episode_no)).toEqual([1, 1]);
      // P6's first (declined) detainer: the arrest came after the second detainer.
      expect(s.arrestsAfterNextEpisode).toBe(1);
      expect(s.detainerTypes).toEqual({ hold_request: 18, notification_request: 1, transfer_request: 0, unknown: 0 });
    });
  });

  it("counts UWCHR's signal — a custodial arrest 0 to 2 days after a blank detainer's prepare or lift date — by the outcome given", async () => {
    await withStore(async (store) => {
      const R = 'r_uwchruwchruwchr00';
      await insertRows(store, R, 'detainers', [
        detainer({ person_id: 'U1', detainer_prepare_date: '2024-03-01' }), // CAP the next day: counted
        detainer({ person_id: 'U2', detainer_prepare_date: '2024-03-01' }), // CAP 9 days later: not
        detainer({ person_id: 'U3', detainer_prepare_date: '2024-02-01', detainer_lift_date: '2024-04-01' }), // CAP a day after the lift date
        detainer({ person_id: 'U4', detainer_prepare_date: '2024-03-01', detainer_lift_reason: 'Detainer Declined by LEA' }), // not blank
        detainer({ person_id: 'U5', detainer_prepare_date: '2024-03-01' }), // an arrest at large the next day: not custodial
        detainer({ person_id: 'U6', detainer_prepare_date: '2024-03-05' }), // CAP two days before: not after
      ]);
      await insertRows(store, R, 'arrests', [
        { person_id: 'U1', apprehension_date: '2024-03-02 10:00:00', apprehension_method: 'CAP Local Incarceration' },
        { person_id: 'U2', apprehension_date: '2024-03-10 10:00:00', apprehension_method: 'CAP Local Incarceration' },
        { person_id: 'U3', apprehension_date: '2024-04-02 10:00:00', apprehension_method: '287(g) Program' },
        { person_id: 'U4', apprehension_date: '2024-03-02 10:00:00', apprehension_method: 'CAP Local Incarceration' },
        { person_id: 'U5', apprehension_date: '2024-03-02 10:00:00', apprehension_method: 'Non-Custodial Arrest' },
        { person_id: 'U6', apprehension_date: '2024-03-03 10:00:00', apprehension_method: 'CAP Local Incarceration' },
      ]);
      await flagRelease(store, R);
      const built = await buildLifecycles(store, { releaseId: R, now: NOW });
      const signal = built.releases[0]!.uwchrCustodialArrestSignal;
      // Without an ICE stay neither becomes a transfer here: the two methods differ on exactly these.
      expect(signal).toMatchObject({ open_or_unknown: 2, transferred_to_ice: 0, declined: 0 });
      expect(Object.values(signal).reduce((a, b) => a + b, 0)).toBe(2);
    });
  });

  it('counts the book-in window\'s sensitivity: each window\'s count is what a build with that window classifies', async () => {
    await withSeeded(async (store, built) => {
      const sens = built.releases[0]!.bookInWindowSensitivity;
      expect(sens.map((x) => x.days)).toEqual([30, 90, 180, 365]);
      // P2's book-in 20 days after the prepare date counts in every window; P3's, 239 days after, only in 365.
      const t = Object.fromEntries(sens.map((x) => [x.days, x.transferred_to_ice]));
      expect(t[365]! - t[180]!).toBeGreaterThanOrEqual(1);
      for (const x of sens) {
        const again = await buildLifecycles(store, { releaseId: A, now: NOW, bookInWindowDays: x.days });
        const by = again.releases[0]!.byBasis;
        expect([by.linked_book_in ?? 0, by.stay_without_arrest ?? 0], `${x.days} days`).toEqual([x.transferred_to_ice, x.ice_custody_unlinked]);
      }
      const p3 = await store.queryRow<{ b: string }>(`SELECT outcome_basis AS b FROM detainer_lifecycle WHERE release_id = '${A}' AND person_id = 'P3'`);
      expect(p3!.b, 'the last build used 365 days').toBe('linked_book_in');
    });
  });

  it('records a community arrest 200 days after a declined detainer, with its stay', async () => {
    await withSeeded(async (store) => {
      const [p4] = (await lifecycles(store)).get('P4')!;
      expect(p4).toMatchObject({
        outcome_class: 'declined',
        arrest_method: 'Non-Custodial Arrest',
        arrest_setting: 'community',
        days_to_arrest: 200,
        arrest_before_next_episode: true,
        arrest_sheet: 'Sheet1',
      });
      expect(String(p4!.arrest_stay_book_in)).toContain('2024-07-20');
    });
  });

  it('does not read a stay that follows an arrest at large as a handoff', async () => {
    await withSeeded(async (store) => {
      const [p5] = (await lifecycles(store)).get('P5')!;
      expect(p5).toMatchObject({ outcome_class: 'open_or_unknown', outcome_basis: 'no_lift_reason', arrest_setting: 'community', days_to_arrest: 60 });
    });
  });

  it('gives each of several detainers of one person its own window', async () => {
    await withSeeded(async (store) => {
      const [first, second] = (await lifecycles(store)).get('P6')!;
      expect(first).toMatchObject({
        outcome_class: 'declined',
        next_episode_date: '2023-11-01',
        arrest_method: 'CAP Local Incarceration',
        arrest_before_next_episode: false,
        episode_no: 1,
      });
      expect(second).toMatchObject({ outcome_class: 'transferred_to_ice', outcome_basis: 'linked_book_in', episode_no: 2, days_to_book_in: 31 });
    });
  });

  it('keeps one row of a duplicated detainer and counts the other', async () => {
    await withSeeded(async (store, built) => {
      const p7 = (await lifecycles(store)).get('P7')!;
      expect(p7).toHaveLength(1);
      expect(p7[0]).toMatchObject({ outcome_class: 'lifted_by_ice', duplicate_rows: 1, source_row: 15 });
      expect(built.releases[0]!.duplicateDetainerRows).toBe(1);
      expect(built.releases[0]!.exclusions).toContainEqual({ table: 'detainers', reason: 'flagged_duplicate', rows: 1 });
      expect(built.releases[0]!.exclusions).toContainEqual({ table: 'arrests', reason: 'flagged_duplicate', rows: 1 });
    });
  });

  it('keeps detainers without an identifier unlinked and counts every such row', async () => {
    await withSeeded(async (store, built) => {
      const [none] = (await lifecycles(store)).get('(none)')!;
      expect(none).toMatchObject({ link_status: 'no_identifier', outcome_class: 'declined', arrest_date: null, removal_date: null });
      const exclusions = await store.queryRows(
        `SELECT table_name, reason, fiscal_year, rows FROM link_exclusions WHERE release_id = $1 AND reason = 'no_identifier' ORDER BY table_name`,
        [A],
      );
      expect(exclusions).toEqual([
        { table_name: 'arrests', reason: 'no_identifier', fiscal_year: 2024, rows: '1' },
        { table_name: 'detainers', reason: 'no_identifier', fiscal_year: 2024, rows: '2' },
      ]);
      const all = await readLifecycleQuality(store, A);
      expect(all[0]).toMatchObject({ state_postal: 'ALL', detainers: 19, no_identifier: 2, ice_custody_unlinked: 1 });
      expect(built.releases[0]!.detainers).toBe(19);
    });
  });

  it('reports unknown lift reasons and matches known ones whatever their case and spacing', async () => {
    await withSeeded(async (store, built) => {
      const by = await lifecycles(store);
      expect(by.get('P8')![0]).toMatchObject({ outcome_class: 'open_or_unknown', outcome_basis: 'lift_reason_unmapped', lift_reason_unmapped: true, lift_reason_group: 'unmapped' });
      expect(by.get('P9')![0]).toMatchObject({ outcome_class: 'transferred_to_ice', outcome_basis: 'lift_reason' });
      expect(await listUnmappedLiftReasons(store, A)).toEqual([{ releaseId: A, value: 'Released on Bond', rows: 1 }]);
      expect(built.releases[0]!.unmappedLiftReasons).toBe(1);
    });
  });

  it('flags blank detainers near the cut-off and measures the share', async () => {
    await withSeeded(async (store, built) => {
      expect(built.releases[0]!.cutoffDate).toBe('2025-07-28');
      const [p10] = (await lifecycles(store)).get('P10')!;
      expect(p10).toMatchObject({ near_cutoff: true, days_before_cutoff: 27, outcome_class: 'open_or_unknown' });
      const [ma] = (await readLifecycleQuality(store, A)).filter((q) => q.state_postal === 'MA');
      // MA: 18 detainers; blank: P2, P3, P5, P6 (second), P10, P13 = 6; near the cut-off: P10 only.
      expect(ma).toMatchObject({ detainers: 18, blank_lift_reason: 6, near_cutoff: 1, inferred_transfers: 2, ice_custody_unlinked: 1 });
      expect(ma!.near_cutoff_share).toBeCloseTo(1 / 18, 6);
    });
  });

  it('places an unknown facility in its state only and classifies other settings', async () => {
    await withSeeded(async (store) => {
      const [p12] = (await lifecycles(store)).get('P12')!;
      expect(p12).toMatchObject({
        outcome_class: 'released_other',
        place_method: 'facility_state_fallback',
        county_fips: null,
        state_postal: 'TX',
        aor_code: 'HOU',
        arrest_setting: 'other',
      });
    });
  });

  it('never links an identifier across releases', async () => {
    await withSeeded(async (store) => {
      expect((await lifecycles(store)).get('P11')![0]).toMatchObject({ arrest_date: null, outcome_class: 'declined' });
      // Release B was not built; building it links its own rows only.
      expect((await lifecycles(store, B)).size).toBe(0);
      await buildLifecycles(store, { releaseId: B, now: NOW });
      const [b11] = (await lifecycles(store, B)).get('P11')!;
      expect(b11).toMatchObject({ outcome_class: 'lifted_by_ice', arrest_method: 'Located', days_to_arrest: 425 });
      const [b1] = (await lifecycles(store, A)).get('P1')!;
      expect(String(b1!.stay_book_in)).toContain('2024-02-02');
      const events = await store.queryRows(`SELECT DISTINCT release_id FROM person_events WHERE person_id = 'P11' ORDER BY 1`);
      expect(events.map((e) => e.release_id)).toEqual([A, B]);
    });
  });

  it('writes each person’s events in date order', async () => {
    await withSeeded(async (store) => {
      const events = await store.queryRows(
        `SELECT event_seq, event_type, detail, source_table FROM person_events WHERE release_id = $1 AND person_id = 'P4' ORDER BY event_seq`,
        [A],
      );
      expect(events.map((e) => e.event_type)).toEqual(['detainer', 'encounter', 'arrest', 'stay_book_in']);
      expect(events[2]).toMatchObject({ detail: 'Non-Custodial Arrest', source_table: 'arrests' });
      const p6 = await store.queryRows(
        `SELECT event_type FROM person_events WHERE release_id = $1 AND person_id = 'P6' ORDER BY event_seq`,
        [A],
      );
      expect(p6.map((e) => e.event_type)).toEqual(['detainer', 'detainer', 'arrest', 'stay_book_in']);
    });
  });

  it('is idempotent: a second build gives the same tables', async () => {
    await withSeeded(async (store, first) => {
      const snapshot = async () =>
        JSON.stringify([
          await store.queryRows('SELECT * FROM detainer_lifecycle ORDER BY ALL'),
          await store.queryRows('SELECT * FROM person_events ORDER BY ALL'),
          await store.queryRows('SELECT * FROM link_exclusions ORDER BY ALL'),
          await store.queryRows('SELECT * FROM lifecycle_quality ORDER BY ALL'),
          await store.queryRows('SELECT count(*) AS n FROM lifecycle_runs'),
        ]);
      const before = await snapshot();
      const second = await buildLifecycles(store, { releaseId: A, now: NOW });
      expect(await snapshot()).toBe(before);
      expect({ ...second.releases[0], seconds: 0 }).toEqual({ ...first.releases[0], seconds: 0 });
      expect(first.releases[0]!.byOutcome).toEqual({
        transferred_to_ice: 4,
        ice_custody_unlinked: 1,
        declined: 5,
        lifted_by_ice: 3,
        released_other: 2,
        open_or_unknown: 4,
      });
    });
  });

  it('rejects an unknown release', async () => {
    await withStore(async (store) => {
      await expect(buildLifecycles(store, { releaseId: 'r_nope' })).rejects.toThrow(/no release/);
    });
  });
});
