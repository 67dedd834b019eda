// PurgeUrlsCache, DescribePurgeTasks and DescribePurgeQuota on the simulator: their own batch
// limit, daily quota (apart from prefetch's) and task lifecycle.

import assert from "node:assert/strict";
import type { TencentCdnSimulator } from "../src/testing/mod.ts";
import { callV3, type Clock, setup } from "./_simulator_client.ts";

const MINUTE = 60_000;

async function purge(
  sim: TencentCdnSimulator,
  clock: Clock,
  payload: Record<string, unknown>,
) {
  return (await callV3(sim, clock, "PurgeUrlsCache", payload)).Response;
}

async function purgeLogs(
  sim: TencentCdnSimulator,
  clock: Clock,
  query: Record<string, unknown>,
) {
  return (await callV3(sim, clock, "DescribePurgeTasks", query)).Response;
}

Deno.test("PurgeUrlsCache: one task per request, its own quota, not prefetch's", async () => {
  const { sim, clock } = setup();
  const answer = await purge(sim, clock, {
    Urls: ["https://www.example.com/index.html", "https://img.example.com/logo.png"],
    Area: "overseas",
  });
  assert.equal(answer.Error, undefined);
  assert.match(answer.TaskId, /^\d+-[0-9a-z]{8}$/);
  assert.deepEqual(sim.purged.map((task) => [task.taskId, task.host, task.area, task.urls]), [
    [answer.TaskId, "www.example.com", "overseas", ["https://www.example.com/index.html"]],
    [answer.TaskId, "img.example.com", "overseas", ["https://img.example.com/logo.png"]],
  ]);
  assert.equal(sim.purgeQuotaUsed("overseas"), 2);
  assert.equal(sim.purgeQuotaUsed("mainland"), 0);
  assert.equal(sim.quotaUsed("overseas"), 0, "prefetch quota untouched");
  assert.equal(sim.accepted.length, 0);

  // Without Area the domain's acceleration area is purged: both, in the simulator.
  await purge(sim, clock, { Urls: ["https://www.example.com/app.js"], UrlEncode: false });
  assert.equal(sim.purgeQuotaUsed("overseas"), 3);
  assert.equal(sim.purgeQuotaUsed("mainland"), 1);
  assert.equal(sim.purged.at(-1)?.area, undefined);
  assert.equal(sim.purged.at(-1)?.urlEncode, false);
});

Deno.test("PurgeUrlsCache: batch limit, daily limit per Beijing day, and bad input", async () => {
  const { sim, clock } = setup({
    purgeBatchLimit: 3,
    purgeDailyLimit: 5,
    unencodedNonAscii: "refuse",
  });
  const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://www.example.com/${i}`);
  const tooMany = await purge(sim, clock, { Urls: urls(4), Area: "mainland" });
  assert.equal(tooMany.Error?.Code, "LimitExceeded.CdnPurgeUrlExceedBatchLimit");
  assert.equal((await purge(sim, clock, { Urls: urls(3), Area: "mainland" })).Error, undefined);
  const overDay = await purge(sim, clock, { Urls: urls(3), Area: "mainland" });
  assert.equal(overDay.Error?.Code, "LimitExceeded.CdnPurgeUrlExceedDayLimit");
  assert.match(overDay.Error?.Message, /mainland 2/);
  assert.equal(sim.purgeQuotaUsed("mainland"), 3, "a refused request spends nothing");
  clock.ms += 8 * 3600_000; // 20:00 Beijing: still the same day
  assert.equal(
    (await purge(sim, clock, { Urls: urls(3), Area: "mainland" })).Error?.Code,
    "LimitExceeded.CdnPurgeUrlExceedDayLimit",
  );
  clock.ms += 4 * 3600_000; // midnight Beijing
  assert.equal((await purge(sim, clock, { Urls: urls(3), Area: "mainland" })).Error, undefined);

  const cases: [Record<string, unknown>, string][] = [
    [{ Urls: ["https://www.example.com/*.js"] }, "InvalidParameter.CdnPurgeWildcardNotAllowed"],
    [{ Urls: ["https://unknown.example/a"] }, "ResourceNotFound.CdnHostNotExists"],
    [{ Urls: ["ftp://www.example.com/a"] }, "InvalidParameter.CdnParamError"],
    [{ Urls: ["https://www.example.com/a"], Area: "global" }, "InvalidParameter.CdnParamError"],
    [{ Urls: ["https://www.example.com/a"], UrlEncode: "1" }, "InvalidParameter.CdnParamError"],
    [{ Urls: ["https://www.example.com/页.html"] }, "InvalidParameter.CdnParamError"],
    [{ Urls: [] }, "InvalidParameter.CdnParamError"],
    [{ Urls: ["https://www.example.com/a"], Layer: "middle" }, "UnknownParameter"],
  ];
  for (const [payload, code] of cases) {
    assert.equal((await purge(sim, clock, payload)).Error?.Code, code, JSON.stringify(payload));
  }
  const encoded = await purge(sim, clock, {
    Urls: ["https://www.example.com/页.html"],
    UrlEncode: true,
    Area: "overseas",
  });
  assert.equal(encoded.Error, undefined);
});

Deno.test("DescribePurgeTasks: process, then done or fail, with paging and filters", async () => {
  const { sim, clock } = setup({
    purgeDurationMs: 5 * MINUTE,
    purgeOutcomes: [{ match: /stale/, status: "fail", durationMs: 2 * MINUTE }],
  });
  const urls = Array.from({ length: 24 }, (_, i) => `https://www.example.com/p-${i}.css`);
  const { TaskId: taskId } = await purge(sim, clock, {
    Urls: [...urls, "https://www.example.com/stale.css"],
    Area: "overseas",
  });
  const early = await purgeLogs(sim, clock, { TaskId: taskId });
  assert.equal(early.TotalCount, 25);
  assert.equal(early.PurgeLogs.length, 20);
  assert.deepEqual(early.PurgeLogs[0], {
    TaskId: taskId,
    Url: urls[0],
    Status: "process",
    PurgeType: "url",
    FlushType: "delete",
    CreateTime: "2024-01-15 12:00:00",
  });
  clock.ms += 2 * MINUTE;
  const stale = await purgeLogs(sim, clock, { TaskId: taskId, Status: "fail" });
  assert.deepEqual(stale.PurgeLogs.map((log: { Url: string }) => log.Url), [
    "https://www.example.com/stale.css",
  ]);
  assert.equal((await purgeLogs(sim, clock, { TaskId: taskId, Status: "done" })).TotalCount, 0);
  clock.ms += 3 * MINUTE; // purgeDurationMs has passed
  const done = await purgeLogs(sim, clock, { TaskId: taskId, Status: "done", Offset: 20 });
  assert.equal(done.TotalCount, 24);
  assert.equal(done.PurgeLogs.length, 4);

  const window = { StartTime: "2024-01-15 00:00:00", EndTime: "2024-01-15 23:59:59" };
  assert.equal((await purgeLogs(sim, clock, { ...window, PurgeType: "url" })).TotalCount, 25);
  assert.equal((await purgeLogs(sim, clock, { ...window, PurgeType: "path" })).TotalCount, 0);
  assert.equal((await purgeLogs(sim, clock, { ...window, Area: "mainland" })).TotalCount, 0);
  const one = await purgeLogs(sim, clock, { ...window, Keyword: urls[3] });
  assert.deepEqual(one.PurgeLogs.map((log: { Url: string }) => log.Url), [urls[3]]);
  const bad: [Record<string, unknown>, string][] = [
    [{ ...window, PurgeType: "dir" }, "InvalidParameter.CdnParamError"],
    [{ ...window, Status: "invalid" }, "InvalidParameter.CdnParamError"],
    [{}, "InvalidParameter.CdnParamError"],
    [{ StartTime: "15/01/2024" }, "InvalidParameter.CdnStatInvalidDate"],
  ];
  for (const [query, code] of bad) {
    assert.equal((await purgeLogs(sim, clock, query)).Error?.Code, code, JSON.stringify(query));
  }
  // Prefetch and purge logs are apart.
  const pushLogs = await callV3(sim, clock, "DescribePushTasks", window);
  assert.equal(pushLogs.Response.TotalCount, 0);
});

Deno.test("DescribePurgeQuota: URL purge batch, total and what is left per area", async () => {
  const { sim, clock } = setup({ purgeDailyLimit: 50, purgeBatchLimit: 10 });
  await purge(sim, clock, { Urls: ["https://www.example.com/a"], Area: "overseas" });
  const quota = (await callV3(sim, clock, "DescribePurgeQuota", {})).Response;
  assert.deepEqual(quota.UrlPurge, [
    { Area: "mainland", Batch: 10, Total: 50, Available: 50 },
    { Area: "overseas", Batch: 10, Total: 50, Available: 49 },
  ]);
  assert.deepEqual(quota.PathPurge.map((area: { Area: string }) => area.Area), [
    "mainland",
    "overseas",
  ]);
  assert.equal(
    (await callV3(sim, clock, "DescribePurgeQuota", { Area: "overseas" })).Response.Error?.Code,
    "UnknownParameter",
  );
  sim.reset();
  assert.equal(sim.purgeQuotaUsed("overseas"), 0);
  assert.equal(sim.purged.length, 0);
});
