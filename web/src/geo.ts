/** States by postal code and FIPS (the map's ids are FIPS; the API's places are postal codes). */
export const STATES: readonly [postal: string, fips: string, name: string][] = [
  ['AL', '01', 'Alabama'], ['AK', '02', 'Alaska'], ['AZ', '04', 'Arizona'], ['AR', '05', 'Arkansas'], ['CA', '06', 'California'],
  ['CO', '08', 'Colorado'], ['CT', '09', 'Connecticut'], ['DE', '10', 'Delaware'], ['DC', '11', 'District of Columbia'], ['FL', '12', 'Florida'],
  ['GA', '13', 'Georgia'], ['HI', '15', 'Hawaii'], ['ID', '16', 'Idaho'], ['IL', '17', 'Illinois'], ['IN', '18', 'Indiana'],
  ['IA', '19', 'Iowa'], ['KS', '20', 'Kansas'], ['KY', '21', 'Kentucky'], ['LA', '22', 'Louisiana'], ['ME', '23', 'Maine'],
  ['MD', '24', 'Maryland'], ['MA', '25', 'Massachusetts'], ['MI', '26', 'Michigan'], ['MN', '27', 'Minnesota'], ['MS', '28', 'Mississippi'],
  ['MO', '29', 'Missouri'], ['MT', '30', 'Montana'], ['NE', '31', 'Nebraska'], ['NV', '32', 'Nevada'], ['NH', '33', 'New Hampshire'],
  ['NJ', '34', 'New Jersey'], ['NM', '35', 'New Mexico'], ['NY', '36', 'New York'], ['NC', '37', 'North Carolina'], ['ND', '38', 'North Dakota'],
  ['OH', '39', 'Ohio'], ['OK', '40', 'Oklahoma'], ['OR', '41', 'Oregon'], ['PA', '42', 'Pennsylvania'], ['RI', '44', 'Rhode Island'],
  ['SC', '45', 'South Carolina'], ['SD', '46', 'South Dakota'], ['TN', '47', 'Tennessee'], ['TX', '48', 'Texas'], ['UT', '49', 'Utah'],
  ['VT', '50', 'Vermont'], ['VA', '51', 'Virginia'], ['WA', '53', 'Washington'], ['WV', '54', 'West Virginia'], ['WI', '55', 'Wisconsin'],
  ['WY', '56', 'Wyoming'], ['PR', '72', 'Puerto Rico'],
];

const byPostal = new Map(STATES.map((s) => [s[0], s]));
const byFips = new Map(STATES.map((s) => [s[1], s]));

export const stateName = (postal: string): string => byPostal.get(postal)?.[2] ?? postal;
export const statePostalOfFips = (fips: string): string | undefined => byFips.get(fips.slice(0, 2))?.[0];
export const stateFipsOf = (postal: string): string | undefined => byPostal.get(postal)?.[1];
export const isStatePostal = (s: string): boolean => byPostal.has(s);

/** County names, filled in once the counties topology has loaded (lazy). */
export const countyNames = new Map<string, string>();

/** A human label for an API place key (`state:MA`, `county:25025`, `facility:X`, `nation`). */
export function placeLabel(key: string, fallback?: string): string {
  if (key === 'nation') return 'United States';
  const [kind, id = ''] = key.split(':') as [string, string?];
  if (kind === 'state') return id === 'unknown' ? 'State not recorded' : stateName(id);
  if (kind === 'county') {
    if (id.startsWith('unmatched-')) return `Not matched to a county (${id.slice(10) === 'unknown' ? 'state unknown' : stateName(id.slice(10))})`;
    const st = statePostalOfFips(id);
    const name = countyNames.get(id);
    return name ? `${name}, ${st ?? ''}`.replace(/, $/, '') : `County ${id}${st ? ` (${stateName(st)})` : ''}`;
  }
  if (kind === 'aor') return `ICE area of responsibility ${id}`;
  if (kind === 'facility') return fallback && fallback !== key ? titleCase(fallback) : `Facility ${id}`;
  return fallback ?? key;
}

export function titleCase(s: string): string {
  return s.toLowerCase().replace(/\b([a-z])/g, (m) => m.toUpperCase());
}

/** The page path of a place key. */
export function placePath(key: string): string {
  const [kind, id = ''] = key.split(':') as [string, string?];
  if (kind === 'state') return `/state/${encodeURIComponent(id)}`;
  if (kind === 'county') return `/county/${encodeURIComponent(id)}`;
  if (kind === 'facility') return `/facility/${encodeURIComponent(id)}`;
  return '/';
}
