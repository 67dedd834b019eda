import assert from "node:assert/strict";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { cdn } from "../src/apis/cdn.ts";
import type { PushLog, PushQuotaResult } from "../mod.ts";
import { MemoryCoordinator, type PrewarmReport } from "../mod.ts";
import type { RouterErrorBody, RouterQuota, RouterTaskStatus } from "../src/hono/mod.ts";
import { assertAccounted, urlsOn } from "./_helpers.ts";
import { AUTH, errorCode, NOW, setup } from "./router/setup.ts";

Deno.test("POST /prewarm JSON: 200 with the report when every URL is submitted", async () => {
  const { sim, postJson } = setup();
  const urls = [...urlsOn("www.example.com", 3), ...urlsOn("img.example.com", 2)];
  const response = await postJson({ urls });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/json");
  assert.equal(response.headers.get("cache-control"), "no-store");
  const report: PrewarmReport = await response.json();
  assertAccounted(urls, report);
  assert.equal(report.counts.submitted, 5);
  assert.equal(report.area, "overseas");
  assert.equal(sim.accepted.length, 2);
});

Deno.test("POST /prewarm text/plain: one URL per line, blank and # lines skipped", async () => {
  const { sim, postText } = setup();
  const response = await postText([
    "# release 1.2",
    "https://www.example.com/a.js",
    "",
    "   ",
    "  https://www.example.com/b.js  ",
    "\r",
    "#https://www.example.com/commented.js",
  ]);
  assert.equal(response.status, 200);
  const report: PrewarmReport = await response.json();
  assert.equal(report.counts.input, 2);
  assert.deepEqual(sim.accepted.flatMap((t) => t.urls), [
    "https://www.example.com/a.js",
    "https://www.example.com/b.js",
  ]);
});

Deno.test("POST /prewarm: CRLF text bodies and a UTF-8 BOM are read as written", async () => {
  const { app } = setup();
  const response = await app.request("/prewarm", {
    method: "POST",
    headers: { ...AUTH, "content-type": "text/plain; charset=UTF-8" },
    body: "\ufeffhttps://www.example.com/a.js\r\nhttps://www.example.com/b.js\r\n",
  });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).counts.submitted, 2);
});

Deno.test("POST /prewarm: duplicates still answer 200 (their first copy was sent)", async () => {
  const { postJson } = setup();
  const url = "https://www.example.com/a.js";
  const response = await postJson({ urls: [url, url] });
  assert.equal(response.status, 200);
  const report: PrewarmReport = await response.json();
  assert.deepEqual(report.rejected.map((r) => r.reason), ["duplicate"]);
});

Deno.test("POST /prewarm: area from the body, from ?area=, or the router's default", async () => {
  const { sim, postJson, postText } = setup({}, { api: cdn({ area: "overseas" }) });
  let response = await postJson({ urls: ["https://www.example.com/a.js"], area: "mainland" });
  assert.equal((await response.json()).area, "mainland");
  response = await postText(["https://www.example.com/b.js"], "?area=global");
  assert.equal((await response.json()).area, "global");
  response = await postText(["https://www.example.com/c.js"]);
  assert.equal((await response.json()).area, "overseas");
  assert.equal(sim.quotaUsed("mainland"), 2);
  assert.equal(sim.quotaUsed("overseas"), 2);
  response = await postJson({ urls: ["https://www.example.com/d.js"], area: "asia" });
  assert.equal(response.status, 400);
  assert.match((await response.json()).error.message, /"area".*got "asia"/);
  response = await postText(["https://www.example.com/d.js"], "?area=moon");
  assert.equal(await errorCode(response), "invalid-query");
  response = await postJson(
    { urls: ["https://www.example.com/d.js"], area: "mainland" },
    {},
  );
  assert.equal(response.status, 200);
});

Deno.test("POST /prewarm: a body area and a different ?area= conflict (400)", async () => {
  const { app, sim } = setup();
  const response = await app.request("/prewarm?area=global", {
    method: "POST",
    headers: { ...AUTH, "content-type": "application/json" },
    body: JSON.stringify({ urls: ["https://www.example.com/a.js"], area: "mainland" }),
  });
  assert.equal(response.status, 400);
  assert.equal(sim.requests.length, 0);
});

Deno.test("POST /prewarm with API 2.0: only overseas (400 otherwise)", async () => {
  const sim = setup().sim;
  const { postJson } = setup({}, {
    api: cdnV2(),
    fetch: sim.fetch,
    endpoint: "https://cdn.api.qcloud.com/v2/index.php",
  });
  let response = await postJson({ urls: ["https://www.example.com/a.js"], area: "mainland" });
  assert.equal(response.status, 400);
  assert.match((await response.json()).error.message, /API 2.0.*overseas/);
  response = await postJson({ urls: ["https://www.example.com/a.js"] });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).api, "v2");
});

Deno.test("POST /prewarm: 207 when some URLs are submitted and some fail upstream", async () => {
  const { postJson } = setup();
  const urls = ["https://www.example.com/a.js", "https://unknown.example.org/b.js"];
  const response = await postJson({ urls });
  assert.equal(response.status, 207);
  const report: PrewarmReport = await response.json();
  assertAccounted(urls, report);
  assert.equal(report.failed[0]!.error.code, "ResourceNotFound.CdnHostNotExists");
});

Deno.test("POST /prewarm: 207 when some URLs are submitted and some are invalid", async () => {
  const { postJson } = setup();
  const response = await postJson({ urls: ["https://www.example.com/a.js", "not a url"] });
  assert.equal(response.status, 207);
});

Deno.test("POST /prewarm: 400 no-valid-urls (with the report) when nothing could be sent", async () => {
  const { sim, postJson } = setup({ allowedHosts: ["www.example.com"] });
  const urls = ["ftp://www.example.com/a", "https://evil.example.net/x", "https://x/*"];
  const response = await postJson({ urls });
  assert.equal(response.status, 400);
  const body: RouterErrorBody = await response.json();
  assert.equal(body.error.code, "no-valid-urls");
  assert.match(body.error.message, /1 host-not-allowed, 2 invalid-url/);
  assertAccounted(urls, body.report!);
  assert.equal(sim.requests.length, 0);
});

Deno.test("POST /prewarm: 429 with Retry-After to Beijing midnight when the budget is spent", async () => {
  const { sim, postJson } = setup({}, { dailyLimit: 3 });
  let response = await postJson({ urls: urlsOn("www.example.com", 3) });
  assert.equal(response.status, 200);
  response = await postJson({ urls: urlsOn("www.example.com", 2, 10) });
  assert.equal(response.status, 429);
  assert.equal(response.headers.get("retry-after"), "43200"); // 12:00 Beijing time
  const body: RouterErrorBody = await response.json();
  assert.equal(body.error.code, "daily-limit");
  assert.deepEqual(body.report!.rejected.map((r) => r.reason), ["daily-limit", "daily-limit"]);
  assert.equal(sim.requests.length, 1, "the second request never reached Tencent");
});

Deno.test("POST /prewarm: 207 when the budget covers only part of the request", async () => {
  const { postJson } = setup({}, { dailyLimit: 2 });
  const response = await postJson({ urls: urlsOn("www.example.com", 3) });
  assert.equal(response.status, 207);
  const report: PrewarmReport = await response.json();
  assert.deepEqual([report.counts.submitted, report.counts.rejected], [2, 1]);
});

Deno.test("POST /prewarm: 429 when Tencent itself reports the day's quota spent", async () => {
  const { postJson } = setup({}, {}, { dailyLimit: 1 });
  const response = await postJson({ urls: urlsOn("www.example.com", 2) });
  assert.equal(response.status, 429);
  assert.match(response.headers.get("retry-after") ?? "", /^\d+$/);
});

Deno.test("POST /prewarm: 502 with the report when every batch failed upstream", async () => {
  const { sim, postJson } = setup({}, { retries: 0 });
  sim.inject({ type: "html", status: 502 }, { type: "error", code: "InternalError" });
  const urls = [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 1)];
  const response = await postJson({ urls });
  assert.equal(response.status, 502);
  const body: RouterErrorBody = await response.json();
  assert.equal(body.error.code, "upstream-failed");
  assertAccounted(urls, body.report!);
  assert.equal(body.report!.failed.length, 2);
  assert.ok(body.report!.failed.every((f) => f.maybeSubmitted));
});

Deno.test("GET /quota: the local budget and Tencent's DescribePushQuota", async () => {
  const { postJson, get } = setup({}, { dailyLimit: 50 });
  await postJson({ urls: urlsOn("www.example.com", 4) });
  const response = await get("/quota");
  assert.equal(response.status, 200);
  const quota: RouterQuota = await response.json();
  assert.deepEqual(
    { ...quota, upstream: undefined },
    {
      area: "overseas",
      day: "2026-11-28",
      used: 4,
      limit: 50,
      remaining: 46,
      resetsAt: "2026-11-28T16:00:00.000Z",
      upstream: undefined,
    },
  );
  assert.ok(quota.upstream && "quotas" in quota.upstream);
  const overseas = (quota.upstream as unknown as PushQuotaResult).quotas.find((q) =>
    q.area === "overseas"
  )!;
  assert.equal(overseas.available, 996);
});

Deno.test("GET /quota: ?area=global counts the busier area; Infinity shows as null", async () => {
  const { postJson, get } = setup({}, { dailyLimit: Infinity });
  await postJson({ urls: urlsOn("www.example.com", 2), area: "mainland" });
  const quota: RouterQuota = await (await get("/quota?area=global")).json();
  assert.deepEqual([quota.area, quota.used, quota.limit, quota.remaining], [
    "global",
    2,
    null,
    null,
  ]);
  assert.equal((await get("/quota?area=mars")).status, 400);
});

Deno.test("GET /quota: 200 with an upstream error when DescribePushQuota fails", async () => {
  const { sim, get } = setup({}, { retries: 0 });
  sim.inject({ type: "error", code: "InternalError", message: "boom" });
  const response = await get("/quota");
  assert.equal(response.status, 200);
  const quota: RouterQuota = await response.json();
  assert.equal(quota.used, 0);
  assert.ok(quota.upstream && "error" in quota.upstream);
  assert.equal((quota.upstream.error as { code: string }).code, "InternalError");
});

Deno.test("GET /quota with API 2.0: the local budget only", async () => {
  const sim = setup().sim;
  const { get } = setup({}, { api: cdnV2(), fetch: sim.fetch });
  const quota: RouterQuota = await (await get("/quota")).json();
  assert.equal(quota.upstream, undefined);
  assert.equal(sim.requests.length, 0);
});

Deno.test("GET /tasks/:id: the status of each URL of a task", async () => {
  const { postJson, get } = setup();
  const urls = urlsOn("www.example.com", 3);
  const report: PrewarmReport = await (await postJson({ urls })).json();
  const taskId = report.tasks[0]!.taskId;
  let response = await get(`/tasks/${encodeURIComponent(taskId)}`);
  assert.equal(response.status, 200);
  const status: RouterTaskStatus = await response.json();
  assert.equal(status.taskId, taskId);
  assert.equal(status.totalCount, 3);
  assert.deepEqual((status.logs as PushLog[]).map((l) => l.url), urls);
  response = await get(`/tasks/${encodeURIComponent(taskId)}?offset=1&limit=1`);
  const page: RouterTaskStatus = await response.json();
  assert.deepEqual((page.logs as PushLog[]).map((l) => l.url), [urls[1]]);
});

Deno.test("GET /tasks/:id: 404 for an unknown task, 400 for bad paging", async () => {
  const { get } = setup();
  let response = await get("/tasks/no-such-task");
  assert.equal(response.status, 404);
  assert.equal(await errorCode(response), "task-not-found");
  response = await get("/tasks/x?limit=0");
  assert.equal(response.status, 400);
  assert.equal(await errorCode(response), "invalid-query");
  response = await get("/tasks/x?offset=-1");
  assert.equal(response.status, 400);
  response = await get(`/tasks/${"x".repeat(129)}`);
  assert.equal(response.status, 400);
});

Deno.test("GET /tasks/:id: 502 with the upstream error when DescribePushTasks fails", async () => {
  const { sim, get } = setup({}, { retries: 0 });
  sim.inject({ type: "error", code: "AuthFailure.SignatureFailure" });
  const response = await get("/tasks/abc");
  assert.equal(response.status, 502);
  const body: RouterErrorBody = await response.json();
  assert.equal(body.error.code, "upstream-failed");
  assert.equal((body.upstream as { code: string }).code, "AuthFailure.SignatureFailure");
});

Deno.test("GET /tasks/:id with API 2.0: 501 (task status needs API 3.0)", async () => {
  const sim = setup().sim;
  const { get } = setup({}, { api: cdnV2(), fetch: sim.fetch });
  const response = await get("/tasks/1");
  assert.equal(response.status, 501);
  assert.equal(await errorCode(response), "unsupported-api");
});

Deno.test("GET /health: 200 without a token, even on an unconfigured router", async () => {
  const { app } = setup({ tokens: [], credentials: undefined });
  const response = await app.request("/health");
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: "ok" });
  const head = await app.request("/health", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
});

Deno.test("unknown paths: 404 JSON; wrong methods: 405 with Allow; OPTIONS: 204 with Allow", async () => {
  const { app, sim } = setup();
  let response = await app.request("/nope", { headers: AUTH });
  assert.equal(response.status, 404);
  assert.equal(await errorCode(response), "not-found");
  response = await app.request("/", { method: "POST" });
  assert.equal(response.status, 404);
  for (
    const [method, path, allow] of [
      ["GET", "/prewarm", "POST, OPTIONS"],
      ["PUT", "/prewarm", "POST, OPTIONS"],
      ["POST", "/quota", "GET, HEAD, OPTIONS"],
      ["DELETE", "/tasks/1", "GET, HEAD, OPTIONS"],
      ["POST", "/health", "GET, HEAD, OPTIONS"],
    ]
  ) {
    response = await app.request(path!, { method, headers: AUTH });
    assert.equal(response.status, 405, `${method} ${path}`);
    assert.equal(response.headers.get("allow"), allow);
    assert.equal(await errorCode(response), "method-not-allowed");
  }
  response = await app.request("/prewarm", { method: "OPTIONS" });
  assert.equal(response.status, 204);
  assert.equal(response.headers.get("allow"), "POST, OPTIONS");
  assert.equal(sim.requests.length, 0);
});

Deno.test("routers of one account share its budget through their coordinator", async () => {
  const a = setup({}, { dailyLimit: 2 });
  const b = setup({}, { dailyLimit: 2 });
  assert.equal((await a.postJson({ urls: urlsOn("www.example.com", 2) })).status, 200);
  assert.equal((await b.postJson({ urls: urlsOn("www.example.com", 2) })).status, 200);
  const shared = new MemoryCoordinator();
  const c = setup({}, { dailyLimit: 2, coordinator: shared });
  const d = setup({}, { dailyLimit: 2, coordinator: shared });
  assert.equal((await c.postJson({ urls: urlsOn("www.example.com", 2) })).status, 200);
  assert.equal((await d.postJson({ urls: urlsOn("www.example.com", 2) })).status, 429);
});

Deno.test("a prewarm option function is evaluated per request with the context", async () => {
  const { sim } = setup();
  const seen: unknown[] = [];
  const { app } = setup({
    prewarm: (c) => {
      seen.push((c.env as { AREA?: string }).AREA);
      return {
        fetch: sim.fetch,
        now: () => NOW,
        api: cdn({ area: (c.env as { AREA: "mainland" }).AREA }),
      };
    },
  });
  const response = await app.request("/prewarm", {
    method: "POST",
    headers: { ...AUTH, "content-type": "text/plain" },
    body: "https://www.example.com/a.js",
  }, { AREA: "mainland" });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).area, "mainland");
  assert.deepEqual(seen, ["mainland"]);
});
