/**
 * Spaces request starts so that no more than a given number begin in any one second.
 * @module
 */
import { abortableDelay } from "./retry.ts";

/**
 * Hands out start times at least `1000 / perSecond` ms apart, on the real monotonic clock,
 * so no one-second window holds more than `perSecond` starts, whatever the concurrency.
 */
export class RequestPacer {
  #interval: number;
  #next = 0;

  /** @param perSecond Most request starts per second; `Infinity` turns pacing off. */
  constructor(perSecond: number) {
    this.#interval = 1000 / perSecond;
  }

  /** Waits for the next free start slot; rejects with the signal's reason if it aborts. */
  async take(signal?: AbortSignal): Promise<void> {
    if (this.#interval === 0) return;
    const slot = Math.max(performance.now(), this.#next);
    this.#next = slot + this.#interval;
    // Timers may fire a little early on some runtimes; wait until the slot has really begun.
    while (performance.now() < slot) {
      await abortableDelay(Math.max(1, Math.ceil(slot - performance.now())), signal);
    }
    signal?.throwIfAborted();
  }
}
