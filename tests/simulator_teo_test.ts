// The simulator's EdgeOne (`teo`, 2022-09-01) service: TC3 checked with service `teo`, zones
// and their domains, per-zone prefetch quota (DescribeContentQuota), CreatePrefetchTask → JobId
// and the DescribePrefetchTasks lifecycle with Filters.

import assert from "node:assert/strict";
import { callTeo, callV3, setup } from "./_simulator_client.ts";

const MINUTE = 60_000;
const ZONES = [
  { zoneId: "zone-shop", domains: ["shop.example.org", "*.cdn.example.org"] },
  {
    zoneId: "zone-blog",
    domains: ["blog.example.org"],
    prefetchDailyLimit: 5,
    prefetchBatchLimit: 3,
  },
];
const WINDOW = { StartTime: "2024-01-15T00:00:00+08:00", EndTime: "2024-01-15T23:59:59+08:00" };

Deno.test("teo signature: the credential scope must name teo, and each service serves its own actions", async () => {
  const { sim, clock } = setup({ teoZones: ZONES });
  const quota = { ZoneId: "zone-shop" };
  const signedForCdn = await callTeo(sim, clock, "DescribeContentQuota", quota, { service: "cdn" });
  assert.equal(signedForCdn.Error?.Code, "AuthFailure.SignatureFailure");
  assert.match(signedForCdn.Error?.Message, /service cdn.*teo/);
  const cdnSignedForTeo = await callV3(sim, clock, "DescribePushQuota", {}, { service: "teo" });
  assert.equal(cdnSignedForTeo.Response.Error?.Code, "AuthFailure.SignatureFailure");
  assert.equal(
    (await callTeo(sim, clock, "PushUrlsCache", { Urls: ["https://shop.example.org/a"] })).Error
      ?.Code,
    "InvalidAction",
  );
  const ok = await callTeo(sim, clock, "DescribeContentQuota", quota);
  assert.equal(ok.Error, undefined);
  assert.deepEqual(
    sim.requests.map((request) => [request.action, request.service, request.outcome]),
    [
      ["DescribeContentQuota", "teo", "AuthFailure.SignatureFailure"],
      ["DescribePushQuota", undefined, "AuthFailure.SignatureFailure"],
      ["PushUrlsCache", "teo", "InvalidAction"],
      ["DescribeContentQuota", "teo", "Success"],
    ],
  );
});

Deno.test("CreatePrefetchTask: zones and their domains decide what is accepted", async () => {
  const { sim, clock } = setup({ teoZones: ZONES });
  const created = await callTeo(sim, clock, "CreatePrefetchTask", {
    ZoneId: "zone-shop",
    Targets: ["https://shop.example.org/a.js", "https://img.cdn.example.org/b.png"],
    Headers: [{ Name: "X-Warm", Value: "1" }],
    EncodeUrl: true,
  });
  assert.equal(created.Error, undefined);
  assert.match(created.JobId, /^[0-9a-z]{12}$/);
  assert.deepEqual(created.FailedList, []);
  assert.deepEqual(sim.prefetchJobs, [{
    jobId: created.JobId,
    zoneId: "zone-shop",
    requestedZoneId: "zone-shop",
    targets: ["https://shop.example.org/a.js", "https://img.cdn.example.org/b.png"],
    at: clock.ms,
    parameters: { Headers: [{ Name: "X-Warm", Value: "1" }], EncodeUrl: true },
  }]);
  assert.equal(sim.teoQuotaUsed("zone-shop"), 2);
  assert.equal(sim.quotaUsed("overseas") + sim.quotaUsed("mainland"), 0, "CDN quota untouched");
  assert.equal(sim.accepted.length, 0);

  const cases: [Record<string, unknown>, string][] = [
    [
      { ZoneId: "zone-none", Targets: ["https://shop.example.org/a"] },
      "InvalidParameter.ZoneNotFound",
    ],
    [
      { ZoneId: "zone-blog", Targets: ["https://shop.example.org/a"] },
      "InvalidParameter.DomainNotFound",
    ],
    [
      { ZoneId: "zone-shop", Targets: ["https://www.example.com/a"] },
      "InvalidParameter.DomainNotFound",
    ],
    [{ ZoneId: "zone-shop", Targets: ["shop.example.org/a"] }, "InvalidParameter.Target"],
    [{ ZoneId: "zone-shop", Targets: ["https://shop.example.org/*"] }, "InvalidParameter.Target"],
    [{ Targets: ["https://shop.example.org/a"] }, "MissingParameter"],
    [{ ZoneId: "zone-shop" }, "MissingParameter"],
    [{ ZoneId: "zone-shop", Targets: [] }, "InvalidParameter.ParameterError"],
    [
      { ZoneId: "zone-shop", Targets: ["https://shop.example.org/a"], Mode: "all" },
      "InvalidParameter.ParameterError",
    ],
    [
      { ZoneId: "zone-shop", Targets: ["https://shop.example.org/a"], EncodeUrl: "true" },
      "InvalidParameter.ParameterError",
    ],
    [{ ZoneId: "zone-shop", Urls: ["https://shop.example.org/a"] }, "UnknownParameter"],
  ];
  for (const [payload, code] of cases) {
    const answer = await callTeo(sim, clock, "CreatePrefetchTask", payload);
    assert.equal(answer.Error?.Code, code, JSON.stringify(payload));
  }
  assert.equal(sim.prefetchJobs.length, 1, "refused requests create nothing");
  assert.equal(sim.teoQuotaUsed("zone-shop"), 2);

  // "*" reaches every zone of the account: one JobId, one record per zone.
  const everywhere = await callTeo(sim, clock, "CreatePrefetchTask", {
    ZoneId: "*",
    Targets: ["https://blog.example.org/post", "https://shop.example.org/c.js"],
    Mode: "default",
  });
  assert.equal(everywhere.Error, undefined);
  assert.deepEqual(
    sim.prefetchJobs.slice(1).map((
      job,
    ) => [job.jobId, job.zoneId, job.requestedZoneId, job.targets]),
    [
      [everywhere.JobId, "zone-blog", "*", ["https://blog.example.org/post"]],
      [everywhere.JobId, "zone-shop", "*", ["https://shop.example.org/c.js"]],
    ],
  );
  assert.throws(() => sim.teoQuotaUsed("zone-none"), RangeError);
});

Deno.test("DescribeContentQuota and the per-zone batch and daily limits", async () => {
  const { sim, clock } = setup({ teoZones: ZONES });
  const blog = (n: number) => Array.from({ length: n }, (_, i) => `https://blog.example.org/${i}`);
  const quota = async (zoneId: string) =>
    (await callTeo(sim, clock, "DescribeContentQuota", { ZoneId: zoneId })).PrefetchQuota;
  assert.deepEqual(await quota("zone-blog"), [
    { Type: "prefetch_url", Batch: 3, Daily: 5, DailyAvailable: 5 },
  ]);
  assert.deepEqual(await quota("zone-shop"), [
    { Type: "prefetch_url", Batch: 2000, Daily: 10_000, DailyAvailable: 10_000 },
  ]);
  const tooMany = await callTeo(sim, clock, "CreatePrefetchTask", {
    ZoneId: "zone-blog",
    Targets: blog(4),
  });
  assert.equal(tooMany.Error?.Code, "LimitExceeded.BatchQuota");
  const ok = await callTeo(sim, clock, "CreatePrefetchTask", {
    ZoneId: "zone-blog",
    Targets: blog(3),
  });
  assert.equal(ok.Error, undefined);
  const overDay = await callTeo(sim, clock, "CreatePrefetchTask", {
    ZoneId: "zone-blog",
    Targets: blog(3),
  });
  assert.equal(overDay.Error?.Code, "LimitExceeded.DailyQuota");
  assert.deepEqual((await quota("zone-blog"))[0].DailyAvailable, 2);
  assert.equal((await quota("zone-shop"))[0].DailyAvailable, 10_000, "zones spend apart");
  // "*" is refused whole when one zone lacks room.
  const mixed = await callTeo(sim, clock, "CreatePrefetchTask", {
    ZoneId: "*",
    Targets: ["https://shop.example.org/x", ...blog(3)],
  });
  assert.equal(mixed.Error?.Code, "LimitExceeded.DailyQuota");
  assert.equal(sim.teoQuotaUsed("zone-shop"), 0);
  assert.equal(
    (await callTeo(sim, clock, "DescribeContentQuota", {})).Error?.Code,
    "MissingParameter",
  );
  assert.equal(
    (await callTeo(sim, clock, "DescribeContentQuota", { ZoneId: "zone-x" })).Error?.Code,
    "InvalidParameter.ZoneNotFound",
  );
  clock.ms += 12 * 3600_000; // the next Beijing day
  assert.equal((await quota("zone-blog"))[0].DailyAvailable, 5);
});

Deno.test("DescribePrefetchTasks: processing, then success, failed or invalid, filtered and paged", async () => {
  const { sim, clock } = setup({
    teoZones: ZONES,
    taskDurationMs: 20 * MINUTE,
    taskOutcomes: [
      { match: /missing/, status: "invalid", durationMs: MINUTE },
      { match: /flaky/, status: "fail" },
    ],
  });
  const targets = [
    "https://shop.example.org/ok.js",
    "https://shop.example.org/missing.js",
    "https://img.cdn.example.org/flaky.png",
    ...Array.from({ length: 22 }, (_, i) => `https://shop.example.org/many-${i}.js`),
  ];
  const { JobId: jobId } = await callTeo(sim, clock, "CreatePrefetchTask", {
    ZoneId: "zone-shop",
    Targets: targets,
  });
  const tasks = async (query: Record<string, unknown>) =>
    await callTeo(sim, clock, "DescribePrefetchTasks", { ZoneId: "zone-shop", ...query });
  const byJob = { Filters: [{ Name: "job-id", Values: [jobId] }] };

  const first = await tasks(byJob);
  assert.equal(first.TotalCount, 25);
  assert.equal(first.Tasks.length, 20, "the default page is 20");
  assert.deepEqual(first.Tasks[0], {
    JobId: jobId,
    Target: "https://shop.example.org/ok.js",
    Type: "prefetch_url",
    Status: "processing",
    CreateTime: "2024-01-15T04:00:00Z",
    UpdateTime: "2024-01-15T04:00:00Z",
  });
  const rest = await tasks({ ...byJob, Offset: 20, Limit: 10 });
  assert.deepEqual(
    [...first.Tasks, ...rest.Tasks].map((task: { Target: string }) => task.Target),
    targets,
  );

  clock.ms += 20 * MINUTE;
  const done = await tasks({ ...byJob, Limit: 3 });
  assert.deepEqual(
    done.Tasks.map((task: Record<string, string>) => [task.Status, task.FailType, task.UpdateTime]),
    [
      ["success", undefined, "2024-01-15T04:20:00Z"],
      ["invalid", "originPullFailed", "2024-01-15T04:01:00Z"],
      ["failed", "taskFailed", "2024-01-15T04:20:00Z"],
    ],
  );
  assert.ok(done.Tasks[1].FailMessage);

  const filtered = async (filters: unknown[]) =>
    (await tasks({ ...WINDOW, Filters: filters })).TotalCount;
  assert.equal(await filtered([{ Name: "statuses", Values: ["failed", "invalid"] }]), 2);
  assert.equal(await filtered([{ Name: "statuses", Values: ["success"] }]), 23);
  assert.equal(await filtered([{ Name: "domains", Values: ["img.cdn.example.org"] }]), 1);
  assert.equal(await filtered([{ Name: "target", Values: ["https://shop.example.org/ok.js"] }]), 1);
  assert.equal((await tasks(WINDOW)).TotalCount, 25);
  assert.equal(
    (await tasks({ StartTime: "2024-01-15T04:00:01Z", EndTime: "2024-01-15T05:00:00Z" }))
      .TotalCount,
    0,
  );
  const otherZone = await callTeo(sim, clock, "DescribePrefetchTasks", {
    ZoneId: "zone-blog",
    ...WINDOW,
  });
  assert.equal(otherZone.TotalCount, 0);

  const refused: [Record<string, unknown>, string][] = [
    [{}, "InvalidParameter.ParameterError"],
    [{ StartTime: WINDOW.StartTime }, "InvalidParameter.ParameterError"],
    [{ ...WINDOW, Limit: 1001 }, "InvalidParameter.ParameterError"],
    [
      { StartTime: "2024-01-15 00:00:00", EndTime: WINDOW.EndTime },
      "InvalidParameter.ParameterError",
    ],
    [{ ...WINDOW, Filters: [{ Name: "url", Values: ["x"] }] }, "InvalidParameter.ParameterError"],
    [
      { ...WINDOW, Filters: [{ Name: "job-id", Values: ["a", "b"] }] },
      "InvalidParameter.ParameterError",
    ],
    [
      { ...WINDOW, Filters: [{ Name: "statuses", Values: ["done"] }] },
      "InvalidParameter.ParameterError",
    ],
    [
      { ...WINDOW, Filters: [{ Name: "target", Values: ["x"], Fuzzy: true }] },
      "InvalidParameter.ParameterError",
    ],
    [{ ...WINDOW, Keyword: "shop.example.org" }, "UnknownParameter"],
  ];
  for (const [query, code] of refused) {
    assert.equal((await tasks(query)).Error?.Code, code, JSON.stringify(query));
  }
  assert.equal(
    (await callTeo(sim, clock, "DescribePrefetchTasks", WINDOW)).Error?.Code,
    "MissingParameter",
  );
});

Deno.test("teo defaults: one zone serving www.example.org", async () => {
  const { sim, clock } = setup();
  const created = await callTeo(sim, clock, "CreatePrefetchTask", {
    ZoneId: "zone-simulator",
    Targets: ["https://www.example.org/"],
  });
  assert.equal(created.Error, undefined);
  assert.equal(sim.teoQuotaUsed("zone-simulator"), 1);
  sim.reset();
  assert.equal(sim.teoQuotaUsed("zone-simulator"), 0);
  assert.equal(sim.prefetchJobs.length, 0);
});
