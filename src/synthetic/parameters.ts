/**
 * Every number the synthetic generator uses, each with its source. "DDP" is the Deportation Data
 * Project's published row counts (quoted in /work/shared/ICE-RELEASES.md, "Published figures");
 * "MISSING" is data/deportationdata-org/missingness_by_field.csv (June/July 2025 release,
 * 2024-ICFO-39357); "NPR" is data/nprapps-sanctuary-cities (2007–2015 detainer files). Numbers marked
 * "assumption" are modelling choices with no public figure behind them; change them freely.
 */

/** A number and where it comes from. */
export interface Sourced<T> {
  value: T;
  source: string;
}

const s = <T>(value: T, source: string): Sourced<T> => ({ value, source });

/** First day the synthetic release covers (start of FY2023). */
export const RELEASE_START = s('2022-10-01', 'DDP: the 2024-ICFO-39357 tables start in FY2023');
/** Last day with data (the release cut-off). */
export const RELEASE_CUTOFF = s(
  '2025-07-28',
  'DDP: the late-July 2025 release (2024-ICFO-39357) runs to about 28 July 2025',
);

/** Row targets at scale 1, per family (the generator aims at these; achieved counts are in the manifest). */
export const ROW_TARGETS = {
  detainers: s(339_000, 'DDP: ~339K raw detainer rows, late-July 2025 release'),
  arrests: s(292_000, 'DDP: ~292K raw admin-arrest rows, late-July 2025 release'),
  encounters: s(1_241_817, 'DDP: 1,241,817 raw encounter rows, June 2025 release'),
  detention_stints: s(1_173_910, 'DDP: 1,173,910 raw detention rows, June 2025 release'),
  removals: s(
    657_000,
    'FY2023 142,580 (ICE FY2023 annual report) + FY2024 282,214 (DDP, late-July 2025 release) + FY2025 to the cut-off at the FY2024 daily rate',
  ),
} as const;

/**
 * People per archetype at scale 1. Sizes are solved (by running the generator) so the families land
 * near ROW_TARGETS. Archetypes: jail = booked in a local jail, gets a detainer; at_large = arrested by
 * ERO without a detainer; border = booked into ICE detention after a CBP apprehension; encounter_only =
 * ERO encounter with no arrest; removal_only = removed without an ICE detention stint in the window.
 */
export const ARCHETYPE_PEOPLE = {
  jail: s(321_000, 'solved against ROW_TARGETS.detainers (1.13 detainer rows a person)'),
  at_large: s(133_000, 'solved against ROW_TARGETS.arrests after the jail transfers'),
  border: s(440_000, 'solved against ROW_TARGETS.detention_stints'),
  encounter_only: s(572_000, 'solved against ROW_TARGETS.encounters'),
  removal_only: s(179_000, 'solved against ROW_TARGETS.removals'),
} as const;

/**
 * Relative event intensity by date for ERO interior enforcement (detainers, arrests): a step up on
 * 2025-01-20. Source: DDP counts, detainers 199,335 (Feb 2025) → ~339K (late Jul 2025): ~140K in under
 * six months against ~200K in the 28 months before, i.e. about three times the earlier monthly rate.
 */
export const INTERIOR_INTENSITY = s(
  [
    { from: '2022-10-01', weight: 1 },
    { from: '2025-01-20', weight: 3 },
  ],
  'DDP release-to-release growth (see comment)',
);

/** Relative intensity of border book-ins into ICE detention. Assumption: falls after June 2024 and 2025. */
export const BORDER_INTENSITY = s(
  [
    { from: '2022-10-01', weight: 1 },
    { from: '2024-06-05', weight: 0.55 },
    { from: '2025-01-20', weight: 0.3 },
  ],
  'assumption: shape of CBP encounter declines after the June 2024 proclamation and January 2025',
);

/** Share of jail people with a second, separate detainer (a later booking). */
export const SECOND_DETAINER_SHARE = s(0.09, 'assumption');
/** Share of detainer lodgings written twice (same prepare date and identifier). */
export const DUPLICATE_DETAINER_SHARE = s(
  0.03,
  'assumption; ICE-RELEASES.md "Duplicates": DDP flags same (prepare date, id) rows',
);
/** Share of ICE arrests followed within 24 h by an "ERO Reprocessed Arrest" row (≈5% of rows involved). */
export const REPROCESSED_ARREST_SHARE = s(
  0.026,
  'ICE-RELEASES.md: about 5% of arrest rows are in duplicate episodes (two rows each → ~2.6% of arrests)',
);
/** Share of reprocessed pairs whose case status is "E-Charging Document Canceled by ICE". */
export const REPROCESSED_CANCELED_SHARE = s(0.35, 'ICE-RELEASES.md: "common among them"; share assumed');
/** Share of MSC charge/conviction dates written as unparseable text ("00/00/2019"). */
export const UNPARSEABLE_MSC_DATE_SHARE = s(0.01, 'ICE-RELEASES.md: "MSC Charge/Conviction Date hold some unparseable values"; share assumed');

/** Rows written without an identifier (blank Unique Identifier and Alien File Number), per family. */
export const MISSING_ID_SHARE = {
  detainers: s(0.132010853066181, 'MISSING: Unique Identifier, Detainers'),
  arrests: s(0.00762745733827, 'MISSING: Unique Identifier, Admin Arrests'),
  encounters: s(0.121154830494192, 'MISSING: Unique Identifier, Encounters'),
  detention_stints: s(0.0015717762941351, 'MISSING: Unique Identifier, Detentions'),
  removals: s(0.00212240594828543, 'MISSING: Unique Identifier, Removals'),
} as const;

/** Days a person stays in jail between detainer and release (handoff). Log-normal; assumption. */
export const JAIL_DAYS = s({ quickShare: 0.5, quickMax: 2, median: 21, sigma: 1.1 }, 'assumption');
/** ICE book-in this many days (0..max) after the custodial arrest at the jail. */
export const BOOK_IN_LAG_MAX_DAYS = s(2, 'brief: detention book-in 0–2 days after the handoff');

/**
 * Detainer lift reasons by the regime in force at the jail on the prepare date; '' = blank.
 * Shares of non-blank values follow NPR's 2014–2015 mix (Booked into Detention ~61–66%, Declined by
 * LEA 17–18%, Lifted 11–16%, PD ~1–2%, Case Closed ~2%, Transferred ~1%); blanks are set so the release
 * ends near MISSING's 40.2% blank "Detainer Lift Reason".
 */
export const LIFT_REASON_WEIGHTS = s(
  {
    cooperative: [
      ['Booked into Detention', 0.44],
      ['', 0.36],
      ['Lifted', 0.06],
      ['Detainer Declined by LEA', 0.012],
      ['Prosecutorial Discretion', 0.012],
      ['Case Closed', 0.015],
      ['Lifted - Lack of Funds', 0.001],
      ['Lifted - Lack of Space', 0.001],
      ['Not Amenable to Removal', 0.006],
      ['Noncitizen Not Amenable to Removal', 0.003],
      ['USC or Presumptive Claim to US Citizenship', 0.003],
      ['Transferred', 0.015],
      ['Early Release', 0.006],
      ['No longer in State, Local, or Federal Custody', 0.03],
      ['Judicial Review', 0.003],
      ['Died', 0.001],
    ],
    mixed: [
      ['Booked into Detention', 0.3],
      ['', 0.42],
      ['Detainer Declined by LEA', 0.1],
      ['Lifted', 0.07],
      ['Prosecutorial Discretion', 0.012],
      ['Case Closed', 0.015],
      ['Not Amenable to Removal', 0.006],
      ['USC or Presumptive Claim to US Citizenship', 0.003],
      ['Transferred', 0.015],
      ['Early Release', 0.008],
      ['No longer in State, Local, or Federal Custody', 0.045],
      ['Judicial Review', 0.003],
      ['Died', 0.001],
    ],
    restrictive: [
      ['Detainer Declined by LEA', 0.3],
      ['', 0.44],
      ['Booked into Detention', 0.07],
      ['Lifted', 0.06],
      ['Prosecutorial Discretion', 0.012],
      ['Case Closed', 0.012],
      ['Not Amenable to Removal', 0.005],
      ['USC or Presumptive Claim to US Citizenship', 0.003],
      ['Transferred', 0.015],
      ['Early Release', 0.01],
      ['No longer in State, Local, or Federal Custody', 0.06],
      ['Judicial Review', 0.004],
      ['Died', 0.001],
    ],
  } as Record<'cooperative' | 'mixed' | 'restrictive', [string, number][]>,
  'NPR detainers_by_lift_reason_and_year.csv (2014–2015 mix) and MISSING (40% blank); split by regime assumed',
);

/** In cooperative jails, the share of blank lift reasons that were in fact a handoff (ICE book-in follows). */
export const BLANK_BUT_HANDED_OVER = s(
  { cooperative: 0.45, mixed: 0.25, restrictive: 0.05 },
  'assumption; DDP: a blank "can mean still in custody or never updated"',
);

/** Chance of a later community arrest ("Non-Custodial Arrest" / "Located") after a non-transfer release. */
export const LATER_ARREST_SHARE = s(
  { declined: 0.3, released_blank: 0.15, released_other: 0.12, lifted_by_ice: 0.02 },
  'assumption',
);
/** Days from jail release to the later community arrest: log-normal (≈20% beyond 180 days). */
export const LATER_ARREST_DAYS = s({ median: 70, sigma: 1.15, min: 3 }, 'assumption');
/** Share of later community arrests that lead to ICE detention. */
export const LATER_ARREST_DETAINED_SHARE = s(0.75, 'assumption');

/** Number of stints in a stay: 1 + geometric(p); mean ≈ 1/p. */
export const STINTS_PER_STAY_P = s({ interior: 0.55, border: 0.62 }, 'solved against ROW_TARGETS.detention_stints');
/** Length of an ICE detention stay in days, log-normal. */
export const STAY_DAYS = s({ interior: { median: 38, sigma: 0.9 }, border: { median: 22, sigma: 0.9 } }, 'assumption; ICE ALOS was ~40–50 days in FY2024 (ICE statistics) for all book-ins');
/** Share of ended stays that end in removal. */
export const REMOVED_SHARE = s({ interior: 0.62, border: 0.78 }, 'solved against ROW_TARGETS.removals');

/** Detainer prepared criminality among jail people; MISSING shows MSC blank on 69% of detainers. */
export const DETAINER_CRIMINALITY = s(
  [
    ['1 Convicted Criminal', 0.31],
    ['2 Pending Criminal Charges', 0.46],
    ['3 Other Immigration Violator', 0.23],
  ] as [string, number][],
  'MISSING: MSC Charge blank on 69.2% of detainers (so ~31% convicted); pending/other split assumed',
);
/** Criminality of at-large arrests. */
export const AT_LARGE_CRIMINALITY = s(
  [
    ['1 Convicted Criminal', 0.35],
    ['2 Pending Criminal Charges', 0.2],
    ['3 Other Immigration Violator', 0.45],
  ] as [string, number][],
  'assumption',
);
/** Criminality of border book-ins and removal-only people. */
export const BORDER_CRIMINALITY = s(
  [
    ['1 Convicted Criminal', 0.08],
    ['2 Pending Criminal Charges', 0.04],
    ['3 Other Immigration Violator', 0.88],
  ] as [string, number][],
  'assumption',
);

/** Citizenship countries and weights (ICE spells names in capitals). */
export const CITIZENSHIP = s(
  [
    ['MEXICO', 0.4], ['GUATEMALA', 0.13], ['HONDURAS', 0.11], ['EL SALVADOR', 0.05], ['VENEZUELA', 0.05],
    ['COLOMBIA', 0.04], ['ECUADOR', 0.035], ['CUBA', 0.02], ['DOMINICAN REPUBLIC', 0.02], ['NICARAGUA', 0.025],
    ['HAITI', 0.015], ['BRAZIL', 0.015], ['INDIA', 0.02], ['CHINA, PEOPLES REPUBLIC OF', 0.01], ['PERU', 0.01],
    ['JAMAICA', 0.005], ['ROMANIA', 0.004], ['MAURITANIA', 0.006], ['SENEGAL', 0.004], ['RUSSIA', 0.004],
  ] as [string, number][],
  'assumption (rough shape of ICE removals by country, FY2024 annual report)',
);

/** Ports of departure by citizenship group. Assumption; illustrative values. */
export const PORTS = s(
  {
    MEXICO: ['Brownsville, TX', 'Laredo, TX', 'El Paso, TX', 'Calexico, CA', 'Nogales, AZ', 'San Ysidro, CA'],
    other: ['Alexandria, LA', 'Houston, TX', 'Miami, FL', 'Mesa, AZ', 'Harlingen, TX', 'El Paso, TX'],
  },
  'assumption',
);

/** Field-level missing shares applied at random to columns the story does not fill (MISSING). */
export const RANDOM_MISSING: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  detainers: {
    'Facility State': 0.00144517810159887,
    'Facility City': 0.00144517810159887,
    'Facility AOR': 0.208687512649261,
    'Detainer Prep Threat Level': 0.0463880034405991,
    'Birth Year': 5.69216757741348e-5,
    'Entry Status': 0.226570405788302,
    'MSC Sentence Days': 0.185842946771909,
    'MSC Sentence Months': 0.210474220805505,
    'MSC Sentence Years': 0.209759537543007,
    Felon: 0.000208712811171828,
    'Processing Disposition': 6.32463064157053e-5,
    'Time of Apprehension Case Category': 0.868134613438575,
    'Entry Date': 0.875,
    'Prior Felony Yes No': 0.826398375834851,
    'Multiple Prior MISD Yes No': 0.910262978142076,
    'Violent Misdemeanor Yes No': 0.824023477028942,
    'Illegal Entry Yes No': 1,
    'Illegal Reentry Yes No': 0.988574554746003,
    'Immigration Fraud Yes No': 1,
    'Significant Risk Yes No': 0.927465973487148,
    'Other Removal Reason Yes No': 1,
    'Other Removal Reason': 1,
    'Criminal Street Gang Yes No': 0.927130768063145,
    'Aggravated Felony Yes No': 0.892123937462052,
    'Deportation Ordered Yes No': 0.257137345679012,
    'Order to Show Cause Served Yes No': 0.262601826553329,
    'Order to Show Cause Served Date': 1,
    'Biometric Match Yes No': 0.23646845274236,
    'Statements Made Yes No': 0.252280029346286,
    'Unlawful Attempt Yes No': 1,
    'Unlawful Entry Yes No': 1,
    'Visa Yes No': 1,
    'Federal Interest Yes No': 1,
  },
  arrests: {
    'Apprehension State': 0.212056887333821,
    'Apprehension County': 1,
    'Apprehension AOR': 0.0222564906909579,
    'Apprehension Site Landmark': 0.0229992534668547,
  },
  encounters: {
    'Responsible AOR': 0.00131007297083039,
    'Lead Source': 0.821857385409579,
    'Processing Disposition': 0.00110330147751887,
    'Event Landmark': 0.577710189074975,
    'Birth Year': 0.00021457419117234,
  },
  detention_stints: {
    Religion: 0.969515341885725,
    'Marital Status': 0.221713106127408,
    Ethnicity: 0.562000235685173,
    'Entry Status': 0.0470248810399405,
    'Citizenship Country': 8.12707494382159e-6,
  },
  removals: {
    'Apprehension County': 1,
    'Entry Date': 0.240483853068472,
    'Entry Status': 0.0207177338808123,
    'Processing Disposition': 0.000138719343025191,
    'Case Category Time of Arrest': 0.704465375651981,
    'Final Charge Code': 0.000367606259016757,
    'Final Charge Section Code': 0.000367606259016757,
  },
};

/** Source notes for the manifest. */
export const PARAMETER_SOURCES: Readonly<Record<string, string>> = {
  release_window: `${RELEASE_START.value}..${RELEASE_CUTOFF.value} (${RELEASE_CUTOFF.source})`,
  row_targets: 'DDP raw rows per release (ICE-RELEASES.md); removals: FY2024 282,214 (DDP) per year',
  missing_shares: 'data/deportationdata-org/missingness_by_field.csv (June/July 2025 release)',
  lift_reasons: LIFT_REASON_WEIGHTS.source,
  intensity: INTERIOR_INTENSITY.source,
  duplicates: `${DUPLICATE_DETAINER_SHARE.source}; ${REPROCESSED_ARREST_SHARE.source}`,
  other: 'modelling assumptions are marked "assumption" in src/synthetic/parameters.ts',
};

/**
 * Relative share of detainers lodged in each state. Assumption: rough shape of ICE detainer and CAP
 * activity (Texas and Florida largest); states missing here get 0.002.
 */
export const STATE_WEIGHTS = s<Record<string, number>>(
  {
    TX: 0.2, FL: 0.1, CA: 0.08, GA: 0.05, NC: 0.05, AZ: 0.04, NY: 0.04, NJ: 0.035, IL: 0.03, VA: 0.025,
    TN: 0.02, PA: 0.02, LA: 0.015, OK: 0.015, SC: 0.015, CO: 0.015, WA: 0.015, MA: 0.015, OH: 0.015,
    AL: 0.012, MD: 0.012, IN: 0.012, NV: 0.012, MI: 0.01, UT: 0.01, MO: 0.008, MN: 0.008, OR: 0.008,
    AR: 0.008, KY: 0.008, WI: 0.006, NM: 0.006, KS: 0.006, NE: 0.006, IA: 0.006, CT: 0.006, MS: 0.006,
    ID: 0.004, RI: 0.003, DE: 0.003, NH: 0.002, DC: 0.002, HI: 0.002, WV: 0.002, SD: 0.002, ND: 0.002,
    MT: 0.001, WY: 0.001, ME: 0.001, VT: 0.001, AK: 0.001,
  },
  'assumption: rough shape of detainer volume by state',
);
