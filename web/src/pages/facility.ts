/**
 * Facility (`/facility/CODE`): a yearly table (place-table.ts), its detainers by outcome over time (with its county's policy changes
 * marked), its county and the policy in force there.
 * API: /api/places.json, /api/metrics/detainer_outcomes.json?place=facility:CODE, /api/policies/county:FIPS.json
 */
import { getJson, type PlaceRow, type PolicyEntryRow } from '../api.ts';
import { h } from '../format.ts';
import { placeLabel, stateName, statePostalOfFips, titleCase } from '../geo.ts';
import { block, dataRange, filterForm, show } from '../page.ts';
import { outcomesChart } from './place.ts';
import { policyTimeline } from './place-parts.ts';
import { yearlyTable } from './place-table.ts';

export async function renderFacility(code: string, signal: AbortSignal): Promise<void> {
  const place = `facility:${code}`;
  const [range, placesEnv] = await Promise.all([dataRange().catch(() => null), getJson<PlaceRow>('/api/places.json').catch(() => null)]);
  const info = placesEnv?.rows.find((p) => p.place === place);
  const name = info ? titleCase(info.label) : `Facility ${code}`;
  const county = info?.county_fips ?? null;
  const policyPlace = county ? `county:${county}` : info?.state ? `state:${info.state}` : null;
  const polEnv = policyPlace ? await getJson<PolicyEntryRow>(`/api/policies/${policyPlace}.json`).catch(() => null) : null;
  const entries = polEnv?.rows ?? [];
  const [yearly, outcomes] = await Promise.all([block(() => yearlyTable(place, name, 'facility')), block(() => outcomesChart(place, name, entries))]);
  const until = range ? `${range.last}-28` : new Date().toISOString().slice(0, 10);
  const postal = county ? statePostalOfFips(county) : info?.state;
  show(
    signal,
    name,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '/' }, 'United States'), postal ? [' › ', h('a', { href: `/state/${postal}` }, stateName(postal))] : null, county ? [' › ', h('a', { href: `/county/${county}` }, placeLabel(`county:${county}`))] : null),
    h('h1', {}, name),
    h('p', { class: 'lede' }, `ICE facility code ${code}. `, info ? `Published detainer total over the whole release: ${info.detainers === null ? 'withheld' : info.detainers}.` : 'This facility has no published total (fewer than 11 detainers in the release, or not in the release); its figures below are withheld where small.', county ? [' County: ', h('a', { href: `/county/${county}` }, placeLabel(`county:${county}`)), '.'] : ' Not matched to a county.'),
    filterForm(range),
    yearly,
    outcomes,
    polEnv && policyPlace ? policyTimeline(policyPlace, entries, polEnv.meta, until) : h('p', {}, 'No policy place is known for this facility (no county match).'),
  );
}
