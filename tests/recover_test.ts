// recoverLostTasks(): the step after a run that finds the tasks of batches whose answer was lost.
// prewarm() alone only says when such a batch was sent; the step lists each host's tasks once,
// and turns a batch into its task only when exactly one task holds exactly its URLs.
import assert from "node:assert/strict";
import {
  cdn,
  type FailedBatch,
  MemoryCoordinator,
  prewarm,
  type PrewarmOptions,
  type PrewarmReport,
  recoverLostTasks,
} from "../mod.ts";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { edgeOne } from "../src/edgeone.ts";
import { cdnPurge } from "../src/purge.ts";
import type { FetchLike } from "../src/api.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { assertAccounted, requestsOf, urlsOn } from "./_helpers.ts";

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const MINUTE = 60_000;

/**
 * A simulator on a clock the test moves, and options for prewarm() and the step that send to it
 * through a fetch noting each `DescribePushTasks` search (its `Keyword`, `StartTime`, `EndTime`).
 */
function setup() {
  const clock = { ms: NOW };
  const now = () => clock.ms;
  const sim = new TencentCdnSimulator({ now, domains: ["*.example.com"] });
  const searches: Record<string, unknown>[] = [];
  const fetch: FetchLike = (input, init) => {
    const headers = init.headers as Record<string, string> | undefined;
    if (headers?.["X-TC-Action"] === "DescribePushTasks") {
      searches.push(JSON.parse(String(init.body)));
    }
    return sim.fetch(input, init);
  };
  const options: PrewarmOptions = {
    credentials: { ...SIMULATOR_CREDENTIALS },
    fetch,
    now,
    coordinator: new MemoryCoordinator(),
    retryDelayMs: 1,
    maxRetryDelayMs: 5,
    maxRequestsPerSecond: Infinity,
    concurrency: 1,
  };
  return { sim, clock, options, searches };
}

/** Every push is processed, then its answer breaks off mid-body (`count` of them, or all). */
function losePushes(sim: TencentCdnSimulator, count = Infinity): void {
  let lost = 0;
  sim.faultPolicy = ({ action }) =>
    action === "PushUrlsCache" && lost++ < count ? { type: "reset" } : undefined;
}

/** Every push fails with a server error Tencent did not process: maybe submitted, no task. */
function failPushesUnprocessed(sim: TencentCdnSimulator): void {
  sim.faultPolicy = ({ action }) =>
    action === "PushUrlsCache" ? { type: "error", code: "InternalError" } : undefined;
}

/** "YYYY-MM-DD hh:mm:ss" in Beijing time, as DescribePushTasks takes a time. */
function beijing(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

Deno.test("prewarm() alone looks nothing up: a lost answer is maybe-submitted, with when it was sent", async () => {
  const { sim, clock, options } = setup();
  losePushes(sim);
  clock.ms = NOW + 7_000;
  const input = urlsOn("www.example.com", 3);
  const report = await prewarm(input, options);
  assertAccounted(input, report);
  assert.equal(requestsOf(sim, "DescribePushTasks"), 0);
  assert.deepEqual(report.failed.map((f) => [f.maybeSubmitted, f.sentAt]), [[true, NOW + 7_000]]);
  assert.equal(report.counts.maybeSubmitted, 3);
  assert.equal(report.counts.requests, 1);
});

Deno.test("recoverLostTasks: a lost batch whose task is found becomes that task, in its place, counts recomputed", async () => {
  const { sim, clock, options, searches } = setup();
  losePushes(sim, 1);
  const input = [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 2)];
  const run = await prewarm(input, options);
  assert.equal(run.counts.maybeSubmitted, 2);
  clock.ms = NOW + 3 * MINUTE; // the step runs later than the send
  const report = await recoverLostTasks(run, options);
  assertAccounted(input, report);
  // The found task first, where its batch began in the input; its id is the one Tencent gave.
  assert.deepEqual(
    report.tasks.map((t) => [t.taskId, t.host, t.urls, t.recovered]),
    sim.accepted.map((a, i) => [a.taskId, a.host, a.urls, i === 0 ? true : undefined]),
  );
  assert.deepEqual(report.failed, []);
  assert.deepEqual(report.counts, {
    input: 4,
    submitted: 4,
    rejected: 0,
    failed: 0,
    maybeSubmitted: 0,
    tasks: 2,
    requests: 3, // two pushes and the one read
  });
  // The host's tasks from 5 minutes before the send to 5 minutes after now (Beijing time).
  assert.deepEqual(searches, [{
    StartTime: beijing(NOW - 5 * MINUTE),
    EndTime: beijing(NOW + 8 * MINUTE),
    Keyword: "www.example.com",
    Offset: 0,
    Limit: 1000,
  }]);
  // A new report: the run's own is as it was.
  assert.equal(run.counts.maybeSubmitted, 2);
  assert.equal(run.failed.length, 1);
});

Deno.test("recoverLostTasks: many lost batches of a host are one read per host", async () => {
  const { sim, options, searches } = setup();
  losePushes(sim);
  const hosts = ["www.example.com", "static.example.com", "img.example.com"];
  const input = hosts.flatMap((host) => urlsOn(host, 6));
  const run = await prewarm(input, { ...options, batchSize: 2, concurrency: 4 });
  assert.equal(run.failed.length, 9);
  const report = await recoverLostTasks(run, options);
  assertAccounted(input, report);
  assert.equal(requestsOf(sim, "DescribePushTasks"), 3);
  assert.deepEqual(searches.map((s) => s.Keyword).sort(), [...hosts].sort());
  assert.equal(report.tasks.length, 9);
  assert.ok(report.tasks.every((t) => t.recovered));
  // Each batch is the task that holds its URLs, in input order.
  assert.deepEqual(report.tasks.map((t) => t.urls), run.failed.map((f) => f.urls));
  for (const task of report.tasks) {
    assert.deepEqual(sim.accepted.find((a) => a.taskId === task.taskId)?.urls, task.urls);
  }
  assert.equal(report.counts.requests, run.counts.requests + 3);
});

Deno.test("recoverLostTasks: the window starts 5 minutes before the host's earliest lost send", async () => {
  const { sim, clock, options, searches } = setup();
  losePushes(sim);
  const first = await prewarm(urlsOn("www.example.com", 2), options);
  clock.ms = NOW + 2 * MINUTE;
  const second = await prewarm(urlsOn("www.example.com", 2, 10), options);
  // One report holding both runs' lost batches (a caller may join reports).
  const joined: PrewarmReport = {
    ...second,
    failed: [...first.failed, ...second.failed],
    counts: { ...second.counts, requests: 2 },
  };
  const report = await recoverLostTasks(joined, options);
  assert.equal(searches.length, 1);
  assert.equal(searches[0]!.StartTime, beijing(NOW - 5 * MINUTE));
  assert.equal(searches[0]!.EndTime, beijing(NOW + 7 * MINUTE));
  assert.equal(report.tasks.length, 2);
});

Deno.test("recoverLostTasks: two tasks holding the batch's URLs leave it failed", async () => {
  const { sim, options } = setup();
  const input = urlsOn("www.example.com", 3);
  assert.equal((await prewarm(input, options)).counts.submitted, 3); // answered
  losePushes(sim);
  const run = await prewarm(input, options); // processed again, answer lost
  assert.equal(sim.accepted.length, 2);
  const report = await recoverLostTasks(run, options);
  assert.deepEqual(report.tasks, []);
  assert.deepEqual(report.failed, run.failed);
  assert.equal(report.counts.maybeSubmitted, 3);
  assert.equal(report.counts.requests, run.counts.requests + 1);
});

Deno.test("recoverLostTasks: a task holding more, or fewer, URLs than the batch is not its task", async () => {
  const { sim, options } = setup();
  const [a, b, c, d, e] = urlsOn("www.example.com", 5);
  // Tasks of the host: [a] and [c, d, e]; then batches [a, b] and [c, d] that Tencent did not
  // process, their answers a server error (maybe submitted).
  await prewarm([a!], options);
  await prewarm([c!, d!, e!], options);
  failPushesUnprocessed(sim);
  for (const batch of [[a!, b!], [c!, d!]]) {
    const run = await prewarm(batch, options);
    assert.equal(run.counts.maybeSubmitted, 2);
    const report = await recoverLostTasks(run, options);
    assert.deepEqual(report.tasks, [], `batch ${batch}`);
    assert.deepEqual(report.failed, run.failed);
  }
  assert.equal(requestsOf(sim, "DescribePushTasks"), 2);
});

Deno.test("recoverLostTasks: one task that two lost batches match is neither's", async () => {
  const { sim, options } = setup();
  const input = urlsOn("www.example.com", 2);
  losePushes(sim);
  const processed = await prewarm(input, options); // a task, its answer lost
  failPushesUnprocessed(sim);
  const unprocessed = await prewarm(input, options); // no task
  assert.equal(sim.accepted.length, 1);
  // One report with both (two identical lost batches of one host): which one made the task?
  const joined: PrewarmReport = {
    ...processed,
    failed: [...processed.failed, ...unprocessed.failed],
    counts: { ...processed.counts, requests: 2 },
  };
  const report = await recoverLostTasks(joined, options);
  assert.deepEqual(report.tasks, []);
  assert.equal(report.failed.length, 2);
  assert.equal(report.counts.maybeSubmitted, 4);
  assert.equal(requestsOf(sim, "DescribePushTasks"), 1);
});

Deno.test("recoverLostTasks: a task the report already lists is another batch's", async () => {
  const { sim, options } = setup();
  const input = urlsOn("www.example.com", 2);
  const answered = await prewarm(input, options);
  failPushesUnprocessed(sim);
  const lost = await prewarm(input, options);
  // Joined, the only task holding the lost batch's URLs is the answered batch's.
  const joined: PrewarmReport = {
    ...answered,
    failed: lost.failed,
    counts: { ...answered.counts, requests: 2 },
  };
  const report = await recoverLostTasks(joined, options);
  assert.deepEqual(report.tasks, answered.tasks);
  assert.deepEqual(report.failed, lost.failed);
});

Deno.test("recoverLostTasks: a read that fails leaves its host's batches as they were, and no other", async () => {
  const { sim, options } = setup();
  losePushes(sim);
  const input = [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 2)];
  const run = await prewarm(input, options);
  // The search of one host fails every time; the other's is answered.
  const failing: FetchLike = (url, init) =>
    String(init.body).includes('"Keyword":"www.example.com"')
      ? Promise.resolve(Response.json({ Response: { Error: { Code: "InternalError" } } }))
      : options.fetch!(url, init);
  const report = await recoverLostTasks(run, { ...options, fetch: failing, retries: 1 });
  assertAccounted(input, report);
  assert.deepEqual(report.failed, run.failed.filter((f) => f.host === "www.example.com"));
  assert.deepEqual(report.tasks.map((t) => [t.host, t.recovered]), [["static.example.com", true]]);
  // Two attempts at the failing read, one answered read: each is a request.
  assert.equal(report.counts.requests, run.counts.requests + 3);
});

Deno.test("recoverLostTasks: an aborted signal reads nothing and resolves with the report", async () => {
  const { sim, options } = setup();
  losePushes(sim);
  const run = await prewarm(urlsOn("www.example.com", 2), options);
  const report = await recoverLostTasks(run, { ...options, signal: AbortSignal.abort() });
  assert.deepEqual(report.failed, run.failed);
  assert.equal(report.counts.requests, run.counts.requests);
  assert.equal(requestsOf(sim, "DescribePushTasks"), 0);
});

Deno.test("recoverLostTasks: an API without a search, or a batch without sentAt, is left as it is", async () => {
  const { sim, options } = setup();
  losePushes(sim);
  sim.faultPolicy = ({ action }) =>
    action === "PushUrlsCache" || action === "CdnOverseaPushser" ? { type: "reset" } : undefined;
  const v2 = await prewarm(urlsOn("www.example.com", 2), { ...options, api: cdnV2() });
  assert.equal(v2.counts.maybeSubmitted, 2);
  assert.equal(await recoverLostTasks(v2, { ...options, api: cdnV2() }), v2);
  // A report read back from an older version: no sentAt, so no window to look in.
  const v3 = await prewarm(urlsOn("static.example.com", 2), options);
  const old: PrewarmReport = {
    ...v3,
    failed: v3.failed.map(({ sentAt: _, ...f }): FailedBatch => f),
  };
  assert.equal(await recoverLostTasks(old, options), old);
  assert.equal(requestsOf(sim, "DescribePushTasks"), 0);
});

Deno.test("recoverLostTasks: a joined report keeps its own order, the found task placed among it", async () => {
  const { sim, options } = setup();
  const first = await prewarm(
    [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 2)],
    options,
  );
  let pushes = 0;
  sim.faultPolicy = ({ action }) =>
    action === "PushUrlsCache" && pushes++ === 1 ? { type: "reset" } : undefined;
  const second = await prewarm(
    [...urlsOn("img.example.com", 2), ...urlsOn("cdn.example.com", 2)],
    options,
  );
  assert.equal(second.failed[0]?.host, "cdn.example.com");
  const joined: PrewarmReport = {
    ...second,
    tasks: [...first.tasks, ...second.tasks],
    counts: { ...second.counts, requests: 4 },
  };
  const report = await recoverLostTasks(joined, options);
  // The found task began after every task of its own run; no task of the report moved.
  assert.deepEqual(report.tasks.map((t) => t.host), [
    "www.example.com",
    "static.example.com",
    "img.example.com",
    "cdn.example.com",
  ]);
  assert.equal(report.tasks[3]?.recovered, true);
});

Deno.test("recoverLostTasks: a report read back from JSON is recovered too, found tasks after the others", async () => {
  const { sim, options } = setup();
  losePushes(sim, 1);
  const input = [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 2)];
  const run = await prewarm(input, options);
  const report = await recoverLostTasks(JSON.parse(JSON.stringify(run)) as PrewarmReport, options);
  assertAccounted(input, report);
  assert.deepEqual(
    report.tasks.map((t) => [t.host, t.recovered]),
    [["static.example.com", undefined], ["www.example.com", true]],
  );
  assert.equal(report.tasks[1]!.taskId, sim.accepted[0]!.taskId);
});

Deno.test("recoverLostTasks: other fields of the report are kept", async () => {
  const { sim, options } = setup();
  losePushes(sim);
  const run = await prewarm(urlsOn("www.example.com", 2), options);
  const withMore = { ...run, purgeTasks: [], warnings: ["kept"] };
  const report = await recoverLostTasks(withMore, options);
  assert.deepEqual(report.purgeTasks, []);
  assert.deepEqual(report.warnings, ["kept"]);
  assert.equal(report.tasks[0]?.recovered, true);
});

Deno.test("recoverLostTasks: a malformed report, or an API that cannot read its tasks, is a TypeError", async () => {
  const { options } = setup();
  await assert.rejects(
    recoverLostTasks({ tasks: [] } as unknown as PrewarmReport, options),
    (error: Error) =>
      error instanceof TypeError &&
      /^Invalid report: expected a PrewarmReport \(tasks, rejected, failed, counts\), got an object$/
        .test(error.message),
  );
  const report: PrewarmReport = {
    api: "teo",
    area: "global",
    tasks: [],
    rejected: [],
    failed: [{ host: 3, urls: [] } as unknown as FailedBatch],
    counts: {
      input: 0,
      submitted: 0,
      rejected: 0,
      failed: 0,
      maybeSubmitted: 0,
      tasks: 0,
      requests: 0,
    },
    aborted: false,
  };
  await assert.rejects(
    recoverLostTasks(report, options),
    /^TypeError: Invalid report\.failed\[0\]/,
  );
  const teo = { ...report, failed: [] };
  await assert.rejects(
    recoverLostTasks(teo, { ...options, api: cdn() }),
    /the report is from api "teo", which CDN API 3\.0 PushUrlsCache, area overseas cannot read/,
  );
  // Its own APIs read it: EdgeOne's jobs, and purges with the purge API.
  const zone = edgeOne({ zoneId: "zone-2o0i2m9sk3li" });
  assert.equal(await recoverLostTasks(teo, { ...options, api: zone }), teo);
  const purge = { ...teo, api: "purge" };
  assert.equal(await recoverLostTasks(purge, { ...options, api: cdnPurge() }), purge);
  await assert.rejects(
    recoverLostTasks(purge, { ...options, credentials: undefined, api: cdnPurge() }),
    TypeError,
  );
});
