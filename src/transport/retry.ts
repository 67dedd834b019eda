/**
 * Exponential backoff with full jitter, and a delay that ends early when the signal aborts.
 * @module
 */

/** How long to wait between attempts. */
export interface BackoffPolicy {
  /** Most attempts after the first. */
  retries: number;
  /** The cap of the first backoff window, in ms; each retry doubles it. */
  baseDelayMs: number;
  /** The largest backoff window, in ms. */
  maxDelayMs: number;
  /** A source of numbers in [0, 1); replaceable for tests. @default {Math.random} */
  random?: () => number;
}

/** The wait before retry number `retry` (0-based): uniform in [0, min(max, base × 2^retry)). */
export function backoffDelay(retry: number, policy: BackoffPolicy): number {
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor((policy.random ?? Math.random)() * window);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableDelay(
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
