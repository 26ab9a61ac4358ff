/**
 * The place search in the site header, on every page: type part of a state, county or facility
 * name, a postal code, a county FIPS code or a facility (DETLOC) code, pick a match, land on its page.
 * An ARIA 1.2 combobox with a listbox popup: arrow keys move, Enter opens, Escape closes; a tap or
 * click opens a match. Places come from /api/places.json (loaded once, on first use), so only
 * places with published figures are found, and their names are the API's (src/metrics/place.ts).
 * API: /api/places.json
 */
import { getJson, type PlaceRow } from './api.ts';
import { h } from './format.ts';
import { placePath, titleCase } from './geo.ts';
import { navigate } from './router.ts';
import { carryFilters } from './state.ts';

/** Levels with a page of their own, in the order matches are listed. */
const LEVELS = ['state', 'county', 'facility'] as const;
const LEVEL_WORDS: Record<(typeof LEVELS)[number], string> = { state: 'State', county: 'County', facility: 'Facility' };
const MAX_MATCHES = 10;

interface Entry {
  key: string;
  level: (typeof LEVELS)[number];
  name: string;
  detail: string;
  /** Lower-case, accent-free text the query is matched against: name, codes, state. */
  haystack: string;
  /** The unit's code, folded: postal code, county FIPS or facility code. */
  code: string;
}

const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();

function entryOf(row: PlaceRow): Entry | null {
  if (!(LEVELS as readonly string[]).includes(row.level)) return null;
  const level = row.level as Entry['level'];
  const id = row.place.slice(row.place.indexOf(':') + 1);
  // Units of records the release could not place have no page a reader would look for.
  if (id === 'unknown' || id.startsWith('unmatched-') || id.startsWith('none-')) return null;
  const name = level === 'facility' ? titleCase(row.name ?? row.label) : (row.name ?? row.label);
  const codes = level === 'state' ? id : level === 'county' ? `FIPS ${id}` : `code ${id}`;
  const where = level === 'state' ? '' : row.state ? ` · ${row.state}` : '';
  return { key: row.place, level, name, detail: `${LEVEL_WORDS[level]} · ${codes}${where}`, haystack: fold(`${name} ${id} ${row.state ?? ''}`), code: fold(id) };
}

/** Matches of a query: every word must occur; an exact name or code first, then names that start with it, then word starts; by level, then name. */
export function matchPlaces(entries: readonly Entry[], query: string): Entry[] {
  const q = fold(query);
  if (q === '') return [];
  const words = q.split(' ');
  const rank = (e: Entry): number => {
    const name = fold(e.name);
    if (name === q || e.code === q) return 0; // the whole name, a postal, FIPS or facility code
    if (name.startsWith(q)) return 1;
    if (words.every((w) => new RegExp(`(^|[^a-z0-9])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(e.haystack))) return 2;
    return 3;
  };
  return entries
    .filter((e) => words.every((w) => e.haystack.includes(w)))
    .map((e) => ({ e, r: rank(e) }))
    .sort((a, b) => a.r - b.r || LEVELS.indexOf(a.e.level) - LEVELS.indexOf(b.e.level) || a.e.name.localeCompare(b.e.name))
    .slice(0, MAX_MATCHES)
    .map((x) => x.e);
}

let entries: Promise<Entry[]> | null = null;
function loadEntries(): Promise<Entry[]> {
  if (!entries) {
    entries = getJson<PlaceRow>('/api/places.json').then((env) => env.rows.map(entryOf).filter((e): e is Entry => e !== null));
    entries.catch(() => (entries = null));
  }
  return entries;
}

/** Builds the search form and puts it in the site header. */
export function mountPlaceSearch(header: HTMLElement): void {
  const listId = 'place-search-list';
  const input = h('input', {
    type: 'search', id: 'place-search', name: 'place', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId, placeholder: 'State, county or facility',
  });
  const list = h('ul', { id: listId, role: 'listbox', 'aria-label': 'Matching places', class: 'place-search-list', hidden: true });
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { role: 'search', class: 'place-search', 'aria-label': 'Find a place' },
    h('label', { for: 'place-search' }, 'Find a place'), input, list, status);
  let shown: Entry[] = [];
  let shownFor = '';
  let active = -1;

  const close = (): void => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const setActive = (i: number): void => {
    active = i;
    list.querySelectorAll('[role="option"]').forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', `place-search-opt-${i}`);
      list.children[i]?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const open = (e: Entry): void => {
    close();
    input.value = '';
    input.blur();
    navigate(carryFilters(placePath(e.key)));
  };
  const update = async (): Promise<void> => {
    const q = input.value;
    let all: Entry[];
    try {
      all = await loadEntries();
    } catch {
      shown = [];
      list.replaceChildren(h('li', { class: 'place-search-empty' }, 'Places could not be loaded; try again.'));
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      return;
    }
    if (input.value !== q) return; // a newer keystroke is on its way
    shown = matchPlaces(all, q);
    shownFor = q;
    if (fold(q) === '') return close();
    list.replaceChildren(
      ...(shown.length
        ? shown.map((e, i) => {
            const li = h('li', { id: `place-search-opt-${i}`, role: 'option', 'aria-selected': 'false', 'data-place': e.key },
              h('span', { class: 'place-search-name' }, e.name), h('span', { class: 'place-search-detail' }, e.detail));
            li.addEventListener('mousedown', (ev) => ev.preventDefault()); // keep focus in the input
            li.addEventListener('click', () => open(e));
            return li;
          })
        : [h('li', { class: 'place-search-empty' }, 'No place with published figures matches.')]),
    );
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
    status.textContent = shown.length ? `${shown.length} ${shown.length === 1 ? 'place matches' : 'places match'}` : 'No place matches';
  };

  input.addEventListener('input', () => void update());
  input.addEventListener('focus', () => void loadEntries().catch(() => undefined));
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (list.hidden) return void update();
      if (!shown.length) return;
      const n = shown.length;
      setActive(ev.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n);
    } else if (ev.key === 'Escape') {
      if (!list.hidden) ev.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => close());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (shownFor !== input.value) await update();
    const pick = shown[active >= 0 ? active : 0];
    if (pick) open(pick);
  });
  header.append(form);
}
