/**
 * Issue 9: one account, one coordinator. Each test here failed on the code before the
 * coordinator and the outcome policy; they are ordered by events, not by timing bounds.
 */
import assert from "node:assert/strict";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import {
  type Coordinator,
  errorAdvice,
  MemoryCoordinator,
  prewarm,
  type PrewarmOptions,
  TencentCloudError,
} from "../mod.ts";
import { prewarmRouter } from "../src/hono/mod.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { assertAccounted, urlsOn } from "./_helpers.ts";
import { FakeTime } from "./_fake_time.ts";

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const ACCOUNT = `${SIMULATOR_CREDENTIALS.secretId}@cdn.tencentcloudapi.com`;

function base(sim: TencentCdnSimulator, extra: Partial<PrewarmOptions> = {}): PrewarmOptions {
  return {
    credentials: { ...SIMULATOR_CREDENTIALS },
    fetch: sim.fetch,
    now: () => NOW,
    coordinator: new MemoryCoordinator(),
    retryDelayMs: 1,
    maxRetryDelayMs: 5,
    maxRequestsPerSecond: Infinity,
    ...extra,
  };
}

/** A promise with its resolver, to hold a request until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

Deno.test("finding 1: a failing coordinator stops sending and the report keeps every URL", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW, domains: ["*.example.com"] });
  const inner = new MemoryCoordinator();
  let holds = 0;
  const flaky: Coordinator = {
    schedule: (a, b, c) => inner.schedule(a, b, c),
    observe: (a, b, c) => inner.observe(a, b, c),
    hold: (account, request) => {
      if (++holds > 2) return Promise.reject(new Error("KV is down"));
      return inner.hold(account, request);
    },
    settle: (...args) => inner.settle(...args),
    exhaust: (...args) => inner.exhaust(...args),
    usage: (...args) => inner.usage(...args),
  };
  const input = Array.from({ length: 6 }, (_, i) => urlsOn(`h${i}.example.com`, 3)).flat();
  const report = await prewarm(input, base(sim, { coordinator: flaky, concurrency: 1 }));
  assertAccounted(input, report);
  assert.equal(report.counts.submitted, 6, "two batches took budget and were sent");
  assert.equal(sim.requests.length, 2, "nothing is sent once the coordinator fails");
  assert.equal(report.failed.length, 4);
  for (const failed of report.failed) {
    assert.equal(failed.maybeSubmitted, false);
    assert.equal(failed.error.maybeSubmitted, false);
    assert.equal(failed.error.code, "CoordinatorError");
    assert.match(failed.error.message, /KV is down/);
  }
});

Deno.test("finding 2: checkQuota never overspends under concurrency", async () => {
  for (const available of [300, 250]) {
    const sim = new TencentCdnSimulator({
      now: () => NOW,
      domains: ["*.example.com"],
      dailyLimit: available,
    });
    const input = Array.from({ length: 4 }, (_, i) => urlsOn(`h${i}.example.com`, 100)).flat();
    const report = await prewarm(input, base(sim, { checkQuota: true, concurrency: 4 }));
    assertAccounted(input, report);
    assert.equal(report.counts.submitted, available);
    assert.equal(sim.quotaUsed("overseas"), available);
    assert.equal(report.counts.rejected, 400 - available);
    assert.ok(report.rejected.every((r) => r.reason === "daily-limit"));
    const refused = sim.requests.filter((r) => r.outcome !== "Success");
    assert.deepEqual(refused, [], "no request is refused for quota upstream");
  }
});

Deno.test("finding 3: a daily-limit answer after Beijing midnight marks the day the batch held", async () => {
  const before = Date.UTC(2026, 10, 28, 15, 59, 59); // 23:59:59 Beijing time
  const after = Date.UTC(2026, 10, 28, 16, 0, 5); // 00:00:05 the next day
  let clock = before;
  const sim = new TencentCdnSimulator({ now: () => clock });
  sim.inject({ type: "error", code: "LimitExceeded.CdnPushExceedDayLimit" });
  const coordinator = new MemoryCoordinator();
  const report = await prewarm(urlsOn("www.example.com", 3), {
    ...base(sim, { coordinator }),
    now: () => clock,
    // The answer comes back after midnight.
    fetch: (url, init) => sim.fetch(url, init).finally(() => (clock = after)),
  });
  assert.equal(report.counts.rejected, 3);
  assert.equal(coordinator.usage(ACCOUNT, "push:overseas:2026-11-28", after).exhausted, true);
  assert.equal(coordinator.usage(ACCOUNT, "push:overseas:2026-11-29", after).exhausted, false);
  const next = await prewarm(
    urlsOn("www.example.com", 2, 10),
    base(sim, {
      coordinator,
      now: () => after,
    }),
  );
  assert.equal(next.counts.submitted, 2, "the new day is not locked");
});

Deno.test("finding 4: four concurrent runs at default rate share the account's gate", async () => {
  // The simulator enforces Tencent's 20 requests/s per action on its clock, the gate keeps to 18
  // on its own: one fake clock for both, so a loaded machine cannot skew one against the other.
  using time = new FakeTime(NOW);
  const sim = new TencentCdnSimulator({ domains: ["*.example.com"], dailyLimit: 100_000 });
  const coordinator = new MemoryCoordinator();
  const runs = Array.from({ length: 4 }, (_, run) =>
    prewarm(urlsOn(`r${run}.example.com`, 150), {
      credentials: { ...SIMULATOR_CREDENTIALS },
      fetch: sim.fetch,
      coordinator,
      dailyLimit: Infinity,
      batchSize: 10,
    }));
  const reports = await time.run(Promise.all(runs));
  for (const report of reports) {
    assert.equal(report.counts.submitted, 150, JSON.stringify(report.failed[0]?.error));
  }
  const limited = sim.requests.filter((r) => r.outcome === "RequestLimitExceeded").length;
  assert.ok(
    limited / sim.requests.length < 0.05,
    `${limited} of ${sim.requests.length} rate-limited`,
  );
});

Deno.test("finding 4: a server far slower than maxRequestsPerSecond still gets every URL", async () => {
  using time = new FakeTime(NOW);
  const sim = new TencentCdnSimulator({
    domains: ["*.example.com"],
    requestsPerSecond: 3,
    dailyLimit: 100_000,
  });
  const input = Array.from({ length: 12 }, (_, i) => urlsOn(`s${i}.example.com`, 2)).flat();
  const report = await time.run(prewarm(input, {
    credentials: { ...SIMULATOR_CREDENTIALS },
    fetch: sim.fetch,
    coordinator: new MemoryCoordinator(),
    concurrency: 8,
    maxRequestsPerSecond: 100,
    retryDelayMs: 50,
  }));
  assertAccounted(input, report);
  assert.equal(report.counts.submitted, input.length, JSON.stringify(report.failed[0]?.error));
});

Deno.test("finding 5: API 2.0 HTTP 501 is split, and a request fetch refuses is not ambiguous", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW });
  sim.inject({ type: "status", status: 501, body: "Not Implemented" });
  const input = urlsOn("www.example.com", 4);
  const report = await prewarm(input, base(sim, { api: cdnV2(), concurrency: 1 }));
  assertAccounted(input, report);
  assert.equal(report.counts.submitted, 4);
  assert.equal(report.counts.maybeSubmitted, 0);

  const sim2 = new TencentCdnSimulator({ now: () => NOW });
  const bad = await prewarm(input, {
    ...base(sim2),
    credentials: { ...SIMULATOR_CREDENTIALS, token: "t\u0100ken" },
    fetch: (url, init) => fetch(url, init), // the real fetch refuses the header value
  });
  assertAccounted(input, bad);
  assert.equal(bad.failed[0]!.maybeSubmitted, false);
  assert.equal(bad.failed[0]!.error.code, "ClientError.InvalidRequest");
  assert.equal(sim2.requests.length, 0);
});

Deno.test("finding 6: timeoutMs Infinity means no timeout, not 1 ms", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW });
  sim.inject({ type: "delay", ms: 20 });
  const report = await prewarm(urlsOn("www.example.com", 2), base(sim, { timeoutMs: Infinity }));
  assert.equal(report.counts.submitted, 2);
  assert.equal(report.counts.failed, 0);
});

Deno.test("finding 7: a failed checkQuota read fails batches as surely unsent, and says so", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW });
  sim.inject({ type: "html", status: 502 });
  const input = urlsOn("www.example.com", 3);
  const report = await prewarm(input, base(sim, { checkQuota: true, retries: 0 }));
  assertAccounted(input, report);
  const [failed] = report.failed;
  assert.equal(failed!.maybeSubmitted, false);
  assert.equal(failed!.error.maybeSubmitted, false);
  assert.match(failed!.error.message, /DescribePushQuota.*nothing was sent/);
  assert.doesNotMatch(failed!.error.message, /may have been processed/);
  assert.equal(sim.accepted.length, 0);
});

Deno.test("finding 9: a per-domain permission error fails that host only; account errors stop all", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW });
  sim.inject({ type: "error", code: "UnauthorizedOperation.CdnProjectUnauthorized" });
  const input = [...urlsOn("www.example.com", 4), ...urlsOn("static.example.com", 2)];
  const report = await prewarm(input, base(sim, { batchSize: 2, concurrency: 1 }));
  assertAccounted(input, report);
  assert.equal(sim.requests.length, 2, "www's second batch is not sent; static's is");
  assert.deepEqual(report.tasks.map((t) => t.host), ["static.example.com"]);
  assert.deepEqual(report.failed.map((f) => [f.host, f.maybeSubmitted]), [
    ["www.example.com", false],
    ["www.example.com", false],
  ]);
  assert.match(errorAdvice(report.failed[0]!.error), /project/);

  const sim2 = new TencentCdnSimulator({ now: () => NOW });
  sim2.inject({ type: "error", code: "UnauthorizedOperation.CdnUserIsIsolated" });
  const stopped = await prewarm(input, base(sim2, { batchSize: 2, concurrency: 1 }));
  assertAccounted(input, stopped);
  assert.equal(sim2.requests.length, 1);
  assert.match(errorAdvice(stopped.failed[0]!.error), /arrears/);
  assert.doesNotMatch(errorAdvice(stopped.failed[0]!.error), /SECRET/);
});

Deno.test("finding 10: a temporary DNS failure is retried (nothing was sent)", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW });
  let failures = 2;
  const report = await prewarm(urlsOn("www.example.com", 2), {
    ...base(sim),
    fetch: (url, init) => {
      if (failures-- > 0) {
        const cause = Object.assign(new Error("getaddrinfo EAI_AGAIN cdn.tencentcloudapi.com"), {
          code: "EAI_AGAIN",
        });
        return Promise.reject(new TypeError("fetch failed", { cause }));
      }
      return sim.fetch(url, init);
    },
  });
  assert.equal(report.counts.submitted, 2);
  assert.equal(report.counts.requests, 3);
});

Deno.test("finding 11: requests are signed when the gate lets them go, not before", async () => {
  using time = new FakeTime(NOW);
  const sim = new TencentCdnSimulator({ domains: ["*.example.com"] });
  const lag: number[] = [];
  const input = Array.from({ length: 4 }, (_, i) => urlsOn(`t${i}.example.com`, 1)).flat();
  const report = await time.run(prewarm(input, {
    credentials: { ...SIMULATOR_CREDENTIALS },
    coordinator: new MemoryCoordinator(),
    concurrency: 4,
    maxRequestsPerSecond: 1,
    fetch: (url, init) => {
      const signed = Number(new Headers(init.headers).get("X-TC-Timestamp"));
      lag.push(Math.floor(Date.now() / 1000) - signed);
      return sim.fetch(url, init);
    },
  }));
  assert.equal(report.counts.submitted, 4);
  assert.ok(time.elapsed >= 3000, "the gate let one request go a second");
  // At one request a second the last one waited about three seconds in the gate.
  assert.ok(lag.every((l) => l <= 1), `seconds between signing and sending: ${lag}`);
});

Deno.test("finding 12: held budget is waited for and answered 503 busy, never 429", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW });
  const hold = gate();
  const first = gate();
  let calls = 0;
  const app = prewarmRouter({
    credentials: { ...SIMULATOR_CREDENTIALS },
    tokens: ["t".repeat(32)],
    prewarm: {
      now: () => NOW,
      dailyLimit: 100,
      coordinator: new MemoryCoordinator(),
      maxRequestsPerSecond: Infinity,
      retryDelayMs: 1,
      budgetWaitMs: 0,
      fetch: async (url, init) => {
        if (calls++ === 0) {
          first.open();
          await hold.promise; // A's request is in flight, holding the whole budget
          return new Response("busy", { status: 503 }); // ...and fails, surely unsent
        }
        return sim.fetch(url, init);
      },
    },
  });
  const post = (urls: string[]) =>
    Promise.resolve(app.request("/prewarm", {
      method: "POST",
      headers: { authorization: `Bearer ${"t".repeat(32)}`, "content-type": "application/json" },
      body: JSON.stringify({ urls }),
    }));
  const a = post(urlsOn("www.example.com", 100));
  await first.promise;
  const b = await post(urlsOn("www.example.com", 10, 500));
  assert.equal(b.status, 503, "B is told the budget is busy, not spent");
  assert.equal(b.headers.get("retry-after"), "5");
  assert.equal((await b.json()).error.code, "busy");
  hold.open();
  const answerA = await a;
  assert.equal(answerA.status, 200, "A's retry succeeded");
  const c = await post(urlsOn("www.example.com", 1, 900));
  assert.equal(c.status, 429, "now the budget is spent");
});

Deno.test("finding 12: a caller waits for held budget that comes free (budgetWaitMs)", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW });
  const hold = gate();
  const first = gate();
  const coordinator = new MemoryCoordinator();
  let calls = 0;
  const options = base(sim, {
    coordinator,
    dailyLimit: 10,
    retries: 0,
    fetch: async (url: string, init: RequestInit) => {
      if (calls++ === 0) {
        first.open();
        await hold.promise;
        return Response.json({
          Response: { Error: { Code: "ResourceNotFound.CdnHostNotExists" } },
        });
      }
      return sim.fetch(url, init);
    },
  });
  const a = prewarm(urlsOn("www.example.com", 10), options);
  await first.promise;
  const b = prewarm(urlsOn("static.example.com", 10), options);
  // B waits on the coordinator; A's failure gives the budget back and wakes it.
  hold.open();
  const [ra, rb] = await Promise.all([a, b]);
  assert.equal(ra.counts.failed, 10);
  assert.equal(rb.counts.submitted, 10);
  assert.ok(ra.failed[0]!.error instanceof TencentCloudError);
});

Deno.test("finding 4: 200 router clients in waves share the account's gate: no URL lost to rate limits", async () => {
  // The simulator's 20 requests/s and the gate's 18 on one fake clock (as above).
  using time = new FakeTime(NOW);
  const sim = new TencentCdnSimulator({ domains: ["*.example.com"], dailyLimit: 100_000 });
  const token = "t".repeat(32);
  const app = prewarmRouter({
    credentials: { ...SIMULATOR_CREDENTIALS },
    tokens: [token],
    prewarm: { fetch: sim.fetch, coordinator: new MemoryCoordinator(), dailyLimit: Infinity },
  });
  const statuses: number[] = [];
  for (let wave = 0; wave < 4; wave++) {
    const answers = await time.run(Promise.all(Array.from({ length: 50 }, async (_, client) => {
      const response = await app.request("/prewarm", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ urls: urlsOn(`c${client}.example.com`, 3, wave * 10) }),
      });
      await response.body?.cancel();
      return response.status;
    })));
    statuses.push(...answers);
  }
  assert.deepEqual(statuses.filter((s) => s !== 200), [], "every client's URLs submitted");
  assert.equal(sim.accepted.flatMap((t) => t.urls).length, 600);
  const limited = sim.requests.filter((r) => r.outcome === "RequestLimitExceeded").length;
  assert.ok(
    limited / sim.requests.length < 0.05,
    `${limited} of ${sim.requests.length} rate-limited`,
  );
});
