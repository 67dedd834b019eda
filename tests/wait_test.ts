// waitForTasks() and pollTasks() against the simulator on a fake clock: a 30-minute wait runs in
// milliseconds, because the simulator's `now`, the client's `now` and the wait's `sleep` are
// the same clock.
import assert from "node:assert/strict";
import { errorAdvice, MemoryCoordinator, prewarm, waitForTasks } from "../mod.ts";
import { pollTasks } from "../src/engine/wait.ts";
import {
  SIMULATOR_CREDENTIALS,
  type SimulatorOptions,
  TencentCdnSimulator,
} from "../src/testing/mod.ts";
import { urlsOn } from "./_helpers.ts";
import { MINUTE, simulatorOnFakeClock } from "./_fake_clock.ts";
import { FakeTime } from "./_fake_time.ts";

/** A simulator, and call options that share its fake clock; `sleep` moves the clock on. */
function setup(options: SimulatorOptions = {}) {
  const { sim, clock, now, sleep } = simulatorOnFakeClock(options);
  const call = {
    credentials: SIMULATOR_CREDENTIALS,
    fetch: sim.fetch,
    now,
    coordinator: new MemoryCoordinator(),
    maxRequestsPerSecond: Infinity,
  };
  const describeCalls = () => sim.requests.filter((r) => r.action === "DescribePushTasks");
  return { sim, clock, call, sleep, describeCalls };
}

function statusOf(result: { urls: { url: string; status: string }[] }): Record<string, string> {
  return Object.fromEntries(result.urls.map((u) => [u.url, u.status]));
}

Deno.test("wait: several hosts end with every URL's final status, statuses in mixed case", async () => {
  const { sim, clock, call, sleep, describeCalls } = setup({
    taskDurationMs: 20 * MINUTE,
    pushStatusCase: "capitalized",
    taskOutcomes: [
      { match: /\/missing-/, status: "invalid", durationMs: 5 * MINUTE },
      { match: "https://img.example.com/asset-1.js", status: "fail", durationMs: 12 * MINUTE },
    ],
  });
  const www = urlsOn("www.example.com", 3);
  const img = urlsOn("img.example.com", 2);
  const missing = [
    "https://cdn.example.net/missing-1.png",
    "https://cdn.example.net/missing-2.png",
  ];
  const report = await prewarm([...www, ...img, ...missing], call);
  assert.equal(report.tasks.length, 3);
  const progress: [Record<string, number>, number][] = [];
  const result = await waitForTasks(report, {
    ...call,
    sleep,
    onProgress: (counts, elapsed) => progress.push([{ ...counts }, elapsed]),
  });
  assert.equal(result.timedOut, false);
  assert.equal(result.aborted, false);
  assert.equal(result.error, undefined);
  assert.deepEqual(statusOf(result), {
    [www[0]!]: "done",
    [www[1]!]: "done",
    [www[2]!]: "done",
    [img[0]!]: "done",
    [img[1]!]: "failed",
    [missing[0]!]: "invalid",
    [missing[1]!]: "invalid",
  });
  assert.deepEqual(result.counts, { done: 4, failed: 1, invalid: 2, pending: 0, unknown: 0 });
  // Every URL once, in the order of the tasks, each with its task id.
  assert.deepEqual(
    result.urls.map((u) => [u.taskId, u.url]),
    report.tasks.flatMap((t) => t.urls.map((url) => [t.taskId, url])),
  );
  for (const u of result.urls) {
    assert.equal(u.percent, 100);
    assert.match(u.updatedAt ?? "", /^2026-11-28 12:\d\d:\d\d$/);
  }
  // Pauses start at 10 s and grow by half up to 60 s; the wait lasted the 20-minute task.
  assert.deepEqual(clock.sleeps.slice(0, 6), [10_000, 15_000, 22_500, 33_750, 50_625, 60_000]);
  assert(clock.sleeps.every((ms) => ms <= 60_000));
  const elapsed = progress.at(-1)![1];
  assert(elapsed >= 20 * MINUTE && elapsed < 21 * MINUTE, `elapsed ${elapsed}`);
  assert.deepEqual(progress[0]![0], { done: 0, failed: 0, invalid: 0, pending: 7, unknown: 0 });
  assert.equal(progress.length, clock.sleeps.length + 1, "one progress call per round");
  // The cdn.example.net task is final after 5 minutes: it is not read again, while the other
  // two (final after 20) are read every round.
  const rounds = progress.length;
  const readsOfQuickTask = progress.findIndex(([, ms]) => ms >= 5 * MINUTE) + 1;
  assert(readsOfQuickTask > 1 && readsOfQuickTask < rounds);
  assert.equal(describeCalls().length, 2 * rounds + readsOfQuickTask);
  assert(describeCalls().every((r) => r.outcome === "Success"));
  // Nothing spent by waiting.
  assert.equal(sim.quotaUsed("overseas"), 7);
});

Deno.test("wait: a task of several pages is read page by page, every URL once", async () => {
  const { sim, call, sleep, describeCalls } = setup({
    taskDurationMs: MINUTE,
    v3BatchLimit: 2500,
    dailyLimit: 5000,
    taskOutcomes: [{ match: /asset-2\d\d\d\.js$/, status: "invalid" }],
  });
  const urls = urlsOn("www.example.com", 2100);
  const report = await prewarm(urls, { ...call, batchSize: 2500, dailyLimit: 5000 });
  assert.equal(report.tasks.length, 1);
  const result = await waitForTasks(report, { ...call, sleep });
  assert.equal(result.urls.length, 2100);
  assert.deepEqual(result.urls.map((u) => u.url), urls);
  assert.deepEqual(result.counts, { done: 2000, failed: 0, invalid: 100, pending: 0, unknown: 0 });
  // Two rounds (at once, then after 10 s... until the minute passed) of three pages each.
  const calls = describeCalls();
  assert.equal(calls.length % 3, 0);
  assert.equal(sim.requests.filter((r) => r.outcome !== "Success").length, 0);
});

Deno.test("wait: task ids alone; an unknown task id comes back unknown, never dropped", async () => {
  const { call, sleep, describeCalls } = setup({ taskDurationMs: 2 * MINUTE });
  const report = await prewarm(urlsOn("www.example.com", 2), call);
  const id = report.tasks[0]!.taskId;
  let rounds = 0;
  const result = await waitForTasks([id, "no-such-task", id], {
    ...call,
    sleep,
    onProgress: () => rounds++,
  });
  assert.deepEqual(result.urls.map((u) => [u.taskId, u.url, u.status]), [
    [id, "https://www.example.com/asset-0.js", "done"],
    [id, "https://www.example.com/asset-1.js", "done"],
    ["no-such-task", "", "unknown"],
  ]);
  assert.deepEqual(result.counts, { done: 2, failed: 0, invalid: 0, pending: 0, unknown: 1 });
  // The id given twice is read once a round; the unknown task once: an answer without it is
  // final.
  assert(rounds > 2);
  assert.equal(describeCalls().length, rounds + 1);

  // A PrewarmTask whose URL Tencent does not list: that URL is unknown, the others final.
  const task = {
    ...report.tasks[0]!,
    urls: [...report.tasks[0]!.urls, "https://www.example.com/x"],
  };
  const partial = await waitForTasks([task], { ...call, sleep });
  assert.deepEqual(statusOf(partial), {
    "https://www.example.com/asset-0.js": "done",
    "https://www.example.com/asset-1.js": "done",
    "https://www.example.com/x": "unknown",
  });
});

Deno.test("wait: a URL Tencent lists percent-encoded is the one sent, once, with its status", async () => {
  const { call, sleep } = setup({ taskDurationMs: MINUTE });
  const sent = "https://www.example.com/中.js";
  const report = await prewarm([sent, "https://www.example.com/a.js"], call);
  // Tencent may list a URL encoded otherwise than it was sent: the answer is amended on the way.
  const fetch: typeof call.fetch = async (url, init) => {
    const answer = await call.fetch(url, init);
    const text = await answer.text();
    return new Response(text.replaceAll("中", "%E4%B8%AD"), answer);
  };
  const result = await waitForTasks(report, { ...call, fetch, sleep });
  assert.deepEqual(result.urls.map((u) => [u.url, u.status]), [
    [sent, "done"],
    ["https://www.example.com/a.js", "done"],
  ]);
  assert.deepEqual(result.counts, { done: 2, failed: 0, invalid: 0, pending: 0, unknown: 0 });
});

Deno.test("wait: maxWaitMs ends the wait with the slow URLs pending; a last round runs at the deadline", async () => {
  const { clock, call, sleep } = setup({
    taskDurationMs: 5 * MINUTE,
    taskOutcomes: [{ match: /asset-1\.js$/, durationMs: 45 * MINUTE }],
  });
  const report = await prewarm(urlsOn("www.example.com", 3), call);
  const started = clock.ms;
  const result = await waitForTasks(report, { ...call, sleep, maxWaitMs: 20 * MINUTE });
  assert.equal(result.timedOut, true);
  assert.equal(result.error, undefined);
  assert.equal(clock.ms - started, 20 * MINUTE, "the last pause ends at the deadline");
  assert.deepEqual(result.counts, { done: 2, failed: 0, invalid: 0, pending: 1, unknown: 0 });
  const slow = result.urls.find((u) => u.status === "pending")!;
  assert.equal(slow.url, "https://www.example.com/asset-1.js");
  assert.equal(slow.percent, Math.floor((20 * 100) / 45));

  // pollTasks: one round, no waiting, not a timeout.
  const once = await pollTasks(report, call);
  assert.equal(once.timedOut, false);
  assert.deepEqual(once.counts, result.counts);
});

Deno.test("wait: an abort mid-wait resolves with aborted: true and the rest pending", async () => {
  const { call, describeCalls } = setup({ taskDurationMs: 30 * MINUTE });
  const report = await prewarm(urlsOn("www.example.com", 2), call);
  const controller = new AbortController();
  let rounds = 0;
  // A real, abortable pause: the abort comes while the wait sleeps after the second round.
  const result = await waitForTasks(report, {
    ...call,
    signal: controller.signal,
    pollIntervalMs: 60_000,
    onProgress: () => {
      if (++rounds === 1) queueMicrotask(() => controller.abort(new Error("stop")));
    },
  });
  assert.equal(result.aborted, true, String(result));
  assert.equal(result.timedOut, false);
  assert.deepEqual(result.counts, { done: 0, failed: 0, invalid: 0, pending: 2, unknown: 0 });
  assert.equal(describeCalls().length, 1, "the first round ran, then the wait slept");
});

Deno.test("wait: transient failures are retried; a lasting error ends the wait with the rest pending", async () => {
  // The request gate's pause after the rate limit, on a fake clock of its own.
  using time = new FakeTime();
  const { sim, call, sleep } = setup({ taskDurationMs: 3 * MINUTE });
  const report = await time.run(prewarm(urlsOn("www.example.com", 2), call));
  const fast = { ...call, retryDelayMs: 0, sleep };
  // A dropped answer and a rate limit: both retried, the wait ends normally.
  sim.inject({ type: "reset" }, { type: "rate-limit" }, { type: "html", status: 502 });
  const retried = await time.run(waitForTasks(report, fast));
  assert.equal(retried.error, undefined);
  assert.deepEqual(retried.counts, { done: 2, failed: 0, invalid: 0, pending: 0, unknown: 0 });

  // A refusal that retrying cannot fix ends the wait at once: the URLs stay pending.
  const later = await time.run(prewarm(urlsOn("img.example.com", 2), call));
  const progress: number[] = [];
  sim.inject({ type: "error", code: "AuthFailure.SignatureFailure" });
  const refused = await time.run(waitForTasks(later, {
    ...fast,
    onProgress: (c) => progress.push(c.pending),
  }));
  assert.equal(refused.error?.code, "AuthFailure.SignatureFailure");
  assert.equal(refused.error?.maybeSubmitted, false);
  assert.match(errorAdvice(refused.error!), /TENCENTCLOUD_SECRET_KEY/);
  assert.equal(refused.timedOut, false);
  assert.deepEqual(refused.counts, { done: 0, failed: 0, invalid: 0, pending: 2, unknown: 0 });
  assert.deepEqual(progress, [2], "the round that failed still reports progress");

  // A task given by id only, never read: it stands for itself, pending.
  sim.inject({ type: "error", code: "AuthFailure.SignatureFailure" });
  const byId = await time.run(pollTasks(["some-task"], call));
  assert.deepEqual(byId.urls, [{ url: "", taskId: "some-task", status: "pending", percent: 0 }]);
  assert.equal(byId.error?.code, "AuthFailure.SignatureFailure");
});

Deno.test("wait: an abort while a request is in flight resolves aborted; an aborted signal sends nothing", async () => {
  const { sim, call, sleep, describeCalls } = setup({ taskDurationMs: 30 * MINUTE });
  const report = await prewarm(urlsOn("www.example.com", 2), call);
  const controller = new AbortController();
  sim.inject({ type: "delay", ms: 60_000 });
  const waiting = waitForTasks(report, { ...call, sleep, signal: controller.signal });
  // Ordered by the event: abort once the request has reached the simulator.
  while (describeCalls().length === 0) await new Promise((r) => setTimeout(r, 0));
  controller.abort(new Error("stop"));
  const result = await waiting;
  assert.equal(result.aborted, true);
  assert.equal(result.error, undefined);
  assert.equal(result.counts.pending, 2);

  const before = describeCalls().length;
  const none = await waitForTasks(report, { ...call, sleep, signal: AbortSignal.abort() });
  assert.equal(none.aborted, true);
  assert.equal(describeCalls().length, before);
  const once = await pollTasks(report, { ...call, signal: AbortSignal.abort() });
  assert.equal(once.aborted, true);
  assert.equal(describeCalls().length, before);
});

Deno.test("wait: bad tasks and options throw before anything is sent; a throwing onProgress is ignored", async () => {
  const { sim, call, sleep } = setup();
  const cases: [unknown, unknown, RegExp][] = [
    [undefined, {}, /Invalid tasks: expected a PrewarmReport.*got undefined/],
    ["abc", {}, /Invalid tasks: .*got "abc"/],
    [[""], {}, /Invalid tasks\[0\]: expected a non-empty task id or a PrewarmTask, got ""/],
    [[{ taskId: "t", urls: "x" }], {}, /Invalid tasks\[0\]\.urls: .*got "x"/],
    [["t"], { pollIntervalMs: 0 }, /Invalid option pollIntervalMs: .*got 0/],
    [["t"], { maxWaitMs: -1 }, /Invalid option maxWaitMs: .*or Infinity, got -1/],
    [["t"], { maxPollIntervalMs: Infinity }, /Invalid option maxPollIntervalMs: .*got Infinity/],
    [["t"], { maxPollIntervalMs: "60s" }, /Invalid option maxPollIntervalMs: .*got "60s"/],
    [["t"], { onProgress: 1 }, /Invalid option onProgress: expected a function, got number/],
    [["t"], { sleep: "no" }, /Invalid option sleep: expected a function, got string/],
    [["t"], { timeoutMs: -5 }, /Invalid option timeoutMs/],
  ];
  for (const [tasks, options, message] of cases) {
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      () => waitForTasks(tasks as any, { ...call, ...(options as object) }),
      (error: Error) =>
        (error instanceof TypeError || error instanceof RangeError) &&
        message.test(error.message),
      String(message),
    );
  }
  assert.equal(sim.requests.length, 0);

  const report = await prewarm(urlsOn("www.example.com", 1), call);
  const result = await waitForTasks(report, {
    ...call,
    sleep,
    onProgress: () => {
      throw new Error("a broken progress callback");
    },
  });
  assert.equal(result.counts.done, 1);
  // Nothing to wait for: no request at all.
  const empty = await waitForTasks([], { ...call, sleep });
  assert.deepEqual(empty, {
    urls: [],
    counts: { done: 0, failed: 0, invalid: 0, pending: 0, unknown: 0 },
    timedOut: false,
    aborted: false,
  });
});

Deno.test("wait: waiting beside a prewarm of the same account never exceeds the request rate", async () => {
  // The simulator admits 10 requests per action per second; every caller shares one
  // coordinator that allows 5. Both count seconds on one fake clock, so a loaded machine
  // cannot bunch requests the gate spaced out, and the test takes no real seconds.
  using time = new FakeTime();
  const sim = new TencentCdnSimulator({
    domains: ["*.example.com"],
    requestsPerSecond: 10,
    taskDurationMs: 2000,
  });
  const call = {
    credentials: SIMULATOR_CREDENTIALS,
    fetch: sim.fetch,
    coordinator: new MemoryCoordinator(),
    maxRequestsPerSecond: 5,
  };
  const hosts = (prefix: string) =>
    Array.from({ length: 4 }, (_, i) => urlsOn(`${prefix}${i}.example.com`, 2)).flat();
  const first = await time.run(prewarm(hosts("a"), call));
  assert.equal(first.tasks.length, 4);
  const poll = { ...call, pollIntervalMs: 20, maxPollIntervalMs: 50 };
  // Three waiters (alone, each would stay within the rate; together they would not) and a
  // second prewarm (with a quota read of its own) at once.
  const [waited, again, third, second] = await time.run(Promise.all([
    waitForTasks(first, poll),
    waitForTasks(first.tasks.map((t) => t.taskId), poll),
    waitForTasks(first.tasks, poll),
    prewarm(hosts("b"), { ...call, batchSize: 1, checkQuota: true }),
  ]));
  assert.equal(second.counts.submitted, 8);
  for (const result of [waited, again, third]) assert.equal(result.counts.done, 8);
  const describes = sim.requests.filter((r) => r.action === "DescribePushTasks").length;
  // Each waiter read every task at least once: 12 reads at 5 a second, 15 if each had its own
  // gate (which this test fails with: the simulator then answers RequestLimitExceeded).
  assert(describes >= 3 * first.tasks.length, `${describes} DescribePushTasks calls`);
  const limited = sim.requests.filter((r) => r.outcome === "RequestLimitExceeded");
  assert.deepEqual(limited, [], "no request was rate-limited");
});
