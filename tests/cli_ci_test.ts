// The CI files in-process: what a long or hostile report turns into in the job summary and the
// step outputs.
import assert from "node:assert/strict";
import { githubOutputs, markdownText, stepSummary } from "../src/cli/ci.ts";
import { TencentCloudError } from "../src/rules/errors.ts";
import { countReport, type PrewarmReport } from "../src/rules/report.ts";
import { parseDuration, parseSince } from "../src/cli/since.ts";
import { UsageError } from "../src/cli/args.ts";

function report(parts: Pick<PrewarmReport, "tasks" | "rejected" | "failed">): PrewarmReport {
  return { api: "v3", area: "overseas", ...parts, counts: countReport(parts, 3), aborted: false };
}

Deno.test("ci: tasks past twenty are counted, not listed; maybe-submitted URLs get their check", () => {
  const tasks = Array.from({ length: 23 }, (_, i) => ({
    taskId: `task-${i}`,
    host: "www.example.com",
    urls: [`https://www.example.com/${i}`],
  }));
  const timeout = new TencentCloudError({
    code: "NetworkError.Timeout",
    category: "timeout",
    message: "No answer | in time",
    maybeSubmitted: true,
  });
  const run = report({
    tasks,
    rejected: [],
    failed: [{
      host: "www.example.com",
      urls: ["https://www.example.com/x"],
      error: timeout,
      maybeSubmitted: true,
    }],
  });
  const text = stepSummary({ result: { kind: "report", report: run }, simulated: true, now: 0 });
  assert.match(text, /^> \*\*Simulated:\*\* nothing was sent to Tencent Cloud/m);
  assert.match(text, /^\| `task-19` \| www\.example\.com \| 1 \|$/m);
  assert.doesNotMatch(text, /task-20/);
  assert.match(text, /^… and 3 more tasks in the report\.$/m);
  assert.match(
    text,
    /^- `NetworkError\.Timeout` \(timeout\): 1 URL in 1 batch\. It may have been processed: look its URLs up \(prewarm status --url URL --since 1h\)/m,
  );
  assert.match(
    text,
    /^\*\*May have been submitted:\*\* 1 URL got no clear answer\. Check them with `prewarm status --url URL --since 1h` before sending them again\.$/m,
  );
  assert.equal(
    githubOutputs(
      { result: { kind: "report", report: run }, simulated: true, now: 0 },
      "/tmp/r.json",
    ),
    "submitted=23\nfailed=1\nrejected=0\ndeferred=0\nmaybe-submitted=1\nreport=/tmp/r.json\n" +
      "simulated=true\n",
  );
});

Deno.test("ci: Markdown and output values cannot be broken out of", () => {
  assert.equal(
    markdownText("a|b <script> *x* [l](u)\nnext"),
    "a\\|b \\<script\\> \\*x\\* \\[l\\](u) next",
  );
  const run = report({ tasks: [], rejected: [], failed: [] });
  const outputs = githubOutputs({
    result: { kind: "report", report: run },
    simulated: false,
    now: 0,
  }, "/tmp/a\nb=c");
  assert.ok(
    outputs.endsWith("report<<QCDN_PREWARM_EOF_10\n/tmp/a\nb=c\nQCDN_PREWARM_EOF_10\n"),
    outputs,
  );
});

Deno.test("--since: a duration back from now, or a W3C date; anything else is a usage mistake", () => {
  const now = Date.UTC(2026, 10, 28, 12);
  assert.equal(parseSince("2d", now), now - 2 * 86_400_000);
  assert.equal(parseSince("1.5h", now), now - 5_400_000);
  assert.equal(parseSince("2026-11-28T09:30:00+08:00", now), Date.UTC(2026, 10, 28, 1, 30));
  assert.equal(parseDuration("2026-11-28"), undefined);
  assert.throws(() => parseSince("last week", now), UsageError);
});
