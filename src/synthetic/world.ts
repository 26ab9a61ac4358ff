/**
 * Builds the shared "world" of a synthetic release: the jails (real HIFLD county jails from
 * src/link/facilities), the regime in force at each (src/policy), the charges (src/offense) and the
 * ICE detention facilities. Each real module is tried first; when it fails to load, the small tables
 * in fallback-reference.ts stand in and the manifest says so.
 */
import { HandoffError } from '../core/errors.ts';
import { aorByName, aorForCounty, stateByPostal } from '../geo/index.ts';
import { listJails, loadFacilityIndex } from '../link/facilities/index.ts';
import { listChargeTexts, loadOffenseReference } from '../offense/index.ts';
import { loadPolicies, policyAt } from '../policy/index.ts';
import { dayOf, isoDay } from './dates.ts';
import {
  FALLBACK_CHARGES,
  FALLBACK_JAILS,
  FALLBACK_REGIMES,
  ICE_FACILITIES,
  fallbackRegimeAt,
  type ChargeRef,
  type Regime,
} from './fallback-reference.ts';
import { ARCHETYPE_PEOPLE, RELEASE_CUTOFF, RELEASE_START, STATE_WEIGHTS } from './parameters.ts';
import { Rng, Weighted } from './prng.ts';
import { ARCHETYPES, type World, type WorldJail } from './story.ts';

/** Which source each reference table came from. */
export interface ReferenceSources {
  jails: string;
  policies: string;
  offenses: string;
  ice_facilities: string;
}

/** States where a share of jails take part in 287(g) (jail enforcement model), and that share. */
const SHARE_287G: Readonly<Record<string, number>> = { TX: 0.5, FL: 0.6, GA: 0.4, NC: 0.35, AZ: 0.2, TN: 0.2, SC: 0.2, AL: 0.2, OK: 0.2 };

function aorName(countyFips: string | undefined, fallbackCode: string | undefined): string {
  const byCounty = countyFips ? aorForCounty(countyFips) : undefined;
  if (byCounty) return byCounty.iceName;
  const byCode = fallbackCode ? aorByName(fallbackCode) : undefined;
  return byCode ? byCode.iceName : 'Unknown Area of Responsibility';
}

/** A facility code in ICE's detloc style: five letters of the name and the state (e.g. "SUFFOMA"). */
function detlocFor(name: string, state: string, taken: Set<string>): string {
  const letters = name.replace(/^(THE )/, '').replace(/[^A-Z]/g, '').slice(0, 5).padEnd(5, 'X');
  let code = `${letters}${state}`;
  for (let i = 2; taken.has(code); i++) code = `${letters.slice(0, 4)}${i}${state}`;
  taken.add(code);
  return code;
}

/** Options for {@link buildWorld}. */
export interface WorldOptions {
  seed: number;
  scale: number;
  states?: string[];
}

/** Loads references and builds the world. Never reads the clock. */
export async function buildWorld(o: WorldOptions): Promise<{ world: World; sources: ReferenceSources }> {
  const rng = new Rng(o.seed, 0x3031d);
  const sources: ReferenceSources = {
    jails: 'src/link/facilities listJails (HIFLD Prison Boundaries)',
    policies: 'src/policy loadPolicies/policyAt (reference/policies)',
    offenses: 'src/offense listChargeTexts (reference/offenses)',
    ice_facilities: 'src/synthetic/fallback-reference.ts ICE_FACILITIES (UWCHR ICE facility list)',
  };
  const requested = o.states?.map((s) => s.trim().toUpperCase());
  if (requested) {
    for (const s of requested) {
      if (!stateByPostal(s)) throw new HandoffError('bad_argument', `unknown state "${s}" in options.states`);
    }
  }

  // Jails.
  const jails: WorldJail[] = [];
  const jailWeights: [number, number][] = [];
  const taken = new Set<string>();
  const addJail = (j: Omit<WorldJail, 'stateUpper' | 'is287g' | 'aorName'> & { aorCode?: string }, weight: number): void => {
    const st = stateByPostal(j.state);
    if (!st) return;
    jails.push({
      code: j.code,
      name: j.name,
      city: j.city,
      state: j.state,
      countyFips: j.countyFips,
      stateUpper: st.name_upper,
      aorName: aorName(j.countyFips, j.aorCode),
      is287g: rng.chance(SHARE_287G[j.state] ?? 0.02),
    });
    jailWeights.push([jails.length - 1, weight]);
  };
  try {
    const index = await loadFacilityIndex();
    const states = requested ?? Object.keys(STATE_WEIGHTS.value);
    for (const state of states) {
      const w = STATE_WEIGHTS.value[state] ?? 0.002;
      const listed = listJails(index, { state, limit: 400 });
      if (listed.length === 0) continue;
      const k = Math.min(listed.length, 3 + Math.round(w * 120));
      const chosen = new Set<number>();
      while (chosen.size < k) chosen.add(rng.int(listed.length));
      const picks = [...chosen].sort((a, b) => a - b).map((i) => listed[i]!);
      for (const j of picks) {
        addJail({ code: detlocFor(j.name, j.state, taken), name: j.name, city: j.city, state: j.state, countyFips: j.countyFips }, (w / k) * (0.3 + rng.next() * 1.4));
      }
    }
    if (jails.length === 0) throw new HandoffError('not_found', 'no jails listed for the requested states');
  } catch (cause) {
    jails.length = 0;
    jailWeights.length = 0;
    sources.jails = `src/synthetic/fallback-reference.ts FALLBACK_JAILS (real facility list failed: ${String((cause as Error).message ?? cause)})`;
    for (const j of FALLBACK_JAILS) {
      if (requested && !requested.includes(j.state)) continue;
      addJail({ ...j, aorCode: j.aor }, (STATE_WEIGHTS.value[j.state] ?? 0.002) / 3);
    }
    if (jails.length === 0) {
      throw new HandoffError('bad_argument', `no fallback jails in states ${requested?.join(', ') ?? ''}; fallback covers ${Object.keys(FALLBACK_REGIMES).join(', ')}`);
    }
  }

  // Policies.
  let regimeOf: (j: WorldJail, iso: string) => Regime;
  try {
    const policies = await loadPolicies();
    regimeOf = (j, iso) => {
      try {
        return policyAt(policies, { state: j.state, countyFips: j.countyFips, city: j.city }, iso).regime;
      } catch {
        return policyAt(policies, { state: j.state }, iso).regime;
      }
    };
    regimeOf(jails[0]!, RELEASE_START.value);
  } catch (cause) {
    sources.policies = `src/synthetic/fallback-reference.ts FALLBACK_REGIMES (policy module failed: ${String((cause as Error).message ?? cause)})`;
    regimeOf = (j, iso) => fallbackRegimeAt(j.state, iso);
  }
  const regimeCache = new Map<number, Regime>();
  const regimeAt = (jailIndex: number, day: number): Regime => {
    const key = jailIndex * 100_000 + (day % 100_000);
    let r = regimeCache.get(key);
    if (r === undefined) {
      r = regimeOf(jails[jailIndex]!, isoDay(day));
      regimeCache.set(key, r);
    }
    return r;
  };

  // Offenses.
  let charges: Weighted<ChargeRef>;
  try {
    const samples = listChargeTexts(loadOffenseReference()).filter((t) => t.ncicCode !== null && t.chargeText !== '');
    if (samples.length === 0) throw new HandoffError('empty', 'no charge texts with NCIC codes');
    charges = new Weighted(
      samples.map((t) => [{ text: t.chargeText, code: t.ncicCode as string, category: t.category }, CATEGORY_WEIGHT[t.category] ?? 1] as const),
    );
  } catch (cause) {
    sources.offenses = `src/synthetic/fallback-reference.ts FALLBACK_CHARGES (offense module failed: ${String((cause as Error).message ?? cause)})`;
    charges = new Weighted(FALLBACK_CHARGES);
  }

  const iceFacilities = ICE_FACILITIES.map((f) => ({ ...f, aorName: aorName(undefined, f.aor) }));
  const counts = ARCHETYPES.map((a) => Math.max(1, Math.round(ARCHETYPE_PEOPLE[a].value * o.scale)));
  const world: World = {
    seed: o.seed,
    startDay: dayOf(RELEASE_START.value),
    cutoffDay: dayOf(RELEASE_CUTOFF.value),
    jails,
    jailPicker: new Weighted(jailWeights),
    regimeAt,
    charges,
    iceFacilities,
    counts,
  };
  return { world, sources };
}

/**
 * Relative weight of a charge category among most-serious convictions of people with detainers.
 * Assumption: traffic/DUI and drug offenses dominate ICE's MSC fields, violent offenses are a minority.
 */
const CATEGORY_WEIGHT: Readonly<Record<string, number>> = {
  dui: 6,
  traffic: 5,
  drug: 4,
  immigration: 3,
  simple_assault: 3,
  property: 2,
  public_order: 2,
  other: 1,
  homicide: 0.15,
  sexual_assault: 0.4,
  robbery: 0.5,
  aggravated_assault: 0.8,
};
