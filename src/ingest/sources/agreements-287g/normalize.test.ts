import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HandoffError } from '../../../core/errors.ts';
import {
  chooseSnapshotDate,
  isTallyHeader,
  normalize287gRows,
  parseSignedDate,
  parseSupportType,
  readNameDates,
  sheetStatus,
  signedDatesOf,
} from './index.ts';
import type { SheetRow } from './index.ts';
import { summarize287gSnapshots } from './snapshots.ts';

const SHARED_287G = new URL('../../../../../shared/data/287g/', import.meta.url);
const ICE_REAL = new URL('../../../../../shared/data/ice-real/', import.meta.url);
const HEADER = ['STATE', 'LAW ENFORCEMENT AGENCY', 'TYPE', 'COUNTY', 'SUPPORT TYPE', 'SIGNED', 'MOA', 'ADDENDUM'];
const SOURCE = { file: 'participatingAgencies05182026am.xlsx', snapshotDate: '2026-05-18' };
const row = (rowNumber: number, cells: (string | number | null)[]): SheetRow => ({ rowNumber, cells });

describe('parseSupportType', () => {
  it('reads the three models with their variants', () => {
    expect(parseSupportType('Jail Enforcement Model ')).toBe('jail_enforcement');
    expect(parseSupportType('Warrant Service Officer')).toBe('warrant_service_officer');
    expect(parseSupportType('Warrant Services Officer')).toBe('warrant_service_officer');
    expect(parseSupportType('task force model')).toBe('task_force');
    expect(parseSupportType('Other')).toBeUndefined();
  });
});

describe('parseSignedDate', () => {
  it('accepts ISO strings, Excel serials and US text dates', () => {
    expect(parseSignedDate('2025-09-23')).toBe('2025-09-23');
    expect(parseSignedDate(45922)).toBe('2025-09-22');
    expect(parseSignedDate('9/23/2025')).toBe('2025-09-23');
    expect(parseSignedDate(' ')).toBeNull();
    expect(parseSignedDate(null)).toBeNull();
    expect(() => parseSignedDate('sometime in 2025')).toThrow(HandoffError);
    expect(() => parseSignedDate('2025-02-30')).toThrow(HandoffError);
  });

  it('reads text dates that have one reading, ICE\'s missing slash included', () => {
    expect(parseSignedDate('05/082025')).toBe('2025-05-08');
    expect(parseSignedDate('5/8/2025')).toBe('2025-05-08');
    expect(parseSignedDate('05/08/25')).toBe('2025-05-08');
    expect(parseSignedDate('5-8-2025')).toBe('2025-05-08');
    expect(parseSignedDate('5 / 8 / 2025')).toBe('2025-05-08');
    expect(parseSignedDate('0508/2025')).toBe('2025-05-08');
    expect(parseSignedDate('05082025')).toBe('2025-05-08');
    expect(parseSignedDate('2025/05/08')).toBe('2025-05-08');
    expect(parseSignedDate('2025-5-8')).toBe('2025-05-08');
    expect(parseSignedDate('2025-05-08 00:00:00')).toBe('2025-05-08');
    expect(parseSignedDate('May 8, 2025')).toBe('2025-05-08');
    expect(parseSignedDate('Sept. 8, 2025')).toBe('2025-09-08');
    expect(parseSignedDate('8 May 2025')).toBe('2025-05-08');
    expect(parseSignedDate('May 8th 2025')).toBe('2025-05-08');
  });

  it('refuses what has no single reading or an impossible year', () => {
    expect(() => parseSignedDate('13/5/2025')).toThrow(/not a calendar date/); // day-first is not ICE's
    expect(() => parseSignedDate('05/08/2205')).toThrow(/impossible year 2205/);
    expect(() => parseSignedDate('05/0825')).toThrow(HandoffError);
    expect(() => parseSignedDate('Mayo 8, 2025')).toThrow(HandoffError);
    expect(() => parseSignedDate('Ma 8, 2025')).toThrow(HandoffError);
    expect(() => parseSignedDate(100)).toThrow(/impossible year 1900/);
  });
});

describe('normalize287gRows', () => {
  it('normalizes rows with trailing spaces, header case and date cells', () => {
    const header = HEADER.map((h) => ` ${h.toLowerCase()} `);
    const { agreements, rejects, blank_rows } = normalize287gRows(
      header,
      [
        row(2, ['ALABAMA', "Autauga County Sheriff's Office ", 'County ', 'Autauga County', 'Jail Enforcement Model ', '2025-09-23', 'link', null]),
        row(3, ['LOUISIANA ', "Bossier Parish Sheriff's Office", 'County', 'Bossier Parish ', 'Task Force Model', 45714, 'link pending', 'link']),
        row(4, ['TEXAS', 'Texas Department of Public Safety', 'State Agency', '#N/A', 'Task Force Model', '2025-02-20', 'link', null]),
        row(5, ['TEXAS', "Guadalupe County Sheriff's Office", 'County', '#N/A', 'Warrant Service Officer', '2025-02-20', 'link', null]),
        row(6, ['VIRGINIA', 'Example Police Department', 'Municipality', 'Richmond city', 'Task Force Model', '2025-03-01', 'https://www.ice.gov/example.pdf', null]),
      ],
      SOURCE,
    );
    expect(rejects).toEqual([]);
    expect(blank_rows).toBe(0);
    expect(agreements[0]).toEqual({
      state: 'Alabama',
      state_postal: 'AL',
      agency: "Autauga County Sheriff's Office",
      agency_type: 'County',
      county_name: 'Autauga County',
      county_fips: '01001',
      county_fips_method: 'county_column',
      support_type: 'jail_enforcement',
      support_type_raw: 'Jail Enforcement Model',
      signed_date: '2025-09-23',
      moa_text: 'link',
      status: 'participating',
      snapshot_date: '2026-05-18',
      source_file: 'participatingAgencies05182026am.xlsx',
      source_row: 2,
    });
    expect(agreements[1]).toMatchObject({ county_fips: '22015', signed_date: '2025-02-26', addendum: 'link', moa_text: 'link pending' });
    expect(agreements[2]).toMatchObject({ county_name: null, county_fips: null, county_fips_method: null });
    expect(agreements[3]).toMatchObject({ county_fips: '48187', county_fips_method: 'agency_name' });
    expect(agreements[4]).toMatchObject({ county_fips: '51760', moa_url: 'https://www.ice.gov/example.pdf' });
  });

  it('rejects what it cannot read and counts blank rows, but keeps an agreement with an unreadable SIGNED', () => {
    const { agreements, rejects, blank_rows, signed_unread, signed_filled } = normalize287gRows(
      HEADER,
      [
        row(2, HEADER),
        row(3, ['ATLANTIS', 'Some Agency', 'County', 'X County', 'Task Force Model', '2025-01-01', 'link', null]),
        row(4, ['TEXAS', '', 'County', 'Harris County', 'Task Force Model', '2025-01-01', 'link', null]),
        row(5, ['TEXAS', 'Harris County Sheriff', 'County', 'Harris County', 'Other Model', '2025-01-01', 'link', null]),
        row(6, ['TEXAS', 'Harris County Sheriff', 'County', 'Harris County', 'Task Force Model', 'soon', 'link', null]),
        row(7, ['', '', '', '', '', '', '', '']),
        row(8, [null, null]),
      ],
      SOURCE,
    );
    expect(agreements.map((a) => [a.source_row, a.signed_date])).toEqual([[6, null]]);
    expect(signed_unread).toEqual([{ source_row: 6, raw: 'soon', reason: 'SIGNED "soon" is not a date' }]);
    expect(signed_filled).toBe(1);
    expect(blank_rows).toBe(2);
    expect(rejects.map((r) => r.source_row)).toEqual([2, 3, 4, 5]);
    expect(rejects[0]!.reason).toBe('repeated header row');
    expect(rejects[1]!.reason).toContain('unknown STATE');
  });

  it('reads SIGNED text and lists what it read', () => {
    const result = normalize287gRows(
      HEADER,
      [
        row(2, ['VIRGINIA', "Campbell County Sheriff's Office", 'County', 'Campbell County', 'Task Force Model', '05/082025', 'link', null]),
        row(3, ['VIRGINIA', "Craig County Sheriff's Office", 'County', 'Craig County', 'Task Force Model', '2025-05-16', 'link', null]),
        row(4, ['VIRGINIA', "Bedford County Sheriff's Office", 'County', 'Bedford County', 'Task Force Model', '13/05/2025', 'link', null]),
      ],
      SOURCE,
    );
    expect(result.rejects).toEqual([]);
    expect(result.agreements.map((a) => a.signed_date)).toEqual(['2025-05-08', '2025-05-16', null]);
    expect(result.signed_from_text).toEqual([{ source_row: 2, raw: '05/082025', date: '2025-05-08' }]);
    expect(result.signed_unread.map((r) => [r.source_row, r.raw])).toEqual([[4, '13/05/2025']]);
    expect(signedDatesOf(HEADER, [row(2, ['', '', '', '', '', '05/082025']), row(3, ['', '', '', '', '', 'soon'])])).toEqual(['2025-05-08']);
  });

  it('marks the pending sheet and tolerates its missing SIGNED column', () => {
    const { agreements } = normalize287gRows(
      ['STATE', 'LAW ENFORCEMENT AGENCY', 'TYPE', 'COUNTY', 'SUPPORT TYPE'],
      [row(3, ['ALABAMA', 'Loxley Police Department', 'Municipality', 'Baldwin Couny', 'Task Force Model'])],
      { file: 'pendingAgencies12312025am.xlsx', snapshotDate: '2025-12-31' },
    );
    expect(agreements[0]).toMatchObject({ status: 'pending', signed_date: null, county_fips: '01003' });
  });

  it('tells participating from pending by the header; the header wins over the name', () => {
    const pendingHeader = ['STATE', 'LAW ENFORCEMENT AGENCY', 'TYPE', 'SUPPORT TYPE'];
    const body = [row(2, ['FLORIDA', "Alachua County Sheriff's Office", 'County', 'Warrant Service Officer', '2025-02-20'])];
    expect(sheetStatus(pendingHeader, body, 'pendingAgencies-20250221214937.xlsx')).toEqual({
      status: 'pending',
      basis: 'header',
      note: 'pending: the header has no SIGNED column, as the file name says',
    });
    const named = sheetStatus(pendingHeader, body, 'participatingAgencies06272025am.xlsx');
    expect(named.status).toBe('pending');
    expect(named.note).toContain('though the file name says participating; the header wins');
    const signed = sheetStatus([...pendingHeader, 'SIGNED'], body, 'pendingAgencies02272026am.xlsx');
    expect(signed.status).toBe('participating');
    expect(signed.note).toContain('the file name says pending; the header wins');
    expect(sheetStatus([...pendingHeader, 'SIGNED'], [row(2, ['FLORIDA', 'X', 'County', 'Task Force Model', null])], 'x.xlsx')).toMatchObject({
      status: 'pending',
      note: 'pending: its SIGNED column is empty throughout (the file name does not say)',
    });
    const result = normalize287gRows(pendingHeader, body, { file: 'participatingAgencies06272025am.xlsx', snapshotDate: '2025-06-27' });
    expect(result.status).toBe('pending');
    expect(result.agreements[0]!.status).toBe('pending');
  });

  it('knows a side table of tallies by model from an agreement header', () => {
    expect(isTallyHeader(['Total', null, 'JEM', null, 'TFM', null, 'WSO'])).toBe(true);
    expect(isTallyHeader(['STATE', 'Jail Enforcement Model', 'Task Force Model'])).toBe(true);
    expect(isTallyHeader(['Total', null])).toBe(false);
    expect(isTallyHeader(HEADER)).toBe(false);
    expect(isTallyHeader(['ALABAMA', null, 'ALABAMA'])).toBe(false);
  });

  it('refuses a sheet without the required columns', () => {
    expect(() => normalize287gRows(['STATE', 'NAME'], [], SOURCE)).toThrow(HandoffError);
  });
});

describe('readNameDates', () => {
  const first = (name: string) => readNameDates(name).readings[0];

  it('reads every form ICE and archivists write', () => {
    expect(first('participatingAgencies06272025am.xlsx')).toEqual({ date: '2025-06-27', basis: 'file_name', form: 'MMDDYYYYam', text: '06272025am' });
    expect(first('pendingAgencies12312025PM.xlsx')).toMatchObject({ date: '2025-12-31', form: 'MMDDYYYYpm' });
    expect(first('participatingAgencies09082026.xlsx')).toMatchObject({ date: '2026-09-08', form: 'MMDDYYYY' });
    // ICE's short form; the "287" of "287g" is not part of a date.
    expect(first('287gParticipatingAgencies091526pm.xlsx')).toMatchObject({ date: '2026-09-15', form: 'MMDDYYpm' });
    expect(first('participatingAgencies-20250221214937.xlsx')).toEqual({
      date: '2025-02-21',
      basis: 'capture_stamp',
      form: 'YYYYMMDDhhmmss',
      text: '20250221214937',
      time: '21:49:37',
    });
    expect(first('sheets_20260908_181740.xlsx')).toMatchObject({ date: '2026-09-08', basis: 'capture_stamp', time: '18:17:40' });
    expect(first('287g 2025-06-27.xlsx')).toMatchObject({ date: '2025-06-27', basis: 'file_name', form: 'YYYY-MM-DD' });
    expect(first('participatingAgencies_2025_06_27.xlsx')).toMatchObject({ date: '2025-06-27', form: 'YYYY-MM-DD' });
    expect(first('participating 06-27-2025.xlsx')).toMatchObject({ date: '2025-06-27', form: 'MM-DD-YYYY' });
    expect(first('participatingAgencies_20250627.xlsx')).toMatchObject({ date: '2025-06-27', form: 'YYYYMMDD' });
    expect(first('/some/folder/participatingAgencies06272025am (1).xlsx')).toMatchObject({ date: '2025-06-27' });
  });

  it('prefers the date ICE wrote to an archivist\'s capture stamp', () => {
    const { readings } = readNameDates('20250628101500-participatingAgencies06272025am.xlsx');
    expect(readings.map((r) => [r.date, r.basis])).toEqual([
      ['2025-06-27', 'file_name'],
      ['2025-06-28', 'capture_stamp'],
    ]);
  });

  it('turns broken names into candidates and refuses impossible years', () => {
    // Nine digits: each digit dropped in turn, from the end.
    expect(readNameDates('participatingAgencies062720255am.xlsx').readings.map((r) => r.date)).toEqual(['2025-06-27', '2055-06-27']);
    expect(readNameDates('participatingAgencies062272025am.xlsx').readings.map((r) => [r.date, r.repair])).toEqual([
      ['2025-06-22', 'nine digits, the 5th dropped'],
      ['2025-06-27', 'nine digits, the 4th dropped'],
      ['2025-02-27', 'nine digits, the 2nd dropped'],
    ]);
    // Seven digits: a leading zero missing.
    expect(readNameDates('participatingAgencies6272025am.xlsx').readings).toEqual([
      { date: '2025-06-27', basis: 'file_name', form: 'MMDDYYYYam', text: '6272025am', repair: 'seven digits, a zero added to the month' },
    ]);
    const impossible = readNameDates('participatingAgencies06272205am.xlsx');
    expect(impossible.readings).toEqual([]);
    expect(impossible.problems).toEqual(['"06272205" reads as 2205-06-27, and the year 2205 is impossible for a 287(g) sheet']);
    expect(readNameDates('participatingAgencies13452025.xlsx')).toEqual({ readings: [], problems: ['"13452025" is not a date as MMDDYYYY or YYYYMMDD'] });
    expect(readNameDates('participatingAgencies19990101000000.xlsx').problems[0]).toContain('year 1999 is impossible');
    expect(readNameDates('participatingAgencies.xlsx')).toEqual({ readings: [], problems: [] });
  });
});

describe('chooseSnapshotDate', () => {
  const signed = ['2019-04-24', '2025-05-08', '2025-06-25'];

  it('takes a plausible name and says so', () => {
    const choice = chooseSnapshotDate({ fileName: 'participatingAgencies06272025am.xlsx', signedDates: signed, workbookModified: '2025-06-27T05:06:11Z' });
    expect(choice).toMatchObject({ date: '2025-06-27', basis: 'file_name' });
    expect(choice.notes).toEqual(['snapshot date 2025-06-27 from the file name ("06272025am" as MMDDYYYYam)']);
    const stamp = chooseSnapshotDate({ fileName: 'pendingAgencies-20250221214937.xlsx', signedDates: [], workbookModified: '2025-02-20T16:27:52Z' });
    expect(stamp).toMatchObject({ date: '2025-02-21', basis: 'capture_stamp' });
    expect(stamp.notes[0]).toContain('a scraper\'s time, not a date ICE wrote');
  });

  it('refuses a name that predates its own latest SIGNED date (a wrong year) and takes the workbook\'s modified date', () => {
    const choice = chooseSnapshotDate({ fileName: 'participatingAgencies06272024am.xlsx', signedDates: signed, workbookModified: '2025-06-27T05:06:11Z' });
    expect(choice).toMatchObject({ date: '2025-06-27', basis: 'workbook_modified' });
    expect(choice.notes[0]).toBe(
      "snapshot date 2025-06-27 from the workbook's own modified date (docProps/core.xml dcterms:modified 2025-06-27T05:06:11Z), since the file name gives no usable date",
    );
    expect(choice.notes[1]).toContain('2024-06-27 is before the sheet\'s latest SIGNED date 2025-06-25');
  });

  it('refuses a year far after the latest SIGNED year, or a year off the workbook\'s save', () => {
    const far = chooseSnapshotDate({ fileName: 'participatingAgencies06272029am.xlsx', signedDates: signed, workbookModified: '2025-06-27T05:06:11Z' });
    expect(far.basis).toBe('workbook_modified');
    expect(far.notes[1]).toContain('2029-06-27 is 4 years after the sheet\'s latest SIGNED date 2025-06-25');
    const pending = chooseSnapshotDate({ fileName: 'pendingAgencies02272027am.xlsx', signedDates: [], workbookModified: '2026-02-27T18:23:50Z' });
    expect(pending).toMatchObject({ date: '2026-02-27', basis: 'workbook_modified' });
    expect(pending.notes[1]).toContain("2027-02-27 is 365 days after the workbook's own modified date 2026-02-27");
    // The January slip: last year's number on this year's sheet.
    const january = chooseSnapshotDate({ fileName: 'pendingAgencies01052025am.xlsx', signedDates: [], workbookModified: '2026-01-05T15:00:00Z' });
    expect(january).toMatchObject({ date: '2026-01-05', basis: 'workbook_modified' });
    expect(january.notes[1]).toContain('2025-01-05 is 365 days before the workbook\'s own modified date 2026-01-05');
    // ICE may save a day or two after naming; an unchanged sheet may be re-posted under a new name.
    expect(chooseSnapshotDate({ fileName: 'pendingAgencies01052026am.xlsx', signedDates: [], workbookModified: '2026-01-07T15:00:00Z' }).basis).toBe('file_name');
    expect(chooseSnapshotDate({ fileName: 'pendingAgencies03052026am.xlsx', signedDates: [], workbookModified: '2026-01-07T15:00:00Z' }).basis).toBe('file_name');
    // Within the bounds the name stands, even years after the last signing (the list barely changed in 2021-2024).
    expect(chooseSnapshotDate({ fileName: 'participatingAgencies06272028am.xlsx', signedDates: signed }).date).toBe('2028-06-27');
    // An archivist's date is machine-made: years after the last signing and the last save are fine.
    expect(chooseSnapshotDate({ fileName: '287g 2029-06-27.xlsx', signedDates: signed, workbookModified: '2025-06-27T05:06:11Z' })).toMatchObject({
      date: '2029-06-27',
      basis: 'file_name',
    });
  });

  it('refuses a capture stamp taken before the workbook was saved', () => {
    const choice = chooseSnapshotDate({ fileName: 'participatingAgencies-20250101120000.xlsx', signedDates: [], workbookModified: '2025-02-21T14:51:12Z' });
    expect(choice).toMatchObject({ date: '2025-02-21', basis: 'workbook_modified' });
    expect(choice.notes[1]).toContain('the capture 2025-01-01 is before the workbook was last saved (2025-02-21)');
  });

  it('repairs a nine-digit name by plausibility', () => {
    const choice = chooseSnapshotDate({ fileName: 'participatingAgencies062272025am.xlsx', signedDates: signed });
    expect(choice).toMatchObject({ date: '2025-06-27', basis: 'file_name' });
    expect(choice.reading?.repair).toBe('nine digits, the 4th dropped');
    expect(choice.notes[1]).toBe('the file name is broken (062272025am: nine digits, the 4th dropped); the repair agrees with the latest SIGNED date 2025-06-25');
    expect(choice.notes.some((n) => n.includes('2025-06-22 is before the sheet\'s latest SIGNED date'))).toBe(true);
    // No SIGNED date to check against: the repair nearest the workbook's last save.
    const pending = chooseSnapshotDate({ fileName: 'pendingAgencies062272025am.xlsx', signedDates: [], workbookModified: '2025-06-27T09:00:00Z' });
    expect(pending).toMatchObject({ date: '2025-06-27', basis: 'file_name' });
    expect(chooseSnapshotDate({ fileName: 'participatingAgencies062720255am.xlsx', signedDates: signed }).date).toBe('2025-06-27');
  });

  it('falls back on an impossible or missing date, and never throws for the name', () => {
    const impossible = chooseSnapshotDate({ fileName: 'participatingAgencies06272205am.xlsx', signedDates: signed, workbookModified: '2025-06-27T05:06:11Z' });
    expect(impossible).toMatchObject({ date: '2025-06-27', basis: 'workbook_modified' });
    expect(impossible.notes[1]).toContain('year 2205 is impossible');
    const bare = chooseSnapshotDate({ fileName: 'participatingAgencies.xlsx', signedDates: signed, workbookModified: null });
    expect(bare).toMatchObject({ date: '2025-06-25', basis: 'latest_signed' });
    expect(bare.notes).toContain('the file name has no date');
    const nothing = chooseSnapshotDate({ fileName: 'pendingAgencies.xlsx', signedDates: [], fileModified: '2026-12-02T10:00:00.000Z' });
    expect(nothing).toMatchObject({ date: '2026-12-02', basis: 'file_modified' });
    expect(() => chooseSnapshotDate({ fileName: 'pendingAgencies.xlsx', signedDates: [] })).toThrow(HandoffError);
  });

  it('does not let a SIGNED typo after the workbook\'s save bound the date', () => {
    const choice = chooseSnapshotDate({ fileName: 'participatingAgencies06272025am.xlsx', signedDates: [...signed, '2052-05-08'], workbookModified: '2025-06-27T05:06:11Z' });
    expect(choice).toMatchObject({ date: '2025-06-27', basis: 'file_name' });
    expect(choice.notes).toContain(
      '1 SIGNED date(s) fall after the workbook was last saved (2025-06-27), up to 2052-05-08; they are not used to check the date',
    );
  });

  it('takes asOf over everything, with a note', () => {
    const choice = chooseSnapshotDate({ fileName: 'participatingAgencies06272025am.xlsx', signedDates: signed, workbookModified: '2025-06-27T05:06:11Z', asOf: '2025-06-01' });
    expect(choice).toMatchObject({ date: '2025-06-01', basis: 'as_of' });
    expect(choice.notes).toEqual([
      'snapshot date 2025-06-01 given by the asOf option; the file name reads 2025-06-27',
      '1 SIGNED date(s) fall after the snapshot date 2025-06-01, up to 2025-06-25',
    ]);
    expect(() => chooseSnapshotDate({ fileName: 'x.xlsx', signedDates: [], asOf: '06/01/2025' })).toThrow(/asOf must be a date/);
  });
});

describe('summarize287gSnapshots', () => {
  it('gives first and last appearance per agency', () => {
    const csv = [
      'date,state,county,zip,agency,agency_id,ori,type,population_policed,operating_budget,agency_type',
      '2025-05-16 am,ALABAMA,Colbert County,1,colbert county sheriff,630119,AL0200000,Jail Enforcement Model,1,1,(001) Sheriff',
      '2025-05-16 am,ALABAMA,Colbert County,1,colbert county sheriff,630119,AL0200000,Warrant Service Officer,1,1,(001) Sheriff',
      '2025-05-19 pm,ALABAMA,Colbert County,1,colbert county sheriff,630119,AL0200000,Warrant Service Officer,1,1,(001) Sheriff',
      '2025-05-19 am,TEXAS,Harris County,1,harris county sheriff,NA,TX,Task Force Model,1,1,NA',
      '2025-05-19 pm,TEXAS,Harris County,1,harris county sheriff,NA,TX,Task Force Model,1,1,NA',
      'someday,TEXAS,Harris County,1,harris county sheriff,NA,TX,Task Force Model,1,1,NA',
    ].join('\n');
    const summary = summarize287gSnapshots(csv);
    expect(summary.snapshots).toEqual(['2025-05-16 am', '2025-05-19 am', '2025-05-19 pm']);
    expect(summary.rejects).toEqual([{ source_row: 7, reason: 'unreadable date "someday"' }]);
    expect(summary.agencies[0]).toEqual({
      state: 'ALABAMA',
      agency: 'colbert county sheriff',
      agency_id: '630119',
      first_seen: '2025-05-16',
      last_seen: '2025-05-19',
      first_snapshot: '2025-05-16 am',
      last_snapshot: '2025-05-19 pm',
      snapshots_present: 2,
      snapshots_in_span: 3,
      in_latest: true,
      support_types: ['jail_enforcement', 'warrant_service_officer'],
      by_support_type: [
        { support_type: 'jail_enforcement', first_seen: '2025-05-16', last_seen: '2025-05-16' },
        { support_type: 'warrant_service_officer', first_seen: '2025-05-16', last_seen: '2025-05-19' },
      ],
    });
    expect(summary.agencies[1]).toMatchObject({ agency_id: null, first_snapshot: '2025-05-19 am', snapshots_present: 2 });
  });

  it.skipIf(!existsSync(new URL('agreements.csv', SHARED_287G)))('summarizes the real series from ../shared', () => {
    const summary = summarize287gSnapshots(readFileSync(new URL('agreements.csv', SHARED_287G), 'utf8'));
    const inLatest = summary.agencies.filter((a) => a.in_latest).length;
    console.info(
      `287(g) snapshot series: ${summary.snapshots.length} snapshots (${summary.snapshots[0]} .. ${summary.snapshots.at(-1)}), ` +
        `${summary.agencies.length} agencies, ${inLatest} in the latest, ${summary.rejects.length} rejects`,
    );
    expect(summary.snapshots.length).toBe(17);
    expect(summary.rejects).toEqual([]);
  });
});

// The real ICE sheets, read with src/xlsx when that module is available.
describe.skipIf(!existsSync(new URL('participatingAgencies05182026am.xlsx', SHARED_287G)))('real ICE 287(g) sheets', () => {
  it('normalizes both sheets and reports counts', async () => {
    let XlsxWorkbook: typeof import('../../../xlsx/index.ts').XlsxWorkbook;
    try {
      ({ XlsxWorkbook } = await import('../../../xlsx/index.ts'));
    } catch (e) {
      console.info(`src/xlsx is not usable yet (${String(e)}); skipping the real-sheet check`);
      return;
    }
    for (const [file, snapshotDate] of [
      ['participatingAgencies05182026am.xlsx', '2026-05-18'],
      ['pendingAgencies12312025am.xlsx', '2025-12-31'],
    ] as const) {
      const workbook = await XlsxWorkbook.open(new URL(file, SHARED_287G).pathname);
      const rows = await workbook.readAll(workbook.sheets[0]!.name);
      const [head, ...body] = rows;
      const result = normalize287gRows(head!.cells, body, { file, snapshotDate });
      const bySupport: Record<string, number> = {};
      for (const a of result.agreements) bySupport[a.support_type] = (bySupport[a.support_type] ?? 0) + 1;
      const withCounty = result.agreements.filter((a) => a.county_name !== null);
      const resolved = withCounty.filter((a) => a.county_fips !== null && a.county_fips_method === 'county_column');
      const anyFips = result.agreements.filter((a) => a.county_fips !== null).length;
      console.info(
        `${file}: ${result.agreements.length} agreements, ${result.rejects.length} rejects ${JSON.stringify(result.rejects)}, ` +
          `${result.blank_rows} blank rows; by support type ${JSON.stringify(bySupport)}; ` +
          `COUNTY resolved ${resolved.length}/${withCounty.length} (${((resolved.length / Math.max(1, withCounty.length)) * 100).toFixed(1)}%), ` +
          `county_fips on ${anyFips}/${result.agreements.length}; unresolved: ${JSON.stringify(withCounty.filter((a) => !a.county_fips).map((a) => `${a.state_postal}:${a.county_name}`))}`,
      );
      expect(result.agreements.length).toBeGreaterThan(file.startsWith('pending') ? 20 : 1800);
      expect(resolved.length / withCounty.length).toBeGreaterThan(0.98);
    }
  });
});

// The real ICE sheets of ../shared/data/ice-real (SOURCES.md): each name dated against its own SIGNED dates.
const HAVE_ICE_REAL = existsSync(ICE_REAL);
if (!HAVE_ICE_REAL) console.info(`skipping the real 287(g) sheets: ${ICE_REAL.pathname} is missing`);
describe.skipIf(!HAVE_ICE_REAL)('real ICE 287(g) sheets in ice-real', () => {
  it('dates each name and reads ICE\'s "05/082025"', async () => {
    const { XlsxWorkbook } = await import('../../../xlsx/index.ts');
    const expected = [
      ['participatingAgencies-20250221214937.xlsx', 151, '2025-02-21', 'capture_stamp'],
      ['participatingAgencies06272025am.xlsx', 737, '2025-06-27', 'file_name'],
      ['participatingAgencies03022026am.xlsx', 1499, '2026-03-02', 'file_name'],
      ['pendingAgencies-20250221214937.xlsx', 41, '2025-02-21', 'capture_stamp'],
      ['pendingAgencies02272026am.xlsx', 2, '2026-02-27', 'file_name'],
    ] as const;
    for (const [file, count, date, basis] of expected) {
      const workbook = await XlsxWorkbook.open(new URL(file, ICE_REAL).pathname);
      const [head, ...body] = await workbook.readAll(workbook.sheets[0]!.name);
      const choice = chooseSnapshotDate({ fileName: file, signedDates: signedDatesOf(head!.cells, body) });
      const result = normalize287gRows(head!.cells, body, { file, snapshotDate: choice.date });
      expect([file, result.agreements.length, result.rejects.length, choice.date, choice.basis]).toEqual([file, count, 0, date, basis]);
      expect(result.status).toBe(file.startsWith('pending') ? 'pending' : 'participating');
      if (file === 'participatingAgencies06272025am.xlsx') {
        expect(result.agreements.find((a) => a.source_row === 692)).toMatchObject({ agency: "Campbell County Sheriff's Office", signed_date: '2025-05-08' });
        expect(result.signed_from_text).toEqual([{ source_row: 692, raw: '05/082025', date: '2025-05-08' }]);
      }
    }
  });
});
