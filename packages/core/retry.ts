/** Waiting and retrying, written once for every service (tests pass a sleep of their own). */

export type Sleep = (ms: number) => Promise<void>;

export const sleep: Sleep = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Backoff {
  /** The first retry waits up to 2 x baseMs, each next one up to twice as long... */
  baseMs: number;
  /** ...but never more than capMs. */
  capMs: number;
}

/** Full jitter: a random wait up to min(capMs, baseMs x 2^attempt), so that contenders spread out. */
export function jitteredBackoff(attempt: number, backoff: Backoff): number {
  return Math.random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
}

export interface RetryPolicy extends Backoff {
  maxAttempts: number;
}

/**
 * Runs `attempt` until it returns, until an error is not `retryable`, or until maxAttempts were
 * made (the last error is thrown), with a jittered back-off between attempts.
 */
export async function retry<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryPolicy & { retryable: (error: unknown) => boolean; sleep: Sleep },
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= options.maxAttempts || !options.retryable(error)) throw error;
      await options.sleep(jitteredBackoff(n, options));
    }
  }
}
