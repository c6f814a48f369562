/** A minimal SVG line chart (no dependencies): one polyline per series, axes with ticks. */
export interface Series {
  name: string;
  points: [number, number][];
  color: string;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Plot x on a log2 axis (shard counts). */
  logX?: boolean;
  width?: number;
  height?: number;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Renders `series` as an SVG document. */
export function lineChart(series: Series[], o: ChartOptions): string {
  const w = o.width ?? 820;
  const h = o.height ?? 420;
  const m = { l: 70, r: 260, t: 40, b: 50 };
  const xs = series.flatMap((s) => s.points.map((p) => (o.logX ? Math.log2(p[0]) : p[0])));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const y1 = Math.max(1, ...ys);
  const px = (x: number): number => m.l + ((o.logX ? Math.log2(x) : x) - x0) / Math.max(1e-9, x1 - x0) * (w - m.l - m.r);
  const py = (y: number): number => h - m.b - (y / y1) * (h - m.t - m.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${w / 2 - m.r / 2}" y="22" text-anchor="middle" font-size="14">${esc(o.title)}</text>`,
    `<line x1="${m.l}" y1="${h - m.b}" x2="${w - m.r}" y2="${h - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${h - m.b}" stroke="black"/>`,
    `<text x="${(m.l + w - m.r) / 2}" y="${h - 12}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text x="16" y="${(m.t + h - m.b) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(m.t + h - m.b) / 2})">${esc(o.yLabel)}</text>`,
  ];
  const xTicks = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  for (const x of xTicks) {
    out.push(`<line x1="${px(x)}" y1="${h - m.b}" x2="${px(x)}" y2="${h - m.b + 5}" stroke="black"/>`);
    out.push(`<text x="${px(x)}" y="${h - m.b + 18}" text-anchor="middle">${x}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const y = (y1 * i) / 4;
    out.push(`<line x1="${m.l - 5}" y1="${py(y)}" x2="${w - m.r}" y2="${py(y)}" stroke="#ddd"/>`);
    out.push(`<text x="${m.l - 8}" y="${py(y) + 4}" text-anchor="end">${Number.isInteger(y) ? y : y.toFixed(1)}</text>`);
  }
  series.forEach((s, i) => {
    const pts = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ");
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`);
    for (const [x, y] of s.points) out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    const ly = m.t + 16 * i;
    out.push(`<rect x="${w - m.r + 12}" y="${ly - 9}" width="12" height="4" fill="${s.color}"/>`);
    out.push(`<text x="${w - m.r + 30}" y="${ly - 4}">${esc(s.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
