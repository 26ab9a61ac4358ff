/**
 * The security headers of every response, API and dashboard alike: one CSP with nothing inline and
 * nothing from elsewhere, no sniffing, no referrer, no framing.
 */

/** Content-Security-Policy of every response. Plot's SVG styles are set through the CSSOM (allowed). */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Sets the headers; `cors` also lets other sites read the (public) API's answers. */
export function setSecurityHeaders(headers: Headers, options: { cors: boolean }): void {
  headers.set('Content-Security-Policy', CSP);
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('X-Frame-Options', 'DENY');
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  if (options.cors) headers.set('Access-Control-Allow-Origin', '*');
}
