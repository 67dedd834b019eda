import assert from "node:assert/strict";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import {
  cdn,
  errorAdvice,
  MemoryCoordinator,
  prewarm,
  type PrewarmOptions,
  type PrewarmProgress,
  TencentCloudError,
} from "../mod.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { assertAccounted, faultSubmissions, requestsOf, spentBudget, urlsOn } from "./_helpers.ts";
import { FakeTime } from "./_fake_time.ts";

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);

function setup(
  simOptions: ConstructorParameters<typeof TencentCdnSimulator>[0] = {},
  options: Partial<PrewarmOptions> = {},
) {
  const sim = new TencentCdnSimulator({ now: () => NOW, ...simOptions });
  const base: PrewarmOptions = {
    credentials: { ...SIMULATOR_CREDENTIALS },
    fetch: sim.fetch,
    now: () => NOW,
    coordinator: new MemoryCoordinator(),
    retryDelayMs: 1,
    maxRetryDelayMs: 5,
    maxRequestsPerSecond: Infinity,
    ...options,
  };
  return { sim, options: base };
}

const acceptedUrls = (sim: TencentCdnSimulator) => sim.accepted.flatMap((t) => t.urls).sort();

for (const method of ["GET", "POST"] as const) {
  for (const signatureMethod of ["HmacSHA1", "HmacSHA256"] as const) {
    Deno.test(`v2 ${method} ${signatureMethod}: end to end through the simulator`, async () => {
      const { sim, options } = setup();
      const input = [...urlsOn("www.example.com", 25), ...urlsOn("static.example.com", 3)];
      const report = await prewarm(input, { ...options, api: cdnV2({ method, signatureMethod }) });
      assertAccounted(input, report);
      assert.equal(report.api, "v2");
      assert.equal(report.counts.submitted, 28);
      assert.deepEqual(report.tasks.map((t) => [t.host, t.urls.length]), [
        ["www.example.com", 20],
        ["www.example.com", 5],
        ["static.example.com", 3],
      ]);
      assert.deepEqual(acceptedUrls(sim), [...input].sort());
      assert.deepEqual(sim.requests.map((r) => r.method), [method, method, method]);
      for (const task of report.tasks) {
        const match = sim.accepted.find((a) => a.taskId === task.taskId);
        assert.deepEqual(match?.urls, task.urls, "the task id maps to exactly its URLs");
        assert.match(task.date!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      }
      assert.equal(sim.quotaUsed("overseas"), 28);
    });
  }
}

Deno.test("v3: end to end, Area overseas sent explicitly, one task per host batch", async () => {
  const { sim, options } = setup();
  const input = [...urlsOn("www.example.com", 3), ...urlsOn("img.example.com", 2)];
  const report = await prewarm(input, options);
  assertAccounted(input, report);
  assert.equal(report.api, "v3");
  assert.equal(report.area, "overseas");
  assert.equal(report.tasks.length, 2);
  assert.ok(report.tasks.every((t) => typeof t.requestId === "string"));
  assert.equal(sim.quotaUsed("overseas"), 5);
  assert.equal(sim.quotaUsed("mainland"), 0);
});

Deno.test("v3: batchSize cuts each host's URLs; area global spends both budgets", async () => {
  const { sim, options } = setup();
  const input = urlsOn("www.example.com", 7);
  const store = new MemoryCoordinator();
  const report = await prewarm(input, {
    ...options,
    batchSize: 3,
    api: cdn({ area: "global" }),
    coordinator: store,
  });
  assert.deepEqual(report.tasks.map((t) => t.urls.length), [3, 3, 1]);
  assert.equal(sim.quotaUsed("overseas"), 7);
  assert.equal(sim.quotaUsed("mainland"), 7);
  assert.equal(spentBudget(store, "mainland"), 7);
  assert.equal(spentBudget(store, "overseas"), 7);
});

Deno.test("scheme and host are case-insensitive: a repeat in other case is a duplicate, the path is not", async () => {
  const { sim, options } = setup();
  const input = [
    "https://WWW.EXAMPLE.COM/a.js",
    "https://www.example.com/a.js",
    "HTTPS://www.Example.com/a.js",
    "https://www.example.com/A.js",
    "https://www.example.com:8443/a.js",
    "https://WWW.example.com:8443/a.js",
  ];
  const report = await prewarm(input, options);
  assertAccounted(input, report);
  assert.deepEqual(report.rejected.map((r) => [r.url, r.reason]), [
    ["https://www.example.com/a.js", "duplicate"],
    ["HTTPS://www.Example.com/a.js", "duplicate"],
    ["https://WWW.example.com:8443/a.js", "duplicate"],
  ]);
  // The first copy is sent exactly as written; the path's case is the path's own.
  assert.deepEqual(
    acceptedUrls(sim),
    [
      "https://WWW.EXAMPLE.COM/a.js",
      "https://www.example.com/A.js",
      "https://www.example.com:8443/a.js",
    ].sort(),
  );
});

Deno.test("duplicates are sent once and invalid URLs never leave the process", async () => {
  const { sim, options } = setup();
  const good = urlsOn("www.example.com", 2);
  const input = [
    good[0]!,
    ` ${good[0]} `,
    good[1]!,
    good[1]!,
    "ftp://www.example.com/x",
    "https://www.example.com/*",
    "https://www.example.com/a b",
    "",
  ];
  const report = await prewarm(input, options);
  assertAccounted(input, report);
  assert.deepEqual(report.rejected.map((r) => [r.url, r.reason]), [
    [` ${good[0]} `, "invalid-url"],
    [good[1]!, "duplicate"],
    ["ftp://www.example.com/x", "invalid-url"],
    ["https://www.example.com/*", "invalid-url"],
    ["https://www.example.com/a b", "invalid-url"],
    ["", "invalid-url"],
  ]);
  assert.match(report.rejected[0]!.detail, /whitespace around it/);
  // Every input string comes back exactly as given.
  const reported = [
    ...report.tasks.flatMap((t) => t.urls),
    ...report.rejected.map((r) => r.url),
  ];
  assert.deepEqual(reported.sort(), [...input].sort());
  assert.deepEqual(acceptedUrls(sim), [...good].sort());
  assert.equal(sim.requests.length, 1);
});

Deno.test("nothing to send: no request at all", async () => {
  const { sim, options } = setup();
  const report = await prewarm(["nope"], options);
  assert.equal(report.counts.rejected, 1);
  assert.equal(sim.requests.length, 0);
});

Deno.test("async iterables are read in full", async () => {
  const { options } = setup();
  async function* lines() {
    for (const url of urlsOn("www.example.com", 30)) yield url;
  }
  const report = await prewarm(lines(), options);
  assert.equal(report.counts.submitted, 30);
});

Deno.test("daily limit reported by Tencent stops the run without another request", async () => {
  const { sim, options } = setup({ dailyLimit: 30 });
  const input = urlsOn("www.example.com", 100);
  const store = new MemoryCoordinator();
  const report = await prewarm(input, {
    ...options,
    api: cdnV2(),
    concurrency: 1,
    dailyLimit: 1000,
    coordinator: store,
  });
  assertAccounted(input, report);
  assert.equal(report.counts.submitted, 20);
  assert.equal(report.counts.rejected, 80);
  assert.ok(report.rejected.every((r) => r.reason === "daily-limit"));
  assert.match(report.rejected[0]!.detail, /23101/);
  assert.equal(sim.requests.length, 2, "one accepted batch, one refused, then silence");
  // The local budget now says the day is spent, so the next run sends nothing.
  const again = await prewarm(urlsOn("www.example.com", 5, 500), {
    ...options,
    coordinator: store,
    api: cdnV2(),
  });
  assert.equal(again.counts.rejected, 5);
  assert.equal(sim.requests.length, 2);
});

Deno.test("v3 daily limit: LimitExceeded.CdnPushExceedDayLimit stops the run", async () => {
  const { sim, options } = setup({ dailyLimit: 10 });
  const input = urlsOn("www.example.com", 40);
  const report = await prewarm(input, { ...options, batchSize: 8, concurrency: 1 });
  assertAccounted(input, report);
  assert.equal(report.counts.submitted, 8);
  assert.equal(sim.requests.length, 2);
  assert.match(report.rejected.at(-1)!.detail, /CdnPushExceedDayLimit/);
});

Deno.test("local daily budget: partial batch sent, the rest rejected, concurrent runs share it", async () => {
  const { sim, options } = setup();
  const store = new MemoryCoordinator();
  const shared = { ...options, coordinator: store, dailyLimit: 25, api: cdnV2() };
  const [a, b] = await Promise.all([
    prewarm(urlsOn("www.example.com", 20), shared),
    prewarm(urlsOn("static.example.com", 20), shared),
  ]);
  assert.equal(a.counts.submitted + b.counts.submitted, 25);
  assert.equal(sim.quotaUsed("overseas"), 25);
  const rejected = [...a.rejected, ...b.rejected];
  assert.equal(rejected.length, 15);
  assert.match(rejected[0]!.detail, /daily budget \(dailyLimit 25\) for 2026-11-28/);
});

Deno.test("a budget given back: failed batches that surely spent nothing release it", async () => {
  const { sim, options } = setup({ domains: ["www.example.com"] });
  const store = new MemoryCoordinator();
  const report = await prewarm(
    [...urlsOn("www.example.com", 2), ...urlsOn("unknown.example.net", 2)],
    { ...options, coordinator: store },
  );
  assert.equal(report.failed.length, 1);
  assert.equal(report.failed[0]!.error.code, "ResourceNotFound.CdnHostNotExists");
  assert.equal(report.failed[0]!.maybeSubmitted, false);
  assert.equal(spentBudget(store), 2);
  assert.equal(sim.quotaUsed("overseas"), 2);
});

Deno.test("batch too large: split until the server takes it, nothing lost", async () => {
  for (const api of ["v2", "v3"] as const) {
    const { sim, options } = setup({ v2BatchLimit: 6, v3BatchLimit: 6 });
    const input = urlsOn("www.example.com", 20);
    const report = await prewarm(input, {
      ...options,
      api: api === "v2" ? cdnV2() : cdn(),
      batchSize: 20,
      concurrency: 1,
    });
    assertAccounted(input, report);
    assert.equal(report.counts.submitted, 20, api);
    assert.ok(report.tasks.every((t) => t.urls.length <= 6));
    assert.deepEqual(acceptedUrls(sim), [...input].sort());
    assert.equal(sim.quotaUsed("overseas"), 20);
  }
});

const retryable = [
  { name: "v3 RequestLimitExceeded", api: "v3", fault: { type: "rate-limit" } },
  { name: "v2 4400 (9163)", api: "v2", fault: { type: "rate-limit" } },
  { name: "v2 4400 alone", api: "v2", fault: { type: "error", code: "4400" } },
  {
    name: "v2 module 22063",
    api: "v2",
    fault: { type: "error", code: "4000", moduleCode: "22063" },
  },
  {
    name: "v3 CdnHostOpTooOften",
    api: "v3",
    fault: { type: "error", code: "LimitExceeded.CdnHostOpTooOften" },
  },
  {
    name: "v3 ServiceUnavailable",
    api: "v3",
    fault: { type: "error", code: "ServiceUnavailable" },
  },
  { name: "HTTP 429", api: "v3", fault: { type: "status", status: 429, body: "slow down" } },
  { name: "HTTP 503 page", api: "v2", fault: { type: "html", status: 503 } },
  { name: "connection refused", api: "v3", fault: { type: "refuse" } },
] as const;

for (const c of retryable) {
  Deno.test(`retried: ${c.name}`, async () => {
    // The gate's pause after a rate limit (a second) on a fake clock.
    using time = new FakeTime(NOW);
    const { sim, options } = setup();
    sim.inject(c.fault, c.fault);
    const input = urlsOn("www.example.com", 3);
    const api = c.api === "v2" ? cdnV2() : cdn();
    const report = await time.run(prewarm(input, { ...options, api }));
    assert.equal(report.counts.submitted, 3);
    assert.equal(report.counts.requests, 3);
    assert.equal(sim.accepted.length, 1);
  });
}

Deno.test("retries run out: failed, surely not submitted, budget given back", async () => {
  const { sim, options } = setup();
  sim.inject(...Array(3).fill({ type: "html", status: 503 }));
  const store = new MemoryCoordinator();
  const report = await prewarm(urlsOn("www.example.com", 2), {
    ...options,
    retries: 2,
    coordinator: store,
  });
  assert.equal(report.counts.requests, 3);
  assert.equal(report.failed.length, 1);
  assert.equal(report.failed[0]!.error.category, "unavailable");
  assert.equal(report.failed[0]!.maybeSubmitted, false);
  assert.equal(spentBudget(store), 0);
});

const notRetried = [
  {
    name: "domain not on the account",
    fault: { type: "error", code: "ResourceNotFound.CdnHostNotExists" },
    maybe: false,
  },
  { name: "InternalError", fault: { type: "error", code: "InternalError" }, maybe: true },
  { name: "HTML 502 page", fault: { type: "html", status: 502 }, maybe: true },
  {
    name: "HTTP 500 text",
    fault: { type: "status", status: 500, body: "oops", contentType: "text/plain" },
    maybe: true,
  },
  {
    name: "unknown code",
    fault: { type: "error", code: "NoSuchFamily.Whatever" },
    maybe: false,
  },
] as const;

for (const c of notRetried) {
  Deno.test(`not retried: ${c.name}`, async () => {
    const { sim, options } = setup();
    faultSubmissions(sim, c.fault);
    const input = [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 2)];
    const report = await prewarm(input, { ...options, concurrency: 1 });
    assertAccounted(input, report);
    assert.equal(requestsOf(sim, "PushUrlsCache"), 2, "one request per batch, no retry");
    // prewarm() alone looks nothing up (recoverLostTasks() does): it says when the batch left.
    assert.equal(requestsOf(sim, "DescribePushTasks"), 0);
    assert.equal(report.counts.requests, sim.requests.length);
    assert.equal(report.failed.length, 1);
    assert.equal(report.failed[0]!.maybeSubmitted, c.maybe);
    assert.equal(report.failed[0]!.sentAt, c.maybe ? NOW : undefined);
    assert.equal(report.failed[0]!.host, "www.example.com");
    assert.equal(report.counts.submitted, 2, "the other host's batch is unaffected");
  });
}

Deno.test("credential errors stop the run: the rest fails without being sent", async () => {
  const { sim, options } = setup();
  const input = [...urlsOn("www.example.com", 20), ...urlsOn("static.example.com", 20)];
  const report = await prewarm(input, {
    ...options,
    api: cdnV2(),
    concurrency: 1,
    credentials: { secretId: SIMULATOR_CREDENTIALS.secretId, secretKey: "wrong-key-0000" },
  });
  assertAccounted(input, report);
  assert.equal(sim.requests.length, 1);
  assert.equal(report.failed.length, 2);
  assert.ok(report.failed.every((f) => f.error.code === "4100" && !f.maybeSubmitted));
  assert.match(errorAdvice(report.failed[0]!.error, cdnV2()), /TENCENTCLOUD_SECRET_KEY/);
});

Deno.test("timeouts are ambiguous: not retried, reported maybeSubmitted, quota kept", async () => {
  const { sim, options } = setup();
  faultSubmissions(sim, { type: "delay", ms: 60 });
  const store = new MemoryCoordinator();
  const input = urlsOn("www.example.com", 4);
  const report = await prewarm(input, { ...options, timeoutMs: 10, coordinator: store });
  assertAccounted(input, report);
  // One push, and no lookup: prewarm() alone leaves that to recoverLostTasks().
  assert.equal(requestsOf(sim, "PushUrlsCache"), 1);
  assert.equal(requestsOf(sim, "DescribePushTasks"), 0);
  assert.equal(report.failed[0]!.sentAt, NOW);
  assert.equal(report.failed[0]!.error.code, "NetworkError.Timeout");
  assert.equal(report.failed[0]!.maybeSubmitted, true);
  assert.equal(report.counts.maybeSubmitted, 4);
  assert.equal(spentBudget(store), 4);
  // The server goes on with the request the client gave up on: wait until it has finished.
  while (sim.requests.some((q) => q.finishedAt === undefined)) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(sim.quotaUsed("overseas"), 4, "the server did process it: hence 'maybe'");
});

Deno.test("retryAmbiguous: a timed-out batch is sent again", async () => {
  const { sim, options } = setup();
  sim.inject({ type: "delay", ms: 60 });
  const report = await prewarm(urlsOn("www.example.com", 4), {
    ...options,
    timeoutMs: 30,
    retryAmbiguous: true,
  });
  assert.equal(report.counts.submitted, 4);
  assert.equal(report.counts.requests, 2);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(sim.quotaUsed("overseas"), 8, "the opt-in costs the quota twice");
});

Deno.test("a connection reset mid-answer is ambiguous", async () => {
  const { sim, options } = setup();
  sim.inject({ type: "reset" });
  const report = await prewarm(urlsOn("www.example.com", 2), { ...options, api: cdnV2() });
  assert.equal(report.failed[0]!.error.code, "NetworkError.ConnectionDropped");
  assert.equal(report.failed[0]!.maybeSubmitted, true);
  assert.equal(report.counts.requests, 1);
  assert.equal(sim.quotaUsed("overseas"), 2);
});

Deno.test("abort during backoff: resolves at once, unsent URLs rejected as aborted", async () => {
  const { sim, options } = setup();
  sim.inject({ type: "rate-limit" });
  const controller = new AbortController();
  const input = [...urlsOn("www.example.com", 3), ...urlsOn("static.example.com", 3)];
  const started = performance.now();
  const pending = prewarm(input, {
    ...options,
    concurrency: 1,
    retryDelayMs: 60_000,
    maxRetryDelayMs: 60_000,
    signal: controller.signal,
    // Deterministic: the backoff is the full window.
  });
  while (sim.requests.length === 0) await new Promise((r) => setTimeout(r, 1));
  controller.abort();
  const report = await pending;
  assert.ok(performance.now() - started < 30_000, "did not sit out the backoff");
  assertAccounted(input, report);
  assert.equal(report.aborted, true);
  assert.equal(report.counts.rejected, 6);
  assert.ok(report.rejected.every((r) => r.reason === "aborted"));
  assert.equal(sim.requests.length, 1);
});

Deno.test("abort while a request is in flight: that batch is maybeSubmitted", async () => {
  const { sim, options } = setup();
  sim.inject({ type: "delay", ms: 50 });
  const controller = new AbortController();
  const input = [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 2)];
  const pending = prewarm(input, { ...options, concurrency: 1, signal: controller.signal });
  while (sim.requests.length === 0) await new Promise((r) => setTimeout(r, 1));
  controller.abort();
  const report = await pending;
  assertAccounted(input, report);
  assert.equal(report.failed[0]!.maybeSubmitted, true);
  assert.equal(report.failed[0]!.error.code, "NetworkError.Aborted");
  assert.deepEqual(report.rejected.map((r) => r.reason), ["aborted", "aborted"]);
  await new Promise((r) => setTimeout(r, 70));
});

Deno.test("an already aborted signal throws its reason before anything is read", async () => {
  const { sim, options } = setup();
  const reason = new Error("stop");
  await assert.rejects(
    prewarm(urlsOn("www.example.com", 1), { ...options, signal: AbortSignal.abort(reason) }),
    (e) => e === reason,
  );
  assert.equal(sim.requests.length, 0);
});

Deno.test("concurrency cap holds at the server", async () => {
  const { sim, options } = setup({ latencyMs: 15 });
  const input = Array.from({ length: 12 }, (_, i) => urlsOn(`h${i}.example.com`, 1)).flat();
  const sim2 = new TencentCdnSimulator({
    now: () => NOW,
    latencyMs: 15,
    domains: ["*.example.com"],
  });
  const report = await prewarm(input, { ...options, fetch: sim2.fetch, concurrency: 3 });
  assert.equal(report.counts.submitted, 12);
  assert.ok(sim2.maxInFlight <= 3, `in flight ${sim2.maxInFlight}`);
  assert.ok(sim2.maxInFlight >= 1);
  assert.equal(sim.requests.length, 0);
});

Deno.test("rate cap: no more than maxRequestsPerSecond starts in any second", async () => {
  // The gate's clock and the simulator's are one fake clock: the starts are exact.
  using time = new FakeTime(NOW);
  const sim = new TencentCdnSimulator({
    now: () => NOW,
    domains: ["*.example.com"],
    requestsPerSecond: 1000,
  });
  const input = Array.from({ length: 8 }, (_, i) => urlsOn(`h${i}.example.com`, 1)).flat();
  const report = await time.run(prewarm(input, {
    credentials: SIMULATOR_CREDENTIALS,
    fetch: sim.fetch,
    now: () => NOW,
    coordinator: new MemoryCoordinator(),
    concurrency: 8,
    maxRequestsPerSecond: 5,
  }));
  assert.equal(report.counts.submitted, 8);
  // A slower machine only spreads starts further apart, so this cannot fail for slowness.
  const starts = sim.requests.map((r) => r.receivedAt).sort((a, b) => a - b);
  for (const t of starts) {
    const inWindow = starts.filter((s) => s >= t && s < t + 990).length;
    assert.ok(inWindow <= 5, `${inWindow} starts within a second of ${t}`);
  }
});

Deno.test("onProgress runs after every batch with running counts; its errors are ignored", async () => {
  const { options } = setup();
  const seen: PrewarmProgress[] = [];
  const report = await prewarm([...urlsOn("www.example.com", 5), "bad"], {
    ...options,
    batchSize: 2,
    concurrency: 1,
    onProgress: (p) => {
      seen.push(p);
      throw new Error("ignored");
    },
  });
  assert.equal(report.counts.submitted, 5);
  assert.deepEqual(seen.map((p) => [p.batchesDone, p.batchesTotal, p.submitted, p.rejected]), [
    [1, 3, 2, 1],
    [2, 3, 4, 1],
    [3, 3, 5, 1],
  ]);
});

Deno.test("checkQuota caps the run at DescribePushQuota's Available", async () => {
  const { sim, options } = setup({ dailyLimit: 12 });
  const input = urlsOn("www.example.com", 30);
  const report = await prewarm(input, {
    ...options,
    checkQuota: true,
    batchSize: 5,
    concurrency: 1,
  });
  assertAccounted(input, report);
  assert.equal(report.counts.submitted, 12);
  assert.equal(report.counts.rejected, 18);
  assert.match(report.rejected[0]!.detail, /DescribePushQuota/);
  assert.ok(sim.requests.every((r) => r.outcome === "Success"), "never hit the server's limit");
});

Deno.test("checkQuota that cannot read the quota fails every batch without sending", async () => {
  const { sim, options } = setup();
  sim.inject({ type: "error", code: "AuthFailure.SecretIdNotFound" });
  const input = urlsOn("www.example.com", 3);
  const report = await prewarm(input, { ...options, checkQuota: true });
  assertAccounted(input, report);
  assert.equal(report.failed[0]!.error.code, "AuthFailure.SecretIdNotFound");
  assert.equal(sim.requests.length, 1);
});

Deno.test("options are checked before anything is sent", async () => {
  const { sim, options } = setup();
  const urls = urlsOn("www.example.com", 1);
  const cases: [
    Partial<PrewarmOptions> | Record<string, unknown>,
    ErrorConstructor | RangeErrorConstructor,
    RegExp,
  ][] = [
    [{ credentials: undefined }, TypeError, /Missing credentials.*TENCENTCLOUD_SECRET_ID/],
    [{ credentials: { secretId: "AKID", secretKey: "" } }, TypeError, /secretKey/],
    [{ credentials: { secretId: "AK ID", secretKey: "k" } }, TypeError, /secretId/],
    [{ api: "v4" }, TypeError, /api: expected an API value: cdn\(\).*got "v4"/],
    [
      { api: cdnV2(), batchSize: 21 },
      RangeError,
      /batchSize: expected an integer from 1 to 20, got 21/,
    ],
    [{ batchSize: 0 }, RangeError, /batchSize/],
    [{ concurrency: 1.5 }, RangeError, /concurrency/],
    [{ timeoutMs: -1 }, RangeError, /timeoutMs/],
    [{ maxRequestsPerSecond: 0 }, RangeError, /maxRequestsPerSecond/],
    [{ dailyLimit: -1 }, RangeError, /dailyLimit/],
    [
      { area: "mainland" },
      TypeError,
      /area: it is an option of the API; pass api: cdn\(\{ area \}\)/,
    ],
    [{ method: "GET" }, TypeError, /method: .*cdnV2\(\{ method \}\) from "@qcdn\/prewarm\/v2"/],
    [{ api: cdnV2(), checkQuota: true }, TypeError, /checkQuota: expected false with CDN API 2\.0/],
    [{ endpoint: "ftp://x" }, TypeError, /endpoint/],
    [{ endpoint: "https://x/?a=1" }, TypeError, /query/],
    [{ fetch: "nope" }, TypeError, /fetch/],
    [{ coordinator: {} }, TypeError, /coordinator: expected an object with schedule/],
    [{ timeoutMs: 2 ** 31 }, RangeError, /timeoutMs: expected a number > 0 and <= 2147483647/],
    [{ timeoutMs: NaN }, RangeError, /timeoutMs/],
    [{ rateLimitWaitMs: -1 }, RangeError, /rateLimitWaitMs/],
    [{ budgetWaitMs: 1.5 }, RangeError, /budgetWaitMs/],
  ];
  for (const [override, kind, message] of cases) {
    await assert.rejects(
      prewarm(urls, { ...options, ...override } as PrewarmOptions),
      (e: Error) => {
        assert.ok(e instanceof kind, `${JSON.stringify(override)} → ${e}`);
        assert.match(e.message, message);
        assert.ok(!e.message.includes(SIMULATOR_CREDENTIALS.secretKey));
        return true;
      },
    );
  }
  await assert.rejects(prewarm("https://a.com/x" as unknown as string[], options), /single string/);
  await assert.rejects(
    prewarm([1] as unknown as string[], options),
    /urls\[0\]: expected a string/,
  );
  assert.equal(sim.requests.length, 0);
});

Deno.test("errors in reports are TencentCloudError instances", async () => {
  const { sim, options } = setup();
  sim.inject({ type: "error", code: "InternalError" });
  const report = await prewarm(urlsOn("www.example.com", 1), options);
  assert.ok(report.failed[0]!.error instanceof TencentCloudError);
});
