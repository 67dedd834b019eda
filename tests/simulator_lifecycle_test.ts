// The simulator's prefetch task lifecycle and DescribePushTasks query, on a fake clock: tasks
// start `process`, their Percent grows, and each URL ends as its outcome rule says; paging,
// Keyword, time window, Status and Area filters as Tencent documents them.

import assert from "node:assert/strict";
import { TencentCdnSimulator } from "../src/testing/mod.ts";
import type { PushLog } from "../src/testing/push_tasks.ts";
import { callTeo, callV3, Clock, setup } from "./_simulator_client.ts";

const MINUTE = 60_000;

async function push(
  sim: TencentCdnSimulator,
  clock: Clock,
  urls: string[],
  area = "overseas",
): Promise<string> {
  const answer = await callV3(sim, clock, "PushUrlsCache", { Urls: urls, Area: area });
  assert.equal(answer.Response.Error, undefined, JSON.stringify(answer.Response.Error));
  return answer.Response.TaskId;
}

async function logs(
  sim: TencentCdnSimulator,
  clock: Clock,
  query: Record<string, unknown>,
): Promise<{ PushLogs: PushLog[]; TotalCount: number; Error?: { Code: string } }> {
  return (await callV3(sim, clock, "DescribePushTasks", query)).Response;
}

function statuses(lines: PushLog[]): [string, string, number][] {
  return lines.map((line) => [new URL(line.Url).pathname, line.Status, line.Percent]);
}

Deno.test("lifecycle: a 30-minute task runs on the fake clock, each URL ending as its rule says", async () => {
  const { sim, clock } = setup({
    taskDurationMs: 30 * MINUTE,
    taskOutcomes: [
      { match: "https://www.example.com/gone.js", status: "invalid", durationMs: 10 * MINUTE },
      { match: /\/flaky-/, status: "fail" },
    ],
  });
  const taskId = await push(sim, clock, [
    "https://www.example.com/app.js",
    "https://www.example.com/gone.js",
    "https://www.example.com/flaky-1.js",
  ]);
  const created = clock.ms;
  const at = async (minutes: number) => {
    clock.ms = created + minutes * MINUTE;
    return (await logs(sim, clock, { TaskId: taskId })).PushLogs;
  };

  assert.deepEqual(statuses(await at(0)), [
    ["/app.js", "process", 0],
    ["/gone.js", "process", 0],
    ["/flaky-1.js", "process", 0],
  ]);
  const middle = await at(15);
  assert.deepEqual(statuses(middle), [
    ["/app.js", "process", 50],
    ["/gone.js", "invalid", 100],
    ["/flaky-1.js", "process", 50],
  ]);
  // UpdateTime stays the creation time until a URL finishes, then says when it did.
  assert.deepEqual(middle.map((line) => line.UpdateTime), [
    "2024-01-15 12:00:00",
    "2024-01-15 12:10:00",
    "2024-01-15 12:00:00",
  ]);
  // Still in process a moment before the end: 99 %, never 100 % before the final status.
  assert.deepEqual(statuses(await at(29.99)).map(([, status, percent]) => [status, percent]), [
    ["process", 99],
    ["invalid", 100],
    ["process", 99],
  ]);
  const end = await at(30);
  assert.deepEqual(statuses(end), [
    ["/app.js", "done", 100],
    ["/gone.js", "invalid", 100],
    ["/flaky-1.js", "fail", 100],
  ]);
  assert.ok(end.every((line) => line.CreateTime === "2024-01-15 12:00:00"));
  assert.equal(end[0]?.UpdateTime, "2024-01-15 12:30:00");
});

Deno.test("lifecycle: by default a URL is final at once; taskDurationMs of 5 minutes delays it", async () => {
  const immediate = setup();
  const first = await push(immediate.sim, immediate.clock, ["https://www.example.com/a.js"]);
  const answer = await logs(immediate.sim, immediate.clock, { TaskId: first });
  assert.deepEqual(statuses(answer.PushLogs), [["/a.js", "done", 100]]);

  const { sim, clock } = setup({ taskDurationMs: 5 * MINUTE });
  const taskId = await push(sim, clock, ["https://www.example.com/a.js"]);
  clock.ms += 5 * MINUTE - 1;
  assert.equal((await logs(sim, clock, { TaskId: taskId })).PushLogs[0]?.Status, "process");
  clock.ms += 1;
  assert.equal((await logs(sim, clock, { TaskId: taskId })).PushLogs[0]?.Status, "done");
});

Deno.test("lifecycle: a rule with durationMs 0 ends its URLs at once, others keep the default", async () => {
  const { sim, clock } = setup({
    taskDurationMs: MINUTE,
    taskOutcomes: [{ match: /bad/, status: "fail", durationMs: 0 }],
  });
  const taskId = await push(sim, clock, [
    "https://img.example.com/bad.png",
    "https://img.example.com/good.png",
  ]);
  assert.deepEqual(statuses((await logs(sim, clock, { TaskId: taskId })).PushLogs), [
    ["/bad.png", "fail", 100],
    ["/good.png", "process", 0],
  ]);
});

Deno.test("pushStatusCase capitalized: Status spelt as Tencent's example answer, filters in any case", async () => {
  const { sim, clock } = setup({
    taskDurationMs: 5 * MINUTE,
    pushStatusCase: "capitalized",
    taskOutcomes: [{ match: /invalid/, status: "invalid" }, { match: /fail/, status: "fail" }],
  });
  const taskId = await push(sim, clock, [
    "https://www.example.com/ok.js",
    "https://www.example.com/invalid.js",
    "https://www.example.com/fail.js",
  ]);
  assert.deepEqual(
    (await logs(sim, clock, { TaskId: taskId })).PushLogs.map((line) => line.Status),
    ["Process", "Process", "Process"],
  );
  clock.ms += 5 * MINUTE;
  assert.deepEqual(
    (await logs(sim, clock, { TaskId: taskId })).PushLogs.map((line) => line.Status),
    ["Done", "Invalid", "Fail"],
  );
  for (const status of ["done", "Done", "DONE"]) {
    const found = await logs(sim, clock, { TaskId: taskId, Status: status });
    assert.deepEqual(found.PushLogs.map((line) => line.Url), ["https://www.example.com/ok.js"]);
  }
});

Deno.test("paging: 45 URLs come back over three pages of 20 with the TotalCount of all", async () => {
  const { sim, clock } = setup();
  const urls = Array.from({ length: 45 }, (_, i) => `https://www.example.com/f-${i}.js`);
  const taskId = await push(sim, clock, urls);
  const first = await logs(sim, clock, { TaskId: taskId });
  assert.equal(first.PushLogs.length, 20, "the default page is 20");
  assert.equal(first.TotalCount, 45);
  const second = await logs(sim, clock, { TaskId: taskId, Offset: 20 });
  const third = await logs(sim, clock, { TaskId: taskId, Offset: 40, Limit: 20 });
  assert.equal(third.PushLogs.length, 5);
  assert.deepEqual(
    [...first.PushLogs, ...second.PushLogs, ...third.PushLogs].map((line) => line.Url),
    urls,
  );
  assert.equal((await logs(sim, clock, { TaskId: taskId, Offset: 45 })).PushLogs.length, 0);
  assert.equal((await logs(sim, clock, { TaskId: taskId, Limit: 1000 })).PushLogs.length, 45);
  for (const bad of [{ Limit: 1001 }, { Limit: 0 }, { Offset: -1 }, { Limit: "20" }]) {
    const refused = await logs(sim, clock, { TaskId: taskId, ...bad });
    assert.equal(refused.Error?.Code, "InvalidParameter.CdnParamError", JSON.stringify(bad));
  }
});

Deno.test("query: Keyword is a domain or a full URL, inside a Beijing-time window", async () => {
  const { sim, clock } = setup();
  await push(sim, clock, ["https://www.example.com/a.js", "https://static.example.com/a.js"]);
  clock.ms += 2 * 3600_000; // 14:00 Beijing
  await push(sim, clock, ["https://www.example.com/b.js"]);
  const day = { StartTime: "2024-01-15 00:00:00", EndTime: "2024-01-15 23:59:59" };

  const byDomain = await logs(sim, clock, { ...day, Keyword: "www.example.com" });
  assert.deepEqual(byDomain.PushLogs.map((line) => line.Url), [
    "https://www.example.com/b.js",
    "https://www.example.com/a.js",
  ]);
  const byUrl = await logs(sim, clock, { ...day, Keyword: "https://static.example.com/a.js" });
  assert.deepEqual(byUrl.PushLogs.map((line) => line.Url), ["https://static.example.com/a.js"]);
  // A domain is a whole hostname, not a suffix.
  assert.equal((await logs(sim, clock, { ...day, Keyword: "example.com" })).TotalCount, 0);

  const morning = await logs(sim, clock, {
    StartTime: "2024-01-15 11:00:00",
    EndTime: "2024-01-15 13:00:00",
  });
  assert.equal(morning.TotalCount, 2);
  const sinceOne = await logs(sim, clock, { StartTime: "2024-01-15 13:00:00" });
  assert.deepEqual(sinceOne.PushLogs.map((line) => line.Url), ["https://www.example.com/b.js"]);

  const backwards = await logs(sim, clock, {
    StartTime: "2024-01-15 13:00:00",
    EndTime: "2024-01-15 12:00:00",
  });
  assert.equal(backwards.Error?.Code, "InvalidParameter.CdnStatInvalidDate");
  const malformed = await logs(sim, clock, { StartTime: "2024-01-15T00:00:00+08:00" });
  assert.equal(malformed.Error?.Code, "InvalidParameter.CdnStatInvalidDate");
  const neither = await logs(sim, clock, { EndTime: "2024-01-15 12:00:00" });
  assert.equal(neither.Error?.Code, "InvalidParameter.CdnParamError");
});

Deno.test("query: a window ending at a whole second includes a task created within it", async () => {
  const clock = new Clock(Date.UTC(2024, 0, 15, 4, 0, 0, 500));
  const sim = new TencentCdnSimulator({ now: clock.now });
  await push(sim, clock, ["https://www.example.com/a.js"]);
  const found = await logs(sim, clock, {
    StartTime: "2024-01-15 12:00:00",
    EndTime: "2024-01-15 12:00:00",
  });
  assert.equal(found.TotalCount, 1);
});

Deno.test("query: Status and Area filters, and values outside the documented ones refused", async () => {
  const { sim, clock } = setup({
    taskDurationMs: 5 * MINUTE,
    taskOutcomes: [{ match: /broken/, status: "fail" }],
  });
  await push(sim, clock, ["https://www.example.com/ok.js", "https://www.example.com/broken.js"]);
  await push(sim, clock, ["https://img.example.com/home.png"], "mainland");
  const day = { StartTime: "2024-01-15 00:00:00", EndTime: "2024-01-15 23:59:59" };
  assert.equal((await logs(sim, clock, { ...day, Status: "process" })).TotalCount, 3);
  clock.ms += 5 * MINUTE;
  const failed = await logs(sim, clock, { ...day, Status: "fail" });
  assert.deepEqual(failed.PushLogs.map((line) => line.Url), ["https://www.example.com/broken.js"]);
  assert.equal((await logs(sim, clock, { ...day, Status: "done" })).TotalCount, 2);
  assert.equal((await logs(sim, clock, { ...day, Status: "invalid" })).TotalCount, 0);
  const mainland = await logs(sim, clock, { ...day, Area: "mainland" });
  assert.deepEqual(mainland.PushLogs.map((line) => line.Area), ["mainland"]);
  assert.equal((await logs(sim, clock, { ...day, Area: "overseas" })).TotalCount, 2);
  assert.equal((await logs(sim, clock, { ...day, Area: "global" })).TotalCount, 0);
  for (const bad of [{ Status: "finished" }, { Area: "europe" }, { Status: 1 }]) {
    const refused = await logs(sim, clock, { ...day, ...bad });
    assert.equal(refused.Error?.Code, "InvalidParameter.CdnParamError", JSON.stringify(bad));
  }
});

Deno.test("lifecycle options: bad rules and values throw naming the value", () => {
  const cases: [unknown, ErrorConstructor, RegExp][] = [
    [{ taskOutcomes: [{ match: "x", status: "success" }] }, RangeError, /"success"/],
    [{ taskOutcomes: [{ match: 5 }] }, TypeError, /taskOutcomes\[0\]\.match.*5/],
    [{ taskOutcomes: [{ match: "x", durationMs: -1 }] }, RangeError, /durationMs.*-1/],
    [{ taskOutcomes: "fail" }, TypeError, /taskOutcomes.*"fail"/],
    [{ purgeOutcomes: [{ match: "x", status: "invalid" }] }, RangeError, /"invalid"/],
    [{ pushStatusCase: "upper" }, RangeError, /pushStatusCase.*"upper"/],
    [{ unencodedNonAscii: "reject" }, RangeError, /unencodedNonAscii.*"reject"/],
    [{ playlistSegments: { "https://a/x.m3u8": -2 } }, RangeError, /playlistSegments.*-2/],
    [{ purgeBatchLimit: 0 }, RangeError, /purgeBatchLimit.*0/],
    [{ purgeDurationMs: Infinity }, RangeError, /purgeDurationMs.*Infinity/],
    [{ teoZones: [{ zoneId: "*", domains: [] }] }, TypeError, /zoneId.*"\*"/],
    [
      { teoZones: [{ zoneId: "z", domains: [] }, { zoneId: "z", domains: [] }] },
      RangeError,
      /repeats.*"z"/,
    ],
    [{ teoZones: [{ zoneId: "z", domains: ["bad host"] }] }, RangeError, /domains\[0\]/],
  ];
  for (const [options, type, message] of cases) {
    assert.throws(
      () => new TencentCdnSimulator(options as never),
      (error: unknown) => error instanceof type && message.test((error as Error).message),
      JSON.stringify(options),
    );
  }
});

Deno.test("edge state: a URL's prefetch as the task holds it, however the edge is asked for it", async () => {
  const { sim, clock } = setup({
    taskDurationMs: MINUTE,
    taskOutcomes: [
      { match: "https://www.example.com:443/gone.js", status: "invalid" },
      { match: "https://WWW.example.org/gone.js", status: "invalid" },
    ],
  });
  // Sent without UrlEncode, the non-ASCII URL ends `fail`; the rule names the other as sent.
  await push(sim, clock, [
    "https://www.example.com/日本.html",
    "https://www.example.com:443/gone.js",
  ]);
  const job = await callTeo(sim, clock, "CreatePrefetchTask", {
    ZoneId: "*",
    Targets: ["https://WWW.example.org/gone.js"],
  });
  assert.equal(job.Error, undefined, JSON.stringify(job.Error));
  clock.ms += MINUTE;
  const day = { StartTime: "2024-01-15 00:00:00" };
  const described = (await logs(sim, clock, day)).PushLogs.map((line) => line.Status);
  assert.deepEqual(described, ["fail", "invalid"]);
  // An edge is asked for each as a browser writes it.
  const asked: [string, string][] = [
    ["https://www.example.com/%E6%97%A5%E6%9C%AC.html", "fail"],
    ["https://www.example.com/gone.js", "invalid"],
    ["https://www.example.org/gone.js", "invalid"],
  ];
  for (const [url, status] of asked) {
    assert.equal(sim.edgeStateOf(url).prefetch?.status, status, url);
  }
});
