/**
 * `deno task simulator` as a newcomer runs it: its command from deno.json, on a free port, and
 * what it prints to export (and to put in the Worker's `.dev.vars`), read back from its output.
 * @module
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

/** A running simulator task and what it printed. */
export interface SimulatorTask extends AsyncDisposable {
  /** The endpoint it serves, e.g. `http://127.0.0.1:40123/`. */
  endpoint: string;
  /** Its `export NAME=value` lines, as a record. */
  exports: Record<string, string>;
  /** What it says to put in examples/cloudflare-worker/.dev.vars, line by line. */
  devVars: string[];
  /** Everything it wrote to standard output. */
  stdout: string;
  /** Its request log (standard error) so far. */
  log(): string;
  /** Stops it and waits until it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts the `simulator` task of deno.json (its command, with this Deno) with `args`, and
 * waits until it has printed what to export. Bounded: fails after `timeoutMs`.
 */
export async function startSimulatorTask(
  args: string[] = ["--port", "0"],
  timeoutMs = 30_000,
): Promise<SimulatorTask> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const command: string = config.tasks.simulator.command ?? config.tasks.simulator;
  const [program, ...taskArgs] = command.split(" ");
  assert.equal(program, "deno", `the simulator task runs deno: ${command}`);
  const child = new Deno.Command(Deno.execPath(), {
    args: [...taskArgs, ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let log = "";
  const logDone = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (log += chunk) }),
  ).catch(() => {});
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  const deadline = Date.now() + timeoutMs;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await reader.cancel().catch(() => {});
    await logDone;
  };
  try {
    while (!/public test keys/.test(stdout)) {
      const left = deadline - Date.now();
      assert.ok(left > 0, `the simulator task printed no exports in ${timeoutMs} ms:\n${stdout}`);
      const next = await beforeDeadline(reader.read(), left, "the simulator task's exports");
      assert.ok(!next.done, `the simulator task ended: ${stdout}\n${log}`);
      stdout += next.value;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  // Keep reading so that its output never fills the pipe.
  (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: "" }));
      if (done) return;
      stdout += value;
    }
  })();
  const exports = Object.fromEntries(
    [...stdout.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  const afterDevVars = stdout.split(/^For the Worker example.*$/m)[1] ?? "";
  const devVars = afterDevVars.split("\n\n")[1]?.split("\n").filter(Boolean) ?? [];
  const endpoint = exports.TENCENTCLOUD_ENDPOINT;
  assert.ok(endpoint, `the simulator task exports TENCENTCLOUD_ENDPOINT:\n${stdout}`);
  return {
    endpoint,
    exports,
    devVars,
    get stdout() {
      return stdout;
    },
    log: () => log,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** `promise`, or a rejection naming `what` once `ms` have passed (the timer is cleared). */
export async function beforeDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port nothing listens on right now, for servers that cannot pick their own. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
