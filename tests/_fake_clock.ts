// A simulator on a fake clock, and the pause that moves that clock on: with both given to the
// client (`now`, `sleep`), a 30-minute wait runs in milliseconds.
import { type SimulatorOptions, TencentCdnSimulator } from "../src/testing/mod.ts";

/** One minute, in ms. */
export const MINUTE = 60_000;
/** 2026-11-28 12:00 in Beijing: where the fake clock starts. */
export const START = Date.UTC(2026, 10, 28, 4);

/** The simulator (domains www/img.example.com and cdn.example.net), its clock, and `sleep`. */
export function simulatorOnFakeClock(options: SimulatorOptions = {}) {
  const clock = { ms: START, sleeps: [] as number[] };
  const now = (): number => clock.ms;
  const sim = new TencentCdnSimulator({
    domains: ["www.example.com", "img.example.com", "cdn.example.net"],
    now,
    ...options,
  });
  /** Records the pause and moves the clock on at once; rejects when the signal aborted. */
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    clock.sleeps.push(ms);
    clock.ms += ms;
    return Promise.resolve();
  };
  return { sim, clock, now, sleep };
}
