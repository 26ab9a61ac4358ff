/**
 * One synthetic person's planted story: who they are, and the detainers, encounters, arrests,
 * detention stints and removal that follow from one another. A story is a pure function of
 * (seed, person index, world), so every pass over the population replays it identically.
 */
import { Rng, Weighted, makeIdentifier } from './prng.ts';
import * as P from './parameters.ts';
import type { ChargeRef, IceFacility, Regime } from './fallback-reference.ts';

/** The kinds of people the generator draws (see ARCHETYPE_PEOPLE in parameters.ts). */
export type Archetype = 'jail' | 'at_large' | 'border' | 'encounter_only' | 'removal_only';
/** Archetypes in index order. */
export const ARCHETYPES: readonly Archetype[] = ['jail', 'at_large', 'border', 'encounter_only', 'removal_only'];

/** Planted outcome of one detainer (the classes of the answer key). */
export type PlantedOutcome =
  | 'transferred_to_ice'
  | 'declined'
  | 'lifted_by_ice'
  | 'released_other'
  | 'open_or_unknown';

/** A jail as the story needs it: resolved AOR name and 287(g) flag. */
export interface WorldJail {
  code: string;
  name: string;
  city: string;
  state: string;
  stateUpper: string;
  countyFips: string;
  aorName: string;
  is287g: boolean;
}

/** Everything shared by all stories of a release. Built once by the generator. */
export interface World {
  seed: number;
  startDay: number;
  cutoffDay: number;
  jails: readonly WorldJail[];
  jailPicker: Weighted<number>;
  /** Regime in force at a jail on a day. */
  regimeAt: (jailIndex: number, day: number) => Regime;
  charges: Weighted<ChargeRef>;
  iceFacilities: readonly (IceFacility & { aorName: string })[];
  /** People per archetype, in ARCHETYPES order. */
  counts: readonly number[];
}

/** A conviction (most serious), with its dates. */
export interface Conviction {
  charge: ChargeRef;
  chargeDay: number;
  convictionDay: number;
  /** Text written instead of a date in some cells ("00/00/2019"), or undefined. */
  badChargeDate?: string;
  badConvictionDate?: string;
  sentenceDays: number;
  sentenceMonths: number;
  sentenceYears: number;
}

/** Case-level facts as of the release, repeated on every row of the person. */
export interface CaseInfo {
  status: string;
  category: string;
  finalOrder: boolean;
  finalOrderDay?: number;
  departedDay?: number;
  departureCountry?: string;
  port?: string;
}

/** A detainer lodging (one or two rows when duplicated). */
export interface DetainerEvent {
  day: number;
  jail: number;
  regime: Regime;
  liftReason: string;
  outcome: PlantedOutcome;
  /** Narrative label for the answer key. */
  path: string;
  /** Number of rows written (2 when duplicated). */
  rows: number;
  idMissing: boolean[];
  detainerType: string;
  /** Set when the person was taken into ICE custody from this detainer. */
  handoffArrest?: ArrestEvent;
  releaseDay?: number;
}

/** An ICE administrative arrest row. */
export interface ArrestEvent {
  sec: number;
  method: string;
  stateUpper: string;
  aorName: string;
  landmark: string;
  program: string;
  idMissing: boolean;
  /** Status override for reprocessed rows. */
  statusOverride?: string;
}

/** An ERO encounter row. */
export interface EncounterEvent {
  day: number;
  eventType: string;
  aorName: string;
  site: string;
  landmark: string;
  program: string;
  idMissing: boolean;
}

/** A detention stint (one facility placement within a stay). */
export interface StintEvent {
  stayIn: number;
  bookIn: number;
  bookOut?: number;
  stayOut?: number;
  facility: IceFacility & { aorName: string };
  releaseReason: string;
  stayReleaseReason: string;
  program: string;
  idMissing: boolean;
  bond?: { setAmount: number; postedDay?: number; postedAmount?: number };
}

/** A removal row. */
export interface RemovalEvent {
  day: number;
  port: string;
  docketAor: string;
  apprehensionState: string;
  latestArrestDay?: number;
  latestProgram: string;
  idMissing: boolean;
}

/** A whole person. */
export interface Person {
  index: number;
  archetype: Archetype;
  id: string;
  gender: string;
  birthYear: number;
  citizenship: string;
  birthCountry: string;
  entryStatus: string;
  entryDay: number;
  criminality: string;
  conviction?: Conviction;
  felon: string;
  threatLevel: string;
  religion: string;
  marital: string;
  ethnicity: string;
  finalCharge: string;
  caseInfo?: CaseInfo;
  detainers: DetainerEvent[];
  arrests: ArrestEvent[];
  encounters: EncounterEvent[];
  stints: StintEvent[];
  removal?: RemovalEvent;
  laterArrest?: { day: number; method: string; daysAfterDetainer: number };
}

const GENDER = new Weighted<string>([
  ['Male', 0.88],
  ['Female', 0.117],
  ['Unknown', 0.003],
]);
const CITIZENSHIP = new Weighted<string>(P.CITIZENSHIP.value);
const ENTRY_STATUS = new Weighted<string>([
  ['Entered Without Inspection', 0.62],
  ['Present Without Admission', 0.12],
  ['Visitor for Pleasure', 0.07],
  ['Lawful Permanent Resident', 0.05],
  ['Parolee', 0.06],
  ['Unknown', 0.08],
]);
const FELON = new Weighted<string>([
  ['Not an Aggravated Felon', 0.84],
  ['Other', 0.08],
  ['Drugs', 0.05],
  ['Both (drug and other agg felon convictions)', 0.03],
]);
const CRIM = {
  jail: new Weighted<string>(P.DETAINER_CRIMINALITY.value),
  at_large: new Weighted<string>(P.AT_LARGE_CRIMINALITY.value),
  border: new Weighted<string>(P.BORDER_CRIMINALITY.value),
};
const LIFT = {
  cooperative: new Weighted<string>(P.LIFT_REASON_WEIGHTS.value.cooperative),
  mixed: new Weighted<string>(P.LIFT_REASON_WEIGHTS.value.mixed),
  restrictive: new Weighted<string>(P.LIFT_REASON_WEIGHTS.value.restrictive),
};
const AT_LARGE_METHOD = new Weighted<string>([
  ['Non-Custodial Arrest', 0.33],
  ['Located', 0.24],
  ['Custodial Arrest', 0.1],
  ['CAP State Incarceration', 0.1],
  ['CAP Federal Incarceration', 0.05],
  ['Probation and Parole', 0.04],
  ['Law Enforcement Agency Response Unit', 0.05],
  ['Criminal Alien Program', 0.03],
  ['Worksite Enforcement', 0.01],
  ['Other efforts', 0.03],
  ['Inspections', 0.02],
]);
const ENCOUNTER_ONLY_TYPE = new Weighted<string>([
  ['CAP Local Incarceration', 0.3],
  ['CAP State Incarceration', 0.12],
  ['CAP Federal Incarceration', 0.08],
  ['287(g) Program', 0.1],
  ['Located', 0.15],
  ['Law Enforcement Agency Response Unit', 0.1],
  ['Probation and Parole', 0.05],
  ['Other efforts', 0.1],
]);
const FINAL_RELEASE = new Weighted<string>([
  ['Bonded Out', 0.3],
  ['Released (Order of Recognizance)', 0.22],
  ['Released (Order of Supervision)', 0.18],
  ['Paroled', 0.14],
  ['Proceedings Terminated', 0.06],
  ['Relief Granted', 0.04],
  ['Voluntary Departure', 0.06],
]);
const ACTIVE_STATUS = new Weighted<string>([
  ['ACTIVE', 0.86],
  ['A-Proceedings Terminated', 0.03],
  ['B-Relief Granted', 0.02],
  ['E-Charging Document Canceled by ICE', 0.03],
  ['3-Voluntary Departure Confirmed', 0.03],
  ['0-Withdrawal Permitted - I-275 Issued', 0.01],
  ['7-Died', 0.002],
  ['L-Legalization - Permanent Residence Granted', 0.008],
]);
const ACTIVE_CATEGORY = new Weighted<string>([
  ['[3] Deportable - Under Adjudication by IJ', 0.4],
  ['[8F] Expedited Removal (Credible Fear Referral)', 0.12],
  ['[16] Reinstated Final Order', 0.15],
  ['[1] Inadmissible - Under Adjudication by IJ', 0.18],
  ['[9] Deportable - Administratively Final Order', 0.15],
]);
const FINAL_CHARGE = new Weighted<string>([
  ['212a6Ai - Present Without Admission or Parole', 0.55],
  ['237a1B - Remained Longer than Permitted', 0.1],
  ['212a7Ai1 - No Valid Immigrant Visa', 0.15],
  ['237a2Aiii - Aggravated Felony', 0.05],
  ['241a5 - Reinstatement of Prior Order', 0.15],
]);

const SECONDS_PER_DAY = 86_400;

/** Total number of people in the world. */
export function totalPeople(world: World): number {
  return world.counts.reduce((a, b) => a + b, 0);
}

/** The archetype of a person index. */
export function archetypeOf(world: World, index: number): Archetype {
  let rest = index;
  for (let i = 0; i < ARCHETYPES.length; i++) {
    const n = world.counts[i] as number;
    if (rest < n) return ARCHETYPES[i] as Archetype;
    rest -= n;
  }
  throw new RangeError(`person index ${index} out of range`);
}

/** Draws a day in [lo, hi] with a piecewise-constant intensity. */
function drawDay(
  rng: Rng,
  lo: number,
  hi: number,
  steps: readonly { from: number; weight: number }[],
): number {
  if (hi <= lo) return lo;
  const segs: { a: number; b: number; w: number }[] = [];
  let total = 0;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const a = Math.max(lo, step.from);
    const b = Math.min(hi + 1, i + 1 < steps.length ? steps[i + 1]!.from : hi + 1);
    if (b > a) {
      segs.push({ a, b, w: (b - a) * step.weight });
      total += (b - a) * step.weight;
    }
  }
  let x = rng.next() * total;
  for (const seg of segs) {
    if (x < seg.w) return seg.a + Math.min(seg.b - seg.a - 1, Math.floor((x / seg.w) * (seg.b - seg.a)));
    x -= seg.w;
  }
  return hi;
}

/** Precomputed intensity steps as day numbers. */
export interface Intensities {
  interior: { from: number; weight: number }[];
  border: { from: number; weight: number }[];
}

function daySeconds(rng: Rng, fromHour: number, toHour: number): number {
  return (fromHour + rng.int(toHour - fromHour)) * 3600 + rng.int(60) * 60 + rng.int(60);
}

function regimeGroup(regime: Regime): 'cooperative' | 'mixed' | 'restrictive' {
  if (regime === 'hold_required' || regime === 'no_local_limits' || regime === 'holds_allowed') return 'cooperative';
  if (regime === 'no_holds' || regime === 'judicial_warrant_only' || regime === 'holds_conditional') return 'restrictive';
  return 'mixed';
}

/** Maps a lift reason to its outcome class. */
export function outcomeOfLiftReason(reason: string): PlantedOutcome {
  switch (reason) {
    case 'Booked into Detention':
      return 'transferred_to_ice';
    case 'Detainer Declined by LEA':
      return 'declined';
    case 'Lifted':
    case 'Prosecutorial Discretion':
    case 'Lifted - Lack of Funds':
    case 'Lifted - Lack of Space':
    case 'Case Closed':
    case 'Not Amenable to Removal':
    case 'Noncitizen Not Amenable to Removal':
    case 'Alien Not Subject to Deportation':
    case 'USC or Presumptive Claim to US Citizenship':
    case 'United States Citizen Interviewed':
      return 'lifted_by_ice';
    case '':
      return 'open_or_unknown';
    default:
      return 'released_other';
  }
}

/** Builds the story of person `index`. Pure: same inputs, same story. */
export function buildPerson(world: World, intens: Intensities, index: number): Person {
  const archetype = archetypeOf(world, index);
  const rng = new Rng(world.seed, 0x5707, index);
  const idRng = new Rng(world.seed, 0x1d1d, index);
  const missId = (family: keyof typeof P.MISSING_ID_SHARE): boolean =>
    idRng.chance(P.MISSING_ID_SHARE[family].value);

  const citizenship = CITIZENSHIP.draw(rng);
  const crimTable = archetype === 'jail' ? CRIM.jail : archetype === 'at_large' ? CRIM.at_large : CRIM.border;
  const criminality = crimTable.draw(rng);
  const birthYear = 2024 - (18 + Math.min(50, Math.floor(rng.logNormal(14, 0.45))));
  const person: Person = {
    index,
    archetype,
    id: makeIdentifier(world.seed, index),
    gender: GENDER.draw(rng),
    birthYear,
    citizenship,
    birthCountry: rng.chance(0.97) ? citizenship : CITIZENSHIP.draw(rng),
    entryStatus: ENTRY_STATUS.draw(rng),
    entryDay: world.startDay - rng.between(30, 365 * 20),
    criminality,
    felon: FELON.draw(rng),
    threatLevel: criminality === '1 Convicted Criminal' ? String(rng.between(1, 3)) : 'NA',
    religion: rng.pick(['Catholic', 'Christian', 'None', 'Evangelical', 'Muslim', 'Other']),
    marital: rng.pick(['Single', 'Single', 'Married', 'Married', 'Divorced', 'Separated', 'Unknown']),
    ethnicity: rng.pick(['Hispanic', 'Hispanic', 'Hispanic', 'Not Hispanic', 'Unknown']),
    finalCharge: FINAL_CHARGE.draw(rng),
    detainers: [],
    arrests: [],
    encounters: [],
    stints: [],
  };
  if (criminality === '1 Convicted Criminal') {
    const convictionDay = world.startDay + rng.between(-365 * 12, 900);
    const conviction: Conviction = {
      charge: world.charges.draw(rng),
      chargeDay: convictionDay - rng.between(20, 400),
      convictionDay,
      sentenceDays: rng.chance(0.6) ? rng.between(1, 364) : 0,
      sentenceMonths: rng.chance(0.25) ? rng.between(1, 11) : 0,
      sentenceYears: rng.chance(0.12) ? rng.between(1, 8) : 0,
    };
    if (rng.chance(P.UNPARSEABLE_MSC_DATE_SHARE.value)) {
      conviction.badChargeDate = `00/00/${2005 + rng.int(18)}`;
    }
    if (rng.chance(P.UNPARSEABLE_MSC_DATE_SHARE.value)) {
      conviction.badConvictionDate = `00/00/${2005 + rng.int(18)}`;
    }
    person.conviction = conviction;
  }

  let removedDay: number | undefined;
  let lastArrestDay: number | undefined;
  let lastProgram = 'Criminal Alien Program';
  const cutoff = world.cutoffDay;

  /** Runs an ICE detention stay from a book-in, adding its stints (and the removal day, if any). */
  const runStay = (bookInSec: number, kind: 'interior' | 'border', aorName: string, program: string): void => {
    const p = P.STINTS_PER_STAY_P.value[kind];
    const n = 1 + Math.min(5, rng.geometric(p));
    const spec = P.STAY_DAYS.value[kind];
    const totalDays = Math.max(1, Math.round(rng.logNormal(spec.median, spec.sigma)));
    const stayOutSec = bookInSec + totalDays * SECONDS_PER_DAY + rng.int(6 * 3600);
    const ongoing = stayOutSec >= (cutoff + 1) * SECONDS_PER_DAY;
    const removed = !ongoing && rng.chance(P.REMOVED_SHARE.value[kind]);
    const finalReason = ongoing ? '' : removed ? 'Removed' : FINAL_RELEASE.draw(rng);
    // A stay still open at the cut-off has its transfers before the cut-off: a release holds nothing later.
    const horizon = ongoing ? (cutoff + 1) * SECONDS_PER_DAY - 1 : stayOutSec;
    const cuts: number[] = [];
    for (let i = 1; i < n; i++) cuts.push(bookInSec + Math.floor(rng.next() * Math.max(0, horizon - bookInSec)));
    cuts.sort((a, b) => a - b);
    const local = world.iceFacilities.filter((f) => f.aorName === aorName);
    let start = bookInSec;
    let bond: StintEvent['bond'];
    if (!removed && (finalReason === 'Bonded Out' || rng.chance(0.05))) {
      const setAmount = 1500 + 500 * rng.int(30);
      bond = { setAmount };
      if (finalReason === 'Bonded Out') {
        bond.postedDay = Math.floor(stayOutSec / SECONDS_PER_DAY) - rng.int(2);
        bond.postedAmount = setAmount;
      }
    }
    for (let i = 0; i < n; i++) {
      const end = i + 1 < n ? (cuts[i] as number) : stayOutSec;
      const last = i === n - 1;
      const facility =
        i === 0 && local.length > 0 ? rng.pick(local) : rng.pick(world.iceFacilities);
      const stint: StintEvent = {
        stayIn: bookInSec,
        bookIn: start,
        facility,
        releaseReason: last ? finalReason : 'Transferred',
        stayReleaseReason: finalReason,
        program,
        idMissing: missId('detention_stints'),
      };
      if (!(last && ongoing)) stint.bookOut = end;
      if (!ongoing) stint.stayOut = stayOutSec;
      if (bond) stint.bond = bond;
      person.stints.push(stint);
      start = end;
    }
    if (removed) {
      removedDay = Math.floor(stayOutSec / SECONDS_PER_DAY);
      lastProgram = program;
    }
  };

  const addArrest = (day: number, method: string, jailLike: { stateUpper: string; aorName: string; landmark: string }, program: string): ArrestEvent => {
    const sec = day * SECONDS_PER_DAY + daySeconds(rng, 5, 21);
    const arrest: ArrestEvent = {
      sec,
      method,
      stateUpper: jailLike.stateUpper,
      aorName: jailLike.aorName,
      landmark: jailLike.landmark,
      program,
      idMissing: missId('arrests'),
    };
    person.arrests.push(arrest);
    lastArrestDay = day;
    lastProgram = program;
    if (rng.chance(P.REPROCESSED_ARREST_SHARE.value)) {
      const re: ArrestEvent = {
        ...arrest,
        sec: Math.min(sec + rng.between(600, 23 * 3600), (cutoff + 1) * SECONDS_PER_DAY - 1),
        method: 'ERO Reprocessed Arrest',
        idMissing: arrest.idMissing,
      };
      if (rng.chance(P.REPROCESSED_CANCELED_SHARE.value)) re.statusOverride = 'E-Charging Document Canceled by ICE';
      person.arrests.push(re);
    }
    return arrest;
  };

  const addEncounter = (day: number, eventType: string, aorName: string, landmark: string, program: string): void => {
    person.encounters.push({
      day,
      eventType,
      aorName,
      site: `${aorName.replace(/ Area of Responsibility$/, '')} Docket Control Office`,
      landmark,
      program,
      idMissing: missId('encounters'),
    });
  };

  const communityArrest = (fromDay: number, jail: WorldJail, fromDetainerDay: number): void => {
    const spec = P.LATER_ARREST_DAYS.value;
    const gap = Math.max(spec.min, Math.round(rng.logNormal(spec.median, spec.sigma)));
    const day = fromDay + gap;
    if (day > cutoff) return;
    const method = rng.chance(0.55) ? 'Non-Custodial Arrest' : 'Located';
    const place = { stateUpper: jail.stateUpper, aorName: jail.aorName, landmark: `${jail.city}, ${jail.state} GENERAL AREA` };
    addEncounter(Math.max(fromDay, day - rng.between(0, 3)), method, jail.aorName, place.landmark, 'Fugitive Operations');
    const arrest = addArrest(day, method, place, 'Fugitive Operations');
    if (!person.laterArrest) person.laterArrest = { day, method, daysAfterDetainer: day - fromDetainerDay };
    if (rng.chance(P.LATER_ARREST_DETAINED_SHARE.value)) {
      const bookIn = arrest.sec + rng.int(2 * 3600) + 1800;
      if (bookIn < (cutoff + 1) * SECONDS_PER_DAY) runStay(bookIn, 'interior', jail.aorName, 'Fugitive Operations');
    }
  };

  if (archetype === 'jail') {
    let nextEarliest = world.startDay;
    const wanted = rng.chance(P.SECOND_DETAINER_SHARE.value) ? 2 : 1;
    for (let k = 0; k < wanted; k++) {
      if (k > 0 && (removedDay !== undefined || person.stints.length > 0 || person.laterArrest)) break;
      const day = k === 0 ? drawDay(rng, world.startDay, cutoff, intens.interior) : nextEarliest + rng.between(30, 400);
      if (day > cutoff) break;
      const jailIndex = world.jailPicker.draw(rng);
      const jail = world.jails[jailIndex]!;
      const regime = world.regimeAt(jailIndex, day);
      const group = regimeGroup(regime);
      const jailDays = rng.chance(P.JAIL_DAYS.value.quickShare)
        ? rng.int(P.JAIL_DAYS.value.quickMax + 1)
        : Math.max(3, Math.round(rng.logNormal(P.JAIL_DAYS.value.median, P.JAIL_DAYS.value.sigma)));
      const releaseDay = day + jailDays;
      const duplicate = rng.chance(P.DUPLICATE_DETAINER_SHARE.value);
      const rows = duplicate ? 2 : 1;
      const ev: DetainerEvent = {
        day,
        jail: jailIndex,
        regime,
        liftReason: '',
        outcome: 'open_or_unknown',
        path: 'in_jail_at_cutoff',
        rows,
        idMissing: Array.from({ length: rows }, () => missId('detainers')),
        detainerType: rng.chance(0.93)
          ? 'I-247A - Immigration Detainer - Notice of Action'
          : rng.chance(0.7)
            ? 'I-247N - Request for Voluntary Notification of Release'
            : 'I-247G - Request for Voluntary Transfer',
      };
      person.detainers.push(ev);
      const program = jail.is287g ? '287(g) Program' : 'Criminal Alien Program';
      addEncounter(day, jail.is287g ? '287(g) Program' : 'CAP Local Incarceration', jail.aorName, jail.name, program);
      nextEarliest = releaseDay;
      if (releaseDay > cutoff) continue;
      ev.releaseDay = releaseDay;
      const reason = LIFT[group].draw(rng);
      ev.liftReason = reason;
      let handedOver = reason === 'Booked into Detention';
      if (reason === '') {
        handedOver = rng.chance(P.BLANK_BUT_HANDED_OVER.value[group]);
        ev.path = handedOver ? 'handed_over_lift_reason_blank' : 'released_without_lift_reason';
        ev.outcome = handedOver ? 'transferred_to_ice' : 'open_or_unknown';
      } else {
        ev.outcome = outcomeOfLiftReason(reason);
        ev.path = handedOver ? 'handed_over' : `lift_reason:${reason}`;
      }
      if (handedOver) {
        const method = jail.is287g ? '287(g) Program' : 'CAP Local Incarceration';
        const arrest = addArrest(releaseDay, method, { stateUpper: jail.stateUpper, aorName: jail.aorName, landmark: jail.name }, program);
        ev.handoffArrest = arrest;
        const lagDays = rng.int(P.BOOK_IN_LAG_MAX_DAYS.value + 1);
        const bookIn = Math.min(arrest.sec + lagDays * SECONDS_PER_DAY + rng.int(4 * 3600), (cutoff + 1) * SECONDS_PER_DAY - 60);
        runStay(Math.max(bookIn, arrest.sec + 60), 'interior', jail.aorName, program);
        continue;
      }
      let share = 0;
      if (ev.outcome === 'declined') share = P.LATER_ARREST_SHARE.value.declined;
      else if (ev.outcome === 'open_or_unknown') share = P.LATER_ARREST_SHARE.value.released_blank;
      else if (ev.outcome === 'lifted_by_ice') share = P.LATER_ARREST_SHARE.value.lifted_by_ice;
      else if (reason !== 'Transferred' && reason !== 'Died') share = P.LATER_ARREST_SHARE.value.released_other;
      if (rng.chance(share)) communityArrest(releaseDay, jail, day);
    }
  } else if (archetype === 'at_large') {
    const day = drawDay(rng, world.startDay, cutoff, intens.interior);
    const jail = world.jails[world.jailPicker.draw(rng)]!;
    const method = AT_LARGE_METHOD.draw(rng);
    const program = method.startsWith('CAP') ? 'Criminal Alien Program' : 'Fugitive Operations';
    const landmark = `${jail.city}, ${jail.state} GENERAL AREA`;
    addEncounter(Math.max(world.startDay, day - rng.between(0, 10)), method, jail.aorName, landmark, program);
    const arrest = addArrest(day, method, { stateUpper: jail.stateUpper, aorName: jail.aorName, landmark }, program);
    if (rng.chance(0.8)) {
      const bookIn = arrest.sec + 1800 + rng.int(2 * SECONDS_PER_DAY);
      if (bookIn < (cutoff + 1) * SECONDS_PER_DAY) runStay(bookIn, 'interior', jail.aorName, program);
    }
  } else if (archetype === 'border') {
    const day = drawDay(rng, world.startDay, cutoff, intens.border);
    const fac = rng.pick(world.iceFacilities);
    runStay(day * SECONDS_PER_DAY + daySeconds(rng, 0, 24), 'border', fac.aorName, 'Border Patrol');
  } else if (archetype === 'encounter_only') {
    const n = 1 + Math.min(3, rng.geometric(0.75));
    const jail = world.jails[world.jailPicker.draw(rng)]!;
    for (let i = 0; i < n; i++) {
      const day = drawDay(rng, world.startDay, cutoff, intens.interior);
      const type = ENCOUNTER_ONLY_TYPE.draw(rng);
      addEncounter(day, type, jail.aorName, type.startsWith('CAP') || type.startsWith('287') ? jail.name : `${jail.city}, ${jail.state} GENERAL AREA`, type.startsWith('287') ? '287(g) Program' : 'Criminal Alien Program');
    }
    person.encounters.sort((a, b) => a.day - b.day);
  } else {
    removedDay = drawDay(rng, world.startDay, cutoff, intens.border);
    lastProgram = rng.chance(0.7) ? 'Border Patrol' : 'Criminal Alien Program';
  }

  // Case-level facts as of the release.
  const hasCase = person.arrests.length > 0 || person.stints.length > 0 || removedDay !== undefined;
  if (hasCase) {
    if (removedDay !== undefined) {
      const inadmissible = archetype === 'border' || archetype === 'removal_only' ? rng.chance(0.85) : rng.chance(0.25);
      const ports = citizenship === 'MEXICO' ? P.PORTS.value.MEXICO : P.PORTS.value.other;
      const port = rng.pick(ports);
      person.caseInfo = {
        status: inadmissible ? '8-Excluded/Removed - Inadmissibility' : '6-Deported/Removed - Deportability',
        category: inadmissible
          ? '[8C] Excludable / Inadmissible - Administrative Final Order Issued'
          : rng.chance(0.5)
            ? '[16] Reinstated Final Order'
            : '[9] Deportable - Administratively Final Order',
        finalOrder: true,
        finalOrderDay: removedDay - rng.between(1, 60),
        departedDay: removedDay,
        departureCountry: citizenship,
        port,
      };
      const fac = person.stints[person.stints.length - 1]?.facility;
      const firstArrest = person.arrests[0];
      person.removal = {
        day: removedDay,
        port,
        docketAor: fac?.aorName ?? rng.pick(world.iceFacilities).aorName,
        apprehensionState: firstArrest ? firstArrest.stateUpper : '',
        latestProgram: lastProgram,
        idMissing: missId('removals'),
      };
      if (lastArrestDay !== undefined) person.removal.latestArrestDay = lastArrestDay;
      else if (person.stints[0]) person.removal.latestArrestDay = Math.floor(person.stints[0].stayIn / SECONDS_PER_DAY) - rng.int(3);
    } else {
      const status = ACTIVE_STATUS.draw(rng);
      const finalOrder = rng.chance(0.3);
      person.caseInfo = { status, category: ACTIVE_CATEGORY.draw(rng), finalOrder };
      if (finalOrder) person.caseInfo.finalOrderDay = world.startDay + rng.int(cutoff - world.startDay);
    }
  }
  return person;
}
