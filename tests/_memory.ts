/**
 * The peak resident set (VmHWM, Linux only) and CPU time of a subprocess, sampled from /proc
 * while it runs.
 * @module
 */
import { collectText } from "./cli/run.ts";

/** What a measured run left behind. */
export interface MeasuredRun {
  /** Peak RSS in MiB (to within one sampling interval). */
  mb: number;
  /** User and system CPU time in seconds (to within one sampling interval). */
  cpuSeconds: number;
  /** Whether it was killed for running past `killAfterMs`. */
  killed: boolean;
  /** Exit status. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Clock ticks per second of /proc/PID/stat's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * Runs `child` to its end, sampling its peak RSS and CPU time. With `killAfterMs`, a child
 * still running then is killed (so that a test of a bound ends even when the bound is broken).
 */
export async function peakRss(
  child: Deno.ChildProcess,
  killAfterMs?: number,
): Promise<MeasuredRun> {
  let peakKb = 0;
  let ticks = 0;
  let running = true;
  let killed = false;
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, killAfterMs);
  const sampler = (async () => {
    // VmHWM and the CPU times only grow, so the last reading before exit is the final one (to
    // within one interval).
    while (running) {
      try {
        const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
        const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, kb);
        // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
        const stat = await Deno.readTextFile(`/proc/${child.pid}/stat`);
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks = Math.max(ticks, Number(fields[11]) + Number(fields[12]));
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
  clearTimeout(timer);
  await sampler;
  return {
    mb: peakKb / 1024,
    cpuSeconds: ticks / TICKS_PER_SECOND,
    killed,
    code: status.code,
    stdout,
    stderr,
  };
}
