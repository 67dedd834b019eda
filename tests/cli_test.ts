// The command line as users run it: a subprocess, talking to the simulator served on 127.0.0.1.
import assert from "node:assert/strict";
import { urlsOn } from "./_helpers.ts";
import {
  interruptWhen,
  type JsonReport,
  reportedUrls,
  runCli,
  serveSimulator,
  SIMULATOR_ENV,
  spawnCli,
} from "./cli/run.ts";

const ascending = (list: readonly string[]) => [...list].sort();

Deno.test("cli: URLs as arguments; --json prints the report on stdout, people's text on stderr", async () => {
  await using served = serveSimulator();
  const input = [...urlsOn("www.example.com", 3), ...urlsOn("img.example.com", 2)];
  const result = await runCli([...input, "--endpoint", served.endpoint, "--json"], {
    env: SIMULATOR_ENV,
  });
  assert.equal(result.code, 0, result.stderr);
  const report: JsonReport = JSON.parse(result.stdout);
  assert.equal(report.simulated, false);
  assert.equal(report.aborted, false);
  assert.deepEqual(report.counts, {
    input: 5,
    submitted: 5,
    rejected: 0,
    failed: 0,
    maybeSubmitted: 0,
    tasks: 2,
    requests: 2,
  });
  assert.deepEqual(report.tasks.map((t) => [t.host, t.urls]), [
    ["www.example.com", input.slice(0, 3)],
    ["img.example.com", input.slice(3)],
  ]);
  for (const task of report.tasks) {
    const accepted = served.sim.accepted.find((a) => a.taskId === task.taskId);
    assert.deepEqual(accepted?.urls, task.urls, "each task id maps to exactly its URLs");
  }
  assert.match(result.stderr, /^Batches 2\/2: 5 submitted, 0 failed, 0 rejected, [\d,]+ URLs\/s$/m);
  assert.match(result.stderr, /Created 2 tasks for 5 URLs \(--json lists them\)/);
  assert.doesNotMatch(result.stderr, /SIMULAT/);
});

Deno.test("cli: --file - reads standard input, skipping blank lines and comments", async () => {
  await using served = serveSimulator();
  const urls = urlsOn("static.example.com", 4);
  const stdin = `# release 2026-11-28\n\n${urls[0]}\r\n  ${urls[1]}  \n   # indented comment\n` +
    `${urls[2]}\n\n${urls[3]}`; // no newline at the end
  const result = await runCli(["prewarm", "--file", "-", "--endpoint", served.endpoint], {
    env: SIMULATOR_ENV,
    stdin,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(ascending(served.sim.accepted.flatMap((t) => t.urls)), ascending(urls));
  // People's output goes to stdout when --json is not given.
  assert.match(result.stdout, /^Created 1 task for 4 URLs:$/m);
  assert.match(result.stdout, /TASK ID +HOST +URLS/);
  assert.match(result.stdout, /^4 URLs: 4 submitted, 0 not sent, 0 failed; 1 request in /m);
  assert.match(result.stderr, /^Read 4 URLs; sending$/m);
});

Deno.test("cli: one URL is counted in the singular", async () => {
  await using served = serveSimulator();
  const result = await runCli([
    "prewarm",
    urlsOn("static.example.com", 1)[0]!,
    "--endpoint",
    served.endpoint,
  ], {
    env: SIMULATOR_ENV,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^1 URL: 1 submitted, 0 not sent, 0 failed; 1 request in /m);
  assert.match(result.stderr, /^Read 1 URL; sending$/m);
});

Deno.test("cli: a file with rejected URLs exits 1 and says which and why", async () => {
  await using served = serveSimulator();
  const dir = await Deno.makeTempDir();
  const good = urlsOn("www.example.com", 2);
  await Deno.writeTextFile(
    `${dir}/urls.txt`,
    [good[0], "ftp://www.example.com/x", good[1], good[0], "https://www.example.com/*"].join("\n"),
  );
  const result = await runCli(["--file", `${dir}/urls.txt`, "--endpoint", served.endpoint], {
    env: SIMULATOR_ENV,
  });
  await Deno.remove(dir, { recursive: true });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /^Not sent: 3 URLs$/m);
  assert.match(
    result.stdout,
    /^ {2}invalid-url: 2 URLs\. Fix these \(each one's problem is shown\)/m,
  );
  assert.match(result.stdout, /ftp:\/\/www\.example\.com\/x {2}\(The URL must start with http/);
  assert.match(result.stdout, /wildcard/);
  assert.match(result.stdout, /^ {2}duplicate: 1 URL\. Each appears earlier/m);
  assert.match(result.stdout, /^5 URLs: 2 submitted, 3 not sent, 0 failed/m);
});

Deno.test("cli: failures are grouped by error code, with what to do about each", async () => {
  // Two URLs fit today's quota on the (simulated) account; the local budget is off, so
  // Tencent's own refusal is what stops the rest.
  await using served = serveSimulator({ dailyLimit: 2, domains: ["www.example.com"] });
  served.sim.inject({ type: "delay", ms: 400 }); // the first request outlives --timeout
  const input = [
    ...urlsOn("www.example.com", 2), // batch 1: times out, may have been submitted
    ...urlsOn("unknown.example.com", 3), // batch 2: not a domain of the account
    ...urlsOn("unknown.example.net", 1), // batch 3: same error code
  ];
  const result = await runCli([
    ...input,
    ...["--endpoint", served.endpoint, "--batch-size", "2", "--concurrency", "1"],
    ...["--timeout", "150ms", "--daily-limit", "off", "--rate", "off"],
  ], { env: SIMULATOR_ENV });
  assert.equal(result.code, 1, result.stderr);
  const out = result.stdout;
  assert.match(out, /^Failed: 6 URLs in 4 batches$/m);
  assert.match(out, /^ {2}ResourceNotFound\.CdnHostNotExists \(domain\): 4 URLs in 3 batches$/m);
  assert.match(out, /What to do: Add the domain to this account's CDN/);
  // What went wrong, then what to do in the command line's words: never the library's.
  assert.match(
    out,
    /^ {4}Domain does not exist.*\(ResourceNotFound\.CdnHostNotExists\)\n {4}What to do: /m,
  );
  assert.match(out, /use --api teo --zone ZONE\./);
  assert.doesNotMatch(out, /zoneId|edgeOne\(|describePushTasks|retryAmbiguous|batchSize/);
  assert.match(out, /^ {2}NetworkError\.Timeout \(timeout\): 2 URLs in 1 batch$/m);
  assert.match(out, /^MAY HAVE BEEN SUBMITTED: 2 URLs got no clear answer/m);
  assert.match(out, /look their URLs up first with: prewarm status --url URL --since 1h\./);
  assert.match(out, /Do not resend them blindly/);
  assert.match(out, /\(2 may be submitted\)/);

  // Now the quota: the timed-out batch was processed after all, so nothing is left today.
  // The server finishes it on its own time; wait for that rather than for a guessed delay.
  while (served.sim.requests[0]?.finishedAt === undefined) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(served.sim.requests[0]?.processedOutcome, "Success");
  const more = urlsOn("www.example.com", 2, 100);
  const spent = await runCli([...more, "--endpoint", served.endpoint, "--daily-limit", "off"], {
    env: SIMULATOR_ENV,
  });
  assert.equal(spent.code, 1, spent.stderr);
  assert.match(
    spent.stdout,
    /^ {2}daily-limit: 2 URLs\. The daily quota is spent: it resets at 00:00 Beijing time \(UTC\+8\), in \d+ (h|min) /m,
  );
  assert.match(spent.stdout, /send these again then\./);
});

Deno.test("cli: a batch whose answer was lost is looked up, and reported as its task before anything is written", async () => {
  await using served = serveSimulator();
  // The first push is processed, then its answer breaks off mid-body.
  let pushes = 0;
  served.sim.faultPolicy = ({ action }) =>
    action === "PushUrlsCache" && pushes++ === 0 ? { type: "reset" } : undefined;
  const input = [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 2)];
  const dir = await Deno.makeTempDir({ prefix: "cli-recover-" });
  try {
    const result = await runCli([
      ...input,
      ...["--endpoint", served.endpoint, "--concurrency", "1", "--json"],
      ...["--report", `${dir}/report.json`, "--remaining", `${dir}/remaining.txt`],
    ], { env: SIMULATOR_ENV });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /MAY HAVE BEEN SUBMITTED/);
    for (const text of [result.stdout, await Deno.readTextFile(`${dir}/report.json`)]) {
      const report: JsonReport = JSON.parse(text);
      assert.deepEqual(reportedUrls(report), ascending(input));
      // The found task in its batch's place (first in the input), with the id Tencent gave it.
      assert.deepEqual(
        report.tasks.map((t) => [t.taskId, t.urls, t.recovered]),
        served.sim.accepted.map((a, i) => [a.taskId, a.urls, i === 0 ? true : undefined]),
      );
      assert.equal(report.failed.length, 0);
      // Two pushes and the one read that found the lost task.
      assert.equal(report.counts.requests, 3);
      assert.equal(report.counts.maybeSubmitted, 0);
    }
    assert.equal(served.sim.requests.filter((r) => r.action === "DescribePushTasks").length, 1);
    assert.equal(await Deno.readTextFile(`${dir}/remaining.txt`), "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: an API 2.0 batch whose answer was lost is looked up with API 3.0, as the wait reads it", async () => {
  await using served = serveSimulator();
  let pushes = 0;
  served.sim.faultPolicy = ({ action }) =>
    action === "CdnOverseaPushser" && pushes++ === 0 ? { type: "reset" } : undefined;
  const input = [...urlsOn("www.example.com", 2), ...urlsOn("static.example.com", 2)];
  const result = await runCli([
    ...input,
    ...["--api", "v2", "--endpoint", `${served.endpoint}v2/index.php`],
    ...["--concurrency", "1", "--json"],
  ], { env: SIMULATOR_ENV });
  assert.equal(result.code, 0, result.stderr);
  const report: JsonReport = JSON.parse(result.stdout);
  assert.deepEqual(reportedUrls(report), ascending(input));
  assert.deepEqual(report.tasks.map((t) => [t.host, t.recovered]), [
    ["www.example.com", true],
    ["static.example.com", undefined],
  ]);
  assert.equal(report.counts.maybeSubmitted, 0);
  assert.deepEqual(served.sim.requests.map((r) => r.action), [
    "CdnOverseaPushser",
    "CdnOverseaPushser",
    "DescribePushTasks",
  ]);
});

Deno.test("cli: --dry-run prints the plan without credentials or network", async () => {
  await using served = serveSimulator();
  const input = [
    ...urlsOn("www.example.com", 3),
    ...urlsOn("img.example.com", 1),
    "not a url",
  ];
  // No credentials in the environment; the endpoint is there only to prove nothing reaches it.
  const human = await runCli([
    "--dry-run",
    "--batch-size",
    "2",
    "--daily-limit",
    "3",
    "--endpoint",
    served.endpoint,
    ...input,
  ]);
  assert.equal(human.code, 1, human.stderr);
  assert.equal(served.sim.requests.length, 0, "a dry run sends nothing");
  assert.match(
    human.stdout,
    /^DRY RUN: nothing is sent\. CDN API 3\.0 PushUrlsCache, area overseas/,
  );
  assert.match(human.stdout, /^ {2}HOST +URLS +REQUESTS\n {2}www\.example\.com +3 +2\n\n/m);
  assert.match(human.stdout, /^Would send 3 URLs in 2 requests, spending 3 of today's quota/m);
  assert.match(human.stdout, /^ {2}invalid-url: 1 URL\./m);
  assert.match(human.stdout, /^ {2}daily-limit: 1 URL\..*raise --daily-limit/m);
  assert.equal(human.stderr, "", "no simulator warning: a dry run needs no credentials");

  const json = await runCli(["--dry-run", "--json", "--area", "global", "--file", "-"], {
    stdin: input.slice(0, 4).join("\n"),
  });
  assert.equal(json.code, 0, json.stderr);
  const plan = JSON.parse(json.stdout);
  assert.equal(plan.dryRun, true);
  assert.deepEqual(plan.counts, { input: 4, wouldSend: 4, rejected: 0, requests: 2 });
  assert.equal(plan.quota, "the mainland and overseas areas");
  assert.deepEqual(plan.batches, [
    { host: "www.example.com", urls: input.slice(0, 3) },
    { host: "img.example.com", urls: input.slice(3, 4) },
  ]);
});

Deno.test("cli: without credentials, prewarm runs against the simulator and says so loudly", async () => {
  const result = await runCli([...urlsOn("cdn.my-site.example", 3), "--json"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /^SIMULATING: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set .* NOTHING IS SENT TO TENCENT CLOUD\./m,
  );
  const report: JsonReport = JSON.parse(result.stdout);
  assert.equal(report.simulated, true);
  // Every host of the input is a domain of the simulated account.
  assert.equal(report.counts.submitted, 3);
  assert.match(result.stderr, /^SIMULATED: nothing was sent to Tencent Cloud/m);
});

Deno.test("cli: in CI, missing credentials fail the job instead of simulating", async () => {
  const result = await runCli(urlsOn("www.example.com", 2), { env: { CI: "true" } });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set/);
  assert.match(result.stderr, /CI is set/);
  assert.doesNotMatch(result.stderr, /^SIMULATING/m);
  const simulated = await runCli([...urlsOn("www.example.com", 2), "--simulate"], {
    env: { CI: "true" },
  });
  assert.equal(simulated.code, 0, simulated.stderr);
});

Deno.test("cli: status and quota without credentials exit 2 and name the variables", async () => {
  for (const args of [["status", "123"], ["quota"], ["quota", "--json"]]) {
    const result = await runCli(args);
    assert.equal(result.code, 2, args.join(" "));
    assert.match(
      result.stderr,
      /^error: Missing credentials: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set .*--simulate/m,
    );
    // --simulate starts an empty simulator: it cannot find a simulated run's tasks, and says so.
    assert.match(result.stderr, /--simulate to ask a fresh, empty simulator \(it knows no earlier/);
  }
  // Half a key pair is a mistake, not a reason to simulate.
  const half = await runCli(urlsOn("www.example.com", 1), {
    env: { TENCENTCLOUD_SECRET_ID: "AKIDonly" },
  });
  assert.equal(half.code, 2);
  assert.match(half.stderr, /TENCENTCLOUD_SECRET_KEY is not set, but its pair is/);
});

Deno.test("cli: status and quota print tables, or JSON with --json", async () => {
  await using served = serveSimulator({ dailyLimit: 50 });
  const urls = urlsOn("www.example.com", 3);
  const pushed = await runCli([...urls, "--endpoint", served.endpoint, "--json"], {
    env: SIMULATOR_ENV,
  });
  const [task] = (JSON.parse(pushed.stdout) as JsonReport).tasks;
  assert.ok(task);

  const status = await runCli(["status", task.taskId, "--endpoint", served.endpoint], {
    env: SIMULATOR_ENV,
  });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`^Task ${task.taskId}: 3 URLs: 3 done$`, "m"));
  assert.match(status.stdout, /^URL +STATUS +PERCENT +TASK +CREATED +UPDATED/m);
  for (const url of urls) {
    assert.match(status.stdout, new RegExp(`^${url} +done +100% +${task.taskId}`, "m"));
  }

  const statusJson = await runCli(
    ["status", task.taskId, "--endpoint", served.endpoint, "--json"],
    { env: SIMULATOR_ENV },
  );
  const answer = JSON.parse(statusJson.stdout);
  assert.equal(answer.lines.length, 3);
  assert.deepEqual(answer.lines.map((l: { url: string }) => l.url).sort(), ascending(urls));

  // A URL without a task id (a batch that may have been submitted) is found by --url.
  const search = await runCli(
    ["status", "--url", "/asset-1.js", "--since", "1h", "--endpoint", served.endpoint],
    { env: SIMULATOR_ENV },
  );
  assert.equal(search.code, 0, search.stderr);
  assert.match(
    search.stdout,
    /^URLs containing \/asset-1\.js, pushed in the last 1h: 1 URL: 1 done$/m,
  );
  assert.match(search.stdout, new RegExp(`^${urls[1]} +done`, "m"));
  const badSince = await runCli(["status", "--url", "x", "--since", "soon"], {
    env: SIMULATOR_ENV,
  });
  assert.equal(badSince.code, 2);
  assert.match(badSince.stderr, /--since takes a duration such as 30m, 6h or 2d, got "soon"/);

  const unknown = await runCli(["status", "no-such-task", "--endpoint", served.endpoint], {
    env: SIMULATOR_ENV,
  });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stdout, /no URLs found/);

  const quota = await runCli(["quota", "--endpoint", served.endpoint], { env: SIMULATOR_ENV });
  assert.equal(quota.code, 0, quota.stderr);
  assert.match(quota.stdout, /^QUOTA +PER REQUEST +PER DAY +LEFT TODAY$/m);
  assert.match(quota.stdout, /^overseas +500 +50 +47$/m);
  assert.match(quota.stdout, /resets at 00:00 Beijing time/);
  const quotaJson = JSON.parse(
    (await runCli(["quota", "--json", "--endpoint", served.endpoint], { env: SIMULATOR_ENV }))
      .stdout,
  );
  assert.deepEqual(quotaJson.quotas.find((q: { area: string }) => q.area === "overseas"), {
    area: "overseas",
    batch: 500,
    total: 50,
    available: 47,
  });

  // Tencent refusing the question is exit 1, with its advice.
  served.sim.inject({ type: "error", code: "AuthFailure.SignatureFailure" });
  const refused = await runCli(["quota", "--endpoint", served.endpoint], { env: SIMULATOR_ENV });
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /^error: .*\(AuthFailure\.SignatureFailure\)\. TENCENTCLOUD_SECRET_KEY/m,
  );
});

Deno.test("cli: usage mistakes exit 2 with a hint; secrets are refused as arguments", async () => {
  const cases: [string[], RegExp][] = [
    [["--bogus", "x"], /^error: Unknown option --bogus\. Run with --help for usage\.$/m],
    [
      ["--concurrency", "lots", "https://a.example/"],
      /--concurrency must be an integer from 1 to 64, got "lots"/,
    ],
    [[], /No URLs given/],
    [["--file", "/no/such/file.txt"], /Cannot open --file \/no\/such\/file\.txt: .*ENOENT/],
    [["quota", "--rate", "5"], /--rate does not apply to the quota command/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stdout, "");
  }
  const secret = await runCli(["--secret-key=s3cr3t-value", "https://www.example.com/a.js"]);
  assert.equal(secret.code, 2);
  assert.match(
    secret.stderr,
    /--secret-key is not accepted: secrets given as arguments stay in shell history/,
  );
  assert.match(secret.stderr, /Set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
  assert.doesNotMatch(secret.stderr, /s3cr3t-value/, "the secret is never echoed");

  const help = await runCli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage:/);
  assert.match(help.stdout, /--dry-run/);
});

Deno.test("cli: Ctrl-C mid-run exits 130 and the JSON summary accounts for every URL once", async () => {
  await using served = serveSimulator({ latencyMs: 50 });
  // 30 requests, one at a time, at most 10 a second: seconds of sending left to interrupt.
  const input = urlsOn("www.example.com", 300);
  const child = spawnCli(
    [
      "--file",
      "-",
      "--json",
      "--endpoint",
      served.endpoint,
      "--concurrency",
      "1",
      "--batch-size",
      "10",
    ],
    { env: SIMULATOR_ENV, stdin: "" },
  );
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input.join("\n") + "\n"));
  await writer.close();
  const { stdout, stderr, code, interrupted } = await interruptWhen(child, /^Batches 1\//m);
  assert.ok(interrupted, stderr);
  assert.equal(code, 130, stderr);
  const report: JsonReport = JSON.parse(stdout);
  assert.equal(report.aborted, true);
  assert.deepEqual(reportedUrls(report), ascending(input), "every URL exactly once");
  assert.equal(report.counts.input, input.length);
  assert.ok(report.tasks.length >= 1, "what was sent before Ctrl-C is listed");
  assert.ok(report.rejected.some((r) => r.reason === "aborted"), "the rest was not sent");
  // Whatever the simulator took is listed as a task or as maybe submitted, never as unsent.
  const listed = new Set([
    ...report.tasks.flatMap((t) => t.urls),
    ...report.failed.filter((f) => f.maybeSubmitted).flatMap((f) => f.urls),
  ]);
  for (const url of served.sim.accepted.flatMap((t) => t.urls)) assert.ok(listed.has(url), url);
  assert.match(stderr, /^Interrupted \(SIGINT\): sending nothing new/m);
  assert.match(stderr, /^INTERRUPTED: URLs not yet sent are listed as rejected/m);
});
