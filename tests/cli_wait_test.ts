// The command line's --wait and `status TASK_ID... --wait`: in-process against the simulator on
// a fake clock (a 30-minute wait runs in milliseconds), and once as users run it, a subprocess
// against a served simulator on the real clock.
import assert from "node:assert/strict";
import type { CliIo } from "../src/cli/io.ts";
import type { SimulatorOptions } from "../src/testing/mod.ts";
import { urlsOn } from "./_helpers.ts";
import { MINUTE, simulatorOnFakeClock } from "./_fake_clock.ts";
import { runCli, serveSimulator, SIMULATOR_ENV } from "./cli/run.ts";
import { runMain } from "./cli/in_process.ts";

/** A simulator on a fake clock and main() wired to it; `sleep` moves the clock on. */
function setup(options: SimulatorOptions = {}) {
  const { sim, clock, now, sleep } = simulatorOnFakeClock(options);
  const run = (args: string[], io: Partial<CliIo> = {}) => {
    const command = args[0] === "status" || args[0] === "quota" ? [] : ["--rate", "off"];
    return runMain([...args, ...command], {
      env: (name) => SIMULATOR_ENV[name],
      fetch: sim.fetch,
      now,
      sleep,
      ...io,
    });
  };
  return { sim, clock, run };
}

Deno.test("cli --wait: several hosts, failed and invalid URLs listed with advice, exit 1", async () => {
  const { sim, run } = setup({
    taskDurationMs: 20 * MINUTE,
    pushStatusCase: "capitalized",
    taskOutcomes: [
      { match: /\/missing-/, status: "invalid", durationMs: 5 * MINUTE },
      { match: "https://img.example.com/asset-1.js", status: "fail" },
    ],
  });
  const urls = [
    ...urlsOn("www.example.com", 2),
    ...urlsOn("img.example.com", 2),
    "https://cdn.example.net/missing-1.png",
  ];
  const result = await run([...urls, "--wait"]);
  assert.equal(result.code, 1, result.stderr);
  // The run's summary first (its task ids), then the wait's.
  assert.match(result.stdout, /^Created 3 tasks for 5 URLs:$/m);
  assert(result.stdout.indexOf("Created 3 tasks") < result.stdout.indexOf("Waited"));
  assert.match(
    result.stdout,
    /^failed: 1 URL\. Tencent could not prefetch these: prewarm them again later\.\n {4}https:\/\/img\.example\.com\/asset-1\.js {2}task \S+$/m,
  );
  assert.match(
    result.stdout,
    /^invalid: 1 URL\. The origin answered 4xx\/5xx for these: check that each answers 200, then prewarm them again\.\n {4}https:\/\/cdn\.example\.net\/missing-1\.png {2}task \S+$/m,
  );
  assert.doesNotMatch(result.stdout, /asset-0\.js {2}task/, "done URLs are not listed");
  assert.match(
    result.stdout,
    /^Waited 20 min \d\d s for 5 URLs: 3 done, 1 failed, 1 invalid, 0 pending\.$/m,
  );
  // Progress: a plain line per round on a non-terminal, counts and elapsed time.
  const lines = result.stderr.split("\n").filter((l) => l.startsWith("Waiting "));
  assert.equal(lines[0], "Waiting 0 ms: 0 done, 0 failed, 0 invalid, 5 pending");
  assert.match(lines.at(-1)!, /^Waiting 20 min \d\d s: 3 done, 1 failed, 1 invalid, 0 pending$/);
  assert(lines.some((l) => / 1 invalid, 4 pending$/.test(l)), "the invalid URL came first");
  assert.doesNotMatch(result.stderr, /\r/);
  assert.equal(sim.quotaUsed("overseas"), 5);
});

Deno.test("cli --wait: every URL done exits 0; --json carries the wait results", async () => {
  const { run } = setup({ taskDurationMs: 7 * MINUTE });
  const urls = [...urlsOn("www.example.com", 2), ...urlsOn("img.example.com", 1)];
  const result = await run([...urls, "--wait", "--json", "--poll-interval", "1m"]);
  assert.equal(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  assert.equal(json.counts.submitted, 3);
  assert.deepEqual(json.wait.counts, { done: 3, failed: 0, invalid: 0, pending: 0, unknown: 0 });
  assert.deepEqual(json.wait.urls.map((u: { url: string }) => u.url), urls);
  assert.equal(json.wait.timedOut, false);
  // People's text goes to standard error beside the JSON.
  assert.match(result.stderr, /^Waited 7 min 00 s for 3 URLs: 3 done/m);
  // --poll-interval 1m: rounds at 0, 1 min, then 1 min apart (the cap rises to the interval).
  const rounds = result.stderr.split("\n").filter((l) => l.startsWith("Waiting ")).length;
  assert.equal(rounds, 8);
});

Deno.test("cli --wait: a timeout with URLs pending and nothing else wrong exits 3; anything else wrong wins", async () => {
  const { run } = setup({
    taskDurationMs: 5 * MINUTE,
    taskOutcomes: [{ match: /asset-1\.js$/, durationMs: 50 * MINUTE }],
  });
  const urls = urlsOn("www.example.com", 3);
  const slow = await run([...urls, "--wait", "--wait-timeout", "20m", "--json"]);
  assert.equal(slow.code, 3, slow.stderr);
  const json = JSON.parse(slow.stdout);
  assert.equal(json.wait.timedOut, true);
  assert.deepEqual(json.wait.counts, { done: 2, failed: 0, invalid: 0, pending: 1, unknown: 0 });
  assert.match(
    slow.stderr,
    /^pending at the timeout: 1 URL\. Still in process when the wait ended: the task may still finish; check again later \(prewarm status TASK_ID\)\.\n {4}https:\/\/www\.example\.com\/asset-1\.js {2}task \S+ {2}40%$/m,
  );
  assert.match(slow.stderr, /^Waited 20 min 00 s for 3 URLs: .* \(the wait timed out\)\.$/m);

  // A URL not sent besides the timeout: exit 1.
  const mixed = await run([
    ...urlsOn("img.example.com", 2),
    "not a url",
    "--wait",
    "--wait-timeout",
    "10m",
  ]);
  assert.equal(mixed.code, 1, mixed.stderr);
  assert.match(mixed.stdout, /the wait timed out/);
});

Deno.test("cli status TASK_ID... --wait: earlier tasks, an unknown id, exit codes; several ids without --wait look once", async () => {
  const { clock, run } = setup({
    taskDurationMs: 10 * MINUTE,
    taskOutcomes: [{ match: /img\.example\.com/, durationMs: 40 * MINUTE }],
  });
  const first = JSON.parse(
    (await run([...urlsOn("www.example.com", 2), ...urlsOn("img.example.com", 1), "--json"]))
      .stdout,
  );
  const [www, img] = first.tasks.map((t: { taskId: string }) => t.taskId);
  clock.ms += MINUTE;

  const look = await run(["status", www, img]);
  assert.equal(look.code, 0, look.stderr);
  assert.match(look.stdout, /^3 URLs: 0 done, 0 failed, 0 invalid, 3 pending\.$/m);
  assert.doesNotMatch(look.stderr, /Waiting/);

  const waited = await run(["status", www, "--wait"]);
  assert.equal(waited.code, 0, waited.stderr);
  assert.match(waited.stdout, /^Waited 9 min \d\d s for 2 URLs: 2 done/m);

  const timedOut = await run(["status", www, img, "--wait", "--wait-timeout", "10m", "--json"]);
  assert.equal(timedOut.code, 3, timedOut.stderr);
  assert.deepEqual(JSON.parse(timedOut.stdout).counts, {
    done: 2,
    failed: 0,
    invalid: 0,
    pending: 1,
    unknown: 0,
  });

  const unknown = await run(["status", www, "no-such-task", "--wait"]);
  assert.equal(unknown.code, 1, unknown.stderr);
  assert.match(
    unknown.stdout,
    /^unknown: 1 URL\. Tencent does not list these: .*\n {4}\(no URL listed\) {2}task no-such-task$/m,
  );
});

Deno.test("cli status TASK_ID, status --url and quota sign with the run's clock, as --wait does", async () => {
  // The simulator refuses a signature more than 5 minutes off its clock, which is the run's.
  const { run } = setup();
  const url = "https://www.example.com/app.js";
  const pushed = await run([url, "--json"]);
  assert.equal(pushed.code, 0, pushed.stderr);
  const [task] = JSON.parse(pushed.stdout).tasks;
  for (const args of [["status", task.taskId], ["status", "--url", url], ["quota"]]) {
    const answered = await run(args);
    assert.equal(answered.code, 0, `${args.join(" ")}: ${answered.stderr}`);
  }
});

Deno.test("cli --wait: progress redrawn in place on a terminal; an interrupt mid-wait exits 130 with the summary", async () => {
  const { run } = setup({ taskDurationMs: 3 * MINUTE });
  const tty = await run([...urlsOn("www.example.com", 2), "--wait"], { stderrIsTTY: true });
  assert.equal(tty.code, 0, tty.stderr);
  const redraw = "\r\x1b[2K";
  assert(
    tty.stderr.includes(
      `${redraw}Waiting 0 ms: 0 done, 0 failed, 0 invalid, 2 pending${redraw}Waiting 10.0 s:`,
    ),
    JSON.stringify(tty.stderr),
  );

  const interrupt = new AbortController();
  let rounds = 0;
  const stopped = await run([...urlsOn("img.example.com", 2), "--wait"], {
    interrupt: interrupt.signal,
    stderr: (text) => {
      if (text.startsWith("Waiting ") && ++rounds === 2) interrupt.abort(new Error("SIGINT"));
    },
  });
  assert.equal(stopped.code, 130);
  assert.match(stopped.stdout, /^INTERRUPTED while waiting: the URLs not final are pending\.$/m);
  assert.match(stopped.stdout, /for 2 URLs: 0 done, 0 failed, 0 invalid, 2 pending\.$/m);
});

Deno.test("cli --wait: usage mistakes exit 2 before anything is sent", async () => {
  const { sim, run } = setup();
  const cases: [string[], RegExp][] = [
    [
      ["https://www.example.com/a.js", "--wait-timeout", "5m"],
      /--wait-timeout applies only with --wait/,
    ],
    [["status", "t1", "--poll-interval", "5s"], /--poll-interval applies only with --wait/],
    [
      ["https://www.example.com/a.js", "--wait", "--wait-timeout", "soon"],
      /--wait-timeout must be a duration above 0 such as 90s, 30m or 1h, got "soon"/,
    ],
    [
      ["--dry-run", "--wait", "https://www.example.com/a.js"],
      /--dry-run and --wait cannot be combined/,
    ],
    [
      ["status", "--url", "https://www.example.com/a.js", "--wait"],
      /--wait waits for TASK_IDs, not for --url/,
    ],
    [["quota", "--wait"], /--wait does not apply to the quota command/],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  assert.equal(sim.requests.length, 0);
});

Deno.test("cli --wait as users run it: a subprocess against a served simulator on the real clock", async () => {
  await using served = serveSimulator({
    taskDurationMs: 600,
    taskOutcomes: [{ match: /asset-1\.js$/, status: "invalid" }],
  });
  const urls = urlsOn("www.example.com", 3);
  const result = await runCli(
    [...urls, "--wait", "--poll-interval", "200ms", "--endpoint", served.endpoint],
    { env: SIMULATOR_ENV },
  );
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /^Waiting \d+ ms: 0 done, 0 failed, 0 invalid, 3 pending$/m);
  assert.match(
    result.stdout,
    /^invalid: 1 URL\. .*\n {4}https:\/\/www\.example\.com\/asset-1\.js {2}task/m,
  );
  assert.match(result.stdout, /for 3 URLs: 2 done, 0 failed, 1 invalid, 0 pending\.$/m);
  const taskId = served.sim.accepted[0]!.taskId;
  const status = await runCli(["status", taskId, "--wait", "--endpoint", served.endpoint], {
    env: SIMULATOR_ENV,
  });
  assert.equal(status.code, 1, status.stderr);
  assert.match(status.stdout, /for 3 URLs: 2 done, 0 failed, 1 invalid, 0 pending\.$/m);
});
