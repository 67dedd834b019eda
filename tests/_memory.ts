/**
 * The peak resident set (VmHWM, Linux only) of a subprocess, sampled from /proc while it runs.
 * @module
 */
import { collectText } from "./cli/run.ts";

/** What a measured run left behind. */
export interface MeasuredRun {
  /** Peak RSS in MiB (to within one sampling interval). */
  mb: number;
  /** Exit status. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Runs `child` to its end, sampling its peak RSS. */
export async function peakRss(child: Deno.ChildProcess): Promise<MeasuredRun> {
  let peakKb = 0;
  let running = true;
  const sampler = (async () => {
    // VmHWM only grows, so the last reading before exit is the peak (to within one interval).
    while (running) {
      try {
        const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
        const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, kb);
      } catch {
        // Gone between two readings.
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const [stdout, stderr, status] = await Promise.all([
    collectText(child.stdout),
    collectText(child.stderr),
    child.status,
  ]);
  running = false;
  await sampler;
  return { mb: peakKb / 1024, code: status.code, stdout, stderr };
}
