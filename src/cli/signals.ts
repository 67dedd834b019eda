/**
 * The signals that stop a run: Ctrl-C (`SIGINT`), and what schedulers send, `SIGTERM`
 * (`timeout`, `docker stop`, Kubernetes, systemd) and `SIGHUP` (a closed terminal or SSH
 * session). All three abort the run through the one signal `main()` is given, so every one
 * leaves the same state behind; the exit status says which it was (128 + its number).
 * @module
 */
import process from "node:process";

/** The signals a run stops on, with their POSIX numbers (the same on Linux and macOS). */
export const STOP_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** A signal the command line stops on. */
export type StopSignal = keyof typeof STOP_SIGNALS;

/** Exit status of a run interrupted without a named signal: 128 + SIGINT's number. */
const INTERRUPTED = 128 + STOP_SIGNALS.SIGINT;

/** The abort reason of a run stopped by a signal: names it, for the message and exit status. */
export class StoppedBySignal extends Error {
  override name = "StoppedBySignal";
  /** The signal that stopped the run. */
  readonly signal: StopSignal;

  /** Names the signal in the message, e.g. `Interrupted (SIGTERM)`. */
  constructor(signal: StopSignal) {
    super(`Interrupted (${signal})`);
    this.signal = signal;
  }
}

/** The signal that aborted `interrupt`, when its reason names one of {@linkcode STOP_SIGNALS}. */
export function stopSignalOf(interrupt: AbortSignal | undefined): StopSignal | undefined {
  const signal = (interrupt?.reason as { signal?: unknown } | undefined)?.signal;
  return typeof signal === "string" && Object.hasOwn(STOP_SIGNALS, signal)
    ? signal as StopSignal
    : undefined;
}

/** The exit status of an interrupted run: 128 + the signal's number, 130 when none is named. */
export function interruptedStatus(interrupt: AbortSignal | undefined): number {
  const signal = stopSignalOf(interrupt);
  return signal === undefined ? INTERRUPTED : 128 + STOP_SIGNALS[signal];
}

/**
 * The signals this platform delivers to a listener. Windows has no `SIGTERM` or `SIGHUP` a
 * process can catch (Deno refuses to listen for them there; Node never emits `SIGTERM`):
 * only Ctrl-C.
 */
export function stopSignals(platform: string = process.platform): StopSignal[] {
  return platform === "win32" ? ["SIGINT"] : ["SIGINT", "SIGTERM", "SIGHUP"];
}

/**
 * Listens for every stop signal this platform has, with one handler, through `node:process`
 * (Deno maps it to `Deno.addSignalListener`; Node and Bun have it natively). Returns what
 * removes the listeners again.
 */
export function onStopSignals(handler: (signal: StopSignal) => void): () => void {
  const listening: [StopSignal, () => void][] = [];
  for (const signal of stopSignals()) {
    const listener = () => handler(signal);
    try {
      process.on(signal, listener);
      listening.push([signal, listener]);
    } catch {
      // A runtime that cannot listen for this signal leaves it to its default: stop at once.
    }
  }
  return () => {
    for (const [signal, listener] of listening) process.off(signal, listener);
  };
}

/**
 * What a stop signal does: the first aborts `interrupt` with a {@linkcode StoppedBySignal}; the
 * same signal again calls `exit` with 128 + its number (a second Ctrl-C quits at once); another
 * one while stopping is ignored, since some senders follow one with the other (systemd's
 * `SendSIGHUP=yes` sends SIGHUP right after SIGTERM) and the run must still write its state.
 */
export function stopper(
  interrupt: AbortController,
  exit: (code: number) => void,
): (signal: StopSignal) => void {
  let first: StopSignal | undefined;
  return (signal) => {
    if (first === undefined) {
      first = signal;
      interrupt.abort(new StoppedBySignal(signal));
    } else if (signal === first) exit(128 + STOP_SIGNALS[signal]);
  };
}
