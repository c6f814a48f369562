/** Batch timing for the SDK benchmarks: warm-up, then timed batches; per-call figures. */
export interface Timing {
  /** Per call, microseconds: median batch, mean, fastest batch. */
  medianUs: number;
  meanUs: number;
  bestUs: number;
  calls: number;
}

/** Times `fn` in `samples` batches of `batch` calls after `warmup` calls (JIT). */
export function timeBatches(fn: () => unknown, batch: number, samples: number, warmup: number): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const per: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    per.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
  }
  return summarize(per, batch);
}

/** The same for an async function (one call per sample). */
export async function timeAsync(fn: () => Promise<unknown>, samples: number, warmup: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const per: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    await fn();
    per.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return summarize(per, 1);
}

function summarize(per: number[], batch: number): Timing {
  const sorted = [...per].sort((a, b) => a - b);
  return {
    medianUs: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    meanUs: per.reduce((a, b) => a + b, 0) / per.length,
    bestUs: sorted[0] ?? NaN,
    calls: per.length * batch,
  };
}
