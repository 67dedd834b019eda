// The router with the EdgeOne backend in its prewarm options: POST /prewarm answers as for CDN,
// with the zone's JobIds; GET /quota counts the zone; GET /tasks/:id reads the job.
import assert from "node:assert/strict";
import { MemoryCoordinator, type PrewarmReport, waitForTasks } from "../mod.ts";
import { edgeOne } from "../src/edgeone.ts";
import type { RouterQuota, RouterTaskStatus } from "../src/hono/mod.ts";
import type { PrefetchLog } from "../src/edgeone.ts";
import { SIMULATOR_CREDENTIALS } from "../src/testing/mod.ts";
import { assertAccounted, urlsOn } from "./_helpers.ts";
import { errorCode, NOW, setup } from "./router/setup.ts";

const ZONE = "zone-router";
const SIM = {
  teoZones: [{ zoneId: ZONE, domains: ["www.example.com", "img.example.com"] }],
  taskOutcomes: [{ match: /missing/, status: "invalid" as const }],
};

function edgeOneRouter(prewarm = {}) {
  const coordinator = new MemoryCoordinator();
  const backend = edgeOne({ zoneId: ZONE });
  return { backend, coordinator, ...setup({}, { api: backend, coordinator, ...prewarm }, SIM) };
}

Deno.test("router edgeone: POST /prewarm submits to the zone and answers as for CDN", async () => {
  const input = [...urlsOn("www.example.com", 3), ...urlsOn("img.example.com", 2)];
  const cdn = setup({}, {}, SIM);
  const cdnReport: PrewarmReport = await (await cdn.postJson({ urls: input })).json();
  const { sim, postJson, backend } = edgeOneRouter();
  const response = await postJson({ urls: input });
  assert.equal(response.status, 200);
  const report: PrewarmReport = await response.json();
  assertAccounted(input, report);
  assert.equal(report.api, "teo");
  assert.equal(report.zoneId, ZONE);
  assert.deepEqual(report.counts, cdnReport.counts);
  assert.deepEqual(
    report.tasks.map((t) => [t.host, t.urls]),
    cdnReport.tasks.map((t) => [
      t.host,
      t.urls,
    ]),
  );
  for (const task of report.tasks) {
    assert.deepEqual(sim.prefetchJobs.find((j) => j.jobId === task.taskId)?.targets, task.urls);
  }
  assert.equal(sim.teoQuotaUsed(ZONE), 5);
  assert.equal(sim.accepted.length, 0);
  // The report it answers is waited for like the library's own.
  const waited = await waitForTasks(report, {
    api: backend,
    credentials: SIMULATOR_CREDENTIALS,
    fetch: sim.fetch,
    now: () => NOW,
  });
  assert.deepEqual(waited.counts, { done: 5, failed: 0, invalid: 0, pending: 0, unknown: 0 });
});

Deno.test("router edgeone: area in the body or query is refused; 207/502 as for CDN", async () => {
  const { sim, postJson, postText } = edgeOneRouter();
  const withArea = await postJson({ urls: urlsOn("www.example.com", 1), area: "mainland" });
  assert.equal(withArea.status, 400);
  assert.equal(await errorCode(withArea), "invalid-body");
  const inQuery = await postText(urlsOn("www.example.com", 1), "?area=overseas");
  assert.equal(inQuery.status, 400);
  assert.equal(sim.requests.length, 0);
  // A host outside the zone fails its own batch only: 207.
  const mixed = await postJson({
    urls: [...urlsOn("www.example.com", 1), "https://elsewhere.example.net/a.js"],
  });
  assert.equal(mixed.status, 207);
  const report: PrewarmReport = await mixed.json();
  assert.equal(report.failed[0]?.error.code, "InvalidParameter.DomainNotFound");
  // Only a zone the account lacks: every batch fails upstream, 502.
  const wrong = setup({}, { api: edgeOne({ zoneId: "zone-missing" }) }, SIM);
  const failed = await wrong.postJson({ urls: urlsOn("www.example.com", 1) });
  assert.equal(failed.status, 502);
  assert.equal(await errorCode(failed), "upstream-failed");
});

Deno.test("router edgeone: GET /quota counts the zone's budget and reads DescribeContentQuota", async () => {
  const { postJson, get } = edgeOneRouter({ dailyLimit: 100 });
  await postJson({ urls: urlsOn("www.example.com", 4) });
  const response = await get("/quota");
  assert.equal(response.status, 200);
  const quota: RouterQuota = await response.json();
  assert.equal(quota.zoneId, ZONE);
  assert.equal(quota.used, 4);
  assert.equal(quota.remaining, 96);
  assert.deepEqual(quota.upstream && "prefetch" in quota.upstream && quota.upstream.prefetch, {
    type: "prefetch_url",
    batch: 2000,
    daily: 10_000,
    available: 9996,
  });
  const byArea = await get("/quota?area=overseas");
  assert.equal(byArea.status, 400);
});

Deno.test("router edgeone: GET /tasks/:id lists the job's targets; unknown job 404", async () => {
  const { postJson, get } = edgeOneRouter();
  const urls = [...urlsOn("www.example.com", 1), "https://www.example.com/missing.png"];
  const report: PrewarmReport = await (await postJson({ urls })).json();
  const jobId = report.tasks[0]!.taskId;
  const response = await get(`/tasks/${jobId}`);
  assert.equal(response.status, 200);
  const status: RouterTaskStatus = await response.json();
  assert.equal(status.taskId, jobId);
  assert.equal(status.totalCount, 2);
  assert.deepEqual(
    (status.logs as PrefetchLog[]).map((l) => [l.target, l.status]),
    [[urls[0], "success"], [urls[1], "invalid"]],
  );
  const missing = await get("/tasks/no-such-job");
  assert.equal(missing.status, 404);
  assert.equal(await errorCode(missing), "task-not-found");
});

Deno.test("router edgeone: GET /tasks?ids= reads the zone's jobs, as it does CDN tasks", async () => {
  const { postJson, get, sim } = edgeOneRouter();
  const input = [...urlsOn("www.example.com", 2), "https://img.example.com/missing.js"];
  const report: PrewarmReport = await (await postJson({ urls: input })).json();
  const ids = report.tasks.map((t) => t.taskId).join(",");
  const answer = await (await get(`/tasks?ids=${encodeURIComponent(ids)}`)).json();
  assert.deepEqual(answer.counts, { done: 2, failed: 0, invalid: 1, pending: 0, unknown: 0 });
  assert.deepEqual(answer.urls.map((u: { url: string }) => u.url).sort(), [...input].sort());
  assert.ok(sim.requests.some((r) => r.action === "DescribePrefetchTasks"));
  assert.ok(!sim.requests.some((r) => r.action === "DescribePushTasks"));
});
