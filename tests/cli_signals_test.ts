// SIGTERM (timeout, docker stop, Kubernetes, systemd) and SIGHUP (a closed terminal) stop a run
// as Ctrl-C does, under each runtime itself: Deno on the source, Node and Bun on the bundle. A
// real command line talks to a simulator on 127.0.0.1; the signal goes out when the third push
// arrives (an event, not a sleep), and that push is answered only once the command line has
// said it was interrupted, so it is the one request in flight: the simulator took it, the client
// gave up on it.
import assert from "node:assert/strict";
import { urlsOn } from "./_helpers.ts";
import { runMain } from "./cli/in_process.ts";
import {
  allRunners,
  bundleCli,
  collectText,
  type JsonReport,
  runCli,
  type Runner,
  serveSimulator,
  SIMULATOR_ENV,
  spawnCli,
} from "./cli/run.ts";
import { interruptedStatus, StoppedBySignal, stopper, stopSignals } from "../src/cli/signals.ts";

const BATCH = 5;
/** The push that is in flight when the signal arrives. */
const SIGNALLED_PUSH = 3;

interface Stopped {
  code: number;
  /** The signal that killed the process, or null when it exited by itself. */
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `--file input --remaining remaining` against a served simulator and sends `signal` when
 * push number {@linkcode SIGNALLED_PUSH} arrives; that push is answered after the command line
 * says it was interrupted (or has ended). Returns the run and the simulator.
 */
async function stopMidRun(
  runner: Runner,
  signal: Deno.Signal,
  files: { input: string; remaining: string },
) {
  const arrived = Promise.withResolvers<void>();
  const interrupted = Promise.withResolvers<void>();
  let pushes = 0;
  const served = serveSimulator({}, async (request, answer) => {
    if (request.headers.get("X-TC-Action") !== "PushUrlsCache") return await answer();
    if (++pushes !== SIGNALLED_PUSH) return await answer();
    const response = answer(); // the simulator takes the batch now, whatever the client does
    arrived.resolve();
    await interrupted.promise;
    return await response;
  });
  const args = [
    ...["--file", files.input, "--remaining", files.remaining, "--json"],
    ...["--endpoint", served.endpoint, "--batch-size", String(BATCH), "--concurrency", "1"],
    ...["--rate", "off"],
  ];
  const child = spawnCli(args, { runner, env: SIMULATOR_ENV });
  void arrived.promise.then(() => child.kill(signal));
  const seen = new RegExp(`^Interrupted \\(${signal}\\): sending nothing new`, "m");
  const status = child.status.finally(() => interrupted.resolve());
  const [stdout, stderr, { code, signal: killedBy }] = await Promise.all([
    collectText(child.stdout),
    collectText(child.stderr, (soFar) => {
      if (seen.test(soFar)) interrupted.resolve();
    }),
    status,
  ]);
  const stopped: Stopped = { code, signal: killedBy, stdout, stderr };
  return { stopped, served, args };
}

Deno.test("cli: SIGTERM and SIGHUP stop a run as Ctrl-C does on Deno, Node and Bun: exit 128+n, --remaining holds exactly the unsent URLs, the rerun sends none twice", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const runners = allRunners(await bundleCli(dir));
    const cases: [Deno.Signal, number][] = [["SIGTERM", 143], ["SIGHUP", 129], ["SIGINT", 130]];
    for (const runner of runners) {
      for (const [signal, exitStatus] of cases) {
        await t.step(`${runner.name}: ${signal}`, async () => {
          const urls = urlsOn("www.example.com", 8 * BATCH);
          const files = {
            input: `${dir}/${runner.name}-${signal}-input.txt`,
            remaining: `${dir}/${runner.name}-${signal}-remaining.txt`,
          };
          await Deno.writeTextFile(files.input, urls.join("\n") + "\n");
          const { stopped, served, args } = await stopMidRun(runner, signal, files);
          await using _ = served;
          const where = `${runner.name} ${signal}: ${stopped.stderr}`;
          assert.equal(stopped.signal, null, `${where}: it exited by itself, not killed`);
          assert.equal(stopped.code, exitStatus, where);

          // Two pushes answered, the third in flight (taken by the simulator, given up on by
          // the client: may have been submitted), the rest never sent.
          const sent = urls.slice(0, (SIGNALLED_PUSH - 1) * BATCH);
          const inFlight = urls.slice(sent.length, SIGNALLED_PUSH * BATCH);
          const unsent = urls.slice(SIGNALLED_PUSH * BATCH);
          const report: JsonReport = JSON.parse(stopped.stdout);
          assert.equal(report.aborted, true, where);
          assert.deepEqual(report.tasks.flatMap((task) => task.urls), sent, where);
          assert.deepEqual(
            report.failed.filter((f) => f.maybeSubmitted).flatMap((f) => f.urls),
            inFlight,
            where,
          );
          assert.deepEqual(report.rejected.map((r) => [r.url, r.reason]), [
            ...unsent.map((url) => [url, "aborted"]),
          ], where);
          const taken = served.sim.accepted.flatMap((task) => task.urls);
          assert.deepEqual(taken, [...sent, ...inFlight], where);

          // --remaining holds exactly what was not sent: never what may have been submitted.
          assert.equal(await Deno.readTextFile(files.remaining), unsent.join("\n") + "\n", where);

          // The documented rerun sends the rest, and no URL twice.
          const rerun = await runCli([
            ...["--file", files.remaining],
            ...args.slice(args.indexOf("--remaining")),
          ], { runner, env: SIMULATOR_ENV });
          assert.equal(rerun.code, 0, `${runner.name} ${signal} rerun: ${rerun.stderr}`);
          const all = served.sim.accepted.flatMap((task) => task.urls);
          assert.deepEqual([...all].sort(), [...urls].sort(), `${where}: every URL exactly once`);
          assert.equal(await Deno.readTextFile(files.remaining), "");
        });
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("signals: which a platform listens for, and the exit status each gives", async () => {
  assert.deepEqual(stopSignals("linux"), ["SIGINT", "SIGTERM", "SIGHUP"]);
  assert.deepEqual(stopSignals("darwin"), ["SIGINT", "SIGTERM", "SIGHUP"]);
  assert.deepEqual(stopSignals("win32"), ["SIGINT"], "Windows delivers only Ctrl-C");
  const aborted = (reason: unknown) => AbortSignal.abort(reason);
  assert.equal(interruptedStatus(aborted(new StoppedBySignal("SIGTERM"))), 143);
  assert.equal(interruptedStatus(aborted(new StoppedBySignal("SIGHUP"))), 129);
  assert.equal(interruptedStatus(aborted(new StoppedBySignal("SIGINT"))), 130);
  assert.equal(interruptedStatus(aborted(new Error("Ctrl-C, unnamed"))), 130);
  assert.equal(interruptedStatus(aborted({ signal: "SIGKILL" })), 130, "not one it stops on");

  // The same signal again quits at once; another one while stopping is ignored.
  const exits: number[] = [];
  const controller = new AbortController();
  const stop = stopper(controller, (code) => exits.push(code));
  stop("SIGTERM");
  assert.equal(controller.signal.reason.signal, "SIGTERM");
  stop("SIGHUP"); // systemd's SendSIGHUP=yes, right after SIGTERM
  assert.deepEqual(exits, [], "the run goes on stopping, to write its state");
  stop("SIGTERM");
  assert.deepEqual(exits, [143]);

  // In-process, main() gives the same status and names the signal.
  const interrupt = new AbortController();
  const { code, stderr } = await runMain(["--simulate", "--file", "-"], {
    interrupt: interrupt.signal,
    async *stdin() {
      yield "https://www.example.com/a.js\n";
      interrupt.abort(new StoppedBySignal("SIGTERM"));
    },
  });
  assert.equal(code, 143, stderr);
  assert.match(stderr, /^Interrupted \(SIGTERM\): sending nothing new/m);
  assert.match(stderr, /^Interrupted while reading the input: nothing was sent\.$/m);
});
