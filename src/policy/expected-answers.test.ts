/**
 * The law, state by state: the expected answer of `policyAt` for every state and DC (and nine
 * counties and cities the review names) at six dates, for a detainer at a local jail, with the entry
 * that must decide and its citation. Each row was checked against the entry's primary source in the
 * 2026 review (see each entry's `review_note` and `sources` in reference/policies); `no_data` means
 * no dated rule for jails was found, and the undated or other-scope entries are context only.
 *
 * A change to a file or to the rules that moves one of these answers fails here: fix the data or
 * the rule, or, if the law was misread, update the row with its source.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicies } from './load-policies.ts';
import { policyAt } from './evaluate-policy.ts';
import { parsePlaceKey } from './places.ts';
import type { PolicySet } from './types.ts';

export const DATES = ['2010-01-01', '2015-01-01', '2018-01-01', '2020-01-01', '2024-01-01', '2026-12-01'] as const;

/** Place -> expected `regime entry-id` (or `no_data`) at each of {@link DATES}. */
export const EXPECTED: Record<string, readonly string[]> = {
  'AL': ['no_data', 'no_local_limits al-2011-ala-hb-56', 'no_local_limits al-2011-ala-hb-56', 'no_local_limits al-2011-ala-hb-56', 'no_local_limits al-2011-ala-hb-56', 'no_local_limits al-2011-ala-hb-56'],
  'AK': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'AZ': ['no_data', 'no_local_limits az-2010-2010-ariz-sess', 'no_local_limits az-2010-2010-ariz-sess', 'no_local_limits az-2010-2010-ariz-sess', 'no_local_limits az-2010-2010-ariz-sess', 'no_local_limits az-2010-2010-ariz-sess'],
  'AR': ['no_data', 'no_data', 'no_data', 'no_local_limits ar-2020-ark-code-ann', 'no_local_limits ar-2020-ark-code-ann', 'no_local_limits ar-2020-ark-code-ann'],
  'CA': ['no_data', 'holds_conditional ca-2014-cal-gov-code', 'no_holds ca-2018-cal-gov-code', 'no_holds ca-2018-cal-gov-code', 'no_holds ca-2018-cal-gov-code', 'no_holds ca-2018-cal-gov-code'],
  'CO': ['no_data', 'no_data', 'no_data', 'judicial_warrant_only co-2019-colo-hb19-1124', 'judicial_warrant_only co-2019-colo-hb19-1124', 'judicial_warrant_only co-2019-colo-hb19-1124'],
  'CT': ['no_data', 'holds_conditional ct-2013-conn-public-act', 'holds_conditional ct-2013-conn-public-act', 'holds_conditional ct-2019-conn-public-act', 'holds_conditional ct-2019-conn-public-act', 'holds_conditional ct-2025-trust-act-amendments'],
  'DE': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'DC': ['no_data', 'holds_conditional dc-2012-immigration-detainer-compliance', 'holds_conditional dc-2012-immigration-detainer-compliance', 'judicial_warrant_only dc-2019-sanctuary-values-emergency', 'judicial_warrant_only dc-2019-sanctuary-values-emergency', 'judicial_warrant_only dc-2019-sanctuary-values-emergency'],
  'FL': ['no_data', 'no_data', 'no_data', 'hold_required fl-2019-fla-stat-ch', 'hold_required fl-2019-fla-stat-ch', 'hold_required fl-2019-fla-stat-ch'],
  'GA': ['no_local_limits ga-2009-sb-20', 'no_local_limits ga-2009-sb-20', 'no_local_limits ga-2009-sb-20', 'no_local_limits ga-2009-sb-20', 'no_local_limits ga-2009-sb-20', 'hold_required ga-2024-ga-hb-1105'],
  'HI': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'ID': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'IL': ['no_data', 'no_data', 'judicial_warrant_only il-2017-ilcs-805-15', 'judicial_warrant_only il-2017-ilcs-805-15', 'judicial_warrant_only il-2021-ilcs-805-805', 'judicial_warrant_only il-2021-ilcs-805-805'],
  'IN': ['no_data', 'no_local_limits in-2011-ic-18-sea', 'no_local_limits in-2011-ic-18-sea', 'no_local_limits in-2011-ic-18-sea', 'no_local_limits in-2011-ic-18-sea', 'no_local_limits in-2011-ic-18-sea'],
  'IA': ['no_data', 'no_data', 'no_data', 'hold_required ia-2018-iowa-code-ch', 'hold_required ia-2018-iowa-code-ch', 'hold_required ia-2018-iowa-code-ch'],
  'KS': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'KY': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'LA': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'hold_required la-2025-la-sb-15'],
  'ME': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'judicial_warrant_only me-undated-337-ld-1971'],
  'MD': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'MA': ['no_data', 'no_data', 'no_holds ma-2017-lunn-v-commonwealth', 'no_holds ma-2017-lunn-v-commonwealth', 'no_holds ma-2017-lunn-v-commonwealth', 'no_holds ma-2017-lunn-v-commonwealth'],
  'MI': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'MN': ['no_data', 'no_data', 'judicial_warrant_only mn-2017-no-statute-esparza', 'judicial_warrant_only mn-2017-no-statute-esparza', 'judicial_warrant_only mn-2017-no-statute-esparza', 'judicial_warrant_only mn-2017-no-statute-esparza'],
  'MS': ['no_data', 'no_data', 'no_local_limits ms-2017-miss-sb-2710', 'no_local_limits ms-2017-miss-sb-2710', 'no_local_limits ms-2017-miss-sb-2710', 'no_local_limits ms-2017-miss-sb-2710'],
  'MO': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'MT': ['no_data', 'no_data', 'no_data', 'no_data', 'no_local_limits mt-2021-mont-code-ann', 'no_local_limits mt-2021-mont-code-ann'],
  'NE': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'NV': ['no_data', 'no_data', 'no_data', 'no_data', 'unclear nv-2021-nev-ab-376', 'unclear nv-2021-nev-ab-376'],
  'NH': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'hold_required nh-2026-hb-511-2025'],
  'NJ': ['no_data', 'no_data', 'no_data', 'holds_conditional nj-2018-attorney-general-law', 'holds_conditional nj-2018-attorney-general-law', 'holds_conditional nj-2018-attorney-general-law'],
  'NM': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'judicial_warrant_only nm-2026-hb-2026-immigrant'],
  'NY': ['no_data', 'no_data', 'no_data', 'judicial_warrant_only ny-2018-people-ex-rel', 'judicial_warrant_only ny-2018-people-ex-rel', 'judicial_warrant_only ny-2018-people-ex-rel'],
  'NC': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'hold_required nc-2025-hb-318-2025'],
  'ND': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'OH': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'OK': ['no_data', 'no_data', 'no_data', 'no_data', 'hold_required ok-2021-okla-stat-tit', 'hold_required ok-2021-okla-stat-tit'],
  'OR': ['unclear or-1987-ors-181a-820', 'unclear or-1987-ors-181a-820', 'unclear or-1987-ors-181a-820', 'unclear or-1987-ors-181a-820', 'judicial_warrant_only or-2021-ors-180-805', 'judicial_warrant_only or-2021-ors-180-805'],
  'PA': ['no_data', 'unclear pa-2014-galarza-v-szalczyk', 'unclear pa-2014-galarza-v-szalczyk', 'unclear pa-2014-galarza-v-szalczyk', 'unclear pa-2014-galarza-v-szalczyk', 'unclear pa-2014-galarza-v-szalczyk'],
  'RI': ['no_data', 'holds_conditional ri-2014-governor-executive-agency', 'holds_conditional ri-2014-governor-executive-agency', 'holds_conditional ri-2014-governor-executive-agency', 'holds_conditional ri-2014-governor-executive-agency', 'holds_conditional ri-2014-governor-executive-agency'],
  'SC': ['no_data', 'no_local_limits sc-undated-2011-immigration-law', 'no_local_limits sc-undated-2011-immigration-law', 'no_local_limits sc-undated-2011-immigration-law', 'no_local_limits sc-undated-2011-immigration-law', 'no_local_limits sc-undated-2011-immigration-law'],
  'SD': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'TN': ['no_data', 'no_data', 'no_data', 'no_local_limits tn-2019-tenn-pub-ch', 'no_local_limits tn-2019-tenn-pub-ch', 'no_local_limits tn-2019-tenn-pub-ch'],
  'TX': ['no_data', 'no_data', 'hold_required tx-2017-tex-sb-85r', 'hold_required tx-2017-tex-sb-85r', 'hold_required tx-2017-tex-sb-85r', 'hold_required tx-2017-tex-sb-85r'],
  'UT': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'VT': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'VA': ['no_data', 'no_data', 'no_data', 'unclear va-2019-none-enacted-veto', 'unclear va-2019-none-enacted-veto', 'unclear va-2019-none-enacted-veto'],
  'WA': ['no_data', 'no_data', 'no_data', 'judicial_warrant_only wa-2019-rcw-10-93', 'judicial_warrant_only wa-2019-rcw-10-93', 'judicial_warrant_only wa-2019-rcw-10-93'],
  'WV': ['no_data', 'no_data', 'no_data', 'no_data', 'no_local_limits wv-2023-va-code-15', 'no_local_limits wv-2023-va-code-15'],
  'WI': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_data'],
  'WY': ['no_data', 'no_data', 'no_data', 'no_data', 'no_data', 'no_local_limits wy-2025-25-101-25'],
  'county:25025': ['no_data', 'no_data', 'no_holds ma-2017-lunn-v-commonwealth', 'no_holds ma-2017-lunn-v-commonwealth', 'no_holds ma-2017-lunn-v-commonwealth', 'no_holds ma-2017-lunn-v-commonwealth'],
  'county:36005': ['no_data', 'judicial_warrant_only ny-new-york-city-2014-admin-code-131', 'judicial_warrant_only ny-new-york-city-2014-admin-code-131', 'judicial_warrant_only ny-new-york-city-2014-admin-code-131', 'judicial_warrant_only ny-new-york-city-2014-admin-code-131', 'judicial_warrant_only ny-new-york-city-2014-admin-code-131'],
  'county:36103': ['no_data', 'no_data', 'holds_allowed ny-suffolk-county-2016-suffolk-county-sheriff', 'judicial_warrant_only ny-suffolk-county-2018-people-ex-rel', 'judicial_warrant_only ny-suffolk-county-2018-people-ex-rel', 'judicial_warrant_only ny-suffolk-county-2018-people-ex-rel'],
  'county:48453': ['no_data', 'no_data', 'hold_required tx-2017-tex-sb-85r', 'hold_required tx-2017-tex-sb-85r', 'hold_required tx-2017-tex-sb-85r', 'hold_required tx-2017-tex-sb-85r'],
  'county:22071': ['no_data', 'holds_conditional la-orleans-parish-2013-cacho-v-gusman', 'holds_conditional la-orleans-parish-2013-cacho-v-gusman', 'holds_conditional la-orleans-parish-2013-cacho-v-gusman', 'holds_conditional la-orleans-parish-2013-cacho-v-gusman', 'holds_conditional la-orleans-parish-2013-cacho-v-gusman'],
  'county:17031': ['no_data', 'no_holds il-cook-county-2011-cook-county-ordinance', 'no_holds il-cook-county-2011-cook-county-ordinance', 'no_holds il-cook-county-2011-cook-county-ordinance', 'no_holds il-cook-county-2011-cook-county-ordinance', 'no_holds il-cook-county-2011-cook-county-ordinance'],
  'county:42101': ['no_data', 'judicial_warrant_only pa-philadelphia-2014-philadelphia-executive-order', 'judicial_warrant_only pa-philadelphia-2016-philadelphia-executive-order', 'judicial_warrant_only pa-philadelphia-2016-philadelphia-executive-order', 'judicial_warrant_only pa-philadelphia-2016-philadelphia-executive-order', 'judicial_warrant_only pa-philadelphia-2016-philadelphia-executive-order'],
  'county:06075': ['no_data', 'judicial_warrant_only ca-san-francisco-2014-sheriff-policy', 'judicial_warrant_only ca-san-francisco-2014-sheriff-policy', 'judicial_warrant_only ca-san-francisco-2014-sheriff-policy', 'judicial_warrant_only ca-san-francisco-2014-sheriff-policy', 'judicial_warrant_only ca-san-francisco-2014-sheriff-policy'],
  'county:12086': ['no_data', 'holds_conditional fl-miami-dade-county-2013-miami-dade-county', 'holds_allowed fl-miami-dade-county-2017-mayor-memorandum-2017', 'hold_required fl-2019-fla-stat-ch', 'hold_required fl-2019-fla-stat-ch', 'hold_required fl-2019-fla-stat-ch'],
};

/** Deciding entry -> the start of its citation (the primary citation it must carry). */
const CITATIONS: Record<string, string> = {
  'al-2011-ala-hb-56': 'Ala. HB 56 (2011) Beason-Hammon Alabama',
  'ar-2020-ark-code-ann': 'Ark. Code Ann. 14-1-103 (Act of 2019, SB 411)',
  'az-2010-2010-ariz-sess': '2010 Ariz. Sess. Laws ch. 113 (SB 1070) as',
  'ca-2014-cal-gov-code': 'Cal. Gov. Code 7282-7282.5 (AB 4, Stats. 2013)',
  'ca-2018-cal-gov-code': 'Cal. Gov. Code 7284 et seq., esp. 7284.6 (SB',
  'ca-san-francisco-2014-sheriff-policy': "San Francisco Sheriff's Department detainer",
  'co-2019-colo-hb19-1124': "Colo. HB19-1124 (2019), 'Protect Colorado",
  'ct-2013-conn-public-act': 'Conn. Public Act 13-155, Conn. Gen. Stat.',
  'ct-2019-conn-public-act': 'Conn. Public Act 19-20 (SB 992), amending Conn.',
  'ct-2025-trust-act-amendments': 'Conn. 2025 amendments to Gen. Stat. 54-192h',
  'dc-2012-immigration-detainer-compliance': 'Immigration Detainer Compliance Amendment Act of 2012 (D.C. Law 19-194',
  'dc-2019-sanctuary-values-emergency': 'Sanctuary Values Emergency Amendment Act of',
  'fl-2019-fla-stat-ch': 'Fla. Stat. ch. 908 (908.101-908.109), Laws of',
  'fl-miami-dade-county-2013-miami-dade-county': 'Miami-Dade County Resolution R-1008-13',
  'fl-miami-dade-county-2017-mayor-memorandum-2017': "Mayor's memorandum 2017-01-26; Board of County",
  'ga-2009-sb-20': 'Ga. L. 2009, p. 734 (SB 20), O.C.G.A. 36-80-23',
  'ga-2024-ga-hb-1105': 'Ga. HB 1105 (2024), Georgia Criminal Alien',
  'ia-2018-iowa-code-ch': 'Iowa Code ch. 27A (27A.2, 27A.4) (2018 Iowa',
  'il-2017-ilcs-805-15': '5 ILCS 805/15 (PA 100-463, SB 31)',
  'il-2021-ilcs-805-805': '5 ILCS 805/5, 805/15, 805/25 (PA 102-234)',
  'il-cook-county-2011-cook-county-ordinance': 'Cook County Ordinance 11-O-73 (2011)',
  'in-2011-ic-18-sea': 'IC 5-2-18.2 (SEA 590, 2011); 2026 SB 76',
  'la-2025-la-sb-15': 'La. R.S. 14:134(A)(5)-(6), as amended by La. SB 15',
  'la-orleans-parish-2013-cacho-v-gusman': 'Cacho v. Gusman, No. 2:11-cv-00225 (E.D. La.),',
  'ma-2017-lunn-v-commonwealth': 'Lunn v. Commonwealth, 477 Mass. 517 (2017)',
  'me-undated-337-ld-1971': '5 M.R.S. c. 337-E (LD 1971 / HP 1315',
  'mn-2017-no-statute-esparza': 'No statute; Esparza v. Nobles County (cited);',
  'ms-2017-miss-sb-2710': 'Miss. SB 2710 (2017 Reg. Sess.)',
  'mt-2021-mont-code-ann': 'Mont. Code Ann. 2-1-601 to 2-1-602 (HB 200,',
  'nc-2025-hb-318-2025': 'N.C. HB 318 (2025)',
  'nh-2026-hb-511-2025': 'N.H. HB 511 (2025 Laws ch. 39); N.H. SB 62',
  'nj-2018-attorney-general-law': 'N.J. Attorney General Law Enforcement Directive',
  'nm-2026-hb-2026-immigrant': 'N.M. HB 9 (2026), Immigrant Safety Act',
  'nv-2021-nev-ab-376': 'Nev. AB 376 (2021)',
  'ny-2018-people-ex-rel': 'People ex rel. Wells v. DeMarco, 168 A.D.3d 31,',
  'ny-new-york-city-2014-admin-code-131': 'N.Y.C. Admin. Code 9-131 (DOC; L.L. 2014/058,',
  'ny-suffolk-county-2016-suffolk-county-sheriff': 'Suffolk County Sheriff policy (Dec 2016)',
  'ny-suffolk-county-2018-people-ex-rel': 'People ex rel. Wells v. DeMarco, 168 A.D.3d 31',
  'ok-2021-okla-stat-tit': 'Okla. Stat. tit. 22, 171.3 (Laws 2021, c. 255)',
  'or-1987-ors-181a-820': 'ORS 181A.820 (enacted 1987)',
  'or-2021-ors-180-805': 'ORS 180.805, 180.810, 181A.820-181A.829 (HB',
  'pa-2014-galarza-v-szalczyk': 'Galarza v. Szalczyk (3d Cir. 2014)',
  'pa-philadelphia-2014-philadelphia-executive-order': 'Philadelphia Executive Order No. 1-14 (Nutter',
  'pa-philadelphia-2016-philadelphia-executive-order': 'Philadelphia Executive Order No. 5-16',
  'ri-2014-governor-executive-agency': "R.I. Governor's executive-agency detainer",
  'sc-undated-2011-immigration-law': '2011 S.C. Act No. 69 (S. 20, R103), amending',
  'tn-2019-tenn-pub-ch': 'Tenn. Pub. Ch. 973 (2018) (HB 2315)',
  'tx-2017-tex-sb-85r': 'Tex. SB 4 (85R, 2017); Tex. Code Crim. Proc.',
  'va-2019-none-enacted-veto': 'none enacted (veto reported)',
  'wa-2019-rcw-10-93': 'RCW 10.93.160; RCW 43.10.310-.315 (Laws of 2019',
  'wv-2023-va-code-15': 'W. Va. Code 15-16-1 et seq. (HB 2008, 2023)',
  'wy-2025-25-101-25': 'W.S. 9-25-101, 9-25-102 (HB 133, 2025)',
};

let policies: PolicySet;
beforeAll(async () => {
  policies = await loadPolicies();
});

describe('expected answers, state by state (local jail scope)', () => {
  it('covers all 50 states and DC at six dates', () => {
    const states = Object.keys(EXPECTED).filter((k) => /^[A-Z]{2}$/.test(k));
    expect(states).toHaveLength(51);
    expect(Object.values(EXPECTED).every((row) => row.length === DATES.length)).toBe(true);
  });

  for (const [place, row] of Object.entries(EXPECTED)) {
    it(`${place}`, () => {
      const got = DATES.map((date) => {
        const r = policyAt(policies, parsePlaceKey(place).place, date);
        return r.decidedBy ? `${r.regime} ${r.decidedBy.id}` : r.regime;
      });
      expect(got).toEqual(row);
      for (const cell of row) {
        const id = cell.split(' ')[1];
        if (!id) continue;
        const e = policies.byId.get(id)!;
        expect(e.citation.startsWith(CITATIONS[id]!), `${id} cites ${CITATIONS[id]}`).toBe(true);
        expect(e.effective_date ?? e.effective_date_approx, `${id} is dated`).not.toBeNull();
      }
    });
  }
});
