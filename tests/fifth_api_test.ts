// A fifth API, written in this file alone: an in-memory service with its own limits (3 URLs a
// request, 7 a day), its own statuses (`queued`, `warm`, `cold`, `gone`) and its own quota. The
// engine, the waiting, the planner, the router and the command line's report drive it through
// the one seam (`TencentApi`) without a line of src/ knowing it exists.
import assert from "node:assert/strict";
import {
  MemoryCoordinator,
  prewarm,
  recoverLostTasks,
  type UrlStatus,
  waitForTasks,
} from "../mod.ts";
import type { Call, CallContext, RawAnswer, TaskLine, TaskSearch, TencentApi } from "../src/api.ts";
import { planDryRun } from "../src/engine/plan.ts";
import { prewarmRouter } from "../src/hono/mod.ts";
import { formatSummary } from "../src/cli/summary.ts";
import { formatWaitSummary } from "../src/cli/wait_view.ts";
import { cliWords } from "../src/cli/words.ts";
import { formatTaskStatus } from "../src/cli/describe_view.ts";
import { assertAccounted } from "./_helpers.ts";

const NOW = Date.UTC(2026, 11, 6, 4);
const ENDPOINT = "https://warmer.invalid/";
const STATUSES: Record<string, UrlStatus> = {
  queued: "pending",
  warm: "done",
  cold: "failed",
  gone: "invalid",
};

/**
 * The service: tasks by id, each read `queued` the first time and final after (`cold` for
 * /cold/, `gone` for /gone/, else `warm`); `loseNext` drops the next answer after processing.
 */
class Warmer {
  readonly tasks = new Map<string, { urls: string[]; reads: number }>();
  readonly requests: string[] = [];
  used = 0;
  loseNext = false;

  fetch = (input: string, init: RequestInit): Promise<Response> => {
    const path = new URL(input).pathname;
    const body = JSON.parse(String(init.body ?? "{}"));
    this.requests.push(path);
    const json = (value: unknown) => Promise.resolve(Response.json(value));
    switch (path) {
      case "/submit": {
        const taskId = `w${this.tasks.size + 1}`;
        this.tasks.set(taskId, { urls: body.urls, reads: 0 });
        this.used += body.urls.length;
        if (this.loseNext) {
          this.loseNext = false;
          return Promise.reject(
            new TypeError("other side closed", { cause: { code: "ECONNRESET" } }),
          );
        }
        return json({ id: taskId });
      }
      case "/quota":
        return json({ perRequest: 3, perDay: 7, left: 7 - this.used });
      case "/task": {
        const task = this.tasks.get(body.id);
        const first = task !== undefined && task.reads++ === 0;
        return json({
          lines: (task?.urls ?? []).map((url) => ({
            id: body.id,
            url,
            status: first
              ? "queued"
              : url.includes("/cold/")
              ? "cold"
              : url.includes("/gone/")
              ? "gone"
              : "warm",
          })),
        });
      }
      case "/find":
        return json({
          lines: [...this.tasks].filter(([, t]) =>
            t.urls.every((u) => new URL(u).host === body.host)
          )
            .flatMap(([id, t]) => t.urls.map((url) => ({ id, url, status: "queued" }))),
        });
    }
    return Promise.resolve(new Response("no such path", { status: 404 }));
  };
}

/** The fifth API: everything it differs in is here. */
function warmerApi(): TencentApi {
  const call = <T>(
    action: string,
    context: CallContext,
    payload: unknown,
    parse: (value: Record<string, unknown>) => T,
  ): Call<T> => ({
    action,
    sign: () => ({
      url: new URL(action, context.endpoint).href,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signature: "",
    }),
    parse: (answer: RawAnswer) => parse(JSON.parse(answer.text)),
  });
  // Its reads ask the service directly (Tencent's go through the account's gate instead).
  const send = async <T>(
    action: string,
    context: CallContext,
    payload: unknown,
    parse: (value: Record<string, unknown>) => T,
  ): Promise<T> => {
    const request = await call(action, context, payload, parse).sign(0);
    const answer = await context.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    return parse(await answer.json());
  };
  const lines = (value: Record<string, unknown>): TaskLine[] =>
    (value.lines as { id: string; url: string; status: string }[]).map((line) => ({
      taskId: line.id,
      url: line.url,
      status: STATUSES[line.status] ?? "pending",
      upstreamStatus: line.status,
      percent: STATUSES[line.status] === "pending" ? 0 : 100,
      createTime: "",
      updateTime: "",
    }));
  return {
    name: "warmer",
    title: "the Warmer service",
    quotaName: "the Warmer's day",
    report: { area: "global" },
    endpoint: ENDPOINT,
    action: "submit",
    batchSize: { default: 3, max: 3 },
    dailyLimit: 7,
    reads: ["warmer"],
    budgetKeys: (now) => [`warmer:${new Date(now).toISOString().slice(0, 10)}`],
    submit: (urls, context) =>
      call("submit", context, { urls }, (value) => ({ taskId: String(value.id) })),
    quotaAction: "quota",
    readQuota: (context) =>
      send("quota", context, {}, (value) => ({
        readings: [{
          name: "day",
          batch: Number(value.perRequest),
          total: Number(value.perDay),
          available: Number(value.left),
          keys: [`warmer:${new Date(context.now()).toISOString().slice(0, 10)}`],
        }],
        answer: value,
      })),
    tasksAction: "task",
    readTask: (context, taskId) => send("task", context, { id: taskId }, lines),
    findTasks: (context, search: TaskSearch) => send("find", context, { host: search.host }, lines),
  };
}

const URLS = [
  ...["a", "b", "c", "d"].map((p) => `https://www.example.com/${p}.js`),
  "https://img.example.com/gone/y.png",
  "https://img.example.com/cold/x.png",
  "https://img.example.com/z.png",
  "https://www.example.com/e.js",
  "https://www.example.com/f.js",
  "https://www.example.com/a.js", // a duplicate
];

function options(warmer: Warmer) {
  let now = NOW;
  return {
    api: warmerApi(),
    credentials: { secretId: "AKIDwarmer", secretKey: "k" },
    fetch: warmer.fetch,
    now: () => now,
    coordinator: new MemoryCoordinator(),
    maxRequestsPerSecond: Infinity,
    retryDelayMs: 1,
    sleep: (ms: number) => {
      now += ms;
      return Promise.resolve();
    },
  };
}

Deno.test("a fifth API: prewarm() keeps to its limits and budget, waitForTasks() reads its statuses", async () => {
  const warmer = new Warmer();
  const { sleep, ...call } = options(warmer);
  const report = await prewarm(URLS, { ...call, checkQuota: true });
  assertAccounted(URLS, report);
  assert.equal(report.api, "warmer");
  // 9 distinct URLs, 7 left today: batches of at most 3, by host, the rest refused by its quota.
  assert.deepEqual(report.tasks.map((t) => t.urls.length), [3, 3, 1]);
  assert.deepEqual(
    report.rejected.map((r) => r.reason).sort(),
    ["daily-limit", "daily-limit", "duplicate"],
  );
  assert.equal(warmer.used, 7);
  assert.deepEqual(warmer.requests.slice(0, 1), ["/quota"]);

  const waited = await waitForTasks(report, { ...call, sleep, pollIntervalMs: 1000 });
  assert.deepEqual(waited.counts, { done: 6, failed: 0, invalid: 1, pending: 0, unknown: 0 });
  const summary = formatSummary(report, {
    simulated: false,
    now: NOW,
    elapsedMs: 1,
    listTasks: true,
  });
  assert.match(summary, /^10 URLs: 7 submitted, 3 not sent, 0 failed/m);
  assert.match(
    formatWaitSummary(waited, { elapsedMs: 2000, waited: true, words: cliWords(NOW) }),
    /6 done/,
  );
  const line = waited.urls.find((u) => u.url.includes("/gone/"))!;
  assert.equal(line.status, "invalid");
  assert.match(
    formatTaskStatus("Task w1", await warmerApi().readTask!(ctx(call), "w1"), "none"),
    /^Task w1: 3 URLs: 3 done/m,
  );
});

/** A call context for the fifth API's reads, as resolveCallOptions makes one. */
function ctx(call: Omit<ReturnType<typeof options>, "sleep">): CallContext {
  return {
    credentials: call.credentials,
    endpoint: new URL(ENDPOINT),
    fetch: call.fetch,
    timeoutMs: 1000,
    now: call.now,
    coordinator: call.coordinator,
    account: "warmer",
    maxRequestsPerSecond: Infinity,
    backoff: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    rateLimitWaitMs: 0,
  };
}

Deno.test("a fifth API: a lost answer is found by its own search", async () => {
  const warmer = new Warmer();
  warmer.loseNext = true;
  const { sleep: _, ...call } = options(warmer);
  const input = URLS.slice(0, 3);
  const lost = await prewarm(input, call);
  assertAccounted(input, lost);
  assert.deepEqual(lost.failed.map((f) => [f.maybeSubmitted, f.sentAt]), [[true, NOW]]);
  assert.deepEqual(warmer.requests, ["/submit"]);
  const report = await recoverLostTasks(lost, call);
  assertAccounted(input, report);
  assert.deepEqual(report.tasks.map((t) => [t.taskId, t.recovered]), [["w1", true]]);
  assert.deepEqual(warmer.requests, ["/submit", "/find"]);
  assert.equal(report.counts.requests, lost.counts.requests + 1);
});

Deno.test("a fifth API: the planner and the router take it as they take Tencent's", async () => {
  const warmer = new Warmer();
  const { sleep: _, ...call } = options(warmer);
  const plan = await planDryRun(URLS, {
    api: call.api,
    batchSize: 3,
    dailyLimit: 7,
    budgetLeft: 7,
    overBudget: "over the Warmer's day",
  });
  assert.equal(plan.api, "warmer");
  assert.equal(plan.quota, "the Warmer's day");
  assert.equal(plan.counts.wouldSend, 7);
  assert.equal(warmer.requests.length, 0, "a plan sends nothing");

  const token = "a-router-token-of-the-fifth-api";
  const app = prewarmRouter({
    credentials: call.credentials,
    tokens: [token],
    prewarm: { api: call.api, fetch: call.fetch, now: call.now, coordinator: call.coordinator },
  });
  const auth = { authorization: `Bearer ${token}` };
  const posted = await app.request("/prewarm", {
    method: "POST",
    headers: { ...auth, "content-type": "text/plain" },
    body: URLS.join("\n"),
  });
  assert.equal(posted.status, 207);
  const report = await posted.json();
  assert.equal(report.api, "warmer");
  const ids = report.tasks.map((t: { taskId: string }) => t.taskId).join(",");
  const answer = await app.request(`/tasks?ids=${ids}`, { headers: auth });
  const polled = await answer.json();
  assert.equal(answer.status, 200, JSON.stringify(polled));
  assert.equal(polled.counts.pending, 7, JSON.stringify(polled));
  const quota = await (await app.request("/quota", { headers: auth })).json();
  assert.deepEqual([quota.used, quota.limit, quota.upstream.left], [7, 7, 0]);
  // It takes no area from a request: the router says so, naming it.
  const area = await app.request("/prewarm?area=mainland", {
    method: "POST",
    headers: { ...auth, "content-type": "text/plain" },
    body: URLS[0]!,
  });
  assert.equal(area.status, 400);
  assert.match((await area.json()).error.message, /the Warmer service, which takes no area/);
});
