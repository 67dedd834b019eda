// The command line's parts, in-process: line splitting, arguments, tables, progress, the
// summary, and main() with its process replaced.
import assert from "node:assert/strict";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { TencentCloudError } from "../src/rules/errors.ts";
import type { PrewarmReport, RejectedUrl } from "../src/rules/report.ts";
import { splitArgs, UsageError } from "../src/cli/args.ts";
import { readUrls, splitLines } from "../src/cli/input.ts";
import { ProgressDisplay } from "../src/cli/progress.ts";
import { formatSummary, groupFailures } from "../src/cli/summary.ts";
import { runMain } from "./cli/in_process.ts";
import {
  displayUrl,
  formatCount,
  formatDuration,
  formatTable,
  plural,
  URL_DISPLAY_CHARS,
} from "../src/cli/text.ts";
import { formatTaskStatus } from "../src/cli/describe_view.ts";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function* chunksOf(...parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  yield* parts;
}

Deno.test("splitLines: any chunking gives the same lines", async () => {
  const text = "\ufeffhttps://a.example/é\r\n\nhttps://b.example/ü\r\nhttps://c.example/last";
  const bytes = new TextEncoder().encode(text);
  const expected = ["https://a.example/é", "", "https://b.example/ü", "https://c.example/last"];
  // Every split point, including inside a two-byte character and between \r and \n.
  for (let cut = 0; cut <= bytes.length; cut++) {
    const lines = await collect(splitLines(chunksOf(bytes.slice(0, cut), bytes.slice(cut))));
    assert.deepEqual(lines, expected, `cut at byte ${cut}`);
  }
  const oneByteAtATime = [...bytes].map((b) => new Uint8Array([b]));
  assert.deepEqual(await collect(splitLines(chunksOf(...oneByteAtATime))), expected);
  assert.deepEqual(await collect(splitLines(chunksOf("a\nb\n", "c"))), ["a", "b", "c"]);
  assert.deepEqual(await collect(splitLines(chunksOf("a\n"))), ["a"], "no empty last line");
  assert.deepEqual(await collect(splitLines(chunksOf())), []);
});

Deno.test("readUrls: arguments first, then trimmed lines without blanks and comments; stops on abort", async () => {
  const stdin = () =>
    chunksOf("# header\n\n  https://b.example/  \n\t# note\nhttps://c.example/\n");
  const urls = await collect(
    readUrls([{ kind: "arguments", urls: ["https://a.example/"] }, { kind: "stdin" }], stdin),
  );
  assert.deepEqual(urls, ["https://a.example/", "https://b.example/", "https://c.example/"]);

  const controller = new AbortController();
  let ended = false;
  const read: string[] = [];
  for await (
    const url of readUrls([{ kind: "stdin" }], stdin, controller.signal, {
      onEnd: () => (ended = true),
    })
  ) {
    read.push(url);
    controller.abort();
  }
  assert.deepEqual(read, ["https://b.example/"]);
  assert.equal(ended, false, "an interrupted read is not the end of the input");
});

const SPECS = {
  help: { takesValue: false, short: "h" },
  json: { takesValue: false },
  file: { takesValue: true, repeatable: true, commands: ["prewarm"] },
  rate: { takesValue: true, commands: ["prewarm"] },
};
const split = (...argv: string[]) =>
  splitArgs(argv, SPECS, ["prewarm", "status"], "prewarm", "Use the environment");

Deno.test("splitArgs: commands, values, repeats and the end of flags", () => {
  const parsed = split(
    "https://a/",
    "--file",
    "x",
    "--file=y",
    "--rate",
    "5",
    "--rate=7",
    "--json",
  );
  assert.equal(parsed.command, "prewarm");
  assert.deepEqual(parsed.positionals, ["https://a/"]);
  assert.deepEqual(parsed.flags.get("file"), ["x", "y"], "repeatable flags keep every value");
  assert.deepEqual(parsed.flags.get("rate"), ["7"], "a later value replaces an earlier one");
  assert.equal(parsed.flags.get("json"), true);
  assert.deepEqual(split("status", "42", "-h").flags.get("help"), true);
  assert.equal(split("status", "42").command, "status");
  assert.deepEqual(split("--", "--json", "-").positionals, ["--json", "-"]);
  assert.deepEqual(split("--file", "-").flags.get("file"), ["-"]);
});

Deno.test("splitArgs: mistakes are UsageErrors naming what was wrong", () => {
  const cases: [string[], RegExp][] = [
    [["--nope"], /^Unknown option --nope$/],
    [["-x"], /^Unknown option -x$/],
    [["--file"], /^--file needs a value$/],
    [["--file", "--json"], /^--file needs a value$/],
    [["--json=yes"], /^--json takes no value, got "yes"$/],
    [["status", "1", "--rate", "3"], /^--rate does not apply to the status command$/],
    [["stats"], /^Unknown command "stats": expected prewarm, status, or URLs to prewarm$/],
  ];
  for (const [argv] of cases) assert.throws(() => split(...argv), UsageError);
  for (const [argv, message] of cases) assert.throws(() => split(...argv), { message });
  // Anything that is not a bare word is taken for a URL (and checked as one later).
  assert.deepEqual(split("www.example.com/a.js").positionals, ["www.example.com/a.js"]);
});

Deno.test("splitArgs: secret-looking flags are refused without echoing their value", () => {
  for (const flag of ["--secret-key", "--secret_id", "--SecretKey", "--token", "--session-token"]) {
    for (const argv of [[`${flag}=hunter2`], [flag, "hunter2"]]) {
      assert.throws(() => split(...argv), (error: Error) => {
        assert.ok(error instanceof UsageError);
        assert.match(
          error.message,
          /not accepted: secrets given as arguments stay in shell history/,
        );
        assert.match(error.message, /Use the environment$/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      });
    }
  }
});

Deno.test("text: tables align, counts group, durations read well", () => {
  assert.equal(
    formatTable([{ title: "HOST" }, { title: "URLS", align: "right" }], [["a.example", "5"], [
      "bb",
      "1,000",
    ]], "  "),
    "  HOST        URLS\n  a.example      5\n  bb         1,000\n",
  );
  assert.equal(formatCount(100000), "100,000");
  assert.equal(formatCount(999), "999");
  assert.equal(plural(1, "batch", "batches"), "1 batch");
  assert.equal(plural(2500, "URL"), "2,500 URLs");
  assert.equal(formatDuration(850), "850 ms");
  assert.equal(formatDuration(12_340), "12.3 s");
  assert.equal(formatDuration(245_000), "4 min 05 s");
  assert.equal(formatDuration(5 * 3_600_000 + 12 * 60_000), "5 h 12 min");
});

Deno.test("progress: plain lines are thinned to one a second; a terminal is redrawn in place", () => {
  let clock = 0;
  let written = "";
  const plain = new ProgressDisplay((text) => (written += text), false, () => clock);
  plain.inputRead(30);
  const step = (done: number) => ({
    batchesDone: done,
    batchesTotal: 3,
    submitted: done * 10,
    failed: 0,
    rejected: 0,
    requests: done,
  });
  clock = 500;
  plain.update(step(1)); // the first batch always shows
  clock = 900;
  plain.update(step(2)); // held back: less than a second since the last line
  clock = 1000;
  plain.update(step(3)); // the last batch always shows
  plain.finish();
  assert.equal(
    written,
    "Read 30 URLs; sending\n" +
      "Batches 1/3: 10 submitted, 0 failed, 0 rejected, 20 URLs/s\n" +
      "Batches 3/3: 30 submitted, 0 failed, 0 rejected, 30 URLs/s\n",
  );

  written = "";
  clock = 0;
  const tty = new ProgressDisplay((text) => (written += text), true, () => clock);
  tty.update(step(1));
  clock = 50;
  tty.update(step(2)); // within 100 ms: held back until finish()
  tty.finish();
  assert.equal(
    written,
    "\r\x1b[2KBatches 1/3: 10 submitted, 0 failed, 0 rejected, 0 URLs/s" +
      "\r\x1b[2KBatches 2/3: 20 submitted, 0 failed, 0 rejected, 400 URLs/s\n",
  );
});

function failure(code: string, category: "timeout" | "domain", urls: string[]) {
  return {
    host: "www.example.com",
    urls,
    maybeSubmitted: category === "timeout",
    error: new TencentCloudError({
      code,
      category,
      retryable: false,
      maybeSubmitted: category === "timeout",
      message: `Failed with ${code}. Advice.`,
    }),
  };
}

Deno.test("summary: failures grouped by code with advice; maybe-submitted said clearly", () => {
  const failed = [
    failure("ResourceNotFound.CdnHostNotExists", "domain", ["https://x/1"]),
    failure("NetworkError.Timeout", "timeout", ["https://x/2", "https://x/3"]),
    failure("ResourceNotFound.CdnHostNotExists", "domain", ["https://x/4", "https://x/5"]),
  ];
  assert.deepEqual(
    groupFailures(failed).map((g) => [g.code, g.batches, g.urls]),
    [["ResourceNotFound.CdnHostNotExists", 2, 3], ["NetworkError.Timeout", 1, 2]],
  );
  const report: PrewarmReport = {
    api: "v3",
    area: "overseas",
    tasks: [{ taskId: "t-1", host: "www.example.com", urls: ["https://x/0"] }],
    rejected: [{
      url: "https://x/6",
      reason: "daily-limit",
      detail: "The daily budget (dailyLimit 6) for 2026-11-28 (Beijing time) is spent; not sent",
      by: "local",
      option: "dailyLimit",
    }],
    failed,
    counts: {
      input: 7,
      submitted: 1,
      rejected: 1,
      failed: 5,
      maybeSubmitted: 2,
      tasks: 1,
      requests: 4,
    },
    aborted: false,
  };
  // 20:00 Beijing time: four hours before the quota resets.
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);
  const text = formatSummary(report, { simulated: false, now, elapsedMs: 1500, listTasks: true });
  assert.match(text, /^ {2}t-1 +www\.example\.com +1$/m);
  assert.match(text, /^Failed: 5 URLs in 3 batches$/m);
  assert.match(text, /^ {2}ResourceNotFound\.CdnHostNotExists \(domain\): 3 URLs in 2 batches$/m);
  assert.match(
    text,
    /^ {4}What to do: It may have been processed: look its URLs up \(prewarm status --url URL --since 1h\) before sending them again \(or use --retry-ambiguous\)\.$/m,
  );
  assert.match(
    text,
    /^ {2}daily-limit: 1 URL\. The daily quota is spent: it resets at 00:00 Beijing time \(UTC\+8\), in 4 h 00 min; send these again then\. If the account's quota is larger than --daily-limit \(see prewarm quota\), raise --daily-limit\.$/m,
  );
  // Which budget refused is data: the same sentence refused by Tencent's count raises nothing.
  const tencent = formatSummary(
    { ...report, rejected: [{ ...report.rejected[0]!, by: "tencent", option: undefined }] },
    { simulated: false, now, elapsedMs: 1500, listTasks: true },
  );
  assert.match(
    tencent,
    /^ {2}daily-limit: 1 URL\. The daily quota is spent: .*send these again then\.$/m,
  );
  assert.match(text, /^MAY HAVE BEEN SUBMITTED: 2 URLs/m);
  assert.match(
    text,
    /^7 URLs: 1 submitted, 1 not sent, 5 failed \(2 may be submitted\); 4 requests in 1\.5 s\.$/m,
  );
});

Deno.test("main: in-process with a simulator's fetch and the environment given as a function", async () => {
  const sim = new TencentCdnSimulator();
  const env: Record<string, string> = {
    TENCENTCLOUD_SECRET_ID: SIMULATOR_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey,
  };
  const result = await runMain(["https://www.example.com/a.js", "--json", "--rate", "off"], {
    env: (name) => env[name],
    fetch: sim.fetch,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).counts.submitted, 1);
  assert.deepEqual(sim.accepted.flatMap((t) => t.urls), ["https://www.example.com/a.js"]);
});

Deno.test("main: --json errors are JSON on stdout too; exit codes", async () => {
  const usage = await runMain(["--nope", "--json"]);
  assert.equal(usage.code, 2);
  assert.deepEqual(JSON.parse(usage.stdout), {
    error: { code: "Usage", message: "Unknown option --nope. Run with --help for usage." },
  });
  const badOption = await runMain([
    "--api",
    "v2",
    "--area",
    "global",
    "--dry-run",
    "https://a.example/",
  ]);
  assert.equal(badOption.code, 2);
  assert.match(
    badOption.stderr,
    /^error: Invalid option area: expected "overseas" \(CDN API 2\.0 prefetches overseas only\)/,
  );
  const v2Batch = await runMain([
    "--api",
    "v2",
    "--batch-size",
    "50",
    "--dry-run",
    "https://a.example/",
  ]);
  assert.equal(v2Batch.code, 2);
  assert.match(v2Batch.stderr, /batchSize: expected an integer from 1 to 20, got 50/);
  const combined = await runMain(["--dry-run", "--simulate", "https://a.example/"]);
  assert.equal(combined.code, 2);
  const notes = await runMain(["--dry-run", "--check-quota", "https://a.example/"]);
  assert.equal(notes.code, 0);
  assert.match(notes.stdout, /^Note: --check-quota is not consulted/m);
});

Deno.test("main: interrupted while reading the input: 130, nothing sent", async () => {
  const controller = new AbortController();
  const sim = new TencentCdnSimulator();
  async function* slowStdin() {
    yield "https://www.example.com/1\n";
    controller.abort(new Error("Interrupted (test)"));
    yield "https://www.example.com/2\n";
  }
  const result = await runMain(["--file", "-", "--json"], {
    env: (name) =>
      ({
        TENCENTCLOUD_SECRET_ID: SIMULATOR_CREDENTIALS.secretId,
        TENCENTCLOUD_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey,
      })[name],
    fetch: sim.fetch,
    stdin: slowStdin,
    interrupt: controller.signal,
  });
  assert.equal(result.code, 130);
  assert.equal(sim.requests.length, 0);
  assert.match(result.stderr, /^Interrupted while reading the input: nothing was sent\.$/m);
  assert.deepEqual(JSON.parse(result.stdout), { simulated: false, aborted: true, sent: false });
});

Deno.test("displayUrl: long URLs keep their start and end and say their length", () => {
  const short = "https://www.example.com/app.js";
  assert.equal(displayUrl(short), short);
  const edge = `https://www.example.com/${"a".repeat(URL_DISPLAY_CHARS - 24)}`;
  assert.equal(edge.length, URL_DISPLAY_CHARS);
  assert.equal(displayUrl(edge), edge, "exactly the limit is printed whole");
  const long = `https://www.example.com/${"p".repeat(4_966)}/hero.webp`;
  const shown = displayUrl(long);
  assert.ok(shown.startsWith("https://www.example.com/ppp"), shown);
  assert.ok(shown.endsWith("ppp/hero.webp (5,000 characters)"), shown);
  assert.ok(shown.length < 160, `${shown.length} characters`);
  // Cut between code points: no lone surrogate half.
  const emoji = `https://www.example.com/${"😀".repeat(200)}`;
  assert.ok(displayUrl(emoji).isWellFormed(), "well-formed after cutting");
  assert.equal(
    formatTaskStatus("Task t", [{
      taskId: "t",
      url: long,
      status: "done",
      upstreamStatus: "done",
      percent: 100,
      createTime: "2026-11-28 10:00:00",
      updateTime: "2026-11-28 10:00:01",
    }], "none").split("\n").some((line) => line.includes("p".repeat(200))),
    false,
  );
});

Deno.test("main: a simulated run says so at its end, suggests no status, shortens long URLs", async () => {
  const long = `https://www.example.com/${"x".repeat(5_000)}.js`;
  const invalid = Array.from({ length: 7 }, (_, i) => `ftp://www.example.com/${i}`);
  const args = ["https://www.example.com/a.js", long, ...invalid, "--rate", "off"];
  const human = await runMain(args);
  assert.equal(human.code, 1, human.stderr);
  assert.match(human.stderr, /^SIMULATING: /m);
  assert.match(human.stdout, /^Created 1 task for 1 URL:$/m);
  assert.doesNotMatch(human.stdout, /Check progress with/, "status cannot find simulated tasks");
  assert.match(human.stdout, /^These task ids belong to this run's simulator: status cannot/m);
  const lines = human.stdout.trimEnd().split("\n");
  assert.match(lines.at(-1)!, /; SIMULATED: nothing was sent to Tencent Cloud\.$/);
  for (const line of lines) assert.ok(line.length <= 200, `a ${line.length}-character line`);
  assert.match(
    human.stdout,
    /^ {4}https:\/\/www\.example\.com\/x+…x+\.js \(5,027 characters\) {2}\(/m,
  );
  assert.match(human.stdout, /^ {4}… and 3 more \(run with --json to list every one\)$/m);

  const json = await runMain([...args, "--json"]);
  assert.equal(json.code, 1, json.stderr);
  const report = JSON.parse(json.stdout) as PrewarmReport;
  assert.ok(report.rejected.some((r) => r.url === long), "--json keeps the URL whole");
  assert.equal(report.rejected.length, 8);
  assert.match(json.stderr, /^ {4}… and 3 more \(the JSON report lists every one\)$/m);
  assert.match(json.stderr, /; SIMULATED: nothing was sent to Tencent Cloud\.\n$/);

  const plan = await runMain(["--dry-run", ...args]);
  assert.match(plan.stdout, /^ {4}… and 3 more \(run with --json to list every one\)$/m);
  for (const line of plan.stdout.split("\n")) assert.ok(line.length <= 200, line.slice(0, 80));
});

Deno.test("main: a line that is no URL is named by its file and line, in the summary and the JSON", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/urls.txt`;
  await Deno.writeTextFile(
    file,
    [
      "# release", // 1
      "https://www.example.com/a.js", // 2
      "", // 3
      "www.example.com/b.js", // 4: no scheme
      "https://www.example.com/a.js", // 5: a duplicate, not a bad line
      "www.example.com/b.js", // 6: the same bad text again
    ].join("\n"),
  );
  const sim = new TencentCdnSimulator({ domains: ["www.example.com"] });
  const env: Record<string, string> = {
    TENCENTCLOUD_SECRET_ID: SIMULATOR_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey,
  };
  const io = { env: (name: string) => env[name], fetch: sim.fetch };
  try {
    // The same bad text as an argument first: arguments have no line, and take none of the file's.
    const args = ["www.example.com/b.js", "--file", file, "--file", "-", "--rate", "off"];
    const stdin = () => chunksOf("https://www.example.com/c.js\n\nftp://www.example.com/d.js\n");
    const human = await runMain(args, { ...io, stdin });
    assert.equal(human.code, 1, human.stderr);
    const quoted = human.stdout.split("\n").filter((line) => /^ {4}\S/.test(line));
    assert.deepEqual(quoted, [
      "    www.example.com/b.js  (The URL must start with http:// or https://)",
      `    ${file}:4: www.example.com/b.js  (The URL must start with http:// or https://)`,
      `    ${file}:6: www.example.com/b.js  (The URL must start with http:// or https://)`,
      "    stdin:3: ftp://www.example.com/d.js  (The URL must start with http:// or https://)",
    ]);

    const json = await runMain([...args, "--json"], { ...io, stdin });
    const rejected = JSON.parse(json.stdout).rejected;
    assert.deepEqual(
      rejected.map((
        r: RejectedUrl & { file?: string; line?: number },
      ) => [r.reason, r.file, r.line]),
      [
        ["invalid-url", undefined, undefined],
        ["invalid-url", file, 4],
        ["duplicate", undefined, undefined],
        ["invalid-url", file, 6],
        ["invalid-url", "-", 3],
      ],
    );
    // A dry run names them alike.
    const plan = await runMain([...args, "--dry-run"], { ...io, stdin });
    assert.match(plan.stdout, new RegExp(`^ {4}${file}:4: www\\.example\\.com/b\\.js {2}\\(`, "m"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: status TASK_ID says pending, as --wait does, never the service's own word", async () => {
  const env: Record<string, string> = {
    TENCENTCLOUD_SECRET_ID: SIMULATOR_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey,
  };
  const zone = "zone-status1";
  const sim = new TencentCdnSimulator({
    domains: ["www.example.com"],
    teoZones: [{ zoneId: zone, domains: ["www.example.com"] }],
    taskDurationMs: 60 * 60_000,
  });
  const io = { env: (name: string) => env[name], fetch: sim.fetch };
  // CDN API 3.0 lists such a URL as "process"; EdgeOne as "processing".
  for (const api of [[], ["--api", "teo", "--zone", zone]]) {
    const sent = await runMain(["https://www.example.com/a.js", "--json", ...api], io);
    assert.equal(sent.code, 0, sent.stderr);
    const taskId = JSON.parse(sent.stdout).tasks[0].taskId;
    const shown = await runMain(["status", taskId, ...api], io);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`^Task ${taskId}: 1 URL: 1 pending$`, "m"));
    assert.match(shown.stdout, /^https:\/\/www\.example\.com\/a\.js +pending +\d+%/m);
    assert.doesNotMatch(shown.stdout, /process/);
    const json = JSON.parse((await runMain(["status", taskId, "--json", ...api], io)).stdout);
    assert.equal(json.lines[0].status, "pending");
    assert.match(json.lines[0].upstreamStatus, /^process(ing)?$/);
    // --wait names it the same.
    const waited = await runMain(["status", taskId, "--wait", "--wait-timeout", "1ms", ...api], {
      ...io,
      sleep: () => Promise.resolve(),
    });
    assert.match(waited.stdout, /^pending at the timeout: 1 URL\./m);
  }
});
