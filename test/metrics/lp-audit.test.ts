/**
 * The protection against an attacker with a linear-programming solver, on cubes small enough to
 * solve exactly: for every withheld cell of 1–10, HiGHS finds the smallest and largest value all
 * published cells and identities allow; none may be pinned or bounded inside 1–10. (The protection
 * itself runs interval propagation, which is weaker; this is the check that it is enough here.) The
 * arrest cube is used because it is small enough to solve in seconds; `npm run audit:lp` runs the
 * same audit on any database and either universe.
 */
import { expect, test } from 'vitest';
import { lpBounds } from '../../scripts/audit-lp.ts';
import { Cube, type BaseFact } from '../../src/metrics/index.ts';
import { prng } from '../helpers/prng.ts';

/** Small random releases: a few places, months and outcomes, counts from sparse to dense. */
function facts(seed: number, n: number): BaseFact[] {
  const r = prng(seed);
  const places = [
    ['MA', '25025', 'BOS', 'MASUFFO'],
    ['MA', '25017', 'BOS', 'MAMIDDL'],
    ['NH', '33011', 'BOS', 'NHHILLS'],
    ['NY', '36061', 'NYC', 'NYNYCDC'],
  ] as const;
  const outcomes = ['transferred_to_ice', 'declined', 'lifted_by_ice', 'released_other', 'open_or_unknown'] as const;
  const crim = ['1 Convicted Criminal', '2 Pending Criminal Charges', '3 Other Immigration Violator'];
  const settings = ['community', 'custodial', 'unknown'] as const;
  return Array.from({ length: n }, () => {
    const p = places[Math.floor(r() ** 1.5 * places.length)]!;
    return {
      date: `2024-${String(1 + Math.floor(r() * 6)).padStart(2, '0')}-10`,
      state: p[0], county: p[1], aor: p[2], facility: p[3], facility_name: p[3],
      criminality: crim[Math.floor(r() * crim.length)]!, offense_category: null, detainer_type: null,
      outcome: outcomes[Math.floor(r() ** 2 * outcomes.length)]!, lift_reason_blank: r() < 0.3, lift_reason_group: r() < 0.2 ? 'us_citizen' : null, near_cutoff: r() < 0.3, has_identifier: r() < 0.9,
      // Later arrests and removals at 0-365 days, so that the follow-up window breakdowns are audited too.
      ...later(r),
      setting: settings[Math.floor(r() * settings.length)]!, after_declined_detainer: r() < 0.2, regime: 'no_data',
    } satisfies BaseFact;
  });
}

function later(r: () => number): Pick<BaseFact, 'later_arrest_setting' | 'later_removal' | 'days_to_outcome' | 'days_to_later_arrest' | 'days_to_later_removal'> {
  const arrested = r() < 0.4;
  const removed = r() < 0.3;
  return {
    later_arrest_setting: arrested ? (r() < 0.5 ? 'community' : 'custodial') : null,
    days_to_later_arrest: arrested ? Math.floor(r() * 366) : null,
    later_removal: removed,
    days_to_later_removal: removed ? Math.floor(r() * 366) : null,
    days_to_outcome: null,
  };
}

/** Withheld cells of 1–10 that LP pins or bounds inside 1–10, given the cube's published cells. */
async function lpExposed(cube: Cube, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
  const { targets, bounds } = await lpBounds(cube, limit);
  expect(targets).toBeGreaterThan(20);
  for (const b of bounds) expect(b.lo <= b.value && b.value <= b.hi).toBe(true);
  return bounds.filter((b) => b.exposed).map((b) => `${b.label} = ${b.value} in [${b.lo}, ${b.hi}]`);
}

test.each([
  [11, 150],
  [12, 600],
])('seed %i, %i ICE arrests: no withheld cell of 1-10 is pinned or bounded inside 1-10 by LP', async (seed, n) => {
  const cube = Cube.build(facts(seed, n), { universe: 'arrests', releaseId: 'r', suppress: true });
  expect(cube.stats.exposed).toBe(0);
  expect((await lpExposed(cube)).slice(0, 10)).toEqual([]);
}, 240_000);

test('with primary suppression alone, LP pins small cells (the audit can fail)', async () => {
  const cube = Cube.build(facts(12, 600), { universe: 'arrests', releaseId: 'r', suppress: true });
  for (const g of cube.groupList) for (let s = 0; s < g.counts.length; s++) if (g.mask[s] && !g.pub[s] && (g.counts[s]! === 0 || g.counts[s]! > 10)) g.pub[s] = 1;
  expect((await lpExposed(cube, 60)).length).toBeGreaterThan(0);
}, 240_000);
