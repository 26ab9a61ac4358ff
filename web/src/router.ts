/** A small router over the History API: same-origin links are handled in place; /api links load normally. */

export type Render = (params: string[], signal: AbortSignal) => Promise<void>;

interface Route {
  pattern: RegExp;
  render: Render;
}

const routes: Route[] = [];
let current: AbortController | null = null;
let onRendered: (() => void) | null = null;
let notFound: Render = async () => {};

export function route(pattern: RegExp, render: Render): void {
  routes.push({ pattern, render });
}
export function fallback(render: Render): void {
  notFound = render;
}
export function afterRender(fn: () => void): void {
  onRendered = fn;
}

/** Renders the view for the current location (aborting a view still loading). */
export async function renderCurrent(focus = false): Promise<void> {
  current?.abort();
  const ctl = new AbortController();
  current = ctl;
  // A marker for assistive tooling and tests: 'loading' until the view has drawn, then 'ready'.
  document.documentElement.dataset.view = 'loading';
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const hit = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  await (hit ? hit.r.render(hit.m!.slice(1).map(decodeURIComponent), ctl.signal) : notFound([path], ctl.signal));
  if (ctl.signal.aborted) return;
  onRendered?.();
  document.documentElement.dataset.view = 'ready';
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  else if (focus) {
    // A new view starts at its top, with focus on the main region (screen readers announce it).
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus({ preventScroll: true });
  }
}

export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void renderCurrent(!replace);
}

export function startRouter(): void {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a) return;
    const href = a.getAttribute('href');
    if (!href || a.hasAttribute('download') || a.getAttribute('target')) return;
    const url = new URL(href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api') || url.pathname.startsWith('/assets')) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return; // in-page anchor
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
  window.addEventListener('popstate', () => void renderCurrent());
  void renderCurrent();
}
