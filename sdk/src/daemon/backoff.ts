/**
 * Capped exponential backoff with jitter: after `n` consecutive failures the next wait is
 * `min(cap, base * 2^n)` scaled by a random factor in [0.5, 1], so several keepers that lost
 * the same RPC node don't retry in lockstep. A success resets it.
 */
export class Backoff {
  private failures = 0;

  constructor(
    readonly baseMs: number,
    readonly capMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Consecutive failures so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  fail(): number {
    const exp = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.round(exp * (0.5 + this.random() / 2));
  }

  reset(): void {
    this.failures = 0;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs `op` up to `attempts` times with backoff between failures; `onError` sees every
 * failure (the daemon counts them as RPC errors). Throws the last error.
 */
export async function retry<T>(
  op: () => Promise<T>,
  opts: { attempts: number; baseMs: number; capMs: number; onError?: (e: unknown, attempt: number) => void; signal?: AbortSignal },
): Promise<T> {
  const backoff = new Backoff(opts.baseMs, opts.capMs);
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      opts.onError?.(e, attempt);
      if (attempt >= opts.attempts || opts.signal?.aborted) throw e;
      await sleep(backoff.fail(), opts.signal);
    }
  }
}
