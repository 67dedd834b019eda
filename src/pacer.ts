/**
 * Spaces request starts so that no more than a given number begin in any one second.
 * @module
 */
import { abortableDelay } from "./retry.ts";

/**
 * Lets callers through one at a time, each at least `1000 / perSecond` ms (real, monotonic
 * time) after the previous one was let through, so no one-second window holds more than
 * `perSecond` starts whatever the concurrency. Call it right before sending: the spacing is
 * measured from when each caller actually went ahead, so a slow caller never lets the next
 * ones bunch up behind it.
 */
export class RequestPacer {
  readonly #interval: number;
  #last = -Infinity;
  #queue: Promise<void> = Promise.resolve();

  /** @param perSecond Most request starts per second; `Infinity` turns pacing off. */
  constructor(perSecond: number) {
    this.#interval = 1000 / perSecond;
  }

  /** Waits for this caller's turn; rejects with the signal's reason if it aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    if (this.#interval === 0) return Promise.resolve();
    const turn = this.#queue.then(async () => {
      signal?.throwIfAborted();
      // Timers may fire a little early on some runtimes: wait until the time has really come.
      for (let wait = this.#last + this.#interval - performance.now(); wait > 0;) {
        await abortableDelay(Math.ceil(wait), signal);
        wait = this.#last + this.#interval - performance.now();
      }
      this.#last = performance.now();
    });
    this.#queue = turn.catch(() => {});
    return turn;
  }
}
