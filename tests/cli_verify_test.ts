// The command line's `--wait --verify` and `verify URL...`: in-process against the simulator on a
// fake clock and its edge (a fetch that sends API calls to the simulator and everything else to
// the edge), then as users run it: Deno on the source, Node and Bun on the bundle, each against a
// simulator and an edge served on 127.0.0.1.
import assert from "node:assert/strict";
import type { CliIo } from "../src/cli/io.ts";
import { type EdgeRule, SimulatedEdge, type SimulatorOptions } from "../src/testing/mod.ts";
import { MINUTE, simulatorOnFakeClock } from "./_fake_clock.ts";
import { allRunners, bundleCli, runCli, SIMULATOR_ENV } from "./cli/run.ts";
import { runMain } from "./cli/in_process.ts";
import { serveSimulatorAndEdge } from "./_served_edge.ts";

/** The simulator on a fake clock, its edge, and main() wired to both. */
function setup(options: SimulatorOptions = {}, rules: EdgeRule[] = [], env = SIMULATOR_ENV) {
  const { sim, clock, now, sleep } = simulatorOnFakeClock({
    taskDurationMs: 5 * MINUTE,
    ...options,
  });
  const edge = new SimulatedEdge(sim, { rules });
  const fetch = (url: string, init: RequestInit) =>
    new URL(url).hostname.endsWith("tencentcloudapi.com")
      ? sim.fetch(url, init)
      : edge.fetch(url, init);
  const run = (args: string[], io: Partial<CliIo> = {}) =>
    runMain(args, { env: (name) => env[name], fetch, now, sleep, ...io });
  return { sim, edge, clock, run };
}

const URLS = ["https://www.example.com/app.js", "https://img.example.com/logo.png"];

Deno.test("cli --wait --verify: every URL a hit exits 0; --json carries the verify results", async () => {
  const { edge, run } = setup();
  const result = await run([...URLS, "--wait", "--verify", "--json", "--rate", "off"]);
  assert.equal(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  assert.deepEqual(json.wait.counts.done, 2);
  assert.deepEqual(json.verify.counts, { hit: 2, miss: 0, bypass: 0, unknown: 0, error: 0 });
  assert.deepEqual(json.verify.urls.map((u: { url: string }) => u.url), URLS);
  assert.equal(json.verify.urls[0].decidedBy, "X-Cache-Lookup: Cache Hit");
  assert.ok(json.verify.urls[0].taskId);
  // The summaries go to standard error beside the JSON: the wait's, then the verify's.
  assert.ok(result.stderr.indexOf("Waited") < result.stderr.indexOf("Verified 2 URLs"));
  assert.match(result.stderr, /^Verifying 2\/2: 2 hit, 0 miss, 0 bypass, 0 unknown, 0 error$/m);
  assert.match(
    result.stderr,
    /^Verified 2 URLs from here \(one-byte GET, no body read\): 2 hit, 0 miss, 0 bypass, 0 unknown, 0 error\. A hit means the edge node that answered this machine holds the file; nodes in other regions may still be cold\.$/m,
  );
  assert.equal(edge.requests.length, 2);
  assert.equal(edge.bodyBytesRead, 0);
});

Deno.test("cli --wait --verify: misses and unknowns listed with what to do, exit 4", async () => {
  const { run } = setup({ domains: ["www.example.com", "img.example.com"] }, [
    { match: /\/api\//, cache: "uncacheable" },
    { match: /logo/, hit: ["Hit From Disktank", "Hit From Inner Cluster"] },
  ]);
  const urls = [...URLS, "https://www.example.com/api/state.json?user=1"];
  const result = await run([...urls, "--wait", "--verify", "--rate", "off"]);
  assert.equal(result.code, 4, result.stderr);
  assert.match(
    result.stdout,
    /^miss: 1 URL\. Not served from the cache of the edge node that answered\. Check, most likely first: the prefetch's layer \(--layer middle warms the mid-tier, not edge nodes\); cache rules that forbid caching .*; a query string .*; a different host .*\n {4}https:\/\/www\.example\.com\/api\/state\.json\?user=1 {2}X-Cache-Lookup: Cache Miss; Cache-Control: no-store; has a query string$/m,
  );
  assert.match(result.stdout, /: 2 hit, 1 miss, 0 bypass, 0 unknown, 0 error\. A hit means/);
  assert.doesNotMatch(result.stdout, /logo\.png {2}/, "hits are not listed");

  // --layer middle: the advice says a miss at the edge is expected.
  const middle = await run([
    ...URLS.slice(0, 1),
    "--wait",
    "--verify",
    "--layer",
    "middle",
    "--rate",
    "off",
  ]);
  assert.equal(middle.code, 0, middle.stderr);
  const { run: again } = setup({}, [{ match: /app/, cache: "uncacheable" }]);
  const layered = await again([
    URLS[0]!,
    "--wait",
    "--verify",
    "--layer",
    "middle",
    "--rate",
    "off",
  ]);
  assert.equal(layered.code, 4);
  assert.match(
    layered.stdout,
    /^miss: 1 URL\. This run warmed the mid-tier only \(--layer middle\)/m,
  );
});

Deno.test("cli --wait --verify: the run's and the wait's exit status come first; an error is exit 1; only done URLs are probed", async () => {
  const { edge, run } = setup({ taskOutcomes: [{ match: /broken/, status: "fail" }] }, [
    { match: /moved/, redirect: "https://www.example.com/new.js" },
  ]);
  const failedWait = await run([
    "https://www.example.com/broken.js",
    "https://www.example.com/fine.js",
    "--wait",
    "--verify",
    "--rate",
    "off",
  ]);
  assert.equal(failedWait.code, 1, "the wait's failure decides");
  assert.match(failedWait.stdout, /^Not verified: 1 URL did not end done/m);
  assert.deepEqual(edge.requests.map((r) => r.url), ["https://www.example.com/fine.js"]);

  const redirect = await run([
    "https://www.example.com/moved.js",
    "--wait",
    "--verify",
    "--rate",
    "off",
  ]);
  assert.equal(redirect.code, 1);
  assert.match(
    redirect.stdout,
    /^error: 1 URL\. No answer to read, .*\n {4}https:\/\/www\.example\.com\/moved\.js {2}redirect: The answer is a redirect \(301\) to https:\/\/www\.example\.com\/new\.js; redirects are not followed/m,
  );
  assert.ok(edge.requests.every((r) => r.redirect === "manual"));
});

Deno.test("cli verify URL...: no credentials needed; exit 0, 4 and 1; --file; usage mistakes exit 2", async () => {
  const { run } = setup({ taskDurationMs: 0 }, [], {});
  // The edge holds what the account prefetched.
  const prewarmed = setup({ taskDurationMs: 0 });
  await prewarmed.run([URLS[0]!, "--rate", "off"]);
  prewarmed.clock.ms += 1000;
  const hit = await prewarmed.run(["verify", URLS[0]!]);
  assert.equal(hit.code, 0, hit.stderr);
  assert.match(hit.stdout, /: 1 hit, 0 miss/);

  const miss = await run(["verify", ...URLS, "--json"]);
  assert.equal(miss.code, 4, miss.stderr);
  assert.deepEqual(JSON.parse(miss.stdout).counts, {
    hit: 0,
    miss: 2,
    bypass: 0,
    unknown: 0,
    error: 0,
  });
  assert.equal(JSON.parse(miss.stdout).simulated, false);

  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/urls.txt`, `# list\n${URLS[0]}\n\nftp://www.example.com/x\n`);
    const bad = await run(["verify", "--file", `${dir}/urls.txt`, "--probe-method", "head"]);
    assert.equal(bad.code, 1);
    assert.match(
      bad.stdout,
      /^error: 1 URL\..*\n {4}ftp:\/\/www\.example\.com\/x {2}invalid-url: The URL must start with http:\/\/ or https:\/\//m,
    );
    assert.match(bad.stdout, /\(HEAD, no body read\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }

  for (
    const [args, message] of [
      [["verify"], /verify needs URLs/],
      [
        ["verify", URLS[0]!, "--endpoint", "http://127.0.0.1:1/"],
        /--endpoint does not apply to verify/,
      ],
      [["verify", URLS[0]!, "--verify"], /--verify does not apply to the verify command/],
      [[URLS[0]!, "--verify"], /--verify applies only with --wait/],
      [
        [URLS[0]!, "--probe-method", "GET"],
        /--probe-method applies only to verify, or with --verify/,
      ],
      [
        ["verify", URLS[0]!, "--probe-method", "POST"],
        /--probe-method must be GET or HEAD, got "POST"/,
      ],
      [
        ["verify", URLS[0]!, "--probe-concurrency", "0"],
        /--probe-concurrency must be an integer from 1 to 64/,
      ],
      [["quota", "--verify"], /--verify does not apply to the quota command/],
    ] as [string[], RegExp][]
  ) {
    const result = await run(args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
});

Deno.test("cli verify --simulate and --wait --verify --simulate: the whole loop without keys", async () => {
  // No keys in the environment.
  const run = (args: string[]) => runMain(args);
  const loop = await run([...URLS, "--simulate", "--wait", "--verify", "--rate", "off"]);
  assert.equal(loop.code, 0, loop.stderr);
  assert.match(loop.stdout, /Verified 2 URLs from here .*: 2 hit/);
  // Without credentials the run simulates, and says so: the loop runs all the same.
  const keyless = await run([URLS[0]!, "--wait", "--verify", "--rate", "off"]);
  assert.equal(keyless.code, 0, keyless.stderr);
  assert.match(keyless.stderr, /^SIMULATING: /m);
  const fresh = await run(["verify", "--simulate", URLS[0]!]);
  assert.equal(fresh.code, 4);
  assert.match(fresh.stderr, /^SIMULATING \(--simulate\): probes go to a simulated edge/m);
  // The --report file says what --json says, simulated included: a simulated verify is never
  // mistaken for the edge's word.
  const dir = await Deno.makeTempDir();
  try {
    const reported = await run([
      "verify",
      "--simulate",
      URLS[0]!,
      "--json",
      "--report",
      `${dir}/r.json`,
    ]);
    assert.equal(reported.code, 4, reported.stderr);
    const file = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    assert.equal(file.simulated, true);
    assert.equal(file.counts.miss, 1);
    assert.deepEqual(file, JSON.parse(reported.stdout));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli --verify in GitHub Actions: the job summary's verify section and the warm-* outputs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const env = {
      ...SIMULATOR_ENV,
      GITHUB_OUTPUT: `${dir}/output`,
      GITHUB_STEP_SUMMARY: `${dir}/summary.md`,
      RUNNER_TEMP: dir,
    };
    const { run } = setup({}, [{ match: /logo/, cache: "uncacheable" }], env);
    const result = await run([...URLS, "--wait", "--verify", "--rate", "off"]);
    assert.equal(result.code, 4, result.stderr);
    const summary = await Deno.readTextFile(`${dir}/summary.md`);
    assert.match(summary, /\*\*Is it warm\?\*\* What the edge node that answered the runner said/);
    assert.match(
      summary,
      /\| Hit \| Miss \| Bypass \| Unknown \| Error \|\n\| ---: .*\n\| 1 \| 1 \| 0 \| 0 \| 0 \|/,
    );
    assert.match(
      summary,
      /^- miss: `https:\/\/img\.example\.com\/logo\.png` \(X-Cache-Lookup: Cache Miss\)$/m,
    );
    const output = await Deno.readTextFile(`${dir}/output`);
    assert.match(output, /^warm-hit=1\nwarm-miss=1\nwarm-bypass=0\nwarm-unknown=0\nwarm-error=0$/m);
    const report = JSON.parse(await Deno.readTextFile(/^report=(.*)$/m.exec(output)![1]!));
    assert.equal(report.verify.counts.miss, 1);

    // verify alone: its own heading and section.
    const env2 = { GITHUB_STEP_SUMMARY: `${dir}/verify.md` };
    const { run: verify } = setup({}, [], env2);
    assert.equal((await verify(["verify", URLS[0]!])).code, 4);
    const alone = await Deno.readTextFile(`${dir}/verify.md`);
    assert.match(alone, /^### CDN verify\n\n\*\*Is it warm\?\*\*/);
    assert.match(alone, /\| 0 \| 1 \| 0 \| 0 \| 0 \|/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli --wait --verify and verify on Deno, Node and Bun: exit 0 and 4 against a served simulator and edge", async () => {
  const dir = await Deno.makeTempDir();
  const { edge, endpoint, origin, shutdown } = serveSimulatorAndEdge();
  try {
    const bundle = await bundleCli(dir);
    for (const [i, runner] of allRunners(bundle).entries()) {
      const warm = [`${origin}/${runner.name}/app.js`, `${origin}/${runner.name}/app.css`];
      const all = await runCli([...warm, "--wait", "--verify", "--json", "--endpoint", endpoint], {
        runner,
        env: SIMULATOR_ENV,
      });
      assert.equal(all.code, 0, `${runner.name}: ${all.stderr}`);
      const json = JSON.parse(all.stdout);
      assert.deepEqual(
        json.verify.counts,
        { hit: 2, miss: 0, bypass: 0, unknown: 0, error: 0 },
        runner.name,
      );

      const cold = `${origin}/${runner.name}/nocache.json`;
      const some = await runCli([warm[0]!, cold, "--wait", "--verify", "--endpoint", endpoint], {
        runner,
        env: SIMULATOR_ENV,
      });
      assert.equal(some.code, 4, `${runner.name}: ${some.stderr}`);
      assert.match(some.stdout, /Cache-Control: no-store/, runner.name);

      // verify alone needs no credentials.
      const alone = await runCli(["verify", ...warm, cold, "--json"], { runner });
      assert.equal(alone.code, 4, `${runner.name}: ${alone.stderr}`);
      assert.deepEqual(
        JSON.parse(alone.stdout).urls.map((u: { state: string }) => u.state),
        ["hit", "hit", "miss"],
        runner.name,
      );
      // A redirect is reported, and its target never asked for.
      const moved = await runCli(["verify", `${origin}/${runner.name}/moved.js`], { runner });
      assert.equal(moved.code, 1, `${runner.name}: ${moved.stderr}`);
      assert.match(moved.stdout, /redirect: The answer is a redirect \(301\) to \/target\.js/);
      assert.ok(!edge.requests.some((r) => r.url.endsWith("/target.js")), runner.name);
      // Each runtime's probes: one byte asked for, one byte sent for each ranged answer.
      const probes = edge.requests.filter((r) => r.url.includes(`/${runner.name}/`));
      assert.equal(probes.length, 2 + 2 + 3 + 1, runner.name);
      assert.ok(probes.every((r) => r.method === "GET" && r.range === "bytes=0-0"), runner.name);
      assert.equal(edge.bodyBytesRead, 7 * (i + 1), `${runner.name}: one byte per ranged answer`);
    }
  } finally {
    await shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
