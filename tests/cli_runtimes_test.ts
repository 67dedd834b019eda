// One source, three runtimes: Deno runs the TypeScript, Node and Bun run the esbuild bundle
// of the same file (tools/bundle.mjs). Their answers must be the same.
import assert from "node:assert/strict";
import { urlsOn } from "./_helpers.ts";
import {
  allRunners,
  bundleCli,
  interruptWhen,
  type JsonReport,
  reportedUrls,
  runCli,
  serveSimulator,
  SIMULATOR_ENV,
  spawnCli,
} from "./cli/run.ts";

/** A report without what differs from run to run: ids the server makes up. */
function stable(report: JsonReport) {
  return {
    ...report,
    tasks: report.tasks.map(({ host, urls }) => ({ host, urls })),
  };
}

Deno.test("cli: Deno, Node and Bun give the same answers from the same source", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const bundle = await bundleCli(dir);
    const runners = allRunners(bundle);
    const input = [
      ...urlsOn("www.example.com", 3),
      ...urlsOn("img.example.com", 2),
      "https://www.example.com/dup",
      "https://www.example.com/dup",
      "not a url",
    ];

    await t.step("--simulate --json", async () => {
      const answers = [];
      for (const runner of runners) {
        const result = await runCli(["--simulate", "--json", ...input], { runner });
        assert.equal(result.code, 1, `${runner.name}: ${result.stderr}`);
        assert.match(result.stderr, /^SIMULATING \(--simulate\)/m, runner.name);
        assert.match(result.stderr, /^Batches 2\/2: 6 submitted/m, runner.name);
        answers.push(stable(JSON.parse(result.stdout)));
      }
      assert.equal(answers[0]!.counts.submitted, 6);
      for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0]);
    });

    await t.step("--dry-run from standard input", async () => {
      const answers = [];
      for (const runner of runners) {
        const human = await runCli(["--dry-run", "--file", "-"], {
          runner,
          stdin: input.join("\r\n"),
        });
        assert.equal(human.code, 1, `${runner.name}: ${human.stderr}`);
        const json = await runCli(["--dry-run", "--json", "--file", "-"], {
          runner,
          stdin: input.join("\n"),
        });
        assert.equal(json.code, 1, runner.name);
        answers.push([human.stdout.replace(/in \d+ h \d+ min/g, ""), JSON.parse(json.stdout)]);
      }
      for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0]);
    });

    await t.step("against the simulator over HTTP, then status and quota", async () => {
      await using served = serveSimulator();
      const answers = [];
      for (const [i, runner] of runners.entries()) {
        const urls = urlsOn("static.example.com", 2, i * 10);
        const result = await runCli([...urls, "--json", "--endpoint", served.endpoint], {
          runner,
          env: SIMULATOR_ENV,
        });
        assert.equal(result.code, 0, `${runner.name}: ${result.stderr}`);
        const [task] = (JSON.parse(result.stdout) as JsonReport).tasks;
        const status = await runCli(["status", task!.taskId, "--endpoint", served.endpoint], {
          runner,
          env: SIMULATOR_ENV,
        });
        assert.equal(status.code, 0, `${runner.name}: ${status.stderr}`);
        assert.match(status.stdout, /: 2 URLs: 2 done$/m, runner.name);
        const quota = await runCli(["quota", "--json", "--endpoint", served.endpoint], {
          runner,
          env: SIMULATOR_ENV,
        });
        answers.push(JSON.parse(quota.stdout).quotas.map((q: { area: string }) => q.area));
      }
      assert.equal(served.sim.quotaUsed("overseas"), 6, "two URLs from each runtime");
      for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0]);
    });

    await t.step("Ctrl-C: exit 130, every URL accounted for", async () => {
      for (const runner of runners) {
        await using served = serveSimulator({ latencyMs: 30 });
        const urls = urlsOn("www.example.com", 100);
        const child = spawnCli(
          [
            ...urls,
            "--json",
            "--endpoint",
            served.endpoint,
            "--batch-size",
            "5",
            "--concurrency",
            "1",
          ],
          { runner, env: SIMULATOR_ENV },
        );
        const { stdout, stderr, code } = await interruptWhen(child, /^Batches 1\//m);
        assert.equal(code, 130, `${runner.name}: ${stderr}`);
        const report: JsonReport = JSON.parse(stdout);
        assert.deepEqual(reportedUrls(report), [...urls].sort(), runner.name);
        assert.equal(report.aborted, true, runner.name);
      }
    });

    await t.step("Ctrl-C while standard input is still open: exit 130 at once", async () => {
      for (const runner of runners) {
        const child = spawnCli(["--simulate", "--json", "--file", "-"], { runner, stdin: "" });
        const writer = child.stdin.getWriter();
        await writer.write(new TextEncoder().encode("https://www.example.com/a.js\n"));
        // The banner comes after the interrupt handler is set up and before input is read.
        const { stdout, stderr, code } = await interruptWhen(child, /^SIMULATING/m);
        await writer.close().catch(() => {});
        assert.equal(code, 130, `${runner.name}: ${stderr}`);
        assert.match(stderr, /^Interrupted while reading the input: nothing was sent\.$/m);
        assert.deepEqual(JSON.parse(stdout), { simulated: true, aborted: true, sent: false });
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
