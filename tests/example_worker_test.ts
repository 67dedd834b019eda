/**
 * The Cloudflare example as its README runs it: under `wrangler dev` (installed in the example's
 * folder by `deno task tools`) against `deno task simulator`, with the `.dev.vars` the task
 * prints; and Wrangler's bundle serving `examples/urls.txt` in workerd in front of the
 * simulator, with the allowed hosts of its `wrangler.toml`.
 */
import assert from "node:assert/strict";
import { TencentCdnSimulator } from "../src/testing/mod.ts";
import { exampleWorkerConfig } from "./_example_worker.ts";
import { assertAccounted } from "./_helpers.ts";
import { type ServerProcess, startServer } from "./router/processes.ts";
import { beforeDeadline, freePort, startSimulatorTask } from "./_simulator_task.ts";
import { childEnv } from "./cli/run.ts";
import type { PrewarmReport } from "../mod.ts";

const ROOT = new URL("../", import.meta.url);
const EXAMPLE = new URL("examples/cloudflare-worker/", ROOT);
const WRANGLER = new URL("node_modules/.bin/wrangler", EXAMPLE).pathname;
const credentials = {
  secretId: "AKIDexampleWorker000000000000000000",
  secretKey: "example-Worker-Key-That-Must-Not-Leak",
};

/** `wrangler deploy --dry-run`: Wrangler's own bundling of the example, nothing uploaded. */
async function wranglerBundle(outdir: string): Promise<string> {
  const installed = await Deno.stat(WRANGLER).then(() => true, () => false);
  assert.ok(
    installed,
    `${WRANGLER} is missing: run "deno task tools" (or npm ci --prefix examples/cloudflare-worker)`,
  );
  const { code, stdout, stderr } = await new Deno.Command(WRANGLER, {
    args: ["deploy", "--dry-run", "--outdir", outdir],
    cwd: EXAMPLE,
    env: { WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" },
  }).output();
  const output = new TextDecoder().decode(stdout) +
    new TextDecoder().decode(stderr);
  assert.equal(code, 0, output);
  assert.match(output, /--dry-run: exiting now/, output);
  return `${outdir}/worker.js`;
}

let bundled: Promise<{ dir: string; bundle: string }> | undefined;
/** Wrangler's bundle of the example, made once for this file's tests. */
function exampleBundle(): Promise<{ dir: string; bundle: string }> {
  bundled ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "example-worker-" });
    return { dir, bundle: await wranglerBundle(dir) };
  })();
  return bundled;
}

/** The example in workerd, bound as its wrangler.toml says, in front of `endpoint`. */
async function serveExample(endpoint: string, token: string): Promise<ServerProcess> {
  const { bundle } = await exampleBundle();
  const { allowedHosts, miniflareOptions } = await exampleWorkerConfig();
  const bindings = {
    TENCENTCLOUD_SECRET_ID: credentials.secretId,
    TENCENTCLOUD_SECRET_KEY: credentials.secretKey,
    PREWARM_TOKENS: token,
    PREWARM_ALLOWED_HOSTS: allowedHosts,
    TENCENTCLOUD_ENDPOINT: endpoint,
  };
  return await startServer({
    command: "node",
    args: [
      "tests/router/miniflare_host.mjs",
      bundle,
      JSON.stringify(bindings),
      JSON.stringify(miniflareOptions),
    ],
    env: {},
    cwd: ROOT,
  });
}

Deno.test("examples/cloudflare-worker: wrangler bundles it, and it prewarms examples/urls.txt", async () => {
  const sim = new TencentCdnSimulator({ credentials: [credentials] });
  const simServer = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
  }, sim.handle);
  let server: ServerProcess | undefined;
  try {
    const token = `example-${crypto.randomUUID()}`;
    server = await serveExample(`http://127.0.0.1:${simServer.addr.port}/`, token);
    const urlsTxt = await Deno.readTextFile(new URL("examples/urls.txt", ROOT));
    const answer = await fetch(`${server.url}prewarm`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "text/plain",
      },
      body: urlsTxt,
    });
    const report = await answer.json();
    // urls.txt ends with a duplicate and a wildcard on purpose; every other URL is sent.
    assert.equal(answer.status, 207, JSON.stringify(report));
    assert.deepEqual(
      report.rejected.map((r: { reason: string }) => r.reason).sort(),
      ["duplicate", "invalid-url"],
      "no host of urls.txt is refused by the example's PREWARM_ALLOWED_HOSTS",
    );
    assert.equal(report.counts.submitted, 10);
    assert.equal(sim.accepted.flatMap((t) => t.urls).length, 10);
  } finally {
    await server?.stop();
    await simServer.shutdown();
  }
});

Deno.test("examples/cloudflare-worker: 200 concurrent requests share the Durable Object's budget and rate", async () => {
  const sim = new TencentCdnSimulator({ credentials: [credentials], dailyLimit: 1000 });
  const simServer = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, sim.handle);
  let server: ServerProcess | undefined;
  try {
    const token = `example-${crypto.randomUUID()}`;
    server = await serveExample(`http://127.0.0.1:${simServer.addr.port}/`, token);
    const hosts = (await exampleWorkerConfig()).allowedHosts.split(",");
    const post = async (n: number) => {
      // 10 URLs a request: 2000 in all, twice the day's budget.
      const urls = Array.from(
        { length: 10 },
        (_, i) => `https://${hosts[n % hosts.length]}/wave/${n}/${i}.js`,
      );
      const answer = await fetch(`${server!.url}prewarm`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ urls }),
      });
      const body = await answer.json();
      const report: PrewarmReport = body.report ?? body;
      assert.ok([200, 207, 429, 503].includes(answer.status), JSON.stringify(body));
      assertAccounted(urls, report);
      return report;
    };
    const reports: PrewarmReport[] = [];
    for (let wave = 0; wave < 5; wave++) {
      reports.push(...await Promise.all(Array.from({ length: 40 }, (_, i) => post(wave * 40 + i))));
    }
    const submitted = reports.reduce((sum, r) => sum + r.counts.submitted, 0);
    assert.ok(sim.quotaUsed("overseas") <= 1000, `accepted ${sim.quotaUsed("overseas")}`);
    assert.equal(submitted, sim.quotaUsed("overseas"), "every accepted URL is in a report");
    assert.ok(submitted >= 900, `the budget is used, not lost to busy answers: ${submitted}`);
    const refusedForQuota = sim.requests.filter((r) => r.outcome.includes("DayLimit"));
    assert.deepEqual(refusedForQuota, [], "Tencent never had to refuse for quota");
    const limited = sim.requests.filter((r) => r.outcome === "RequestLimitExceeded").length;
    assert.ok(
      limited / sim.requests.length < 0.05,
      `${limited} of ${sim.requests.length} upstream answers were rate limits`,
    );
  } finally {
    await server?.stop();
    await simServer.shutdown();
  }
});

/** The commands of the README's ```sh blocks, continuation lines joined, comments dropped. */
function readmeCommands(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)].flatMap((block) =>
    block[1]!.replace(/\\\n\s*/g, " ").split("\n").map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => line !== "" && !line.startsWith("#"))
  );
}

/** A copy of what the example needs (its folder, the sources it imports), outside the repository. */
async function copyExample(dir: string): Promise<string> {
  const copy = `${dir}/examples/cloudflare-worker`;
  await Deno.mkdir(copy, { recursive: true });
  for (const file of ["worker.ts", "wrangler.toml", "tsconfig.json", "package.json"]) {
    await Deno.copyFile(new URL(file, EXAMPLE), `${copy}/${file}`);
  }
  await Deno.copyFile(new URL("mod.ts", ROOT), `${dir}/mod.ts`);
  const { code, stderr } = await new Deno.Command("cp", {
    args: ["-R", new URL("src", ROOT).pathname, `${dir}/src`],
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  // Wrangler as `npm install` left it (deno task tools), not installed again.
  await Deno.symlink(new URL("node_modules", EXAMPLE).pathname, `${copy}/node_modules`);
  return copy;
}

Deno.test("examples/cloudflare-worker: its README under wrangler dev answers 200 against deno task simulator", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", EXAMPLE));
  const commands = readmeCommands(readme);
  assert.deepEqual(commands.slice(0, 4), [
    "deno task simulator",
    "cd examples/cloudflare-worker",
    "npm install",
    "npx wrangler dev",
  ]);
  const curl = commands.find((c) => c.startsWith("curl "));
  assert.ok(curl, "the README sends a request with curl");

  await using simulator = await startSimulatorTask(["--port", "0", "--task-seconds", "0"]);
  // The README's .dev.vars names what the task prints, in that order.
  const shown = /^```ini\n([\s\S]*?)^```/m.exec(readme)![1]!.trim().split("\n");
  assert.deepEqual(
    simulator.devVars.map((line) => line.split("=")[0]),
    shown.map((line) => line.split("=")[0]),
  );
  assert.deepEqual(
    simulator.devVars.filter((line) => !line.startsWith("TENCENTCLOUD_ENDPOINT=")),
    shown.filter((line) => !line.startsWith("TENCENTCLOUD_ENDPOINT=")),
  );

  const dir = await Deno.makeTempDir({ prefix: "example-worker-dev-" });
  const copy = await copyExample(dir);
  await Deno.writeTextFile(`${copy}/.dev.vars`, simulator.devVars.join("\n") + "\n");
  // `npx wrangler dev` on free ports (8787 may be taken by a developer's own run).
  const port = freePort();
  const wrangler = new Deno.Command(`${copy}/node_modules/.bin/wrangler`, {
    args: ["dev", "--port", String(port), "--inspector-port", String(freePort())],
    cwd: copy,
    env: childEnv({
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_LOG_PATH: `${dir}/wrangler-logs`,
      NO_COLOR: "1",
      CI: "1",
    }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const collected = Promise.all(
    [wrangler.stdout, wrangler.stderr].map((stream) =>
      stream.pipeThrough(new TextDecoderStream()).pipeTo(
        new WritableStream({ write: (chunk) => void (output += chunk) }),
      )
    ),
  );
  try {
    const origin = `http://127.0.0.1:${port}`;
    await beforeDeadline(
      (async () => {
        while (!output.includes(`Ready on ${origin}`)) {
          const exited = await Promise.race([
            wrangler.status.then(() => true),
            new Promise<false>((resolve) => setTimeout(() => resolve(false), 200)),
          ]);
          assert.ok(!exited, `wrangler dev exited:\n${output}`);
        }
      })(),
      90_000,
      `wrangler dev ready on ${origin}:\n${output}`,
    );
    assert.match(output, /Using secrets defined in \.dev\.vars/);

    const sent = await new Deno.Command("sh", {
      args: ["-c", `${curl.replace("http://127.0.0.1:8787", origin)} -w '\\n%{http_code}'`],
      env: childEnv(),
      clearEnv: true,
    }).output();
    const [body, status] = new TextDecoder().decode(sent.stdout).trimEnd().split(/\n(?=\d+$)/);
    assert.equal(sent.code, 0, new TextDecoder().decode(sent.stderr));
    assert.equal(status, "200", body);
    const report = JSON.parse(body!);
    assert.equal(report.counts.submitted, 2, body);
    assert.equal(report.counts.input, 2, body);
    // The simulator the task serves got them: its log names each request.
    assert.equal(
      simulator.log().match(/PushUrlsCache 1 URL: Success/g)?.length,
      2,
      simulator.log(),
    );
    assert.doesNotMatch(output, /simulator-secret-key-not-real/, "wrangler hides the key");
  } finally {
    try {
      wrangler.kill("SIGTERM");
    } catch { /* already gone */ }
    const stopped = await beforeDeadline(wrangler.status, 15_000, "wrangler dev to stop").catch(
      () => {
        wrangler.kill("SIGKILL");
        return wrangler.status;
      },
    );
    await collected.catch(() => {});
    await Deno.remove(dir, { recursive: true });
    assert.ok(stopped, "wrangler dev stopped");
  }
  // Nothing listens on the port any more: wrangler took workerd with it.
  await assert.rejects(fetch(`http://127.0.0.1:${port}/health`));
});

Deno.test("examples/cloudflare-worker: remove the bundle", async () => {
  if (bundled) await Deno.remove((await bundled).dir, { recursive: true });
});
