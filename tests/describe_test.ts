import assert from "node:assert/strict";
import {
  describePushQuota,
  describePushTasks,
  errorAdvice,
  MemoryCoordinator,
  prewarm,
  TencentCloudError,
} from "../mod.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { urlsOn } from "./_helpers.ts";
import { FakeTime } from "./_fake_time.ts";

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);

function setup() {
  let now = NOW;
  const sim = new TencentCdnSimulator({ now: () => now, dailyLimit: 50, taskDurationMs: 60_000 });
  const options = {
    credentials: SIMULATOR_CREDENTIALS,
    fetch: sim.fetch,
    now: () => now,
    retryDelayMs: 1,
  };
  return { sim, options, advance: (ms: number) => now += ms };
}

Deno.test("describePushQuota reads each area's batch, total and what is left", async () => {
  const { options } = setup();
  await prewarm(urlsOn("www.example.com", 7), { ...options, coordinator: new MemoryCoordinator() });
  const { quotas, requestId } = await describePushQuota(options);
  assert.equal(typeof requestId, "string");
  assert.deepEqual(
    quotas.sort((a, b) => a.area.localeCompare(b.area)),
    [
      { area: "mainland", batch: 500, total: 50, available: 50 },
      { area: "overseas", batch: 500, total: 50, available: 43 },
    ],
  );
});

Deno.test("describePushTasks lists a task's URLs and their status as it moves on", async () => {
  const { options, advance } = setup();
  const urls = urlsOn("www.example.com", 3);
  const report = await prewarm(urls, { ...options, coordinator: new MemoryCoordinator() });
  const taskId = report.tasks[0]!.taskId;
  const first = await describePushTasks(taskId, options);
  assert.equal(first.totalCount, 3);
  assert.deepEqual(first.logs.map((l) => l.url).sort(), [...urls].sort());
  assert.ok(first.logs.every((l) => l.taskId === taskId && l.status === "process"));
  assert.ok(first.logs.every((l) => l.area === "overseas" && /^\d{4}-/.test(l.createTime)));
  advance(61_000);
  const later = await describePushTasks(` ${taskId} `, { ...options, limit: 2 });
  assert.equal(later.logs.length, 2);
  assert.equal(later.totalCount, 3);
  assert.ok(later.logs.every((l) => l.status === "done" && l.percent === 100));
});

Deno.test("describePushTasks by time window and keyword finds URLs without a task id", async () => {
  const { options, advance } = setup();
  const urls = [...urlsOn("www.example.com", 2), "https://www.example.com/special/app.js"];
  await prewarm(urls, { ...options, coordinator: new MemoryCoordinator() });
  advance(5_000);
  const window = { startTime: NOW - 60_000, endTime: new Date(NOW + 60_000) };
  const all = await describePushTasks(window, options);
  assert.equal(all.totalCount, 3);
  const found = await describePushTasks({ ...window, keyword: "/special/" }, options);
  assert.deepEqual(found.logs.map((l) => l.url), ["https://www.example.com/special/app.js"]);
  const before = await describePushTasks(
    { startTime: NOW - 120_000, endTime: NOW - 60_000 },
    options,
  );
  assert.equal(before.totalCount, 0);
  await assert.rejects(
    describePushTasks({ startTime: Number.NaN, endTime: NOW }, options),
    /Invalid startTime/,
  );
});

Deno.test("describePushTasks widens the window to whole seconds: a push just now is found", async () => {
  const { options, advance } = setup();
  advance(700);
  await prewarm(["https://www.example.com/now.js"], {
    ...options,
    coordinator: new MemoryCoordinator(),
  });
  advance(200); // the same second as the push: Tencent's window has whole seconds only
  const found = await describePushTasks({ startTime: NOW, endTime: NOW + 900 }, options);
  assert.deepEqual(found.logs.map((l) => l.url), ["https://www.example.com/now.js"]);
});

Deno.test("describe calls retry rate limits and ambiguous failures (reads are idempotent)", async () => {
  // The gate's pause after the rate limit, on a fake clock, in a gate of its own: the shared
  // default one must not keep fake times for the tests after this one.
  using time = new FakeTime();
  const { sim, options } = setup();
  sim.inject({ type: "rate-limit" }, { type: "html", status: 502 });
  const coordinator = new MemoryCoordinator();
  const { quotas } = await time.run(describePushQuota({ ...options, coordinator }));
  assert.equal(quotas.length, 2);
  assert.equal(sim.requests.length, 3);
});

Deno.test("describe calls throw TencentCloudError and TypeError for caller mistakes", async () => {
  const { sim, options } = setup();
  sim.inject({ type: "error", code: "AuthFailure.SignatureFailure" });
  await assert.rejects(
    describePushQuota(options),
    (e) =>
      e instanceof TencentCloudError && e.code === "AuthFailure.SignatureFailure" &&
      /TENCENTCLOUD_SECRET_KEY/.test(errorAdvice(e)),
  );
  await assert.rejects(describePushTasks("", options), TypeError);
  await assert.rejects(describePushTasks("t", { ...options, limit: -1 }), RangeError);
  await assert.rejects(
    describePushQuota({ ...options, credentials: undefined! }),
    /Missing credentials/,
  );
});
