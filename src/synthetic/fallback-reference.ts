/**
 * Small fallback reference tables for the synthetic generator, used only when the real modules
 * (src/link/facilities, src/policy, src/offense) cannot be loaded. The release manifest says which
 * source was used for each table.
 *
 * Sources: jails and ICE detention facilities are real facilities from the UWCHR ICE facility list
 * (github.com/UWCHR/ice-facilities, facilities.csv: detloc code, name, city, state, AOR) with county
 * FIPS from UWCHR/ice-enforce county_aor.csv; regimes are a coarse hand summary of state laws (named
 * per row) and are NOT authoritative — src/policy is.
 */

/** A county or local jail where a detainer can be lodged. */
export interface JailFacility {
  code: string;
  name: string;
  city: string;
  /** Two-letter postal code. */
  state: string;
  countyFips: string;
  /** Three-letter AOR code. */
  aor: string;
}

/** A jail row of the fallback table: [detloc, name, city, state, county FIPS, AOR code]. */
type JailRow = readonly [string, string, string, string, string, string];

const JAIL_ROWS: readonly JailRow[] = [
  ['BRINDMA', 'BRISTOL COUNTY DETENTION CENTER', 'NORTH DARTMOUTH', 'MA', '25005', 'BOS'],
  ['PLYMOMA', 'PLYMOUTH COUNTY CORRECTIONAL FACILITY', 'PLYMOUTH', 'MA', '25023', 'BOS'],
  ['SUFFOMA', 'SUFFOLK COUNTY HOUSE OF CORRECTIONS', 'BOSTON', 'MA', '25025', 'BOS'],
  ['CAMERTX', 'CAMERON COUNTY JAIL', 'BROWNSVILLE', 'TX', '48061', 'SNA'],
  ['DALCOTX', 'DALLAS COUNTY JAIL - LEW STERRETT JUSTICE CENTER', 'DALLAS', 'TX', '48113', 'DAL'],
  ['BURNETX', 'BURNET COUNTY JAIL', 'BURNET', 'TX', '48053', 'SNA'],
  ['BROKSTX', 'BROOKS COUNTY DETENTION CENTER', 'FALFURRIAS', 'TX', '48047', 'HOU'],
  ['CONCOCA', 'CONTRA COSTA COUNTY JAIL', 'MARTINEZ', 'CA', '06013', 'SFR'],
  ['IMPCOCA', 'IMPERIAL COUNTY JAIL', 'EL CENTRO', 'CA', '06025', 'SND'],
  ['OCCWJCA', "ORANGE COUNTY CENTRAL WOMEN'S JAIL", 'SANTA ANA', 'CA', '06059', 'LOS'],
  ['BROJAFL', 'BROWARD COUNTY JAIL', 'FT.LAUDERDALE', 'FL', '12011', 'MIA'],
  ['COLLIFL', 'COLLIER COUNTY NAPLES JAIL CENTER', 'NAPLES', 'FL', '12021', 'MIA'],
  ['BAKERFL', "BAKER COUNTY SHERIFF'S OFFICE", 'MACCLENNY', 'FL', '12003', 'MIA'],
  ['KANKEIL', 'KANKAKEE COUNTY JAIL (JEROME COMBS DET CTR)', 'KANKAKEE', 'IL', '17091', 'CHI'],
  ['MCHENIL', 'MCHENRY COUNTY CORRECTIONAL FACILITY', 'WOODSTOCK', 'IL', '17111', 'CHI'],
  ['PULASIL', 'PULASKI COUNTY JAIL', 'ULLIN', 'IL', '17153', 'CHI'],
  ['ALBCONY', 'ALBANY COUNTY JAIL', 'ALBANY', 'NY', '36001', 'NYC'],
  ['CAYUGNY', 'CAYUGA COUNTY JAIL', 'AUBURN', 'NY', '36011', 'BUF'],
  ['CHACONY', 'CHAUTAUQUA COUNTY JAIL', 'MAYVILLE', 'NY', '36013', 'BUF'],
  ['YIKIMWA', 'YAKIMA COUNTY DEPARTMENT OF CORRECTIONS', 'YAKIMA', 'WA', '53077', 'SEA'],
  ['STEVEWA', 'STEVENS COUNTY JAIL', 'COLVILLE', 'WA', '53065', 'SEA'],
  ['OKANOWA', 'OKANOGAN COUNTY', 'OKANOGAN', 'WA', '53047', 'SEA'],
  ['COBBJGA', 'COBB COUNTY JAIL', 'MARIETTA', 'GA', '13067', 'ATL'],
  ['HALLJGA', 'HALL COUNTY JAIL', 'GAINESVILLE', 'GA', '13139', 'ATL'],
  ['WHITFGA', 'WHITFIELD COUNTY JAIL', 'DALTON', 'GA', '13313', 'ATL'],
  ['PIMAJAZ', 'PIMA COUNTY JAIL', 'TUCSON', 'AZ', '04019', 'PHO'],
  ['PINALAZ', 'PINAL COUNTY JAIL', 'FLORENCE', 'AZ', '04021', 'PHO'],
  ['YAVAPAZ', 'YAVAPAI COUNTY JAIL', 'PRESCOTT', 'AZ', '04025', 'PHO'],
  ['BERGENJ', 'BERGEN COUNTY JAIL', 'HACKENSACK', 'NJ', '34003', 'NEW'],
  ['ESSEXNJ', 'ESSEX COUNTY CORRECTIONAL FACILITY', 'NEWARK', 'NJ', '34013', 'NEW'],
  ['HUDSONJ', 'HUDSON COUNTY CORRECTIONAL CENTER', 'KEARNY', 'NJ', '34017', 'NEW'],
  ['ELPASCO', 'EL PASO COUNTY CRIMINAL JUSTICE CENTER', 'COLORADO SPRINGS', 'CO', '08041', 'DEN'],
  ['MOFFECO', 'MOFFAT COUNTY JAIL', 'CRAIG', 'CO', '08081', 'DEN'],
  ['PARKJCO', 'PARK COUNTY JAIL', 'FAIRPLAY', 'CO', '08093', 'DEN'],
  ['CBRRSNC', 'CABARRUS COUNTY JAIL', 'CONCORD', 'NC', '37025', 'ATL'],
  ['FORSYNC', 'FORSYTH COUNTY JAIL', 'WINSTON-SALEM', 'NC', '37067', 'ATL'],
  ['MECKLNC', 'MECKLENBURG COUNTY DETENTION CENTER NORTH', 'CHARLOTTE', 'NC', '37119', 'ATL'],
  ['JOSEPOR', 'JOSEPHINE COUNTY JAIL', 'GRANTS PASS', 'OR', '41033', 'SEA'],
  ['UMATCOR', 'UMATILLA COUNTY JAIL', 'PENDLETON', 'OR', '41059', 'SEA'],
  ['COOSCOR', 'COOS COUNTY', 'COQUILLE', 'OR', '41011', 'SEA'],
];

/** The fallback jail table (about three real county jails in each of 13 states). */
export const FALLBACK_JAILS: readonly JailFacility[] = JAIL_ROWS.map(
  ([code, name, city, state, countyFips, aor]) => ({ code, name, city, state, countyFips, aor }),
);

/** An ICE detention facility (service processing centre, contract or dedicated IGSA facility). */
export interface IceFacility {
  code: string;
  name: string;
  city: string;
  state: string;
  aor: string;
}

/** Real ICE detention facilities (UWCHR facility list: SPC, CDF, DIGSA and large IGSA types). */
export const ICE_FACILITIES: readonly IceFacility[] = (
  [
    ['STCDFTX', 'SOUTH TEXAS ICE PROCESSING CENTER', 'PEARSALL', 'TX', 'SNA'],
    ['PIC', 'PORT ISABEL SERVICE PROCESSING CENTER', 'LOS FRESNOS', 'TX', 'HAL'],
    ['EPC', 'EL PASO SERVICE PROCESSING CENTER', 'EL PASO', 'TX', 'ELP'],
    ['OTRPCNM', 'OTERO COUNTY PROCESSING CENTER', 'CHAPARRAL', 'NM', 'ELP'],
    ['MTGPCTX', 'MONTGOMERY PROCESSING CENTER', 'CONROE', 'TX', 'HOU'],
    ['MONTGTX', 'JOE CORLEY PROCESSING CENTER', 'CONROE', 'TX', 'HOU'],
    ['POLKCTX', 'IAH SECURE ADULT DETENTION FACILITY (POLK)', 'LIVINGSTON', 'TX', 'HOU'],
    ['PRLDCTX', 'PRAIRIELAND DETENTION FACILITY', 'ALVARADO', 'TX', 'DAL'],
    ['JENADLA', 'CENTRAL LOUISIANA ICE PROCESSING CENTER', 'JENA', 'LA', 'NOL'],
    ['OLACCLA', 'LASALLE CORRECTIONAL CENTER OLLA', 'OLLA', 'LA', 'NOL'],
    ['PINEPLA', 'PINE PRAIRIE ICE PROCESSING CENTER', 'PINE PRAIRIE', 'LA', 'NOL'],
    ['RVRCCLA', 'RIVER CORRECTIONAL CENTER', 'FERRIDAY', 'LA', 'NOL'],
    ['JAMESGA', 'FOLKSTON ICE PROCESSING CENTER', 'FOLKSTON', 'GA', 'ATL'],
    ['KRO', 'KROME NORTH SERVICE PROCESSING CENTER', 'MIAMI', 'FL', 'MIA'],
    ['WCCPBFL', 'BROWARD TRANSITIONAL CENTER', 'POMPANO BEACH', 'FL', 'MIA'],
    ['LPLCCAZ', 'LA PALMA CORRECTIONAL CENTER', 'ELOY', 'AZ', 'PHO'],
    ['FLO', 'FLORENCE SERVICE PROCESSING CENTER', 'FLORENCE', 'AZ', 'PHO'],
    ['ADLNTCA', 'ADELANTO ICE PROCESSING CENTER', 'ADELANTO', 'CA', 'LOS'],
    ['CCASDCA', 'OTAY MESA DETENTION CENTER', 'SAN DIEGO', 'CA', 'SND'],
    ['CSCNWWA', 'NORTHWEST ICE PROCESSING CENTER', 'TACOMA', 'WA', 'SEA'],
    ['DENICDF', 'DENVER CONTRACT DETENTION FACILITY', 'AURORA', 'CO', 'DEN'],
    ['ELZICDF', 'ELIZABETH CONTRACT DETENTION FACILITY', 'ELIZABETH', 'NJ', 'NEW'],
    ['BTV', 'BUFFALO (BATAVIA) SERVICE PROCESSING CENTER', 'BATAVIA', 'NY', 'BUF'],
    ['CARDFVA', 'CAROLINE DETENTION FACILITY', 'BOWLING GREEN', 'VA', 'WAS'],
  ] as const
).map(([code, name, city, state, aor]) => ({ code, name, city, state, aor }));

/** Regime labels, as src/policy names them (DESIGN.md, "Vocabulary"). */
export type Regime =
  | 'hold_required'
  | 'no_local_limits'
  | 'holds_allowed'
  | 'holds_conditional'
  | 'judicial_warrant_only'
  | 'no_holds'
  | 'unclear'
  | 'federal'
  | 'no_data';

/** One step of a fallback regime timeline: the regime in force from `from` (ISO date) on. */
export interface RegimeStep {
  from: string;
  regime: Regime;
  law: string;
}

/**
 * Coarse state-level regimes (plus county overrides), summarised by hand from the named laws.
 * Before the first step the regime is 'unclear'.
 */
export const FALLBACK_REGIMES: Readonly<Record<string, readonly RegimeStep[]>> = {
  MA: [{ from: '2017-07-24', regime: 'no_holds', law: 'Lunn v. Commonwealth, 477 Mass. 517' }],
  TX: [{ from: '2017-09-01', regime: 'hold_required', law: 'SB 4 (2017)' }],
  CA: [{ from: '2018-01-01', regime: 'no_holds', law: 'SB 54, California Values Act' }],
  FL: [{ from: '2019-07-01', regime: 'hold_required', law: 'SB 168 (2019)' }],
  IL: [{ from: '2017-08-28', regime: 'no_holds', law: 'Illinois TRUST Act' }],
  NY: [{ from: '2000-01-01', regime: 'unclear', law: 'no state statute; county practice varies' }],
  WA: [{ from: '2019-05-21', regime: 'no_holds', law: 'Keep Washington Working Act (SB 5497)' }],
  GA: [
    { from: '2009-01-01', regime: 'holds_allowed', law: 'state practice' },
    { from: '2024-07-01', regime: 'hold_required', law: 'HB 1105 (2024)' },
  ],
  AZ: [{ from: '2010-07-29', regime: 'holds_allowed', law: 'SB 1070 sec. 2 as limited by Arizona v. US' }],
  NJ: [{ from: '2019-03-15', regime: 'no_holds', law: 'Immigrant Trust Directive (AG Directive 2018-6)' }],
  CO: [{ from: '2019-05-28', regime: 'no_holds', law: 'HB19-1124' }],
  NC: [
    { from: '2009-01-01', regime: 'holds_allowed', law: 'state practice' },
    { from: '2024-12-01', regime: 'hold_required', law: 'HB 10 (2024)' },
  ],
  OR: [{ from: '2021-07-19', regime: 'judicial_warrant_only', law: 'Sanctuary Promise Act (HB 3265)' }],
};

/** Regime of a state on a date from the fallback table. */
export function fallbackRegimeAt(state: string, isoDate: string): Regime {
  const steps = FALLBACK_REGIMES[state];
  if (!steps) return 'no_data';
  let regime: Regime = 'unclear';
  for (const step of steps) if (step.from <= isoDate) regime = step.regime;
  return regime;
}

/** An NCIC charge: text as ICE writes it, 4-digit code, broad category. */
export interface ChargeRef {
  text: string;
  code: string;
  category: string;
}

/** Common NCIC offense codes (NCIC code manual, uniform offense codes); used without src/offense. */
export const FALLBACK_CHARGES: readonly (readonly [ChargeRef, number])[] = (
  [
    ['Driving Under Influence Liquor', '5404', 'dui', 18],
    ['Traffic Offense', '5499', 'traffic', 10],
    ['Assault', '1399', 'simple_assault', 8],
    ['Simple Assault', '1313', 'simple_assault', 5],
    ['Aggravated Assault - Family-Weapon', '1304', 'aggravated_assault', 3],
    ['Dangerous Drugs', '3599', 'drug', 7],
    ['Marijuana - Possess', '3562', 'drug', 4],
    ['Cocaine - Sell', '3531', 'drug', 2],
    ['Amphetamine - Possess', '3572', 'drug', 2],
    ['Larceny', '2399', 'property', 5],
    ['Burglary', '2299', 'burglary', 3],
    ['Robbery', '1299', 'robbery', 2],
    ['Obstructing Police', '4801', 'public_order', 3],
    ['Illegal Entry (Inadmissible Alien)', '0399', 'immigration', 6],
    ['Illegal Reentry', '0311', 'immigration', 3],
    ['Weapon Offense', '5299', 'weapons', 2],
    ['Fraudulent Activities', '2699', 'fraud', 2],
    ['Sex Assault', '1199', 'sexual_assault', 1],
    ['Homicide - Willful Kill - Nonfamily-Gun', '0912', 'homicide', 0.3],
    ['Public Peace', '5399', 'public_order', 3],
    ['Family Offense', '3899', 'other', 2],
    ['Hit and Run', '5403', 'traffic', 1],
    ['Stolen Vehicle', '2499', 'property', 1],
    ['Invade Privacy', '5799', 'other', 0.5],
  ] as const
).map(([text, code, category, w]) => [{ text, code, category }, w] as const);
