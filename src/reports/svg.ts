/**
 * Server-side SVG charts for reports: horizontal bars (one period, several values) and lines (several
 * periods). Hand-built so a report carries no script and no dependency. Withheld figures get no bar
 * and no point — they are labelled ("<11", "withheld") and never drawn as zero.
 */
import { escapeHtml } from './markdown.ts';

/** One bar: a label, a published count (null when withheld) and the text to show. */
export interface BarDatum {
  label: string;
  count: number | null;
  display: string;
}

/** One line series over ordered periods. */
export interface LineSeries {
  name: string;
  points: { x: string; y: number | null; display: string }[];
}

/** Neutral colours that carry no judgement (no red/green). */
const PALETTE = ['#3b6ea5', '#c07d2c', '#6b6b9a', '#4f8a8b', '#8c6d4f', '#7a7a7a'];
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/** A round axis maximum that splits into four whole-number ticks. */
function niceMax(v: number): number {
  if (v <= 4) return 4;
  const p = 10 ** Math.floor(Math.log10(v));
  let best = 10 * p;
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= v) {
      best = m * p;
      break;
    }
  }
  return Math.ceil(best / 4) * 4;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** A horizontal bar chart as an SVG string. */
export function barChart(data: readonly BarDatum[], opts: { title: string; width?: number }): string {
  const width = opts.width ?? 640;
  const labelW = Math.min(260, Math.max(90, ...data.map((d) => d.label.length * 6.6 + 12)));
  const row = 22;
  const top = 8;
  const height = top + data.length * row + 24;
  const plotW = width - labelW - 90;
  const max = niceMax(Math.max(0, ...data.map((d) => d.count ?? 0)));
  const x = (v: number) => labelW + (v / max) * plotW;
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (max / 4) * k;
    parts.push(`<line x1="${x(v).toFixed(1)}" y1="${top}" x2="${x(v).toFixed(1)}" y2="${top + data.length * row}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${x(v).toFixed(1)}" y="${top + data.length * row + 14}" font-size="10" text-anchor="middle" fill="#555" ${FONT}>${fmt(v)}</text>`);
  }
  data.forEach((d, i) => {
    const y = top + i * row;
    parts.push(`<text x="${labelW - 8}" y="${y + 15}" font-size="11" text-anchor="end" fill="#222" ${FONT}>${escapeHtml(d.label)}</text>`);
    if (d.count !== null) {
      const w = Math.max(d.count > 0 ? 1 : 0, x(d.count) - labelW);
      parts.push(`<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}" fill="${PALETTE[0]}"/>`);
      parts.push(`<text x="${(labelW + w + 5).toFixed(1)}" y="${y + 15}" font-size="11" fill="#222" ${FONT}>${escapeHtml(d.display)}</text>`);
    } else {
      parts.push(`<rect x="${labelW}" y="${y + 4}" width="14" height="${row - 8}" fill="none" stroke="#777" stroke-dasharray="2 2"/>`);
      parts.push(`<text x="${labelW + 20}" y="${y + 15}" font-size="11" fill="#555" font-style="italic" ${FONT}>${escapeHtml(d.display)}</text>`);
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${escapeHtml(opts.title)}"><title>${escapeHtml(opts.title)}</title>${parts.join('')}</svg>`;
}

/** A line chart over ordered periods as an SVG string; withheld points leave a gap. */
export function lineChart(series: readonly LineSeries[], opts: { title: string; width?: number }): string {
  const width = opts.width ?? 640;
  const xs = series[0]?.points.map((p) => p.x) ?? [];
  const legendH = series.length > 1 ? 16 * Math.ceil(series.length / 3) + 4 : 0;
  const height = 200 + legendH;
  const left = 48;
  const right = 28;
  const top = 10 + legendH;
  const bottom = 36;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.y ?? 0))));
  const step = xs.length > 1 ? (width - left - right) / (xs.length - 1) : 0;
  const x = (i: number) => (xs.length > 1 ? left + i * step : left + (width - left - right) / 2);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (max / 4) * k;
    parts.push(`<line x1="${left}" y1="${y(v).toFixed(1)}" x2="${width - right}" y2="${y(v).toFixed(1)}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${left - 6}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end" fill="#555" ${FONT}>${fmt(v)}</text>`);
  }
  const every = Math.max(1, Math.ceil(xs.length / 8));
  xs.forEach((label, i) => {
    if (i % every === 0 || i === xs.length - 1) parts.push(`<text x="${x(i).toFixed(1)}" y="${height - bottom + 16}" font-size="10" text-anchor="middle" fill="#555" ${FONT}>${escapeHtml(label)}</text>`);
  });
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    let d = '';
    let pen = false;
    s.points.forEach((p, i) => {
      if (p.y === null) {
        pen = false;
        parts.push(`<text x="${x(i).toFixed(1)}" y="${(top + plotH - 4).toFixed(1)}" font-size="9" text-anchor="middle" fill="#777" font-style="italic" ${FONT}>${escapeHtml(p.display)}</text>`);
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.y).toFixed(1)}`;
      pen = true;
      parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="2.5" fill="${color}"><title>${escapeHtml(`${s.name} ${p.x}: ${p.display}`)}</title></circle>`);
    });
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"/>`);
    if (series.length > 1) {
      const lx = left + (k % 3) * 190;
      const ly = 12 + Math.floor(k / 3) * 16;
      parts.push(`<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${color}"/><text x="${lx + 14}" y="${ly + 1}" font-size="10" fill="#222" ${FONT}>${escapeHtml(s.name)}</text>`);
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${escapeHtml(opts.title)}"><title>${escapeHtml(opts.title)}</title>${parts.join('')}</svg>`;
}
