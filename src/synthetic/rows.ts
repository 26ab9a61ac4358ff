/**
 * Turns a person's story into spreadsheet rows in the July 2025 column order of each family, applying
 * the redaction marker and the field-level missing shares that the story itself does not decide.
 */
import { Rng } from './prng.ts';
import { isoDay, isoSecond } from './dates.ts';
import { HEADERS, REDACTION_MARKER, type SyntheticFamily } from './layouts.ts';
import { RANDOM_MISSING } from './parameters.ts';
import type { Person, World } from './story.ts';

/** A cell as handed to the xlsx writer. */
export type Cell = string | number | null | undefined | { date: string };

const FAMILY_CODE: Record<SyntheticFamily, number> = {
  detainers: 11,
  arrests: 12,
  encounters: 13,
  detention_stints: 14,
  removals: 15,
};

const date = (day: number | undefined): Cell => (day === undefined ? null : { date: isoDay(day) });
const dateTime = (sec: number | undefined): Cell => (sec === undefined ? null : { date: isoSecond(sec) });
const R = REDACTION_MARKER;

/** Missing-share vector per family, aligned with the header order (0 where the story decides). */
const MISSING_VECTORS: Record<SyntheticFamily, Float64Array> = Object.fromEntries(
  (Object.keys(HEADERS) as SyntheticFamily[]).map((family) => {
    const shares = RANDOM_MISSING[family] ?? {};
    return [family, Float64Array.from(HEADERS[family], (h) => shares[h] ?? 0)];
  }),
) as Record<SyntheticFamily, Float64Array>;

function applyMissing(row: Cell[], family: SyntheticFamily, rng: Rng): Cell[] {
  const shares = MISSING_VECTORS[family];
  for (let i = 0; i < row.length; i++) {
    const p = shares[i] as number;
    if (p > 0 && (p >= 1 || rng.next() < p)) row[i] = null;
  }
  return row;
}

const yn = (rng: Rng, pYes: number): string => (rng.next() < pYes ? 'YES' : 'NO');

function mscDate(day: number | undefined, bad: string | undefined): Cell {
  if (bad !== undefined) return bad;
  return date(day);
}

/** Rows of one family for one person, in the family's header order. */
export function* rowsOf(family: SyntheticFamily, person: Person, world: World): Generator<Cell[]> {
  const rng = new Rng(world.seed, FAMILY_CODE[family], person.index);
  const c = person.caseInfo;
  const hasCase = c !== undefined;
  const caseId = hasCase ? R : null;
  switch (family) {
    case 'detainers': {
      for (const ev of person.detainers) {
        const jail = world.jails[ev.jail]!;
        const arrest = ev.handoffArrest;
        const conv = person.conviction;
        for (let r = 0; r < ev.rows; r++) {
          const missingId = ev.idMissing[r] === true;
          const finalOrder = hasCase ? (c.finalOrder ? 'YES' : 'NO') : null;
          const row: Cell[] = [
            date(ev.day),
            jail.stateUpper,
            jail.aorName,
            c?.port ?? null,
            c?.departureCountry ?? null,
            date(c?.departedDay),
            c?.status ?? null,
            person.criminality,
            jail.name,
            jail.code,
            jail.city,
            person.threatLevel,
            person.gender,
            person.citizenship,
            person.birthCountry,
            R,
            person.birthYear,
            person.entryStatus,
            conv?.charge.text ?? null,
            conv ? conv.sentenceDays : 0,
            conv ? conv.sentenceMonths : 0,
            conv ? conv.sentenceYears : 0,
            conv?.charge.code ?? null,
            conv ? mscDate(conv.chargeDay, conv.badChargeDate) : null,
            conv ? mscDate(conv.convictionDay, conv.badConvictionDate) : null,
            person.felon,
            hasCase ? 'Notice to Appear Issued' : 'Detainer Lodged',
            c?.category ?? null,
            arrest?.program ?? (jail.is287g ? '287(g) Program' : 'Criminal Alien Program'),
            arrest ? c?.category ?? null : null,
            arrest?.program ?? null,
            arrest?.method ?? null,
            finalOrder,
            c?.finalOrder ? date(c.finalOrderDay) : null,
            dateTime(arrest?.sec),
            date(person.entryDay),
            yn(rng, 0.1),
            yn(rng, 0.1),
            yn(rng, 0.08),
            null,
            yn(rng, 0.3),
            null,
            yn(rng, 0.05),
            null,
            null,
            yn(rng, 0.04),
            yn(rng, 0.1),
            yn(rng, 0.2),
            yn(rng, 0.3),
            null,
            yn(rng, 0.9),
            yn(rng, 0.6),
            null,
            null,
            null,
            finalOrder,
            null,
            'NO',
            ev.liftReason === '' ? null : ev.liftReason,
            ev.detainerType,
            missingId ? null : R,
            caseId,
            R,
            R,
            missingId ? null : person.id,
          ];
          yield applyMissing(row, family, rng);
        }
      }
      return;
    }
    case 'arrests': {
      for (const a of person.arrests) {
        const row: Cell[] = [
          dateTime(a.sec),
          a.stateUpper,
          null,
          a.aorName,
          a.program,
          'ICE',
          a.method,
          person.criminality,
          a.statusOverride ?? c?.status ?? null,
          c?.category ?? null,
          date(c?.departedDay),
          c?.departureCountry ?? null,
          c ? (c.finalOrder ? 'YES' : 'NO') : null,
          c?.finalOrder ? date(c.finalOrderDay) : null,
          R,
          person.birthYear,
          person.citizenship,
          person.gender,
          a.landmark,
          a.idMissing ? null : R,
          caseId,
          R,
          a.idMissing ? null : person.id,
        ];
        yield applyMissing(row, family, rng);
      }
      return;
    }
    case 'encounters': {
      for (const e of person.encounters) {
        // Case facts show only once the person has a case (an arrest or later).
        const row: Cell[] = [
          date(e.day),
          e.aorName,
          e.site,
          e.eventType.startsWith('CAP') || e.eventType.startsWith('287') ? 'Jail Screening' : 'Lead',
          rng.next() < 0.5 ? 'Law Enforcement Referral' : 'Database Hit',
          e.eventType,
          e.program,
          'ICE',
          person.criminality,
          hasCase ? 'Notice to Appear Issued' : rng.next() < 0.5 ? 'Detainer Lodged' : 'No Action Taken',
          c?.status ?? null,
          c?.category ?? null,
          date(c?.departedDay),
          c?.departureCountry ?? null,
          c ? (c.finalOrder ? 'YES' : 'NO') : null,
          c?.finalOrder ? date(c.finalOrderDay) : null,
          R,
          person.birthYear,
          person.citizenship,
          person.gender,
          e.landmark,
          e.idMissing ? null : R,
          caseId,
          R,
          e.idMissing ? null : person.id,
        ];
        yield applyMissing(row, family, rng);
      }
      return;
    }
    case 'detention_stints': {
      for (const s of person.stints) {
        const conv = person.conviction;
        const row: Cell[] = [
          dateTime(s.stayIn),
          dateTime(s.bookIn),
          s.facility.name,
          s.facility.code,
          dateTime(s.bookOut),
          dateTime(s.stayOut),
          s.bookOut === undefined ? null : s.releaseReason,
          s.stayOut === undefined ? null : date(Math.floor(s.stayOut / 86_400)),
          s.stayOut === undefined ? null : s.stayReleaseReason,
          person.religion,
          person.gender,
          person.marital,
          R,
          person.birthYear,
          person.ethnicity,
          person.entryStatus,
          conv ? person.felon : null,
          date(s.bond?.postedDay),
          s.bond?.postedAmount ?? null,
          c?.status ?? null,
          c?.category ?? null,
          c ? (c.finalOrder ? 'YES' : 'NO') : null,
          c?.finalOrder ? date(c.finalOrderDay) : null,
          conv ? person.threatLevel : null,
          person.criminality,
          person.finalCharge,
          date(c?.departedDay),
          c?.departureCountry ?? null,
          s.bond?.setAmount ?? null,
          person.citizenship,
          s.program,
          conv?.charge.code ?? null,
          conv?.charge.text ?? null,
          s.idMissing ? null : R,
          caseId,
          R,
          s.idMissing ? null : person.id,
        ];
        yield applyMissing(row, family, rng);
      }
      return;
    }
    case 'removals': {
      const rm = person.removal;
      if (!rm || !c) return;
      const conv = person.conviction;
      const row: Cell[] = [
        date(rm.day),
        rm.port,
        c.departureCountry ?? person.citizenship,
        rm.docketAor,
        rm.apprehensionState === '' ? null : rm.apprehensionState,
        null,
        c.status,
        person.gender,
        person.birthCountry,
        person.citizenship,
        R,
        person.birthYear,
        date(person.entryDay),
        person.entryStatus,
        conv?.charge.text ?? null,
        conv?.charge.code ?? null,
        conv ? mscDate(conv.chargeDay, conv.badChargeDate) : null,
        conv ? 'Convicted' : null,
        conv ? 'C' : null,
        conv ? mscDate(conv.convictionDay, conv.badConvictionDate) : null,
        conv ? person.threatLevel : null,
        person.criminality,
        conv ? person.felon : null,
        c.status.startsWith('8') ? 'Expedited Removal' : 'Reinstatement',
        c.category,
        rm.latestProgram,
        rm.latestProgram === 'Border Patrol' ? 'BP' : rm.latestProgram === '287(g) Program' ? '287' : 'CAP',
        c.category,
        rm.latestArrestDay === undefined ? null : rm.latestProgram,
        rm.latestArrestDay === undefined ? null : rm.latestProgram === 'Border Patrol' ? 'BP' : 'CAP',
        date(rm.latestArrestDay),
        'YES',
        date(c.finalOrderDay),
        person.finalCharge.slice(0, person.finalCharge.indexOf(' ')),
        person.finalCharge.slice(0, 3),
        rng.next() < 0.2 ? 'YES' : 'NO',
        date(rm.day),
        rm.idMissing ? null : R,
        R,
        R,
        rm.idMissing ? null : person.id,
      ];
      yield applyMissing(row, family, rng);
      return;
    }
  }
}

/** The archetypes that can produce rows of a family (so a pass can skip the others). */
export const ARCHETYPES_OF: Record<SyntheticFamily, readonly string[]> = {
  detainers: ['jail'],
  arrests: ['jail', 'at_large'],
  encounters: ['jail', 'at_large', 'encounter_only'],
  detention_stints: ['jail', 'at_large', 'border'],
  removals: ['jail', 'at_large', 'border', 'removal_only'],
};
