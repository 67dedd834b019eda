/**
 * The per-action request rate limit, on the simulated clock.
 *
 * @module
 */

const WINDOW_MS = 1000;

/**
 * Admits at most `limit` requests per key within any sliding 1 s window. Only admitted requests
 * count: a client that backs off is let in again as soon as the window has room, as with a
 * token bucket, instead of being locked out by its own rejected attempts.
 */
export class SlidingWindowLimiter {
  readonly #limit: number;
  readonly #admitted = new Map<string, number[]>();

  /** @param limit requests per key per second; `Infinity` admits everything. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Admits (and counts) a request for `key` at `now`, or refuses it. */
  admit(key: string, now: number): boolean {
    const recent = (this.#admitted.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
    const admitted = recent.length < this.#limit;
    if (admitted) recent.push(now);
    this.#admitted.set(key, recent);
    return admitted;
  }

  /** Forgets every admitted request. */
  clear(): void {
    this.#admitted.clear();
  }
}
