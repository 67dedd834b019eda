// The GitHub Action's script path, run locally as the runner would: action/prewarm.sh with the
// inputs as INPUT_* variables and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY set. The outputs, the job
// summary and the remaining file are checked byte for byte.
import assert from "node:assert/strict";
import { childEnv, ROOT, serveSimulator, SIMULATOR_ENV } from "./cli/run.ts";
import { serveDocuments, urlset } from "./sources/serve.ts";

const SITE = "https://www.example.com";
const ACTION = await Deno.readTextFile(`${ROOT}action.yml`);
const SCRIPT = await Deno.readTextFile(`${ROOT}action/prewarm.sh`);

/** Runs the action's step as the runner does (`run:` of the step with id prewarm). */
async function runAction(env: Record<string, string>) {
  const run = /^\s+run: (.+)$/m.exec(ACTION.slice(ACTION.indexOf("id: prewarm")))?.[1];
  assert.equal(run, 'bash "$GITHUB_ACTION_PATH/action/prewarm.sh"');
  const denoDir = Deno.execPath().slice(0, Deno.execPath().lastIndexOf("/"));
  const { code, stdout, stderr } = await new Deno.Command("bash", {
    args: ["-c", run!],
    env: childEnv({
      GITHUB_ACTION_PATH: ROOT.replace(/\/$/, ""),
      PATH: `${denoDir}:${Deno.env.get("PATH") ?? ""}`,
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_RUN_ID: "77",
      GITHUB_ACTION: "prewarm",
      ...env,
    }),
    clearEnv: true,
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

Deno.test("action.yml: every input reaches the script and every output comes from the step", () => {
  const section = (name: string) => {
    const start = ACTION.indexOf(`\n${name}:\n`);
    const end = ACTION.slice(start + 1).search(/\n\S/);
    return ACTION.slice(start, start + 1 + end);
  };
  const inputs = [...section("inputs").matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]!);
  assert.deepEqual(inputs.slice(0, 9), [
    "urls",
    "file",
    "sitemap",
    "dir",
    "base",
    "area",
    "wait",
    "dry-run",
    "remaining",
  ]);
  for (const input of inputs.filter((name) => name !== "setup-deno")) {
    const variable = `INPUT_${input.toUpperCase().replaceAll("-", "_")}`;
    assert.match(ACTION, new RegExp(`^ {8}${variable}: \\$\\{\\{ inputs\\.${input} \\}\\}$`, "m"));
    assert.ok(SCRIPT.includes(`\${${variable}:-}`), `the script reads ${variable}`);
  }
  const outputs = [...section("outputs").matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]!);
  assert.deepEqual(outputs, [
    "submitted",
    "failed",
    "rejected",
    "deferred",
    "maybe-submitted",
    "report",
  ]);
  for (const output of outputs) {
    assert.match(
      ACTION,
      new RegExp(`^ {4}value: \\$\\{\\{ steps\\.prewarm\\.outputs\\.${output} \\}\\}$`, "m"),
    );
  }
  assert.doesNotMatch(SCRIPT, /\$\{\{/, "inputs are never pasted into the script");
});

Deno.test("action: outputs, job summary and remaining file, byte for byte", async () => {
  await using sim = serveSimulator({ domains: ["www.example.com"] });
  const pages = urlset([{ loc: `${SITE}/a` }, { loc: `${SITE}/b` }]);
  await using site = serveDocuments({ "/sitemap.xml": { body: pages } });
  const tmp = await Deno.makeTempDir();
  try {
    for (const name of ["index.html", "x.js", "y.css"]) {
      await Deno.mkdir(`${tmp}/dist`, { recursive: true });
      await Deno.writeTextFile(`${tmp}/dist/${name}`, name);
    }
    const outputFile = `${tmp}/output.txt`;
    const summaryFile = `${tmp}/summary.md`;
    await Deno.writeTextFile(outputFile, "earlier=step\n");
    await Deno.writeTextFile(summaryFile, "# Deploy\n\n");
    const remaining = `${tmp}/remaining.txt`; // absent: the first run of the workflow
    const result = await runAction({
      ...SIMULATOR_ENV,
      INPUT_URLS: `  https://unknown.example.org/x\n`,
      INPUT_SITEMAP: `${site.origin}/sitemap.xml\n`,
      INPUT_DIR: `${tmp}/dist`,
      INPUT_BASE: `${SITE}/`,
      INPUT_REMAINING: remaining,
      INPUT_WAIT: "false",
      INPUT_DRY_RUN: "False",
      // One batch at a time, so which URL the budget leaves over does not depend on timing.
      INPUT_ARGS: `--endpoint ${sim.endpoint} --daily-limit 4 --concurrency 1`,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: tmp,
    });
    // The unknown domain fails (1 URL), so the run is incomplete: exit 1.
    assert.equal(result.code, 1, result.stderr);
    const reportPath = `${tmp}/qcdn-prewarm-77-prewarm.json`;
    assert.equal(
      await Deno.readTextFile(outputFile),
      "earlier=step\nsubmitted=4\nfailed=1\nrejected=1\ndeferred=2\nmaybe-submitted=0\n" +
        `report=${reportPath}\n`,
    );
    const report = JSON.parse(await Deno.readTextFile(reportPath));
    assert.equal(report.simulated, false);
    assert.deepEqual(report.counts, {
      input: 6,
      submitted: 4,
      rejected: 1,
      failed: 1,
      maybeSubmitted: 0,
      tasks: 1,
      requests: 2,
    });
    const taskId = report.tasks[0].taskId;
    assert.deepEqual(sim.sim.accepted.map((t) => [t.taskId, t.urls]), [
      [taskId, [`${SITE}/a`, `${SITE}/b`, `${SITE}/`, `${SITE}/x.js`]],
    ]);
    assert.equal(
      await Deno.readTextFile(remaining),
      `https://unknown.example.org/x\n${SITE}/y.css\n`,
    );
    assert.equal(
      await Deno.readTextFile(summaryFile),
      `# Deploy

### CDN prewarm

| Submitted | Failed | Not sent | Deferred |
| ---: | ---: | ---: | ---: |
| 4 | 1 | 1 | 2 |

**Tasks** (1)

| Task ID | Host | URLs |
| --- | --- | ---: |
| \`${taskId}\` | www.example.com | 4 |

**Failures**

- \`ResourceNotFound.CdnHostNotExists\` (domain): 1 URL in 1 batch. Add the domain to this account's CDN (online, unlocked, serving this area) and let this key act on it (CAM: project, tags), or drop these URLs; if it moved to EdgeOne, use --api teo --zone ZONE.

**Not sent**

- daily-limit: 1 URL

**Deferred:** 2 URLs written to \`${remaining}\`, in order. Continue after 00:00 Beijing time (UTC+8) with \`--file ${remaining} --remaining ${remaining}\`.
`,
    );

    // The next day's run of the same step reads the remaining file first, then rewrites it.
    const dry = await runAction({
      INPUT_REMAINING: remaining,
      INPUT_DRY_RUN: "true",
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: tmp,
    });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Would send 2 URLs in 2 requests/);
    assert.ok(
      (await Deno.readTextFile(summaryFile)).endsWith(
        "### CDN prewarm (dry run)\n\nNothing was sent. Would send 2 URLs in 2 requests; 0 would not be sent.\n",
      ),
    );
    assert.ok((await Deno.readTextFile(outputFile)).endsWith(
      `submitted=0\nfailed=0\nrejected=0\ndeferred=0\nmaybe-submitted=0\nreport=${reportPath}\n`,
    ));
    assert.equal(
      await Deno.readTextFile(remaining),
      `https://unknown.example.org/x\n${SITE}/y.css\n`,
      "a dry run leaves the remaining file alone",
    );

    const wrong = await runAction({ INPUT_DRY_RUN: "yes", INPUT_URLS: `${SITE}/a` });
    assert.equal(wrong.code, 2);
    assert.equal(wrong.stderr, 'error: input dry-run must be true or false, got "yes"\n');
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
