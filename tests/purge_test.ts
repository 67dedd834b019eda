// purgeThenPrewarm: purges, waits (on a fake clock) until the purges are done, prefetches only
// what was purged, fails what was not with the reason, and accounts both quotas.

import assert from "node:assert/strict";
import { cdn, type CdnApi, type Coordinator, MemoryCoordinator } from "../mod.ts";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { cdnPurge, purgeThenPrewarm, type PurgeThenPrewarmOptions } from "../src/purge.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { assertAccounted, spentBudget, urlsOn } from "./_helpers.ts";
import { resolveCallOptions } from "../src/transport/call_options.ts";

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const MINUTE = 60_000;

function setup(simOptions: ConstructorParameters<typeof TencentCdnSimulator>[0] = {}) {
  const clock = { ms: NOW };
  const now = () => clock.ms;
  const sim = new TencentCdnSimulator({ now, ...simOptions });
  const coordinator = new MemoryCoordinator();
  const sleeps: number[] = [];
  const options: PurgeThenPrewarmOptions = {
    credentials: { ...SIMULATOR_CREDENTIALS },
    fetch: sim.fetch,
    now,
    coordinator,
    retryDelayMs: 1,
    maxRetryDelayMs: 5,
    maxRequestsPerSecond: Infinity,
    purgePollMs: MINUTE,
    // The fake clock moves instead of time passing.
    sleep: (ms) => {
      sleeps.push(ms);
      clock.ms += ms;
      return Promise.resolve();
    },
  };
  return { sim, clock, options, coordinator, sleeps };
}

const actions = (sim: TencentCdnSimulator) => sim.requests.map((r) => r.action);

Deno.test("purge first: purges, waits until done, then prefetches what was purged", async () => {
  const { sim, clock, options, coordinator, sleeps } = setup({
    purgeDurationMs: 5 * MINUTE,
  });
  const input = [...urlsOn("www.example.com", 3), "https://static.example.com/index.html"];
  const report = await purgeThenPrewarm(input, options);
  assertAccounted(input, report);
  assert.equal(report.counts.submitted, 4);
  assert.deepEqual(
    report.purgeTasks.map((t) => [t.host, t.urls]),
    [["www.example.com", input.slice(0, 3)], ["static.example.com", [input[3]]]],
  );
  assert.deepEqual(
    report.purgeTasks.map((t) => t.taskId),
    sim.purged.map((p) => p.taskId).sort((a, b) =>
      report.purgeTasks.findIndex((t) => t.taskId === a) -
      report.purgeTasks.findIndex((t) => t.taskId === b)
    ),
  );
  // Purged with the same area, then polled for 5 simulated minutes, then prefetched.
  assert.deepEqual(sim.purged.map((p) => p.area), ["overseas", "overseas"]);
  assert.deepEqual(sleeps, [MINUTE, MINUTE, MINUTE, MINUTE, MINUTE]);
  const firstPush = sim.requests.findIndex((r) => r.action === "PushUrlsCache");
  assert.ok(
    sim.requests.slice(firstPush).every((r) => r.action === "PushUrlsCache"),
    `no purge request after the first prefetch: ${actions(sim)}`,
  );
  assert.ok(sim.accepted.every((t) => t.at >= NOW + 5 * MINUTE), "prefetched after the purge");
  assert.equal(clock.ms, NOW + 5 * MINUTE);
  assert.equal(report.counts.requests, sim.requests.length);
  // Both quotas, Tencent's and the local budget's, each under its own keys.
  assert.equal(sim.purgeQuotaUsed("overseas"), 4);
  assert.equal(sim.quotaUsed("overseas"), 4);
  const account = `${SIMULATOR_CREDENTIALS.secretId}@cdn.tencentcloudapi.com`;
  assert.equal(coordinator.usage(account, "purge:overseas:2026-11-28", clock.ms).spent, 4);
  assert.equal(spentBudget(coordinator), 4);
  assert.ok(actions(sim).includes("DescribePurgeQuota"), "the purge quota is always read");
});

Deno.test("purge first: a URL whose purge failed is not prefetched, and fails with that reason", async () => {
  const failing = "https://www.example.com/asset-1.js";
  const { sim, options } = setup({
    purgeDurationMs: 2 * MINUTE,
    purgeOutcomes: [{ match: failing, status: "fail" }],
  });
  const input = urlsOn("www.example.com", 3);
  const report = await purgeThenPrewarm(input, options);
  assertAccounted(input, report);
  assert.deepEqual(report.tasks.flatMap((t) => t.urls), [input[0], input[2]]);
  assert.deepEqual(sim.accepted.flatMap((t) => t.urls), [input[0], input[2]]);
  assert.equal(report.failed.length, 1);
  const [failed] = report.failed;
  assert.deepEqual(failed?.urls, [failing]);
  assert.equal(failed?.maybeSubmitted, false);
  assert.equal(failed?.error.code, "PurgeFailed");
  assert.match(failed!.error.message, /purge of these URLs failed.*not prefetched/);
  assert.match(failed!.error.message, new RegExp(report.purgeTasks[0]!.taskId));
  assert.equal(report.counts.maybeSubmitted, 0);
});

Deno.test("purge first: DescribePurgeQuota's Available caps what is purged and prefetched", async () => {
  const { sim, options } = setup({ purgeDailyLimit: 2 });
  const input = [...urlsOn("www.example.com", 3), "https://static.example.com/a.js"];
  const report = await purgeThenPrewarm(input, { ...options, concurrency: 1 });
  assertAccounted(input, report);
  // DescribePurgeQuota says 2 are left: two URLs are purged and prefetched, the rest refused.
  assert.equal(report.counts.submitted, 2);
  assert.equal(sim.accepted.flatMap((t) => t.urls).length, 2);
  const refused = report.rejected.filter((r) => r.reason === "daily-limit");
  assert.equal(refused.length, 2);
  for (const r of refused) {
    assert.match(r.detail, /^Not purged, so not prefetched: DescribePurgeQuota reported no quota/);
  }
  assert.equal(sim.quotaUsed("overseas"), 2);
});

Deno.test("purge first: Tencent's purge limits are classified by the outcome policy", async () => {
  const { sim, options } = setup();
  // Both spellings of each purge limit: a batch limit halves the batch, a day limit stops.
  const codes = [
    "LimitExceeded.CdnPurgeUrlExceedBatchLimit",
    "LimitExceeded.CdnPurgeExceedBatchLimit",
  ];
  sim.faultPolicy = (info) => {
    if (info.action !== "PurgeUrlsCache" || info.urlCount < 4) return undefined;
    return { type: "error", code: codes.shift() ?? "LimitExceeded.CdnPurgeUrlExceedBatchLimit" };
  };
  const input = urlsOn("www.example.com", 6);
  const split = await purgeThenPrewarm(input, { ...options, concurrency: 1 });
  assertAccounted(input, split);
  assert.equal(split.counts.submitted, 6);
  assert.deepEqual(split.purgeTasks.map((t) => t.urls.length), [3, 3]);

  const day = setup();
  day.sim.faultPolicy = (info) =>
    info.action === "PurgeUrlsCache"
      ? { type: "error", code: "LimitExceeded.CdnPurgeUrlExceedDayLimit" }
      : undefined;
  const stopped = await purgeThenPrewarm(input, day.options);
  assertAccounted(input, stopped);
  assert.ok(stopped.rejected.every((r) => r.reason === "daily-limit"));
  assert.equal(day.sim.requests.filter((r) => r.action === "PurgeUrlsCache").length, 1);
  assert.equal(day.sim.accepted.length, 0);
});

Deno.test("purge first: a batch whose PurgeUrlsCache fails is failed, not prefetched", async () => {
  const { sim, options } = setup({ domains: ["www.example.com"] });
  const input = ["https://www.example.com/a.js", "https://other.example.net/b.js"];
  const report = await purgeThenPrewarm(input, options);
  assertAccounted(input, report);
  assert.deepEqual(report.tasks.flatMap((t) => t.urls), [input[0]]);
  const [failed] = report.failed;
  assert.deepEqual(failed?.urls, [input[1]]);
  assert.equal(failed?.error.code, "ResourceNotFound.CdnHostNotExists");
  assert.match(failed!.error.message, /^PurgeUrlsCache failed, so it was not prefetched/);
  assert.equal(failed?.maybeSubmitted, false);
  assert.equal(sim.accepted.length, 1);
});

Deno.test("purge first: a purge whose answer was lost is found, waited for and prefetched", async () => {
  const { sim, options } = setup({ purgeDurationMs: 2 * MINUTE });
  let purges = 0;
  sim.faultPolicy = ({ action }) =>
    action === "PurgeUrlsCache" && purges++ === 0 ? { type: "reset" } : undefined;
  const input = [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 2)];
  const report = await purgeThenPrewarm(input, { ...options, concurrency: 1 });
  assertAccounted(input, report);
  // The lost purge is listed among the purges (DescribePurgeTasks by host), and its URLs were
  // prefetched like the others.
  assert.deepEqual(
    report.purgeTasks.map((t) => [t.taskId, t.urls, t.recovered]),
    sim.purged.map((p, i) => [p.taskId, p.urls, i === 0 ? true : undefined]),
  );
  assert.equal(report.counts.submitted, 4);
  assert.deepEqual(report.failed, []);
  assert.ok(!actions(sim).includes("DescribePushTasks"), "no prefetch was lost");
  assert.equal(report.counts.requests, sim.requests.length);
});

Deno.test("purge first: a prefetch whose answer was lost is found and reported as its task", async () => {
  const { sim, options } = setup({ purgeDurationMs: MINUTE });
  let pushes = 0;
  sim.faultPolicy = ({ action }) =>
    action === "PushUrlsCache" && pushes++ === 0 ? { type: "reset" } : undefined;
  const input = [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 2)];
  const report = await purgeThenPrewarm(input, { ...options, concurrency: 1 });
  assertAccounted(input, report);
  assert.deepEqual(
    report.tasks.map((t) => [t.taskId, t.urls, t.recovered]),
    sim.accepted.map((a, i) => [a.taskId, a.urls, i === 0 ? true : undefined]),
  );
  assert.equal(report.counts.maybeSubmitted, 0);
  assert.equal(actions(sim).filter((a) => a === "DescribePushTasks").length, 1);
  assert.equal(report.counts.requests, sim.requests.length);
});

Deno.test("purge first: URLs not purged within purgeWaitMs are failed, not prefetched", async () => {
  const { sim, options, clock } = setup({ purgeDurationMs: 30 * MINUTE });
  const input = urlsOn("www.example.com", 2);
  const report = await purgeThenPrewarm(input, { ...options, purgeWaitMs: 10 * MINUTE });
  assertAccounted(input, report);
  assert.equal(report.counts.submitted, 0);
  assert.equal(report.failed[0]?.error.code, "PurgeTimeout");
  assert.match(report.failed[0]!.error.message, /not done within purgeWaitMs \(600000 ms\)/);
  assert.equal(sim.accepted.length, 0);
  assert.equal(clock.ms, NOW + 10 * MINUTE);
});

Deno.test("purge first: global purges without Area, and both areas' quotas are spent", async () => {
  const { sim, options, coordinator, clock } = setup();
  const input = urlsOn("www.example.com", 2);
  const report = await purgeThenPrewarm(input, { ...options, api: cdn({ area: "global" }) });
  assertAccounted(input, report);
  assert.equal(report.counts.submitted, 2);
  assert.equal(sim.purged[0]?.area, undefined);
  assert.equal(sim.purgeQuotaUsed("mainland"), 2);
  assert.equal(sim.purgeQuotaUsed("overseas"), 2);
  const account = `${SIMULATOR_CREDENTIALS.secretId}@cdn.tencentcloudapi.com`;
  for (const area of ["mainland", "overseas"]) {
    assert.equal(coordinator.usage(account, `purge:${area}:2026-11-28`, clock.ms).spent, 2);
    assert.equal(spentBudget(coordinator, area), 2);
  }
});

Deno.test("purge first: non-ASCII URLs are purged and prefetched with UrlEncode", async () => {
  const { sim, options } = setup({ unencodedNonAscii: "refuse" });
  const input = ["https://www.example.com/文档.html"];
  const report = await purgeThenPrewarm(input, options);
  assert.equal(report.counts.submitted, 1);
  assert.equal(sim.purged[0]?.urlEncode, true);
  assert.equal(sim.accepted[0]?.parameters?.UrlEncode, true);
});

Deno.test("purge first: bad input is rejected before purging, duplicates once", async () => {
  const { sim, options } = setup();
  const input = ["https://www.example.com/a.js", "not a url", "https://www.example.com/a.js"];
  const report = await purgeThenPrewarm(input, options);
  assertAccounted(input, report);
  assert.deepEqual(report.rejected.map((r) => r.reason).sort(), ["duplicate", "invalid-url"]);
  assert.deepEqual(sim.purged.flatMap((p) => p.urls), ["https://www.example.com/a.js"]);
});

Deno.test("purge first: aborting while waiting prefetches nothing and says so", async () => {
  const controller = new AbortController();
  const { sim, options } = setup({ purgeDurationMs: 5 * MINUTE });
  const input = urlsOn("www.example.com", 2);
  const report = await purgeThenPrewarm(input, {
    ...options,
    signal: controller.signal,
    sleep: (_ms, signal) => {
      controller.abort(new Error("stop"));
      return Promise.reject(signal?.reason);
    },
  });
  assertAccounted(input, report);
  assert.equal(report.aborted, true);
  assert.deepEqual(report.rejected.map((r) => r.reason), ["aborted", "aborted"]);
  assert.equal(sim.accepted.length, 0);
  assert.equal(report.purgeTasks.length, 1);
});

Deno.test("purge first: options are checked before anything is sent", async () => {
  const { sim, options } = setup();
  const url = ["https://www.example.com/a.js"];
  await assert.rejects(
    () => purgeThenPrewarm(url, { ...options, api: cdnV2() as unknown as CdnApi }),
    /api: expected cdn\(\) to purge first/,
  );
  await assert.rejects(() => purgeThenPrewarm(url, { ...options, purgePollMs: 0 }), RangeError);
  await assert.rejects(
    () => purgeThenPrewarm(url, { ...options, purgeBatchSize: 1.5 }),
    /purgeBatchSize/,
  );
  await assert.rejects(
    () => purgeThenPrewarm(url, { ...options, sleep: 1 as unknown as () => Promise<void> }),
    TypeError,
  );
  await assert.rejects(
    () => purgeThenPrewarm(url, { ...options, purgePollMs: 2 ** 31 }),
    (error: Error) =>
      error instanceof RangeError &&
      error.message ===
        "Invalid option purgePollMs: expected an integer from 1 to 2147483647, got 2147483648",
  );
  assert.throws(
    () => cdnPurge({ urlEncode: "yes" as unknown as boolean }),
    (error: Error) =>
      error instanceof TypeError &&
      error.message === "Invalid option urlEncode: expected a boolean, got string",
  );
  assert.equal(sim.requests.length, 0);
});

Deno.test("purge first: each request's start is booked in its own action's window", async () => {
  const { sim, options } = setup();
  const inner = new MemoryCoordinator();
  const booked: string[] = [];
  const scheduled: string[] = [];
  const recording: Coordinator = {
    schedule: (account, action, max) => {
      scheduled.push(action);
      return inner.schedule(account, action, max);
    },
    observe: (...args) => inner.observe(...args),
    hold: (account, request) => {
      const got = inner.hold(account, request);
      if (got.wait !== undefined && request.slot) booked.push(request.slot.action);
      return got;
    },
    settle: (...args) => inner.settle(...args),
    exhaust: (...args) => inner.exhaust(...args),
    usage: (...args) => inner.usage(...args),
  };
  const report = await purgeThenPrewarm(urlsOn("www.example.com", 2), {
    ...options,
    coordinator: recording,
  });
  assert.equal(report.counts.submitted, 2);
  const sent: string[] = actions(sim).filter((a) =>
    a === "PurgeUrlsCache" || a === "PushUrlsCache"
  );
  // Every purge and prefetch started through the gate under its own action's name.
  assert.deepEqual([...booked, ...scheduled].filter((a) => sent.includes(a)).sort(), sent.sort());
  assert.ok(booked.includes("PurgeUrlsCache") || scheduled.includes("PurgeUrlsCache"));
});

Deno.test("quota reads: prefetch and purge read their own action into their own budget keys", async () => {
  const { sim, options } = setup({ dailyLimit: 700, purgeDailyLimit: 3000, purgeBatchLimit: 800 });
  const context = resolveCallOptions(options, "https://cdn.tencentcloudapi.com");
  const day = "2026-11-28";
  const prefetch = await cdn({ area: "global" }).readQuota!(context);
  const purge = await cdnPurge({ area: "global" }).readQuota!(context);
  assert.deepEqual(actions(sim), ["DescribePushQuota", "DescribePurgeQuota"]);
  const byName = (readings: typeof prefetch.readings) =>
    Object.fromEntries(readings.map(({ name, ...rest }) => [name, rest]));
  assert.deepEqual(byName(prefetch.readings).overseas, {
    batch: 500,
    total: 700,
    available: 700,
    keys: [`push:overseas:${day}`],
  });
  assert.deepEqual(byName(purge.readings).mainland, {
    batch: 800,
    total: 3000,
    available: 3000,
    keys: [`purge:mainland:${day}`],
  });
  // The answer is the public describe function's: the quotas as read, and the request id.
  assert.deepEqual(Object.keys(purge.answer).sort(), ["quotas", "requestId"]);
  assert.equal((purge.answer.quotas as unknown[]).length, 2);
});

Deno.test("purge first: each task's unpurged URLs are failed in one entry per status, in input order", async () => {
  const { sim, options } = setup({
    purgeDurationMs: 2 * MINUTE,
    purgeOutcomes: [
      { match: /\/asset-[03]\.js$/, status: "fail" },
      { match: /\/asset-[15]\.js$/, durationMs: 60 * MINUTE },
    ],
  });
  const input = urlsOn("www.example.com", 6);
  const report = await purgeThenPrewarm(input, {
    ...options,
    purgeBatchSize: 3,
    concurrency: 1,
    purgeWaitMs: 10 * MINUTE,
  });
  assertAccounted(input, report);
  const [first, second] = report.purgeTasks.map((t) => t.taskId);
  assert.deepEqual(report.purgeTasks.map((t) => t.urls), [input.slice(0, 3), input.slice(3)]);
  assert.deepEqual(sim.accepted.flatMap((t) => t.urls), [input[2], input[4]]);
  assert.deepEqual(
    report.failed.map((f) => [f.urls, f.error.code, f.maybeSubmitted]),
    [
      [[input[0]], "PurgeFailed", false],
      [[input[1]], "PurgeTimeout", false],
      [[input[3]], "PurgeFailed", false],
      [[input[5]], "PurgeTimeout", false],
    ],
  );
  assert.match(report.failed[0]!.error.message, new RegExp(`task ${first}`));
  assert.match(report.failed[2]!.error.message, new RegExp(`task ${second}`));
});

Deno.test("purge first: URLs of one task and status share one failed entry", async () => {
  const { options } = setup({
    purgeOutcomes: [{ match: /\/asset-[024]\.js$/, status: "fail" }],
  });
  const input = urlsOn("www.example.com", 5);
  const report = await purgeThenPrewarm(input, options);
  assertAccounted(input, report);
  assert.equal(report.purgeTasks.length, 1);
  assert.deepEqual(report.failed.map((f) => f.urls), [[input[0], input[2], input[4]]]);
  assert.deepEqual(report.tasks.flatMap((t) => t.urls), [input[1], input[3]]);
});

Deno.test("purge task lines: done and fail are final at 100%, anything else is pending at 0%", async () => {
  const logs = ["Done", "FAIL", "process", "invalid", ""].map((Status, i) => ({
    TaskId: "purge-1",
    Url: `https://www.example.com/${i}.js`,
    Status,
    CreateTime: "2026-11-28 12:00:00",
    UpdateTime: "2026-11-28 12:01:00",
  }));
  const fetch = () =>
    Promise.resolve(
      Response.json({ Response: { PurgeLogs: logs, TotalCount: logs.length, RequestId: "r-1" } }),
    );
  const context = resolveCallOptions(
    { credentials: { ...SIMULATOR_CREDENTIALS }, fetch, now: () => NOW, retries: 0 },
    "https://cdn.tencentcloudapi.com",
  );
  const lines = await cdnPurge().readTask!(context, "purge-1");
  assert.deepEqual(
    lines.map((l) => [l.status, l.upstreamStatus, l.percent]),
    [
      ["done", "done", 100],
      ["failed", "fail", 100],
      ["pending", "process", 0],
      ["pending", "invalid", 0],
      ["pending", "", 0],
    ],
  );
  assert.deepEqual(lines[0], {
    taskId: "purge-1",
    url: "https://www.example.com/0.js",
    status: "done",
    upstreamStatus: "done",
    percent: 100,
    createTime: "2026-11-28 12:00:00",
    updateTime: "2026-11-28 12:01:00",
  });
});
