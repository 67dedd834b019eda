/**
 * Asking again until something is done, or the time is up: the clock and the sleep are
 * injectable (tests move a fake clock instead of waiting), and the sleep ends when the signal
 * aborts. Written for the purge step; made to be folded into the task-waiting machinery of
 * `waitForTasks` once both exist on one branch.
 * @module
 */
import { abortableDelay } from "./retry.ts";

/** A sleep that rejects with the signal's reason as soon as it aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** How {@linkcode pollUntil} paces itself. */
export interface PollOptions {
  /** Milliseconds between two checks. */
  intervalMs: number;
  /** Milliseconds, on `now`, after which it gives up. */
  timeoutMs: number;
  /** The clock the deadline is kept on. */
  now: () => number;
  /** Sleeps between checks. @default {an abortable `setTimeout`} */
  sleep?: Sleep;
  /** Ends the wait: the sleep rejects with its reason. */
  signal?: AbortSignal;
}

/**
 * Calls `check` at once and then every `intervalMs` until it returns true (resolves true) or
 * `timeoutMs` have passed on the clock (resolves false).
 * @throws the signal's reason when it aborts during a sleep.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  options: PollOptions,
): Promise<boolean> {
  const { now, intervalMs, signal, sleep = abortableDelay } = options;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    if (await check()) return true;
    const left = deadline - now();
    if (left <= 0) return false;
    signal?.throwIfAborted();
    await sleep(Math.min(intervalMs, left), signal);
  }
}
