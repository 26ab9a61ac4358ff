/**
 * A chart as a file a reader can put in a story or a brief: the chart's SVG on its own (with the
 * styles the page gave it written onto its elements, since the page's stylesheet does not travel),
 * or a PNG of it at twice its size on white, with the chart's title above and its source line below,
 * so the picture carries where its figures come from.
 */

/** Presentation properties copied from the page onto the exported elements. */
const STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility'];
const SVG_NS = 'http://www.w3.org/2000/svg';

/** The main SVG of a figure: the largest one (Plot draws legends and marks as separate elements). */
export function mainSvg(figure: Element): SVGSVGElement | null {
  let best: SVGSVGElement | null = null;
  let area = 0;
  for (const svg of figure.querySelectorAll('svg')) {
    const r = svg.getBoundingClientRect();
    if (r.width * r.height > area) {
      area = r.width * r.height;
      best = svg;
    }
  }
  return best;
}

/** The SVG as a standalone document: size, namespace, a title, and each element's computed presentation. */
export function standaloneSvg(svg: SVGSVGElement, title: string): { text: string; width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width));
  const height = Math.max(1, Math.round(box.height));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  from.forEach((el, i) => {
    const target = to[i];
    if (!target) return;
    const cs = getComputedStyle(el);
    for (const p of STYLE_PROPS) {
      const v = cs.getPropertyValue(p);
      if (v) target.setAttribute(p, v);
    }
    target.removeAttribute('class');
  });
  for (const s of clone.querySelectorAll('style')) s.remove();
  // Patterns and gradients the chart points to from the page's shared <defs> (the hatch of a
  // withheld cell): copied in, so the file draws alone.
  const ids = new Set<string>();
  for (const el of to) {
    for (const attr of ['fill', 'stroke']) {
      const v = el.getAttribute(attr);
      const m = v?.match(/^url\(["']?#([^"')]+)["']?\)$/);
      if (m) {
        ids.add(m[1]!);
        el.setAttribute(attr, `url(#${m[1]})`);
      }
    }
  }
  const defs = document.createElementNS(SVG_NS, 'defs');
  for (const id of ids) {
    if (clone.querySelector(`[id="${CSS.escape(id)}"]`)) continue;
    const def = document.getElementById(id);
    if (def) defs.append(def.cloneNode(true));
  }
  if (defs.childNodes.length) clone.insertBefore(defs, clone.firstChild);
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  if (!clone.getAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const t = document.createElementNS(SVG_NS, 'title');
  t.textContent = title;
  clone.insertBefore(t, clone.firstChild);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`, width, height };
}

/** Lines of `text` that fit `max` pixels in the canvas's current font. */
function wrap(ctx: CanvasRenderingContext2D, text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width > max && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** A PNG of the SVG at twice its size, on white, with the title above and the source line below. */
export async function pngOf(svg: { text: string; width: number; height: number }, title: string, source: string): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.text)}`;
  await img.decode();
  const scale = 2;
  const pad = 12;
  const width = Math.max(svg.width, 320) + 2 * pad;
  const measure = document.createElement('canvas').getContext('2d')!;
  measure.font = 'bold 16px sans-serif';
  const titleLines = wrap(measure, title, width - 2 * pad);
  measure.font = '12px sans-serif';
  const sourceLines = wrap(measure, source, width - 2 * pad);
  const height = pad + titleLines.length * 20 + 6 + svg.height + 8 + sourceLines.length * 16 + pad;
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#1a1a1a';
  ctx.textBaseline = 'top';
  ctx.font = 'bold 16px sans-serif';
  let y = pad;
  for (const l of titleLines) {
    ctx.fillText(l, pad, y);
    y += 20;
  }
  y += 6;
  ctx.drawImage(img, pad, y, svg.width, svg.height);
  y += svg.height + 8;
  ctx.font = '12px sans-serif';
  ctx.fillStyle = '#444444';
  for (const l of sourceLines) {
    ctx.fillText(l, pad, y);
    y += 16;
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not draw the PNG'))), 'image/png'));
}
