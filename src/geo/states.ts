/**
 * US states, the District of Columbia and the territories ICE writes (American Samoa, Guam, the
 * Northern Mariana Islands, Puerto Rico, the U.S. Virgin Islands): FIPS code, postal code and name.
 *
 * The same table is kept as `reference/geo/states.csv` for people and other tools; a test in
 * `src/policy/states-csv.test.ts` checks that the two agree. `name_upper` is the spelling ICE uses in
 * its "Facility State" columns (e.g. `MASSACHUSETTS`).
 */

/** One row of the state table. */
export interface StateInfo {
  /** Two-digit FIPS state code, zero-padded (`'06'`). */
  readonly fips: string;
  /** Two-letter postal code (`'CA'`). */
  readonly postal: string;
  /** Name as usually written (`'California'`). */
  readonly name: string;
  /** Upper-case name as it appears in ICE releases (`'CALIFORNIA'`). */
  readonly name_upper: string;
}

/** The 50 states, DC and the five inhabited territories, ordered by FIPS code. */
export const STATES: readonly StateInfo[] = Object.freeze([
  { fips: '01', postal: 'AL', name: 'Alabama', name_upper: 'ALABAMA' },
  { fips: '02', postal: 'AK', name: 'Alaska', name_upper: 'ALASKA' },
  { fips: '04', postal: 'AZ', name: 'Arizona', name_upper: 'ARIZONA' },
  { fips: '05', postal: 'AR', name: 'Arkansas', name_upper: 'ARKANSAS' },
  { fips: '06', postal: 'CA', name: 'California', name_upper: 'CALIFORNIA' },
  { fips: '08', postal: 'CO', name: 'Colorado', name_upper: 'COLORADO' },
  { fips: '09', postal: 'CT', name: 'Connecticut', name_upper: 'CONNECTICUT' },
  { fips: '10', postal: 'DE', name: 'Delaware', name_upper: 'DELAWARE' },
  { fips: '11', postal: 'DC', name: 'District of Columbia', name_upper: 'DISTRICT OF COLUMBIA' },
  { fips: '12', postal: 'FL', name: 'Florida', name_upper: 'FLORIDA' },
  { fips: '13', postal: 'GA', name: 'Georgia', name_upper: 'GEORGIA' },
  { fips: '15', postal: 'HI', name: 'Hawaii', name_upper: 'HAWAII' },
  { fips: '16', postal: 'ID', name: 'Idaho', name_upper: 'IDAHO' },
  { fips: '17', postal: 'IL', name: 'Illinois', name_upper: 'ILLINOIS' },
  { fips: '18', postal: 'IN', name: 'Indiana', name_upper: 'INDIANA' },
  { fips: '19', postal: 'IA', name: 'Iowa', name_upper: 'IOWA' },
  { fips: '20', postal: 'KS', name: 'Kansas', name_upper: 'KANSAS' },
  { fips: '21', postal: 'KY', name: 'Kentucky', name_upper: 'KENTUCKY' },
  { fips: '22', postal: 'LA', name: 'Louisiana', name_upper: 'LOUISIANA' },
  { fips: '23', postal: 'ME', name: 'Maine', name_upper: 'MAINE' },
  { fips: '24', postal: 'MD', name: 'Maryland', name_upper: 'MARYLAND' },
  { fips: '25', postal: 'MA', name: 'Massachusetts', name_upper: 'MASSACHUSETTS' },
  { fips: '26', postal: 'MI', name: 'Michigan', name_upper: 'MICHIGAN' },
  { fips: '27', postal: 'MN', name: 'Minnesota', name_upper: 'MINNESOTA' },
  { fips: '28', postal: 'MS', name: 'Mississippi', name_upper: 'MISSISSIPPI' },
  { fips: '29', postal: 'MO', name: 'Missouri', name_upper: 'MISSOURI' },
  { fips: '30', postal: 'MT', name: 'Montana', name_upper: 'MONTANA' },
  { fips: '31', postal: 'NE', name: 'Nebraska', name_upper: 'NEBRASKA' },
  { fips: '32', postal: 'NV', name: 'Nevada', name_upper: 'NEVADA' },
  { fips: '33', postal: 'NH', name: 'New Hampshire', name_upper: 'NEW HAMPSHIRE' },
  { fips: '34', postal: 'NJ', name: 'New Jersey', name_upper: 'NEW JERSEY' },
  { fips: '35', postal: 'NM', name: 'New Mexico', name_upper: 'NEW MEXICO' },
  { fips: '36', postal: 'NY', name: 'New York', name_upper: 'NEW YORK' },
  { fips: '37', postal: 'NC', name: 'North Carolina', name_upper: 'NORTH CAROLINA' },
  { fips: '38', postal: 'ND', name: 'North Dakota', name_upper: 'NORTH DAKOTA' },
  { fips: '39', postal: 'OH', name: 'Ohio', name_upper: 'OHIO' },
  { fips: '40', postal: 'OK', name: 'Oklahoma', name_upper: 'OKLAHOMA' },
  { fips: '41', postal: 'OR', name: 'Oregon', name_upper: 'OREGON' },
  { fips: '42', postal: 'PA', name: 'Pennsylvania', name_upper: 'PENNSYLVANIA' },
  { fips: '44', postal: 'RI', name: 'Rhode Island', name_upper: 'RHODE ISLAND' },
  { fips: '45', postal: 'SC', name: 'South Carolina', name_upper: 'SOUTH CAROLINA' },
  { fips: '46', postal: 'SD', name: 'South Dakota', name_upper: 'SOUTH DAKOTA' },
  { fips: '47', postal: 'TN', name: 'Tennessee', name_upper: 'TENNESSEE' },
  { fips: '48', postal: 'TX', name: 'Texas', name_upper: 'TEXAS' },
  { fips: '49', postal: 'UT', name: 'Utah', name_upper: 'UTAH' },
  { fips: '50', postal: 'VT', name: 'Vermont', name_upper: 'VERMONT' },
  { fips: '51', postal: 'VA', name: 'Virginia', name_upper: 'VIRGINIA' },
  { fips: '53', postal: 'WA', name: 'Washington', name_upper: 'WASHINGTON' },
  { fips: '54', postal: 'WV', name: 'West Virginia', name_upper: 'WEST VIRGINIA' },
  { fips: '55', postal: 'WI', name: 'Wisconsin', name_upper: 'WISCONSIN' },
  { fips: '56', postal: 'WY', name: 'Wyoming', name_upper: 'WYOMING' },
  { fips: '60', postal: 'AS', name: 'American Samoa', name_upper: 'AMERICAN SAMOA' },
  { fips: '66', postal: 'GU', name: 'Guam', name_upper: 'GUAM' },
  { fips: '69', postal: 'MP', name: 'Northern Mariana Islands', name_upper: 'NORTHERN MARIANA ISLANDS' },
  { fips: '72', postal: 'PR', name: 'Puerto Rico', name_upper: 'PUERTO RICO' },
  { fips: '78', postal: 'VI', name: 'U.S. Virgin Islands', name_upper: 'VIRGIN ISLANDS' },
]);

const BY_POSTAL = new Map(STATES.map((s) => [s.postal, s]));
const BY_FIPS = new Map(STATES.map((s) => [s.fips, s]));
const BY_NAME = new Map(STATES.map((s) => [s.name_upper, s]));

/** Looks a state up by postal code, case-insensitive (`'ma'`, `'MA'`); undefined when unknown. */
export function stateByPostal(postal: string): StateInfo | undefined {
  return BY_POSTAL.get(postal.trim().toUpperCase());
}

/** Looks a state up by FIPS code; accepts `'6'` or `'06'`. Undefined when unknown. */
export function stateByFips(fips: string | number): StateInfo | undefined {
  const text = String(fips).trim();
  if (!/^\d{1,2}$/.test(text)) return undefined;
  return BY_FIPS.get(text.padStart(2, '0'));
}

/**
 * Looks a state up by name, ignoring case and repeated spaces, so both `'Massachusetts'` and ICE's
 * `'MASSACHUSETTS'` match. Undefined when unknown.
 */
export function stateByName(name: string): StateInfo | undefined {
  return BY_NAME.get(name.trim().replace(/\s+/g, ' ').toUpperCase());
}
