// The command line with EdgeOne (`--api teo --zone ZONE`): a subprocess against the simulator
// served on 127.0.0.1, as users run it, and main() in-process for the rest.
import assert from "node:assert/strict";
import { TencentCdnSimulator, type TeoZoneOptions } from "../src/testing/mod.ts";
import { urlsOn } from "./_helpers.ts";
import { type JsonReport, runCli, serveSimulator, SIMULATOR_ENV } from "./cli/run.ts";
import { runMain } from "./cli/in_process.ts";

const HOSTS = ["www.example.com", "img.example.com"];

type TeoJsonReport = JsonReport & { api: string; zoneId?: string };

function zoneOptions(zoneId: string, extra: Partial<TeoZoneOptions> = {}) {
  return { teoZones: [{ zoneId, domains: HOSTS, ...extra }], domains: HOSTS };
}

/** main() in-process against a simulator; each test names its own zone (the budget is the
 * process's, per zone). */
function runOn(args: string[], sim: TencentCdnSimulator) {
  const rate = args[0] === "status" || args[0] === "quota" ? [] : ["--rate", "off"];
  return runMain([...args, ...rate], { env: (name) => SIMULATOR_ENV[name], fetch: sim.fetch });
}

Deno.test("cli edgeone: --api teo --zone submits and reports as a CDN run does (subprocess)", async () => {
  await using served = serveSimulator(zoneOptions("zone-cli1"));
  const input = [...urlsOn("www.example.com", 3), ...urlsOn("img.example.com", 2), "ftp://x"];
  const runs: TeoJsonReport[] = [];
  for (const api of [[], ["--api", "teo", "--zone", "zone-cli1"]]) {
    const result = await runCli([...input, ...api, "--endpoint", served.endpoint, "--json"], {
      env: SIMULATOR_ENV,
    });
    assert.equal(result.code, 1, result.stderr); // ftp://x is not sent
    assert.match(result.stderr, /Created 2 tasks for 5 URLs/);
    runs.push(JSON.parse(result.stdout));
  }
  const [cdn, teo] = runs as [TeoJsonReport, TeoJsonReport];
  assert.equal(teo.api, "teo");
  assert.equal(teo.zoneId, "zone-cli1");
  assert.deepEqual(teo.counts, cdn.counts);
  assert.deepEqual(teo.rejected, cdn.rejected);
  assert.deepEqual(teo.tasks.map((t) => [t.host, t.urls]), cdn.tasks.map((t) => [t.host, t.urls]));
  for (const task of teo.tasks) {
    const job = served.sim.prefetchJobs.find((j) => j.jobId === task.taskId);
    assert.deepEqual(job?.targets, task.urls, "each task id is the JobId of exactly its URLs");
  }
  assert.equal(served.sim.teoQuotaUsed("zone-cli1"), 5);
  assert.equal(served.sim.quotaUsed("overseas"), 5, "the CDN run's, not EdgeOne's");
});

Deno.test("cli edgeone: status JOB_ID and quota read the zone", async () => {
  const sim = new TencentCdnSimulator({
    ...zoneOptions("zone-cli2", { prefetchDailyLimit: 50, prefetchBatchLimit: 7 }),
    taskOutcomes: [{ match: /missing/, status: "invalid" }],
  });
  const run = await runOn(
    ["--api", "teo", "--zone", "zone-cli2", "--json", ...urlsOn("www.example.com", 2)],
    sim,
  );
  assert.equal(run.code, 0, run.stderr);
  const jobId = (JSON.parse(run.stdout) as JsonReport).tasks[0]!.taskId;

  const status = await runOn(["status", jobId, "--api", "teo", "--zone", "zone-cli2"], sim);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`^Task ${jobId}: 2 URLs: 2 done$`, "m"));
  assert.match(status.stdout, /URL +STATUS +PERCENT +TASK +CREATED +UPDATED/);

  const bad = await runOn(
    ["--api", "teo", "--zone", "zone-cli2", "--json", "https://img.example.com/missing.png"],
    sim,
  );
  const badJob = (JSON.parse(bad.stdout) as JsonReport).tasks[0]!.taskId;
  const failed = await runOn(
    ["status", badJob, "--api", "teo", "--zone", "zone-cli2", "--json"],
    sim,
  );
  assert.equal(failed.code, 1, "an invalid target is a failure");
  const answer = JSON.parse(failed.stdout);
  assert.equal(answer.taskId, badJob);
  assert.deepEqual(
    answer.lines.map((l: { status: string; why: string }) => [l.status, l.why]),
    [["invalid", "originPullFailed"]],
  );
  const byUrl = await runOn(
    [
      "status",
      "--url",
      "https://img.example.com/missing.png",
      "--api",
      "teo",
      "--zone",
      "zone-cli2",
    ],
    sim,
  );
  assert.match(byUrl.stdout, /: 1 URL: 1 invalid$/m);

  const quota = await runOn(["quota", "--api", "teo", "--zone", "zone-cli2", "--json"], sim);
  assert.equal(quota.code, 0, quota.stderr);
  assert.deepEqual(JSON.parse(quota.stdout).prefetch, {
    type: "prefetch_url",
    batch: 7,
    daily: 50,
    available: 47,
  });
  const text = await runOn(["quota", "--api", "teo", "--zone", "zone-cli2"], sim);
  assert.match(text.stdout, /^prefetch_url +7 +50 +47$/m);
  assert(sim.requests.every((r) => r.service === "teo"), "nothing asked of CDN");
});

Deno.test("cli edgeone: --check-quota keeps to the zone's quota; an unknown zone says --zone", async () => {
  const sim = new TencentCdnSimulator(zoneOptions("zone-cli3", { prefetchDailyLimit: 3 }));
  const run = await runOn(
    ["--api", "teo", "--zone", "zone-cli3", "--check-quota", ...urlsOn("www.example.com", 5)],
    sim,
  );
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^5 URLs: 3 submitted, 2 not sent, 0 failed/m);
  assert.match(run.stdout, /^ {2}daily-limit: 2 URLs\. The daily quota is spent/m);
  assert.match(
    run.stdout,
    /^Check progress with: prewarm status TASK_ID --api teo --zone zone-cli3$/m,
  );
  assert.equal(sim.teoQuotaUsed("zone-cli3"), 3);

  const wrong = await runOn(
    ["--api", "teo", "--zone", "zone-cli-nope", ...urlsOn("www.example.com", 1)],
    sim,
  );
  assert.equal(wrong.code, 1);
  assert.match(wrong.stdout, /InvalidParameter\.ZoneNotFound/);
  assert.match(wrong.stdout, /What to do: Check --zone: no EdgeOne zone of this account has it\./);
  assert.doesNotMatch(wrong.stdout, /zoneId/);
});

Deno.test("cli edgeone: a CDN domain error points to --api teo --zone", async () => {
  const sim = new TencentCdnSimulator({ domains: ["www.example.com"] });
  const run = await runOn(["https://moved.example.com/a.js"], sim);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /ResourceNotFound\.CdnHostNotExists/);
  assert.match(run.stdout, /if it moved to EdgeOne, use --api teo --zone ZONE/);
  // The library's words (its message) are not the command line's.
  assert.doesNotMatch(run.stdout, /zoneId|edgeOne\(/);
});

Deno.test("cli edgeone: flag mistakes are usage errors before anything is sent", async () => {
  const sim = new TencentCdnSimulator(zoneOptions("zone-cli4"));
  const url = "https://www.example.com/a.js";
  const cases: [string[], RegExp][] = [
    [["--api", "teo", url], /Missing --zone: api "teo" needs the EdgeOne zone/],
    [
      ["--api", "v2", "--zone", "zone-cli4", url],
      /Invalid --zone: it applies to --api "teo" only, not "v2"/,
    ],
    [
      ["--zone", "zone-cli4", "--area", "mainland", url],
      /Invalid --area: it applies to --api "v3" only, not "teo"/,
    ],
    [["--api", "teo", "--zone", "*", url], /Invalid --zone: expected one zone's id/],
    [["quota", "--api", "teo"], /Missing --zone/],
    [["quota", "--api", "v2"], /CDN API 2\.0 CdnOverseaPushser has no quota to read/],
  ];
  for (const [args, message] of cases) {
    const result = await runOn(args, sim);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  assert.equal(sim.requests.length, 0);
  // --zone alone means EdgeOne.
  const alone = await runOn(["--zone", "zone-cli4", "--json", url], sim);
  assert.equal(alone.code, 0, alone.stderr);
  assert.equal(JSON.parse(alone.stdout).api, "teo");
});

Deno.test("cli edgeone: --dry-run plans the zone's quota", async () => {
  const sim = new TencentCdnSimulator();
  const run = await runOn(
    ["--dry-run", "--api", "teo", "--zone", "zone-cli5", ...urlsOn("www.example.com", 2)],
    sim,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /EdgeOne CreatePrefetchTask, zone zone-cli5, up to 500 URLs/);
  assert.match(run.stdout, /spending 2 of today's quota from EdgeOne zone zone-cli5/);
  const json = await runOn(
    ["--dry-run", "--json", "--zone", "zone-cli5", "https://www.example.com/a.js"],
    sim,
  );
  const plan = JSON.parse(json.stdout);
  assert.equal(plan.api, "teo");
  assert.equal(plan.zoneId, "zone-cli5");
  assert.equal(plan.quota, "EdgeOne zone zone-cli5");
  assert.equal(sim.requests.length, 0);
});

Deno.test("cli edgeone: --wait follows EdgeOne's jobs to the end, as it does CDN tasks", async () => {
  const sim = new TencentCdnSimulator({
    ...zoneOptions("zone-wait"),
    taskOutcomes: [{ match: /bad/, status: "invalid" }],
  });
  const input = [...urlsOn("www.example.com", 2), "https://img.example.com/bad.js"];
  const result = await runOn([
    ...input,
    ...["--api", "teo", "--zone", "zone-wait", "--wait", "--json"],
  ], sim);
  assert.equal(result.code, 1, result.stderr); // one URL ended invalid
  const report = JSON.parse(result.stdout) as TeoJsonReport & {
    wait: { counts: Record<string, number> };
  };
  assert.equal(report.api, "teo");
  assert.deepEqual(report.wait.counts, { done: 2, failed: 0, invalid: 1, pending: 0, unknown: 0 });
  const jobIds = new Set(sim.prefetchJobs.map((j) => j.jobId));
  assert.ok(report.tasks.every((t) => jobIds.has(t.taskId)));
  assert.ok(
    sim.requests.some((r) => r.action === "DescribePrefetchTasks"),
    "statuses are read from EdgeOne",
  );
  assert.ok(!sim.requests.some((r) => r.action === "DescribePushTasks"));
});
