/**
 * A terminal chart of a market curve: columns of block characters (eighth-block resolution),
 * at most `width` columns (each the largest value of the grid points it covers), with the
 * maximum on the left and the outcome domain underneath.
 */
const BLOCKS = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/** Options of `terminalChart`. */
export interface ChartOptions {
  width?: number;
  height?: number;
  /** Label of the top of the y axis (default: the maximum value). */
  yMaxLabel?: string;
  /** Labels under the left and right end of the x axis. */
  xLabels?: [string, string];
}

/** Values (non-negative) as a block chart of `height` rows. */
export function terminalChart(values: readonly bigint[], opts: ChartOptions = {}): string {
  const width = Math.max(1, Math.min(opts.width ?? 61, values.length));
  const height = Math.max(1, opts.height ?? 8);
  const cols: bigint[] = [];
  for (let c = 0; c < width; c++) {
    const a = Math.floor((c * values.length) / width);
    const b = Math.max(a + 1, Math.floor(((c + 1) * values.length) / width));
    let m = 0n;
    for (let i = a; i < b; i++) if ((values[i] ?? 0n) > m) m = values[i]!;
    cols.push(m);
  }
  const max = cols.reduce((a, v) => (v > a ? v : a), 0n);
  // Column heights in eighths of a row; a positive value shows at least one eighth.
  const eighths = cols.map((v) => (max === 0n ? 0 : Number((v * BigInt(height * 8) + max - 1n) / max)));
  const label = opts.yMaxLabel ?? max.toString();
  const pad = " ".repeat(label.length);
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    const line = eighths.map((e) => BLOCKS[Math.max(0, Math.min(8, e - r * 8))]).join("");
    rows.push(`${r === height - 1 ? label : pad} │${line}`);
  }
  rows.push(`${pad} └${"─".repeat(width)}`);
  if (opts.xLabels) {
    const [l, rgt] = opts.xLabels;
    rows.push(`${pad}  ${l}${" ".repeat(Math.max(1, width - l.length - rgt.length))}${rgt}`);
  }
  return rows.join("\n");
}
