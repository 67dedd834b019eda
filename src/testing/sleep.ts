/**
 * A real-time wait, for latency and `delay` faults (the simulated clock never moves by itself).
 *
 * @module
 */

/** Resolves after `ms` real milliseconds; `0` still yields to the event loop once. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
