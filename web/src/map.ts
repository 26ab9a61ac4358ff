/**
 * Choropleth of states or counties from us-atlas's pre-projected Albers USA topologies (975×610),
 * drawn with d3-geo's geoPath (null projection). Regions are links for pointer users; keyboard and
 * screen-reader users get the companion list (the chart's table), so the map itself is not a tab trap.
 */
import { geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import statesUrl from 'us-atlas/states-albers-10m.json?url';
import countiesUrl from 'us-atlas/counties-albers-10m.json?url';
import { countyNames } from './geo.ts';

const SVG = 'http://www.w3.org/2000/svg';

type Topo = Topology<{ states: GeometryCollection<{ name: string }>; counties?: GeometryCollection<{ name: string }>; nation: GeometryCollection }>;

const topoCache = new Map<string, Promise<Topo>>();
function loadTopo(url: string): Promise<Topo> {
  let p = topoCache.get(url);
  if (!p) {
    p = fetch(url).then((r) => {
      if (!r.ok) throw new Error(`map data ${url}: HTTP ${r.status}`);
      return r.json() as Promise<Topo>;
    });
    topoCache.set(url, p);
    p.catch(() => topoCache.delete(url));
  }
  return p;
}

export const loadStates = (): Promise<Topo> => loadTopo(statesUrl);
/** Counties (≈800 KB) load only when asked for; they also fill in county names. */
export async function loadCounties(): Promise<Topo> {
  const t = await loadTopo(countiesUrl);
  if (!countyNames.size && t.objects.counties) {
    for (const g of t.objects.counties.geometries) if (g.id !== undefined) countyNames.set(String(g.id), (g.properties as { name?: string } | undefined)?.name ?? '');
  }
  return t;
}

export interface Region {
  id: string;
  name: string;
  href: string | null;
  fill: string;
  title: string;
  hatch?: boolean;
  highlight?: boolean;
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** Draws regions of a topology object; `style(id, name)` says how each is filled and where it links. */
export function drawMap(topo: Topo, object: 'states' | 'counties', style: (id: string, name: string) => Region | null, label: string, opts: { clipToState?: string } = {}): SVGSVGElement {
  const path = geoPath();
  // Hidden from assistive technology: the companion list and the table carry every value and link.
  const svg = el('svg', { viewBox: '0 0 975 610', class: 'map', 'aria-hidden': 'true', focusable: 'false', 'data-label': label });
  const g = el('g', {});
  const coll = topo.objects[object]!;
  const features = feature(topo, coll).features.filter((f) => !opts.clipToState || String(f.id).startsWith(opts.clipToState));
  for (const f of features) {
    const id = String(f.id);
    const r = style(id, f.properties?.name ?? id);
    if (!r) continue;
    const p = el('path', { d: path(f) ?? '', fill: r.hatch ? 'url(#withheld-hatch)' : r.fill, class: r.highlight ? 'region highlight' : 'region' });
    const t = el('title', {});
    t.textContent = r.title;
    p.append(t);
    if (r.href) {
      const a = el('a', { href: r.href, tabindex: '-1' });
      a.append(p);
      g.append(a);
    } else g.append(p);
  }
  svg.append(g);
  if (!opts.clipToState) {
    svg.append(el('path', { d: path(mesh(topo, topo.objects.states, (a, b) => a !== b)) ?? '', class: 'borders' }));
  } else {
    // Fit the viewBox to the state.
    const b = path.bounds({ type: 'FeatureCollection', features } as never);
    const pad = 10;
    const [[x0, y0], [x1, y1]] = b;
    if (Number.isFinite(x0)) svg.setAttribute('viewBox', `${x0 - pad} ${y0 - pad} ${x1 - x0 + 2 * pad} ${y1 - y0 + 2 * pad}`);
  }
  return svg;
}

/** A legend for a colour ramp or categories, as SVG attributes (no inline styles). */
export function swatchLegend(items: { fill: string; label: string; hatch?: boolean; term?: Node }[]): HTMLUListElement {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  ul.setAttribute('aria-label', 'Legend');
  for (const it of items) {
    const li = document.createElement('li');
    const svg = el('svg', { width: '14', height: '14', 'aria-hidden': 'true' });
    svg.append(el('rect', { width: '14', height: '14', fill: it.hatch ? 'url(#withheld-hatch)' : it.fill, stroke: '#777', 'stroke-width': '0.5' }));
    li.append(svg, ...(it.term ? [it.term, document.createTextNode(it.label)] : [document.createTextNode(it.label)]));
    ul.append(li);
  }
  return ul;
}
