/** Entry point: routes, the place search and the synthetic banner. Pages load their data from the API over HTTP. */
import { afterRender, fallback, route, startRouter } from './router.ts';
import { h } from './format.ts';
import { show, updateBanner } from './page.ts';
import { renderNation } from './pages/nation.ts';
import { renderPlace } from './pages/place.ts';
import { renderFacility } from './pages/facility.ts';
import { renderCompare } from './pages/compare.ts';
import { renderMethodology } from './pages/methodology.ts';
import { renderAbout } from './pages/about.ts';
import { renderPolicyChange } from './pages/policy-change.ts';
import { renderClaim, renderClaims } from './pages/claims.ts';
import { mountPlaceSearch } from './search.ts';

route(/^\/$/, (_p, signal) => renderNation(signal));
route(/^\/state\/([A-Za-z]{2})$/, ([st], signal) => renderPlace(`state:${st!.toUpperCase()}`, signal));
route(/^\/county\/(\d{5})$/, ([fips], signal) => renderPlace(`county:${fips}`, signal));
route(/^\/facility\/([^/]+)$/, ([code], signal) => renderFacility(code!, signal));
route(/^\/compare$/, (_p, signal) => renderCompare(signal));
route(/^\/methodology$/, (_p, signal) => renderMethodology(signal));
route(/^\/about$/, async (_p, signal) => renderAbout(signal));
route(/^\/policy-change\/([^/]+)$/, ([id], signal) => renderPolicyChange(id!, signal));
route(/^\/claims$/, (_p, signal) => renderClaims(signal));
route(/^\/claims\/([^/]+)$/, ([id], signal) => renderClaim(id!, signal));
fallback(async ([path], signal) => {
  show(signal, 'Not found', h('h1', {}, 'Page not found'), h('p', {}, `Nothing is published at ${path ?? ''}. `, h('a', { href: '/' }, 'Go to the national view'), '.'));
});
afterRender(updateBanner);
mountPlaceSearch(document.querySelector<HTMLElement>('header.site')!);
startRouter();
