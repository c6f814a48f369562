/**
 * A small SVG writer for `market plot`: line charts (axes, ticks, legend) stacked into one
 * document. Plain strings, no dependency; values are drawn as numbers (display only).
 */

/** One line of a chart. */
export interface Series {
  label: string;
  /** y per x (same length as the chart's `xs`). */
  values: readonly number[];
  color: string;
  /** Dashed line (e.g. the curve before a trade). */
  dashed?: boolean;
}

/** A line chart panel. */
export interface LineChart {
  title: string;
  xs: readonly number[];
  series: readonly Series[];
  xLabel: string;
  yLabel: string;
  /** Draw y = 0 (for signed values such as a payoff). */
  zeroLine?: boolean;
}

const PANEL_W = 720;
const PANEL_H = 300;
const M = { left: 80, right: 20, top: 36, bottom: 48 };

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Up to ~5 round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  return Number(v.toPrecision(6)).toString();
}

/** One panel as an SVG group at vertical offset `y0`. */
export function lineChartGroup(chart: LineChart, y0: number): string {
  const w = PANEL_W - M.left - M.right;
  const h = PANEL_H - M.top - M.bottom;
  const xs = chart.xs;
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const all = chart.series.flatMap((s) => s.values);
  let yMin = Math.min(0, ...all);
  let yMax = Math.max(0, ...all);
  if (yMax === yMin) yMax = yMin + 1;
  const pad = (yMax - yMin) * 0.05;
  yMax += pad;
  if (yMin < 0) yMin -= pad;
  const px = (x: number): number => M.left + (xMax === xMin ? w / 2 : ((x - xMin) / (xMax - xMin)) * w);
  const py = (y: number): number => M.top + h - ((y - yMin) / (yMax - yMin)) * h;
  const parts: string[] = [`<g transform="translate(0,${y0})">`];
  parts.push(`<text x="${PANEL_W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`);
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
  for (const t of ticks(xMin, xMax)) {
    parts.push(`<line x1="${px(t)}" y1="${M.top + h}" x2="${px(t)}" y2="${M.top + h + 5}" stroke="#333"/>`);
    parts.push(`<text x="${px(t)}" y="${M.top + h + 18}" text-anchor="middle" font-size="11">${fmt(t)}</text>`);
  }
  for (const t of ticks(yMin, yMax)) {
    parts.push(`<line x1="${M.left - 5}" y1="${py(t)}" x2="${M.left + w}" y2="${py(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${M.left - 8}" y="${py(t) + 4}" text-anchor="end" font-size="11">${fmt(t)}</text>`);
  }
  if (chart.zeroLine) parts.push(`<line x1="${M.left}" y1="${py(0)}" x2="${M.left + w}" y2="${py(0)}" stroke="#333" stroke-width="1"/>`);
  parts.push(`<text x="${M.left + w / 2}" y="${PANEL_H - 10}" text-anchor="middle" font-size="12">${escapeXml(chart.xLabel)}</text>`);
  parts.push(`<text x="16" y="${M.top + h / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${M.top + h / 2})">${escapeXml(chart.yLabel)}</text>`);
  chart.series.forEach((s, k) => {
    const pts = s.values.map((v, i) => `${px(xs[i]!).toFixed(2)},${py(v).toFixed(2)}`).join(" ");
    parts.push(`<polyline class="series" data-label="${escapeXml(s.label)}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""} points="${pts}"/>`);
    const ly = M.top + 14 + 16 * k;
    parts.push(`<line x1="${M.left + w - 150}" y1="${ly - 4}" x2="${M.left + w - 126}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    parts.push(`<text x="${M.left + w - 120}" y="${ly}" font-size="11">${escapeXml(s.label)}</text>`);
  });
  parts.push("</g>");
  return parts.join("\n");
}

/** Panels stacked vertically in one SVG document. */
export function svgDocument(charts: readonly LineChart[]): string {
  const height = PANEL_H * charts.length;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PANEL_W}" height="${height}" viewBox="0 0 ${PANEL_W} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...charts.map((c, i) => lineChartGroup(c, i * PANEL_H)),
    `</svg>`,
    "",
  ].join("\n");
}
