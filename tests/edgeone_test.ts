// EdgeOne (`teo`) through the library against the simulator's `teo` service: a run submits,
// waits and reports as a CDN run does; zone errors, quota limits, FailedList, options, and the
// TC3 scope of every request (recomputed here with WebCrypto, apart from the package's signer).
import assert from "node:assert/strict";
import {
  type CdnApi,
  errorAdvice,
  MemoryCoordinator,
  prewarm,
  type PrewarmOptions,
  TencentCloudError,
  waitForTasks,
} from "../mod.ts";
import {
  describeContentQuota,
  describePrefetchTasks,
  edgeOne,
  urlStatusOfPrefetch,
} from "../src/edgeone.ts";
import { pollTasks } from "../src/engine/wait.ts";
import { purgeThenPrewarm } from "../src/purge.ts";
import {
  SIMULATOR_CREDENTIALS,
  type SimulatorOptions,
  TencentCdnSimulator,
} from "../src/testing/mod.ts";
import { hex, hmacRaw, sha256 } from "./_simulator_client.ts";
import { assertAccounted, urlsOn } from "./_helpers.ts";

const MINUTE = 60_000;
/** 2026-11-28 12:00 in Beijing. */
const START = Date.UTC(2026, 10, 28, 4);
const DAY = "2026-11-28";
const ZONE = "zone-2o0i2m9sk3li";
const OTHER_ZONE = "zone-other";
const TEO_ACCOUNT = `${SIMULATOR_CREDENTIALS.secretId}@teo.tencentcloudapi.com`;

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A simulator with two zones (and CDN domains), a shared fake clock, and what was sent. */
function setup(options: SimulatorOptions = {}) {
  const clock = { ms: START };
  const now = () => clock.ms;
  const sim = new TencentCdnSimulator({
    domains: ["www.example.com", "img.example.com"],
    teoZones: [
      { zoneId: ZONE, domains: ["www.example.com", "img.example.com"] },
      { zoneId: OTHER_ZONE, domains: ["other.example.net"] },
    ],
    now,
    ...options,
  });
  const sent: Sent[] = [];
  const coordinator = new MemoryCoordinator();
  const call = {
    credentials: { ...SIMULATOR_CREDENTIALS },
    fetch: (url: string, init: RequestInit) => {
      sent.push({
        url,
        headers: { ...init.headers as Record<string, string> },
        body: String(init.body),
      });
      return sim.fetch(url, init);
    },
    now,
    coordinator,
    retryDelayMs: 1,
    maxRetryDelayMs: 5,
    maxRequestsPerSecond: Infinity,
  } satisfies PrewarmOptions;
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    clock.ms += ms;
    return Promise.resolve();
  };
  const teoBudget = (zoneId = ZONE) => {
    const usage = coordinator.usage(TEO_ACCOUNT, `teo:${zoneId}:${DAY}`, now());
    return usage.spent + usage.held;
  };
  return { sim, clock, call, sleep, sent, coordinator, teoBudget };
}

const OUTCOMES: SimulatorOptions = {
  taskDurationMs: 20 * MINUTE,
  taskOutcomes: [
    { match: /\/missing-/, status: "invalid", durationMs: 5 * MINUTE },
    { match: "https://img.example.com/asset-1.js", status: "fail", durationMs: 12 * MINUTE },
  ],
};

Deno.test("edgeone: submits, waits and reports exactly as a CDN run of the same URLs does", async () => {
  const www = urlsOn("www.example.com", 3);
  const img = urlsOn("img.example.com", 2);
  const missing = ["https://www.example.com/missing-1.png"];
  const input = [...www, ...img, ...missing, www[0]!, "ftp://www.example.com/x"];

  const runs = [];
  for (const api of [undefined, edgeOne({ zoneId: ZONE })]) {
    const { sim, call, sleep, teoBudget } = setup(OUTCOMES);
    const report = await prewarm(input, { ...call, api });
    assertAccounted(input, report);
    const waited = await waitForTasks(report, { ...call, api, sleep });
    runs.push({ sim, report, waited, teoBudget });
  }
  const [cdn, teo] = runs as [typeof runs[0], typeof runs[0]];

  assert.equal(cdn.report.api, "v3");
  assert.equal(teo.report.api, "teo");
  assert.equal(teo.report.zoneId, ZONE);
  assert.equal(cdn.report.zoneId, undefined);
  // Same URL checks, duplicates, batches by host, counts.
  assert.deepEqual(teo.report.counts, cdn.report.counts);
  assert.deepEqual(teo.report.rejected, cdn.report.rejected);
  assert.deepEqual(
    teo.report.tasks.map((t) => [t.host, t.urls]),
    cdn.report.tasks.map((t) => [t.host, t.urls]),
  );
  assert.deepEqual(teo.report.failed, []);
  // The task ids are EdgeOne's JobIds, each covering exactly the targets of its job.
  assert.equal(teo.sim.accepted.length, 0, "nothing went to CDN");
  for (const task of teo.report.tasks) {
    const job = teo.sim.prefetchJobs.find((j) => j.jobId === task.taskId);
    assert.equal(job?.zoneId, ZONE);
    assert.deepEqual(job?.targets, task.urls);
    assert.equal(typeof task.requestId, "string");
  }
  assert.equal(teo.sim.teoQuotaUsed(ZONE), 6);
  assert.equal(teo.sim.teoQuotaUsed(OTHER_ZONE), 0);
  assert.equal(teo.sim.quotaUsed("overseas"), 0);
  assert.equal(teo.teoBudget(), 6, "the zone's own budget, apart from CDN's");
  // Waiting: the same final status for every URL, in the same order.
  const statuses = (w: typeof teo.waited) => w.urls.map((u) => [u.url, u.status, u.percent]);
  assert.deepEqual(statuses(teo.waited), statuses(cdn.waited));
  assert.deepEqual(teo.waited.counts, { done: 4, failed: 1, invalid: 1, pending: 0, unknown: 0 });
  assert.deepEqual(
    teo.waited.urls.map((u) => u.taskId),
    teo.report.tasks.flatMap((t) => t.urls.map(() => t.taskId)),
  );
  for (const u of teo.waited.urls) assert.match(u.updatedAt ?? "", /^2026-11-28T04:\d\d:\d\dZ$/);
  assert.equal(teo.waited.timedOut, false);
  assert.equal(teo.waited.error, undefined);
  const reads = teo.sim.requests.filter((r) => r.action === "DescribePrefetchTasks");
  assert(reads.length >= 2 && reads.every((r) => r.service === "teo" && r.outcome === "Success"));
});

Deno.test("edgeone: mid-wait statuses: processing is pending, then success/failed/invalid", async () => {
  const { call, clock } = setup(OUTCOMES);
  const backend = edgeOne({ zoneId: ZONE });
  const urls = [...urlsOn("img.example.com", 2), "https://img.example.com/missing-2.png"];
  const report = await prewarm(urls, { ...call, api: backend });
  const at = async (minutes: number) => {
    clock.ms = START + minutes * MINUTE;
    const round = await pollTasks(report, { ...call, api: backend });
    return round.urls.map((u) => u.status);
  };
  assert.deepEqual(await at(0), ["pending", "pending", "pending"]);
  assert.deepEqual(await at(6), ["pending", "pending", "invalid"]);
  assert.deepEqual(await at(13), ["pending", "failed", "invalid"]);
  assert.deepEqual(await at(21), ["done", "failed", "invalid"]);
  // The raw statuses, as EdgeOne writes them.
  const { logs } = await describePrefetchTasks(report.tasks[0]!.taskId, { ...call, zoneId: ZONE });
  assert.deepEqual(logs.map((l) => [l.status, l.failType]), [
    ["success", undefined],
    ["failed", "taskFailed"],
    ["invalid", "originPullFailed"],
  ]);
  assert.deepEqual(
    ["success", "failed", "timeout", "canceled", "invalid", "processing", "Success", "new"].map(
      urlStatusOfPrefetch,
    ),
    ["done", "failed", "failed", "failed", "invalid", "pending", "done", "pending"],
  );
});

Deno.test("edgeone: a report is waited for on its own service, never looked up on the other", async () => {
  const { call } = setup();
  const backend = edgeOne({ zoneId: ZONE });
  const report = await prewarm(urlsOn("www.example.com", 1), { ...call, api: backend });
  await assert.rejects(
    () => waitForTasks(report, call),
    (e: unknown) =>
      e instanceof TypeError && /from api "teo", which CDN API 3\.0.*cannot read/.test(e.message),
  );
  const cdnReport = await prewarm(urlsOn("www.example.com", 1), call);
  await assert.rejects(
    () => pollTasks(cdnReport, { ...call, api: backend }),
    (e: unknown) =>
      e instanceof TypeError && /from api "v3", which EdgeOne.*cannot read/.test(e.message),
  );
});

Deno.test("edgeone: every request is TC3-signed for service teo, version 2022-09-01", async () => {
  const { call, sent, sim } = setup();
  const backend = edgeOne({ zoneId: ZONE });
  const report = await prewarm(urlsOn("www.example.com", 2), {
    ...call,
    api: backend,
    checkQuota: true,
  });
  await pollTasks(report, { ...call, api: backend });
  assert.deepEqual(sim.requests.map((r) => [r.action, r.service, r.outcome]), [
    ["DescribeContentQuota", "teo", "Success"],
    ["CreatePrefetchTask", "teo", "Success"],
    ["DescribePrefetchTasks", "teo", "Success"],
  ]);
  for (const request of sent) {
    assert.equal(request.url, "https://teo.tencentcloudapi.com/");
    const h = request.headers;
    assert.equal(h["X-TC-Version"], "2022-09-01");
    assert.equal(h["Content-Type"], "application/json; charset=utf-8");
    // Recomputed from the algorithm's steps with WebCrypto, nothing shared with src/transport/tc3.ts.
    const timestamp = Number(h["X-TC-Timestamp"]);
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    const canonical = "POST\n/\n\ncontent-type:application/json; charset=utf-8\n" +
      `host:teo.tencentcloudapi.com\n\ncontent-type;host\n${await sha256(request.body)}`;
    const scope = `${date}/teo/tc3_request`;
    const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${await sha256(canonical)}`;
    const encoder = new TextEncoder();
    const kDate = await hmacRaw(
      "SHA-256",
      encoder.encode(`TC3${SIMULATOR_CREDENTIALS.secretKey}`),
      date,
    );
    const kSigning = await hmacRaw(
      "SHA-256",
      await hmacRaw("SHA-256", kDate, "teo"),
      "tc3_request",
    );
    const signature = hex(await hmacRaw("SHA-256", kSigning, toSign));
    assert.equal(
      h["Authorization"],
      `TC3-HMAC-SHA256 Credential=${SIMULATOR_CREDENTIALS.secretId}/${scope}, ` +
        `SignedHeaders=content-type;host, Signature=${signature}`,
    );
  }
  assert.deepEqual(JSON.parse(sent[1]!.body), {
    ZoneId: ZONE,
    Targets: urlsOn("www.example.com", 2),
  });
});

Deno.test("edgeone: a request signed for cdn is refused by teo (the scope is checked)", async () => {
  const { call, sim } = setup();
  // The CDN signer's request, re-addressed to EdgeOne's version: the scope still says cdn.
  const report = await prewarm(urlsOn("www.example.com", 1), {
    ...call,
    fetch: (url, init) => {
      const headers = { ...init.headers as Record<string, string> };
      headers["X-TC-Version"] = "2022-09-01";
      headers["X-TC-Action"] = "CreatePrefetchTask";
      return sim.fetch(url, { ...init, headers });
    },
  });
  assert.equal(report.failed[0]?.error.code, "AuthFailure.SignatureFailure");
  assert.match(sim.requests[0]!.outcome, /AuthFailure\.SignatureFailure/);
  assert.equal(sim.prefetchJobs.length, 0);
});

Deno.test("edgeone: an unknown zone stops the run before a second request, advice names zoneId", async () => {
  const { call, sim, teoBudget } = setup();
  const input = [...urlsOn("www.example.com", 3), ...urlsOn("img.example.com", 3)];
  const report = await prewarm(input, {
    ...call,
    api: edgeOne({ zoneId: "zone-nope" }),
    batchSize: 2,
    concurrency: 1,
  });
  assertAccounted(input, report);
  assert.equal(report.counts.submitted, 0);
  assert.equal(report.counts.requests, 1, "a wrong zone is not asked again");
  assert.equal(report.failed.length, 4);
  for (const f of report.failed) {
    assert.equal(f.error.code, "InvalidParameter.ZoneNotFound");
    assert.equal(f.error.category, "account");
    assert.equal(f.maybeSubmitted, false);
    assert.match(
      errorAdvice(f.error, edgeOne({ zoneId: "zone-nope" })),
      /Check zoneId: no EdgeOne zone of this account has it\./,
    );
  }
  assert.equal(sim.prefetchJobs.length, 0);
  assert.equal(teoBudget("zone-nope"), 0, "budget given back");
});

Deno.test("edgeone: a domain outside the zone fails its host only; other hosts go on", async () => {
  const { call, sim } = setup();
  const input = [...urlsOn("other.example.net", 3), ...urlsOn("www.example.com", 2)];
  const report = await prewarm(input, {
    ...call,
    api: edgeOne({ zoneId: ZONE }),
    batchSize: 2,
    concurrency: 1,
  });
  assertAccounted(input, report);
  assert.deepEqual(report.tasks.map((t) => t.urls), [urlsOn("www.example.com", 2)]);
  assert.deepEqual(report.failed.map((f) => [f.host, f.urls.length, f.error.code]), [
    ["other.example.net", 2, "InvalidParameter.DomainNotFound"],
    ["other.example.net", 1, "InvalidParameter.DomainNotFound"],
  ]);
  assert.equal(report.failed[0]!.error.category, "domain");
  assert.match(
    errorAdvice(report.failed[0]!.error, edgeOne({ zoneId: ZONE })),
    /Add the domain to the zone \(zoneId\), or drop these URLs\./,
  );
  // The host's second batch was not sent.
  assert.equal(sim.requests.filter((r) => r.action === "CreatePrefetchTask").length, 2);
});

Deno.test("edgeone: checkQuota caps batches and the day by DescribeContentQuota", async () => {
  const { call, sim, teoBudget } = setup({
    teoZones: [{
      zoneId: ZONE,
      domains: ["www.example.com"],
      prefetchBatchLimit: 3,
      prefetchDailyLimit: 10,
    }],
  });
  const backend = edgeOne({ zoneId: ZONE });
  // Without checkQuota, 4 targets exceed the zone's batch of 3 (LimitExceeded.BatchQuota, a
  // batch limit): the batch is halved and both halves sent.
  const split = await prewarm(urlsOn("www.example.com", 4, 100), { ...call, api: backend });
  assert.deepEqual(split.tasks.map((t) => t.urls.length), [2, 2]);
  assert.equal(sim.requests[0]!.outcome, "LimitExceeded.BatchQuota");
  assert.equal(sim.teoQuotaUsed(ZONE), 4);

  const input = urlsOn("www.example.com", 9, 200);
  const report = await prewarm(input, { ...call, api: backend, checkQuota: true });
  assertAccounted(input, report);
  assert.deepEqual(report.tasks.map((t) => t.urls.length), [3, 3]);
  assert.equal(report.counts.rejected, 3);
  for (const r of report.rejected) {
    assert.equal(r.reason, "daily-limit");
    assert.match(r.detail, /DescribeContentQuota reported no quota left for today/);
  }
  assert.equal(sim.teoQuotaUsed(ZONE), 10);
  assert.equal(teoBudget(), 10);
  const { prefetch } = await describeContentQuota({ ...call, zoneId: ZONE });
  assert.deepEqual(prefetch, { type: "prefetch_url", batch: 3, daily: 10, available: 0 });
});

Deno.test("edgeone: the zone's daily quota (LimitExceeded.DailyQuota) stops the run; local dailyLimit too", async () => {
  const { call, sim, teoBudget } = setup({
    teoZones: [{ zoneId: ZONE, domains: ["www.example.com"], prefetchDailyLimit: 3 }],
  });
  const backend = edgeOne({ zoneId: ZONE });
  const input = urlsOn("www.example.com", 5);
  const report = await prewarm(input, { ...call, api: backend, batchSize: 2, concurrency: 1 });
  assertAccounted(input, report);
  assert.deepEqual(report.tasks.map((t) => t.urls.length), [2]);
  assert.deepEqual(report.rejected.map((r) => r.reason), [
    "daily-limit",
    "daily-limit",
    "daily-limit",
  ]);
  assert.match(report.rejected[0]!.detail, /LimitExceeded\.DailyQuota/);
  assert.equal(sim.teoQuotaUsed(ZONE), 2);
  // The zone's budget is marked spent for the day: the next run sends nothing.
  const next = await prewarm(urlsOn("www.example.com", 1, 50), { ...call, api: backend });
  assert.equal(next.counts.requests, 0);
  assert.equal(next.rejected[0]?.reason, "daily-limit");
  assert.equal(teoBudget(), 2);

  // The local budget is per zone: another zone's run is not held back by this one.
  const { call: fresh, sim: sim2 } = setup();
  const capped = await prewarm(urlsOn("www.example.com", 4), {
    ...fresh,
    api: backend,
    dailyLimit: 3,
  });
  assert.equal(capped.counts.submitted, 3);
  assert.equal(capped.rejected[0]?.reason, "daily-limit");
  const other = await prewarm(urlsOn("other.example.net", 2), {
    ...fresh,
    api: edgeOne({ zoneId: OTHER_ZONE }),
    dailyLimit: 3,
  });
  assert.equal(other.counts.submitted, 2);
  assert.equal(sim2.teoQuotaUsed(OTHER_ZONE), 2);
});

Deno.test("edgeone: FailedList targets are failed with the reason, the rest are in the job", async () => {
  const { call, sim } = setup();
  const urls = urlsOn("www.example.com", 4);
  const encoded = "https://www.example.com/%E4%B8%AD.js";
  const input = [...urls, "https://www.example.com/中.js"];
  // EdgeOne lists refused targets in FailedList of an accepted job; the simulator never does,
  // so its answer is amended on the way back.
  const report = await prewarm(input, {
    ...call,
    api: edgeOne({ zoneId: ZONE }),
    fetch: async (url, init) => {
      const answer = await call.fetch(url, init);
      if ((init.headers as Record<string, string>)["X-TC-Action"] !== "CreatePrefetchTask") {
        return answer;
      }
      const body = await answer.json();
      body.Response.FailedList = [
        { Reason: "resource blocked", Targets: [urls[1], urls[3], "https://elsewhere/x"] },
        { Reason: "", Targets: [encoded, urls[1]] },
        null,
      ];
      return Response.json(body);
    },
  });
  assertAccounted(input, report);
  assert.deepEqual(report.tasks.map((t) => t.urls), [[urls[0], urls[2]]]);
  assert.deepEqual(report.failed.map((f) => [f.urls, f.maybeSubmitted, f.error.code]), [
    [[urls[1], urls[3]], false, "FailedList"],
    [["https://www.example.com/中.js"], false, "FailedList"],
  ]);
  const [blocked, unnamed] = report.failed as [typeof report.failed[0], typeof report.failed[0]];
  assert.match(blocked.error.message, /FailedList: resource blocked/);
  assert.match(unnamed.error.message, /no reason given/);
  assert.equal(blocked.error.category, "invalid-request");
  assert.equal(blocked.error.requestId, report.tasks[0]!.requestId);
  assert.equal(report.counts.tasks, 1);
  assert.equal(report.counts.failed, 3);
  assert.equal(sim.prefetchJobs[0]!.jobId, report.tasks[0]!.taskId);
});

Deno.test("edgeone: options are checked before anything is sent", async () => {
  const { call, sim } = setup();
  const urls = urlsOn("www.example.com", 1);
  const cases: [() => unknown, RegExp][] = [
    [() => edgeOne(undefined as never), /expected \{ zoneId \}/],
    [() => edgeOne({} as never), /Invalid option zoneId: .*got undefined/],
    [() => edgeOne({ zoneId: "*" }), /one zone's id.*got "\*"/],
    [() => edgeOne({ zoneId: "zone x" }), /got "zone x"/],
  ];
  for (const [make, message] of cases) {
    assert.throws(make, (e: unknown) => e instanceof TypeError && message.test(e.message));
  }
  const backend = edgeOne({ zoneId: ZONE });
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ api: backend, area: "mainland" }, /Invalid option area: it is an option of the API/],
    [{ api: "teo" }, /Invalid option api: expected an API value/],
    [{ backend }, /Invalid option backend: .*api: edgeOne\(\{ zoneId \}\)/],
    [{ api: backend, userAgent: "x" }, /Invalid option userAgent: .*api: cdn\(\{ userAgent \}\)/],
  ];
  for (const [options, message] of refused) {
    await assert.rejects(
      () => prewarm(urls, { ...call, ...options } as PrewarmOptions),
      (e: unknown) => e instanceof TypeError && message.test(e.message),
    );
  }
  // Purge-first purges through CDN: not with the EdgeOne API.
  await assert.rejects(
    () => purgeThenPrewarm(urls, { ...call, api: backend as unknown as CdnApi }),
    (e: unknown) =>
      e instanceof TypeError && /expected cdn\(\) to purge first.*got EdgeOne/.test(e.message),
  );
  const report = await prewarm(urls, { ...call, api: backend });
  assert.equal(report.api, "teo");
  assert.equal(sim.requests.length, 1);
  await assert.rejects(
    () => describeContentQuota({ ...call, zoneId: "" }),
    (e: unknown) => e instanceof TypeError && /zoneId/.test(e.message),
  );
});

Deno.test("edgeone: a read refused by EdgeOne is a TencentCloudError with its code", async () => {
  const { call } = setup();
  await assert.rejects(
    () => describePrefetchTasks("job", { ...call, zoneId: "zone-nope" }),
    (e: unknown) => e instanceof TencentCloudError && e.code === "InvalidParameter.ZoneNotFound",
  );
});
