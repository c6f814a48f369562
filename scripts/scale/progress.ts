/**
 * A one-line progress bar on stderr (redrawn in place on a terminal, one line per 10% when
 * stderr is a pipe or a file, so logs stay short).
 */
export class Progress {
  private done = 0;
  private lastDecile = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly quiet = false,
  ) {
    this.draw();
  }

  tick(n = 1): void {
    this.done += n;
    this.draw();
  }

  /** Final line (with the count reached: a phase may stop early). */
  finish(): number {
    this.draw(true);
    return (Date.now() - this.started) / 1000;
  }

  private draw(final = false): void {
    if (this.quiet) return;
    const frac = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    if (process.stderr.isTTY) {
      const width = 30;
      const full = Math.round(frac * width);
      const bar = "#".repeat(full) + "-".repeat(width - full);
      process.stderr.write(`\r${this.label.padEnd(28)} [${bar}] ${this.done}/${this.total} ${secs} s${final ? "\n" : ""}`);
      return;
    }
    const decile = Math.floor(frac * 10);
    if (decile !== this.lastDecile || final) {
      if (final && decile === 10 && this.lastDecile === 10) return;
      this.lastDecile = decile;
      process.stderr.write(`${this.label}: ${this.done}/${this.total} (${secs} s)\n`);
    }
  }
}
